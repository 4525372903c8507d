"""An operator's actions on files (pipeline/intake/operate.py): retry a failed file, release a held one, hold
one in progress; each keeps the exactly-once guarantee (checked with intake/audit.py's reconciliation, as
tests/test_faults.py does), including when two operators, or an operator and a worker, act at once."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from pipeline.config import Settings
from pipeline.errors import PipelineError
from pipeline.identity import sha256_file
from pipeline.index.operations import in_progress, quarantined, throughput
from pipeline.intake.audit import reconcile
from pipeline.intake.claim import claim, complete, quarantine
from pipeline.intake.operate import HELD, NoSuchIntake, OperationError, hold, release, retry
from pipeline.keep import db
from pipeline.keep.models import DONE, QUARANTINED, QUEUED, Intake
from pipeline.keep.store import open_store
from schemas.tasks import IngestJob
from tests.helpers import text_page


def drop(settings: Settings, rel: str, words: str = "QUYẾT ĐỊNH") -> Path:
    p = settings.inbox / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    text_page([words, rel], dpi=60).save(p, dpi=(60, 60))
    return p


def rows(settings: Settings) -> list[Intake]:
    with db.session_scope(settings.db_url) as s:
        out = list(s.scalars(select(Intake).order_by(Intake.id)))
        s.expunge_all()
    return out


def test_retry_moves_a_failed_file_back_to_the_inbox_once(settings: Settings) -> None:
    db.migrate(settings.db_url)
    queued: list[IngestJob] = []
    src = drop(settings, "H50/thanh-phan/2026/Nguyễn Văn A.png")
    sha = sha256_file(src)
    first = claim(src, settings, queued.append)
    quarantine(first.id, settings, PipelineError("internal_error", "boom", stage="finish", trace="Traceback …"))
    with db.session_scope(settings.db_url) as s:
        [failed] = quarantined(s)
    assert (failed.stage, failed.code, failed.trace, failed.actions) == ("finish", "internal_error", "Traceback …",
                                                                         ["retry"])
    with pytest.raises(OperationError, match="retry it instead"):
        release(settings, first.id, "vanhanh")

    # Two operators at once: the file is moved back once, the other is told.
    results: list[object] = []

    def go() -> None:
        try:
            results.append(retry(settings, first.id, "vanhanh"))
        except OperationError as e:
            results.append(e)

    threads = [threading.Thread(target=go) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(type(r).__name__ for r in results) == ["OperationError", "Outcome"]
    assert src.exists() and sha256_file(src) == sha
    assert not list(settings.quarantine.rglob("*.png")) and not list(settings.quarantine.rglob("*.loi.txt"))
    with db.session_scope(settings.db_url) as s:
        assert quarantined(s) == []  # off the list as soon as it is released

    again = claim(src, settings, queued.append)  # the watcher takes it, as it takes a clerk's file
    assert again.state == QUEUED and again.id != first.id
    complete(sha, settings, document_id=None)  # type: ignore[arg-type]
    old, new = rows(settings)
    assert (old.state, old.released_by, new.state) == (QUARANTINED, "vanhanh", DONE)
    # No document is stored here (no pipeline ran): the reconciliation is read for the intakes alone.
    r = reconcile(settings, {"H50/thanh-phan/2026/Nguyễn Văn A.png": sha}, open_store(settings))
    assert not r.double and r.stored == 1 and r.in_flight == 0 and r.quarantined == 0, r


def test_a_clerk_moving_the_file_back_first_leaves_nothing_to_retry(settings: Settings) -> None:
    db.migrate(settings.db_url)
    src = drop(settings, "H50/ket-qua/a.png")
    row = claim(src, settings, lambda job: None)
    quarantine(row.id, settings, PipelineError("ocr_failed", "no text", stage="ocr"))
    (settings.quarantine / "H50/ket-qua/a.png").rename(src)  # the clerk, by hand
    claim(src, settings, lambda job: None)
    with pytest.raises(OperationError, match="already released by inbox"):
        retry(settings, row.id, "vanhanh")


def test_the_right_copy_is_found_among_files_of_the_same_name(settings: Settings) -> None:
    db.migrate(settings.db_url)
    a = claim(drop(settings, "H50/ket-qua/scan.png", "MỘT"), settings, lambda job: None)
    quarantine(a.id, settings, PipelineError("ocr_failed", "no text"))
    b = claim(drop(settings, "H50/ket-qua/scan.png", "HAI"), settings, lambda job: None)
    quarantine(b.id, settings, PipelineError("ocr_failed", "no text"))
    assert (settings.quarantine / "H50/ket-qua/scan (1).png").exists()
    retry(settings, b.id, "vanhanh")
    assert sha256_file(settings.inbox / "H50/ket-qua/scan.png") == b.sha256
    assert sha256_file(settings.quarantine / "H50/ket-qua/scan.png") == a.sha256


def test_hold_and_release_a_file_in_progress(settings: Settings) -> None:
    db.migrate(settings.db_url)
    queued: list[IngestJob] = []
    src = drop(settings, "H50/ket-qua/b.png")
    sha = sha256_file(src)
    row = claim(src, settings, queued.append)
    with db.session_scope(settings.db_url) as s:
        assert [p.intake_id for p in in_progress(s)] == [row.id] and in_progress(s)[0].actions == ["hold"]
    held = hold(settings, row.id, "vanhanh")
    assert held.detail == "sent to quarantine"
    note = settings.quarantine / "H50/ket-qua/b.png.loi.txt"
    assert (settings.quarantine / "H50/ket-qua/b.png").exists() and "tạm giữ" in note.read_text(encoding="utf-8")
    # A worker finishing late ends nothing.
    assert complete(sha, settings, document_id=None) == 0  # type: ignore[arg-type]
    with pytest.raises(OperationError, match="only a file in progress"):
        hold(settings, row.id, "vanhanh")
    with pytest.raises(OperationError, match="release it instead"):
        retry(settings, row.id, "vanhanh")
    with db.session_scope(settings.db_url) as s:
        [p] = quarantined(s)
        assert (p.code, p.stage, p.actions) == (HELD, "operator", ["release"])
    release(settings, row.id, "vanhanh")
    again = claim(src, settings, queued.append)
    complete(sha, settings, document_id=None)  # type: ignore[arg-type]
    assert [r.state for r in rows(settings)] == [QUARANTINED, DONE] and again.id == rows(settings)[1].id
    r = reconcile(settings, {"H50/ket-qua/b.png": sha}, open_store(settings))
    assert not r.double and r.stored == 1 and r.in_flight == 0 and r.quarantined == 0, r  # one end, not two


def test_a_file_stored_first_cannot_be_held(settings: Settings) -> None:
    db.migrate(settings.db_url)
    row = claim(drop(settings, "H50/ket-qua/c.png"), settings, lambda job: None)
    complete(row.sha256, settings, document_id=None)  # type: ignore[arg-type]
    with pytest.raises(OperationError, match="is done"):
        hold(settings, row.id, "vanhanh")
    with pytest.raises(NoSuchIntake):
        retry(settings, 999, "vanhanh")
    with db.session_scope(settings.db_url) as s:
        minutes = throughput(s, hours=1)
    assert len(minutes) == 60 and sum(m.files for m in minutes) == 1
