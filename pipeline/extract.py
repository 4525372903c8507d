"""Metadata extraction (DOMAIN.md keys) from OCR or text-layer output of one document.

The text is what tesseract (``-l vie``, psm 3) or pdfplumber give for A4 pages: lines in reading
order, pages separated by ``\\f``, the two columns of a Decree 30 header often merged on one line
(``ỦY BAN NHÂN DÂN XÃ THANH THẠCH Độc lập - Tự do - Hạnh phúc``,
``Số: 123/QĐ-UBND Thanh Thạch, ngày 07 tháng 4 năm 2023``, ``Nơi nhận: KT. CHỦ TỊCH``).

A field that cannot be read is absent, never guessed. Confidence per field: a clean, labelled
match scores high; a value that needed OCR repair, or was found without its label, scores lower.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from pipeline.classify import TitleHit, find_titles
from pipeline.vn.codes import (
    DOSSIER_CODE_RE,
    dossier_unit,
    find_doc_numbers,
    find_dossier_codes,
    find_personal_ids,
    find_procedure_codes,
)
from pipeline.vn.dates import DateMatch, find_dates
from pipeline.vn.text import clean_spacing, fold, is_upper_line, normalize, sentence_case, split_motto
from schemas.tasks import PageResult


@dataclass(frozen=True)
class Field:
    value: str
    confidence: float  # 0..1


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
    "gcn_qsdd": "Giấy chứng nhận quyền sử dụng đất",
    "giay_phep_xay_dung": "Giấy phép xây dựng",
    "gcn_ho_kinh_doanh": "Giấy chứng nhận đăng ký hộ kinh doanh",
    "can_cuoc": "Căn cước",
    "bien_lai": "Biên lai",
}
# Classes whose Decree 30 layout puts a trích yếu directly under the title, with or without
# "Về việc"; elsewhere only an explicit "Về việc"/"V/v" line is taken.
_ABSTRACT_UNDER_TITLE = frozenset(
    {"quyet_dinh", "chi_thi", "nghi_quyet", "huong_dan", "thong_bao", "to_trinh", "bao_cao", "ke_hoach"}
)
# Documents about one citizen, where "Họ, chữ đệm, tên:" names that citizen. A marriage certificate
# and a power of attorney name two people on equal footing, so no single ho_ten is read from them.
_PERSONAL = frozenset(
    {
        "to_khai",
        "don",
        "giay_khai_sinh",
        "trich_luc_ho_tich",
        "xac_nhan_tthn",
        "giay_chung_sinh",
        "giay_bao_tu",
        "can_cuoc",
        "phieu_mot_cua",
        "bien_lai",
        "ban_sao_chung_thuc",
    }
)
_HEADER_ZONE = 12

_SO_LABEL_RE = re.compile(r"^\W*s[o6]\s*[:;.]")
_ORG_RE = re.compile(
    r"\b(uy ban|ubnd|hoi dong|hdnd|so|phong|van phong|cong an|benh vien|truong|bo|cuc|chi cuc|"
    r"trung tam|ban|bo phan|tram|doan|dang uy|toa an|vien kiem sat|ngan hang|cong ty|chi nhanh|"
    r"tinh|xa|phuong|thanh pho|dac khu|thi tran|huyen|quan|tong cuc|kho bac)\b"
)
_ADMIN_LEVEL_RE = re.compile(r"^(tinh|xa|phuong|thanh pho|dac khu|thi tran|huyen|quan|thi xa)\b")
_STOP_ABSTRACT_RE = re.compile(r"^\W*(can cu|kinh gui|kinh trinh|thuc hien|xet de nghi|dieu\s*\d)\b")
_VV_RE = re.compile(r"^\W*(v\s*[/l|1]\s*v|ve viec)\b\s*:?\s*")
_POSITION_RE = re.compile(
    r"^(kt|tm|tl|tuq|q|ktl)\s*\.|\b(chu tich|giam doc|truong|pho|chanh|bi thu|thu truong|cong chuc|"
    r"can bo|nguoi (yeu cau|lam don|khai|ky|dai dien|nop tien|thu tien|duoc uy quyen|uy quyen)|"
    r"thu ky|uy vien|dai dien|ke toan|thu quy|chu ho)\b"
)
_NAME_TOKEN_RE = re.compile(r"^[^\W\d_][^\W\d_]*$")
_SIGN_NOISE_RE = re.compile(r"\b(ky|da ky|ghi ro|dong dau|chu ky)\b")

_NAME_LABEL_RE = re.compile(
    r"\b(ho,?\s*chu dem,?\s*(va\s*)?ten|ho\s*(va\s*)?ten)(\s*khai sinh)?(\s*/\s*full name)?\s*:\s*"
    r"|\bfull name\s*:\s*"
)
_APPLICANT_LABEL_RE = re.compile(
    r"\b(ho,?\s*chu dem,?\s*(va\s*)?ten|ho\s*(va\s*)?ten)\s*nguoi\s*(yeu cau|khai|nop|di dang ky|lam don)"
    r"\s*:\s*|\btoi ten la\s*:?\s*|\btiep nhan ho so cua\s*:?\s*|\bnguoi nop( ho so| tien)?\s*:\s*"
)
_OTHER_PERSON_RE = re.compile(r"\b(ho,?\s*chu dem,?\s*(va\s*)?ten|ho\s*(va\s*)?ten)\s*(nguoi|cua|me|cha|vo|chong)\b")
_NAME_END_RE = re.compile(
    r"\s{2,}|[;,(]|\b(gioi tinh|ngay,? thang|ngay sinh|sinh ngay|nam sinh|dan toc|quoc tich|so dinh danh|"
    r"cccd|cmnd|noi (sinh|cu tru|thuong tru)|sex|date of birth)\b"
)
_HONORIFIC_RE = re.compile(r"^(ong\s*/\s*ba|ong|ba|anh|chi|cong dan)\b\.?\s*", re.IGNORECASE)
_ID_LABEL_RE = re.compile(
    r"\b(so dinh danh( ca nhan)?|so cccd|so can cuoc( cong dan)?|cmnd\s*/\s*cccd|cccd|"
    r"personal identification|so\s*/\s*no)\b"
)
_PROCEDURE_LABEL_RE = re.compile(r"\bma\s*(so\s*)?(thu tuc|tthc)\b")


def _conf(clean: float, repaired: bool, penalty: float = 0.15) -> float:
    return round(clean - penalty if repaired else clean, 3)


def _nonempty(lines: list[str], start: int = 0, stop: int | None = None) -> list[int]:
    end = len(lines) if stop is None else min(stop, len(lines))
    return [i for i in range(start, end) if lines[i].strip()]


def _title_case_run(text: str, *, max_tokens: int = 5) -> tuple[str, int]:
    """The trailing run of Title-case words of ``text`` and how many tokens preceded it."""
    tokens = text.split()
    run: list[str] = []
    for tok in reversed(tokens):
        if len(run) >= max_tokens:
            break
        if _NAME_TOKEN_RE.match(tok) and tok[0].isupper() and (len(tok) == 1 or tok[1:].islower()):
            run.insert(0, tok)
        else:
            break
    return " ".join(run), len(tokens) - len(run)


# --- header: number and symbol, issuing body, place and date -------------------------------------------
def _doc_number(header: str) -> dict[str, Field]:
    numbers = find_doc_numbers(header)
    if not numbers:
        return {}
    dn = numbers[0]
    c = _conf(0.95, dn.repaired, 0.2)
    return {"so": Field(dn.so, c), "ky_hieu": Field(dn.ky_hieu, c), "so_ky_hieu": Field(dn.so_ky_hieu, c)}


def _issuing_body(lines: list[str], titles: list[TitleHit], dates: list[int]) -> Field | None:
    stop_lines = {t.line_no for t in titles} | set(dates)
    candidates: list[tuple[str, bool]] = []
    for i in _nonempty(lines)[:8]:
        if i in stop_lines:
            break
        left, right = split_motto(lines[i])
        left = clean_spacing(left.strip(" -_–—=*~.\t"))
        folded = fold(left)
        if _SO_LABEL_RE.match(folded):
            break
        if not left or not is_upper_line(left) or len(left.split()) < 2 or not _ORG_RE.search(folded):
            continue
        candidates.append((left, right is not None))
    if not candidates:
        return None
    if len(candidates) == 1:
        # A single line is either a body with no parent (provincial level) or all we could read.
        return Field(candidates[0][0], 0.7)
    first, second = candidates[0][0], candidates[1][0]
    # "ỦY BAN NHÂN DÂN / TỈNH QUẢNG TRỊ": one long name wrapped, not parent and child.
    if _ADMIN_LEVEL_RE.match(fold(second)) and not re.search(r"\b(tinh|xa|phuong|huyen|thanh pho)\b", fold(first)):
        return Field(f"{first} {second}", 0.75)
    body = second
    if len(candidates) > 2:
        third = candidates[2][0]
        if _ADMIN_LEVEL_RE.match(fold(third)) and not re.search(r"\b(tinh|xa|phuong|huyen)\b", fold(body)):
            body = f"{body} {third}"
    return Field(body, 0.85 if candidates[1][1] else 0.9)


def _place_and_date(lines: list[str], today: date) -> tuple[int, DateMatch, str] | None:
    """The first ``<Place>, ngày … tháng … năm …`` line: (line index, date, place or "")."""
    for i in _nonempty(lines):
        line = lines[i]
        if re.match(r"^\W*can cu\b", fold(line)):
            continue  # citations: "Căn cứ Nghị định số 30/2020/NĐ-CP, ngày 05 tháng 3 năm 2020"
        for dm in find_dates(line, today=today):
            before = line[: dm.start].rstrip()
            if not before.endswith(","):
                continue
            place, _ = _title_case_run(before[:-1])
            if place:
                return i, dm, place
    return None


def _issue_date(lines: list[str], header_idx: list[int], today: date) -> tuple[Field, Field | None, int] | None:
    found = _place_and_date(lines, today)
    if found is not None:
        i, dm, place = found
        return Field(dm.value.isoformat(), _conf(0.95, dm.repaired)), Field(place, 0.85), i
    # No place: take a worded date standing in the header, never one from a citation or a birth.
    for i in header_idx:
        folded = fold(lines[i])
        if re.search(r"\b(can cu|sinh|luat|nghi dinh)\b", folded):
            continue
        for dm in find_dates(lines[i], today=today):
            if dm.worded:
                return Field(dm.value.isoformat(), _conf(0.7, dm.repaired)), None, i
    return None


# --- abstract (trích yếu) ------------------------------------------------------------------------------
def _is_stop_line(line: str) -> bool:
    folded = fold(line)
    stripped = line.strip()
    return (
        not stripped
        or bool(_STOP_ABSTRACT_RE.match(folded))
        or is_upper_line(stripped)
        or bool(_SO_LABEL_RE.match(folded))
        or bool(re.fullmatch(r"[\W_]+", stripped))
    )


def _collect_abstract(lines: list[str], start: int, first_text: str) -> str:
    parts = [first_text]
    for j in range(start + 1, min(start + 4, len(lines))):
        line = lines[j].strip()
        if _is_stop_line(line) or re.match(r"^\W*noi nhan\b", fold(line)):
            break
        # A wrapped abstract goes on mid-sentence (lower case, a digit, or after a comma); a capital
        # after a finished line starts the body ("Ủy ban nhân dân xã … thông báo …").
        if not (line[0].islower() or line[0].isdigit() or parts[-1].endswith((",", "-", "và"))):
            break
        parts.append(line)
    return clean_spacing(" ".join(parts)).rstrip(" ;,-_")


def _abstract(lines: list[str], doc_type: str, titles: list[TitleHit], header_idx: list[int]) -> Field | None:
    own = [t for t in titles if t.doc_type == doc_type]
    if own:
        title = own[0]
        for i in _nonempty(lines, title.line_no + 1)[:2]:
            line = lines[i].strip()
            m = _VV_RE.match(fold(line))
            if m and fold(line).lstrip().startswith("ve viec"):
                clean = line.lstrip().startswith("Về việc")
                return Field(_collect_abstract(lines, i, line.lstrip()), 0.9 if clean else 0.75)
            if doc_type in _ABSTRACT_UNDER_TITLE and not _is_stop_line(line) and ":" not in line[:30]:
                return Field(_collect_abstract(lines, i, line), 0.7)
            if not is_upper_line(line):
                break  # the line after the title is not an abstract; do not look further down
    # Công văn: "V/v …" under the number, in the left column.
    for i in header_idx:
        line = lines[i].strip()
        m = _VV_RE.match(fold(line))
        if m and fold(line).lstrip().startswith("v"):
            rest = line[m.end() :].strip()
            if not rest:
                continue
            clean = bool(re.match(r"^\W*V/v\b", line))
            return Field(_collect_abstract(lines, i, f"V/v {rest}"), 0.9 if clean else 0.75)
    return None


# --- signature -----------------------------------------------------------------------------------------
def _trailing_upper(line: str) -> tuple[str, bool]:
    """The trailing upper-case run of a line (right column of a merged signature row)."""
    tokens = line.split()
    run: list[str] = []
    for tok in reversed(tokens):
        letters = [ch for ch in tok if ch.isalpha()]
        if tok in ("-", "–") or (letters and all(ch.isupper() for ch in letters)):
            run.insert(0, tok)
        else:
            break
    while run and run[0] in ("-", "–"):
        run.pop(0)
    return " ".join(run), len(run) == len(tokens)


# Position lines as Decree 30 prints them; a line OCR damaged is restored to the one it nearly is.
_POSITIONS = (
    "CHỦ TỊCH", "PHÓ CHỦ TỊCH", "KT. CHỦ TỊCH", "TL. CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN", "TM. HỘI ĐỒNG NHÂN DÂN",
    "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "KT. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG", "THỦ TRƯỞNG CƠ SỞ", "NGƯỜI KÝ TRÍCH LỤC",
    "CÔNG CHỨC TƯ PHÁP - HỘ TỊCH", "CHỦ TRÌ", "THƯ KÝ", "TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG",
)
_POSITION_FOLDS = {fold(p).lower(): p for p in _POSITIONS}


def _canonical_position(seg: str) -> tuple[str, bool]:
    """(the position as printed, whether it needed repair)."""
    import difflib

    key = re.sub(r"\s+", " ", fold(seg).lower()).strip()
    if key == seg.lower().strip():
        return seg, False  # printed (or read) without any marks: leave it as the page has it
    if key in _POSITION_FOLDS:
        canon = _POSITION_FOLDS[key]
        return canon, canon != seg
    close = difflib.get_close_matches(key, list(_POSITION_FOLDS), n=1, cutoff=0.86)
    return (_POSITION_FOLDS[close[0]], True) if close else (seg, False)


def _signature(lines: list[str]) -> dict[str, Field]:
    page_start = max((i + 1 for i, ln in enumerate(lines) if ln == "\f"), default=0)
    body = _nonempty(lines, page_start)
    if not body:
        return {}
    # The signature sits level with "Nơi nhận" (same row when OCR merges the columns); without it,
    # the bottom 60 % of the page, which keeps the "CHỦ TỊCH ỦY BAN NHÂN DÂN …" authority line of
    # a decision's preamble out of reach.
    recipients = [k for k, i in enumerate(body) if re.match(r"^\W*noi nhan\b", fold(lines[i]))]
    start_pos = recipients[-1] if recipients else int(len(body) * 0.4)
    zone = body[start_pos:]
    block_end = None
    for k in range(len(zone) - 1, -1, -1):
        seg, _ = _trailing_upper(lines[zone[k]])
        if seg and _POSITION_RE.search(fold(seg)):
            block_end = k
            break
    if block_end is None:
        return {}
    block: list[tuple[str, bool]] = []
    k = block_end
    while k >= 0 and len(block) < 4:
        seg, whole = _trailing_upper(lines[zone[k]])
        if not seg or not (_POSITION_RE.search(fold(seg)) or whole):
            break
        block.insert(0, (seg, whole))
        k -= 1
    # Lines below the last recognised one that are wholly upper case belong to the block too: OCR
    # may have damaged the very words ("HỦ TỊCH") that made them recognisable.
    while block_end + 1 < len(zone) and len(block) < 4:
        seg, whole = _trailing_upper(lines[zone[block_end + 1]])
        if not (seg and whole and len(seg.split()) <= 6):
            break
        block.append((seg, whole))
        block_end += 1
    out: dict[str, Field] = {}
    parts = [_canonical_position(clean_spacing(seg)) for seg, _ in block]
    position = " - ".join(p for p, _ in parts)
    repaired = any(r for _, r in parts)
    out["chuc_vu_nguoi_ky"] = Field(position, (0.85 if all(w for _, w in block) else 0.75) - (0.1 if repaired else 0))
    for i in zone[block_end + 1 : block_end + 7]:
        line = lines[i].strip()
        if line.startswith("(") or _SIGN_NOISE_RE.search(fold(line)):
            continue
        name, before = _title_case_run(line)
        if len(name.split()) < 2:
            continue
        prev = line.split()[before - 1] if before else ""
        # A merged row's left column ends with ";" or "." (the recipient list); a name glued to
        # running words ("UBND huyện Tuyên Hóa") is a place, not the signer.
        if before and not re.search(r"[;.,:]$", prev) and "  " not in line:
            continue
        out["nguoi_ky"] = Field(name, 0.85 if not before else 0.75)
        break
    return out


# --- layout from OCR word boxes -----------------------------------------------------------------------
def _rows(page: PageResult, x_min: float = 0.0, x_max: float = 1.0) -> list[str]:
    """The page's words between two fractions of its width, regrouped into rows by their boxes.

    Tesseract reads a merged row of two columns as one line ("- Lưu: VT, KT. CHỦ TỊCH"); keeping
    only the words of one column gives back the column as printed."""
    width = page.width_px or 0
    if page.rotated in (90, 270):
        width = page.height_px or 0
    if width <= 0 or not page.words:
        return []
    # Specks of a seal or a signature come out as one or two letters with no confidence: not text.
    words = [w for w in page.words if x_min * width <= w.left and w.left + w.width <= x_max * width + 1
             and not (w.conf < 20 and len(w.text) <= 2)]
    rows: list[list[tuple[int, int, int, str]]] = []  # (centre y, height, left, text)
    for w in sorted(words, key=lambda w: (w.top + w.height / 2, w.left)):
        cy = w.top + w.height // 2
        if rows and abs(cy - rows[-1][-1][0]) <= max(w.height, rows[-1][-1][1]) * 0.6:
            rows[-1].append((cy, w.height, w.left, w.text))
        else:
            rows.append([(cy, w.height, w.left, w.text)])
    return [" ".join(t for *_, t in sorted(r, key=lambda x: x[2])) for r in rows]


def _signature_from_layout(pages: Sequence[PageResult]) -> dict[str, Field]:
    """The signature block is the right-hand column at the bottom of the last page with words."""
    last = next((p for p in reversed(pages) if p.words), None)
    if last is None:
        return {}
    # Rows of three letters or fewer between the lines of the block are the seal's rim, not text.
    right = [normalize(r) for r in _rows(last, x_min=0.45) if sum(ch.isalpha() for ch in r) > 3]
    found = _signature(right)
    # A box-based read is cleaner than the merged text: it keeps its confidence; the flat-text path
    # remains for text-layer pages, which carry no boxes.
    return found


# --- the citizen ---------------------------------------------------------------------------------------
def _name_after(lines: list[str], i: int, start: int) -> str | None:
    line = lines[i]
    value = line[start:]
    if not value.strip():
        nxt = _nonempty(lines, i + 1)[:1]
        if not nxt:
            return None
        value = lines[nxt[0]]
    m = _NAME_END_RE.search(fold(value))
    if m:
        value = value[: m.start()]
    value = clean_spacing(value).strip(" .:-")
    hm = _HONORIFIC_RE.match(fold(value))
    if hm:
        value = value[hm.end() :].strip()
    tokens = value.split()
    if not 2 <= len(tokens) <= 7 or not all(_NAME_TOKEN_RE.match(t) and t[0].isupper() for t in tokens):
        return None
    return value.title() if value.isupper() else value


def _citizen(lines: list[str], doc_type: str, today: date) -> dict[str, Field]:
    out: dict[str, Field] = {}
    name_line = None
    for label_rx, conf in ((_NAME_LABEL_RE, 0.85), (_APPLICANT_LABEL_RE, 0.7)):
        for i, line in enumerate(lines):
            folded = fold(line)
            m = label_rx.search(folded)
            if not m:
                continue
            if label_rx is _NAME_LABEL_RE and _OTHER_PERSON_RE.match(folded, m.start()):
                continue
            name = _name_after(lines, i, m.end())
            if name:
                if fold(name) == name.lower():
                    conf -= 0.1  # no marks at all: OCR probably lost them
                out["ho_ten"] = Field(name, round(conf, 3))
                name_line = i
                break
        if name_line is not None:
            break

    def labelled_ids(lo: int, hi: int) -> Field | None:
        for i in range(lo, min(hi, len(lines))):
            folded = fold(lines[i])
            if i > lo and _OTHER_PERSON_RE.search(folded):
                return None  # the next person's block begins
            m = _ID_LABEL_RE.search(folded)
            if not m:
                continue
            tail = lines[i][m.end() :]
            if re.match(r"\W*(cua|of)\s+(me|cha|vo|chong|nguoi)\b", fold(tail)):
                continue  # "Số định danh cá nhân của mẹ": someone else's identifier
            nxt = _nonempty(lines, i + 1)[:1]
            ids = find_personal_ids(tail, today=today) or (find_personal_ids(lines[nxt[0]], today=today) if nxt else [])
            if ids:
                return Field(ids[0].value, _conf(0.9, ids[0].repaired))
        return None

    found = labelled_ids(name_line, name_line + 8) if name_line is not None else labelled_ids(0, len(lines))
    if found is None and doc_type == "can_cuoc":
        ids = find_personal_ids("\n".join(lines), today=today)
        if len(ids) == 1:
            found = Field(ids[0].value, _conf(0.75, ids[0].repaired))
    if found is not None:
        out["so_dinh_danh"] = found
    return out


# --- codes -----------------------------------------------------------------------------------------------
def _codes(lines: list[str], dossier_pattern: str | re.Pattern[str]) -> dict[str, Field]:
    out: dict[str, Field] = {}
    best: tuple[float, str] | None = None
    for line in lines:
        for m in find_dossier_codes(line, dossier_pattern):
            labelled = bool(re.search(r"\bma (ho so|so ho so)\b", fold(line)))
            c = _conf(0.95 if labelled else 0.8, m.repaired)
            if best is None or c > best[0]:
                best = (c, m.value)
    if best is not None:
        out["ma_ho_so"] = Field(best[1], best[0])
        unit = dossier_unit(best[1], dossier_pattern)
        if unit:
            out["ma_co_quan"] = Field(unit, round(best[0] - 0.05, 3))
    proc: tuple[float, str] | None = None
    for line in lines:
        folded = fold(line)
        labelled = bool(_PROCEDURE_LABEL_RE.search(folded))
        if not labelled and "thu tuc" not in folded:
            continue  # a bare d.dddddd may be anything; only take it next to its label
        for m in find_procedure_codes(line):
            c = _conf(0.9 if labelled else 0.7, m.repaired)
            if proc is None or c > proc[0]:
                proc = (c, m.value)
    if proc is not None:
        out["ma_thu_tuc"] = Field(proc[1], proc[0])
    return out


def _type_name(doc_type: str, titles: list[TitleHit], has_cong_van_cues: bool) -> Field | None:
    own = [t for t in titles if t.doc_type == doc_type]
    if own:
        # One-stop slips have no short type name: the whole title is the name ("Giấy tiếp nhận hồ
        # sơ và hẹn trả kết quả", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ").
        printed = sentence_case(own[0].line if doc_type == "phieu_mot_cua" else own[0].printed)
        canonical = TYPE_NAMES.get(doc_type)
        if canonical and fold(printed) == fold(canonical) and printed != canonical:
            return Field(canonical, 0.8)  # marks lost by OCR, restored from the class name
        if fold(printed) == printed.lower():
            return Field(printed, 0.6)  # printed without any mark: probably lost by OCR
        return Field(printed, 0.9)
    if doc_type == "cong_van" and has_cong_van_cues:
        return Field("Công văn", 0.6)  # Decree 30 prints no type name on a công văn
    return None


def _language(text: str) -> Field | None:
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < 20:
        return None
    marked = sum(1 for ch in letters if fold(ch) != ch.lower() or ch in "đĐ")
    words = re.findall(r"\w+", fold(text))
    common = sum(1 for w in words if w in {"va", "cua", "ngay", "thang", "nam", "theo", "cho", "cac", "co", "ve"})
    if marked / len(letters) > 0.05 and common:
        return Field("vi", 0.95)
    if common / max(len(words), 1) > 0.05:
        return Field("vi", 0.6)  # Vietnamese words, but OCR dropped the marks
    return None


def extract(
    text: str,
    doc_type: str,
    *,
    page_count: int | None = None,
    today: date | None = None,
    dossier_pattern: str | re.Pattern[str] = DOSSIER_CODE_RE,
    pages: Sequence[PageResult] | None = None,
) -> dict[str, Field]:
    """Metadata of one document; keys are those of DOMAIN.md, absent when not read."""
    today = today or date.today()
    norm = normalize(text)
    # Page breaks become their own marker line so line indices stay global and the signature
    # search can find the last page.
    lines = norm.replace("\f", "\n\f\n").split("\n")
    first_page_end = lines.index("\f") if "\f" in lines else len(lines)
    header_idx = _nonempty(lines, 0, first_page_end)[:_HEADER_ZONE]
    header = "\n".join(lines[i] for i in header_idx)
    titles = find_titles(norm)

    out: dict[str, Field] = {}
    out.update(_doc_number(header))
    issued = _issue_date(lines[:first_page_end] if doc_type not in _PERSONAL else lines, header_idx, today)
    date_lines: list[int] = []
    if issued is not None:
        out["ngay_ban_hanh"] = issued[0]
        if issued[1] is not None:
            out["dia_danh"] = issued[1]
        date_lines.append(issued[2])
    body = _issuing_body(lines[:first_page_end], titles, date_lines)
    if body is not None:
        out["co_quan_ban_hanh"] = body
    abstract = _abstract(lines, doc_type, titles, header_idx)
    if abstract is not None:
        out["trich_yeu"] = abstract
    signature = _signature_from_layout(pages) if pages else {}
    out.update(signature or _signature(lines))
    if doc_type in _PERSONAL:
        out.update(_citizen(lines, doc_type, today))
    out.update(_codes(lines, dossier_pattern))
    cong_van_cues = "so_ky_hieu" in out or (abstract is not None and abstract.value.startswith("V/v"))
    name = _type_name(doc_type, titles, cong_van_cues)
    if name is not None:
        out["ten_loai"] = name
    if page_count is not None and page_count > 0:
        out["so_trang"] = Field(str(page_count), 1.0)
    lang = _language(norm)
    if lang is not None:
        out["ngon_ngu"] = lang
    return out
