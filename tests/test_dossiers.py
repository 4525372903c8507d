"""Dossier links and reuse: sidecars, same content dropped for another dossier, a new scan of a paper
already digitised; and what the metrics make of them."""

from __future__ import annotations

import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

from sqlalchemy import select

from pipeline.config import Settings
from pipeline.flow import Source, digitise
from pipeline.index.dossiers import remember, reuse_of
from pipeline.index.metrics import compute, parse_period, today_local
from pipeline.intake.claim import claim, complete
from pipeline.keep import db
from pipeline.keep.models import DUPLICATE, Document, DossierLink
from pipeline.keep.store import open_store
from schemas.document import DocumentRecord, OcrSummary
from schemas.tasks import IngestJob
from tests.helpers import save_digital_pdf

A, B = "H50.12-260705-0001", "H50.12-260801-0002"


def links(settings: Settings) -> list[tuple[str, str, str | None, str]]:
    with db.session_scope(settings.db_url) as s:
        return [(r.ma_ho_so, r.document_id, r.role, r.via) for r in s.scalars(select(DossierLink))]


def test_inbox_sidecar_then_same_content_for_another_dossier(settings: Settings, tmp_path: Path) -> None:
    db.migrate(settings.db_url)
    pdf = save_digital_pdf(tmp_path / "q.pdf")
    folder = settings.inbox / "H50.12" / "thanh-phan"
    folder.mkdir(parents=True)
    # A sidecar names the dossier of a file whose name does not.
    (folder / "scan-001.pdf.json").write_text(json.dumps({"ma_ho_so": A, "ma_thu_tuc": "1.OO1193"}), encoding="utf-8")
    shutil.copyfile(pdf, folder / "scan-001.pdf")
    jobs: list[IngestJob] = []
    claim(folder / "scan-001.pdf", settings, jobs.append)
    assert len(jobs) == 1 and not (folder / "scan-001.pdf.json").exists()  # consumed with its file
    j = jobs[0]
    # What the Celery finish task does, on the spooled copy.
    record = digitise(Source(Path(j.path), j.sha256, j.original_name, j.unit, j.role, j.received_at),
                      settings, open_store(settings))
    assert record.metadata["ma_ho_so"] == A and record.metadata_confidence["ma_ho_so"] == 0.95
    assert record.metadata["ma_thu_tuc"] == "1.001193"  # normalised
    complete(j.sha256, settings, record.doc_id)

    # The same paper, dropped again for dossier B: a duplicate, and B is linked to A's copy.
    shutil.copyfile(pdf, folder / f"{B}.1.pdf")
    row = claim(folder / f"{B}.1.pdf", settings, jobs.append)
    assert row.state == DUPLICATE and len(jobs) == 1
    assert links(settings) == [(B, record.doc_id, "thanh_phan", "sha256")]
    # Dropped again for its own dossier: a plain duplicate, no link.
    shutil.copyfile(pdf, folder / f"{A}.2.pdf")
    assert claim(folder / f"{A}.2.pdf", settings, jobs.append).state == DUPLICATE
    assert len(links(settings)) == 1

    # Without a register the metrics see A (digitised) and B reusing A's component.
    r = compute(settings.db_url, parse_period(str(today_local().year)))
    tai = next(i for i in r.total.indicators if i.key == "tai_su_dung")
    assert (tai.numerator, tai.denominator) == (0, 1)  # B has no dossier row of its own: not seen as a dossier
    # With B in the register, its reuse counts and the linked component digitises it.
    from pipeline.keep.models import RegisterEntry

    with db.session_scope(settings.db_url) as s:
        for code in (A, B):
            s.add(RegisterEntry(ma_ho_so=code, unit="H50.12", ma_thu_tuc="2.000815", received_on=today_local(),
                                paper_result=False, reused=False, ket_noi_kho=False, du_lieu_dan_cu=False))
    r = compute(settings.db_url, parse_period(str(today_local().year)))
    got = {i.key: (i.numerator, i.denominator) for i in r.total.indicators}
    assert got["tai_su_dung"] == (1, 2) and got["so_hoa_ho_so"] == (2, 2)
    # As of yesterday nothing was digitised or linked yet.
    yesterday = date.fromordinal(today_local().toordinal() - 1)
    if yesterday.year == today_local().year:
        r = compute(settings.db_url, parse_period(str(today_local().year)), as_of=yesterday)
        assert r.total.dossiers == 0  # received today


def test_sohoa_process_links_a_copy_dropped_for_another_dossier(settings: Settings, tmp_path: Path) -> None:
    from pipeline.batch import process_files

    db.migrate(settings.db_url)
    first = save_digital_pdf(tmp_path / f"{A}.1.pdf")
    again = tmp_path / f"{B}.3.pdf"
    shutil.copyfile(first, again)
    with ThreadPoolExecutor(2) as pool:
        out = list(process_files([(first, "H50.12", "thanh_phan"), (again, "H50.12", "thanh_phan")],
                                 settings, open_store(settings), pool))
    assert isinstance(out[0], DocumentRecord) and out[0].metadata["ma_ho_so"] == A
    # Both were in flight at once: the second found the first's record when it finished.
    assert isinstance(out[1], DocumentRecord) and out[1].doc_id == out[0].doc_id
    assert links(settings) == [(B, out[0].doc_id, "thanh_phan", "sha256")]
    # Given again later, a copy for B is recognised before any work, and linked once.
    third = tmp_path / f"{B}.4.pdf"
    shutil.copyfile(first, third)
    with ThreadPoolExecutor(1) as pool:
        (dup,) = process_files([(third, "H50.12", "thanh_phan")], settings, open_store(settings), pool)
    assert isinstance(dup, DocumentRecord) and dup.duplicate_of == out[0].doc_id
    assert len(links(settings)) == 1


def a_record(dossier: str, sha: str, **metadata: str) -> DocumentRecord:
    return DocumentRecord(
        source=f"{dossier}.1.pdf", sha256=sha, doc_id=f"doc-{sha[:6]}", unit="H50.12", pages=1,
        doc_type="giay_khai_sinh", doc_type_confidence=0.9, role="thanh_phan",
        metadata={"ma_ho_so": dossier, **metadata}, text="", ocr=OcrSummary(pages_ocr=1, pages_text_layer=0),
    )


def test_a_new_scan_of_the_same_paper_is_linked_not_stored(settings: Settings) -> None:
    from pipeline.keep.record import save_document

    db.migrate(settings.db_url)
    ids = {"so_ky_hieu": "15/2026", "so_dinh_danh": "044196001234"}
    first = a_record(A, "a" * 64, **ids)
    with db.session_scope(settings.db_url) as s:
        save_document(s, first, [], "p/")
        remember(s, first)
    # Another scan (other bytes) of the same certificate for dossier B.
    earlier = reuse_of(settings.db_url, a_record(B, "b" * 64, **ids))
    assert earlier is not None and earlier.doc_id == first.doc_id and earlier.duplicate_of == first.doc_id
    assert links(settings) == [(B, first.doc_id, "thanh_phan", "so_ky_hieu")]
    # A rescan within the same dossier is that dossier's own document; without an identifier no key.
    assert reuse_of(settings.db_url, a_record(A, "c" * 64, **ids)) is None
    assert reuse_of(settings.db_url, a_record(B, "d" * 64, so_ky_hieu="15/2026")) is None
    with db.session_scope(settings.db_url) as s:
        assert s.scalar(select(Document.id).where(Document.sha256 == "b" * 64)) is None
