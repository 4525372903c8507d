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

import json
import logging
import os
import shutil
import uuid
from collections.abc import Callable
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import func, inspect, or_, select, update
from sqlalchemy.orm import Session

from pipeline import db
from pipeline.config import ROLE_FOLDERS, Settings
from pipeline.dossiers import SPOOL_KEY, link_same_content, read_sidecar, sidecar_path
from pipeline.errors import PipelineError
from pipeline.identity import doc_id_for, sha256_file
from pipeline.models import CLAIMED, DONE, DUPLICATE, QUARANTINED, QUEUED, Document, Intake, stored_utc
from schemas.tasks import IngestJob

log = logging.getLogger(__name__)

Enqueue = Callable[[IngestJob], None]
PENDING = (CLAIMED, QUEUED)
FINAL = (DONE, DUPLICATE, QUARANTINED)
PLACE_PROBLEMS = {
    "unknown_unit": "the file is not inside inbox/<unit code>/<role>/",
    "unknown_role": "the role folder is not thanh-phan, ket-qua-xu-ly or ket-qua",
    "unregistered_unit": "the unit folder is not a unit of the unit list (sohoa units import)",
}
NOTE_SUFFIX = ".loi.txt"
DUPLICATE_SUFFIX = ".trung-lap.txt"


class InboxPlace(NamedTuple):
    """What a file's place in `inbox/<unit>/<role>/[tags/]name` says about it."""

    unit: str | None
    role: str | None
    tag: str | None
    problem: str | None  # error code when the place is wrong


def place_of(path: Path, inbox: Path, units: set[str] | None = None) -> InboxPlace:
    """Unit, role and tag from the folders; `units` (when a unit list exists) restricts the unit."""
    from pipeline.vn.codes import parse_unit_code

    parts = path.relative_to(inbox).parts
    if len(parts) < 3:
        return InboxPlace(None, None, None, "unknown_unit" if len(parts) < 2 else "unknown_role")
    unit = parse_unit_code(parts[0])
    role = ROLE_FOLDERS.get(parts[1].lower())
    tag = "/".join(parts[2:-1]) or None
    if unit is None:
        return InboxPlace(None, role, tag, "unknown_unit")
    if units is not None and unit not in units:
        return InboxPlace(unit, role, tag, "unregistered_unit")
    if role is None:
        return InboxPlace(unit, None, tag, "unknown_role")
    return InboxPlace(unit, role, tag, None)


# --- units ---------------------------------------------------------------------------------------
# The `unit` table belongs to the unit list (`sohoa units import`); intake only reads its codes and,
# with SOHOA_AUTO_UNITS=1, adds the ones it meets. Reflected rather than imported so intake works
# before, and independently of, that table's model.


def _unit_table(settings: Settings):  # type: ignore[no-untyped-def]
    from sqlalchemy import MetaData, Table

    eng = db.engine_for(settings.db_url)
    if not inspect(eng).has_table("unit"):
        return None
    table = Table("unit", MetaData(), autoload_with=eng)
    code = table.c.get("code")
    if code is None:
        pk = list(table.primary_key.columns)
        code = pk[0] if len(pk) == 1 else None
    return (table, code) if code is not None else None


def known_units(settings: Settings) -> set[str] | None:
    """The unit codes of the unit list, or None when no list was imported: then any well-formed
    unit code is accepted."""
    found = _unit_table(settings)
    if found is None:
        return None
    _table, code = found
    with db.session_scope(settings.db_url) as s:
        codes = {str(c) for c in s.scalars(select(code))}
    return codes or None


def register_unit(settings: Settings, unit: str) -> None:
    """Add a unit met in the inbox to the unit list (SOHOA_AUTO_UNITS=1)."""
    found = _unit_table(settings)
    if found is None:
        return
    table, code = found
    values: dict[str, object] = {code.name: unit}
    for col in table.columns:  # fill what the list requires and a unit first seen cannot know
        if col.name in values or col.nullable or col.default is not None or col.server_default is not None:
            continue
        if col.primary_key and col.autoincrement is not False and col.type.python_type is int:
            continue
        values[col.name] = unit if col.type.python_type is str else None
    with db.session_scope(settings.db_url) as s:
        if s.scalar(select(code).where(code == unit)) is None:
            s.execute(table.insert().values(**values))
    log.info("unit %s added to the unit list on first sight (SOHOA_AUTO_UNITS=1)", unit)


def _place(path: Path, settings: Settings) -> InboxPlace:
    units = known_units(settings)
    place = place_of(path, settings.inbox, units)
    if place.problem == "unregistered_unit" and settings.auto_units and place.unit:
        register_unit(settings, place.unit)
        place = place_of(path, settings.inbox, None)
    return place


# --- claim ---------------------------------------------------------------------------------------


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
    place = place or _place(path, settings)
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
        SPOOL_KEY: read_sidecar(path),  # the clerk's <file>.json: dossier and procedure codes
    }
    settings.spool.mkdir(parents=True, exist_ok=True)
    sidecar.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    _move(path, spooled)
    sidecar_path(path).unlink(missing_ok=True)  # consumed: its content travels in the spool description
    _clear_old_note(settings, rel)
    row = _insert_row(settings, meta, spooled)
    return route(row.id, settings, enqueue)


def _clear_old_note(settings: Settings, rel: str) -> None:
    """The clerk moved a quarantined file back to retry it: its old note no longer applies."""
    old = settings.quarantine / rel
    if not old.exists():
        old.with_name(old.name + NOTE_SUFFIX).unlink(missing_ok=True)


def _insert_row(settings: Settings, meta: dict[str, object], spooled: Path) -> Intake:
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


def _get(settings: Settings, intake_id: int) -> Intake:
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
    row = _get(settings, intake_id)
    if row.state not in PENDING:
        return row
    if row.error_code in PLACE_PROBLEMS:
        reason = PLACE_PROBLEMS[row.error_code]
        return quarantine(row.id, settings, PipelineError(row.error_code, reason, source=row.inbox_path))
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
    row = _get(settings, intake_id)
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
    return _get(settings, intake_id)


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
        hand_back(settings, _get(settings, intake_id))
    return len(ended)


def quarantine(intake_id: int, settings: Settings, error: PipelineError) -> Intake:
    """Record why the file cannot be digitised, then move it to quarantine with a note the clerk can
    read. A file that already ended (stored by a concurrent delivery, say) is left as it is."""
    with db.session_scope(settings.db_url) as s:
        ended = _end(s, intake_id, QUARANTINED, error_code=error.code, error_message=error.message)
    row = _get(settings, intake_id)
    if not ended:
        return row
    log.warning("quarantined %s: %s (%s)", row.inbox_path or row.original_name, error.message, error.code)
    hand_back(settings, row)
    return row


# --- telling the clerk ---------------------------------------------------------------------------


def _local_date(when: datetime | None) -> str:
    return stored_utc(when or datetime.now(UTC)).astimezone().strftime("%Y-%m-%d")


def quarantine_path(settings: Settings, row: Intake) -> Path:
    """`quarantine/<the path it had in the inbox>`: the clerk sees unit and role, and moving the file
    back to the same place in the inbox retries it."""
    if row.inbox_path:
        return settings.quarantine / row.inbox_path
    role = (row.role or "_").replace("_", "-")
    return settings.quarantine / (row.unit or "_") / role / row.original_name


def hand_back(settings: Settings, row: Intake) -> None:
    """Give a file that ended back to the clerk: idempotent, and repeated by `recover` after a crash."""
    if row.state not in FINAL or not row.spool_path:
        return
    spooled = Path(row.spool_path)
    if spooled.exists():
        if row.state == QUARANTINED:
            dest = _free_name(quarantine_path(settings, row))
            _write_note(dest.with_name(dest.name + NOTE_SUFFIX), _quarantine_note(row))
            _move(spooled, dest)
        else:
            day = settings.done / _local_date(row.finished_at)
            dest = _free_name(day / row.original_name)
            if row.state == DUPLICATE:
                _write_note(dest.with_name(dest.name + DUPLICATE_SUFFIX), _duplicate_note(settings, row))
            if settings.done_mode == "delete":
                spooled.unlink(missing_ok=True)
            else:
                _move(spooled, dest)
    spooled.with_suffix(".json").unlink(missing_ok=True)


def _write_note(path: Path, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(body, encoding="utf-8")
    os.replace(tmp, path)


def _quarantine_note(row: Intake) -> str:
    error = PipelineError(row.error_code or "internal_error", row.error_message or "")
    back = f"inbox/{row.inbox_path}" if row.inbox_path else "inbox/<mã đơn vị>/<vai trò>/"
    if row.error_code in ("unknown_unit", "unknown_role", "unregistered_unit"):
        back = "inbox/<mã đơn vị>/<thanh-phan|ket-qua-xu-ly|ket-qua>/" + row.original_name
    return (
        f"Tệp: {row.original_name}\n"
        f"Nơi nhận: inbox/{row.inbox_path or row.original_name}\n"
        f"Lỗi: {error.message_vi}\n\n"
        f"Chi tiết kỹ thuật ({error.code}): {error.message}\n"
        f"Để thử lại: sửa tệp nếu cần rồi chuyển tệp trở lại {back}.\n"
    )


def _duplicate_note(settings: Settings, row: Intake) -> str:
    with db.session_scope(settings.db_url) as s:
        first = s.scalar(
            select(Intake)
            .where(Intake.sha256 == row.sha256, Intake.state.in_((*PENDING, DONE)), Intake.id != row.id)
            .order_by(Intake.id)
            .limit(1)
        )
        first_desc = (
            f"{first.original_name} (inbox/{first.inbox_path or first.original_name}, nhận lúc "
            f"{_local_date(first.received_at)})"
            if first is not None
            else "một tài liệu đã lưu trước đó"
        )
    doc = row.document_id or doc_id_for(row.sha256)
    return (
        f"Tệp: {row.original_name}\n"
        f"Tệp này trùng nội dung với {first_desc}, mã tài liệu {doc}.\n"
        "Tài liệu đã được số hóa một lần; tệp này không được xử lý lại. Không cần làm gì thêm.\n"
    )


def _free_name(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        return path
    for i in range(1, 10_000):
        cand = path.with_name(f"{path.stem} ({i}){path.suffix}")
        if not cand.exists():
            return cand
    raise PipelineError("internal_error", "no free name", source=str(path))


# --- recovery ------------------------------------------------------------------------------------


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
            row = _insert_row(settings, meta, data)
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
        row = _get(settings, intake_id) if intake_id in adopted else route(intake_id, settings, enqueue)
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


