"""What the broker and the workers say, for the operator console: per queue its depth and the age of its
oldest message (read from Redis: kombu keeps each queue as a list, newest pushed on the left), and which
workers answer and what each is running (Celery's inspect).

Nothing here may hang a page: Redis is asked with a socket timeout of its own, and the inspection runs in
one background thread with a deadline: when no worker answers in time (or the broker is gone) the console
says so and shows the rest. One inspection at a time serves every page asking meanwhile."""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from functools import lru_cache
from typing import Any

import redis
from celery import Celery

from pipeline.redis_client import connect, describe
from schemas.console import Broker, QueueState, RunningTask, WorkerState
from workers.app import QUEUES, SENT_AT, app

INSPECT_SECONDS = 1.0  # how long workers are given to answer
CACHE_SECONDS = 3.0  # pages refreshing every few seconds share one inspection
# A busy worker may miss one inspection's second: what it said last is shown (and how old it is) for this long.
KEEP_SECONDS = 60.0
_POOL = ThreadPoolExecutor(max_workers=1, thread_name_prefix="celery-inspect")
_LOCK = threading.Lock()
_running: Future[list[WorkerState]] | None = None
_last: tuple[float, list[WorkerState]] | None = None  # the last inspection, answered or not
_answered: tuple[float, list[WorkerState]] | None = None  # the last one some worker answered


def _oldest_age(r: redis.Redis, key: str, now: float) -> float | None:
    raw: Any = r.lindex(key, -1)  # the next one a worker takes: the oldest
    if raw is None:
        return None
    try:
        sent = json.loads(raw).get("headers", {}).get(SENT_AT)
    except (ValueError, AttributeError):
        return None
    return max(0.0, now - float(sent)) if sent else None


def queue_states(redis_url: str, timeout: float = 1.0) -> tuple[list[QueueState], int]:
    """Each queue's depth and oldest message's age, and how many messages are unacknowledged."""
    r = connect(redis_url, timeout)
    now = time.time()
    out = []
    for q in QUEUES:
        # kombu keeps priorities in lists named `<queue>\x06\x16<n>` beside the plain one
        keys = [q, *(k.decode() for k in r.scan_iter(match=f"{q}\x06\x16*", count=100))]
        depths: list[Any] = [r.llen(k) for k in keys]
        ages = [a for a in (_oldest_age(r, k, now) for k in keys) if a is not None]
        out.append(QueueState(name=q, depth=sum(int(n) for n in depths), oldest_seconds=max(ages) if ages else None))
    unacked: Any = r.hlen("unacked")
    return out, int(unacked)


def _task(info: dict[str, Any], now: float) -> RunningTask:
    """A running task as the console shows it: its name and which file (intake id) and page, never its
    arguments as such (they carry the file's name, which is personal data)."""
    args = info.get("args") or []
    job = args[0] if args and isinstance(args[0], dict) else {}
    inner = job.get("job") if isinstance(job.get("job"), dict) else job
    page = job.get("page", {}).get("page_no") if isinstance(job.get("page"), dict) else None
    started = info.get("time_start")
    return RunningTask(task=str(info.get("name") or info.get("type") or "?"), intake_id=inner.get("intake_id"),
                       page=page, seconds=max(0.0, now - float(started)) if started else None)


@lru_cache(maxsize=4)
def _control_app(redis_url: str) -> Celery:
    """A Celery app of the console's own for the broker it is given (the workers' app is configured for
    its process's broker once, at import)."""
    return Celery("sohoa-console", broker=redis_url, set_as_current=False,
                  broker_transport_options=app.conf.broker_transport_options)


def _inspect(redis_url: str, timeout: float) -> list[WorkerState]:
    control = _control_app(redis_url)
    with control.connection_for_read() as conn:
        conn.ensure_connection(max_retries=1, timeout=timeout)
    active = control.control.inspect(timeout=timeout).active() or {}
    now = time.time()
    return [WorkerState(name=name, running=[_task(t, now) for t in tasks]) for name, tasks in sorted(active.items())]


def workers(redis_url: str, timeout: float = INSPECT_SECONDS) -> tuple[list[WorkerState], float] | None:
    """The workers that answered and what each runs, with the age of that answer in seconds (0 when this
    inspection got it; more when a busy worker missed this one and its last answer is shown); None when no
    worker answered within KEEP_SECONDS."""
    global _running, _last, _answered
    with _LOCK:
        fresh = _last is not None and time.monotonic() - _last[0] < CACHE_SECONDS
        if not fresh and (_running is None or _running.done()):
            _running = _POOL.submit(_inspect, redis_url, timeout)
        fut = None if fresh else _running
    seen: list[WorkerState] = []
    if fut is not None:
        try:
            seen = fut.result(timeout=timeout + 0.5)
        except FutureTimeout:
            seen = []  # still asking; the next refresh may have the answer
        except Exception:
            seen = []  # broker unreachable: queue_states says why
        with _LOCK:
            _last = (time.monotonic(), seen)
            if seen:
                _answered = (time.monotonic(), seen)
    with _LOCK:
        if _answered is None:
            return None
        age = time.monotonic() - _answered[0]
        return (_answered[1], age) if age < KEEP_SECONDS else None


def broker(redis_url: str | None) -> Broker:
    if not redis_url:
        return Broker(reachable=False, error="no broker configured (SOHOA_REDIS_URL)")
    try:
        queues, unacked = queue_states(redis_url)
    except (redis.RedisError, OSError, ValueError) as e:
        return Broker(reachable=False, error=f"Redis: {describe(e)}")
    seen = workers(redis_url)
    return Broker(reachable=True, queues=queues, unacked=unacked, workers_answered=seen is not None,
                  workers=seen[0] if seen else [], workers_seen_seconds_ago=round(seen[1], 1) if seen else None)
