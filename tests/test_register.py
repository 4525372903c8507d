"""Importing the one-stop-shop register, the procedures list and the unit tree (CSV and XLSX)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
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
    "5,MC-0005,1.001193,,03/08/2026,,,,,,,",  # line 9: no unit, and a dossier code that carries none
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
        "  received_on: Nhận lúc\n  completed_on: Xong lúc\n  paper_result: KQ giấy\n"
        "ignore: [reused, ket_noi_kho, du_lieu_dan_cu]\n",  # this export has no such flags
        encoding="utf-8",
    )
    # Without the mapping the export's headers are not recognised: the error names what is missing.
    with pytest.raises(ImportFileError, match=r"(?s)ma_ho_so.*received_on.*not understood: 'Số HS'"):
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
            "1.001193": True, "2.000815": False, "1.000894": None  # the list does not say: unknown, not yes
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
    out = runner.invoke(app, ["report", "--period", "2026-Q3", "--format", "xlsx"])
    assert out.exit_code == 2 and "give -o FILE.xlsx" in out.output


# --- exports in each header style, and the indicators they give (issue 15) ---------------------------
# Six dossiers; the same in every style. Hand-computed as of 2026-10-15, period 2026-Q3 (F is Q4):
# | dossier | unit   | procedure (paper?)   | received | completed | digitised          |
# | A       | H50.12 | 1.001193 khai sinh (y) | 07-05  | 07-09     | component + result |
# | B       | H50.12 | 1.001193 (y)           | 09-20  | —         | —                  |
# | C       | H50.12 | 2.000815 chứng thực (n)| 08-01  | 08-01     | component          |
# | D       | H50.13 | 1.000894 kết hôn (y)   | 08-15  | 08-20     | —                  |
# | E       | H50.13 | 1.001193 (y)           | 08-16  | 08-18     | component          |
# | F       | H50.13 | 1.001193 (y)           | 10-01  | —         | —                  |
# ket_qua_dien_tu (completed with a paper result; result digitised): H50.12 A → 1/1; H50.13 D, E → 0/2;
# H50 1/3 = 2 of 6 points. so_hoa_ho_so (a component, and the result where paper): H50.12 A, C → 2/3;
# H50.13 E lacks its result → 0/2; H50 2/5 = 1.6 of 4 points.
# Where a style has the flags: C ket_noi_kho, D du_lieu_dan_cu, E reused.
UNIT_NAMES = {"H50.12": "UBND xã Thanh Thạch", "H50.13": "Xã Kim Hóa"}
PROC_NAMES = {"1.001193": "Đăng ký khai sinh", "2.000815": "Chứng thực bản sao từ bản chính",
              "1.000894": "Đăng ký kết hôn"}
DOSSIERS = [  # code, unit, procedure, received, due, completed, channel, reused, kho, dc
    ("H50.12-260705-0001", "H50.12", "1.001193", date(2026, 7, 5), date(2026, 7, 10), date(2026, 7, 9), "truc_tiep",
     False, False, False),
    ("H50.12-260920-0002", "H50.12", "1.001193", date(2026, 9, 20), date(2026, 9, 25), None, "truc_tuyen",
     False, False, False),
    ("H50.12-260801-0003", "H50.12", "2.000815", date(2026, 8, 1), date(2026, 8, 1), date(2026, 8, 1), "truc_tiep",
     False, True, False),
    ("H50.13-260815-0004", "H50.13", "1.000894", date(2026, 8, 15), date(2026, 8, 20), date(2026, 8, 20), "buu_chinh",
     False, False, True),
    ("H50.13-260816-0005", "H50.13", "1.001193", date(2026, 8, 16), date(2026, 8, 21), date(2026, 8, 18), "truc_tuyen",
     True, False, False),
    ("H50.13-261001-0006", "H50.13", "1.001193", date(2026, 10, 1), date(2026, 10, 6), None, "truc_tiep",
     False, False, False),
]
CHANNEL_WORDS = {"truc_tiep": "Trực tiếp", "truc_tuyen": "Trực tuyến", "buu_chinh": "Qua bưu chính công ích"}
FLAGLESS = ("reused", "ket_noi_kho", "du_lieu_dan_cu")  # real dossier exports have no such columns


def _dmy(d: date | None, time: str = "") -> str:
    return "" if d is None else d.strftime("%d/%m/%Y") + time


def style_s1a(path: Path) -> tuple[Path, tuple[str, ...]]:
    """The provincial system's dossier list (xlsx): title block, units and procedures by name, the
    submission date beside the reception date, `Ngày kết thúc xử lý`, dates with times."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["DANH SÁCH HỒ SƠ"])
    ws.append([])
    ws.append(["STT", "Đơn vị tiếp nhận", "Người tiếp nhận", "Tên thủ tục hành chính", "Mã hồ sơ", "Trạng thái",
               "Địa chỉ", "Người nộp", "Chủ hồ sơ", "Ngày nộp hồ sơ", "Ngày nhận", "Ngày hẹn trả",
               "Ngày kết thúc xử lý"])
    for i, (code, unit, proc, rec, due, done, *_rest) in enumerate(DOSSIERS, start=1):
        ws.append([i, UNIT_NAMES[unit], "Lê Văn An", PROC_NAMES[proc], code, "Đã trả kết quả", "Thanh Thạch",
                   "Nguyễn Thị Hoa", "Nguyễn Thị Hoa", _dmy(rec - timedelta(days=1), " 23:10:00"),
                   _dmy(rec, " 08:30:15"), _dmy(due, " 17:00:00"), _dmy(done, " 16:45:00")])
    wb.save(path.with_suffix(".xlsx"))
    return path.with_suffix(".xlsx"), FLAGLESS


def style_so_theo_doi(path: Path) -> tuple[Path, tuple[str, ...]]:
    """The Circular 01/2018 "sổ theo dõi" (csv): two header rows under `Ngày, tháng, năm`, then the row of
    column numbers."""
    rows = [
        "SỔ THEO DÕI HỒ SƠ,,,,,,,,,,",
        ",,,,,,,,,,",
        "TT,Mã hồ sơ,Tên TTHC,\"Tên cá nhân, tổ chức\",\"Địa chỉ, số điện thoại\",Cơ quan chủ trì giải quyết,"
        "\"Ngày, tháng, năm\",,,,",
        ",,,,,,Nhận hồ sơ,Hẹn trả kết quả,Trả kết quả,Phương thức nhận kết quả,Ký nhận",
        ",".join(str(i) for i in range(1, 12)),
    ]
    for i, (code, unit, proc, rec, due, done, *_rest) in enumerate(DOSSIERS, start=1):
        rows.append(f"{i},{code},{PROC_NAMES[proc]},Nguyễn Thị Hoa,Thanh Thạch,{UNIT_NAMES[unit]},{_dmy(rec)},"
                    f"{_dmy(due)},{_dmy(done)},Trực tiếp,")
    path = path.with_suffix(".csv")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8-sig")
    return path, FLAGLESS


def style_dvcqg(path: Path) -> tuple[Path, tuple[str, ...]]:
    """The national portal's field names (csv): no unit column (the dossier code carries it), dates as
    yyyyMMddHHmmss, channel codes, `NgayTra` (handed back) beside `NgayKetThucXuLy`."""
    rows = ["MaHoSo,MaTTHC,TenTTHC,KenhThucHien,ChuHoSo,NgayTiepNhan,NgayHenTra,NgayKetThucXuLy,NgayTra,TrangThaiHoSo"]
    codes = {"truc_tiep": 1, "truc_tuyen": 2, "buu_chinh": 3}
    for code, _unit, proc, rec, due, done, channel, *_rest in DOSSIERS:
        stamp = (lambda d: "" if d is None else d.strftime("%Y%m%d") + "083015")  # noqa: E731
        handed = None if done is None else done + timedelta(days=2)
        rows.append(f"{code},{proc},{PROC_NAMES[proc]},{codes[channel]},Nguyễn Thị Hoa,{stamp(rec)},{stamp(due)},"
                    f"{stamp(done)},{stamp(handed)},{10 if done else 4}")
    path = path.with_suffix(".csv")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path, FLAGLESS


def style_english(path: Path) -> tuple[Path, tuple[str, ...]]:
    """English headers (xlsx) with every flag, real date cells and ISO strings."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["dossier code", "procedure code", "unit code", "received on", "due date", "completed on", "channel",
               "paper result", "reuse", "data store", "population data"])
    words = {"truc_tiep": "in person", "truc_tuyen": "online", "buu_chinh": "post"}
    for code, unit, proc, rec, due, done, channel, reused, kho, dc in DOSSIERS:
        ws.append([code, proc, unit, datetime(rec.year, rec.month, rec.day, 8), due.isoformat(),
                   done.isoformat() if done else None, words[channel], "yes" if proc != "2.000815" else "no",
                   "yes" if reused else "no", "yes" if kho else "", "yes" if dc else "no"])
    wb.save(path.with_suffix(".xlsx"))
    return path.with_suffix(".xlsx"), ()


def style_unaccented(path: Path) -> tuple[Path, tuple[str, ...]]:
    """Upper case without accents, `(*)` markers and format hints (csv, `;`), dates yyyy/mm/dd, flags
    as `Đã …`/`Chưa …`."""
    rows = ["MA HO SO (*);MA TTHC;MA DON VI (*);NGAY TIEP NHAN (dd/mm/yyyy);NGAY HEN TRA;NGAY HOAN THANH;KENH NOP;"
            "CO KET QUA GIAY;TAI SU DUNG;KET NOI KHO;DU LIEU DAN CU"]
    ymd = (lambda d: "" if d is None else d.strftime("%Y/%m/%d"))  # noqa: E731
    for code, unit, proc, rec, due, done, channel, reused, kho, dc in DOSSIERS:
        rows.append(f"{code};{proc};{unit};{ymd(rec)};{ymd(due)};{ymd(done)};{CHANNEL_WORDS[channel]};"
                    f"{'Có' if proc != '2.000815' else 'Không'};{'Đã tái sử dụng' if reused else 'Chưa'};"
                    f"{'x' if kho else ''};{'1' if dc else '0'}")
    path = path.with_suffix(".csv")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path, ()


STYLES = {"s1a": style_s1a, "so_theo_doi": style_so_theo_doi, "dvcqg": style_dvcqg, "english": style_english,
          "unaccented": style_unaccented}
NO_CHANNEL = {"s1a", "so_theo_doi"}  # `Phương thức nhận kết quả` is how the result goes back, not a channel


def _reference_lists(tmp_path: Path, url: str) -> None:
    units = tmp_path / "units.csv"  # the header of issue 15
    units.write_text("Mã đơn vị,Tên đơn vị,Mã đơn vị cấp trên\nH50,Tỉnh Quảng Trị,\nH50.12,Xã Thanh Thạch,H50\n"
                     "H50.13,Xã Kim Hóa,H50\n", encoding="utf-8")
    assert import_units(units, url).inserted == 3
    procs = tmp_path / "tthc.csv"
    procs.write_text("Mã TTHC,Tên thủ tục,Có kết quả giấy\n1.001193,Đăng ký khai sinh,Có\n"
                     "2.000815,Chứng thực bản sao từ bản chính,Không\n1.000894,Đăng ký kết hôn,Có\n", encoding="utf-8")
    assert import_procedures(procs, url).inserted == 3


def _documents(url: str) -> None:
    from pipeline.keep.models import Document, Dossier

    def doc(i: int, dossier: str, role: str, day: date) -> Document:
        return Document(
            id=f"doc-{i}", sha256=f"{i:064d}", unit=dossier.split("-")[0], role=role, source=f"{dossier}.{i}.pdf",
            doc_type="khac", doc_type_confidence=0.9, role_mismatch=False, review=False, ma_ho_so=dossier, pages=1,
            fields={}, field_confidence={}, text="", prefix="p/", outputs=[],
            created_at=datetime(day.year, day.month, day.day, 3, tzinfo=UTC),
        )

    a, _b, c, _d, e, _f = (d[0] for d in DOSSIERS)
    with db.session_scope(url) as s:
        seen = datetime(2026, 7, 5, tzinfo=UTC)
        s.add_all([Dossier(ma_ho_so=x, unit=x.split("-")[0], first_seen=seen) for x in (a, c, e)])
        s.flush()
        s.add_all([doc(1, a, "thanh_phan", date(2026, 7, 5)), doc(2, a, "ket_qua", date(2026, 7, 9)),
                   doc(3, c, "thanh_phan", date(2026, 8, 1)), doc(4, e, "thanh_phan", date(2026, 8, 16))])


@pytest.mark.parametrize("style", sorted(STYLES))
def test_each_header_style_gives_the_hand_computed_indicators(style: str, tmp_path: Path) -> None:
    from pipeline.index.metrics import compute, parse_period

    url = f"sqlite:///{tmp_path / 's.db'}"
    db.migrate(url)
    _reference_lists(tmp_path, url)
    path, ignore = STYLES[style](tmp_path / f"so-{style}")
    if ignore:  # without its flags the export is refused, naming each missing column
        with pytest.raises(ImportFileError) as e:
            import_register(path, url)
        assert all(f"no column for {f}" in e.value.reason for f in ignore) and count(url) == 0
        assert "not understood" not in e.value.reason
    res = import_register(path, url, ignore=ignore)
    assert res.committed and res.inserted == 6 and not res.errors, res.errors
    with db.session_scope(url) as s:
        got = {r.ma_ho_so: r for r in s.scalars(select(RegisterEntry))}
    for code, unit, proc, rec, due, done, channel, reused, kho, dc in DOSSIERS:
        r = got[code]
        assert (r.unit, r.ma_thu_tuc, r.received_on, r.due_on, r.completed_on) == (unit, proc, rec, due, done), style
        assert r.channel == (None if style in NO_CHANNEL else channel)
        assert (r.reused, r.ket_noi_kho, r.du_lieu_dan_cu) == ((None, None, None) if ignore else (reused, kho, dc))

    _documents(url)
    rep = compute(url, parse_period("2026-Q3"), as_of=date(2026, 10, 15))
    by = {u.unit: {i.key: i for i in u.indicators} for u in [*rep.units, rep.total]}
    assert [(u.unit, u.level, u.dossiers) for u in rep.units] == [("H50", 0, 5), ("H50.12", 1, 3), ("H50.13", 1, 2)]
    nd = {u: {k: (v.numerator, v.denominator) for k, v in inds.items()} for u, inds in by.items()}
    assert nd["H50.12"]["ket_qua_dien_tu"] == (1, 1) and nd["H50.12"]["so_hoa_ho_so"] == (2, 3)
    assert nd["H50.13"]["ket_qua_dien_tu"] == (0, 2) and nd["H50.13"]["so_hoa_ho_so"] == (0, 2)
    assert nd["H50"]["ket_qua_dien_tu"] == (1, 3) and nd["H50"]["so_hoa_ho_so"] == (2, 5)
    assert by["H50"]["ket_qua_dien_tu"].points == pytest.approx(2.0)
    assert by["H50"]["so_hoa_ho_so"].points == pytest.approx(1.6)
    assert all(not by["H50"][k].missing for k in ("ket_qua_dien_tu", "so_hoa_ho_so"))
    if ignore:  # unknown flags: the reuse the pipeline saw (none), kho and dân cư left out, and said so
        assert nd["H50"]["tai_su_dung"] == (0, 5) and nd["H50"]["ket_noi_kho"] == (0, 0)
        assert by["H50"]["ket_noi_kho"].ratio is None
        assert [(g.input, g.dossiers) for g in by["H50.13"]["du_lieu_dan_cu"].missing] == [("du_lieu_dan_cu", 2)]
        assert "không có cột tái sử dụng" in (by["H50"]["tai_su_dung"].reason or "")
    else:
        assert nd["H50.13"]["tai_su_dung"] == (1, 2) and nd["H50.12"]["ket_noi_kho"] == (1, 3)
        assert nd["H50.13"]["du_lieu_dan_cu"] == (1, 2) and nd["H50"]["du_lieu_dan_cu"] == (1, 5)
        assert all(not v.missing for v in by["H50"].values())


def test_cli_refuses_what_it_cannot_read_and_says_which_column_fed_what(tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    """Issue 15 as a new user met it: the parent and the completion columns must not be dropped."""
    from sohoa.cli import app

    runner = CliRunner()
    units = tmp_path / "don-vi.csv"
    units.write_text("Mã đơn vị,Tên đơn vị,Mã đơn vị cấp trên\nH50,Tỉnh Quảng Trị,\nH50.12,Xã Thanh Thạch,H50\n"
                     "H50.13,Xã Kim Hóa,H50\n", encoding="utf-8")
    out = runner.invoke(app, ["units", "import", str(units)])
    assert out.exit_code == 0, out.output
    assert "parent_code   ← 'Mã đơn vị cấp trên' (col C)" in out.stdout and "units: 3 new" in out.stdout
    with db.session_scope(settings.db_url) as s:
        assert {u.code: u.parent_code for u in s.scalars(select(Unit))} == {"H50": None, "H50.12": "H50",
                                                                           "H50.13": "H50"}

    reg = tmp_path / "so.csv"
    rows = "\n".join(f"{i},{code},{unit},{_dmy(rec)},{_dmy(done)},{'x' if reused else ''},{'x' if kho else ''},"
                     f"{'x' if dc else ''},{'Không' if p == '2.000815' else 'Có'},{CHANNEL_WORDS[ch]}"
                     for i, (code, unit, p, rec, _due, done, ch, reused, kho, dc) in enumerate(DOSSIERS, start=1))
    reg.write_text("STT,Mã hồ sơ,Mã đơn vị,Ngày tiếp nhận,Ngày hoàn tất,Tái sử dụng,Kết nối kho,Dữ liệu dân cư,"
                   "Có kết quả giấy,Kênh\n" + rows + "\n", encoding="utf-8")
    # `Ngày hoàn tất` is no alias: the completion date is missing and the header not understood.
    out = runner.invoke(app, ["import-register", str(reg)])
    assert out.exit_code == 2
    assert "no column for completed_on (completion date; needed for ket_qua_dien_tu)" in out.output
    assert "headers not understood: 'Ngày hoàn tất' (col E)" in out.output
    assert "completed_on   — no column" in out.output  # the plan is printed with the refusal
    with db.session_scope(settings.db_url) as s:
        assert s.scalar(select(func.count()).select_from(RegisterEntry)) == 0
    # Done without the column, on purpose: imported, and the report says what is missing beside the figure.
    out = runner.invoke(app, ["import-register", str(reg), "--ignore-column", "Ngày hoàn tất",
                              "--ignore-column", "completed_on"])
    assert out.exit_code == 0, out.output
    assert "ignored: 'Ngày hoàn tất' (col E)" in out.stdout and "register: 6 new" in out.stdout
    out = runner.invoke(app, ["report", "--period", "2026-Q3", "--as-of", "2026-10-15", "--format", "json"])
    report = json.loads(out.stdout)
    kq = next(i for i in report["total"]["indicators"] if i["key"] == "ket_qua_dien_tu")
    assert (kq["numerator"], kq["denominator"], kq["ratio"]) == (0, 0, None)
    assert kq["missing"] == [{"input": "completed_on", "dossiers": 4}]  # A, B, D, E: those with a paper result
    assert kq["reason"].startswith("4 hồ sơ không có ngày hoàn thành")
    table = runner.invoke(app, ["report", "--period", "2026-Q3", "--as-of", "2026-10-15"]).stdout
    assert "0/0 n/a (4 thiếu ngày HT)" in table and "n/a n/a" not in table
    # The next export has the column: the dates are filled in and the gap is gone.
    reg.write_text(reg.read_text(encoding="utf-8").replace("Ngày hoàn tất", "Ngày kết thúc xử lý"), encoding="utf-8")
    out = runner.invoke(app, ["import-register", str(reg)])
    assert out.exit_code == 0 and "register: 0 new, 6 updated" in out.stdout
    report = json.loads(runner.invoke(app, ["report", "--period", "2026-Q3", "--as-of", "2026-10-15",
                                            "--format", "json"]).stdout)
    kq = next(i for i in report["total"]["indicators"] if i["key"] == "ket_qua_dien_tu")
    assert (kq["numerator"], kq["denominator"], kq["missing"], kq["reason"]) == (0, 3, [], None)
    # An --ignore-column that names nothing is a mistake, not a no-op.
    out = runner.invoke(app, ["import-register", str(reg), "--ignore-column", "Ngay hoan tat"])
    assert out.exit_code == 2 and "--ignore-column 'Ngay hoan tat': no column of this file" in out.output


def test_unit_parents_and_names_are_resolved_or_errors_with_their_line(db_url: str, tmp_path: Path) -> None:
    units = tmp_path / "units.csv"
    # Parents given by name (of a unit in the file), and by the exporting system's own codes.
    units.write_text("Mã định danh,Tên đơn vị,Đơn vị cấp trên\nH50,UBND tỉnh Quảng Trị,\n"
                     "H50.12,Xã Thanh Thạch,Ủy ban nhân dân tỉnh Quảng Trị\nH50.13,Xã Kim Hóa,H50\n", encoding="utf-8")
    res = import_units(units, db_url)
    assert res.committed and res.inserted == 3, res.errors
    internal = tmp_path / "groups.csv"
    internal.write_text("GroupCode,GroupName,MaDinhDanh,OfGroupCode\n17,Tỉnh Quảng Trị,H50,\n"
                        "18,Xã Minh Hóa,H50.14,17\n19,Một cửa Minh Hóa,H50.14.01,18\n", encoding="utf-8")
    res = import_units(internal, db_url)
    assert res.committed and (res.inserted, res.updated) == (2, 1), res.errors
    with db.session_scope(db_url) as s:
        assert {u.code: u.parent_code for u in s.scalars(select(Unit))} == {
            "H50": None, "H50.12": "H50", "H50.13": "H50", "H50.14": "H50", "H50.14.01": "H50.14"}
    bad = tmp_path / "bad.csv"
    bad.write_text("Mã đơn vị,Tên đơn vị,Mã đơn vị cấp trên\nH50.15,Xã Tân Hóa,H50\nH50.16,Xã Hóa Sơn,H51\n"
                   "H50.17,Xã Trung Hóa,Huyện Minh Hóa\n", encoding="utf-8")
    res = import_units(bad, db_url)
    assert not res.committed and [(e.line, e.reason) for e in res.errors] == [
        (3, "parent H51 is neither in this file nor in the unit list"),
        (4, "parent 'Huyện Minh Hóa' is neither a unit code nor the name of a unit in this file or the unit list"),
    ]
    # A register whose unit names the list does not have: the dossier code's unit, else an error.
    reg = tmp_path / "so.csv"
    reg.write_text("Mã hồ sơ,Đơn vị tiếp nhận,Ngày tiếp nhận,Ngày kết thúc xử lý,Có kết quả giấy\n"
                   "H50.12-260705-0001,UBND xã Thanh Thạch,05/07/2026,,Có\n"
                   "H50.13-260706-0002,Xã Kim Hoá mới,06/07/2026,,Có\n"
                   "MC-0003,Xã Không Có,07/07/2026,,Có\n"
                   "H51.02-260708-0004,H51.02,08/07/2026,,Có\n", encoding="utf-8")
    res = import_register(reg, db_url, ignore=FLAGLESS)
    assert [(e.line, e.reason) for e in res.errors] == [
        (4, "'Xã Không Có' is neither a unit code nor the name of a unit in the unit list")]
    res = import_register(reg, db_url, ignore=FLAGLESS, partial=True)
    assert res.committed and res.inserted == 3
    assert res.plan is not None and any("line 3: 'Xã Kim Hoá mới' → H50.13" in n for n in res.plan.notes)
    assert any(n.startswith("unit: 1 unit is not in the unit list (H51.02)") for n in res.plan.notes)
    with db.session_scope(db_url) as s:
        assert {r.ma_ho_so: r.unit for r in s.scalars(select(RegisterEntry))} == {
            "H50.12-260705-0001": "H50.12", "H50.13-260706-0002": "H50.13", "H51.02-260708-0004": "H51.02"}
    # Parents in the exporting system's own codes need the column of those codes.
    groups = tmp_path / "groups-only.csv"
    groups.write_text("MaDinhDanh,GroupName,OfGroupCode\nH50.18,Xã Dân Hóa,17\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match=r"'OfGroupCode' \(col C\) gives parents in the exporting system"):
        import_units(groups, db_url)


def test_procedures_by_name_need_the_list_and_a_stray_column_is_refused(db_url: str, tmp_path: Path) -> None:
    reg = tmp_path / "so.csv"
    reg.write_text("Mã hồ sơ,Mã đơn vị,Tên thủ tục hành chính,Ngày tiếp nhận,Ngày kết thúc xử lý\n"
                   "H50.12-260705-0001,H50.12,Đăng ký khai sinh,05/07/2026,\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="procedures by name and no procedures list"):
        import_register(reg, db_url, ignore=[*FLAGLESS, "paper_result"])
    assert count(db_url) == 0
    procs = tmp_path / "tthc.csv"
    procs.write_text("Mã thủ tục,Tên thủ tục\n1.001193,Đăng ký khai sinh\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match=r"no column for paper_result"):  # the list must say it
        import_procedures(procs, db_url)
    assert import_procedures(procs, db_url, ignore=["paper_result"]).inserted == 1
    # Its paper result is unknown (NULL): the register's procedure cannot stand in for the column.
    with pytest.raises(ImportFileError, match=r"no column for paper_result"):
        import_register(reg, db_url, ignore=FLAGLESS)
    res = import_register(reg, db_url, ignore=[*FLAGLESS, "paper_result"])
    assert res.committed and res.inserted == 1
    with db.session_scope(db_url) as s:
        e = s.get(RegisterEntry, "H50.12-260705-0001")
        assert e is not None and e.ma_thu_tuc == "1.001193" and e.completed_known and e.reused is None
    stray = tmp_path / "stray.csv"
    stray.write_text("Mã hồ sơ,Mã đơn vị,Ngày tiếp nhận,Ngày kết thúc xử lý,,Có kết quả giấy\n"
                     "H50.12-260706-0002,H50.12,06/07/2026,,ghi tay,Có\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match=r"col E has no header but holds data \(line 2\)"):
        import_register(stray, db_url, ignore=FLAGLESS)
    assert import_register(stray, db_url, ignore=[*FLAGLESS, "E"]).committed
