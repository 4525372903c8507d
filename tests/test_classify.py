"""Classification of hand-written Decree 30 documents, clean and OCR-noised."""

from __future__ import annotations

import pytest

from pipeline.catalogue import DOC_TYPES, role_mismatch
from pipeline.understand.classify import Classification, classify

# --- documents (shared with test_extract.py) -----------------------------------------------------------
# pdfplumber-like: columns kept apart by a wide gap.
QD_CLEAN = """\
UBND TỈNH QUẢNG TRỊ                          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
ỦY BAN NHÂN DÂN XÃ THANH THẠCH                   Độc lập - Tự do - Hạnh phúc
Số: 123/QĐ-UBND                           Thanh Thạch, ngày 07 tháng 4 năm 2023

QUYẾT ĐỊNH
Về việc cấp giấy phép xây dựng nhà ở riêng lẻ
cho hộ ông Lê Văn Bình, thôn Tân Sơn

ỦY BAN NHÂN DÂN XÃ THANH THẠCH

Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2025;
Căn cứ Nghị định số 30/2020/NĐ-CP, ngày 05 tháng 3 năm 2020 của Chính phủ;
Theo đề nghị của công chức Địa chính - Xây dựng.

QUYẾT ĐỊNH:
Điều 1. Cấp giấy phép xây dựng cho hộ ông Lê Văn Bình.
Điều 2. Quyết định này có hiệu lực kể từ ngày ký. Văn phòng thông báo cho các bên liên quan.
Điều 3. Chánh Văn phòng, ông Lê Văn Bình chịu trách nhiệm thi hành Quyết định này./.

Nơi nhận:                                            TM. ỦY BAN NHÂN DÂN
- Như Điều 3;                                             CHỦ TỊCH
- Lưu: VT.

                                                          Nguyễn Hữu Phước
"""

# tesseract-like: header merged with the motto on one line, OCR noise in number, date and marks.
QD_OCR = """\
UBND TỈNH QUẢNG TRỊ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM

ỦY BAN NHÂN DÂN XÃ TUYÊN HÓA Độc lập - Tự do - Hạnh phúc
Số: 1O5 / QÐ-UBND Tuyên Hóa, ngay 12 thang O5 nam 2O24
QUYÊT ĐỊNH
Về việc phê duyệt danh sách hộ nghèo,
hộ cận nghèo năm 2024
ỦY BAN NHÂN DÂN XÃ TUYÊN HÓA

Căn cứ Luật Tổ chức chính quyền địa phương;
QUYÊT ĐỊNH:

Điều l. Phê duyệt danh sách kèm theo Quyết định này.

Điều 2. Quyết định này có hiệu lực kể từ ngày ký.
\f
Nơi nhận: KT. CHỦ TỊCH
- Như Điều 2; PHÓ CHỦ TỊCH
- Lưu: VT.

Trần Thị Mai
"""

# Marks lost entirely (some PDF text layers, bad OCR).
QD_NO_MARKS = """\
UBND TINH QUANG TRI
UY BAN NHAN DAN XA THANH THACH
So: 88/QD-UBND
Thanh Thach, ngay 3 thang 10 nam 2023
QUYET DINH
Ve viec thanh lap To cong tac so hoa ho so
UY BAN NHAN DAN XA THANH THACH
Can cu Luat To chuc chinh quyen dia phuong;
QUYET DINH:
Dieu 1. Thanh lap To cong tac.
Dieu 2. Quyet dinh nay co hieu luc ke tu ngay ky.
CHU TICH
Hoang Van Nam
"""

CONG_VAN = """\
UBND TỈNH QUẢNG TRỊ                 CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
SỞ TƯ PHÁP                                 Độc lập - Tự do - Hạnh phúc
Số: 12/STP-HCTP                      Đông Hà, ngày 15 tháng 8 năm 2025
V/v triển khai số hóa hồ sơ, kết quả
giải quyết thủ tục hành chính

Kính gửi: Ủy ban nhân dân các xã, phường, đặc khu.

Thực hiện Quyết định số 766/QĐ-TTg ngày 23 tháng 6 năm 2022 của Thủ tướng Chính phủ, Sở Tư pháp
đề nghị Ủy ban nhân dân các xã, phường, đặc khu thực hiện số hóa hồ sơ hộ tịch theo quy định.
Trân trọng./.

Nơi nhận:                                           KT. GIÁM ĐỐC
- Như trên;                                           PHÓ GIÁM ĐỐC
- Lưu: VT, HCTP.
                                                    Phạm Minh Đức
"""

CONG_VAN_OCR = """\
UBND TỈNH QUẢNG TRỊ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
ỦY BAN NHÂN DÂN XÃ THANH THẠCH Độc lập - Tự do - Hạnh phúc

S6: l2/UBND-VP Thanh Thạch, ngày 02 tháng 10 năm 2025
Vlv báo cáo kết quả số hóa
quý III năm 2025
Kính gửi: Sở Nội vụ tỉnh Quảng Trị.

Ủy ban nhân dân xã Thanh Thạch báo cáo kết quả như sau.
Nơi nhận: CHỦ TỊCH
- Như trên;
- Lưu: VT.
Hồ Văn Sáu
"""

TO_KHAI_KS = """\
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

TỜ KHAI ĐĂNG KÝ KHAI SINH

Kính gửi: Ủy ban nhân dân xã Thanh Thạch

Họ, chữ đệm, tên người yêu cầu: Nguyễn Văn Hùng
Giấy tờ tùy thân: CCCD số 044090001234
Nơi cư trú: thôn Tân Sơn, xã Thanh Thạch, tỉnh Quảng Trị
Quan hệ với người được khai sinh: Cha
Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:
Họ, chữ đệm, tên: NGUYỄN THỊ HOA
Ngày, tháng, năm sinh: 02/03/2025 ghi bằng chữ: ngày hai tháng ba năm hai nghìn không trăm hai mươi lăm
Giới tính: Nữ Dân tộc: Kinh Quốc tịch: Việt Nam
Nơi sinh: Trạm y tế xã Thanh Thạch, tỉnh Quảng Trị
Quê quán: xã Thanh Thạch, tỉnh Quảng Trị
Họ, chữ đệm, tên người mẹ: Trần Thị Lan
Số định danh cá nhân: 044195005678
Tôi cam đoan nội dung đề nghị đăng ký khai sinh trên đây là đúng sự thật.
Làm tại: Thanh Thạch, ngày 10 tháng 3 năm 2025
                                                    NGƯỜI YÊU CẦU
                                          (Ký, ghi rõ họ, chữ đệm, tên)
                                                    Nguyễn Văn Hùng
"""

TO_KHAI_KS_OCR = """\
CỘNG HOA XA HỘI CHU NGHĨA VIET NAM
Doc lap - Tu do - Hanh phuc
TO KHAI ĐĂNG KY KHAI SINH
Kinh gui: Uy ban nhan dan xa Thanh Thach
Ho, chu dem, ten nguoi yeu cau: Le Thi Thu
Ho, chu dem, ten: LE MINH KHOA
Noi sinh: Benh vien Da khoa tinh Quang Tri
So dinh danh ca nhan cua me: O44l96OO1234
Toi cam doan noi dung de nghi dang ky khai sinh tren day la dung su that.
Lam tai: Dong Ha, ngay 5 thang 6 nam 2025
"""

GIAY_KHAI_SINH = """\
ỦY BAN NHÂN DÂN            CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
XÃ THANH THẠCH                     Độc lập - Tự do - Hạnh phúc
Số: 125
                        GIẤY KHAI SINH
Họ, chữ đệm, tên: NGUYỄN THỊ HOA
Ngày, tháng, năm sinh: 02/03/2025 ghi bằng chữ: Ngày hai, tháng ba, năm hai nghìn không trăm hai mươi lăm
Giới tính: Nữ          Dân tộc: Kinh          Quốc tịch: Việt Nam
Nơi sinh: Trạm y tế xã Thanh Thạch, tỉnh Quảng Trị
Quê quán: xã Thanh Thạch, tỉnh Quảng Trị
Số định danh cá nhân: 044325001234
Họ, chữ đệm, tên người mẹ: Trần Thị Lan
Năm sinh: 1995 Dân tộc: Kinh Quốc tịch: Việt Nam
Họ, chữ đệm, tên người cha: Nguyễn Văn Hùng
Nơi đăng ký khai sinh: Ủy ban nhân dân xã Thanh Thạch, tỉnh Quảng Trị
Ngày, tháng, năm đăng ký: 10/03/2025
                                   Thanh Thạch, ngày 10 tháng 3 năm 2025
                                           KT. CHỦ TỊCH
                                           PHÓ CHỦ TỊCH
                                       (Ký, ghi rõ họ, chữ đệm, tên, đóng dấu)
                                           Lê Văn An
"""

PHIEU_MOT_CUA = """\
UBND TỈNH QUẢNG TRỊ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
UBND XÃ THANH THẠCH Độc lập - Tự do - Hạnh phúc
BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ
Thanh Thạch, ngày 03 tháng 11 năm 2025
GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ
Mã hồ sơ: H50.12-251103-0142
Bộ phận tiếp nhận và trả kết quả UBND xã Thanh Thạch
Tiếp nhận hồ sơ của: Bà Nguyễn Thị Hoa
Số định danh cá nhân: 044196001234
Nội dung yêu cầu giải quyết: Đăng ký khai sinh (mã thủ tục: 1.001193)
1. Thành phần hồ sơ nộp gồm:
- Tờ khai đăng ký khai sinh;
- Giấy chứng sinh.
2. Thời gian giải quyết hồ sơ theo quy định là: 01 ngày
3. Thời gian nhận hồ sơ: 08 giờ 30 phút, ngày 03/11/2025
4. Thời gian trả kết quả giải quyết hồ sơ: 08 giờ 30 phút, ngày 04/11/2025
NGƯỜI NỘP HỒ SƠ NGƯỜI TIẾP NHẬN HỒ SƠ
Nguyễn Thị Hoa Phan Thanh Tâm
"""

PHIEU_MOT_CUA_OCR = """\
@% ## QR
GIAY TIEP NHAN HO SO VA HEN TRA KET QUA
Ma ho so: H 5O.12-25ll03-0l42
Tiep nhan ho so cua: Ong Tran Van Ba
Ngay hen tra ket qua: 05/11/2025
"""

THONG_BAO = """\
UBND TỈNH QUẢNG TRỊ          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
ỦY BAN NHÂN DÂN XÃ THANH THẠCH        Độc lập - Tự do - Hạnh phúc
Số: 05/TB-UBND                  Thanh Thạch, ngày 20 tháng 5 năm 2025
THÔNG BÁO
Về việc tạm dừng tiếp nhận hồ sơ trực tiếp ngày 22/5/2025
Ủy ban nhân dân xã Thanh Thạch trân trọng thông báo đến tổ chức, công dân được biết.
Nơi nhận:                                        TL. CHỦ TỊCH
- Các thôn;                                     CHÁNH VĂN PHÒNG
- Lưu: VT.
                                                Võ Thị Hằng
"""

UNRELATED = """\
Hôm nay trời đẹp, chúng tôi đi dạo trong công viên và ăn kem.
Bạn tôi kể chuyện về chuyến đi biển năm ngoái, rất vui.
"""

# One short document per remaining class: title, and the cues a reader sees next to it.
SHORT: dict[str, str] = {
    "chi_thi": "UBND TỈNH QUẢNG TRỊ\nSố: 02/CT-UBND\nCHỈ THỊ\nVề tăng cường số hóa hồ sơ\n"
    "Chủ tịch yêu cầu các cơ quan thực hiện nghiêm Chỉ thị này.",
    "nghi_quyet": "HỘI ĐỒNG NHÂN DÂN\nTỈNH QUẢNG TRỊ\nSố: 15/2025/NQ-HĐND\nNGHỊ QUYẾT\n"
    "Quy định mức thu lệ phí hộ tịch\nHỘI ĐỒNG NHÂN DÂN TỈNH QUẢNG TRỊ\nKHÓA VIII, KỲ HỌP THỨ 5\n"
    "QUYẾT NGHỊ:\nĐiều 1. Phạm vi điều chỉnh.",
    "huong_dan": "SỞ NỘI VỤ\nSố: 03/HD-SNV\nHƯỚNG DẪN\nQuy trình số hóa hồ sơ\n"
    "Sở Nội vụ ban hành Hướng dẫn này để các đơn vị thực hiện.",
    "to_trinh": "UBND XÃ THANH THẠCH\nSố: 07/TTr-UBND\nTỜ TRÌNH\nVề việc đề nghị phê duyệt kế hoạch\n"
    "Kính trình: Ủy ban nhân dân tỉnh xem xét, phê duyệt.",
    "bao_cao": "UBND XÃ THANH THẠCH\nSố: 40/BC-UBND\nBÁO CÁO\nKết quả số hóa hồ sơ năm 2024\n"
    "I. Kết quả thực hiện\nII. Phương hướng, nhiệm vụ năm 2025",
    "ke_hoach": "UBND XÃ THANH THẠCH\nSố: 31/KH-UBND\nKẾ HOẠCH\nSố hóa hồ sơ hộ tịch năm 2025\n"
    "I. MỤC ĐÍCH, YÊU CẦU\nII. TỔ CHỨC THỰC HIỆN",
    "bien_ban": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nBIÊN BẢN\nHọp kiểm tra hiện trạng thửa đất\n"
    "Thời gian bắt đầu: 08 giờ 00\nThành phần tham dự: ông A, bà B\nChủ trì: ông A; Thư ký: bà B",
    "giay_moi": "UBND XÃ THANH THẠCH\nSố: 9/GM-UBND\nGIẤY MỜI\nỦy ban nhân dân xã trân trọng kính mời "
    "ông Lê Văn C\nThời gian: 08 giờ ngày 10/6/2025\nĐịa điểm: Hội trường xã",
    "giay_uy_quyen": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nGIẤY ỦY QUYỀN\nBên ủy quyền: Ông Lê Văn D\n"
    "Bên được ủy quyền: Bà Lê Thị E\nNội dung ủy quyền: nộp và nhận hồ sơ",
    "hop_dong": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nHỢP ĐỒNG CHUYỂN NHƯỢNG QUYỀN SỬ DỤNG ĐẤT\n"
    "Bên A (bên chuyển nhượng): Ông Lê Văn F\nBên B (bên nhận chuyển nhượng): Ông Hồ Văn G\n"
    "Hai bên thỏa thuận như sau:",
    "don": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐƠN ĐỀ NGHỊ CẤP BẢN SAO TRÍCH LỤC\n"
    "Kính gửi: Ủy ban nhân dân xã Thanh Thạch\nTôi tên là: Nguyễn Văn H\nLý do: bị mất\n"
    "Xin chân thành cảm ơn.\nNGƯỜI LÀM ĐƠN",
    "trich_luc_ho_tich": "ỦY BAN NHÂN DÂN\nXÃ THANH THẠCH\nSố: 45/TLKT-BS\nTRÍCH LỤC KHAI TỬ\n"
    "(BẢN SAO)\nHọ, chữ đệm, tên: Hồ Văn K\nĐã chết vào lúc: 10 giờ\nSổ hộ tịch khai tử số 01, Quyển số: 01/2024",
    "gcn_ket_hon": "ỦY BAN NHÂN DÂN\nXÃ THANH THẠCH\nGIẤY CHỨNG NHẬN KẾT HÔN\nHọ, chữ đệm, tên vợ: Lê Thị M\n"
    "Họ, chữ đệm, tên chồng: Trần Văn N\nNgày đăng ký: 01/02/2024",
    "xac_nhan_tthn": "ỦY BAN NHÂN DÂN\nXÃ THANH THẠCH\nGIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN\n"
    "Họ, chữ đệm, tên: Lê Văn P\nTình trạng hôn nhân: Chưa đăng ký kết hôn với ai\n"
    "Mục đích sử dụng: Để đăng ký kết hôn",
    "giay_chung_sinh": "SỞ Y TẾ QUẢNG TRỊ\nBỆNH VIỆN ĐA KHOA TỈNH\nGIẤY CHỨNG SINH\n"
    "Họ và tên mẹ: Trần Thị Lan\nĐã sinh con vào lúc 10 giờ\nCân nặng: 3200 gram\nNgười đỡ đẻ: Bác sĩ Q",
    "giay_bao_tu": "BỆNH VIỆN ĐA KHOA TỈNH\nGIẤY BÁO TỬ\nHọ và tên người chết: Hồ Văn K\n"
    "Đã chết vào lúc 10 giờ ngày 01/01/2024\nNguyên nhân chết: bệnh",
    "ban_sao_chung_thuc": "GIẤY KHAI SINH\nHọ, chữ đệm, tên: NGUYỄN THỊ HOA\nNơi sinh: Trạm y tế\n"
    "Chứng thực bản sao đúng với bản chính.\nSố chứng thực: 120 Quyển số: 01/2025-SCT/BS",
    "gcn_qsdd": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nGIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT\n"
    "QUYỀN SỞ HỮU NHÀ Ở VÀ TÀI SẢN KHÁC GẮN LIỀN VỚI ĐẤT\nThửa đất số: 120, tờ bản đồ số: 15\n"
    "Nguồn gốc sử dụng: Nhà nước giao đất",
    "giay_phep_xay_dung": "UBND XÃ THANH THẠCH\nSố: 22/GPXD\nGIẤY PHÉP XÂY DỰNG\n"
    "Diện tích xây dựng tầng 1: 80 m2\nCốt nền: +0,45 m\nChỉ giới xây dựng: 3 m",
    "gcn_ho_kinh_doanh": "UBND XÃ THANH THẠCH\nGIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH\n"
    "Mã số hộ kinh doanh: 29A8001234\nNgành, nghề kinh doanh: bán lẻ\nVốn kinh doanh: 50.000.000 đồng",
    "can_cuoc": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSOCIALIST REPUBLIC OF VIET NAM\nCĂN CƯỚC CÔNG DÂN\n"
    "Citizen Identity Card\nSố / No.: 044196001234\nHọ và tên / Full name:\nNGUYỄN THỊ HOA\n"
    "Có giá trị đến: 01/01/2036\nIDVNM1960012344<<<<",
    "bien_lai": "UBND XÃ THANH THẠCH\nBIÊN LAI THU PHÍ, LỆ PHÍ\nKý hiệu: AA/25P\nHọ tên người nộp tiền: "
    "Nguyễn Văn H\nSố tiền: 8.000 đồng\nBằng chữ: Tám nghìn đồng",
}


def _check(text: str, doc_type: str, min_conf: float) -> Classification:
    result = classify(text)
    assert result.doc_type == doc_type, result
    assert result.confidence >= min_conf, result
    return result


def test_doc_types_follow_domain_order() -> None:
    assert DOC_TYPES[0] == "quyet_dinh" and DOC_TYPES[-1] == "khac"
    assert len(DOC_TYPES) == 29 and len(set(DOC_TYPES)) == 29


@pytest.mark.parametrize(
    ("text", "doc_type"),
    [
        (QD_CLEAN, "quyet_dinh"),
        (QD_OCR, "quyet_dinh"),
        (QD_NO_MARKS, "quyet_dinh"),
        (CONG_VAN, "cong_van"),
        (CONG_VAN_OCR, "cong_van"),
        (TO_KHAI_KS, "to_khai"),
        (TO_KHAI_KS_OCR, "to_khai"),
        (GIAY_KHAI_SINH, "giay_khai_sinh"),
        (PHIEU_MOT_CUA, "phieu_mot_cua"),
        (PHIEU_MOT_CUA_OCR, "phieu_mot_cua"),
    ],
)
def test_important_classes_confident(text: str, doc_type: str) -> None:
    _check(text, doc_type, 0.7)


def test_quyet_dinh_cues_are_reported() -> None:
    result = classify(QD_CLEAN)
    assert result.cues[0] == "title:QUYẾT ĐỊNH"
    assert "symbol:/QĐ-" in result.cues
    assert "phrase:Điều 1." in result.cues


def test_quyet_dinh_mentioning_thong_bao_stays_quyet_dinh() -> None:
    assert "thông báo" in QD_CLEAN
    result = _check(QD_CLEAN, "quyet_dinh", 0.8)
    assert not any("runner-up" in c for c in result.cues)


def test_thong_bao() -> None:
    _check(THONG_BAO, "thong_bao", 0.6)


def test_to_khai_quoting_birth_fields_is_not_giay_khai_sinh() -> None:
    # It carries "Nơi sinh", "Số định danh cá nhân", "Quê quán" like the certificate it asks for.
    result = _check(TO_KHAI_KS, "to_khai", 0.7)
    assert result.cues[0] == "title:TỜ KHAI ĐĂNG KÝ KHAI SINH"


def test_cong_van_without_type_abbreviation() -> None:
    result = _check(CONG_VAN, "cong_van", 0.7)
    assert any(c.startswith("symbol:no type abbr") for c in result.cues)
    assert "phrase:V/v" in result.cues and "phrase:Kính gửi:" in result.cues


def test_phieu_mot_cua_title_is_not_a_giay() -> None:
    result = _check(PHIEU_MOT_CUA, "phieu_mot_cua", 0.8)
    assert result.cues[0].startswith("title:GIẤY TIẾP NHẬN HỒ SƠ")


@pytest.mark.parametrize("doc_type", sorted(SHORT))
def test_every_class_has_working_cues(doc_type: str) -> None:
    _check(SHORT[doc_type], doc_type, 0.45)


def test_every_class_is_covered() -> None:
    covered = set(SHORT) | {"quyet_dinh", "cong_van", "thong_bao", "to_khai", "giay_khai_sinh", "phieu_mot_cua"}
    assert covered == set(DOC_TYPES) - {"khac"}


def test_unrelated_text_is_khac_with_low_confidence() -> None:
    result = classify(UNRELATED)
    assert result.doc_type == "khac" and result.confidence <= 0.2
    empty = classify("")
    assert empty.doc_type == "khac" and empty.confidence <= 0.2


def test_single_cue_is_not_confident() -> None:
    # A bare title, nothing else: right class, but the classifier must not be sure.
    result = classify("QUYẾT ĐỊNH\nnội dung không rõ")
    assert result.doc_type == "quyet_dinh" and result.confidence < 0.5
    assert classify("Kính gửi: ông A").doc_type == "khac"


def test_conflicting_cues_lower_confidence() -> None:
    # Title says THÔNG BÁO, symbol says QĐ: whichever wins, confidence must show the conflict.
    text = "UBND XÃ THANH THẠCH\nSố: 12/QĐ-UBND\nTHÔNG BÁO\nVề việc lịch tiếp công dân"
    result = classify(text)
    assert result.confidence < 0.5
    assert any(c.startswith(("runner-up:", "conflict:")) for c in result.cues)


def test_title_far_down_the_page_weighs_less() -> None:
    filler = "\n".join(f"dòng nội dung số {i} của văn bản" for i in range(20))
    top = classify("BÁO CÁO\n" + filler)
    low = classify(filler + "\nBÁO CÁO")
    assert top.doc_type == "bao_cao"
    assert low.confidence < top.confidence


# --- role check ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("doc_type", "role", "expected"),
    [
        ("to_khai", "ket_qua", True),
        ("don", "ket_qua", True),
        ("can_cuoc", "ket_qua", True),
        ("giay_chung_sinh", "ket_qua_xu_ly", True),
        ("to_khai", "thanh_phan", False),
        ("giay_khai_sinh", "ket_qua", False),
        ("giay_khai_sinh", "thanh_phan", False),  # a copy of an earlier certificate
        ("xac_nhan_tthn", "thanh_phan", False),  # required for marriage registration
        ("quyet_dinh", "thanh_phan", False),
        ("ban_sao_chung_thuc", "ket_qua", False),  # result of the certification procedure
        ("giay_uy_quyen", "ket_qua", False),  # signature certification returns it
        ("to_trinh", "thanh_phan", True),
        ("phieu_mot_cua", "thanh_phan", False),
        ("khac", "ket_qua", False),
        ("to_khai", None, False),
    ],
)
def test_role_mismatch(doc_type: str, role: str | None, expected: bool) -> None:
    assert role_mismatch(doc_type, role) is expected


def test_role_mismatch_rejects_unknown_codes() -> None:
    with pytest.raises(ValueError):
        role_mismatch("quyet_dinh", "ketqua")
    with pytest.raises(ValueError):
        role_mismatch("quyetdinh", "ket_qua")


# --- title first ---------------------------------------------------------------------------------------
# A page whose title is not a tờ khai's but whose body carries a tờ khai's requester block, "Kính gửi",
# "Đề nghị cơ quan …" and the pledge "Tôi cam đoan …" (issue 10: it came out to_khai, 0.85, accepted).
LOOKALIKE = """\
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
{title}
Kính gửi: Ủy ban nhân dân xã Thanh Thạch
Họ, chữ đệm, tên người yêu cầu: NGUYỄN VĂN HÙNG
Ngày, tháng, năm sinh: 01/02/1980
Nơi cư trú: thôn Tân Sơn, xã Thanh Thạch, tỉnh Quảng Trị
Giấy tờ tùy thân: Căn cước công dân số 044080001234
Đề nghị cơ quan cho bà Lê Thị Lan thay mặt tôi nộp tờ khai và nhận kết quả đăng ký khai sinh.
Tôi cam đoan nội dung đề nghị trên đây là đúng sự thật, được sự thỏa thuận nhất trí của các bên liên quan.
Tôi chịu hoàn toàn trách nhiệm trước pháp luật về nội dung cam đoan của mình.
Làm tại: Thanh Thạch, ngày 10 tháng 3 năm 2025
NGƯỜI YÊU CẦU
Nguyễn Văn Hùng
"""


@pytest.mark.parametrize(("title", "doc_type"), [
    ("GIẤY ỦY QUYỀN", "giay_uy_quyen"), ("GIẤY UỶ QUYỀN", "giay_uy_quyen"), ("ĐƠN ĐỀ NGHỊ", "don"),
    ("ĐƠN XIN CẤP BẢN SAO TRÍCH LỤC HỘ TỊCH", "don"),
])
def test_the_title_is_not_outvoted_by_a_tờ_khai_s_boilerplate(title: str, doc_type: str) -> None:
    result = classify(LOOKALIKE.format(title=title))
    assert result.doc_type == doc_type, result
    assert result.title == doc_type
    # The body reads like a tờ khai: never a confident answer; where the body outweighs the title the page
    # is a conflict, with both readings first in its cues.
    assert result.confidence < 0.6, result
    if result.conflict:
        assert result.body == "to_khai"
        assert result.cues[0].startswith("conflict:") and doc_type in result.cues[0] and "to_khai" in result.cues[0]
    # Its own tờ khai is not a conflict.
    same = classify(LOOKALIKE.format(title="TỜ KHAI ĐĂNG KÝ KHAI SINH"))
    assert same.doc_type == "to_khai" and not same.conflict and same.confidence >= 0.6


def test_settle_keeps_the_title_and_says_both_readings() -> None:
    from pipeline.understand.classify import TitleReading, settle

    body_says = Classification("to_khai", 0.85, ("model:to_khai 0.850",))
    reading = TitleReading("giay_uy_quyen", "GIẤY ỦY QUYỀN", None, None, certified=False)
    probs = {"to_khai": 0.85, "giay_uy_quyen": 0.12}
    got = settle(body_says, reading, lambda c: probs.get(c, 0.0))
    assert (got.doc_type, got.confidence, got.conflict, got.title, got.body) == (
        "giay_uy_quyen", 0.12, True, "giay_uy_quyen", "to_khai")
    assert "GIẤY ỦY QUYỀN" in got.cues[0] and "to_khai (0.85)" in got.cues[0] and got.cues[1] == "model:to_khai 0.850"
    agree = settle(Classification("giay_uy_quyen", 0.9, ()), reading, lambda c: probs.get(c, 0.0))
    assert agree.doc_type == "giay_uy_quyen" and agree.confidence == 0.9 and not agree.conflict
    # No title, no symbol: nothing to settle.
    none = TitleReading(None, None, None, None, certified=False)
    assert settle(body_says, none, lambda c: 1.0) == body_says
    # A certified copy's title is the copied paper's: no conflict.
    copy = TitleReading("giay_khai_sinh", "GIẤY KHAI SINH", None, None, certified=True)
    assert not settle(Classification("ban_sao_chung_thuc", 0.8, ()), copy, lambda c: 0.8).conflict
    # A title and a symbol of different classes: the title's class, in review.
    split = TitleReading("thong_bao", "THÔNG BÁO", "quyet_dinh", "/QĐ-", certified=False)
    mixed = settle(Classification("thong_bao", 0.7, ()), split, lambda c: 0.7)
    assert mixed.doc_type == "thong_bao" and mixed.conflict and "/QĐ-" in mixed.cues[0]


def test_a_certified_copy_stays_one_whatever_its_title() -> None:
    result = classify(SHORT["ban_sao_chung_thuc"])
    assert result.doc_type == "ban_sao_chung_thuc" and not result.conflict
    # the stamp's last word wrapped after a dot OCR read in (a photographed copy of a giấy khai sinh)
    wrapped = ("GIẤY KHAI SINH\nHọ, chữ đệm, tên: LÊ VĂN SƠN\nNơi sinh: Trạm Y tế xã\n"
               "CHỨNG THỰC BẢN SAO ĐÚNG VỚI BẢN.\nCHÍNH\nSố chứng thực: 462 Quyển số: 03/2024-SCT/BS\n"
               "NGƯỜI THỰC HIỆN CHỨNG THỰC\nLê Diệu Hà")
    assert classify(wrapped).doc_type == "ban_sao_chung_thuc"


@pytest.mark.parametrize(("title", "doc_type"), [
    ("QUY ĐỊNH", "khac"), ("MẪU SƠ YẾU LÝ LỊCH", "khac"), ("DANH SÁCH", "khac"), ("VĂN BẢN THỎA THUẬN", "khac"),
    ("GIẤY ĐỀ NGHỊ CHỨNG THỰC BẢN SAO", "don"), ("MẪU ĐƠN KHIẾU NẠI", "don"), ("GIẤY BIÊN NHẬN HỒ SƠ", "phieu_mot_cua"),
    ("PHIẾU BÀN GIAO KẾT QUẢ", "phieu_mot_cua"), ("THƯ MỜI", "giay_moi"), ("ĐƠN VỊ THU: BƯU ĐIỆN", None),
    ("- KẾ HOẠCH", None),  # the rest of "PHÒNG TÀI CHÍNH - KẾ HOẠCH" broken over two lines
])
def test_titles_of_papers_offices_print(title: str, doc_type: str | None) -> None:
    from pipeline.understand.classify import title_reading

    text = f"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n{title}\nNội dung của văn bản."
    assert title_reading(text).title == doc_type


def test_a_speck_read_as_a_lone_small_letter_before_the_title_hides_it_not() -> None:
    from pipeline.understand.classify import find_titles

    text = "BẢO HIỂM XÃ HỘI VIỆT NAM\nụ TỜ KHAI _\nTHAM GIA, ĐIỀU CHỈNH THÔNG TIN BẢO HIỂM XÃ HỘI\n"
    assert [t.doc_type for t in find_titles(text)][:1] == ["to_khai"]
    assert not [t for t in find_titles("A TỜ KHAI\n") if t.printed.startswith("TỜ")]  # a capital is no speck
