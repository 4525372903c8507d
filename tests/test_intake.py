"""Intake: claim into the spool, route (job, duplicate, quarantine) and recover after a crash."""

from __future__ import annotations

import io
import json
import threading
import time
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select, text

from pipeline.config import Settings
from pipeline.errors import PipelineError
from pipeline.intake.claim import claim, complete, quarantine
from pipeline.intake.place import known_units, place_of, role_of_folder
from pipeline.intake.recover import recover
from pipeline.intake.watch import InboxWatcher, ignored, opens_as_claimed
from pipeline.keep import db
from pipeline.keep.models import CLAIMED, DONE, DUPLICATE, QUARANTINED, QUEUED, Intake
from schemas.tasks import IngestJob
from tests.helpers import text_page


def drop(settings: Settings, rel: str, content: bytes | None = None) -> Path:
    p = settings.inbox / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    if content is None:
        text_page(["QUYẾT ĐỊNH", rel], dpi=100).save(p, dpi=(100, 100))
    else:
        p.write_bytes(content)
    return p


def rows(settings: Settings) -> list[Intake]:
    with db.session_scope(settings.db_url) as s:
        out = list(s.scalars(select(Intake).order_by(Intake.id)))
        for r in out:
            s.expunge(r)
    return out


def test_place_of_reads_unit_role_and_tags(settings: Settings) -> None:
    inbox = settings.inbox
    assert place_of(inbox / "H50.12/ket-qua/a.pdf", inbox)[:3] == ("H50.12", "ket_qua", None)
    assert place_of(inbox / "000.00.24.H46/thanh-phan/2026/11/a.pdf", inbox)[:3] == (
        "000.00.24.H46", "thanh_phan", "2026/11",
    )
    assert place_of(inbox / "a.pdf", inbox).problem == "unknown_unit"
    assert place_of(inbox / "H50/a.pdf", inbox).problem == "unknown_role"
    assert place_of(inbox / "H50/giay-to/a.pdf", inbox).problem == "unknown_role"
    assert place_of(inbox / "phong-mot-cua/ket-qua/a.pdf", inbox).problem == "unknown_unit"


def test_role_folders_named_as_clerks_name_them() -> None:
    for name in ("Thành phần", unicodedata.normalize("NFD", "Thành phần"), "THANH_PHAN", " thanh  phan "):
        assert role_of_folder(name) == "thanh_phan", name
    assert role_of_folder(unicodedata.normalize("NFD", "Kết quả xử lý")) == "ket_qua_xu_ly"
    assert role_of_folder("Kết quả") == "ket_qua"
    assert role_of_folder("Kết quả cũ") is None and role_of_folder("") is None


def test_claim_spools_records_and_queues_once(settings: Settings) -> None:
    db.migrate(settings.db_url)
    queued: list[IngestJob] = []
    src = drop(settings, "H50/thanh-phan/scan 1.png")
    row = claim(src, settings, queued.append)
    assert not src.exists()
    assert row.state == QUEUED and len(queued) == 1
    job = queued[0]
    assert Path(job.path).exists() and Path(job.path).parent == settings.spool
    assert (job.unit, job.role, job.original_name) == ("H50", "thanh_phan", "scan 1.png")
    complete(job.sha256, settings, document_id=None)  # type: ignore[arg-type]
    assert not Path(job.path).exists() and not list(settings.spool.iterdir())
    assert rows(settings)[0].state == DONE
    # The clerk finds the file under done/<today>/.
    (done,) = settings.done.glob("*/scan 1.png")
    assert done.parent.name == date.today().isoformat()


def test_same_content_twice_is_one_job_and_one_duplicate(settings: Settings) -> None:
    db.migrate(settings.db_url)
    queued: list[IngestJob] = []
    a = drop(settings, "H50/thanh-phan/a.png")
    b = drop(settings, "H50/ket-qua/copy of a.png", a.read_bytes())
    claim(a, settings, queued.append)
    dup = claim(b, settings, queued.append)
    assert len(queued) == 1
    assert dup.state == DUPLICATE
    assert len(list(settings.spool.glob("*.data"))) == 1
    # The clerk is told, beside the file, which file it repeats.
    (note,) = settings.done.glob("*/copy of a.png.trung-lap.txt")
    assert "a.png" in note.read_text(encoding="utf-8") and note.with_name("copy of a.png").exists()


def test_delete_mode_keeps_no_copy(settings: Settings) -> None:
    db.migrate(settings.db_url)
    s = settings.model_copy(update={"done_mode": "delete"})
    queued: list[IngestJob] = []
    claim(drop(s, "H50/ket-qua/a.png"), s, queued.append)
    complete(queued[0].sha256, s, document_id=None)  # type: ignore[arg-type]
    assert not list(s.spool.iterdir()) and not [p for p in s.done.rglob("*") if p.is_file()]


def test_misplaced_file_goes_to_quarantine_with_a_note_for_the_clerk(settings: Settings) -> None:
    db.migrate(settings.db_url)
    queued: list[IngestJob] = []
    src = drop(settings, "H50/ho-so-moi/scan.pdf", b"%PDF-1.4 whatever %%EOF")
    row = claim(src, settings, queued.append)
    assert row.state == QUARANTINED and row.error_code == "unknown_role" and not queued
    # quarantine/ mirrors the place in the inbox, so the clerk sees unit and folder.
    note = settings.quarantine / "H50" / "ho-so-moi" / "scan.pdf.loi.txt"
    moved = settings.quarantine / "H50" / "ho-so-moi" / "scan.pdf"
    assert moved.exists(), list(settings.quarantine.rglob("*"))
    assert "thanh-phan, ket-qua-xu-ly hoặc ket-qua" in note.read_text(encoding="utf-8")
    assert not list(settings.spool.iterdir())


def test_recover_after_crashes_at_every_step(settings: Settings) -> None:
    db.migrate(settings.db_url)
    settings.spool.mkdir(parents=True, exist_ok=True)
    # 1. crashed after the sidecar, before the rename: the file is still in the inbox
    (settings.spool / "aaaa.json").write_text("{}", encoding="utf-8")
    # 2. crashed after the rename, before the row
    src = drop(settings, "H50/ket-qua/b.png")
    (settings.spool / "bbbb.data").write_bytes(src.read_bytes())
    meta = {"name": "b.png", "unit": "H50", "role": "ket_qua", "tag": None, "sha256": "b" * 64, "size": 3,
            "received_at": "2026-11-28T10:00:00+00:00", "problem": None}
    (settings.spool / "bbbb.json").write_text(json.dumps(meta), encoding="utf-8")
    src.unlink()
    # 3. crashed after the row, before the job was queued
    lost: list[IngestJob] = []
    c = drop(settings, "H50/ket-qua/c.png", b"\x89PNG\r\n\x1a\nccc")
    claim(c, settings, lost.append)
    queued: list[IngestJob] = []
    assert recover(settings, queued.append) == 2
    assert sorted(j.original_name for j in queued) == ["b.png", "c.png"]
    assert not (settings.spool / "aaaa.json").exists()
    assert recover(settings, queued.append) == 2  # still unfinished: queued again, idempotent by content


def test_watcher_takes_only_stable_complete_files_and_ignores_temporaries(settings: Settings) -> None:
    db.migrate(settings.db_url)
    queued: list[IngestJob] = []
    w = InboxWatcher(settings.model_copy(update={"stable_seconds": 0.0}), queued.append)
    half = drop(settings, "H50/ket-qua/half.pdf", b"%PDF-1.7\n1 0 obj\n")  # no %%EOF yet: still being written
    drop(settings, "H50/ket-qua/~$lock.pdf", b"x")
    drop(settings, "H50/ket-qua/upload.pdf.part", b"x")
    drop(settings, "H50/ket-qua/.hidden.pdf", b"x")
    assert w.scan_once() == 0
    assert ignored(Path("Thumbs.db")) and ignored(Path("a.tmp")) and not ignored(Path("a.pdf"))
    assert not opens_as_claimed(half)
    with half.open("ab") as f:
        f.write(b"trailer\n%%EOF\n")
    assert w.scan_once() == 1 and len(queued) == 1


def test_watcher_waits_for_the_quiet_period(settings: Settings) -> None:
    db.migrate(settings.db_url)
    queued: list[IngestJob] = []
    w = InboxWatcher(settings.model_copy(update={"stable_seconds": 60.0}), queued.append)
    drop(settings, "H50/ket-qua/a.png")
    assert w.scan_once() == 0 and w.scan_once() == 0  # seen, but not quiet for long enough
    assert not queued


def test_moving_a_quarantined_file_back_retries_it(settings: Settings) -> None:
    db.migrate(settings.db_url)
    queued: list[IngestJob] = []
    src = drop(settings, "H50/ket-qua/2026/scan.png")
    first = claim(src, settings, queued.append)
    quarantine(first.id, settings, PipelineError("worker_crashed", "killed its worker", source=src.name))
    held = settings.quarantine / "H50/ket-qua/2026/scan.png"
    note = held.with_name("scan.png.loi.txt")
    assert held.exists() and "quản trị viên" in note.read_text(encoding="utf-8")
    held.rename(src)  # the clerk moves it back to where it was
    again = claim(src, settings, queued.append)
    assert again.state == QUEUED and len(queued) == 2 and again.tag == "2026"
    assert not note.exists(), "the old note no longer applies"
    assert [r.state for r in rows(settings)] == [QUARANTINED, QUEUED]


def test_a_late_error_does_not_undo_a_stored_file(settings: Settings) -> None:
    db.migrate(settings.db_url)
    queued: list[IngestJob] = []
    row = claim(drop(settings, "H50/ket-qua/a.png"), settings, queued.append)
    complete(row.sha256, settings, document_id=None)  # type: ignore[arg-type]
    assert quarantine(row.id, settings, PipelineError("internal_error", "late")).state == DONE
    assert not list(settings.quarantine.rglob("*.png"))


def test_recover_hands_back_files_that_ended_before_a_crash(settings: Settings) -> None:
    db.migrate(settings.db_url)
    queued: list[IngestJob] = []
    row = claim(drop(settings, "H50/ket-qua/a.png"), settings, queued.append)
    with db.session_scope(settings.db_url) as s:  # the row said DONE, then the process died
        s.get(Intake, row.id).state = DONE  # type: ignore[union-attr]
    assert recover(settings, queued.append) == 0 and len(queued) == 1
    assert not list(settings.spool.iterdir()) and list(settings.done.glob("*/a.png"))


def test_claims_whose_job_could_not_be_queued_are_queued_later(settings: Settings) -> None:
    db.migrate(settings.db_url)
    queued: list[IngestJob] = []

    def broker_down(job: IngestJob) -> None:
        raise ConnectionError("redis is down")

    src = drop(settings, "H50/ket-qua/a.png")
    with pytest.raises(ConnectionError):
        claim(src, settings, broker_down)
    assert rows(settings)[0].state == CLAIMED
    w = InboxWatcher(settings, queued.append)
    w.settle(full=False)
    assert rows(settings)[0].state == QUEUED and len(queued) == 1


def test_files_in_unlisted_units_are_quarantined_unless_auto_units(settings: Settings) -> None:
    db.migrate(settings.db_url)
    assert known_units(settings) is None  # no unit list: any well-formed code is welcome
    with db.session_scope(settings.db_url) as s:
        # The unit list's table (owned by `sohoa units`); created here if that feature is not installed.
        s.execute(text("CREATE TABLE IF NOT EXISTS unit (code VARCHAR(64) PRIMARY KEY, name VARCHAR(255) NOT NULL)"))
        s.execute(text("INSERT INTO unit (code, name) VALUES ('H50', 'UBND xã Thanh Thạch')"))
    assert known_units(settings) == {"H50"}
    queued: list[IngestJob] = []
    assert claim(drop(settings, "H50/ket-qua/a.png"), settings, queued.append).state == QUEUED
    row = claim(drop(settings, "H51/ket-qua/b.png"), settings, queued.append)
    assert row.state == QUARANTINED and row.error_code == "unregistered_unit"
    auto = settings.model_copy(update={"auto_units": True})
    assert claim(drop(auto, "H52/ket-qua/c.png"), auto, queued.append).state == QUEUED
    assert known_units(settings) == {"H50", "H52"}


def test_polling_watcher_takes_a_file_copied_under_a_temporary_name(settings: Settings) -> None:
    db.migrate(settings.db_url)
    queued: list[IngestJob] = []
    s = settings.model_copy(update={"force_polling": True, "stable_seconds": 0.2, "poll_seconds": 0.05})
    w = InboxWatcher(s, queued.append)
    thread = threading.Thread(target=w.run, daemon=True)
    thread.start()
    try:
        buf = io.BytesIO()
        text_page(["QUYẾT ĐỊNH"], dpi=100).save(buf, "PNG")
        tmp = drop(s, "H50/ket-qua/scan.png.part", buf.getvalue())
        for junk in ("Thumbs.db", ".DS_Store", "~$scan.docx", ".~lock.scan.pdf#", "x.tmp"):
            drop(s, f"H50/ket-qua/{junk}", b"junk")
        drop(s, "H50/ket-qua/@eaDir/scan.pdf", b"%PDF-1.4 %%EOF")
        tmp.rename(tmp.with_name("scan.png"))
        deadline = time.monotonic() + 10
        while not queued and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        w.stop()
        thread.join(5)
    assert [j.original_name for j in queued] == ["scan.png"]
    assert len(list((s.inbox / "H50/ket-qua").iterdir())) == 6  # the junk stays where it is, untouched


def test_a_worker_finishing_before_the_watcher_marks_the_file_queued_is_not_undone(settings: Settings) -> None:
    """The race the 2000-file soak found: the job is queued, a worker stores the file at once, and the
    watcher records 'queued' after reading the row but before writing it. The file must stay done."""
    from sqlalchemy import event

    db.migrate(settings.db_url)
    src = drop(settings, "H50/ket-qua/fast.png")
    state = {"armed": False, "fired": False, "sha": ""}

    def enqueue(job: IngestJob) -> None:
        state["armed"], state["sha"] = True, job.sha256

    def worker_finishes_now(conn, cursor, statement, params, context, executemany):  # type: ignore[no-untyped-def]
        # The watcher's first read of the intake row after queuing: the worker commits 'done' right then.
        if state["armed"] and not state["fired"] and statement.lstrip().upper().startswith("SELECT") \
                and "FROM intake" in statement:
            state["fired"] = True
            complete(str(state["sha"]), settings, document_id=None)  # type: ignore[arg-type]

    engine = db.engine_for(settings.db_url)
    event.listen(engine, "after_cursor_execute", worker_finishes_now)
    try:
        claim(src, settings, enqueue)
    finally:
        event.remove(engine, "after_cursor_execute", worker_finishes_now)
    assert state["fired"]
    assert [r.state for r in rows(settings)] == [DONE]


def test_a_name_of_255_bytes_is_quarantined_with_its_note_and_a_second_copy_beside_it(settings: Settings) -> None:
    """The note's suffix, the " (1)" of a second copy and the `.part` of every write must not push a long
    name past the file system's 255 bytes (an OSError there would leave the file in the spool)."""
    db.migrate(settings.db_url)
    queued: list[IngestJob] = []
    name = "Quyết định " + "ủy quyền " * 20
    name = name.encode()[:251].decode("utf-8", errors="ignore") + ".pdf"
    assert 250 <= len(name.encode()) <= 255
    held = []
    for n in range(2):
        src = drop(settings, f"H50/ho-so-moi/{name}", b"%PDF-1.4 not a pdf " + bytes([n]) + b" %%EOF")
        row = claim(src, settings, queued.append)
        assert row.state == QUARANTINED and row.error_code == "unknown_role" and not queued
        held = sorted(p for p in (settings.quarantine / "H50" / "ho-so-moi").iterdir())
        assert not src.exists() and not list(settings.spool.iterdir())
    files = [p for p in held if not p.name.endswith(".loi.txt")]
    notes = [p for p in held if p.name.endswith(".loi.txt")]
    assert len(files) == 2 and len(notes) == 2, [p.name for p in held]
    assert name in {p.name for p in files}
    assert all(len(p.name.encode()) <= 255 for p in held)
    assert all("unknown_role" in p.read_text(encoding="utf-8") for p in notes)
    assert all(p.name.endswith(".pdf") for p in files)
    # The clerk fixes the folder and moves the first back: its note goes with the retry.
    first = settings.quarantine / "H50" / "ho-so-moi" / name
    fixed = settings.inbox / "H50" / "thanh-phan" / name
    fixed.parent.mkdir(parents=True)
    first.rename(fixed)
    again = claim(fixed, settings, queued.append)
    assert again.state == QUEUED and len(queued) == 1
