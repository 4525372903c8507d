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
    # Hostile and broken input (issue 12): each says what is wrong with the file and what the clerk can do.
    "truncated_file": "Tệp bị cắt cụt (thiếu phần cuối), có thể do sao chép hoặc tải về chưa xong. Hãy quét hoặc "
    "sao chép lại tệp.",
    "header_only_pdf": "Tệp PDF chỉ có phần đầu, không có nội dung. Hãy quét lại tài liệu.",
    "xfa_form": "Tệp là biểu mẫu động (XFA) chỉ mở được bằng Adobe Reader. Hãy mở bằng Adobe Reader, chọn In ra PDF "
    "rồi thả tệp mới vào thư mục.",
    "undecodable_image": "Ảnh trong tệp dùng kiểu nén không giải mã được. Hãy quét lại tài liệu hoặc in ra PDF mới.",
    "office_document": "Tệp là văn bản Word/Excel/LibreOffice, không phải bản quét. Hãy in ra PDF (hoặc quét bản "
    "giấy) rồi thả tệp PDF vào thư mục.",
    "archive": "Tệp là tệp nén (ZIP, RAR, 7z…). Hãy giải nén rồi thả từng tệp quét vào thư mục.",
    "file_too_large": "Tệp quá lớn. Hãy quét ở độ phân giải 200–300 dpi hoặc tách thành nhiều tệp nhỏ hơn.",
    "image_too_large": "Ảnh có quá nhiều điểm ảnh (có thể là tệp độc hại hoặc quét ở độ phân giải quá cao). Hãy quét "
    "lại ở 200–300 dpi.",
    "page_too_large": "Trang có khổ giấy quá lớn. Hãy kiểm tra lại tệp hoặc quét lại ở khổ giấy thật.",
    "too_deep": "Cấu trúc bên trong tệp lồng nhau quá sâu (có thể là tệp độc hại). Hãy in ra PDF mới rồi thả lại.",
    "timeout": "Xử lý tệp quá thời gian cho phép. Hãy tách tệp thành nhiều tệp nhỏ hơn hoặc quét lại; nếu vẫn lỗi, "
    "hãy báo cho quản trị viên.",
    "memory_limit": "Tệp cần quá nhiều bộ nhớ để xử lý (có thể là tệp độc hại hoặc quét ở độ phân giải quá cao). Hãy "
    "quét lại ở 200–300 dpi hoặc tách thành nhiều tệp.",
    "child_crashed": "Tệp làm chương trình đọc tệp bị dừng đột ngột (tệp hỏng hoặc độc hại). Các tệp khác không bị "
    "ảnh hưởng. Hãy quét lại hoặc in ra PDF mới; nếu vẫn lỗi, hãy báo cho quản trị viên.",
    "symlink": "Đây là một liên kết (shortcut) chứ không phải tệp thật, nên không được đọc. Hãy chép chính tệp vào "
    "thư mục.",
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

    def __reduce__(self) -> tuple[object, ...]:
        # Exception pickling rebuilds from `args` (the formatted text) only; the stage and the traceback
        # must cross the process boundary of pipeline/isolate.py too.
        return (_rebuild, (self.code, self.message, self.source, self.stage, self.trace))

    @property
    def message_vi(self) -> str:
        return CLERK_MESSAGES.get(self.code, CLERK_MESSAGES["internal_error"])


def _rebuild(code: str, message: str, source: str | None, stage: str | None, trace: str | None) -> PipelineError:
    return PipelineError(code, message, source=source, stage=stage, trace=trace)


# Codes that belong to one page, not the file: that page is marked and the rest of the file goes on.
PAGE_LEVEL = frozenset({"ocr_failed", "timeout"})
