"""The type name as printed (`ten_loai`), marks restored from Decree 30's names when OCR dropped them."""

from __future__ import annotations

import re

from pipeline.understand.classify import TitleHit
from pipeline.understand.extract.base import MOTTO_PART_RE, ORG_RE, SO_LABEL_RE, Field, has_marks, strip_junk
from pipeline.vn.dates import find_dates
from pipeline.vn.lexicon import (
    ONE_STOP_TITLES,
    restore_known,
    same_spelling,
)
from pipeline.vn.ocrfix import is_syllable
from pipeline.vn.text import fold, is_upper_line, sentence_case, split_motto

# Type names as Decree 30 prints them, used to restore marks OCR dropped from a title.
TYPE_NAMES: dict[str, str] = {
    "quyet_dinh": "Quyết định",
    "chi_thi": "Chỉ thị",
    "nghi_quyet": "Nghị quyết",
    "huong_dan": "Hướng dẫn",
    "cong_van": "Công văn",
    "thong_bao": "Thông báo",
    "to_trinh": "Tờ trình",
    "bao_cao": "Báo cáo",
    "ke_hoach": "Kế hoạch",
    "bien_ban": "Biên bản",
    "giay_moi": "Giấy mời",
    "giay_uy_quyen": "Giấy ủy quyền",
    "hop_dong": "Hợp đồng",
    "to_khai": "Tờ khai",
    "don": "Đơn",
    "giay_khai_sinh": "Giấy khai sinh",
    "trich_luc_ho_tich": "Trích lục",
    "gcn_ket_hon": "Giấy chứng nhận kết hôn",
    "xac_nhan_tthn": "Giấy xác nhận tình trạng hôn nhân",
    "giay_chung_sinh": "Giấy chứng sinh",
    "giay_bao_tu": "Giấy báo tử",
    "ban_sao_chung_thuc": "Bản sao",
    "gcn_qsdd": "Giấy chứng nhận quyền sử dụng đất",
    "giay_phep_xay_dung": "Giấy phép xây dựng",
    "gcn_ho_kinh_doanh": "Giấy chứng nhận đăng ký hộ kinh doanh",
    "can_cuoc": "Căn cước",
    "bien_lai": "Biên lai",
}

# Classes whose type name is their whole printed title: a one-stop slip ("Giấy tiếp nhận hồ sơ và
# hẹn trả kết quả") and a receipt ("Biên lai thu tiền phí, lệ phí") name the form, not a kind.
_WHOLE_TITLE_NAME = frozenset({"phieu_mot_cua", "bien_lai"})


def _first_title_line(lines: list[str], header_idx: list[int]) -> str | None:
    """The title of a paper of no known class ("DANH SÁCH", "SƠ YẾU LÝ LỊCH"): the first centred
    upper-case line under the header that is neither the motto nor the issuing body."""
    for i in header_idx:
        left, right = split_motto(lines[i])
        line = strip_junk(left.strip())
        folded = fold(line)
        if right is not None or not line or MOTTO_PART_RE.search(folded) or SO_LABEL_RE.match(folded):
            continue
        if not is_upper_line(line) or ORG_RE.search(folded) or find_dates(line):
            continue
        words = re.findall(r"[^\W\d_]+", line)
        if 1 <= len(words) <= 8 and all(is_syllable(w) for w in words):
            return line
    return None


def _one_letter_off(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def type_name(doc_type: str, titles: list[TitleHit], lines: list[str], header_idx: list[int]) -> Field | None:
    own = [t for t in titles if t.doc_type == doc_type]
    if doc_type == "ban_sao_chung_thuc":
        text = fold("\n".join(lines))
        found = re.search(r"chung thuc ban sao|ban sao dung voi ban chinh|sct\s*/\s*bs", text)
        return Field(TYPE_NAMES[doc_type], 0.7) if found else None
    if own:
        if doc_type in _WHOLE_TITLE_NAME:
            printed = strip_junk(own[0].line)
            known = (restore_known(printed, ONE_STOP_TITLES, min_ratio=0.9, closed=True)
                     if doc_type == "phieu_mot_cua" else None)
            if known is not None:
                return Field(sentence_case(known), 0.9 if known == printed else 0.8)
            return Field(sentence_case(printed), 0.85 if has_marks(printed) else 0.6)
        printed = sentence_case(own[0].printed)
        if doc_type == "khac":
            # a paper of no known class is named by its whole title ("PHIẾU XỬ LÝ VĂN BẢN", "NỘI QUY, QUY CHẾ
            # LÀM VIỆC"), not by the cue that found it ("PHIẾU XỬ LÝ")
            whole = strip_junk(split_motto(own[0].line)[0].strip())
            words = re.findall(r"[^\W\d_]+", whole)
            if is_upper_line(whole) and len(words) <= 8 and all(is_syllable(w) for w in words):
                printed = sentence_case(whole)
        canonical = TYPE_NAMES.get(doc_type)
        if canonical and _one_letter_off(fold(printed), fold(canonical)):
            return Field(canonical, 0.8)  # "OUYÉT ĐỊNH": a letter OCR slipped in the title the class was found by
        if canonical and fold(printed) == fold(canonical) and printed != canonical:
            if all(same_spelling(a, b) for a, b in zip(printed.split(), canonical.split(), strict=False)):
                return Field(printed, 0.9)  # "Giấy uỷ quyền": the old tone placement, as printed
            return Field(canonical, 0.8)  # marks lost by OCR, restored from the class name
        if fold(printed) == printed.lower():
            return Field(printed, 0.6)  # printed without any mark: probably lost by OCR
        return Field(printed, 0.9)
    # A công văn prints no type name (Decree 30): ten_loai is the name as printed, so it has none; its kind
    # is its class.
    if doc_type == "khac":
        line = _first_title_line(lines, header_idx)
        if line is not None:
            return Field(sentence_case(line), 0.6)
    return None
