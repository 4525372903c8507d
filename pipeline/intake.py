"""Intake: claim a stable inbox file into the spool, record it, and route it (new, duplicate, quarantine).

Order matters for crash safety: a sidecar describing the file is written first, then the file is
renamed into the spool (atomic), then the intake row is written, then the job is queued. Recovery
(`recover`) can finish from any point: a sidecar without its file is dropped, a spool file without
a row gets its row, a row not yet finished is queued again (tasks are idempotent by content hash).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import select

from pipeline import db
from pipeline.config import ROLE_FOLDERS, Settings
from pipeline.errors import PipelineError
from pipeline.identity import doc_id_for, sha256_file
from pipeline.models import CLAIMED, DONE, DUPLICATE, QUARANTINED, QUEUED, Document, Intake
from schemas.tasks import IngestJob

log = logging.getLogger(__name__)

Enqueue = Callable[[IngestJob], None]
PLACE_PROBLEMS = {
    "unknown_unit": "the file is not inside inbox/<unit code>/<role>/",
    "unknown_role": "the role folder is not thanh-phan, ket-qua-xu-ly or ket-qua",
}


class InboxPlace(NamedTuple):
    """What a file's place in `inbox/<unit>/<role>/[tags/]name` says about it."""

    unit: str | None
    role: str | None
    tag: str | None
    problem: str | None  # error code when the place is wrong


def place_of(path: Path, inbox: Path) -> InboxPlace:
    from pipeline.vn.codes import parse_unit_code

    parts = path.relative_to(inbox).parts
    if len(parts) < 3:
        return InboxPlace(None, None, None, "unknown_unit" if len(parts) < 2 else "unknown_role")
    unit = parse_unit_code(parts[0])
    role = ROLE_FOLDERS.get(parts[1].lower())
    tag = "/".join(parts[2:-1]) or None
    if unit is None:
        return InboxPlace(None, role, tag, "unknown_unit")
    if role is None:
        return InboxPlace(unit, None, tag, "unknown_role")
    return InboxPlace(unit, role, tag, None)


def _move(src: Path, dst: Path) -> None:
    """Atomic within one file system; across file systems (a network share) copy, sync, then rename."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.rename(src, dst)
    except OSError:
        tmp = dst.with_name(dst.name + ".part")
        shutil.copyfile(src, tmp)
        with tmp.open("rb") as f:
            os.fsync(f.fileno())
        os.rename(tmp, dst)
        src.unlink()


def claim(path: Path, settings: Settings, enqueue: Enqueue, *, place: InboxPlace | None = None) -> Intake:
    """Take a stable inbox file: into the spool, into the database, onto the queue (or into quarantine)."""
    place = place or place_of(path, settings.inbox)
    size = path.stat().st_size
    sha = sha256_file(path)
    spool_id = uuid.uuid4().hex
    sidecar = settings.spool / f"{spool_id}.json"
    spooled = settings.spool / f"{spool_id}.data"
    received = datetime.now(UTC)
    meta = {
        "name": path.name,
        "unit": place.unit,
        "role": place.role,
        "tag": place.tag,
        "sha256": sha,
        "size": size,
        "received_at": received.isoformat(),
        "problem": place.problem,
    }
    settings.spool.mkdir(parents=True, exist_ok=True)
    sidecar.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    _move(path, spooled)
    row = _insert_row(settings, meta, spooled)
    return route(row.id, settings, enqueue)


def _insert_row(settings: Settings, meta: dict[str, object], spooled: Path) -> Intake:
    with db.session_scope(settings.db_url) as s:
        row = Intake(
            sha256=str(meta["sha256"]),
            unit=meta.get("unit"),
            role=meta.get("role"),
            tag=meta.get("tag"),
            original_name=str(meta["name"]),
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


def route(intake_id: int, settings: Settings, enqueue: Enqueue) -> Intake:
    """Decide what becomes of a claimed file: quarantine, duplicate, or a job."""
    with db.session_scope(settings.db_url) as s:
        row = s.get(Intake, intake_id)
        assert row is not None, intake_id
        s.expunge(row)
    if row.state not in (CLAIMED, QUEUED):
        return row
    if row.error_code in PLACE_PROBLEMS:
        reason = PLACE_PROBLEMS[row.error_code]
        return quarantine(row.id, settings, PipelineError(row.error_code, reason, source=row.original_name))
    with db.session_scope(settings.db_url) as s:
        row = s.get(Intake, intake_id)
        assert row is not None
        existing = s.scalar(select(Document.id).where(Document.sha256 == row.sha256))
        first = s.scalar(
            select(Intake.id)
            .where(Intake.sha256 == row.sha256, Intake.state.in_((CLAIMED, QUEUED)), Intake.id != row.id)
            .order_by(Intake.id)
            .limit(1)
        )
        if existing is not None or (first is not None and first < row.id):
            # Same content as a stored document, or as an earlier file still being processed: link, don't redo.
            row.state = DUPLICATE
            row.document_id = existing
            row.finished_at = datetime.now(UTC)
            spool = row.spool_path
            row.spool_path = None
            s.flush()
            s.expunge(row)
        else:
            spool = None
            s.expunge(row)
    if row.state == DUPLICATE:
        if spool:
            _release(Path(spool))  # only once the row saying so is committed
        log.info("duplicate: %s has the content of document %s", row.original_name, doc_id_for(row.sha256))
        return row
    job = job_for(row)
    enqueue(job)
    with db.session_scope(settings.db_url) as s:
        fresh = s.get(Intake, intake_id)
        assert fresh is not None
        if fresh.state == CLAIMED:
            fresh.state = QUEUED
        s.flush()
        s.expunge(fresh)
    return fresh


def _release(spooled: Path) -> None:
    spooled.unlink(missing_ok=True)
    spooled.with_suffix(".json").unlink(missing_ok=True)


def complete(sha256: str, settings: Settings, document_id: str) -> None:
    """The document is stored and verified: finish every intake of this content, free the spool."""
    spools = []
    with db.session_scope(settings.db_url) as s:
        for row in s.scalars(select(Intake).where(Intake.sha256 == sha256, Intake.state.in_((CLAIMED, QUEUED)))):
            row.state = DONE
            row.document_id = document_id
            row.finished_at = datetime.now(UTC)
            if row.spool_path:
                spools.append(Path(row.spool_path))
            row.spool_path = None
        for dup in s.scalars(
            select(Intake).where(Intake.sha256 == sha256, Intake.state == DUPLICATE, Intake.document_id.is_(None))
        ):
            dup.document_id = document_id
    for p in spools:
        _release(p)


def quarantine(intake_id: int, settings: Settings, error: PipelineError) -> Intake:
    """Move the file to quarantine with a note the clerk can read, and record why."""
    with db.session_scope(settings.db_url) as s:
        row = s.get(Intake, intake_id)
        assert row is not None
        unit = row.unit or "_"
        dest_dir = settings.quarantine / unit / (row.role or "_").replace("_", "-")
        dest = _free_name(dest_dir / row.original_name)
        if row.spool_path and Path(row.spool_path).exists():
            _move(Path(row.spool_path), dest)
            Path(row.spool_path).with_suffix(".json").unlink(missing_ok=True)
        note = dest.with_name(dest.name + ".loi.txt")
        role_folder = (row.role or "thanh_phan").replace("_", "-")
        note.write_text(
            f"Tệp: {row.original_name}\nLỗi: {error.message_vi}\n\n"
            f"Chi tiết kỹ thuật ({error.code}): {error.message}\n"
            f"Để thử lại: sửa tệp rồi đặt lại vào thư mục inbox/{unit}/{role_folder}/.\n",
            encoding="utf-8",
        )
        row.state = QUARANTINED
        row.error_code = error.code
        row.error_message = error.message
        row.spool_path = None
        row.finished_at = datetime.now(UTC)
        s.flush()
        s.expunge(row)
    log.warning("quarantined %s: %s (%s)", row.original_name, error.message, error.code)
    return row


def _free_name(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        return path
    for i in range(1, 10_000):
        cand = path.with_name(f"{path.stem} ({i}){path.suffix}")
        if not cand.exists():
            return cand
    raise PipelineError("internal_error", "no free name in quarantine", source=str(path))


def recover(settings: Settings, enqueue: Enqueue) -> int:
    """After a crash or restart: finish every claim that was under way. Returns how many were requeued."""
    settings.spool.mkdir(parents=True, exist_ok=True)
    with db.session_scope(settings.db_url) as s:
        known = {r for r in s.scalars(select(Intake.spool_path).where(Intake.spool_path.is_not(None)))}
    for sidecar in settings.spool.glob("*.json"):
        data = sidecar.with_suffix(".data")
        if not data.exists():
            sidecar.unlink(missing_ok=True)  # crashed before the rename: the file is still in the inbox
        elif str(data) not in known:
            meta = json.loads(sidecar.read_text(encoding="utf-8"))
            _insert_row(settings, meta, data)
    n = 0
    with db.session_scope(settings.db_url) as s:
        pending = list(s.scalars(select(Intake.id).where(Intake.state.in_((CLAIMED, QUEUED))).order_by(Intake.id)))
    for intake_id in pending:
        row = route(intake_id, settings, enqueue)
        n += row.state == QUEUED
    return n


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
    `sohoa status` counts it like any other."""
    now = datetime.now(UTC)
    state = QUARANTINED if error else (DUPLICATE if duplicate else DONE)
    with db.session_scope(settings.db_url) as s:
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
