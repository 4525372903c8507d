"""Give back the tasks of a worker that died without a word.

With late acks on Redis, a delivered message sits in the `unacked` hash until it is acked. A worker
that stops cleanly puts its unacked messages back, and a pool child that dies is rejected and
requeued by its parent (`task_reject_on_worker_lost`). But when the whole worker is killed (SIGKILL,
OOM killer, power loss) nobody does: kombu puts the message back only once the visibility timeout
has passed, and that timeout must be longer than the longest task (hours). So each worker looks,
at start and then every `orphan_check_seconds`, for unacked messages that no live worker holds
(asking every worker for its active, reserved and scheduled tasks) and queues them again with
kombu's own restore. Tasks are idempotent, so the rare wrong guess costs work, not correctness.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from typing import Any

from celery import Celery

log = logging.getLogger(__name__)
# A message delivered this recently may not yet show in its worker's reserved list.
MIN_AGE = 10.0


def _live_task_ids(app: Celery, connection: Any, timeout: float) -> set[str]:
    insp = app.control.inspect(timeout=timeout, connection=connection)
    ids: set[str] = set()
    for reply in (insp.active(), insp.reserved(), insp.scheduled()):
        for tasks in (reply or {}).values():
            for t in tasks:
                req = t.get("request", t)  # scheduled() wraps the request
                if req.get("id"):
                    ids.add(str(req["id"]))
    return ids


def restore_orphans(app: Celery, *, min_age: float = MIN_AGE, timeout: float = 2.0) -> int:
    """Queue again every unacked message older than `min_age` that no live worker holds."""
    with app.connection_for_write() as conn:
        if conn.transport.driver_type != "redis":
            return 0
        channel = conn.default_channel
        client = channel.client
        tags = client.zrange(channel.unacked_index_key, 0, time.time() - min_age, byscore=True)
        if not tags:
            return 0
        live = _live_task_ids(app, conn, timeout)
        restored = 0
        for tag in tags:
            raw = client.hget(channel.unacked_key, tag)
            if raw is None:
                continue  # acked meanwhile
            message = json.loads(raw)[0]
            task_id = (message.get("headers") or {}).get("id") or message.get("properties", {}).get("correlation_id")
            if task_id in live:
                continue
            channel.qos.restore_by_tag(tag, client)
            restored += 1
            log.warning("task %s was held by a worker that is gone; queued again", task_id)
        return restored


def start_orphan_watch(app: Celery, interval: float, *, first_delay: float = 2.0) -> threading.Thread:
    """A daemon thread in the worker's main process: restore orphans now and every `interval` s."""

    def loop() -> None:
        delay = first_delay
        while True:
            time.sleep(delay)
            delay = interval
            try:
                restore_orphans(app)
            except Exception:
                log.exception("could not look for orphaned tasks; will try again in %.0f s", interval)

    thread = threading.Thread(target=loop, name="sohoa-orphans", daemon=True)
    thread.start()
    return thread
