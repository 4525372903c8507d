"""Telling the clerk how a file ended: stored and duplicate files to `done/<date>/` (a duplicate with
a `.trung-lap.txt`), failed ones to `quarantine/<inbox path>` with a `.loi.txt` in Vietnamese."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from pipeline.config import Settings
from pipeline.errors import PipelineError
from pipeline.identity import MAX_NAME_BYTES, doc_id_for
from pipeline.keep import db
from pipeline.keep.models import DONE, DUPLICATE, FINAL, PENDING, QUARANTINED, Intake, stored_utc

NOTE_SUFFIX = ".loi.txt"
DUPLICATE_SUFFIX = ".trung-lap.txt"
PART = ".part"  # every file and note is written under this suffix first, then renamed
CUT, KEEP_END = "…", 24


def fit_name(stem: str, tail: str = "") -> str:
    """`stem + tail`, the stem cut at a character boundary so that the name and its `.part` fit in one file
    name: a clerk's 250-byte name must still get its note and its " (1)" beside it, never an OSError that
    leaves the file in the spool."""
    budget = MAX_NAME_BYTES - len((PART + tail).encode())
    raw = stem.encode()
    if len(raw) > budget:
        # Cut in the middle: the end of a stem tells copies apart (" (1)", a page or a date).
        end = raw[-KEEP_END:].decode("utf-8", errors="ignore")
        head = raw[: max(budget - len(end.encode()) - len(CUT.encode()), 1)].decode("utf-8", errors="ignore")
        stem = head + CUT + end
    return stem + tail


def _split(name: str) -> tuple[str, str]:
    """(stem, extension); a long "extension" is part of the name, not a type."""
    ext = Path(name).suffix
    return (name[: -len(ext)], ext) if ext and len(ext) <= 8 else (name, "")


def note_path(file: Path, suffix: str = NOTE_SUFFIX) -> Path:
    """Where the note about `file` lies: beside it, its name plus `suffix`, shortened to fit."""
    stem, ext = _split(file.name)
    return file.with_name(fit_name(stem, ext + suffix))


def move_file(src: Path, dst: Path) -> None:
    """Atomic within one file system; across file systems (a network share) copy, sync, then rename."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.rename(src, dst)
    except OSError:
        tmp = dst.with_name(fit_name(dst.name, PART))
        if src.is_symlink():  # a link is moved as a link, never through what it points at
            os.symlink(os.readlink(src), tmp)
            os.rename(tmp, dst)
            src.unlink()
            return
        shutil.copyfile(src, tmp)
        with tmp.open("rb") as f:
            os.fsync(f.fileno())
        os.rename(tmp, dst)
        src.unlink()


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
    if spooled.exists() or spooled.is_symlink():
        if row.state == QUARANTINED:
            dest = _free_name(quarantine_path(settings, row))
            _write_note(note_path(dest), _quarantine_note(row))
            move_file(spooled, dest)
        else:
            day = settings.done / _local_date(row.finished_at)
            dest = _free_name(day / row.original_name)
            if row.state == DUPLICATE:
                _write_note(note_path(dest, DUPLICATE_SUFFIX), _duplicate_note(settings, row))
            if settings.done_mode == "delete":
                spooled.unlink(missing_ok=True)
            else:
                move_file(spooled, dest)
    spooled.with_suffix(".json").unlink(missing_ok=True)


def _write_note(path: Path, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + PART)
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
        return path  # its own name, however long: it had it in the inbox, and a rename needs no `.part`
    stem, ext = _split(path.name)
    for i in range(1, 10_000):
        cand = path.with_name(fit_name(stem, f" ({i}){ext}"))
        if not cand.exists():
            return cand
    raise PipelineError("internal_error", "no free name", source=str(path))
