"""Finding documents (pipeline/index/documents.py) and the search index under it (pipeline/keep/search.py), on
SQLite and PostgreSQL: filters, accent-insensitive search, the index kept in the same transaction as the
documents, and the migration's backfill of documents recorded before the index existed."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, text

from pipeline.index.documents import DocumentFilter, list_documents, snippet
from pipeline.keep import db
from pipeline.keep.models import Correction, Document, Dossier, DossierLink, Unit
from pipeline.keep.search import Query, body_of, words

NOW = datetime(2026, 9, 15, 3, 0, tzinfo=UTC)
SET_VERSION = "UPDATE alembic_version SET version_num = :to WHERE version_num = :was"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'docs.db'}"
    else:
        url = str(request.getfixturevalue("postgres_url"))
    db.migrate(url)
    return url


def doc(i: int, **kw: Any) -> dict[str, Any]:
    base: dict[str, Any] = dict(
        id=f"doc-{i:03d}", sha256=f"{i:064d}", unit="H50.12", role="thanh_phan", source=f"/inbox/H50.12/scan-{i}.pdf",
        doc_type="to_khai", doc_type_confidence=0.9, pages=1, fields={}, field_confidence={}, text="", prefix="p/",
        outputs=[], created_at=NOW, review=False,
    )
    return {**base, **kw}


def seed(url: str) -> None:
    with db.session_scope(url) as s:
        s.add_all([Unit(code="H50", name="Quảng Trị"), Unit(code="H50.12", name="Xã A", parent_code="H50"),
                   Unit(code="000.00.24.H46", name="Xã cũ", parent_code="H50")])
        s.add(Dossier(ma_ho_so="H50.12-251103-0142", unit="H50.12"))
        s.flush()
        s.add_all([Document(**d) for d in (
            doc(1, doc_type="giay_khai_sinh", role="ket_qua", ma_ho_so="H50.12-251103-0142",
                fields={"ho_ten": "Đặng Thị Hòa", "so_dinh_danh": "044196001234"},
                text="GIẤY KHAI SINH\nHọ, chữ đệm, tên: ĐẶNG THỊ HÒA\nNơi sinh: Trạm y tế xã Thanh Thạch"),
            doc(2, doc_type="quyet_dinh", role="ket_qua_xu_ly", fields={"so_ky_hieu": "123/QĐ-UBND"},
                text="QUYẾT ĐỊNH Về việc cấp giấy phép xây dựng cho ông Nguyễn Văn Hùng", review=True),
            doc(3, unit="000.00.24.H46", text="ĐƠN ĐỀ NGHỊ của bà Hoa", created_at=NOW - timedelta(days=120)),
            doc(4, unit="H46.01", text="Tờ khai đăng ký kết hôn", created_at=NOW + timedelta(days=1)),
        )])
        s.flush()
        s.add(DossierLink(ma_ho_so="H50.12-251103-0142", document_id="doc-003", role="thanh_phan", via="sha256"))
        s.add(Correction(document_id="doc-004", field="doc_type", old_value="to_khai", new_value="to_khai", by="lan"))


def ids(url: str, **kw: Any) -> list[str]:
    with db.session_scope(url) as s:
        return [d.doc_id for d in list_documents(s, DocumentFilter(**kw))[2]]


def test_words_fold_marks_and_split_codes() -> None:
    assert words("ĐẶNG Thị Hòa, 123/QĐ-UBND") == ["dang", "thi", "hoa", "123", "qd", "ubnd"]
    assert Query.parse("H50.12-251103-0142 hoa*").phrases == ((("h50", "12", "251103", "0142"), False),
                                                             (("hoa",), True))
    assert not Query.parse(" -- / ")
    body = body_of("/x/Hồ sơ 1.pdf", "H50.12-1", "bao_cao", {"ho_ten": "Lê Văn An"}, "BÁO CÁO")
    assert body.split()[:3] == ["ho", "so", "1"] and "le van an" in body and "bao cao" in body


def test_search_is_accent_insensitive_and_finds_codes_and_names(db_url: str) -> None:
    seed(db_url)
    assert ids(db_url, q="dang thi hoa") == ["doc-001"]
    assert ids(db_url, q="ĐẶNG THỊ HÒA") == ["doc-001"]
    assert ids(db_url, q="044196001234") == ["doc-001"]  # the identifier, from the metadata
    assert ids(db_url, q="H50.12-251103-0142") == ["doc-001"]  # the dossier code as one phrase
    assert ids(db_url, q="123/QĐ-UBND") == ["doc-002"]
    assert ids(db_url, q="123/QD-UBND") == ["doc-002"]
    assert ids(db_url, q="nguyen van hung") == ["doc-002"]
    assert ids(db_url, q="khai sinh") == ["doc-001"]  # the class name is indexed too
    assert sorted(ids(db_url, q="hoa")) == ["doc-001", "doc-003"]
    assert ids(db_url, q="hoa hung") == []  # every word must be found
    assert sorted(ids(db_url, q="ho*")) == ["doc-001", "doc-003", "doc-004"]  # hòa, hoa, (kết) hôn
    assert ids(db_url, q="hoa", unit="H50.12") == ["doc-001"]  # search and filters together


def test_a_name_typed_in_a_row_ranks_above_its_words_apart(db_url: str) -> None:
    seed(db_url)
    with db.session_scope(db_url) as s:
        s.add(Document(**doc(9, text="Ông Hùng, thôn Văn Phú, họ Nguyễn", created_at=NOW + timedelta(days=9))))
    assert ids(db_url, q="nguyen van hung") == ["doc-002", "doc-009"]  # the newer one second: it is words apart
    assert sorted(ids(db_url, q="hung nguyen")) == ["doc-002", "doc-009"]  # every word, in any order


def test_past_the_ranked_matches_the_newest_come_first(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    seed(db_url)
    monkeypatch.setattr("pipeline.index.documents.RANKED_UP_TO", 1)  # as a word found in most documents
    assert ids(db_url, q="ho*") == ["doc-004", "doc-001", "doc-003"]
    assert ids(db_url, q="ho*", unit="H50") == ["doc-001", "doc-003"]


def test_filters(db_url: str) -> None:
    seed(db_url)
    assert ids(db_url) == ["doc-004", "doc-001", "doc-002", "doc-003"]  # newest first (then by id)
    assert sorted(ids(db_url, unit="H50")) == ["doc-001", "doc-002", "doc-003"]  # the tree, old codes too
    assert ids(db_url, unit="H46") == ["doc-004"]  # H46.01 by its dotted code alone
    assert ids(db_url, role="ket_qua") == ["doc-001"]
    assert ids(db_url, doc_type="quyet_dinh") == ["doc-002"]
    assert ids(db_url, period="2026-05") == ["doc-003"]
    assert sorted(ids(db_url, period="2026-Q3")) == ["doc-001", "doc-002", "doc-004"]
    assert sorted(ids(db_url, ma_ho_so="H50.12-251103-0142")) == ["doc-001", "doc-003"]  # own and linked
    assert ids(db_url, review="waiting") == ["doc-002"]
    assert ids(db_url, review="reviewed") == ["doc-004"]
    assert sorted(ids(db_url, review="auto")) == ["doc-001", "doc-003"]
    with db.session_scope(db_url) as s:
        total, capped, page = list_documents(s, DocumentFilter(), limit=2, offset=1)
    assert (total, capped, [d.doc_id for d in page]) == (4, False, ["doc-001", "doc-002"])
    with pytest.raises(ValueError, match="period"), db.session_scope(db_url) as s:
        list_documents(s, DocumentFilter(period="2026-13"))


def test_index_follows_every_write_in_the_same_transaction(db_url: str) -> None:
    seed(db_url)
    with db.session_scope(db_url) as s:
        s.get(Document, "doc-002").fields = {"ho_ten": "Trần Thị Bích"}  # type: ignore[union-attr]
    assert ids(db_url, q="tran thi bich") == ["doc-002"]
    with pytest.raises(RuntimeError), db.session_scope(db_url) as s:
        s.get(Document, "doc-002").text = "Phạm Minh Châu"  # type: ignore[union-attr]
        s.flush()
        assert [d.doc_id for d in list_documents(s, DocumentFilter(q="pham minh chau"))[2]] == ["doc-002"]
        raise RuntimeError("rolled back: the index with it")
    assert ids(db_url, q="pham minh chau") == []
    with db.session_scope(db_url) as s:
        s.delete(s.get(Document, "doc-004"))
    assert ids(db_url, q="ket hon") == []


def test_migration_backfills_documents_recorded_before_the_index(db_url: str) -> None:
    with db.engine_for(db_url).begin() as conn:  # a database as it was before migration 0014
        if conn.dialect.name == "postgresql":
            conn.execute(text("DROP TABLE document_search"))
            conn.execute(text("DROP TEXT SEARCH CONFIGURATION sohoa_search"))
        else:
            conn.execute(text("DROP TABLE document_fts"))
        # 0016 depends on 0014, so its row stands for both
        conn.execute(text(SET_VERSION), {"to": "0006_split", "was": "0016_search_nfc"})
        conn.execute(insert(Document), [doc(7, text="Biên bản họp Đoàn Văn Sáu")])  # no session: no hook
    db.migrate(db_url)
    assert ids(db_url, q="doan van sau") == ["doc-007"]


def test_a_decomposed_name_is_found_as_typed(db_url: str) -> None:
    """A Mac writes "Quyết định" to a share decomposed (NFD); the clerk types it composed."""
    nfd = unicodedata.normalize("NFD", "/inbox/H50.12/Quyết định số 5.pdf")
    assert words(nfd)[-5:-1] == words("Quyết định số 5") and "quye" not in words(nfd)
    with db.session_scope(db_url) as s:
        s.add(Document(**doc(8, source=nfd)))
    assert ids(db_url, q="Quyết định số 5") == ["doc-008"]
    assert ids(db_url, q="quyet dinh") == ["doc-008"]


def test_migration_reindexes_documents_with_decomposed_names(db_url: str) -> None:
    nfd = unicodedata.normalize("NFD", "/inbox/H50.12/Đơn đề nghị Hòa.pdf")
    with db.engine_for(db_url).begin() as conn:  # recorded before 0016: not in the index (no session, no hook)
        conn.execute(text(SET_VERSION), {"to": "0014_search", "was": "0016_search_nfc"})
        conn.execute(insert(Document), [doc(5, source=nfd), doc(6, source="/inbox/H50.12/Đơn.pdf")])
    db.migrate(db_url)
    assert ids(db_url, q="don de nghi hoa") == ["doc-005"]
    assert ids(db_url, q="don") == ["doc-005"]  # only the decomposed one is indexed again


def test_snippet_keeps_the_marks_of_the_text() -> None:
    text_read = "Căn cứ Luật Hộ tịch; xét đơn của bà ĐẶNG THỊ HÒA, sinh năm 1990"
    assert "ĐẶNG THỊ HÒA" in (snippet(text_read, ["dang", "hoa"]) or "")
    assert snippet(text_read, ["khong"]) is None
