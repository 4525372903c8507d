"""Vietnamese text helpers, dates and codes — hand-written inputs with OCR noise."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.vn import (
    clean_spacing,
    find_dates,
    find_dossier_codes,
    find_personal_ids,
    find_procedure_codes,
    fold,
    is_upper_line,
    normalize,
    parse_date,
    parse_doc_number,
    parse_dossier_code,
    parse_personal_id,
    parse_procedure_code,
    parse_unit_code,
    sentence_case,
    split_motto,
    strip_marks,
    title_lines,
)
from pipeline.vn.codes import dossier_unit, find_doc_numbers
from pipeline.vn.lexicon import (
    ADMIN_BIGRAMS,
    PROVINCES,
    UNIT_PHRASES,
    restore_family_name,
    restore_known,
    restore_phrases,
)

TODAY = date(2025, 11, 20)


# --- text ---------------------------------------------------------------------------------------------
def test_fold_strips_marks_and_d_stroke() -> None:
    assert fold("QUYẾT ĐỊNH") == "quyet dinh"
    assert fold("Căn cứ Luật Đất đai") == "can cu luat dat dai"
    assert fold("ỦY BAN NHÂN DÂN") == "uy ban nhan dan"
    assert strip_marks("Số: 12/QĐ-UBND") == "So: 12/QD-UBND"


def test_fold_is_length_preserving_on_normalised_text() -> None:
    decomposed = "Quye\u0302\u0301t đi\u0323nh"  # NFD input as some PDF producers emit it
    text = normalize(decomposed + " İstanbul ÐIỀU 1")
    assert text.startswith("Quyết định")
    assert "ĐIỀU" in text  # Icelandic eth repaired
    assert len(fold(text)) == len(text)
    assert len(strip_marks(text)) == len(text)


def test_normalize_drops_stray_combining_marks() -> None:
    assert normalize("ngày 0\u03017") == "ngày 07"


def test_clean_spacing() -> None:
    assert clean_spacing("Về  việc   cấp giấy ,  phép ( tạm )") == "Về việc cấp giấy, phép (tạm)"
    assert clean_spacing("Kính gửi:UBND xã") == "Kính gửi: UBND xã"


def test_sentence_case() -> None:
    assert sentence_case("QUYẾT ĐỊNH") == "Quyết định"
    assert sentence_case("TỜ  KHAI ĐĂNG KÝ KHAI SINH") == "Tờ khai đăng ký khai sinh"


def test_upper_lines_and_titles() -> None:
    assert is_upper_line("ỦY BAN NHÂN DÂN XÃ THANH THẠCH")
    assert is_upper_line("QUYẾT ĐỊNH:")
    assert not is_upper_line("Về việc cấp giấy phép")
    text = "UBND TỈNH QUẢNG TRỊ\n\nSố: 12/QĐ-UBND\nQUYẾT ĐỊNH\nVề việc ..."
    assert title_lines(text) == [(0, "UBND TỈNH QUẢNG TRỊ"), (2, "QUYẾT ĐỊNH")]


@pytest.mark.parametrize(
    ("line", "left"),
    [
        ("ỦY BAN NHÂN DÂN XÃ THANH THẠCH Độc lập - Tự do - Hạnh phúc", "ỦY BAN NHÂN DÂN XÃ THANH THẠCH"),
        ("UBND TỈNH QUẢNG TRỊ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "UBND TỈNH QUẢNG TRỊ"),
        ("UBND TINH QUANG TRI CONG HOA XA HOI CHU NGHIA VIET NAM", "UBND TINH QUANG TRI"),
        ("SỞ TƯ PHÁP    Doc lap – Tu do – Hanh phuc", "SỞ TƯ PHÁP"),
        ("SỞ TƯ PHÁP         CỘNG HOÀ XÃ HỘI", "SỞ TƯ PHÁP"),
        ("ỦY BAN NHÂN DÂN", "ỦY BAN NHÂN DÂN"),
    ],
)
def test_split_motto(line: str, left: str) -> None:
    assert split_motto(line)[0] == left


# --- dates --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "ngày 07 tháng 4 năm 2023",
        "ngày 7 tháng 04 năm 2023",
        "07/4/2023",
        "07-04-2023",
        "07.04.2023",
        "ngay 07 thang 4 nam 2023",
        "Ngày O7 tháng 4 năm 2O23",
        "ngày 0 7 tháng 4 năm 2 023",
        "ngảy 07 thảng 4 nãm 2023",
        "Thanh Thạch, ngày 07 tháng 4 năm 2023",
        "07 / 4 / 2023",
    ],
)
def test_parse_date_shapes(text: str) -> None:
    assert parse_date(text, today=TODAY) == date(2023, 4, 7)


def test_parse_date_repairs_ones() -> None:
    assert parse_date("ngày l2 tháng I0 năm 2022", today=TODAY) == date(2022, 10, 12)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Quảng Trị, ngòy 19 thúng 3 năm 2026", date(2026, 3, 19)),  # a photo's slips on the keywords
        ("ngày 19 rháng 0Ì năm 2024", date(2024, 1, 19)),
        ("ngày 02 tháng!2 năm 2024", date(2024, 12, 2)),  # a 1's stroke read as "!"
        ("Thanh Thạch, ngày 29 thắng 10 năm 202]", date(2021, 10, 29)),  # ... as "]", in a year
    ],
)
def test_parse_date_through_keyword_and_digit_slips(text: str, value: date) -> None:
    found = find_dates(text, today=date(2026, 11, 30))
    assert [d.value for d in found] == [value] and found[0].repaired
    # a bracket beside a day or a month may be a speck: "tháng 1]" is not read as 11
    assert parse_date("ngày 06 tháng 1] năm 2025", today=TODAY) is None


@pytest.mark.parametrize(
    "text",
    [
        "ngày 31 tháng 2 năm 2023",  # impossible
        "ngày 07 tháng 13 năm 2023",
        "01/01/1944",  # before 1945
        "ngày 21 tháng 11 năm 2025",  # after today
        "12/UBND-VP",
        "H50.12-251103-0142",
        "ngày ... tháng ... năm 20...",
    ],
)
def test_parse_date_rejects(text: str) -> None:
    assert parse_date(text, today=TODAY) is None


def test_find_dates_reports_repair_and_offsets() -> None:
    text = "Căn cứ Luật ngày 19 tháng 6 năm 2015; Hà Nội, ngay O7 thang 4 nam 2023"
    found = find_dates(text, today=TODAY)
    assert [d.value for d in found] == [date(2015, 6, 19), date(2023, 4, 7)]
    assert not found[0].repaired and found[1].repaired
    assert text[found[0].start : found[0].end] == "ngày 19 tháng 6 năm 2015"


def test_today_defaults_to_now() -> None:
    assert parse_date("01/01/2999") is None
    assert parse_date("01/01/2000") == date(2000, 1, 1)


# --- unit and dossier codes ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("000.00.24.H46", "000.00.24.H46"),
        ("H50", "H50"),
        ("H50.12", "H50.12"),
        ("h 5O . 12", "H50.12"),
        ("OOO.OO.24.H46", "000.00.24.H46"),
        ("000 .00.24. H46", "000.00.24.H46"),
    ],
)
def test_parse_unit_code(raw: str, code: str) -> None:
    assert parse_unit_code(raw) == code


@pytest.mark.parametrize("raw", ["H5", "50.12", "000.00.H46", "UBND"])
def test_parse_unit_code_rejects(raw: str) -> None:
    assert parse_unit_code(raw) is None


def test_dossier_codes_in_text_with_noise() -> None:
    text = "Mã hồ sơ: 000.00.24.H46-230411-0007; bản sao: H 5O.12 - 251103-0l42. Sai: H50-231399-0001"
    found = find_dossier_codes(text)
    assert [m.value for m in found] == ["000.00.24.H46-230411-0007", "H50.12-251103-0142"]
    assert [m.repaired for m in found] == [False, True]
    assert dossier_unit("H50.12-251103-0142") == "H50.12"
    assert parse_dossier_code("H50.12-251103-0142") == "H50.12-251103-0142"
    assert parse_dossier_code("H50.12-251103-014") is None  # sequence needs 4+ digits


def test_dossier_code_custom_pattern() -> None:
    custom = r"(?P<unit>[A-Z]\d{2}(?:\.\d+)*)/(?P<date>\d{6})/(?P<seq>\d{3,})"
    assert [m.value for m in find_dossier_codes("Mã hồ sơ: H50.12/251103/042", custom)] == ["H50.12/251103/042"]
    assert find_dossier_codes("Mã hồ sơ: H50.12/251103/042") == []
    assert dossier_unit("H50.12/251103/042", custom) == "H50.12"


# --- procedure codes ----------------------------------------------------------------------------------
def test_procedure_codes() -> None:
    found = find_procedure_codes("Mã TTHC: 1.001193; lệ phí 1.500.000 đồng; mã 2.OOO635")
    assert [m.value for m in found] == ["1.001193", "2.000635"]
    assert parse_procedure_code("1 .004873") == "1.004873"
    assert parse_procedure_code("000.00.24") is None
    assert parse_procedure_code("1.0011930") is None


# --- personal identifier ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("044196001234", "044196001234"),
        ("044 196 001 234", "044196001234"),
        ("O44l96OO1234", "044196001234"),
        ("044220001234", "044220001234"),  # born 2020, century digit 2
        ("044301001234", "044301001234"),  # female born 2001
    ],
)
def test_personal_id_valid(raw: str, value: str) -> None:
    assert parse_personal_id(raw, today=TODAY) == value


@pytest.mark.parametrize(
    "raw",
    [
        "044496001234",  # century digit 4: 2100s
        "044296001234",  # century digit 2 with year 96 → 2096, in the future
        "044226001234",  # born 2026, after today
        "099196001234",  # no province 099
        "000196001234",
        "04419600123",  # 11 digits
        "0441960012345",
    ],
)
def test_personal_id_rejected(raw: str) -> None:
    assert parse_personal_id(raw, today=TODAY) is None


def test_find_personal_ids_skips_phone_numbers_and_bad_structure() -> None:
    text = "ĐT: 0912345678; CCCD: 044196001234; sai: 044596001234"
    assert [m.value for m in find_personal_ids(text, today=TODAY)] == ["044196001234"]


# --- document number and symbol -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "so", "ky_hieu", "abbr", "doc_type"),
    [
        ("123/QĐ-UBND", "123", "QĐ-UBND", "QĐ", "quyet_dinh"),
        ("05/TB-UBND", "05", "TB-UBND", "TB", "thong_bao"),
        ("12/UBND-VP", "12", "UBND-VP", None, "cong_van"),
        ("Số: 45/UBND", "45", "UBND", None, "cong_van"),
        ("Số: 07/TTr-UBND", "07", "TTr-UBND", "TTr", "to_trinh"),
        ("Số: 15/2023/NQ-HĐND", "15", "2023/NQ-HĐND", "NQ", "nghi_quyet"),
        ("Số: 03/HD-UBND", "03", "HD-UBND", "HD", "huong_dan"),
        ("Số: 03/HĐ-UBND", "03", "HĐ-UBND", "HĐ", "hop_dong"),
        ("Số: 22/GPXD", "22", "GPXD", "GPXD", "giay_phep_xay_dung"),
        ("Số: 9/GM-UBND", "9", "GM-UBND", "GM", "giay_moi"),
        ("Số: 31/KH-UBND", "31", "KH-UBND", "KH", "ke_hoach"),
        ("Số: 40/BC-UBND", "40", "BC-UBND", "BC", "bao_cao"),
        ("Số: 02/CT-UBND", "02", "CT-UBND", "CT", "chi_thi"),
        ("Số: 02/GUQ", "02", "GUQ", "GUQ", "giay_uy_quyen"),
        ("Số: 45/2020/NĐ-CP", "45", "2020/NĐ-CP", "NĐ", None),
    ],
)
def test_parse_doc_number(raw: str, so: str, ky_hieu: str, abbr: str | None, doc_type: str | None) -> None:
    dn = parse_doc_number(raw)
    assert dn is not None
    assert (dn.so, dn.ky_hieu, dn.type_abbr, dn.doc_type) == (so, ky_hieu, abbr, doc_type)
    assert not dn.repaired
    assert dn.so_ky_hieu == f"{so}/{ky_hieu}"


@pytest.mark.parametrize(
    ("raw", "so_ky_hieu", "doc_type"),
    [
        ("Số : 1O3 / QD - UBND", "103/QĐ-UBND", "quyet_dinh"),
        ("S6: l2/UBND-VP", "12/UBND-VP", "cong_van"),
        ("So: 15/NQ-HDND", "15/NQ-HĐND", "nghi_quyet"),
    ],
)
def test_parse_doc_number_repairs_ocr_noise(raw: str, so_ky_hieu: str, doc_type: str) -> None:
    dn = parse_doc_number(raw)
    assert dn is not None
    assert (dn.so_ky_hieu, dn.doc_type, dn.repaired) == (so_ky_hieu, doc_type, True)


def test_parse_doc_number_eth_lookalike() -> None:
    # Ð (Icelandic eth) is normalised before parsing, so the symbol reads as printed.
    dn = parse_doc_number("Sô: 123/QÐ-UBND")
    assert dn is not None and dn.so_ky_hieu == "123/QĐ-UBND" and dn.doc_type == "quyet_dinh"


@pytest.mark.parametrize("raw", ["07/4/2023", "Số: /QĐ-UBND", "Số: abc/QĐ", "Điều 1. Cấp giấy"])
def test_parse_doc_number_rejects(raw: str) -> None:
    assert parse_doc_number(raw) is None


@pytest.mark.parametrize(
    ("raw", "so_ky_hieu"),
    [
        ("Số: 6KH-UBND", "6/KH-UBND"),  # the slash lost before a type abbreviation
        ("Số: 25/QĐĐ-UBND", "25/QĐ-UBND"),  # a letter read twice
        ("Số: 737 JCT-UBND", "737/CT-UBND"),  # the slash read as a "J" before a type abbreviation
        ("Số: 12 |TB-UBND", "12/TB-UBND"),
    ],
)
def test_parse_doc_number_repairs_lost_slash_and_doubled_letter(raw: str, so_ky_hieu: str) -> None:
    dn = parse_doc_number(raw)
    assert dn is not None and dn.so_ky_hieu == so_ky_hieu and dn.repaired


def test_parse_doc_number_needs_a_type_abbreviation_to_repair_a_slash() -> None:
    # without "/" nothing says where a công văn's number ends and its symbol begins
    assert parse_doc_number("Số: 12UBND-VP") is None
    assert parse_doc_number("Số: 12 JUBND-VP") is None
    assert find_doc_numbers("Số: 145\nQuyển số: 01/2023") == []


def test_fraction_slash_is_a_slash() -> None:
    # tesseract reads the slash of "55/NQ-HĐND" as U+2044 FRACTION SLASH at times
    assert normalize("55⁄NQ-HĐND") == "55/NQ-HĐND"
    dn = parse_doc_number("Số: 55⁄NQ-HĐND")
    assert dn is not None and dn.so_ky_hieu == "55/NQ-HĐND"


# --- administrative vocabulary ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "restored"),
    [
        ("UY BAN NHÂN DẪN XA THANH THẠCH", "ỦY BAN NHÂN DÂN XÃ THANH THẠCH"),
        ("HỘI ĐỒNG NHÂN DÂN TĨNH QUẢNG TRỊ", "HỘI ĐỒNG NHÂN DÂN TỈNH QUẢNG TRỊ"),
        ("ỦY BAN NHÂN DÂN TỈNH HÀ TỈNH", "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH"),  # the longest phrase wins
        ("BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUÁ", "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ"),
    ],
)
def test_restore_phrases(raw: str, restored: str) -> None:
    assert restore_phrases(raw, (*UNIT_PHRASES, *PROVINCES)) == (restored, True)


def test_restore_phrases_keeps_punctuation_as_read() -> None:
    """A phrase that holds a comma ("phòng, chống") gives back its words, not its comma: the one read
    stays, none is added where OCR read none, and it is never doubled."""
    assert restore_phrases("công tác phòng, chông tham nhũng", ADMIN_BIGRAMS) == (
        "công tác phòng, chống tham nhũng", True)
    assert restore_phrases("KINH TÉ, HẠ TẢNG VÀ ĐÔ THỊ", UNIT_PHRASES) == ("KINH TẾ, HẠ TẦNG VÀ ĐÔ THỊ", True)
    assert restore_phrases("KINH TÉ HẠ TẢNG VÀ ĐÔ THỊ", UNIT_PHRASES) == ("KINH TẾ HẠ TẦNG VÀ ĐÔ THỊ", True)


def test_restore_phrases_leaves_unknown_and_ambiguous_words() -> None:
    assert restore_phrases("ỦY BAN NHÂN DÂN XÃ THANH THẠCH", UNIT_PHRASES) == ("ỦY BAN NHÂN DÂN XÃ THANH THẠCH", False)
    # two phrases folding alike: neither is chosen
    assert restore_phrases("HA TINH", ("HÀ TĨNH", "HÀ TỈNH")) == ("HA TINH", False)


@pytest.mark.parametrize(
    ("token", "name"),
    [("Nguyên", "Nguyễn"), ("NGUYÊN", "Nguyễn"), ("guyễn", "Nguyễn"), ("Ñøũyễn", "Nguyễn"), ("PHán", "Phan"),
     ("Lê", "Lê"), ("Trinh", None), ("An", None)],
)
def test_restore_family_name(token: str, name: str | None) -> None:
    found = restore_family_name(token)
    assert (found[0] if found else None) == name


def test_restore_known_needs_one_match() -> None:
    known = ("ỦY BAN NHÂN DÂN XÃ KIM THỦY", "ỦY BAN NHÂN DÂN XÃ KIM HÓA")
    assert restore_known("UY BAN NHAN DAN XA KIM THUY", known) == "ỦY BAN NHÂN DÂN XÃ KIM THỦY"
    assert restore_known("ỦY BAN NHÂN DÂN XÃ KlM THỦY", known, min_ratio=0.9) == "ỦY BAN NHÂN DÂN XÃ KIM THỦY"
    assert restore_known("ỦY BAN NHÂN DÂN XÃ KIM", known, min_ratio=0.9) is None  # as near one as the other
    assert restore_known("Trần Văn Binh", ("Trần Văn Bình", "Trần Văn Bính")) is None


def test_restore_known_only_repairs_damage() -> None:
    # another commune whose name differs only in its marks is not the one learned
    known = ("ỦY BAN NHÂN DÂN XÃ TUYÊN HÓA",)
    assert restore_known("ỦY BAN NHÂN DÂN XÃ TUYÊN HÒA", known, min_ratio=0.9) is None
    assert restore_known("ỦY BAN NHÂN DÂN XÃ TUYÊN HOA", known) == known[0]  # marks lost
    assert restore_known("ỦY BAN NHÂN DÂN XÃ TUYÊN H0A", known, min_ratio=0.9) == known[0]  # not a syllable
    assert restore_known("Trần Thì Mai", ("Trần Thị Mai",)) is None
    # a closed list (official form titles): any near reading is that title
    assert restore_known("PHIẾU YÊU CẦU BỐ SUNG", ("PHIẾU YÊU CẦU BỔ SUNG",), closed=True) == "PHIẾU YÊU CẦU BỔ SUNG"


def test_symbol_does_not_run_into_the_next_column_or_line() -> None:
    # issue 13: "BC-UBND-Thanh" from a merged row "… - Thanh Thạch, ngày …" or the next line
    for text in ("Số: 45/BC-UBND - Thanh Thạch, ngày 07 tháng 4 năm 2023",
                 "Số: 45/BC-UBND-\nThanh Thạch, ngày 07 tháng 4 năm 2023",
                 "Số: 45/BC-UBND\n-Thanh Thạch"):
        found = find_doc_numbers(text)
        assert found and found[0].ky_hieu == "BC-UBND", (text, found)
    # OCR's spaced dashes inside a symbol, and "/" parts of corporate and older symbols, still read
    assert parse_doc_number("Số : 1O3 / QD - UBND").ky_hieu == "QĐ-UBND"  # type: ignore[union-attr]
    assert parse_doc_number("Số: 01/2023/NQ-ĐHĐCĐ/BBG").ky_hieu == "2023/NQ-ĐHĐCĐ/BBG"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "ky_hieu"),
    [
        ("Số: Øƒ /CT-UBND Quảng Ngãi, ngày 2# tháng 01 năm 2021", "CT-UBND"),  # handwritten number, garbled
        ("Số: /TB-UBND Quảng Ngãi, ngày tháng 01 năm 2025", "TB-UBND"),  # left blank in the text layer
        ("Số:⁄{6 /CT-UBND", "CT-UBND"),
        ("Số: 0/{) /VP-KSTTHC", "VP-KSTTHC"),
        ("Só:z/'KH-VP Hưng Yên", "KH-VP"),
    ],
)
def test_symbol_without_a_readable_number(text: str, ky_hieu: str) -> None:
    from pipeline.vn.codes import find_doc_symbol

    found = find_doc_symbol(text)
    assert found is not None and found.ky_hieu == ky_hieu and found.so == ""


@pytest.mark.parametrize("text", ["Số: abc/QĐ", "Số: 12/QĐ-UBND", "Số: 145", "Điều 1. Số /x"])
def test_symbol_only_when_there_is_one_and_no_number(text: str) -> None:
    from pipeline.vn.codes import find_doc_symbol

    assert find_doc_symbol(text) is None


def test_a_year_whose_first_1_a_typewriter_font_made_a_t_is_read() -> None:
    """"năm T999": OCR of a 1999 typewriter page reads the year's 1 as T; only the year's first digit."""
    found = find_dates("Cao Bằng, ngày 22 tháng 2 năm T999.", today=TODAY)
    assert [(d.value, d.repaired) for d in found] == [(date(1999, 2, 22), True)]
    assert find_dates("ngày 22 tháng T năm 1999", today=TODAY) == []


def test_restore_provinces_only_where_one_province_is_one_damaged_letter_away() -> None:
    from pipeline.vn.places import restore_provinces

    assert restore_provinces("trên địa bàn tỉnh Quảng Nøgãi") == ("trên địa bàn tỉnh Quảng Ngãi", True)
    assert restore_provinces("của tỉnh Quảng Nøãi.") == ("của tỉnh Quảng Ngãi.", True)
    assert restore_provinces("ỦY BAN NHÂN DÂN TỈNH QUANG NGAÀI") == ("ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", True)
    for kept in ("tỉnh Quảng Ngãi", "tỉnh Hà Nan",  # "Nan" is a word: a real misprint or another name, not OCR's
                 "tỉnh ủy", "TỈNH CAO BẰNG LẦU XI", "xã Quảng Nøgãi",  # no level word a province follows
                 "tỉnh Quảng Tri"):  # marks only: restore_phrases' job
        assert restore_provinces(kept) == (kept, False), kept


def test_restore_year_names_only_after_a_word_that_announces_one() -> None:
    from pipeline.vn.lexicon import YEAR_NAMES, restore_year_names

    assert len(YEAR_NAMES) == 60
    assert restore_year_names("đón Tết Nguyên đán Nhâm Dằn-năm 2022") == ("đón Tết Nguyên đán Nhâm Dần-năm 2022", True)
    assert restore_year_names("mừng Xuân Quỹ Mão") == ("mừng Xuân Quý Mão", True)
    for kept in ("Tết Giáp Thìn", "canh tý", "Tết Giáp Sửu"):  # as spelled; no announcing word; no such year
        assert restore_year_names(kept) == (kept, False), kept


def test_an_issuer_abbreviation_with_a_small_letter_stays_in_the_symbol() -> None:
    """"QĐ-TTg": the Prime Minister's issuer is mixed case, unlike a word of the next column ("- Thanh")."""
    dn = parse_doc_number("Số: 01/2025/QĐ-TTg")
    assert dn is not None and dn.so_ky_hieu == "01/2025/QĐ-TTg" and not dn.repaired
    found = find_doc_numbers("Số: 45/BC-UBND - Thanh Thạch, ngày 07 tháng 4 năm 2023")
    assert found and found[0].ky_hieu == "BC-UBND"


@pytest.mark.parametrize(
    ("text", "ky_hieu"),
    [
        ("Số: 2/91 /€T-CS Hà Nội. ngày 08 tháng 2# năm 2026", "CT-CS"),  # the symbol's C read as a euro sign
        ("Số: 4#ĐTB-ĐHKTCN Cần Thơ, ngày 14 tháng 5 năm 2023", "TB-ĐHKTCN"),  # a pen's number over the slash
        ("Số: ……./2023/KS Thuận An, ngày ….. tháng ….. năm 20..", "2023/KS"),  # a year part, then the issuer alone
    ],
)
def test_symbol_read_through_a_pen_number_or_a_slipped_letter(text: str, ky_hieu: str) -> None:
    from pipeline.vn.codes import find_doc_symbol

    found = find_doc_symbol(text)
    assert found is not None and found.ky_hieu == ky_hieu and found.so == "" and found.repaired


@pytest.mark.parametrize("text", ["Số: QĐTB-UBND", "Số: ……./KS", "Số: 12TB-UBND", "Số: 4#ĐUBND-VP"])
def test_no_symbol_guessed_from_letters_alone_or_a_readable_number(text: str) -> None:
    from pipeline.vn.codes import find_doc_symbol

    assert find_doc_symbol(text) is None


def test_a_year_read_with_a_digit_twice_is_a_guess() -> None:
    found = find_dates("Thái Nguyên, ngày 15 tháng 12 năm 20015", today=TODAY)
    assert [(d.value, d.repaired, d.guessed) for d in found] == [(date(2015, 12, 15), True, True)]
    assert find_dates("ngày 15 tháng 12 năm 20231", today=TODAY) == []  # no digit doubled: nothing says which
    assert find_dates("ngày 15 tháng 12 năm 20000", today=TODAY) == []  # which of the zeros?
    assert not find_dates("ngày 15 tháng 12 năm 2015", today=TODAY)[0].guessed
