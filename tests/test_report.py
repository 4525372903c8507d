"""The report's exports (pipeline/index/report.py): what a reader sees beside a figure whose input is
missing, in the table, CSV, XLSX and JSON; and no `n/a n/ađ`, no English tail on a Vietnamese note."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest

from pipeline.index.metrics import compute, dossier_details, parse_period
from pipeline.index.report import render_table, write_csv, write_details, write_json, write_xlsx
from pipeline.keep import db
from schemas.report import Report
from tests.test_metrics import D, E, from_an_export_without_flags, scenario

AS_OF = date(2026, 10, 15)
Q3 = parse_period("2026-Q3")


@pytest.fixture
def url(tmp_path: Path) -> str:
    """test_metrics' scenario, D and E imported from an export without completion and flag columns."""
    u = f"sqlite:///{tmp_path / 'r.db'}"
    db.migrate(u)
    scenario(u)
    from_an_export_without_flags(u, D, E)
    return u


def line_of(table: str, unit: str) -> str:
    return next(ln for ln in table.splitlines() if ln.strip().startswith(unit + " "))


def test_table_says_beside_the_figure_what_is_missing(url: str) -> None:
    table = render_table(compute(url, Q3, as_of=AS_OF))
    assert "n/a n/a" not in table and "n/ađ" not in table
    other = line_of(table, "H50.13")
    assert "0/0 n/a (1 thiếu ngày HT)" in other  # E's completion is unknown; D issues no paper result
    assert "0/2 0.0% 0đ (1 chưa rõ KQ giấy)" in other
    assert "1/2 50.0% 1đ (2 thiếu cột TSD)" in other and "0/0 n/a (2 thiếu cột kho)" in other
    assert "(" not in line_of(table, "H50.12").split("Xã Thanh Thạch", 1)[1]  # nothing missing there
    legend = table.split("Ghi chú:\n", 1)[1].splitlines()
    assert legend[0].startswith("  n/a: mẫu số bằng 0")
    assert [ln.split(":")[0].strip() for ln in legend[1:]] == [
        "thiếu ngày HT", "chưa rõ KQ giấy", "thiếu cột TSD", "thiếu cột kho", "thiếu cột DC"]


def test_without_a_register_the_table_and_notes_stay_vietnamese(tmp_path: Path) -> None:
    u = f"sqlite:///{tmp_path / 'p.db'}"
    db.migrate(u)
    scenario(u, register=False)
    rep = compute(u, Q3, as_of=AS_OF)
    table = render_table(rep)
    assert "0/0 n/a (chưa có sổ ĐK)" in line_of(table, "H50.12")
    words = {w for n in rep.notes for w in n.replace("sohoa import-register", "").split()}
    assert rep.notes and not words & {"No", "register", "imported", "rates", "over", "pipeline", "seen"}
    assert "chưa có sổ ĐK: chưa nhập sổ đăng ký hồ sơ" in table
    # A period with no dossier says so, and where the dossiers are.
    empty = render_table(compute(u, parse_period("2026-Q1"), as_of=AS_OF))
    assert "Không có hồ sơ nào tiếp nhận trong kỳ 2026-Q1; hệ thống đã thấy hồ sơ từ 2026-07-05" in empty


def test_csv_json_and_xlsx_carry_the_reason(url: str, tmp_path: Path) -> None:
    rep = compute(url, Q3, as_of=AS_OF)
    out = io.StringIO()
    write_csv(rep, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    kq = next(r for r in rows if r["unit"] == "H50.13" and r["indicator"] == "ket_qua_dien_tu")
    assert (kq["ratio"], kq["points"], kq["missing"]) == ("n/a", "n/a", "completed_on:1")
    assert kq["reason"].startswith("1 hồ sơ không có ngày hoàn thành")
    assert all(r["missing"] == "" and r["reason"] == "" for r in rows if r["unit"] == "H50.12")

    out = io.StringIO()
    write_json(rep, out)
    data = json.loads(out.getvalue())
    schema = json.loads((Path(__file__).parent.parent / "schemas/json/report.schema.json").read_text())
    jsonschema.validate(data, schema)
    assert Report.model_validate(data) == rep
    kho = next(i for u in data["units"] if u["unit"] == "H50" for i in u["indicators"] if i["key"] == "ket_noi_kho")
    assert (kho["numerator"], kho["denominator"], kho["missing"]) == (1, 3, [{"input": "ket_noi_kho", "dossiers": 2}])

    xlsx = tmp_path / "r.xlsx"
    write_xlsx(rep, xlsx, dossier_details(url, Q3, as_of=AS_OF))
    from openpyxl import load_workbook

    wb = load_workbook(xlsx, read_only=True)
    head, *body = list(wb["Cấp 2"].iter_rows(values_only=True))
    row = next(r for r in body if r[0] == "H50.13")
    col = head.index("Hồ sơ có kết quả điện tử – ghi chú")
    assert head[col - 1] == "Hồ sơ có kết quả điện tử – điểm" and row[col - 1] == "n/a"
    assert str(row[col]).startswith("1 hồ sơ không có ngày hoàn thành")
    dossiers = list(wb["Hồ sơ"].iter_rows(values_only=True))
    assert dossiers[0][-1] == "Thiếu thông tin"
    assert next(r for r in dossiers if r[0] == D)[-1] == "completed_on reused ket_noi_kho du_lieu_dan_cu"

    out = io.StringIO()
    write_details(dossier_details(url, Q3, as_of=AS_OF), "csv", out)
    detail = {r["ma_ho_so"]: r for r in csv.DictReader(io.StringIO(out.getvalue()))}
    assert detail[E]["missing"] == "completed_on paper_result reused ket_noi_kho du_lieu_dan_cu"
