"""Errors that carry the file, a stable code and the reason, in English for logs and Vietnamese for clerks."""

from __future__ import annotations

# code -> (what the clerk reads, what the clerk can do)
CLERK_MESSAGES: dict[str, str] = {
    "unsupported_format": "Tệp không phải PDF, TIFF, JPEG hoặc PNG. Hãy quét lại và lưu ở một trong các định dạng đó.",
    "unreadable_pdf": "Tệp PDF bị hỏng hoặc không đọc được. Hãy mở thử tệp trên máy; nếu lỗi, quét lại tài liệu.",
    "encrypted_pdf": "Tệp PDF có mật khẩu. Hãy bỏ mật khẩu (hoặc in ra PDF mới) rồi thả lại vào thư mục.",
    "unreadable_image": "Ảnh bị hỏng hoặc không đọc được. Hãy quét lại tài liệu.",
    "empty_file": "Tệp rỗng (0 byte). Có thể máy quét chưa ghi xong; hãy quét lại.",
    "no_pages": "Tệp không có trang nào. Hãy kiểm tra lại bản quét.",
    "too_many_pages": "Tệp có quá nhiều trang. Hãy tách thành các tệp nhỏ hơn (mỗi hồ sơ một tệp).",
    "ocr_failed": "Không nhận dạng được chữ trên tài liệu. Hãy quét lại rõ hơn (tối thiểu 200 dpi).",
    "unknown_unit": "Thư mục đơn vị không đúng. Hãy thả tệp vào inbox/<mã đơn vị>/<vai trò>/.",
    "unknown_role": "Thư mục vai trò không đúng. Dùng thanh-phan, ket-qua-xu-ly hoặc ket-qua.",
    "unregistered_unit": "Mã đơn vị (tên thư mục) không có trong danh sách đơn vị. "
    "Hãy kiểm tra tên thư mục hoặc nhờ quản trị viên thêm đơn vị.",
    "worker_crashed": "Tệp làm hệ thống xử lý bị dừng nhiều lần. Hãy báo cho quản trị viên.",
    "internal_error": "Có lỗi hệ thống khi xử lý tệp. Quản trị viên đã được ghi nhận; tệp sẽ được xử lý lại.",
    "held": "Người vận hành đã tạm giữ tệp này để kiểm tra. Tệp sẽ được xử lý tiếp khi họ thả ra; "
    "không cần làm gì thêm.",
}


class PipelineError(Exception):
    """A file the pipeline cannot digitise, for a reason the clerk can act on."""

    def __init__(self, code: str, message: str, *, source: str | None = None, stage: str | None = None,
                 trace: str | None = None) -> None:
        self.code = code
        self.message = message
        self.source = source
        self.stage = stage  # where it failed (plan, ocr, finish, …), for the operator console
        self.trace = trace  # the traceback of the unexpected error behind it, if any
        super().__init__(f"{source}: {message}" if source else message)

    @property
    def message_vi(self) -> str:
        return CLERK_MESSAGES.get(self.code, CLERK_MESSAGES["internal_error"])
