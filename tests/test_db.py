"""The database: migrations bring SQLite and PostgreSQL to the same schema; recording is idempotent."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select

from pipeline.keep import db
from pipeline.keep.models import Base, Document, Dossier, Page
from pipeline.keep.record import load_record, page_compliant, save_document
from schemas.document import DocumentRecord, OcrSummary, Party
from schemas.tasks import PageResult


def a_record(sha: str = "ab" * 32) -> DocumentRecord:
    return DocumentRecord(
        source="H50.12-251103-0142.1.pdf",
        sha256=sha,
        doc_id=f"doc-{sha[:8]}",
        unit="H50.12",
        pages=2,
        doc_type="quyet_dinh",
        doc_type_confidence=0.93,
        role="ket_qua",
        metadata={"so_ky_hieu": "123/QĐ-UBND", "ma_ho_so": "H50.12-251103-0142", "trich_yeu": "Về việc cấp phép"},
        metadata_confidence={"so_ky_hieu": 0.98, "ma_ho_so": 0.9, "trich_yeu": 0.8},
        parties=[Party(role="Bên được ủy quyền", ho_ten="Lê Thị E", so_dinh_danh="044196001234", confidence=0.85)],
        text="QUYẾT ĐỊNH\fĐiều 2.",
        ocr=OcrSummary(pages_ocr=2, pages_text_layer=0, mean_confidence=91.5),
        outputs=["H50.12/2026/H50.12-251103-0142/x/original.pdf"],
    )


def pages() -> list[PageResult]:
    return [
        PageResult(page_no=1, source="ocr", text="QUYẾT ĐỊNH", mean_confidence=90, dpi=300, colour="colour"),
        PageResult(page_no=2, source="ocr", text="Điều 2.", mean_confidence=93, dpi=150, colour="grey"),
    ]


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    return str(request.getfixturevalue("postgres_url"))


def test_migrations_create_every_model_table(db_url: str) -> None:
    db.migrate(db_url)
    db.migrate(db_url)  # a second start-up finds nothing to do
    tables = set(inspect(db.engine_for(db_url)).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_recording_is_idempotent_and_round_trips(db_url: str) -> None:
    db.migrate(db_url)
    rec = a_record()
    with db.session_scope(db_url) as s:
        assert save_document(s, rec, pages(), "H50.12/2026/H50.12-251103-0142/x/")
    with db.session_scope(db_url) as s:
        assert not save_document(s, rec, pages(), "H50.12/2026/H50.12-251103-0142/x/")
    with db.session_scope(db_url) as s:
        assert s.scalar(select(func.count()).select_from(Document)) == 1
        assert s.scalar(select(func.count()).select_from(Page)) == 2
        assert s.get(Dossier, "H50.12-251103-0142") is not None
        back = load_record(s, rec.sha256)
    assert back == rec  # parties included (migration 0010_parties)


def test_a_row_from_before_parties_reads_as_none(db_url: str) -> None:
    db.migrate(db_url)
    rec = a_record("cd" * 32)
    with db.session_scope(db_url) as s:
        save_document(s, rec, pages(), "x/")
        doc = s.get(Document, rec.doc_id)
        assert doc is not None
        doc.parties = None  # as recorded before the column existed
    with db.session_scope(db_url) as s:
        back = load_record(s, rec.sha256)
    assert back is not None and back.parties == []


def test_scan_compliance_per_page() -> None:
    good, low = pages()
    assert page_compliant(good) is True
    assert page_compliant(low) is False  # 150 dpi and grey: both below the bar
    assert page_compliant(PageResult(page_no=1, source="text_layer", text="x")) is None
