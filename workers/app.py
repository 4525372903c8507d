"""The Celery app: broker, queues, routing and the reliability settings of DESIGN.md."""

from __future__ import annotations

import os
import time
from typing import Any

from celery import Celery
from celery.signals import before_task_publish, worker_process_init, worker_ready
from kombu import Exchange, Queue

from pipeline.config import get_settings
from pipeline.redis_client import client_url

DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
QUEUES = ("ingest", "ocr", "post")
# Longer than the longest task: a task not acked by then is handed to another worker.
VISIBILITY_TIMEOUT = 4 * 3600


def broker_url() -> str:
    return get_settings().redis_url or os.environ.get("CELERY_BROKER_URL", DEFAULT_REDIS)


redis_client_url = client_url  # the name modules imported it by before pipeline/redis_client.py


app = Celery("sohoa", include=["workers.tasks"])
app.conf.update(
    broker_url=broker_url(),
    result_backend=broker_url(),
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    # One direct exchange per queue: queues sharing the default exchange and key would each get a copy.
    task_queues=[Queue(q, Exchange(q, type="direct"), routing_key=q) for q in QUEUES],
    task_default_queue="ingest",
    task_default_exchange="ingest",
    task_default_routing_key="ingest",
    task_routes={
        "sohoa.ingest": {"queue": "ingest"},
        "sohoa.ocr_page": {"queue": "ocr"},
        "sohoa.finish": {"queue": "post"},
    },
    # Nothing reads a task's return value (finish is joined on the work dir, Flower reads events): storing
    # it was one more Redis write per task, and one that fails after the work is done when Redis restarts.
    task_ignore_result=True,
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    broker_transport_options={"visibility_timeout": VISIBILITY_TIMEOUT},
    result_backend_transport_options={"visibility_timeout": VISIBILITY_TIMEOUT},
    result_expires=7 * 24 * 3600,
    broker_connection_retry_on_startup=True,
    worker_send_task_events=True,
    task_send_sent_event=True,
    worker_hijack_root_logger=False,
    # Untrusted bytes are read in each worker process's own rlimited child (pipeline/isolate.py); a
    # worker process that still grew past this (KB) is replaced after its task.
    worker_max_memory_per_child=1024 * 1024,
)


SENT_AT = "sohoa_sent_at"


@before_task_publish.connect
def _stamp(headers: dict[str, Any] | None = None, **_: Any) -> None:
    """When each message was published: the operator console reads the age of a queue's oldest one."""
    if headers is not None:
        headers[SENT_AT] = time.time()


@worker_ready.connect
def _watch_for_orphans(sender: Any = None, **_: Any) -> None:
    """Tasks of a worker that was killed outright are queued again now, not after the visibility timeout."""
    from workers.recovery import start_orphan_watch

    start_orphan_watch(app, get_settings().orphan_check_seconds)


@worker_process_init.connect
def _limit_memory(**_: Any) -> None:
    """A worker process itself gets the children's address-space limit too: what escapes isolation (a
    bug that decodes in the worker) fails with a MemoryError instead of taking the machine's memory."""
    import resource

    limit = get_settings().child_memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
