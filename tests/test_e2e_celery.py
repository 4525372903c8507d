"""End to end through Celery: real Redis, a worker subprocess and the watcher; files dropped in the
inbox come out as stored objects and database rows, once each. Run on the embedded default
(local store, SQLite) and on the distributed form's components (S3 server, PostgreSQL)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from sqlalchemy import func, select

from pipeline.config import Settings
from pipeline.identity import sha256_file
from pipeline.index import stagestats
from pipeline.keep import db
from pipeline.keep.models import DONE, DUPLICATE, QUARANTINED, Document, Intake, Page
from pipeline.keep.store import open_store
from schemas.samples import SampleLabel

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]


class Cluster:
    def __init__(self, env: dict[str, str], logdir: Path) -> None:
        self.env = env
        self.logdir = logdir
        self.procs: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, *args: str) -> None:
        log = (self.logdir / f"{name}.log").open("ab")
        self.procs[name] = subprocess.Popen(
            [sys.executable, "-m", "sohoa", *args], env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
        )

    def stop(self) -> None:
        for p in self.procs.values():
            if p.poll() is None:
                p.terminate()
        for p in self.procs.values():
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()

    def logs(self) -> str:
        return "\n".join(f"--- {f.name}\n{f.read_text(errors='replace')[-4000:]}" for f in self.logdir.glob("*.log"))


def env_for(settings: Settings, redis_url: str, extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOHOA_")}
    env.update(
        SOHOA_DATA_DIR=str(settings.data),
        SOHOA_REDIS_URL=redis_url,
        SOHOA_STABLE_SECONDS="0.5",
        SOHOA_POLL_SECONDS="0.2",
        SOHOA_WORKERS="2",
        OMP_THREAD_LIMIT="1",
        **extra,
    )
    return env


@pytest.fixture(params=["local-sqlite", "s3-postgresql"])
def backend(request: pytest.FixtureRequest, settings: Settings) -> Iterator[tuple[Settings, dict[str, str]]]:
    if request.param == "local-sqlite":
        yield settings, {}
        return
    s3 = request.getfixturevalue("s3_server")
    pg = request.getfixturevalue("postgres_url")
    extra = {
        "SOHOA_S3_ENDPOINT": s3["endpoint"],
        "SOHOA_S3_ACCESS_KEY": s3["access_key"],
        "SOHOA_S3_SECRET_KEY": s3["secret_key"],
        "SOHOA_S3_BUCKET": f"e2e-{os.getpid()}-{int(time.time() * 1000) % 100000}",
        "SOHOA_DATABASE_URL": pg,
    }
    yield settings.model_copy(update={
        "s3_endpoint": s3["endpoint"], "s3_access_key": s3["access_key"], "s3_secret_key": s3["secret_key"],
        "s3_bucket": extra["SOHOA_S3_BUCKET"], "database_url": pg,
    }), extra


def wait_until(cond, timeout: float, what: str, cluster: Cluster) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return
        for name, p in cluster.procs.items():
            assert p.poll() is None, f"{name} died\n{cluster.logs()}"
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}\n{cluster.logs()}")


def test_dropped_files_are_stored_and_recorded_once(
    backend: tuple[Settings, dict[str, str]], redis_server, sample_set, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    settings, extra = backend
    samples: Path = sample_set(n=4, seed=11, formats=["pdf-digital", "pdf-scan", "tiff", "jpeg"])
    labels = [SampleLabel.model_validate_json(line) for line in (samples / "labels.jsonl").read_text().splitlines()]
    db.migrate(settings.db_url)
    cluster = Cluster(env_for(settings, redis_server.url, extra), tmp_path)
    try:
        cluster.start("worker", "worker", "--concurrency", "2")
        cluster.start("watch", "watch")
        for label in labels:
            dest = settings.inbox / label.file
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(samples / label.file, dest)
        first = labels[0]
        # The same content under another name, and a file that is not a scan at all.
        shutil.copyfile(samples / first.file, settings.inbox / first.unit / "ket-qua" / "copy.bin.pdf")
        (settings.inbox / first.unit / "thanh-phan").mkdir(parents=True, exist_ok=True)
        (settings.inbox / first.unit / "thanh-phan" / "notes.pdf").write_bytes(b"%PDF-1.4 not really %%EOF\n")

        def settled() -> bool:
            with db.session_scope(settings.db_url) as s:
                states = list(s.scalars(select(Intake.state)))
            return len(states) == len(labels) + 2 and all(st in (DONE, DUPLICATE, QUARANTINED) for st in states)

        wait_until(settled, 600, "every file to be finished", cluster)
    finally:
        cluster.stop()

    with db.session_scope(settings.db_url) as s:
        states = dict(s.execute(select(Intake.original_name, Intake.state)).all())
        docs = list(s.scalars(select(Document)))
        n_pages = s.scalar(select(func.count()).select_from(Page))
        n_ocr_pages = s.scalar(select(func.count()).where(Page.source.in_(("ocr", "empty")))) or 0
        quarantined = s.scalar(select(Intake).where(Intake.state == QUARANTINED))
        assert quarantined is not None
        q_code = quarantined.error_code
    assert states["copy.bin.pdf"] == DUPLICATE or states[Path(first.file).name] == DUPLICATE
    assert states["notes.pdf"] == QUARANTINED and q_code == "header_only_pdf"  # a header and no object: told precisely
    assert (settings.quarantine / first.unit / "thanh-phan" / "notes.pdf.loi.txt").exists()
    assert sorted(d.sha256 for d in docs) == sorted(sha256_file(samples / lb.file) for lb in labels)
    assert n_pages == sum(lb.pages for lb in labels)
    store = open_store(settings)
    for d in docs:
        assert len(d.outputs) == 3
        for key in d.outputs:
            obj = store.stat(key)
            assert obj is not None, key
        assert store.stat(d.outputs[0]).sha256 == d.sha256  # type: ignore[union-attr]
    assert not list(settings.spool.glob("*.data")), "the spool is released once objects are verified"
    assert not list(settings.inbox.rglob("*.pdf")) and not list(settings.inbox.rglob("*.jpg"))
    # The workers timed their stages in Redis, where /metrics reads them.
    timings = {h.stage: h for h in stagestats.read(redis.Redis.from_url(redis_server.url))}
    assert timings["ocr"].count >= n_ocr_pages > 0
    for stage in ("plan", "finish", "classify", "extract", "assemble", "store", "record"):
        assert timings[stage].count >= len(labels), stage
    assert timings["total"].count >= len(labels) and timings["total"].total > timings["finish"].total / 2
