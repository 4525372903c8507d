"""Metadata extraction from hand-written documents, OCR-noised variants and one real OCR run."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from pipeline.classify import classify
from pipeline.extract import Field, extract
from tests.test_classify import (
    CONG_VAN,
    CONG_VAN_OCR,
    GIAY_KHAI_SINH,
    PHIEU_MOT_CUA,
    PHIEU_MOT_CUA_OCR,
    QD_CLEAN,
    QD_NO_MARKS,
    QD_OCR,
    SHORT,
    THONG_BAO,
    TO_KHAI_KS,
    TO_KHAI_KS_OCR,
    UNRELATED,
)

TODAY = date(2025, 11, 20)


def _values(fields: dict[str, Field]) -> dict[str, str]:
    return {k: f.value for k, f in fields.items()}


def _expect(text: str, doc_type: str, expected: dict[str, str], absent: tuple[str, ...] = ()) -> dict[str, Field]:
    fields = extract(text, doc_type, today=TODAY)
    values = _values(fields)
    for key, value in expected.items():
        assert values.get(key) == value, (key, values)
    for key in absent:
        assert key not in fields, (key, values)
    for f in fields.values():
        assert 0.0 < f.confidence <= 1.0
    return fields


def test_quyet_dinh_clean() -> None:
    fields = _expect(
        QD_CLEAN,
        "quyet_dinh",
        {
            "so": "123",
            "ky_hieu": "QĐ-UBND",
            "so_ky_hieu": "123/QĐ-UBND",
            "ngay_ban_hanh": "2023-04-07",
            "dia_danh": "Thanh Thạch",
            "co_quan_ban_hanh": "ỦY BAN NHÂN DÂN XÃ THANH THẠCH",
            "trich_yeu": "Về việc cấp giấy phép xây dựng nhà ở riêng lẻ cho hộ ông Lê Văn Bình, thôn Tân Sơn",
            "chuc_vu_nguoi_ky": "TM. ỦY BAN NHÂN DÂN - CHỦ TỊCH",
            "nguoi_ky": "Nguyễn Hữu Phước",
            "ten_loai": "Quyết định",
            "ngon_ngu": "vi",
        },
        absent=("ho_ten", "so_dinh_danh", "ma_ho_so", "ma_thu_tuc", "ma_co_quan", "so_trang"),
    )
    assert fields["so_ky_hieu"].confidence >= 0.9
    assert fields["ngay_ban_hanh"].confidence >= 0.9


def test_quyet_dinh_ocr_merged_header_and_noise() -> None:
    fields = _expect(
        QD_OCR,
        "quyet_dinh",
        {
            "so_ky_hieu": "105/QĐ-UBND",
            "ngay_ban_hanh": "2024-05-12",
            "dia_danh": "Tuyên Hóa",
            "co_quan_ban_hanh": "ỦY BAN NHÂN DÂN XÃ TUYÊN HÓA",
            "trich_yeu": "Về việc phê duyệt danh sách hộ nghèo, hộ cận nghèo năm 2024",
            "chuc_vu_nguoi_ky": "KT. CHỦ TỊCH - PHÓ CHỦ TỊCH",
            "nguoi_ky": "Trần Thị Mai",
            "ten_loai": "Quyết định",  # "QUYÊT ĐỊNH" as OCR'd, marks restored
        },
    )
    clean = extract(QD_CLEAN, "quyet_dinh", today=TODAY)
    # Repaired values (1O5, stray spaces, "ngay … thang O5 nam 2O24") score below clean ones.
    assert fields["so_ky_hieu"].confidence < clean["so_ky_hieu"].confidence
    assert fields["ngay_ban_hanh"].confidence < clean["ngay_ban_hanh"].confidence
    assert fields["ten_loai"].confidence < clean["ten_loai"].confidence


def test_quyet_dinh_without_marks() -> None:
    fields = _expect(
        QD_NO_MARKS,
        "quyet_dinh",
        {
            "so_ky_hieu": "88/QĐ-UBND",
            "ngay_ban_hanh": "2023-10-03",
            "dia_danh": "Thanh Thach",
            "co_quan_ban_hanh": "UY BAN NHAN DAN XA THANH THACH",
            "trich_yeu": "Ve viec thanh lap To cong tac so hoa ho so",
            "chuc_vu_nguoi_ky": "CHU TICH",
            "nguoi_ky": "Hoang Van Nam",
        },
    )
    assert fields["so_ky_hieu"].confidence < 0.9  # QD → QĐ was a repair


def test_cong_van() -> None:
    _expect(
        CONG_VAN,
        "cong_van",
        {
            "so": "12",
            "ky_hieu": "STP-HCTP",
            "so_ky_hieu": "12/STP-HCTP",
            "ngay_ban_hanh": "2025-08-15",
            "dia_danh": "Đông Hà",
            "co_quan_ban_hanh": "SỞ TƯ PHÁP",
            "trich_yeu": "V/v triển khai số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
            "chuc_vu_nguoi_ky": "KT. GIÁM ĐỐC - PHÓ GIÁM ĐỐC",
            "nguoi_ky": "Phạm Minh Đức",
            "ten_loai": "Công văn",
        },
    )


def test_cong_van_ocr() -> None:
    fields = _expect(
        CONG_VAN_OCR,
        "cong_van",
        {
            "so_ky_hieu": "12/UBND-VP",
            "ngay_ban_hanh": "2025-10-02",
            "dia_danh": "Thanh Thạch",
            "co_quan_ban_hanh": "ỦY BAN NHÂN DÂN XÃ THANH THẠCH",
            "trich_yeu": "V/v báo cáo kết quả số hóa quý III năm 2025",
            "chuc_vu_nguoi_ky": "CHỦ TỊCH",
            "nguoi_ky": "Hồ Văn Sáu",
        },
    )
    assert fields["trich_yeu"].confidence < 0.9  # "Vlv" was repaired


def test_thong_bao_abstract_stops_at_body() -> None:
    _expect(
        THONG_BAO,
        "thong_bao",
        {
            "so_ky_hieu": "05/TB-UBND",
            "trich_yeu": "Về việc tạm dừng tiếp nhận hồ sơ trực tiếp ngày 22/5/2025",
            "ngay_ban_hanh": "2025-05-20",
            "chuc_vu_nguoi_ky": "TL. CHỦ TỊCH - CHÁNH VĂN PHÒNG",
            "nguoi_ky": "Võ Thị Hằng",
        },
    )


def test_to_khai_names_the_child_not_the_applicant() -> None:
    _expect(
        TO_KHAI_KS,
        "to_khai",
        {
            "ho_ten": "Nguyễn Thị Hoa",
            "ngay_ban_hanh": "2025-03-10",
            "dia_danh": "Thanh Thạch",
            "ten_loai": "Tờ khai",
            "chuc_vu_nguoi_ky": "NGƯỜI YÊU CẦU",
            "nguoi_ky": "Nguyễn Văn Hùng",
        },
        # the only identifiers belong to the applicant and the mother; no number, no issuing body
        absent=("so_dinh_danh", "so_ky_hieu", "co_quan_ban_hanh", "trich_yeu"),
    )


def test_to_khai_ocr() -> None:
    fields = _expect(
        TO_KHAI_KS_OCR,
        "to_khai",
        {"ho_ten": "Le Minh Khoa", "ngay_ban_hanh": "2025-06-05", "dia_danh": "Dong Ha"},
        absent=("so_dinh_danh",),  # "của mẹ": the mother's number
    )
    assert fields["ho_ten"].confidence < 0.85  # no marks at all


def test_giay_khai_sinh() -> None:
    _expect(
        GIAY_KHAI_SINH,
        "giay_khai_sinh",
        {
            "ho_ten": "Nguyễn Thị Hoa",
            "so_dinh_danh": "044325001234",
            "ngay_ban_hanh": "2025-03-10",  # the signing date, not the birth date
            "dia_danh": "Thanh Thạch",
            "co_quan_ban_hanh": "ỦY BAN NHÂN DÂN XÃ THANH THẠCH",  # one name wrapped on two lines
            "chuc_vu_nguoi_ky": "KT. CHỦ TỊCH - PHÓ CHỦ TỊCH",
            "nguoi_ky": "Lê Văn An",
            "ten_loai": "Giấy khai sinh",
        },
        absent=("so_ky_hieu",),
    )


def test_giay_khai_sinh_with_wrong_century_digit_drops_identifier() -> None:
    # 0443 25 …: century digit 3 (female, 2000s) is right; 0445 25 … is no one's identifier.
    bad = GIAY_KHAI_SINH.replace("044325001234", "044525001234")
    _expect(bad, "giay_khai_sinh", {"ho_ten": "Nguyễn Thị Hoa"}, absent=("so_dinh_danh",))


def test_phieu_mot_cua() -> None:
    fields = _expect(
        PHIEU_MOT_CUA,
        "phieu_mot_cua",
        {
            "ma_ho_so": "H50.12-251103-0142",
            "ma_co_quan": "H50.12",
            "ma_thu_tuc": "1.001193",
            "ho_ten": "Nguyễn Thị Hoa",
            "so_dinh_danh": "044196001234",
            "ngay_ban_hanh": "2025-11-03",
            "co_quan_ban_hanh": "UBND XÃ THANH THẠCH",
            "ten_loai": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        },
    )
    assert fields["ma_ho_so"].confidence >= 0.9


def test_phieu_mot_cua_ocr_repairs_dossier_code() -> None:
    fields = _expect(
        PHIEU_MOT_CUA_OCR,
        "phieu_mot_cua",
        {"ma_ho_so": "H50.12-251103-0142", "ma_co_quan": "H50.12", "ho_ten": "Tran Van Ba"},
        absent=("ngay_ban_hanh", "dia_danh", "ma_thu_tuc"),
    )
    assert fields["ma_ho_so"].confidence < 0.9


def test_custom_dossier_pattern() -> None:
    text = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ\nMã hồ sơ: H50.12/251103/042"
    pattern = r"(?P<unit>[A-Z]\d{2}(?:\.\d+)*)/(?P<date>\d{6})/(?P<seq>\d{3,})"
    assert "ma_ho_so" not in extract(text, "phieu_mot_cua", today=TODAY)
    fields = extract(text, "phieu_mot_cua", today=TODAY, dossier_pattern=pattern)
    assert _values(fields)["ma_ho_so"] == "H50.12/251103/042"
    assert _values(fields)["ma_co_quan"] == "H50.12"


def test_can_cuoc() -> None:
    _expect(
        SHORT["can_cuoc"],
        "can_cuoc",
        {"ho_ten": "Nguyễn Thị Hoa", "so_dinh_danh": "044196001234", "ten_loai": "Căn cước công dân"},
    )


def test_page_count_and_language() -> None:
    fields = extract(QD_CLEAN, "quyet_dinh", page_count=2, today=TODAY)
    assert fields["so_trang"] == Field("2", 1.0)
    assert fields["ngon_ngu"].value == "vi"
    assert "so_trang" not in extract(QD_CLEAN, "quyet_dinh", page_count=0, today=TODAY)


def test_future_and_pre_1945_dates_are_not_issue_dates() -> None:
    future = QD_CLEAN.replace("ngày 07 tháng 4 năm 2023", "ngày 07 tháng 4 năm 2026")
    fields = extract(future, "quyet_dinh", today=TODAY)
    assert "ngay_ban_hanh" not in fields and "dia_danh" not in fields
    old = QD_CLEAN.replace("ngày 07 tháng 4 năm 2023", "ngày 07 tháng 4 năm 1930")
    assert "ngay_ban_hanh" not in extract(old, "quyet_dinh", today=TODAY)


def test_citations_in_the_body_are_not_the_number_or_date() -> None:
    # No header number and no place-date line: the "Căn cứ … số 30/2020/NĐ-CP, ngày 05 …" citation
    # and the law's date must not be taken for the document's own.
    body = "\n".join(ln for ln in QD_CLEAN.splitlines()[3:])
    fields = extract(body, "quyet_dinh", today=TODAY)
    assert "so_ky_hieu" not in fields and "ngay_ban_hanh" not in fields


def test_unrelated_text_yields_no_metadata() -> None:
    fields = extract(UNRELATED, "khac", today=TODAY)
    assert set(fields) <= {"ngon_ngu"}
    assert extract("", "khac", today=TODAY) == {}
    assert extract("@#$ %%% 12 ::: ---", "khac", today=TODAY) == {}


def test_wrong_class_guesses_nothing_extra() -> None:
    # Extracting with an unrelated class must not invent a type name or a citizen.
    fields = extract(QD_CLEAN, "bien_lai", today=TODAY)
    assert "ten_loai" not in fields and "ho_ten" not in fields


# --- real OCR --------------------------------------------------------------------------------------------
_FONT = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"


def _render_quyet_dinh() -> object:
    from PIL import Image, ImageDraw, ImageFont

    # 42 px glyphs on an A4 width of 2480 px: 12–13 pt type scanned at 300 dpi.
    font = ImageFont.truetype(_FONT, 42)
    img = Image.new("RGB", (2480, 1900), "white")
    draw = ImageDraw.Draw(img)
    rows = [
        ("UBND TỈNH QUẢNG TRỊ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        ("ỦY BAN NHÂN DÂN XÃ THANH THẠCH", "Độc lập - Tự do - Hạnh phúc"),
        ("", ""),
        ("Số: 217/QĐ-UBND", "Thanh Thạch, ngày 18 tháng 9 năm 2025"),
    ]
    y = 150
    for left, right in rows:
        draw.text((200, y), left, font=font, fill="black")
        draw.text((1250, y), right, font=font, fill="black")
        y += 60
    y += 80
    for line in [
        "QUYẾT ĐỊNH",
        "Về việc cấp giấy phép xây dựng cho hộ ông Lê Văn Bình",
        "",
        "ỦY BAN NHÂN DÂN XÃ THANH THẠCH",
        "",
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2025;",
        "QUYẾT ĐỊNH:",
        "Điều 1. Cấp giấy phép xây dựng cho hộ ông Lê Văn Bình.",
        "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
    ]:
        draw.text((250, y), line, font=font, fill="black")
        y += 60
    y += 40
    signature = [
        ("Nơi nhận:", "KT. CHỦ TỊCH"),
        ("- Như Điều 2;", "PHÓ CHỦ TỊCH"),
        ("- Lưu: VT.", ""),
        ("", "Lê Văn An"),
    ]
    for left, right in signature:
        draw.text((200, y), left, font=font, fill="black")
        draw.text((1500, y), right, font=font, fill="black")
        y += 60
    return img


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_real_tesseract_output() -> None:
    import pytesseract

    if "vie" not in pytesseract.get_languages():
        pytest.skip("tesseract vie model not installed")
    text = pytesseract.image_to_string(_render_quyet_dinh(), lang="vie")
    result = classify(text)
    assert result.doc_type == "quyet_dinh", (result, text)
    assert result.confidence >= 0.7
    values = _values(extract(text, result.doc_type, page_count=1, today=TODAY))
    assert values["so_ky_hieu"] == "217/QĐ-UBND", text
    assert values["ngay_ban_hanh"] == "2025-09-18", text
    assert values["dia_danh"] == "Thanh Thạch", text
    assert values["co_quan_ban_hanh"] == "ỦY BAN NHÂN DÂN XÃ THANH THẠCH", text
    assert values["trich_yeu"] == "Về việc cấp giấy phép xây dựng cho hộ ông Lê Văn Bình", text
    assert values["nguoi_ky"] == "Lê Văn An", text
