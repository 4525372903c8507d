"""Intake: claim a stable inbox file into the spool, record it, route it (new, duplicate, quarantine)
and tell the clerk how it ended.

Order matters for crash safety: a sidecar describing the file is written first, then the file is
renamed into the spool (atomic), then the intake row is written, then the job is queued. When a file
ends (stored, duplicate, quarantined) its row is committed in its final state *first*, and only then
is the spool copy handed back to the clerk (`done/<yyyy-mm-dd>/`, or `quarantine/<inbox path>` with
a `.loi.txt`). Recovery (`recover`) can finish from any point: a sidecar without its file is dropped,
a spool file without a row gets its row, a row not yet finished is queued again (tasks are idempotent
by content hash), and a finished row whose spool copy is still there is handed back again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from pipeline.config import Settings
from pipeline.errors import PipelineError
from pipeline.identity import doc_id_for, sha256_file
from pipeline.index.dossiers import SPOOL_KEY, link_same_content, read_sidecar, remove_sidecar
from pipeline.intake.handback import hand_back, move_file, note_path
from pipeline.intake.place import PLACE_PROBLEMS, InboxPlace, place_for
from pipeline.keep import db
from pipeline.keep.models import CLAIMED, DONE, DUPLICATE, FINAL, PENDING, QUARANTINED, QUEUED, Document, Intake
from schemas.tasks import IngestJob

log = logging.getLogger(__name__)
Enqueue = Callable[[IngestJob], None]


# --- units ---------------------------------------------------------------------------------------
# The `unit` table belongs to the unit list (`sohoa units import`); intake only reads its codes and,
# with SOHOA_AUTO_UNITS=1, adds the ones it meets. Reflected rather than imported so intake works
# before, and independently of, that table's model.


# --- claim ---------------------------------------------------------------------------------------


def claim(path: Path, settings: Settings, enqueue: Enqueue, *, place: InboxPlace | None = None) -> Intake:
    """Take a stable inbox file: into the spool, into the database, onto the queue (or into quarantine)."""
    place = place or place_for(path, settings)
    if path.is_symlink():
        # Never followed (it may point at another unit's files or out of the inbox): the link itself is
        # moved to quarantine; its "content" is where it points.
        place = place._replace(problem="symlink")
        size, sha = 0, hashlib.sha256(b"symlink:" + os.fsencode(os.readlink(path))).hexdigest()
    else:
        size = path.stat().st_size
        sha = sha256_file(path)
    spool_id = uuid.uuid4().hex
    sidecar = settings.spool / f"{spool_id}.json"
    spooled = settings.spool / f"{spool_id}.data"
    received = datetime.now(UTC)
    rel = path.relative_to(settings.inbox).as_posix()
    meta: dict[str, object] = {
        "name": path.name,
        "inbox_path": rel,
        "unit": place.unit,
        "role": place.role,
        "tag": place.tag,
        "sha256": sha,
        "size": size,
        "received_at": received.isoformat(),
        "problem": place.problem,
        # the clerk's <file>.json: dossier and procedure codes
        SPOOL_KEY: None if path.is_symlink() else read_sidecar(path),
    }
    settings.spool.mkdir(parents=True, exist_ok=True)
    sidecar.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    move_file(path, spooled)
    remove_sidecar(path)  # consumed: its content travels in the spool description
    _clear_old_note(settings, rel)
    row = insert_row(settings, meta, spooled)
    supersede(settings, rel, sha, row.id)
    return route(row.id, settings, enqueue)


def _clear_old_note(settings: Settings, rel: str) -> None:
    """The clerk moved a quarantined file back to retry it: its old note no longer applies."""
    old = settings.quarantine / rel
    if not old.exists():
        note_path(old).unlink(missing_ok=True)


def supersede(settings: Settings, rel: str, sha256: str, by_intake: int) -> None:
    """The same file, back at the same place in the inbox (the clerk moved it, or an operator released
    it): its quarantined intakes are superseded by the new one and leave the console's list."""
    with db.session_scope(settings.db_url) as s:
        s.execute(
            update(Intake)
            .where(Intake.inbox_path == rel, Intake.sha256 == sha256, Intake.state == QUARANTINED,
                   Intake.released_at.is_(None), Intake.id < by_intake)
            .values(released_at=datetime.now(UTC), released_by="inbox")
        )


def insert_row(settings: Settings, meta: dict[str, object], spooled: Path) -> Intake:
    with db.session_scope(settings.db_url) as s:
        row = Intake(
            sha256=str(meta["sha256"]),
            unit=meta.get("unit"),
            role=meta.get("role"),
            tag=meta.get("tag"),
            original_name=str(meta["name"]),
            inbox_path=meta.get("inbox_path"),
            size=int(meta["size"]),  # type: ignore[call-overload]
            spool_path=str(spooled),
            state=CLAIMED,
            received_at=datetime.fromisoformat(str(meta["received_at"])),
            error_code=meta.get("problem"),  # type: ignore[arg-type]
        )
        s.add(row)
        s.flush()
        s.expunge(row)
    return row


def job_for(row: Intake) -> IngestJob:
    return IngestJob(
        intake_id=row.id,
        sha256=row.sha256,
        path=str(row.spool_path),
        original_name=row.original_name,
        unit=row.unit,
        role=row.role,  # type: ignore[arg-type]
        received_at=row.received_at,
    )


def get_intake(settings: Settings, intake_id: int) -> Intake:
    with db.session_scope(settings.db_url) as s:
        row = s.get(Intake, intake_id)
        if row is None:
            raise PipelineError("internal_error", f"no intake row {intake_id}")
        s.expunge(row)
    return row


def _end(s: Session, intake_id: int, state: str, **values: object) -> bool:
    """Move a pending row to a final state, only if it is still pending, in one statement.

    Watcher and workers race to end a row (a fast worker may store a file before the watcher has
    recorded it as queued); a read-then-write would let the later writer undo the earlier end."""
    done = s.execute(
        update(Intake)
        .where(Intake.id == intake_id, Intake.state.in_(PENDING))
        .values(state=state, finished_at=datetime.now(UTC), **values)
    )
    return bool(done.rowcount)  # type: ignore[attr-defined]


def is_pending(settings: Settings, intake_id: int) -> bool:
    """Still to be digitised (a task redelivered after the file ended has nothing to do)."""
    with db.session_scope(settings.db_url) as s:
        return s.scalar(select(Intake.state).where(Intake.id == intake_id)) in PENDING


def route(intake_id: int, settings: Settings, enqueue: Enqueue) -> Intake:
    """Decide what becomes of a claimed file: quarantine, duplicate, or a job."""
    row = get_intake(settings, intake_id)
    if row.state not in PENDING:
        return row
    if row.error_code in PLACE_PROBLEMS:
        reason = PLACE_PROBLEMS[row.error_code]
        return quarantine(row.id, settings, PipelineError(row.error_code, reason, source=row.inbox_path,
                                                          stage="intake"))
    with db.session_scope(settings.db_url) as s:
        fresh = s.get(Intake, intake_id)
        assert fresh is not None
        existing = s.scalar(select(Document.id).where(  # the file stored whole, or split into documents
            or_(Document.sha256 == fresh.sha256, Document.source_sha256 == fresh.sha256)).limit(1))
        first = s.scalar(
            select(Intake.id)
            .where(Intake.sha256 == fresh.sha256, Intake.state.in_(PENDING), Intake.id != fresh.id)
            .order_by(Intake.id)
            .limit(1)
        )
        s.expunge(fresh)
        if existing is not None or (first is not None and first < fresh.id):
            # Same content as a stored document, or as an earlier file still being processed: link, don't redo.
            _end(s, intake_id, DUPLICATE, document_id=existing)
    row = get_intake(settings, intake_id)
    if row.state == DUPLICATE:
        log.info("duplicate: %s has the content of document %s", row.original_name, doc_id_for(row.sha256))
        if row.spool_path:  # dropped for another dossier: that dossier reuses the stored copy
            link_same_content(settings.db_url, row.sha256, Path(row.spool_path), row.original_name, row.role)
        hand_back(settings, row)  # only once the row saying so is committed
        return row
    if row.state not in PENDING:
        return row  # ended meanwhile (a worker finished an earlier delivery of it)
    enqueue(job_for(row))
    with db.session_scope(settings.db_url) as s:
        # Compare-and-set in one statement: a fast worker may already have finished the file between
        # the enqueue and this update, and a read-then-write here would put DONE back to QUEUED.
        s.execute(
            update(Intake)
            .where(Intake.id == intake_id, Intake.state.in_(PENDING))
            .values(state=QUEUED, queued_at=datetime.now(UTC), attempts=func.coalesce(Intake.attempts, 0) + 1)
        )
    return get_intake(settings, intake_id)


def complete(sha256: str, settings: Settings, document_id: str) -> int:
    """The document is stored and verified: finish every intake of this content, hand the files back.
    Returns how many intakes this call ended (0 when a concurrent delivery ended them first)."""
    with db.session_scope(settings.db_url) as s:
        pending = list(s.scalars(select(Intake.id).where(Intake.sha256 == sha256, Intake.state.in_(PENDING))))
        ended = [i for i in pending if _end(s, i, DONE, document_id=document_id)]
        s.execute(
            update(Intake)
            .where(Intake.sha256 == sha256, Intake.state == DUPLICATE, Intake.document_id.is_(None))
            .values(document_id=document_id)
        )
    for intake_id in ended:
        hand_back(settings, get_intake(settings, intake_id))
    return len(ended)


def quarantine(intake_id: int, settings: Settings, error: PipelineError) -> Intake:
    """Record why the file cannot be digitised (and at which stage, with the traceback of an unexpected
    error), then move it to quarantine with a note the clerk can read. A file that already ended (stored
    by a concurrent delivery, say) is left as it is."""
    with db.session_scope(settings.db_url) as s:
        ended = _end(s, intake_id, QUARANTINED, error_code=error.code, error_message=error.message,
                     error_stage=error.stage, error_trace=error.trace)
    row = get_intake(settings, intake_id)
    if not ended:
        return row
    log.warning("quarantined %s: %s (%s)", row.inbox_path or row.original_name, error.message, error.code)
    hand_back(settings, row)
    return row


# --- telling the clerk ---------------------------------------------------------------------------


# --- recovery ------------------------------------------------------------------------------------


def record_direct(
    settings: Settings,
    path: Path,
    sha256: str,
    *,
    unit: str | None,
    role: str | None,
    document_id: str | None = None,
    duplicate: bool = False,
    error: PipelineError | None = None,
) -> None:
    """An intake row for a file given straight to `sohoa process` (no inbox, no spool), so that
    `sohoa status` counts it like any other. Running `sohoa process` again over a file it has already
    seen (same content, same name) receives nothing new: the file was counted the first time."""
    now = datetime.now(UTC)
    state = QUARANTINED if error else (DUPLICATE if duplicate else DONE)
    with db.session_scope(settings.db_url) as s:
        seen = s.scalar(
            select(Intake.id).where(
                Intake.sha256 == sha256, Intake.original_name == path.name, Intake.state.in_(FINAL)
            ).limit(1)
        )
        if seen is not None and (duplicate or error is not None):
            return
        s.add(
            Intake(
                sha256=sha256,
                unit=unit,
                role=role,
                original_name=path.name,
                size=path.stat().st_size,
                state=state,
                document_id=document_id,
                error_code=error.code if error else None,
                error_message=error.message if error else None,
                received_at=now,
                finished_at=now,
            )
        )


