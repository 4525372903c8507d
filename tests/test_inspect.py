"""The broker side of the operator console (workers/inspect.py) against a real Redis: queue depths and the
age of each queue's oldest message, and an inspection that comes back (empty) when no worker answers or
when the broker is gone, instead of hanging the page."""

from __future__ import annotations

import time

import pytest
from kombu import Connection

from tests.conftest import RedisServer, free_port
from workers import inspect
from workers.app import app


@pytest.mark.timeout(30)
def test_queue_depths_and_oldest_age_with_no_worker(redis_server: RedisServer) -> None:
    with Connection(redis_server.url) as conn:
        producer = app.amqp.Producer(conn)
        for i in range(3):
            app.send_task("sohoa.ocr_page", args=[{"job": {"intake_id": i}}, 1], queue="ocr", producer=producer)
        time.sleep(1.1)
        app.send_task("sohoa.ingest", args=[{"intake_id": 9}], queue="ingest", producer=producer)
    queues, unacked = inspect.queue_states(redis_server.url)
    by = {q.name: q for q in queues}
    assert (by["ocr"].depth, by["ingest"].depth, by["post"].depth, unacked) == (3, 1, 0, 0)
    assert by["ocr"].oldest_seconds is not None and by["ingest"].oldest_seconds is not None
    assert by["ocr"].oldest_seconds > by["ingest"].oldest_seconds  # the ocr queue's head waited longer
    assert by["post"].oldest_seconds is None
    seen = inspect.broker(redis_server.url)  # nobody consumes: the inspection times out, the rest is there
    assert seen.reachable and not seen.workers_answered and seen.workers == []
    assert [q.depth for q in seen.queues] == [1, 3, 0]


@pytest.mark.timeout(30)
def test_a_broker_that_is_gone_is_said_so() -> None:
    gone = inspect.broker(f"redis://127.0.0.1:{free_port()}/0")
    assert not gone.reachable and gone.error and "Redis" in gone.error
    assert not inspect.broker(None).reachable


def test_a_running_task_is_shown_without_its_arguments() -> None:
    job = {"job": {"intake_id": 7, "original_name": "Nguyễn Văn A.pdf"}, "page": {"page_no": 3}}
    t = inspect._task({"name": "sohoa.ocr_page", "time_start": time.time() - 5, "args": [job, 4]}, time.time())
    assert (t.task, t.intake_id, t.page) == ("sohoa.ocr_page", 7, 3) and t.seconds is not None and t.seconds >= 5
    assert "Nguyễn" not in t.model_dump_json()
