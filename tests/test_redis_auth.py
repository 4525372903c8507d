"""Redis with a password, as compose runs it (`--requirepass`, the password in every broker URL):
each Redis client of the program works with the password and is refused without it; the worker takes
JSON tasks only, a pickled message is refused unread."""

from __future__ import annotations

import pickle
import time
from pathlib import Path

import pytest
from prometheus_client import generate_latest
from prometheus_client.core import CollectorRegistry

from pipeline.config import Settings
from pipeline.index import stagestats
from pipeline.keep import db
from pipeline.redis_client import connect, masked
from tests.conftest import RedisServer
from tests.test_faults import Cluster, digital_pdf


def test_clients_work_with_the_password_and_are_refused_without(
    redis_auth_server: RedisServer, settings: Settings
) -> None:
    from sohoa.services import redis_alive
    from workers.inspect import broker

    good, bare = redis_auth_server.url, redis_auth_server.url_without_password
    assert ":" in good.split("@")[0].removeprefix("redis://")
    # The embedded default's "is a Redis there?" check.
    assert redis_alive(good) and not redis_alive(bare)
    # The operator console's queue reads.
    connect(good).rpush("ocr", b"{}")
    b = broker(good)
    assert b.reachable, b.error
    assert {q.name: q.depth for q in b.queues}["ocr"] == 1
    refused = broker(bare)
    assert not refused.reachable and "wrong or missing password" in (refused.error or "")
    assert "SOHOA_REDIS_URL" in (refused.error or "")
    # The workers' stage timings and /metrics' queue depths.
    stagestats.observe(connect(good), "ocr", 1.5)
    assert {h.stage: h.total for h in stagestats.read(connect(good))}["ocr"] == 1.5
    db.migrate(settings.db_url)
    assert _queue_depth(settings.model_copy(update={"redis_url": good}), "ocr") == 1.0
    assert _queue_depth(settings.model_copy(update={"redis_url": bare}), "ocr") is None


def _queue_depth(settings: Settings, queue: str) -> float | None:
    from pipeline.index.prom import SohoaCollector

    registry = CollectorRegistry()
    registry.register(SohoaCollector(settings))
    for line in generate_latest(registry).decode().splitlines():
        if line.startswith(f'sohoa_queue_depth{{queue="{queue}"}}'):
            return float(line.split()[-1])
    return None


def test_masked_hides_the_password() -> None:
    assert masked("redis://:s3cret@redis:6379/0") == "redis://:***@redis:6379/0"
    assert masked("postgresql+psycopg://sohoa:pw@postgres:5432/sohoa") == "postgresql+psycopg://sohoa:***@postgres:5432/sohoa"
    assert masked("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"
    assert masked("redis+socket:///tmp/r.sock") == "redis+socket:///tmp/r.sock"


class _Exploit:
    """What a pickled message could do to a worker that unpickled it: here, only make a file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (str(self.path), "w"))


def refused(cluster: Cluster, name: str) -> bool:
    """The log says Redis refused it: kombu's words, or redis-py's error (which, speaking RESP3, gets
    'HELLO must be called with the client already authenticated' instead of NOAUTH)."""
    return any(cluster.log_has(name, words) for words in ("Authentication required", "AuthenticationError"))


@pytest.mark.slow
def test_worker_and_watcher_with_the_password_and_pickle_refused(
    settings: Settings, redis_auth_server: RedisServer, tmp_path: Path
) -> None:
    from kombu import Connection, Exchange, Producer

    db.migrate(settings.db_url)
    logs = tmp_path / "logs"
    logs.mkdir()
    good = Cluster(settings, redis_auth_server.url, logs)
    bare_logs = tmp_path / "bare-logs"
    bare_logs.mkdir()
    bare = Cluster(settings, redis_auth_server.url_without_password, bare_logs)
    try:
        # Without the password the worker never gets a task and the watcher cannot queue the file it
        # claims: both say why and keep trying (the file waits in the spool).
        bare.worker()
        bare.watcher()
        good.drop("H50/ket-qua/auth.pdf", digital_pdf(tmp_path, 1))
        bare.wait(lambda: refused(bare, "worker"), 60, "the worker's refusal")
        bare.wait(lambda: refused(bare, "watch"), 60, "the watcher's refusal")
        bare.stop()
        assert good.finished() == 0

        good.worker()
        good.wait(lambda: good.log_has("worker", "ready."), 60, "the worker to be ready")
        # A pickled task on the ingest queue, as someone able to write to the broker could send.
        pwned = tmp_path / "unpickled"
        with Connection(redis_auth_server.url) as conn:
            Producer(conn).publish(
                ((_Exploit(pwned),), {}, {}), exchange=Exchange("ingest", type="direct"), routing_key="ingest",
                serializer="pickle", headers={"task": "sohoa.ingest", "id": "pickled-1", "lang": "py"},
            )
        assert pickle.dumps(_Exploit(pwned))  # the payload is a real pickle, not a dud
        good.wait(lambda: good.log_has("worker", "Refusing to deserialize"), 60, "the pickle to be refused")
        time.sleep(1)
        assert not pwned.exists(), "the worker unpickled the message"
        assert connect(redis_auth_server.url).llen("ingest") == 0, "the refused message is not left queued"

        # With the password, the file claimed while it was missing goes all the way, once.
        good.watcher()
        r = good.wait_settled(120)
        assert r.stored == 1 and not r.double
        assert not refused(good, "worker") and not refused(good, "watch")
    finally:
        good.stop()
        bare.stop()


def test_celery_speaks_json_only() -> None:
    from workers.app import app

    conf = app.conf
    assert list(conf.accept_content) == ["json"]
    assert conf.task_serializer == conf.result_serializer == conf.event_serializer == "json"
    # Results are read with the same list unless one of their own is given.
    assert conf.result_accept_content in (None, ["json"])
