"""What the operator console reads from the database: files that failed or were held and are still in
quarantine (with stage, reason and traceback), files in progress, and throughput per minute. The broker
side (queues, workers) is workers/inspect.py's."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from pipeline.intake.operate import HELD
from pipeline.keep.models import FINAL, PENDING, QUARANTINED, Document, Intake, stored_utc
from schemas.console import FileProblem, Minute


def _problem(row: Intake) -> FileProblem:
    if row.state == QUARANTINED:
        actions = [] if not row.inbox_path else (["release"] if row.error_code == HELD else ["retry"])
    else:
        actions = ["hold"]
    return FileProblem(
        intake_id=row.id, unit=row.unit, role=row.role, name=row.original_name, inbox_path=row.inbox_path,
        state=row.state, stage=row.error_stage, code=row.error_code,
        reason=row.error_message if row.state == QUARANTINED else None, trace=row.error_trace,
        attempts=row.attempts or 0, received_at=row.received_at, finished_at=row.finished_at,
        queued_at=row.queued_at, released_at=row.released_at, actions=actions,
    )


def quarantined(session: Session, limit: int = 200) -> list[FileProblem]:
    """Files in quarantine that nobody has released yet, newest first."""
    q = (select(Intake).where(Intake.state == QUARANTINED, Intake.released_at.is_(None))
         .order_by(Intake.finished_at.desc(), Intake.id.desc()).limit(limit))
    return [_problem(r) for r in session.scalars(q)]


def in_progress(session: Session, limit: int = 200) -> list[FileProblem]:
    """Files claimed or queued, the longest waiting first: a stuck one is at the top."""
    q = select(Intake).where(Intake.state.in_(PENDING)).order_by(Intake.received_at, Intake.id).limit(limit)
    return [_problem(r) for r in session.scalars(q)]


def recent(session: Session, limit: int = 15) -> list[FileProblem]:
    """The files that ended last (stored, duplicate, quarantined): where a retried file is seen done."""
    q = (select(Intake).where(Intake.state.in_(FINAL), Intake.finished_at.is_not(None))
         .order_by(Intake.finished_at.desc(), Intake.id.desc()).limit(limit))
    return [_problem(r).model_copy(update={"actions": []}) for r in session.scalars(q)]


def _minute(t: datetime) -> datetime:
    return stored_utc(t).replace(second=0, microsecond=0)


def throughput(session: Session, hours: float = 3, now: datetime | None = None) -> list[Minute]:
    """Files ended and pages recorded per minute over the last `hours`, every minute present (0 when
    idle). Reads one index range of intake.finished_at and of document.created_at."""
    end = _minute(now or datetime.now(UTC)) + timedelta(minutes=1)
    start = end - timedelta(hours=hours)
    files = Counter(_minute(t) for t in session.scalars(
        select(Intake.finished_at).where(Intake.finished_at >= start, Intake.state.in_(FINAL))) if t is not None)
    pages: Counter[datetime] = Counter()
    for t, n in session.execute(select(Document.created_at, Document.pages).where(Document.created_at >= start)):
        pages[_minute(t)] += n
    out = []
    at = start
    while at < end:
        out.append(Minute(at=at, files=files.get(at, 0), pages=pages.get(at, 0)))
        at += timedelta(minutes=1)
    return out
