"""Stage durations as Prometheus histograms kept in Redis.

Workers run as many processes on many machines and the web app scrapes none of them: each finished
stage adds its duration to counters in Redis (one hash per stage: a count per bucket, the count and the
sum), and `/metrics` reads them back. Nothing is kept in a process's memory, so a restarted worker loses
nothing and every web process reports the same figures. Without persistence in Redis the counters
start again from zero after a Redis restart, which Prometheus reads as a counter reset.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import redis
from prometheus_client.utils import floatToGoString

log = logging.getLogger(__name__)
KEY = "sohoa:stage:"
# Seconds. A page's OCR takes 1–3 s, a finish a fraction of that per page; drop-to-stored minutes at worst.
BUCKETS: tuple[float, ...] = (0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900)
STAGES: dict[str, str] = {
    "plan": "planning a file: format check, page list, text-layer pages read",
    "ocr": "one image page: rendering, preprocessing and tesseract",
    "classify": "classifying a document",
    "extract": "reading a document's metadata",
    "assemble": "building the searchable PDF",
    "store": "uploading and verifying a document's objects",
    "record": "writing a document's rows",
    "finish": "the whole post stage of a file, after its pages are read",
    "total": "from the file's claim in the inbox to its stored document",
}


def _field(bound: float) -> str:
    return "+Inf" if bound == math.inf else f"{bound:g}"


def observe(r: redis.Redis, stage: str, seconds: float) -> None:
    """Add one duration. Best effort: a stage's figures must never fail the work they measure."""
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r} (known: {', '.join(STAGES)})")
    seconds = max(0.0, seconds)
    bucket = _field(next((b for b in BUCKETS if seconds <= b), math.inf))
    try:
        p = r.pipeline(transaction=False)
        p.hincrby(KEY + stage, bucket, 1)
        p.hincrby(KEY + stage, "count", 1)
        p.hincrbyfloat(KEY + stage, "sum", seconds)
        p.execute()
    except redis.RedisError as e:
        log.warning("stage duration of %s not recorded: %s", stage, e)


class Clock:
    """Durations of the stages run inside one pipeline call, as plain data: the pipeline (which knows no
    Redis) times its stages into a Clock and the Celery task hands them to `observe`."""

    def __init__(self) -> None:
        self.spans: list[tuple[str, float]] = []

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        self.spans.append((stage, time.perf_counter() - started))

    def report(self, r: redis.Redis) -> None:
        for stage, seconds in self.spans:
            observe(r, stage, seconds)


@contextmanager
def timed(r: redis.Redis | None, stage: str) -> Iterator[None]:
    """Observe the duration of the block when it ends normally (a failed stage is counted as a failure
    elsewhere, not as a fast stage); without Redis (`sohoa process`) nothing is recorded."""
    started = time.perf_counter()
    yield
    if r is not None:
        observe(r, stage, time.perf_counter() - started)


@dataclass(frozen=True)
class Histogram:
    stage: str
    buckets: list[tuple[str, int]]  # cumulative, Prometheus style, ending with +Inf
    count: int
    total: float


def read(r: redis.Redis) -> list[Histogram]:
    """Every stage's histogram (stages never observed are reported empty, so dashboards see them)."""
    p = r.pipeline(transaction=False)
    for stage in STAGES:
        p.hgetall(KEY + stage)
    out = []
    for stage, raw in zip(STAGES, p.execute(), strict=True):
        h = {k.decode(): v.decode() for k, v in raw.items()}
        running, buckets = 0, []
        for b in [*BUCKETS, math.inf]:
            running += int(h.get(_field(b), 0))
            buckets.append((floatToGoString(b), running))
        out.append(Histogram(stage, buckets, int(h.get("count", 0)), float(h.get("sum", 0.0))))
    return out
