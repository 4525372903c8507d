"""Recovery after a crash or restart: spooled files without a row get one, claims that never
reached the queue and queued files that stalled are routed again, ended files are handed back."""

from __future__ import annotations

import json
import logging
from contextlib import suppress
from datetime import UTC, datetime

from sqlalchemy import select

from pipeline.config import Settings
from pipeline.intake.claim import Enqueue, get_intake, insert_row, route
from pipeline.intake.handback import hand_back
from pipeline.keep import db
from pipeline.keep.models import CLAIMED, FINAL, PENDING, QUEUED, Intake, stored_utc

log = logging.getLogger(__name__)


def adopt_spool(settings: Settings, enqueue: Enqueue) -> set[int]:
    """Spooled files that never got their row (a crash or a database error right after the rename) get
    it now and are routed; ended ones whose file was not yet handed back are handed back. Returns the
    ids of the rows written. Run by one watcher only: a claim in progress would look like an orphan."""
    settings.spool.mkdir(parents=True, exist_ok=True)
    adopted: set[int] = set()
    for sidecar in sorted(settings.spool.glob("*.json")):
        data = sidecar.with_suffix(".data")
        if not data.exists():
            sidecar.unlink(missing_ok=True)  # before the rename (still in the inbox) or after the hand-back
            continue
        with db.session_scope(settings.db_url) as s:
            row = s.scalar(select(Intake).where(Intake.spool_path == str(data)))
            if row is not None:
                s.expunge(row)
        if row is None:
            meta = json.loads(sidecar.read_text(encoding="utf-8"))
            row = insert_row(settings, meta, data)
            adopted.add(row.id)
            route(row.id, settings, enqueue)
        elif row.state in FINAL:
            hand_back(settings, row)  # ended, but the crash came before the file was handed back
    return adopted


def requeue_stuck(settings: Settings, enqueue: Enqueue, *, stalled: bool = False) -> int:
    """Claimed rows whose job could not be queued (Redis down), and queued ones that stalled (queued
    more than `stall_seconds` ago, no work seen in their work dir since; only with `stalled`, as it
    looks at every queued file): route them again."""
    now = datetime.now(UTC)
    with db.session_scope(settings.db_url) as s:
        stuck = list(s.scalars(select(Intake.id).where(Intake.state == CLAIMED).order_by(Intake.id)))
        queued = (
            s.execute(select(Intake.id, Intake.sha256, Intake.queued_at).where(Intake.state == QUEUED)).all()
            if stalled
            else []
        )
    for intake_id, sha, queued_at in queued:
        if queued_at is None:
            continue
        last = stored_utc(queued_at).timestamp()
        workdir = settings.work / sha
        with suppress(OSError):  # the work dir may be removed under us when the document is finished
            last = max(last, workdir.stat().st_mtime, *(p.stat().st_mtime for p in workdir.iterdir()))
        if now.timestamp() - last > settings.stall_seconds:
            log.warning("intake %s: queued at %s and nothing done since; queuing it again", intake_id, queued_at)
            stuck.append(intake_id)
    for intake_id in stuck:
        route(intake_id, settings, enqueue)
    return len(stuck)


def recover(settings: Settings, enqueue: Enqueue) -> int:
    """After a crash or restart: finish every claim that was under way. Returns how many were requeued."""
    adopted = adopt_spool(settings, enqueue)
    with db.session_scope(settings.db_url) as s:
        pending = list(s.scalars(select(Intake.id).where(Intake.state.in_(PENDING)).order_by(Intake.id)))
    n = 0
    for intake_id in pending:
        row = get_intake(settings, intake_id) if intake_id in adopted else route(intake_id, settings, enqueue)
        n += row.state == QUEUED
    return n
