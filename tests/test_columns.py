"""Finding the header of an export and what each column means (pipeline/index/columns.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pipeline.index.columns import (
    PROCEDURES,
    REGISTER,
    UNITS,
    ColumnMapping,
    Field,
    ImportFileError,
    Kind,
    Plan,
    is_number_row,
    key,
    locate,
)

P = Path("export.csv")


def plan_of(kind: Kind, *rows: list[Any], mapping: ColumnMapping | None = None, ignore: tuple[str, ...] = ()) -> Plan:
    return locate(P, kind, list(enumerate(rows, start=1)), mapping or ColumnMapping(), ignore)[0]


def fed(plan: Plan) -> dict[str, str]:
    return {f: s.header.text for f, s in plan.sources.items()}


def test_keys_fold_accents_case_camel_case_and_punctuation() -> None:
    k = key("Ngày kết thúc xử lý")
    assert k == key("NGAY_KET_THUC_XU_LY") == key("ngay ket thuc xu ly") == key("Ngày kết thúc\nxử lý")
    assert k == key("NgayKetThucXuLy") == "ngayketthucxuly"
    assert key("MaTTHC") == key("Mã TTHC") == key("MATTHC")
    assert key("Mã đơn vị (*)") == key("Mã đơn vị")
    assert key("Mã đơn vị") != key("Mã đơn vị cấp trên")


def test_no_alias_means_two_fields() -> None:
    for kind in (REGISTER, PROCEDURES, UNITS):  # built at import: a collision would have raised
        assert kind.table
    with pytest.raises(ValueError, match="means both"):
        Kind("x", (Field("a", "a", ("Ngày kết thúc",)), Field("b", "b", ("NGAY_KET_THUC",))), ())


def test_whole_headers_only_never_a_prefix() -> None:
    units = plan_of(UNITS, ["Mã đơn vị cấp trên", "Tên đơn vị", "Mã đơn vị (*)"])
    assert fed(units) == {"parent_code": "Mã đơn vị cấp trên", "name": "Tên đơn vị", "code": "Mã đơn vị (*)"}
    reg = plan_of(REGISTER, ["Mã hồ sơ", "Ngày nhận kết quả", "Ngày kết thúc dự kiến", "Ngày nhận", "Ngày hẹn trả mới",
                             "Ngày kết thúc xử lý", "Ngày trả kết quả", "Hình thức", "Hình thức nộp", "Mã đơn vị"])
    assert fed(reg) == {"ma_ho_so": "Mã hồ sơ", "received_on": "Ngày nhận", "completed_on": "Ngày kết thúc xử lý",
                        "channel": "Hình thức nộp", "unit": "Mã đơn vị"}
    unused = {h.text: why for h, why in reg.unused}
    assert unused["Ngày kết thúc dự kiến"] == "" and unused["Ngày hẹn trả mới"] == "" and unused["Hình thức"] == ""
    # Two columns for one field: processing finished wins over handed back, and the plan says so.
    assert unused["Ngày trả kết quả"] == "completed_on is read from 'Ngày kết thúc xử lý'"
    assert unused["Ngày nhận kết quả"] == "completed_on is read from 'Ngày kết thúc xử lý'"
    assert not reg.unknown


def test_brackets_markers_and_portal_field_names() -> None:
    reg = plan_of(REGISTER, ["Số hiệu giấy tờ (Mã hồ sơ)", "MA DON VI (*)", "Ngày hẹn trả (dd/mm/yyyy)", "NgayTiepNhan",
                             "NgayTra", "NgayKetThucXuLy", "KenhThucHien", "MaTTHC"])
    assert fed(reg) == {"ma_ho_so": "Số hiệu giấy tờ (Mã hồ sơ)", "unit": "MA DON VI (*)",
                        "due_on": "Ngày hẹn trả (dd/mm/yyyy)", "received_on": "NgayTiepNhan",
                        "completed_on": "NgayKetThucXuLy", "channel": "KenhThucHien", "ma_thu_tuc": "MaTTHC"}
    assert reg.sources["channel"].reading == "code"
    procs = plan_of(PROCEDURES, ["MATTHC", "TENTTHC", "ThuTucKhongCoKetQua", "Lĩnh vực"])
    assert fed(procs) == {"code": "MATTHC", "name": "TENTTHC", "paper_result": "ThuTucKhongCoKetQua"}
    assert procs.sources["paper_result"].reading == "negated"


def test_two_header_rows_under_a_title_with_column_numbers() -> None:
    top = ["TT", "Mã hồ sơ", "Tên TTHC", "Tên cá nhân, tổ chức", "Cơ quan chủ trì giải quyết", "Ngày, tháng, năm",
           "", "", "Trả kết quả", ""]
    sub = ["", "", "", "", "", "Nhận hồ sơ", "Hẹn trả kết quả", "Trả kết quả", "Bên giao", "Bên nhận"]
    plan, used = locate(P, REGISTER, list(enumerate([["SỔ THEO DÕI HỒ SƠ"], [], top, sub], start=1)), ColumnMapping())
    assert plan.header_lines == (3, 4) and used == 4
    assert fed(plan) == {
        "ma_ho_so": "Mã hồ sơ", "ma_thu_tuc": "Tên TTHC", "unit": "Cơ quan chủ trì giải quyết",
        "received_on": "Ngày, tháng, năm / Nhận hồ sơ", "due_on": "Ngày, tháng, năm / Hẹn trả kết quả",
        "completed_on": "Ngày, tháng, năm / Trả kết quả",
    }
    # `Trả kết quả` over `Bên giao`/`Bên nhận` is another group: its sub-headers are not dates.
    assert {h.text for h, _ in plan.unused} >= {"Trả kết quả / Bên giao", "Trả kết quả / Bên nhận"}
    assert is_number_row(list(range(1, 11))) and is_number_row(["(1)", "(2)", "(3)", "(4)"])
    assert not is_number_row(["1", "H50.12-260705-0001", "3"]) and not is_number_row([2, 3, 5])
    # A title right above a one-row header is not a group header.
    title = plan_of(REGISTER, ["DANH SÁCH HỒ SƠ"], ["Mã hồ sơ", "Mã đơn vị", "Ngày tiếp nhận"])
    assert title.header_lines == (2,) and fed(title)["ma_ho_so"] == "Mã hồ sơ"


def test_mapping_and_ignored_columns() -> None:
    m = ColumnMapping({"unit": ["Cơ quan", "Đơn vị"], "completed_on": ["Xong lúc"]})
    plan = plan_of(REGISTER, ["Mã hồ sơ", "Mã đơn vị", "Đơn vị", "Xong lúc", "Foo", "Ngày tiếp nhận"], mapping=m,
                   ignore=("Foo", "reused", "H"))
    assert fed(plan)["unit"] == "Đơn vị" and fed(plan)["completed_on"] == "Xong lúc"
    assert plan.sources["unit"].mapped
    assert dict((h.text, w) for h, w in plan.unused)["Mã đơn vị"] == "the mapping names the unit column"
    assert [h.where for h in plan.ignored] == ["'Foo' (col E)", "col H"] and plan.ignored_fields == {"reused"}
    problems = plan.problems()
    assert not any("reused" in p for p in problems)
    assert any(p.startswith("no column for ket_noi_kho") for p in problems)
    bad = plan_of(REGISTER, ["Mã hồ sơ", "Mã đơn vị", "Ngày tiếp nhận"], ignore=("Ngày hoàn tất",))
    assert any("--ignore-column 'Ngày hoàn tất'" in p for p in bad.problems())


def test_a_file_with_no_header_is_refused() -> None:
    with pytest.raises(ImportFileError, match="no header row found"):
        plan_of(REGISTER, ["H50.12-260705-0001", "05/07/2026"])
