"""Intake: claim into the spool, route (job, duplicate, quarantine) and recover after a crash."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from pipeline import db
from pipeline.config import Settings
from pipeline.intake import claim, complete, place_of, recover
from pipeline.models import DONE, DUPLICATE, QUARANTINED, QUEUED, Intake
from pipeline.watch import InboxWatcher, ignored, opens_as_claimed
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


def test_misplaced_file_goes_to_quarantine_with_a_note_for_the_clerk(settings: Settings) -> None:
    db.migrate(settings.db_url)
    queued: list[IngestJob] = []
    src = drop(settings, "H50/ho-so-moi/scan.pdf", b"%PDF-1.4 whatever %%EOF")
    row = claim(src, settings, queued.append)
    assert row.state == QUARANTINED and row.error_code == "unknown_role" and not queued
    note = settings.quarantine / "H50" / "-" / "scan.pdf.loi.txt"
    moved = settings.quarantine / "H50" / "-" / "scan.pdf"
    assert moved.exists(), list(settings.quarantine.rglob("*"))
    assert "thanh-phan, ket-qua-xu-ly hoặc ket-qua" in note.read_text(encoding="utf-8")


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
