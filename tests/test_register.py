"""Importing the one-stop-shop register, the procedures list and the unit tree (CSV and XLSX)."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from pipeline.index.register import (
    ImportFileError,
    import_procedures,
    import_register,
    import_units,
    to_bool,
    to_date,
)
from pipeline.keep import db
from pipeline.keep.models import Procedure, RegisterEntry, Unit

HEADER = (
    "STT,Mã hồ sơ,Mã TTHC,Mã đơn vị,Ngày tiếp nhận,Ngày hẹn trả,Ngày hoàn thành,Hình thức nộp,"
    "Có kết quả giấy,Tái sử dụng,Kết nối kho,Dữ liệu dân cư"
)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    pg = request.param == "postgresql"
    url = str(request.getfixturevalue("postgres_url")) if pg else f"sqlite:///{tmp_path / 'r.db'}"
    db.migrate(url)
    return url


def write_csv(path: Path, rows: list[str]) -> Path:
    # A title block above the header, as the exports have; UTF-8 with a BOM, as Excel saves it.
    path.write_text("DANH SÁCH HỒ SƠ TIẾP NHẬN\nQuý III năm 2026\n\n" + HEADER + "\n" + "\n".join(rows) + "\n",
                    encoding="utf-8-sig")
    return path


GOOD = [
    "1,H50.12-260705-0001,1.001193,H50.12,05/07/2026,10/07/2026,09/07/2026 16:30,Trực tiếp,Có,,x,Không",
    "2,H50.12-260920-0002,1.001193.000.00.00.H50,H50.12,20-09-2026,03/10/2030,,Trực tuyến mức độ 4,,1,0,Có",
    "3,H50.13-260801-0003,2.000815,H50.13,2026-08-01,,2026-08-01,Dịch vụ bưu chính,Không,,,",
]
BAD = [
    "4,H50.13-260802-0004,1.001193,H50.13,31/02/2026,,,,,,,",  # line 8: no such day
    "5,H50.13-260803-0005,1.001193,,03/08/2026,,,,,,,",  # line 9: no unit
    "6,H50.13-260804-0006,1.001193,H50.13,04/08/2026,,01/08/2026,,,,,",  # line 10: completed before received
    "7,H50.12-260705-0001,1.001193,H50.12,05/07/2026,,,,,,,",  # line 11: repeats line 5
    "8,H50.13-260805-0008,1.001193,H50.13,05/08/2026,,,,có lẽ,,,",  # line 12: not a yes/no
]


def count(url: str) -> int:
    with db.session_scope(url) as s:
        return s.scalar(select(func.count()).select_from(RegisterEntry)) or 0


def test_cell_readers() -> None:
    assert to_date("07/04/2023") == date(2023, 4, 7)
    assert to_date("7-4-2023 08:30:00") == date(2023, 4, 7)
    assert to_date("ngày 07 tháng 4 năm 2023") == date(2023, 4, 7)
    assert to_date("2031-12-31") == date(2031, 12, 31)  # due dates lie in the future
    assert to_date(datetime(2026, 7, 5, 9, 30)) == date(2026, 7, 5)
    assert to_date(46208) == date(2026, 7, 5)  # a spreadsheet serial day
    assert to_date("") is None
    for bad in ("31/02/2026", "2026-13-01", "hôm qua", "12/UBND"):
        with pytest.raises(ValueError):
            to_date(bad)
    assert [to_bool(v) for v in ("Có", "x", "1", "TRUE", "Không", "0", "", None)] == [
        True, True, True, True, False, False, None, None
    ]


def test_all_or_nothing_then_partial_then_reimport_updates(db_url: str, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "so-dang-ky.csv", GOOD + BAD)
    res = import_register(path, db_url)
    assert not res.committed and count(db_url) == 0
    assert (res.rows, res.error_count) == (8, 5)
    lines = {e.line: e.reason for e in res.errors}
    assert sorted(lines) == [8, 9, 10, 11, 12]
    assert "31/02/2026" in lines[8]
    assert "unit" in lines[9].lower() or "Mã đơn vị" in lines[9]
    assert "before the reception date" in lines[10]
    assert "repeats line 5" in lines[11]
    assert "có lẽ" in lines[12]

    res = import_register(path, db_url, partial=True)
    assert res.committed and (res.inserted, res.updated, res.error_count) == (3, 0, 5)
    with db.session_scope(db_url) as s:
        a = s.get(RegisterEntry, "H50.12-260705-0001")
        b = s.get(RegisterEntry, "H50.12-260920-0002")
        c = s.get(RegisterEntry, "H50.13-260801-0003")
        assert a is not None and b is not None and c is not None
        assert (a.received_on, a.due_on, a.completed_on) == (date(2026, 7, 5), date(2026, 7, 10), date(2026, 7, 9))
        assert (a.channel, a.paper_result, a.reused, a.ket_noi_kho, a.du_lieu_dan_cu) == (
            "truc_tiep", True, False, True, False
        )
        assert (b.ma_thu_tuc, b.due_on, b.completed_on) == ("1.001193", date(2030, 10, 3), None)
        assert b.channel == "truc_tuyen"
        assert (b.paper_result, b.reused, b.du_lieu_dan_cu) == (None, True, True)
        assert (c.channel, c.paper_result, c.source_file, c.source_line) == ("buu_chinh", False, "so-dang-ky.csv", 7)

    # The next export: B completed, one new dossier. Updated in place, never duplicated.
    changed = [GOOD[0], GOOD[1].replace(",03/10/2030,,", ",03/10/2030,02/10/2026,"), GOOD[2],
               "9,H50.13-260901-0009,1.000894,H50.13,01/09/2026,,,,,,,"]
    res = import_register(write_csv(tmp_path / "next.csv", changed), db_url)
    assert res.committed and (res.inserted, res.updated) == (1, 3)
    assert count(db_url) == 4
    with db.session_scope(db_url) as s:
        b = s.get(RegisterEntry, "H50.12-260920-0002")
        assert b is not None and b.completed_on == date(2026, 10, 2) and b.source_file == "next.csv"


def test_xlsx_with_a_mapping_of_its_own(db_url: str, tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Báo cáo hồ sơ"])
    ws.append(["Số HS", "Thủ tục", "Cơ quan", "Nhận lúc", "Xong lúc", "KQ giấy"])
    ws.append(["H50.12-260705-0001", "1.001193", "H50.12", datetime(2026, 7, 5, 8, 0), datetime(2026, 7, 9), "x"])
    ws.append(["H50.12-260706-0002", "2.000815", "H50.12", "06/07/2026", None, 0])
    wb.save(tmp_path / "export.xlsx")
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        "columns:\n  ma_ho_so: Số HS\n  ma_thu_tuc: Thủ tục\n  unit: [Mã CQ, Cơ quan]\n"
        "  received_on: Nhận lúc\n  completed_on: Xong lúc\n  paper_result: KQ giấy\n",
        encoding="utf-8",
    )
    # Without the mapping the export's headers are not recognised: the error names what is missing.
    with pytest.raises(ImportFileError, match=r"ma_ho_so.*unit.*received_on"):
        import_register(tmp_path / "export.xlsx", db_url)
    res = import_register(tmp_path / "export.xlsx", db_url, mapping=mapping)
    assert res.committed and res.inserted == 2 and not res.errors
    with db.session_scope(db_url) as s:
        e = s.get(RegisterEntry, "H50.12-260705-0001")
        assert e is not None and (e.received_on, e.completed_on, e.paper_result) == (
            date(2026, 7, 5), date(2026, 7, 9), True
        )
        e2 = s.get(RegisterEntry, "H50.12-260706-0002")
        assert e2 is not None and e2.paper_result is False and e2.source_line == 4


def test_procedures_and_units(db_url: str, tmp_path: Path) -> None:
    procs = tmp_path / "tthc.csv"
    procs.write_text("Mã TTHC;Tên thủ tục;Có kết quả giấy\n1.001193;Đăng ký khai sinh;Có\n"
                     "2.000815;Chứng thực bản sao từ bản chính;Không\n1.000894;Đăng ký kết hôn;\n", encoding="utf-8")
    res = import_procedures(procs, db_url)
    assert res.committed and res.inserted == 3
    with db.session_scope(db_url) as s:
        assert {p.code: p.paper_result for p in s.scalars(select(Procedure))} == {
            "1.001193": True, "2.000815": False, "1.000894": True
        }
    units = tmp_path / "units.csv"
    units.write_text("code,name,parent_code\nH50,Tỉnh Quảng Trị,\nH50.12,Xã Thanh Thạch,H50\n"
                     "H50.12.01,Một cửa,H50.12\n", encoding="utf-8")
    assert import_units(units, db_url).inserted == 3
    cyclic = tmp_path / "cycle.csv"
    cyclic.write_text("code,name,parent_code\nH50,Tỉnh Quảng Trị,H50.12.01\n", encoding="utf-8")
    res = import_units(cyclic, db_url)
    assert not res.committed and "cycle" in res.errors[0].reason
    with db.session_scope(db_url) as s:
        h50 = s.get(Unit, "H50")
        assert h50 is not None and h50.parent_code is None  # the cyclic import was rolled back


def test_cli_import_and_report(tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    from sohoa.cli import app

    runner = CliRunner()
    path = write_csv(tmp_path / "so.csv", GOOD + BAD[:1])
    out = runner.invoke(app, ["import-register", str(path)])
    assert out.exit_code == 1
    assert f"{path}:8:" in out.output and "nothing imported" in out.output
    out = runner.invoke(app, ["import-register", str(path), "--partial"])
    assert out.exit_code == 0, out.output
    assert "register: 3 new, 0 updated, 1 bad rows skipped" in out.output
    out = runner.invoke(app, ["import-register", str(tmp_path / "missing.csv")])
    assert out.exit_code == 2 and "no such file" in out.output

    out = runner.invoke(app, ["report", "--period", "2026-Q3", "--as-of", "2026-10-15", "--format", "json"])
    assert out.exit_code == 0, out.output
    report = json.loads(out.stdout)
    import jsonschema

    schema = json.loads((Path(__file__).parent.parent / "schemas/json/report.schema.json").read_text())
    jsonschema.validate(report, schema)
    assert report["source"] == "register" and report["total"]["dossiers"] == 3
    sh = next(i for i in report["total"]["indicators"] if i["key"] == "so_hoa_ho_so")
    assert (sh["numerator"], sh["denominator"]) == (0, 3)  # nothing digitised yet
    kq = next(i for i in report["total"]["indicators"] if i["key"] == "ket_qua_dien_tu")
    assert (kq["numerator"], kq["denominator"], kq["ratio"]) == (0, 1, 0.0)  # A completed; C has no paper result

    out = runner.invoke(app, ["report", "--period", "2026-Q3", "--as-of", "2026-10-15", "--format", "csv"])
    assert out.exit_code == 0 and out.stdout.splitlines()[0].startswith("period,as_of,source,unit")
    assert any(",ket_qua_dien_tu,0,0,n/a," in line for line in out.stdout.splitlines())  # H50.13: n/a
    out = runner.invoke(app, ["report", "--period", "2026-Q3", "--as-of", "2026-10-15", "--dossiers",
                              "--format", "csv"])
    assert out.exit_code == 0 and len(out.stdout.splitlines()) == 4
    out = runner.invoke(app, ["report", "--period", "2026-Q3", "--as-of", "2026-10-15"])
    assert out.exit_code == 0 and "Tổng" in out.stdout and "n/a" in out.stdout

    xlsx = tmp_path / "r.xlsx"
    out = runner.invoke(app, ["report", "--period", "2026-Q3", "--as-of", "2026-10-15", "--format", "xlsx",
                              "--output", str(xlsx), "--dossiers"])
    assert out.exit_code == 0, out.output
    from openpyxl import load_workbook

    wb = load_workbook(xlsx, read_only=True)
    assert wb.sheetnames == ["Tổng hợp", "Cấp 1", "Hồ sơ"]  # no unit tree imported: every unit a root
    rows = list(wb["Cấp 1"].iter_rows(values_only=True))
    assert rows[0][:4] == ("Mã đơn vị", "Tên đơn vị", "Đơn vị cấp trên", "Số hồ sơ")
    assert "Hồ sơ có kết quả điện tử – tử số" in rows[0]
    by_unit = {r[0]: r for r in rows[1:]}
    assert set(by_unit) == {"H50.12", "H50.13"} and by_unit["H50.12"][3] == 2
    i = rows[0].index("Hồ sơ có kết quả điện tử – tỷ lệ")
    assert by_unit["H50.13"][i] == "n/a" and by_unit["H50.12"][i] == 0.0
    assert len(list(wb["Hồ sơ"].iter_rows())) == 4

    out = runner.invoke(app, ["report", "--period", "2026-Q5"])
    assert out.exit_code != 0 and "expected a year" in out.output
