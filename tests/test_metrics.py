"""The digitisation metrics against values computed by hand, on SQLite and PostgreSQL.

The scenario (period 2026-Q3 unless said otherwise), unit tree H50 → H50.12 → H50.12.01, H50 → H50.13,
H50 → H50.14 (no dossiers):

| dossier | unit | procedure (paper?) | received | completed | documents / links |
|---|---|---|---|---|---|
| A | H50.12 | 1.001193 (yes, from the list) | 07-05 | 07-10 | component 07-05, result 07-10 |
| B | H50.12 | 1.001193 (yes) | 09-20 | 10-03 | component 09-20, result 10-03 |
| C | H50.12.01 | 2.000815 (no) | 08-01 | 08-01 | component 08-01; register: ket_noi_kho |
| D | H50.13 | 1.001193 but register says no | 08-15 | — | none; register: reused, du_lieu_dan_cu |
| E | H50.13 | 1.000894 (not in list: yes) | 08-16 | 08-20 | link to A's component, 08-16 |
| F | H50.12 | 1.001193 | 06-30 (Q2) | 07-02 | — |
| G | H50.13 | 1.001193 | 10-01 (Q4) | — | — |
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from pipeline.index.metrics import Period, compute, dossier_details, parse_period, thresholds_from
from pipeline.keep import db
from pipeline.keep.models import Document, Dossier, DossierLink, Page, Procedure, RegisterEntry, Unit
from schemas.report import Report, UnitMetrics

A, B, C, D, E, F, G = (f"H50.1{u}-26{md}-000{i}" for i, (u, md) in enumerate(
    [("2", "0705"), ("2", "0920"), ("2.01", "0801"), ("3", "0815"), ("3", "0816"), ("2", "0630"), ("3", "1001")],
    start=1,
))


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    pg = request.param == "postgresql"
    url = str(request.getfixturevalue("postgres_url")) if pg else f"sqlite:///{tmp_path / 'm.db'}"
    db.migrate(url)
    return url


def at(d: str, hour: int = 3) -> datetime:  # 03:00 UTC = 10:00 in Vietnam, the same calendar day
    return datetime.fromisoformat(f"2026-{d}T{hour:02d}:00:00").replace(tzinfo=UTC)


def day(d: str) -> date:
    return date.fromisoformat(f"2026-{d}")


def doc(i: int, dossier: str, unit: str, role: str, created: str, doc_type: str, fields: dict[str, str],
        review: bool = False) -> Document:
    return Document(
        id=f"doc-{i}", sha256=f"{i:064d}", unit=unit, role=role, source=f"{dossier}.{i}.pdf", doc_type=doc_type,
        doc_type_confidence=0.9, role_mismatch=False, review=review, ma_ho_so=dossier, pages=1, fields=fields,
        field_confidence={}, text="", prefix="p/", outputs=[], created_at=at(created),
    )


def entry(code: str, unit: str, proc: str, received: str, completed: str | None = None, *,
          paper: bool | None = None, reused: bool = False, kho: bool = False, dc: bool = False) -> RegisterEntry:
    return RegisterEntry(
        ma_ho_so=code, unit=unit, ma_thu_tuc=proc, received_on=day(received),
        completed_on=day(completed) if completed else None, paper_result=paper, reused=reused,
        ket_noi_kho=kho, du_lieu_dan_cu=dc, imported_at=at("07-01"),
    )


def scenario(url: str, *, register: bool = True) -> None:
    with db.session_scope(url) as s:
        s.add_all([
            Unit(code="H50", name="Tỉnh Quảng Trị", parent_code=None),
            Unit(code="H50.12", name="Xã Thanh Thạch", parent_code="H50"),
            Unit(code="H50.12.01", name="Bộ phận một cửa Thanh Thạch", parent_code="H50.12"),
            Unit(code="H50.13", name="Xã Kim Hóa", parent_code="H50"),
            Unit(code="H50.14", name="Xã Minh Hóa", parent_code="H50"),
            Procedure(code="1.001193", name="Đăng ký khai sinh", paper_result=True),
            Procedure(code="2.000815", name="Chứng thực bản sao từ bản chính", paper_result=False),
        ])
        for code, unit, seen in ((A, "H50.12", "07-05"), (B, "H50.12", "09-20"), (C, "H50.12.01", "08-01")):
            s.add(Dossier(ma_ho_so=code, unit=unit, first_seen=at(seen)))
        s.flush()
        s.add_all([
            doc(1, A, "H50.12", "thanh_phan", "07-05", "to_khai", {"ho_ten": "Nguyễn Thị Hoa"}),
            doc(2, A, "H50.12", "ket_qua", "07-10", "giay_khai_sinh",
                {"ho_ten": "Lê Văn An", "so_dinh_danh": "044196001234"}, review=True),
            doc(3, B, "H50.12", "thanh_phan", "09-20", "khac", {}),
            doc(4, B, "H50.12", "ket_qua", "10-03", "giay_khai_sinh", {"ho_ten": "X"}),
            # a value quoting another key must not count as that key
            doc(5, C, "H50.12.01", "thanh_phan", "08-01", "quyet_dinh",
                {"so_ky_hieu": "12/QĐ-UBND", "ngay_ban_hanh": "2026-08-01", "dia_danh": 'x "trich_yeu": y'}),
        ])
        s.flush()
        s.add_all([
            Page(document_id="doc-1", page_no=1, source="ocr", compliant=True),
            Page(document_id="doc-1", page_no=2, source="ocr", compliant=False),
            Page(document_id="doc-2", page_no=1, source="text_layer", compliant=None),
            Page(document_id="doc-3", page_no=1, source="ocr", compliant=True),
            Page(document_id="doc-5", page_no=1, source="ocr", compliant=False),
            DossierLink(ma_ho_so=E, document_id="doc-1", role="thanh_phan", via="sha256", linked_at=at("08-16")),
        ])
        if register:
            s.add_all([
                entry(A, "H50.12", "1.001193", "07-05", "07-10"),
                entry(B, "H50.12", "1.001193", "09-20", "10-03"),
                entry(C, "H50.12.01", "2.000815", "08-01", "08-01", kho=True),
                entry(D, "H50.13", "1.001193", "08-15", paper=False, reused=True, dc=True),
                entry(E, "H50.13", "1.000894", "08-16", "08-20"),
                entry(F, "H50.12", "1.001193", "06-30", "07-02"),
                entry(G, "H50.13", "1.001193", "10-01"),
            ])


def unit(r: Report, code: str) -> UnitMetrics:
    return next(u for u in r.units if u.unit == code)


def nd(m: UnitMetrics, key: str) -> tuple[int, int, float | None]:
    v = next(i for i in [*m.indicators, *m.quality] if i.key == key)
    return v.numerator, v.denominator, v.ratio


def points(m: UnitMetrics, key: str) -> float | None:
    return next(i.points for i in m.indicators if i.key == key)


def test_periods() -> None:
    assert parse_period("2026-Q3") == Period("2026-Q3", "quarter", date(2026, 7, 1), date(2026, 10, 1))
    assert parse_period("2026-q4").end == date(2027, 1, 1)
    assert parse_period("2026-09") == Period("2026-09", "month", date(2026, 9, 1), date(2026, 10, 1))
    assert parse_period("2026-12").end == date(2027, 1, 1)
    assert parse_period("2026") == Period("2026", "year", date(2026, 1, 1), date(2027, 1, 1))
    for bad in ("2026-Q5", "2026-13", "26", "Q3-2026"):
        with pytest.raises(ValueError, match="expected a year"):
            parse_period(bad)
    with pytest.raises(ValueError, match="unknown indicator"):
        thresholds_from({"nope": 0.8})
    with pytest.raises(ValueError, match=r"in \(0, 1\]"):
        thresholds_from({"so_hoa_ho_so": 80})


def test_quarter_roll_up_and_points(db_url: str) -> None:
    scenario(db_url)
    r = compute(db_url, parse_period("2026-Q3"), as_of=date(2026, 10, 15))
    assert r.source == "register" and not r.notes
    assert [(u.unit, u.level) for u in r.units] == [
        ("H50", 0), ("H50.12", 1), ("H50.12.01", 2), ("H50.13", 1), ("H50.14", 1)
    ]
    office, commune, other, empty, province = (
        unit(r, "H50.12.01"), unit(r, "H50.12"), unit(r, "H50.13"), unit(r, "H50.14"), unit(r, "H50")
    )
    # C alone: no paper result, so not in ket_qua_dien_tu at all (n/a); a component suffices for so_hoa.
    assert (office.dossiers, office.own_dossiers) == (1, 1)
    assert nd(office, "ket_qua_dien_tu") == (0, 0, None) and points(office, "ket_qua_dien_tu") is None
    assert nd(office, "so_hoa_ho_so") == (1, 1, 1.0)
    assert nd(office, "ket_noi_kho") == (1, 1, 1.0)
    # A and B (B received in September, completed with its result in October: counts, as of 10-15) + C.
    assert (commune.dossiers, commune.own_dossiers) == (3, 2)
    assert nd(commune, "ket_qua_dien_tu") == (2, 2, 1.0)
    assert nd(commune, "so_hoa_ho_so") == (3, 3, 1.0)
    assert nd(commune, "tai_su_dung") == (0, 3, 0.0)
    # D: register says no paper result and flags reuse; E: completed, paper (procedure unknown), no result,
    # a component linked from A's dossier: reused, but not digitised (its result is missing).
    assert nd(other, "ket_qua_dien_tu") == (0, 1, 0.0)
    assert nd(other, "so_hoa_ho_so") == (0, 2, 0.0)
    assert nd(other, "tai_su_dung") == (2, 2, 1.0)
    assert nd(other, "du_lieu_dan_cu") == (1, 2, 0.5)
    assert empty.dossiers == 0 and all(i.ratio is None and i.points is None for i in empty.indicators)
    assert empty.points is None
    # F (Q2) and G (Q4) are out of the period.
    assert province.dossiers == 5
    assert nd(province, "ket_qua_dien_tu")[:2] == (2, 3)
    assert nd(province, "so_hoa_ho_so") == (3, 5, 0.6)
    assert nd(province, "tai_su_dung") == (2, 5, 0.4)
    assert nd(province, "ket_noi_kho") == (1, 5, 0.2)
    assert nd(province, "du_lieu_dan_cu") == (1, 5, 0.2)
    # points = min(max, max × ratio / 1.0): 6×2/3 + 4×0.6 + 2×0.4 + 4×0.2 + 2×0.2 = 4 + 2.4 + 0.8 + 0.8 + 0.4
    assert province.points == pytest.approx(8.4)
    assert r.total.dossiers == 5 and r.total.points == pytest.approx(8.4) and r.max_points == 18
    # Quality over the documents recorded in Q3 (B's result of 10-03 is in Q4): pages judged are the
    # scanned ones; mandatory fields: to_khai 1/1, giay_khai_sinh 2/3, khac none, quyet_dinh 2/4.
    assert nd(commune, "scan_compliance") == (2, 4, 0.5)
    assert nd(commune, "metadata_completeness") == (5, 8, 0.625)
    assert nd(commune, "review_rate") == (1, 4, 0.25)
    assert nd(other, "review_rate") == (0, 0, None)


def test_thresholds_of_80_percent(db_url: str) -> None:
    scenario(db_url)
    r = compute(db_url, parse_period("2026-Q3"), as_of=date(2026, 10, 15),
                thresholds={"so_hoa_ho_so": 0.8, "tai_su_dung": 0.8})
    province, commune = unit(r, "H50"), unit(r, "H50.12")
    assert points(province, "so_hoa_ho_so") == pytest.approx(3.0)  # 4 × 0.6 / 0.8
    assert points(province, "tai_su_dung") == pytest.approx(1.0)  # 2 × 0.4 / 0.8
    assert points(commune, "so_hoa_ho_so") == pytest.approx(4.0)  # 4 × 1.0 / 0.8 = 5, capped at 4
    assert r.thresholds["so_hoa_ho_so"] == 0.8 and r.thresholds["ket_qua_dien_tu"] == 1.0


def test_as_of_date_and_partial_month(db_url: str) -> None:
    scenario(db_url)
    r = compute(db_url, parse_period("2026-Q3"), as_of=date(2026, 9, 30))
    commune = unit(r, "H50.12")
    # B is not completed on 09-30 and its result came on 10-03: out of ket_qua_dien_tu, not digitised.
    assert nd(commune, "ket_qua_dien_tu") == (1, 1, 1.0)
    assert nd(commune, "so_hoa_ho_so") == (2, 3, pytest.approx(2 / 3))
    # September alone, as of the 30th: only B, not completed.
    sep = compute(db_url, parse_period("2026-09"), as_of=date(2026, 9, 30), unit="H50.12")
    assert [u.unit for u in sep.units] == ["H50.12", "H50.12.01"]
    assert sep.total.dossiers == 1
    assert nd(sep.total, "ket_qua_dien_tu") == (0, 0, None)
    assert nd(sep.total, "so_hoa_ho_so") == (0, 1, 0.0)
    # A month still running: dossiers received after the as-of day do not exist yet.
    early = compute(db_url, parse_period("2026-08"), as_of=date(2026, 8, 15))
    assert unit(early, "H50").dossiers == 2  # C (08-01) and D (08-15); E (08-16) not yet


def test_dossier_lists_match_the_counts(db_url: str) -> None:
    scenario(db_url)
    period = parse_period("2026-Q3")
    rows = {d.ma_ho_so: d for d in dossier_details(db_url, period, as_of=date(2026, 10, 15))}
    assert set(rows) == {A, B, C, D, E}
    assert rows[E].reused and rows[E].component_digitised and not rows[E].result_digitised
    assert rows[B].completed_on == date(2026, 10, 3)
    assert "ket_qua_dien_tu" not in rows[C].denominator and "so_hoa_ho_so" in rows[C].numerator
    report = compute(db_url, period, as_of=date(2026, 10, 15))
    for ind in report.total.indicators:
        assert sum(ind.key in d.numerator for d in rows.values()) == ind.numerator, ind.key
        assert sum(ind.key in d.denominator for d in rows.values()) == ind.denominator, ind.key
    sub = [d.ma_ho_so for d in dossier_details(db_url, period, unit="H50.12", as_of=date(2026, 10, 15))]
    assert sorted(sub) == sorted([A, B, C])


def test_without_a_register_the_pipeline_dossiers_stand_in(db_url: str) -> None:
    scenario(db_url, register=False)
    r = compute(db_url, parse_period("2026-Q3"), as_of=date(2026, 10, 15))
    assert r.source == "pipeline" and r.notes
    commune = unit(r, "H50.12")
    # A, B and C are the dossiers seen; completion is known only from a digitised result (A, B).
    assert commune.dossiers == 3
    assert nd(commune, "ket_qua_dien_tu") == (2, 2, 1.0)
    kho = next(i for i in commune.indicators if i.key == "ket_noi_kho")
    assert kho.ratio is None and kho.points is None
    # Only a register has the flags: nothing to divide by, and the figure says why.
    assert (kho.numerator, kho.denominator) == (0, 0)
    assert [(g.input, g.dossiers) for g in kho.missing] == [("register", 3)]
    assert kho.reason is not None and kho.reason.startswith("chưa nhập sổ đăng ký")
    assert "No register" not in " ".join(r.notes)  # the notes are Vietnamese, without an English tail


def test_unknown_unit_is_an_error(db_url: str) -> None:
    scenario(db_url)
    with pytest.raises(ValueError, match="H99"):
        compute(db_url, parse_period("2026-Q3"), unit="H99")


def from_an_export_without_flags(url: str, *codes: str) -> None:
    """These dossiers as an import of a file with no completion, reuse, data-store and population columns
    leaves them: those inputs unknown."""
    with db.session_scope(url) as s:
        for code in codes:
            e = s.get(RegisterEntry, code)
            assert e is not None
            e.completed_on, e.completed_known = None, False
            e.reused = e.ket_noi_kho = e.du_lieu_dan_cu = None


def test_missing_inputs_are_said_beside_the_figure_not_read_as_zero(db_url: str) -> None:
    """D and E came from an export without completion and flag columns; E's procedure (1.000894) is in
    no list and the register does not say whether it issues a paper result."""
    scenario(db_url)
    from_an_export_without_flags(db_url, D, E)
    period = parse_period("2026-Q3")
    r = compute(db_url, period, as_of=date(2026, 10, 15))
    other, province = unit(r, "H50.13"), unit(r, "H50")

    def gaps(m: UnitMetrics, key: str) -> list[tuple[str, int]]:
        return [(g.input, g.dossiers) for g in next(i for i in m.indicators if i.key == key).missing]

    # D issues no paper result (register); E might have been completed: left out, and counted as missing.
    assert nd(other, "ket_qua_dien_tu") == (0, 0, None) and gaps(other, "ket_qua_dien_tu") == [("completed_on", 1)]
    assert nd(other, "so_hoa_ho_so") == (0, 2, 0.0) and gaps(other, "so_hoa_ho_so") == [("paper_result", 1)]
    # D's reuse flag is unknown: only E's reuse, which the pipeline saw, counts.
    assert nd(other, "tai_su_dung") == (1, 2, 0.5) and gaps(other, "tai_su_dung") == [("reused", 2)]
    assert nd(other, "ket_noi_kho") == (0, 0, None) and gaps(other, "ket_noi_kho") == [("ket_noi_kho", 2)]
    assert nd(other, "du_lieu_dan_cu") == (0, 0, None) and gaps(other, "du_lieu_dan_cu") == [("du_lieu_dan_cu", 2)]
    # Rolled up: A and B in ket_qua_dien_tu, C's kho flag over the three dossiers whose flag is known.
    assert nd(province, "ket_qua_dien_tu") == (2, 2, 1.0) and gaps(province, "ket_qua_dien_tu") == [("completed_on", 1)]
    assert nd(province, "so_hoa_ho_so") == (3, 5, 0.6)
    assert nd(province, "ket_noi_kho") == (1, 3, pytest.approx(1 / 3))
    assert nd(province, "du_lieu_dan_cu") == (0, 3, 0.0)
    kq = next(i for i in province.indicators if i.key == "ket_qua_dien_tu")
    assert kq.reason == ("1 hồ sơ không có ngày hoàn thành (tệp sổ đăng ký đã nhập không có cột này): không tính "
                         "vào mẫu số")
    assert all(not i.missing and i.reason is None for i in unit(r, "H50.12").indicators)
    # The dossier lists say the same, dossier by dossier.
    rows = {d.ma_ho_so: d for d in dossier_details(db_url, period, as_of=date(2026, 10, 15))}
    assert rows[E].missing == ["completed_on", "paper_result", "reused", "ket_noi_kho", "du_lieu_dan_cu"]
    assert rows[D].missing == ["completed_on", "reused", "ket_noi_kho", "du_lieu_dan_cu"] and not rows[A].missing
    for ind in province.indicators:
        assert sum(ind.key in d.denominator for d in rows.values()) == ind.denominator, ind.key
        assert sum(ind.key in d.numerator for d in rows.values()) == ind.numerator, ind.key


def test_an_empty_report_says_where_the_dossiers_are(db_url: str) -> None:
    empty = compute(db_url, parse_period("2026-Q3"), as_of=date(2026, 10, 15))
    assert empty.total.dossiers == 0 and empty.notes == [
        "Không có hồ sơ nào tiếp nhận trong kỳ 2026-Q3: chưa nhập sổ đăng ký (sohoa import-register) và hệ thống "
        "chưa thấy hồ sơ nào."
    ]
    scenario(db_url)
    r = compute(db_url, parse_period("2025-Q3"), as_of=date(2026, 10, 15))
    assert r.notes == ["Không có hồ sơ nào tiếp nhận trong kỳ 2025-Q3; sổ đăng ký có hồ sơ tiếp nhận từ 2026-06-30 "
                       "đến 2026-10-01 (kỳ gần nhất: --period 2026-Q4)."]
    r = compute(db_url, parse_period("2026-Q3"), unit="H50.14", as_of=date(2026, 9, 1))
    assert r.notes == ["Không có hồ sơ nào tiếp nhận trong kỳ 2026-Q3 ở đơn vị H50.14 tính đến ngày 2026-09-01; sổ "
                       "đăng ký có hồ sơ tiếp nhận (mọi đơn vị) từ 2026-06-30 đến 2026-10-01 (kỳ gần nhất: --period "
                       "2026-Q4)."]
