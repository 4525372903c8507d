"""The people of a form (pipeline/understand/extract/people.py): every person block, the citizen of
each class, the parties. Forms are written here in the wording of the official ones (hộ tịch tờ khai
of Thông tư 04/2020 and 04/2024/TT-BTP, the BHXH giấy ủy quyền, one-stop slips of Thông tư
01/2018/TT-VPCP, law-office đơn), as OCR gives them: tables read row by row or column by column,
numbering garbled, blanks left as dot leaders. One form is rendered and read by tesseract; the real
set (/work/ext/realset, not committed) is read when present."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from pipeline.understand.extract import Extraction, extract_document
from pipeline.understand.extract.people import Party

TODAY = date(2025, 11, 20)


def _read(text: str, doc_type: str) -> Extraction:
    return extract_document(text, doc_type, today=TODAY)


def _people(text: str, doc_type: str) -> tuple[dict[str, str], list[tuple[str, str, str | None]]]:
    got = _read(text, doc_type)
    citizen = {k: got.fields[k].value for k in ("ho_ten", "so_dinh_danh") if k in got.fields}
    return citizen, [(p.role, p.ho_ten, p.so_dinh_danh) for p in got.parties]


TK_KHAI_SINH_2024 = """\
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
TỜ KHAI ĐĂNG KÝ KHAI SINH
Kính gửi: (1) Ủy ban nhân dân xã Thanh Thạch
Họ, chữ đệm, tên người yêu cầu: HỒ TIẾN TRUNG
Nơi cư trú: (2) thôn Trung Thành, xã Thanh Thạch, tỉnh Quảng Trị
Giấy tờ tùy thân: (3) Căn cước công dân số 045064035753 do Cục Cảnh sát QLHC
về TTXH cấp ngày 20/11/2021
Quan hệ với người được khai sinh: Cha
Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:
Họ, chữ đệm, tên: HỒ THỊ HƯƠNG
Ngày, tháng, năm sinh: 15/04/2025
Giới tính: Nữ Dân tộc: Kinh Quốc tịch: Việt Nam
Họ, chữ đệm, tên người mẹ: PHẠM THỊ HẠNH
Năm sinh: (5) 1990 Dân tộc: Kinh Quốc tịch: Việt Nam
Họ, chữ đệm, tên người cha: HỒ TIẾN TRUNG
Tôi cam đoan nội dung đề nghị đăng ký khai sinh trên đây là đúng sự thật.
Làm tại: Thanh Thạch, ngày 02 tháng 5 năm 2025
"""


def test_birth_registration_names_the_child_and_lists_the_others() -> None:
    citizen, parties = _people(TK_KHAI_SINH_2024, "to_khai")
    # the child has no identifier yet: the only number is the applicant's, in "Giấy tờ tùy thân"
    assert citizen == {"ho_ten": "Hồ Thị Hương"}
    # the father who asked is one person, named twice
    assert parties == [("Người yêu cầu", "Hồ Tiến Trung", "045064035753"), ("Người mẹ", "Phạm Thị Hạnh", None)]


def test_death_registration_names_the_deceased_with_their_papers() -> None:
    text = """TỜ KHAI ĐĂNG KÝ KHAI TỬ
Họ, chữ đệm, tên người yêu cầu: Lê Văn Nam
Giấy tờ tùy thân: (3) Căn cước số 045090001234 do Bộ Công an cấp ngày 01/07/2024
Quan hệ với người đã chết: Con
Đề nghị cơ quan đăng ký khai tử cho người có tên dưới đây:
Họ, chữ đệm, tên: LÊ VĂN HÒA
Ngày, tháng, năm sinh: 02/03/1941
Giấy tờ tùy thân: (3) Căn cước công dân số 045041001234 do Cục Cảnh sát QLHC về TTXH cấp ngày 02/01/2022
Đã chết vào lúc: 14 giờ 20 phút, ngày 02 tháng 3 năm 2025
"""
    citizen, parties = _people(text, "to_khai")
    assert citizen == {"ho_ten": "Lê Văn Hòa", "so_dinh_danh": "045041001234"}
    assert parties == [("Người yêu cầu", "Lê Văn Nam", "045090001234")]


def test_marriage_tables_name_two_parties_and_no_citizen() -> None:
    # read row by row: both names on one line, the family name Võ not taken for "vợ"
    rows = """TỜ KHAI ĐĂNG KÝ KẾT HÔN
Thông tin Bên nữ Bên nam
Họ, chữ đệm, tên LÊ THỊ MAI VÕ VĂN PHONG
Số định danh cá nhân 045195001234 045094001234
"""
    citizen, parties = _people(rows, "to_khai")
    assert citizen == {}
    assert parties == [("Bên nữ", "Lê Thị Mai", "045195001234"), ("Bên nam", "Võ Văn Phong", "045094001234")]
    # read column by column: the labels first, then each person's values
    columns = """TỜ KHAI ĐĂNG KÝ KẾT HÔN
I. BÊN NAM
Họ, chữ đệm, tên:
Ngày, tháng, năm sinh:
Số định danh cá
nhân/CCCD/Hộ chiếu:
II. BÊN NỮ
Họ, chữ đệm, tên:
Ngày, tháng, năm sinh:

ĐẶNG VIẾT CƯỜNG
10/07/1988
045088001234
TRỊNH PHƯƠNG HƯƠNG
06/07/1990
"""
    citizen, parties = _people(columns, "to_khai")
    assert citizen == {}
    assert parties == [("BÊN NAM", "Đặng Viết Cường", "045088001234"), ("BÊN NỮ", "Trịnh Phương Hương", None)]
    # a certificate whose two columns tesseract read one per line
    gcn = """GIẤY CHỨNG NHẬN KẾT HÔN
Thông tin người chồng
Thông tin người vợ
Họ, chữ đệm, tên
LÊ XUÂN KHÁNH
HUỲNH THANH HÀ
Số định danh cá nhân
044092037231
042194332785
"""
    citizen, parties = _people(gcn, "gcn_ket_hon")
    assert citizen == {}
    assert [(n, i) for _, n, i in parties] == [("Lê Xuân Khánh", "044092037231"), ("Huỳnh Thanh Hà", "042194332785")]
    # one number of the two read: it cannot be told to be either's
    one = gcn.replace("042194332785", "04219433")
    assert all(i is None for _, _, i in _people(one, "gcn_ket_hon")[1])


def test_power_of_attorney_is_about_its_principal() -> None:
    # BHXH Mẫu 13-HSB, its Roman numbers garbled by OCR ("L", "H.")
    bhxh = """GIẤY ỦY QUYỀN
L Người ủy quyền:
Họ và tên: HỒ MINH QUYÊN, sinh ngày 02/10/1969
Mã số BHXH: 4512345678
Số CMND/số căn cước công dân/số hộ chiếu: 045169012345 do Cục Cảnh sát QLHC về TTXH cấp ngày 10/10/2021
H. Người được ủy quyền:
Họ và tên: VÕ HOÀNG CƯỜNG, sinh ngày 24/02/1986
Số CMND/số căn cước công dân/số hộ chiếu: 045086054321 do Cục Cảnh sát QLHC về TTXH cấp ngày 11/11/2021
III. Nội dung ủy quyền(2): nhận thay lương hưu.
"""
    citizen, parties = _people(bhxh, "giay_uy_quyen")
    assert citizen == {"ho_ten": "Hồ Minh Quyên", "so_dinh_danh": "045169012345"}
    assert parties == [("Người được ủy quyền", "Võ Hoàng Cường", "045086054321")]
    # "Bên uỷ quyền (Bên A):" headings, the names under "Ông/Bà:"
    civil = """GIẤY UỶ QUYỀN
Bên uỷ quyền (Bên A):
Ông/Bà: Trương Văn Dũng
Số định danh cá nhân: 004072046311
Bên được uỷ quyền (Bên B):
Ông/Bà: Ngô Mỹ Anh
Số định danh cá nhân: 038173032995
"""
    citizen, parties = _people(civil, "giay_uy_quyen")
    assert citizen == {"ho_ten": "Trương Văn Dũng", "so_dinh_danh": "004072046311"}
    assert parties == [("Bên được uỷ quyền (Bên B)", "Ngô Mỹ Anh", "038173032995")]
    # two sides that do not say which one gives the authority: no citizen is guessed
    plain = "GIẤY ỦY QUYỀN\nBên A: Ông Lê Văn D\nBên B: Bà Lê Thị E\n"
    citizen, parties = _people(plain, "giay_uy_quyen")
    assert citizen == {} and [n for _, n, _ in parties] == ["Lê Văn D", "Lê Thị E"]


def test_application_is_about_its_applicant() -> None:
    text = """ĐƠN KHỞI KIỆN
Kính gửi: Tòa án nhân dân huyện Cam Lộ
1. Người khởi kiện: Ngô Tiến Nghĩa.............sinh ngày: 03/01/1963......
CMND/CCCD số: 027063252353...... do: Cục Cảnh sát QLHC về TTXH cấp ngày: 03/01/2021
2. Người bị kiện: Dương Thị Lộc.............sinh ngày: 18/01/1964
CMND/CCCD số: 042164151262
"""
    citizen, parties = _people(text, "don")
    assert citizen == {"ho_ten": "Ngô Tiến Nghĩa", "so_dinh_danh": "027063252353"}
    assert parties == [("Người bị kiện", "Dương Thị Lộc", "042164151262")]


def test_slip_is_about_the_dossier_owner_not_whoever_submitted_it() -> None:
    text = """GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ
Tiếp nhận hồ sơ của Ông (Bà): Vương Nam (trực tiếp).
Số căn cước/Hộ chiếu: 027053166950.
Nội dung yêu cầu giải quyết: Đăng ký khai sinh (mã thủ tục 1.001193).
Chủ hồ sơ: Nguyễn Văn Đạt.
Địa chỉ chủ hồ sơ: thôn Đông, xã Thanh Thạch.
"""
    citizen, parties = _people(text, "phieu_mot_cua")
    # the printed number is the submitter's: the owner's identifier is absent, not borrowed
    assert citizen == {"ho_ten": "Nguyễn Văn Đạt"}
    assert parties == [("Tiếp nhận hồ sơ của Ông (Bà)", "Vương Nam", "027053166950")]
    same = text.replace("Chủ hồ sơ: Nguyễn Văn Đạt.", "Chủ hồ sơ: VƯƠNG NAM.")
    assert _people(same, "phieu_mot_cua") == ({"ho_ten": "Vương Nam", "so_dinh_danh": "027053166950"}, [])


def test_marital_status_certificate_and_the_one_who_asked() -> None:
    text = """GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN
Xét đề nghị của ông: Đàm Hải về việc cấp Giấy xác nhận tình trạng hôn nhân,
ỦY BAN NHÂN DÂN XÃ THANH THẠCH
XÁC NHẬN:
Họ, chữ đệm, tên: PHAN BÍCH THỦY
Giấy tờ tùy thân: Căn cước công dân số 045192001234
Tình trạng hôn nhân: Chưa đăng ký kết hôn với ai
"""
    citizen, parties = _people(text, "xac_nhan_tthn")
    assert citizen == {"ho_ten": "Phan Bích Thủy", "so_dinh_danh": "045192001234"}
    assert parties == [("Xét đề nghị của ông", "Đàm Hải", None)]


def test_boxed_identifier_and_relatives_of_a_cc01_declaration() -> None:
    text = """TỜ KHAI CĂN CƯỚC CÔNG DÂN
1. Họ, chữ đệm và tên(1): NGUYỄN THỊ HOA
2. Họ, chữ đệm và tên gọi khác (nếu có)(1):
5. Số CMND/CCCD (2) |0|4|4|1|9|6|0|0|1|2|3|4|
17. Họ, chữ đệm và tên của cha(1): NGUYỄN VĂN BA Quốc tịch: Việt Nam
18. Họ, chữ đệm và tên của mẹ(1): TRẦN THỊ LAN Quốc tịch: Việt Nam
Tôi xin cam đoan những thông tin kê khai trên là đúng sự thật./.
"""
    citizen, parties = _people(text, "to_khai")
    assert citizen == {"ho_ten": "Nguyễn Thị Hoa", "so_dinh_danh": "044196001234"}
    assert [(r.lower(), n) for r, n, _ in parties] == [("của cha", "Nguyễn Văn Ba"), ("của mẹ", "Trần Thị Lan")]


def test_blank_forms_and_placeholders_yield_nobody() -> None:
    blank = """ĐƠN YÊU CẦU KHÔNG HOÀ GIẢI TẠI TRUNG TÂM HOÀ GIẢI
Người yêu cầu: ......................................sinh ngày: ................
CMND/CCCD số:.................................. do:.................
Thường trú: .....................................................
Ông/Bà: ............................................ sinh ngày: .............
"""
    slip = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ\nTiếp nhận hồ sơ của Ông (Bà): {tenNguoiNop} ({kenhThucHien}).\n" \
           "Chủ hồ sơ: {chuHoSo}.\nSố căn cước/Hộ chiếu: {soGiayToNguoiNop}.\n"
    table = "TỜ KHAI ĐĂNG KÝ KHAI SINH\nI. THÔNG TIN CỦA NGƯỜI ĐƯỢC ĐĂNG KÝ KHAI SINH\nHọ, chữ đệm, tên:\n" \
            "Giới tính:\nII. THÔNG TIN CỦA CHA\nHọ, chữ đệm, tên:\nNgày, tháng, năm sinh:\nDân tộc:\nQuốc tịch:\n"
    for text, doc_type in ((blank, "don"), (slip, "phieu_mot_cua"), (table, "to_khai")):
        got = _read(text, doc_type)
        assert "ho_ten" not in got.fields and "so_dinh_danh" not in got.fields and got.parties == [], (text, got)


def test_a_household_named_in_a_decision_without_identifiers() -> None:
    text = """QUYẾT ĐỊNH
Về việc: Giao quyền sử dụng đất ở dân cư
Xét đơn xin quyền sử dụng đất ở của ông, bà: Nông Bích Sảng, chồng Nông Đình Huân
Điều 1. Giao cho ông bà: Nông Bích Sang - Nông Đình Huân xây dựng nhà ở.
b) Ông, bà: Nông Bích Sảng - Nông Đình Huân có trách nhiệm đền bù hoa màu.
"""
    assert _people(text, "quyet_dinh")[0] == {"ho_ten": "Nông Bích Sảng"}
    # said once, with no identifier: not enough to name the citizen of a decision
    once = text.split("Điều 1.")[0]
    assert _people(once, "quyet_dinh")[0] == {}


def test_a_decision_about_one_student_names_her_by_her_birth_date() -> None:
    text = """QUYẾT ĐỊNH
Về việc cho sinh viên chuyển trường
Xét đơn xin chuyển trường của sinh viên Đỗ Thị Ánh Thư, lớp TTĐPT 18 - 03,
khoa Truyền thông đã được Hiệu trưởng phê duyệt;
Điều 1. Cho phép sinh viên Đỗ Thị Ánh Thư, sinh ngày 13/11/2006, mã sinh viên
1876030281, lớp TTĐPT 18 - 03, chuyển đến học tại trường Đại học Hòa Bình.
Điều 2. Mọi quyền lợi của sinh viên Đỗ Thị Ánh Thư đối với trường chấm dứt.
"""
    assert _people(text, "quyet_dinh")[0] == {"ho_ten": "Đỗ Thị Ánh Thư"}
    assert _read(text, "quyet_dinh").fields["ho_ten"].confidence >= 0.6
    # named once, born on a date: the person, sent to review
    once = "QUYẾT ĐỊNH\nĐiều 1. Khen thưởng học sinh Lò Văn Sơn, sinh ngày 02/03/2010, lớp 9A.\n"
    assert _people(once, "quyet_dinh")[0] == {"ho_ten": "Lò Văn Sơn"}
    assert _read(once, "quyet_dinh").fields["ho_ten"].confidence < 0.6
    # a list of students awarded names no citizen
    two = text + "Điều 3. Cho phép sinh viên Lê Văn Nam, sinh ngày 01/01/2005, chuyển trường.\n"
    assert _people(two, "quyet_dinh")[0] == {}


def test_a_name_label_with_a_speck_and_a_lost_letter_is_still_a_label() -> None:
    text = """MẪU SƠ YẾU LÝ LỊCH
1) Họ và ¡ tên khai sinh (viết ch in hoa): LÊ THỊ MỸ DUYÊN Giới tính: Nữ
3) Sinh ngày 26 tháng 03 năm 1991
8) Số CCCD: 049191005310 Ngày cấp: 11/08/2021
"""
    assert _people(text, "khac")[0] == {"ho_ten": "Lê Thị Mỹ Duyên", "so_dinh_danh": "049191005310"}
    # the name garbled ("THỊ" read as "Đá"): no name, the number still read
    assert _people(text.replace("THỊ", "Đá"), "khac")[0] == {"so_dinh_danh": "049191005310"}


def test_party_is_plain_data() -> None:
    p = _read(TK_KHAI_SINH_2024, "to_khai").parties[0]
    assert isinstance(p, Party) and 0.0 < p.confidence <= 1.0


# --- a form rendered and read by tesseract ---------------------------------------------------------
_FONT = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_rendered_power_of_attorney_read_by_tesseract() -> None:
    import pytesseract
    from PIL import Image, ImageDraw, ImageFont

    if "vie" not in pytesseract.get_languages():
        pytest.skip("tesseract vie model not installed")
    font = ImageFont.truetype(_FONT, 42)
    img = Image.new("RGB", (2480, 1500), "white")
    draw = ImageDraw.Draw(img)
    lines = [
        (700, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), (900, "Độc lập - Tự do - Hạnh phúc"), (0, ""),
        (1000, "GIẤY ỦY QUYỀN"), (0, ""), (250, "I. Người ủy quyền:"),
        (250, "Họ và tên: TRẦN THỊ THU HÀ, sinh ngày 12/05/1958"),
        (250, "Số CMND/số căn cước công dân/số hộ chiếu: 045158003456 do Cục Cảnh sát"),
        (250, "II. Người được ủy quyền:"), (250, "Họ và tên: LÊ VĂN BÌNH, sinh ngày 03/09/1985"),
        (250, "Số CMND/số căn cước công dân/số hộ chiếu: 045085007890 do Cục Cảnh sát"),
        (250, "III. Nội dung ủy quyền: nhận thay lương hưu tháng 5 năm 2025."),
    ]
    y = 120
    for x, line in lines:
        draw.text((x, y), line, font=font, fill="black")
        y += 70
    text = pytesseract.image_to_string(img, lang="vie")
    citizen, parties = _people(text, "giay_uy_quyen")
    assert citizen == {"ho_ten": "Trần Thị Thu Hà", "so_dinh_danh": "045158003456"}, text
    assert [(n, i) for _, n, i in parties] == [("Lê Văn Bình", "045085007890")], text


# --- wordings and layouts of other offices' templates -----------------------------------------------
def test_complaint_and_denunciation_name_their_author() -> None:
    for role in ("khiếu nại", "tố cáo", "kiến nghị"):
        text = f"""ĐƠN {role.upper()}
Kính gửi: Thanh tra tỉnh Quảng Trị
Họ và tên người {role}: Nguyễn Anh Tài
Địa chỉ: tổ dân phố Bắc, phường Đông Hà, tỉnh Quảng Trị
Số CMND/Hộ chiếu/Thẻ căn cước công dân: 038084511100
Ngày cấp, nơi cấp: 10/5/2021, Cục Cảnh sát quản lý hành chính về trật tự xã hội
"""
        citizen, _ = _people(text, "don")
        assert citizen == {"ho_ten": "Nguyễn Anh Tài", "so_dinh_danh": "038084511100"}, role


def test_birth_certificate_of_a_hospital_names_the_mother_or_the_one_raising_the_child() -> None:
    text = """GIẤY CHỨNG SINH
Họ và tên mẹ/Người nuôi dưỡng: HOÀNG MỸ LAN
Năm sinh: 2004 Dân tộc: Kinh
Số CMND/Hộ chiếu/Số định danh cá nhân: 040304254815
Nơi đăng ký thường trú: tổ dân phố Bắc, phường Hải Châu, thành phố Đà Nẵng
Dự định đặt tên con là: Trần Hoàng Tiến
"""
    citizen, _ = _people(text, "giay_chung_sinh")
    assert citizen == {"ho_ten": "Hoàng Mỹ Lan", "so_dinh_danh": "040304254815"}


def test_household_business_certificate_names_its_owner() -> None:
    text = """GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH
Mã số hộ kinh doanh: 32A8432634
1. Tên hộ kinh doanh (ghi bằng chữ in hoa): HỘ KINH DOANH NGUYỄN VĂN HƯNG
4. Vốn kinh doanh: 242.000.000 đồng
5. Chủ hộ kinh doanh: Nguyễn Văn Hưng
Số định danh cá nhân: 045068408796
"""
    citizen, _ = _people(text, "gcn_ho_kinh_doanh")
    assert citizen == {"ho_ten": "Nguyễn Văn Hưng", "so_dinh_danh": "045068408796"}


@pytest.mark.parametrize(("copied", "name"), [
    ("SỔ HỘ KHẨU\nHọ và tên chủ hộ: Trần Văn Bình\nSố nhà, đường phố, thôn: thôn 3, xã Cam Lộ\n", "Trần Văn Bình"),
    ("BẰNG TỐT NGHIỆP TRUNG HỌC PHỔ THÔNG\nCho: Lê Thị Mai\nNgày sinh: 02/03/2004\nXếp loại tốt nghiệp: Khá\n",
     "Lê Thị Mai"),
    ("QUYẾT ĐỊNH\nVề việc giao đất ở\nĐiều 1. Giao đất ở cho hộ bà Nguyễn Thị Châu.\n", "Nguyễn Thị Châu"),
], ids=["household register", "diploma", "decision"])
def test_certified_copy_names_the_holder_of_the_copied_paper(copied: str, name: str) -> None:
    text = copied + """CHỨNG THỰC BẢN SAO ĐÚNG VỚI BẢN CHÍNH
Số chứng thực: 1262 Quyển số: 03/2020-SCT/BS
ngày 12 tháng 4 năm 2020
NGƯỜI THỰC HIỆN CHỨNG THỰC
(Ký, ghi rõ họ tên và đóng dấu)
Lương Thị Chi
"""
    citizen, _ = _people(text, "ban_sao_chung_thuc")
    assert citizen == {"ho_ten": name}


def test_land_certificate_names_its_holder_with_a_cccd_number() -> None:
    text = """GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT, QUYỀN SỞ HỮU TÀI SẢN GẮN LIỀN VỚI ĐẤT
I. Người sử dụng đất, chủ sở hữu tài sản gắn liền với đất
Bà Lê Thị Chi, năm sinh 1987, CCCD số 038187081442; địa chỉ thường trú: thôn
Thượng, xã Quảng Điền, thành phố Huế.
II. Thửa đất, nhà ở và tài sản khác gắn liền với đất
"""
    got = _read(text, "gcn_qsdd").fields
    assert (got["ho_ten"].value, got["so_dinh_danh"].value) == ("Lê Thị Chi", "038187081442")


def test_building_permit_names_its_grantee() -> None:
    text = """GIẤY PHÉP XÂY DỰNG
(Sử dụng cho nhà ở riêng lẻ)
1. Cấp cho: Ông Võ Văn Lộc
Địa chỉ: thôn Tân Sơn, xã Vĩnh Linh, tỉnh Quảng Trị
2. Được phép xây dựng công trình: Nhà ở riêng lẻ
"""
    got = _read(text, "giay_phep_xay_dung").fields
    assert got["ho_ten"].value == "Võ Văn Lộc" and "so_dinh_danh" not in got


def test_a_copied_decision_about_two_households_names_no_citizen() -> None:
    text = """QUYẾT ĐỊNH
Về việc giao đất ở
Điều 1. Giao đất ở cho hộ bà Nguyễn Thị Châu và cho hộ ông Lê Văn Bình.
CHỨNG THỰC BẢN SAO ĐÚNG VỚI BẢN CHÍNH
"""
    assert "ho_ten" not in _read(text, "ban_sao_chung_thuc").fields


# --- OCR damage to labels and names --------------------------------------------------------------
def test_a_comma_read_as_a_dot_still_labels_the_name() -> None:
    text = """GIẤY KHAI SINH
Họ. chữ đệm, tên: BÙI HOÀNG HƯNG
Số định danh cá nhân: 042223250811
Họ, chữ đệm, tên người mẹ: CAO THỊ ANH
"""
    citizen, _ = _people(text, "giay_khai_sinh")
    assert citizen == {"ho_ten": "Bùi Hoàng Hưng", "so_dinh_danh": "042223250811"}


def test_a_family_name_in_capitals() -> None:
    text = """ĐƠN ĐỀ NGHỊ
Họ và tên: NGUYỄN Văn An
Số định danh cá nhân: 045080001234
"""
    citizen, _ = _people(text, "don")
    assert citizen == {"ho_ten": "Nguyễn Văn An", "so_dinh_danh": "045080001234"}


def test_an_identifier_label_read_without_its_space() -> None:
    text = """GIẤY ỦY QUYỀN
1. Người ủy quyền:
Họ và tên: LÊ THỊ HẰNG
SốCCCD: 040150968053
2. Người được ủy quyền:
Họ và tên: ĐẶNG ANH THÀNH
Số CCCD: 001075480903
"""
    citizen, _ = _people(text, "giay_uy_quyen")
    assert citizen == {"ho_ten": "Lê Thị Hằng", "so_dinh_danh": "040150968053"}


def test_a_principal_whose_name_ocr_garbled_keeps_the_identifier_and_no_other_name() -> None:
    text = """GIẤY ỦY QUYỀN
Họ, chữ đệm, tên người ủy quyền: VÕ 77OÀI YẾN
Giấy tờ tùy thân: Thẻ căn cước số 045160192139 do Bộ Công an cấp ngày 03/12/2021
Họ, chữ đệm, tên người được ủy quyền: VŨ GIA MINH
Giấy tờ tùy thân: Căn cước công dân số 044089017521 do Bộ Công an cấp ngày 21/11/2021
"""
    citizen, parties = _people(text, "giay_uy_quyen")
    assert citizen == {"so_dinh_danh": "045160192139"}
    assert [(n, i) for _, n, i in parties] == [("Vũ Gia Minh", "044089017521")]


def test_a_name_printed_twice_with_other_marks_goes_to_review() -> None:
    text = """GIẤY ỦY QUYỀN
1. Người ủy quyền:
Họ và tên: LÝ MỸ HÀNG
Số CCCD: 040150968053
2. Người được ủy quyền:
Họ và tên: ĐẶNG ANH THÀNH
NGƯỜI ĐƯỢC ỦY QUYỀN NGƯỜI ỦY QUYỀN
Đặng Anh Thành Lý Mỹ Hằng
"""
    got = _read(text, "giay_uy_quyen").fields
    assert got["ho_ten"].confidence < 0.6  # one of the two spellings is misread: a person decides
    unmarked = text.replace("LÝ MỸ HÀNG", "LY MY HANG")
    got = _read(unmarked, "giay_uy_quyen").fields
    assert got["ho_ten"].value == "Lý Mỹ Hằng"  # the marks OCR lost in the block, read at the signature


def test_an_identifier_that_disagrees_with_the_printed_birth_year_goes_to_review() -> None:
    text = """GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT
Bà: NGUYỄN HOÀI UYÊN, năm sinh: 1986, Số định danh cá nhân:
038166617018; địa chỉ thường trú: thôn 4, xã Đức Thọ, tỉnh Hà Tĩnh.
"""
    got = _read(text, "gcn_qsdd").fields
    assert got["so_dinh_danh"].value == "038166617018" and got["so_dinh_danh"].confidence < 0.6  # 66 is not 1986
    assert _read(text.replace("1986", "1966"), "gcn_qsdd").fields["so_dinh_danh"].confidence >= 0.6
    form = """TỜ KHAI ĐĂNG KÝ GIÁM HỘ
Họ, chữ đệm, tên người yêu cầu: TRƯƠNG QUANG CƯỜNG
Ngày, tháng, năm sinh: 24/3/1984
Giấy tờ tùy thân: Căn cước công dân số 044064489732 do Bộ Công an cấp ngày 24/3/2021
Đề nghị cơ quan đăng ký giám hộ cho người có tên dưới đây:
Họ, chữ đệm, tên người được giám hộ: NGUYỄN THỊ BÌNH
Ngày, tháng, năm sinh: 05/9/2010
"""
    got = _read(form, "to_khai").fields
    assert got["so_dinh_danh"].confidence < 0.6  # 64 is not 1984
    # the ward's birth date, in the next block, is not the applicant's
    assert _read(form.replace("1984", "1964"), "to_khai").fields["so_dinh_danh"].confidence >= 0.6


CARD = """CĂN CƯỚC CÔNG DÂN
Số định danh cá nhân / Personal identification number:
048184738116
Họ, chữ đệm và tên / Full name: NGUYỄN KHÁNH THÙY
LINH
Ngày sinh / Date of birth: 23/02/1984
IDVNM1847381167048184738116<<1
8402231F4402233VNM<<<<<<<<<<<8
NGUYEN<<KHANH<THUY<LINH<<<<<<<
"""


def test_a_card_name_wrapped_onto_the_next_line_is_joined_as_its_machine_zone_spells_it() -> None:
    got = _read(CARD, "can_cuoc").fields
    assert (got["ho_ten"].value, got["so_dinh_danh"].value) == ("Nguyễn Khánh Thùy Linh", "048184738116")
    assert got["ho_ten"].confidence >= 0.6
    lost = _read(CARD.replace("LINH\n", ""), "can_cuoc").fields  # the last word lost: a person decides
    assert lost["ho_ten"].confidence < 0.6
    one_line = CARD.replace("THÙY\nLINH", "THÙY LINH").replace("<<KHANH<", "<<KHAMH<")
    garbled = _read(one_line, "can_cuoc").fields  # a letter the zone's OCR changed: no doubt on the name
    assert garbled["ho_ten"].confidence >= 0.6


def test_a_name_cut_at_a_bracket_glued_to_a_word_goes_to_review() -> None:
    text = """SỔ HỘ KHẨU
Họ và tên chủ hộ: Phan Thanh [âm
Số nhà, đường phố, thôn: thôn 10, xã Can Lộc, tỉnh Hà Tĩnh
Chứng thực bản sao đúng với bản chính.
"""
    got = _read(text, "ban_sao_chung_thuc").fields
    assert got["ho_ten"].confidence < 0.6  # "[âm" is OCR's "Lâm": the name as read is cut
    for note in ("(1)", "(chủ hộ)"):  # a note in brackets, closed, is no cut
        noted = _read(text.replace("Phan Thanh [âm", f"Phan Thanh Lâm {note}"), "ban_sao_chung_thuc").fields
        assert noted["ho_ten"].value == "Phan Thanh Lâm" and noted["ho_ten"].confidence >= 0.6, note


def test_a_name_in_capitals_followed_by_a_word_in_lower_case_is_read_for_review() -> None:
    text = """TRÍCH LỤC KHAI TỬ
Họ, chữ đệm, tên: NGUYỄN XUÂN HƯNG và,
Ngày, tháng, năm sinh: 23/5/1952 Giới tính: Nam
Số định danh cá nhân: 038052787913
"""
    got = _read(text, "trich_luc_ho_tich").fields
    assert got["ho_ten"].value == "Nguyễn Xuân Hưng" and got["ho_ten"].confidence < 0.6
    assert got["so_dinh_danh"].value == "038052787913"


def test_a_speck_after_the_name_and_the_signature_row_far_below() -> None:
    text = """GIẤY ỦY QUYỀN
I. Người ủy quyền:
Họ và tên: Hồ Thùy Hằng ˆ sinh ngày: 29/4/1959
Số CMND/số căn cước công dân/số hộ chiếu: 046159748639
Nơi cư trú: thôn 2, xã Hương Khê, tỉnh Hà Tĩnh
II. Người được ủy quyền:
Họ và tên: Phan Thanh Khánh ............... sinh ngày: 02/8/1974
Số CMND/số căn cước công dân/số hộ chiếu: 040074411837
III. Nội dung ủy quyền:
Làm thủ tục và nhận kết quả giải quyết chế độ bảo hiểm xã hội.
IV. Thời hạn ủy quyền:
Từ tháng 3/2022 đến tháng 3/2023.
Chúng tôi cam kết chấp hành đúng nội dung ủy quyền như đã nêu ở trên.
Nếu vi phạm, chúng tôi hoàn toàn chịu trách nhiệm trước pháp luật.
Thanh Thạch, ngày 09 tháng 3 năm 2022
NGƯỜI ĐƯỢC ỦY QUYỀN NGƯỜI ỦY QUYỀN
(Ký, ghi rõ họ tên) (Ký, ghi rõ họ tên)
Phan Thanh Khánh Hồ Thùy Hằng
"""
    citizen, _ = _people(text, "giay_uy_quyen")
    assert citizen == {"ho_ten": "Hồ Thùy Hằng", "so_dinh_danh": "046159748639"}
    # the name unread in its block: the two names of the signature row are not taken for it
    citizen, _ = _people(text.replace("Hồ Thùy Hằng ˆ", "H#ồ Thùy Hằng"), "giay_uy_quyen")
    assert citizen == {"so_dinh_danh": "046159748639"}


def test_a_name_read_elsewhere_without_some_marks_is_no_doubt() -> None:
    text = """ĐƠN ĐỀ NGHỊ
Họ và tên: Nguyễn Văn Bình
Số định danh cá nhân: 045080001234
Người làm đơn
Nguyễn Van Bình
"""
    got = _read(text, "don").fields
    assert got["ho_ten"].value == "Nguyễn Văn Bình" and got["ho_ten"].confidence >= 0.6


# --- the real set (not committed: fetched from public repositories, /work/ext/realset) ---------------
REALSET = Path("/work/ext/realset")


def _real(doc_id: str) -> tuple[dict, Extraction]:  # type: ignore[type-arg]
    from pipeline.read.ocr import read_page
    from pipeline.read.pages import plan

    label = next(json.loads(line) for line in (REALSET / "labels.jsonl").read_text(encoding="utf-8").splitlines()
                 if json.loads(line)["id"] == doc_id)
    path = REALSET / label["file"]
    doc_plan = plan(path)
    workdir = Path("/tmp") / f"sohoa-test-people-{doc_id}"
    pages = [read_page(path, doc_plan.fmt, s, workdir, lang="vie") for s in doc_plan.pages]
    got = extract_document("\f".join(p.text for p in pages), label["doc_type"], pages=pages, today=TODAY)
    return label, got


@pytest.mark.skipif(not (REALSET / "labels.jsonl").exists(), reason="real set not present")
def test_real_shareholder_proxy_and_blank_templates() -> None:
    label, got = _real("rs071")  # a company proxy, names in capitals, numbers blacked out
    assert got.fields["ho_ten"].value.casefold() == label["truth"]["ho_ten"].casefold()
    assert [p.ho_ten.casefold() for p in got.parties] == [p["name"].casefold() for p in label["parties"]]
    assert "so_dinh_danh" not in got.fields
    for blank in ("rs044", "rs046", "rs053", "rs062"):  # blank official forms: labels and placeholders only
        _, got = _real(blank)
        assert "ho_ten" not in got.fields and got.parties == [], (blank, got.fields, got.parties)


# --- the record: parties stored with the document --------------------------------------------------
def test_parties_recorded_in_record_json_and_database(settings, sample_set) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from pipeline.flow import Source, digitise
    from pipeline.identity import sha256_file
    from pipeline.keep import db
    from pipeline.keep.record import load_record
    from pipeline.keep.store import open_store
    from schemas.samples import SampleLabel

    samples = sample_set(n=1, seed=5, formats=["pdf-digital"], doc_types=["giay_uy_quyen"])
    label = SampleLabel.model_validate_json((samples / "labels.jsonl").read_text().splitlines()[0])
    path = samples / label.file
    assert label.parties and label.metadata["ho_ten"]  # the generator's truth: principal, and the agent
    db.migrate(settings.db_url)
    store = open_store(settings)
    record = digitise(Source(path, sha256_file(path), path.name, label.unit, label.role, datetime.now(UTC)),
                      settings, store)
    assert record.metadata["ho_ten"] == label.metadata["ho_ten"]
    assert [(p.ho_ten, p.so_dinh_danh) for p in record.parties] == [(p.ho_ten, p.so_dinh_danh) for p in label.parties]
    stored = json.loads(store.get_bytes(record.outputs[2]))
    assert stored["parties"][0]["ho_ten"] == label.parties[0].ho_ten
    with db.session_scope(settings.db_url) as s:
        back = load_record(s, record.sha256)
    assert back is not None and back.parties == record.parties


def test_real_forms_filled_by_hand_label_notes_spouses_and_a_witness() -> None:
    """Wordings of the real forms filled in bench/realset (rs097, rs099, rs106): a label's note "(chữ in hoa)"
    with no verb and the gender field after the name on its line; the spouse's "của vợ (chồng) (1):";
    a spouses' agreement whose only plain "Họ và tên:" is its witness's: no citizen, three parties."""
    cv = ("SƠ YẾU LÝ LỊCH TỰ THUẬT\n1. Họ và tên (chữ in hoa) TRỊNH XUÂN BÁCH Nam/ Nữ Nam\n"
          "2. Sinh ngày 07 tháng 01 năm 1999\n8. Số CCCD/CMND 038099010284 cấp ngày 14/06/2021\n")
    assert _people(cv, "khac")[0] == {"ho_ten": "Trịnh Xuân Bách", "so_dinh_danh": "038099010284"}
    cc01 = ("TỜ KHAI CĂN CƯỚC CÔNG DÂN\n1. Họ, chữ đệm và tên(1): PHAN THANH TÙNG\n"
            "19. Họ, chữ đệm và tên của vợ (chồng) (1): ĐOÀN THỊ THU Quốc tịch: Việt Nam\n")
    citizen, parties = _people(cc01, "to_khai")
    assert citizen == {"ho_ten": "Phan Thanh Tùng"} and ("Của vợ (chồng)", "Đoàn Thị Thu", None) in parties
    agreement = ("VĂN BẢN THOẢ THUẬN VỀ VIỆC CHIA TÀI SẢN CHUNG CỦA VỢ CHỒNG\nChúng tôi gồm:\n"
                 "NGƯỜI CHỒNG: ÔNG PHẠM MINH ĐỨC\nCMND/CCCD: 079084013358\n"
                 "NGƯỜI VỢ: BÀ VŨ THỊ NGỌC DIỆP\nCMND/CCCD: 079186020417\n"
                 "Chúng tôi là vợ chồng hợp pháp.\nBÊN LÀM CHỨNG (NẾU CÓ)\nHọ và tên: Đoàn Văn Tài\n"
                 "CMND/CCCD: 079079004826\nNGƯỜI LÀM CHỨNG\n")
    citizen, parties = _people(agreement, "khac")
    assert citizen == {}
    assert [p[1:] for p in parties] == [("Phạm Minh Đức", "079084013358"), ("Vũ Thị Ngọc Diệp", "079186020417"),
                                        ("Đoàn Văn Tài", "079079004826")]
    ct01 = ("TỜ KHAI THAY ĐỔI THÔNG TIN CƯ TRÚ\n1. Họ, chữ đệm và tên: Lò Thị Mai\n"
            "7. Họ, chữ đệm và tên chủ hộ: Lò Văn Sơn 8. Mối quan hệ với chủ hộ: Con\n")
    citizen, parties = _people(ct01, "to_khai")
    assert citizen == {"ho_ten": "Lò Thị Mai"} and [p[1] for p in parties] == ["Lò Văn Sơn"]
    # a given name "Nam" is no gender field
    assert _people("ĐƠN ĐỀ NGHỊ\nHọ và tên: Hoàng Văn Nam\n", "don")[0] == {"ho_ten": "Hoàng Văn Nam"}
