"""The words of the web pages in Vietnamese (the default) and English (`?lang=en`, kept in the session)."""

from __future__ import annotations

from collections.abc import Callable

LANGS = ("vi", "en")

TEXT: dict[str, tuple[str, str]] = {
    "app": ("sohoa", "sohoa"),
    "nav.status": ("Tình trạng", "Status"),
    "nav.review": ("Kiểm tra lại", "Review"),
    "nav.logout": ("Đăng xuất", "Log out"),
    "nav.other_lang": ("English", "Tiếng Việt"),
    "role.clerk": ("cán bộ một cửa", "clerk"),
    "role.operator": ("vận hành", "operator"),
    "role.analyst": ("phân tích", "analyst"),
    "role.admin": ("quản trị", "admin"),
    "login.title": ("Đăng nhập", "Log in"),
    "login.username": ("Tên đăng nhập", "User name"),
    "login.password": ("Mật khẩu", "Password"),
    "login.submit": ("Đăng nhập", "Log in"),
    "login.failed": ("Sai tên đăng nhập hoặc mật khẩu, hoặc tài khoản đã bị khóa.",
                     "Wrong user name or password, or the account is disabled."),
    "forbidden.title": ("Không có quyền", "Not allowed"),
    "forbidden.text": ("Tài khoản của bạn ({role}) không được xem trang này.",
                       "Your account ({role}) may not see this page."),
    "csrf.failed": ("Biểu mẫu đã hết hạn. Hãy tải lại trang và thử lại.",
                    "The form has expired. Reload the page and try again."),
    "review.title": ("Tài liệu cần kiểm tra lại", "Documents to review"),
    "review.empty": ("Không có tài liệu nào cần kiểm tra.", "Nothing to review."),
    "review.count": ("{n} tài liệu; ngưỡng độ tin cậy {threshold}",
                     "{n} document(s); confidence threshold {threshold}"),
    "review.reason": ("Lý do", "Reason"),
    "review.confidence": ("Độ tin cậy", "Confidence"),
    "review.type": ("Loại", "Type"),
    "review.unit": ("Đơn vị", "Unit"),
    "review.date": ("Ngày nhận", "Received"),
    "review.source": ("Tệp", "File"),
    "review.role": ("Vai trò", "Role"),
    "reason.role_mismatch": ("vai trò không khớp loại", "role does not fit the type"),
    "reason.low_confidence": ("độ tin cậy thấp", "low confidence"),
    "reason.flagged": ("được đánh dấu", "flagged"),
    "doc.title": ("Kiểm tra tài liệu", "Review a document"),
    "doc.back": ("← Danh sách cần kiểm tra", "← Review queue"),
    "doc.pages": ("Trang", "Pages"),
    "doc.pdf": ("Mở bản PDF", "Open the PDF"),
    "doc.hidden": ("Ẩn dữ liệu cá nhân: vai trò của bạn không được xem nội dung tài liệu.",
                   "Personal data hidden: your role may not see the document's content."),
    "doc.field": ("Trường", "Field"),
    "doc.value": ("Giá trị", "Value"),
    "doc.current_type": ("Loại tài liệu", "Document type"),
    "doc.in_review": ("đang chờ kiểm tra", "waiting for review"),
    "doc.reviewed": ("đã kiểm tra", "reviewed"),
    "doc.save": ("Lưu sửa đổi", "Save corrections"),
    "doc.accept": ("Đúng như hiện tại", "Correct as it is"),
    "doc.accept_help": ("Xác nhận loại và siêu dữ liệu hiện tại, đưa tài liệu ra khỏi hàng đợi.",
                        "Confirm the current type and metadata and take the document out of the queue."),
    "doc.saved": ("Đã lưu. Tài liệu đã ra khỏi hàng đợi.", "Saved. The document has left the queue."),
    "doc.accepted": ("Đã xác nhận tài liệu {doc}.", "Document {doc} confirmed."),
    "doc.nothing": ("Không có thay đổi nào. Nếu mọi thứ đã đúng, chọn “Đúng như hiện tại”.",
                    "Nothing changed. If everything is right, choose “Correct as it is”."),
    "doc.errors": ("Chưa lưu: sửa các ô báo lỗi bên dưới.", "Not saved: fix the fields marked below."),
    "doc.history": ("Lịch sử sửa", "Corrections"),
    "doc.by": ("Người sửa", "By"),
    "doc.at": ("Lúc", "At"),
    "doc.old": ("Giá trị cũ", "Old value"),
    "doc.new": ("Giá trị mới", "New value"),
    "doc.text": ("Nội dung đã đọc", "Text read"),
    "doc.next": ("Tài liệu tiếp theo →", "Next document →"),
    "doc.not_found": ("Không có tài liệu {doc}.", "No document {doc}."),
    "field.doc_type": ("Loại tài liệu", "Document type"),
    "field.role": ("Vai trò", "Role"),
    "field.ma_ho_so": ("Mã hồ sơ", "Dossier code"),
    "field.ma_thu_tuc": ("Mã thủ tục", "Procedure code"),
    "field.ma_co_quan": ("Mã cơ quan", "Unit code"),
    "field.ten_loai": ("Tên loại", "Type name"),
    "field.so": ("Số", "Number"),
    "field.ky_hieu": ("Ký hiệu", "Symbol"),
    "field.so_ky_hieu": ("Số, ký hiệu", "Number and symbol"),
    "field.ngay_ban_hanh": ("Ngày ban hành", "Issue date"),
    "field.dia_danh": ("Địa danh", "Place"),
    "field.co_quan_ban_hanh": ("Cơ quan ban hành", "Issuing body"),
    "field.trich_yeu": ("Trích yếu", "Abstract"),
    "field.chuc_vu_nguoi_ky": ("Chức vụ người ký", "Signer's position"),
    "field.nguoi_ky": ("Người ký", "Signer"),
    "field.ho_ten": ("Họ tên công dân", "Citizen's name"),
    "field.so_dinh_danh": ("Số định danh cá nhân", "Personal identifier"),
    "field.so_trang": ("Số trang", "Pages"),
    "field.ngon_ngu": ("Ngôn ngữ", "Language"),
    "field.muc_do_tin_cay": ("Mức độ tin cậy", "Confidence level"),
}


def translator(lang: str) -> Callable[..., str]:
    i = 1 if lang == "en" else 0

    def t(key: str, **kw: object) -> str:
        pair = TEXT.get(key)
        text = pair[i] if pair else key
        return text.format(**kw) if kw else text

    return t
