"""Metadata extraction (DOMAIN.md keys) from OCR or text-layer output of one document.

The text is what tesseract (``-l vie``, psm 3) or pdfplumber give for A4 pages: lines in reading
order, pages separated by ``\\f``, the two columns of a Decree 30 header often merged on one line
(``ỦY BAN NHÂN DÂN XÃ THANH THẠCH Độc lập - Tự do - Hạnh phúc``,
``Số: 123/QĐ-UBND Thanh Thạch, ngày 07 tháng 4 năm 2023``, ``Nơi nhận: KT. CHỦ TỊCH``). Where OCR
word boxes exist, the page is read as laid out instead: the header's left column (issuing body)
and the signature block at the bottom right are taken from the words in their own column, so a
merged row no longer mixes them.

A field that cannot be read is absent, never guessed. Confidence per field: a clean, labelled
match scores high; a value that needed OCR repair, or was found without its label, scores lower.
Names that OCR damaged are restored against a vocabulary of Vietnamese administrative words, the
spellings the same document shows elsewhere and what reviewers corrected (pipeline/vn/lexicon.py).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from pipeline.classify import TitleHit, find_titles
from pipeline.vn.codes import (
    DOSSIER_CODE_RE,
    TYPE_ABBRS,
    DocNumber,
    dossier_unit,
    find_doc_numbers,
    find_dossier_codes,
    find_mrz_personal_id,
    find_personal_ids,
    find_procedure_codes,
)
from pipeline.vn.dates import DateMatch, find_dates
from pipeline.vn.lexicon import (
    COLLECTIVES,
    EMPTY,
    ONE_STOP_TITLES,
    POSITION_TITLES,
    PROVINCES,
    SIGN_PREFIXES,
    UNIT_PHRASES,
    Lexicon,
    restore_family_name,
    restore_known,
    restore_phrases,
)
from pipeline.vn.ocrfix import is_syllable
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
# Classes whose Decree 30 layout puts a trích yếu directly under the title, with or without
# "Về việc"; elsewhere only an explicit "Về việc"/"V/v" line is taken.
_ABSTRACT_UNDER_TITLE = frozenset(
    {"quyet_dinh", "chi_thi", "nghi_quyet", "huong_dan", "thong_bao", "to_trinh", "bao_cao", "ke_hoach", "bien_ban"}
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
        "gcn_ho_kinh_doanh",
    }
)
# Results addressed to one citizen in running text ("… cho hộ ông Lê Văn Bình, Số định danh cá
# nhân: …"): the person named together with an identifier is the one the document is about.
_SUBJECT_IN_TEXT = frozenset({"quyet_dinh", "giay_phep_xay_dung", "gcn_qsdd"})
# The person a class is about when its form names several: the mother on a birth notice (the child
# has no name yet), the deceased on a death notice.
_SUBJECT_LABEL: dict[str, re.Pattern[str]] = {
    "giay_chung_sinh": re.compile(r"\bho\s*(va|,)?\s*(chu dem,?\s*)?(va\s*)?ten\s*(cua\s*)?(nguoi\s*)?me\s*:\s*"),
    "giay_bao_tu": re.compile(r"\bho\s*(va|,)?\s*(chu dem,?\s*)?(va\s*)?ten\s*(cua\s*)?nguoi\s*(da\s*)?chet\s*:\s*"),
}
# An identity card copy prints its issuer's title and facsimile signature on the back: neither a
# signer nor an issuing body of the copy.
_NO_SIGNER = frozenset({"can_cuoc"})
_NO_BODY = frozenset({"can_cuoc"})
_HEADER_ZONE = 12

_SO_LABEL_RE = re.compile(r"^\W*s[o6]\s*[:;.]")
_ORG_RE = re.compile(
    r"\b(uy ban|ubnd|hoi dong|hdnd|so|phong|van phong|cong an|benh vien|truong|bo|cuc|chi cuc|"
    r"trung tam|ban|bo phan|tram|doan|dang uy|toa an|vien kiem sat|ngan hang|cong ty|chi nhanh|"
    r"tinh|xa|phuong|thanh pho|dac khu|thi tran|huyen|quan|tong cuc|kho bac)\b"
)
# The words a unit's name starts with: a header line starting so begins a new unit, any other line
# goes on with the one above ("BỆNH VIỆN HỮU NGHỊ VIỆT NAM -" / "CU BA ĐỒNG HỚI").
_ORG_HEAD_RE = re.compile(
    r"^(uy ban|ubnd|hoi dong|hdnd|so|phong|van phong|cong an|benh vien|truong|bo|cuc|chi cuc|tong cuc|"
    r"trung tam|ban|bo phan|tram|doan|dang uy|toa an|vien kiem sat|ngan hang|cong ty|chi nhanh|kho bac|"
    r"bao hiem|hoi)\b"
)
_ADMIN_LEVEL_RE = re.compile(r"^(tinh|xa|phuong|thanh pho|dac khu|thi tran|huyen|quan|thi xa)\b")
_ADMIN_WORD_RE = re.compile(r"\b(tinh|xa|phuong|thanh pho|dac khu|thi tran|huyen|quan|thi xa)\b")
_MOTTO_PART_RE = re.compile(r"\b(cong hoa|chu nghia|doc lap|hanh phuc|socialist|republic)\b")
_STOP_ABSTRACT_RE = re.compile(r"^\W*(can cu|kinh gui|kinh trinh|thuc hien|xet de nghi|dieu\s*\d)\b")
_STOP_FIRST_ABSTRACT_RE = re.compile(r"^\W*(can cu|kinh gui|kinh trinh|xet de nghi|dieu\s*\d)\b")
_VV_RE = re.compile(r"^\W*(v\s*[/l|1]\s*v|ve viec)\b\s*:?\s*")
_POSITION_RE = re.compile(
    r"^(kt|tm|tl|tuq|q|ktl)\s*\.|\b(chu tich|giam doc|truong|pho|chanh|bi thu|thu truong|cong chuc|"
    r"can bo|nguoi (yeu cau|lam don|khai|ky|dai dien|nop tien|thu tien|duoc uy quyen|uy quyen|tiep nhan|lap)|"
    r"thu ky|uy vien|dai dien|ke toan|thu quy|chu ho|chu tri|ben (uy quyen|duoc uy quyen))\b"
)
# A citizen's own signature caption, printed in any case ("Người yêu cầu", "NGƯỜI LÀM ĐƠN").
_CITIZEN_ROLE_RE = re.compile(r"^(nguoi (yeu cau|lam don|khai|de nghi|viet don|cam ket|nop don))$")
# "NGƯỜI KÝ GIẤY KHAI SINH": a caption over the signer's position, not the position itself.
_CAPTION_RE = re.compile(r"^(nguoi\s+)?ky\s+(giay|trich luc|ban sao|van ban)\b")
_NAME_TOKEN_RE = re.compile(r"^[^\W\d_][^\W\d_]*$")
_SIGN_NOISE_RE = re.compile(r"\b(ky|da ky|ghi ro|dong dau|chu ky)\b")

_NAME_LABEL_RE = re.compile(
    r"\b(ho,?\s*chu dem,?\s*(va\s*)?ten|ho\s*(va\s*)?ten)(\s*khai sinh)?(\s*/\s*full name)?\s*:\s*"
    r"|\bfull name\s*:\s*"
)
_APPLICANT_LABEL_RE = re.compile(
    r"\b(ho,?\s*chu dem,?\s*(va\s*)?ten|ho\s*(va\s*)?ten)\s*nguoi\s*(yeu cau|khai|nop|di dang ky|lam don)"
    r"\s*:\s*|\btoi ten la\s*:?\s*|\btiep nhan ho so cua\s*:?\s*|\b(ten\s*)?nguoi nop( ho so| tien)?\s*:\s*"
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
# Dates a form prints under a label instead of a place-date line: the registration date of a civil
# status paper, the issue date of an identity card.
_DATE_LABEL_RE = re.compile(
    r"\bngay,?\s*thang,?\s*nam\s*(dang ky|cap)\b|\bdate of issue\b|\bngay (cap|dang ky)\s*:"
)


def _conf(clean: float, repaired: bool, penalty: float = 0.15) -> float:
    return round(clean - penalty if repaired else clean, 3)


def _nonempty(lines: list[str], start: int = 0, stop: int | None = None) -> list[int]:
    end = len(lines) if stop is None else min(stop, len(lines))
    return [i for i in range(start, end) if lines[i].strip()]


def _is_letter(ch: str) -> bool:
    """A letter of a word: not a modifier letter such as "ˆ", which OCR makes of specks."""
    return ch.isalpha() and unicodedata.category(ch) in ("Lu", "Ll", "Lo")


# The marks Vietnamese letters carry: the five tones, circumflex, breve and horn.
_VIETNAMESE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b")


def _vietnamese_word(tok: str) -> bool:
    """Whether a word is written in the Vietnamese alphabet ("Tÿên" is OCR garbage)."""
    return all(("a" <= ch.lower() <= "z") or ch in "đĐ" or ch in _VIETNAMESE_MARKS
               for ch in unicodedata.normalize("NFD", tok))


def _has_text(s: str) -> bool:
    return any(ch.isdigit() or _is_letter(ch) for ch in s)


def _is_junk_token(tok: str) -> bool:
    """A token of seal rims, signature strokes and specks: no letter or digit, or letters mixed
    with symbols ("^HE", "ˆ", "(on")."""
    core = tok.strip("\"'“”‘’()[]{}.,;:!?…*")
    if not core or not _has_text(core):
        return True
    return any(not (_is_letter(ch) or ch.isdigit() or ch in "-–/.") for ch in core)


def _strip_junk(text: str) -> str:
    """``text`` without junk tokens at either end."""
    tokens = text.split()
    while tokens and _is_junk_token(tokens[0]):
        tokens.pop(0)
    while tokens and _is_junk_token(tokens[-1]):
        tokens.pop()
    return " ".join(tokens)


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


def _has_marks(text: str) -> bool:
    return fold(text) != text.lower()


# --- layout from OCR word boxes -----------------------------------------------------------------------
@dataclass(frozen=True)
class _Cell:
    """A run of words on one printed line of one column: where it lies and what it says."""

    x0: int
    x1: int
    top: int
    bottom: int
    text: str


def _layout_cells(page: PageResult) -> list[_Cell]:
    """The page's words joined into cells, top to bottom: words on the same printed line (their
    boxes overlap vertically by 60 % of the smaller one) and closer than a column gutter.

    Tesseract reads a merged row of two columns as one line ("- Lưu: VT, KT. CHỦ TỊCH"), and the
    two columns' lines need not share a baseline; cells give back each column's lines as printed.
    Coordinates are those of the OCR copy (already turned upright, so its width is the page's
    reading width)."""
    width = page.width_px or 0
    if width <= 0 or not page.words:
        return []
    # Specks of a seal or a signature come out as one or two letters with no confidence: not text.
    words = sorted((w for w in page.words if not (w.conf < 20 and len(w.text) <= 2) and w.height > 0),
                   key=lambda w: w.top)
    gutter = width * 0.035
    parent = list(range(len(words)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    texty = [_has_text(w.text) for w in words]
    for i, a in enumerate(words):
        for j in range(i + 1, len(words)):
            b = words[j]
            if b.top > a.top + a.height:
                break  # sorted by top: no later word reaches this one's line
            overlap = min(a.top + a.height, b.top + b.height) - max(a.top, b.top)
            if overlap < 0.6 * min(a.height, b.height):
                continue
            gap = max(b.left - (a.left + a.width), a.left - (b.left + b.width))
            # a speck of punctuation in the gutter ("TRỊ ˆ CỘNG") does not bridge it
            reach = gutter if texty[i] and texty[j] else gutter / 2
            if gap <= reach:
                parent[root(j)] = root(i)
    groups: dict[int, list[int]] = {}
    for i in range(len(words)):
        groups.setdefault(root(i), []).append(i)
    cells = []
    for group in groups.values():
        if not any(texty[i] for i in group):
            continue
        members = sorted((words[i] for i in group), key=lambda w: w.left)
        tops = sorted(w.top for w in members)
        bottoms = sorted(w.top + w.height for w in members)
        cells.append(_Cell(members[0].left, max(w.left + w.width for w in members), tops[len(tops) // 2],
                           bottoms[len(bottoms) // 2], normalize(" ".join(w.text for w in members))))
    cells.sort(key=lambda c: (c.top + c.bottom, c.x0))
    return cells


def _column(cells: list[_Cell], width: int, side: str) -> list[_Cell]:
    """The cells of the left or right half of the page (by their centre), top to bottom."""
    if side == "left":
        return [c for c in cells if (c.x0 + c.x1) / 2 < width * 0.5]
    return [c for c in cells if (c.x0 + c.x1) / 2 >= width * 0.5]


# --- header: number and symbol, issuing body, place and date -------------------------------------------
def _doc_number(header: str, doc_type: str, titles: list[TitleHit]) -> dict[str, Field]:
    numbers = find_doc_numbers(header)
    if not numbers:
        return _bare_number(header, doc_type)
    dn = _agree_with_title(numbers[0], doc_type, titles)
    c = _conf(0.95, dn.repaired, 0.2)
    return {"so": Field(dn.so, c), "ky_hieu": Field(dn.ky_hieu, c), "so_ky_hieu": Field(dn.so_ky_hieu, c)}


def _agree_with_title(dn: DocNumber, doc_type: str, titles: list[TitleHit]) -> DocNumber:
    """A type abbreviation one letter off the one of the printed title is that one: under a TỜ
    TRÌNH title, ``82/TT-UBND`` is an OCR'd ``82/TTr-UBND`` (a commune issues no thông tư)."""
    if dn.type_abbr is None or dn.doc_type == doc_type or not any(t.doc_type == doc_type for t in titles):
        return dn
    own = [a for a, t in TYPE_ABBRS.items() if t == doc_type]
    near = [a for a in own if difflib.SequenceMatcher(None, fold(a), fold(dn.type_abbr)).ratio() >= 0.8]
    if len(near) != 1:
        return dn
    rest = dn.ky_hieu[dn.ky_hieu.index(dn.type_abbr) + len(dn.type_abbr) :]
    prefix = dn.ky_hieu[: dn.ky_hieu.index(dn.type_abbr)]
    return DocNumber(dn.so, prefix + near[0] + rest, near[0], doc_type, True, dn.start, dn.end)


_BARE_NUMBER_RE = re.compile(r"(?:^|\s{2,}|\t)\W*s[o6]\s*[:;.]\s*(?P<num>[0-9oil|]{1,8})(?:\s+[^\W\d]{1,2})?\W*$")


def _bare_number(header: str, doc_type: str) -> dict[str, Field]:
    """``Số: 145`` with no symbol: civil-status books and receipts number their papers so."""
    if doc_type not in ("giay_khai_sinh", "gcn_ket_hon", "bien_lai", "trich_luc_ho_tich"):
        return {}
    for raw in header.split("\n"):
        line = split_motto(raw)[0]  # "Số: 42 Độc lập - Tự do - Hạnh phúc"
        m = _BARE_NUMBER_RE.search(fold(line))
        if m is None:
            continue
        printed = line[m.start("num") : m.end("num")]
        digits = printed.translate(str.maketrans("OoIil|", "001111"))
        if not digits.isdigit():
            continue
        return {"so": Field(digits, _conf(0.85, digits != printed))}
    return {}


def _land_serial(lines: list[str], titles: list[TitleHit]) -> Field | None:
    """The serial a land-use certificate prints under its title (two letters, six digits)."""
    own = [t for t in titles if t.doc_type == "gcn_qsdd"]
    if not own:
        return None
    for i in _nonempty(lines, own[0].line_no + 1)[:4]:
        m = re.fullmatch(r"\W*([A-Z]{2})\s?([0-9OoIl]{6})\W*", lines[i].strip())
        if m:
            digits = m[2].translate(str.maketrans("OoIl", "0011"))
            return Field(f"{m[1]} {digits}", _conf(0.85, digits != m[2]))
    return None


def _certification(lines: list[str], today: date) -> dict[str, Field]:
    """A certified copy's own number, book symbol, place and date: those of the certification
    stamp ("Số chứng thực: 468 Quyển số: 01/2024-SCT/BS", then the place-date), never the copied
    paper's header."""
    out: dict[str, Field] = {}
    for i, line in enumerate(lines):
        folded = fold(line)
        m = re.search(r"so chung thuc\s*[:;.]?\s*(?P<num>[0-9OoIl]{1,6})\b", folded)
        if m is None:
            continue
        raw = line[m.start("num") : m.end("num")]
        digits = raw.translate(str.maketrans("OoIl", "0011"))
        out["so"] = Field(digits, _conf(0.9, digits != raw))
        if re.search(r"\bsct\s*/\s*bs\b", folded):
            out["ky_hieu"] = Field("SCT/BS", 0.9)
        found = _place_and_date(lines[i : i + 4], today)
        if found is not None:
            _, dm, place = found
            out["ngay_ban_hanh"] = Field(dm.value.isoformat(), _conf(0.9, dm.repaired))
            out["dia_danh"] = Field(place, 0.85)
        break
    return out


def _header_lines(lines: list[str], first_page: PageResult | None) -> tuple[list[str], bool]:
    """The left column of the header, one line per printed line, and whether it came from boxes."""
    if first_page is not None and first_page.words and first_page.width_px:
        left = [c.text for c in _column(_layout_cells(first_page), first_page.width_px, "left")[:12]]
        if left:
            return left, True
    left = []
    for i in _nonempty(lines)[:_HEADER_ZONE]:
        part, motto = split_motto(lines[i])
        # "BỆNH VIỆN HỮU NGHỊ VIỆT NAM - Độc lập …": the dash before the motto is the left column's
        if motto is not None and re.match(r"\s*[-–]\s", lines[i][len(part) :]):
            part += " -"
        left.append(part)
    return left, False


def _context_places(text: str, lexicon: Lexicon) -> list[str]:
    """Place names as the document itself writes them in running text ("phường Đồng Hới"), upper
    case, the best-attested spelling first: OCR of ordinary lower-case type keeps marks that the
    bold capitals of the header lose."""
    counts: Counter[str] = Counter()
    for m in re.finditer(
        r"\b(?:xã|phường|tỉnh|thành phố|huyện|quận|thị xã|thị trấn|đặc khu)\s+((?:[A-ZÀ-Ỹ][^\W\d_]*\s?){1,4})", text
    ):
        run, _ = _title_case_run(m.group(1).strip(), max_tokens=4)
        tokens = run.split()
        # a place name ends where the next capitalised word is a sentence's ("Thạch Tôi")
        for n in range(len(tokens), 1, -1):
            counts[" ".join(tokens[:n]).upper()] += 1
    for place in lexicon.places:
        counts[place.upper()] += 3
    by_fold: dict[str, tuple[int, str]] = {}
    for name, n in counts.items():
        key = fold(name)
        if n > by_fold.get(key, (0, ""))[0]:
            by_fold[key] = (n, name)
    return [name for _, name in sorted(by_fold.values(), reverse=True)]


def _restore_body(body: str, places: list[str], lexicon: Lexicon) -> tuple[str, bool]:
    known = restore_known(body, lexicon.bodies, min_ratio=0.9) if lexicon.bodies else None
    if known is not None:
        return known, known != body
    if not _has_marks(body):
        return body, False  # printed (or read) without marks: leave it as the page has it
    restored, changed = restore_phrases(body, (*UNIT_PHRASES, *PROVINCES, *places))
    return restored, changed


def _issuing_body(left: list[str], titles: list[TitleHit], places: list[str], lexicon: Lexicon,
                  from_boxes: bool) -> Field | None:
    title_texts = {fold(t.line) for t in titles}
    units: list[list[str]] = []
    for raw in left[:10]:
        line = _strip_junk(clean_spacing(raw.strip(" -_–—=*~.\t")))
        if line and re.search(r"\w\s*[-–]\s*$", raw) and len(line.split()) >= 2:
            line += " -"  # "BỆNH VIỆN HỮU NGHỊ VIỆT NAM -": the name goes on below
        folded = fold(line)
        if (_SO_LABEL_RE.match(folded) or _VV_RE.match(folded) or folded in title_texts
                or find_dates(line) or re.match(r"^\W*(kinh gui|can cu)\b", folded)):
            break
        if not line or not is_upper_line(line) or _MOTTO_PART_RE.search(folded):
            if units and line and not is_upper_line(line):
                break  # running text below the header
            continue
        if any(fold(line).startswith(fold(t.printed)) for t in titles):
            break  # the title
        if units and _continues(units[-1], line):
            units[-1].append(line)
        elif (_ORG_RE.search(folded) and len(line.split()) >= 2) or units:
            units.append([line])
    units = [u for u in units if _ORG_RE.search(fold(" ".join(u)))]
    if not units:
        return None
    body = " ".join(units[-1])
    body = re.sub(r"\s+([-–])\s*", r" \1 ", body) if re.search(r"\S[-–]\s", body) else body
    body, repaired = _restore_body(clean_spacing(body), places, lexicon)
    conf = (0.9 if from_boxes else 0.85) if len(units) > 1 or len(units[0]) > 1 else 0.75
    return Field(body, round(conf - (0.1 if repaired else 0.0), 3))


def _continues(unit: list[str], line: str) -> bool:
    """Whether a header line goes on with the unit above it rather than starting the next one."""
    prev = unit[-1]
    folded = fold(line)
    if prev.rstrip().endswith(("-", "–", " VÀ", " VỀ", " CỦA")) or line.startswith(("-", "–")):
        return True
    if _ADMIN_LEVEL_RE.match(folded):
        return not _ADMIN_WORD_RE.search(fold(" ".join(unit)))
    return not _ORG_HEAD_RE.match(folded)


def _place_and_date(lines: list[str], today: date) -> tuple[int, DateMatch, str] | None:
    """The first ``<Place>, ngày … tháng … năm …`` line: (line index, date, place or "")."""
    rows = _nonempty(lines)
    for n, i in enumerate(rows):
        line = lines[i]
        if re.search(r"\bnam\W*$", fold(line)) and n + 1 < len(rows) and re.match(r"^\W*\d{4}\b", lines[rows[n + 1]]):
            line = f"{line} {lines[rows[n + 1]].strip()}"  # "… năm" / "2022": the year wrapped or split off
        if re.match(r"^\W*can cu\b", fold(line)):
            continue  # citations: "Căn cứ Nghị định số 30/2020/NĐ-CP, ngày 05 tháng 3 năm 2020"
        for dm in find_dates(line, today=today):
            before = line[: dm.start].rstrip()
            if not before.endswith((",", ".")):
                continue
            place, preceding = _title_case_run(before[:-1])
            # "Thuận Hóa. ngày …": OCR's full stop for the comma, only on a line of its own
            if place and (before.endswith(",") or (dm.worded and not preceding)):
                return i, dm, place
    return None


def _issue_date(lines: list[str], header_idx: list[int], today: date) -> tuple[Field, Field | None, int] | None:
    found = _place_and_date(lines, today)
    if found is not None:
        i, dm, place = found
        return Field(dm.value.isoformat(), _conf(0.95, dm.repaired)), Field(place, 0.85), i
    # A form's labelled date: "Ngày, tháng, năm đăng ký: 02/10/2023", "… / Date of issue: …".
    for i in _nonempty(lines):
        m = _DATE_LABEL_RE.search(fold(lines[i]))
        if m is None:
            continue
        for dm in find_dates(lines[i][m.end() :], today=today):
            return Field(dm.value.isoformat(), _conf(0.85, dm.repaired)), None, i
    # A worded date standing on a line of its own (a receipt's "Ngày 24 tháng 04 năm 2022"), or in
    # the header; never one from a citation or a birth.
    for i in _nonempty(lines):
        for dm in find_dates(lines[i], today=today):
            if dm.worded and not re.sub(r"[\W_]", "", lines[i][: dm.start] + lines[i][dm.end :]):
                return Field(dm.value.isoformat(), _conf(0.8, dm.repaired)), None, i
    for i in header_idx:
        folded = fold(lines[i])
        if re.search(r"\b(can cu|sinh|luat|nghi dinh)\b", folded):
            continue
        for dm in find_dates(lines[i], today=today):
            if dm.worded:
                return Field(dm.value.isoformat(), _conf(0.7, dm.repaired)), None, i
    return None


# --- abstract (trích yếu) ------------------------------------------------------------------------------
def _is_stop_line(line: str, first: bool = False) -> bool:
    folded = fold(line)
    stripped = line.strip()
    return (
        not stripped
        or bool((_STOP_FIRST_ABSTRACT_RE if first else _STOP_ABSTRACT_RE).match(folded))
        or is_upper_line(stripped)
        or bool(_SO_LABEL_RE.match(folded))
        or bool(re.fullmatch(r"[\W_]+", stripped))
    )


def _clean_abstract(text: str, today: date) -> str:
    # The right column's place-date merged onto the abstract's line ("V/v … Quảng Trị, ngày …").
    found = _place_and_date([text], today)
    if found is not None:
        _, dm, place = found
        cut = text[: dm.start].rstrip().rstrip(",")
        if cut.endswith(place):
            text = cut[: -len(place)]
    text = _strip_junk(clean_spacing(text))
    return text.rstrip(" ;,-_:")


def _collect_abstract(lines: list[str], start: int, first_text: str, today: date) -> str:
    parts = [first_text]
    last = start
    for j in _nonempty(lines, start + 1)[:3]:
        line = _strip_junk(lines[j].strip())  # ": chính": a margin speck before the wrapped end
        if j - last > 2 or _is_stop_line(line) or re.match(r"^\W*noi nhan\b", fold(line)):
            break
        # A wrapped abstract goes on mid-sentence (lower case, a digit, or after a comma); a capital
        # after a finished line starts the body ("Ủy ban nhân dân xã … thông báo …").
        if not (line[0].islower() or line[0].isdigit() or parts[-1].endswith((",", "-", "và"))):
            break
        parts.append(line)
        last = j
    return _clean_abstract(" ".join(parts), today)


def _abstract(lines: list[str], doc_type: str, titles: list[TitleHit], header_idx: list[int],
              today: date) -> Field | None:
    own = [t for t in titles if t.doc_type == doc_type]
    if own:
        title = own[0]
        for n, i in enumerate(_nonempty(lines, title.line_no + 1)[:2]):
            line = _strip_junk(lines[i].strip())
            if not line:
                continue
            m = _VV_RE.match(fold(line))
            if m and fold(line).lstrip().startswith("ve viec"):
                clean = line.lstrip().startswith("Về việc")
                return Field(_collect_abstract(lines, i, line, today), 0.9 if clean else 0.75)
            if (doc_type in _ABSTRACT_UNDER_TITLE and not _is_stop_line(line, first=n == 0)
                    and ":" not in line[:30] and not _SO_LABEL_RE.match(fold(line))):
                return Field(_collect_abstract(lines, i, line, today), 0.7)
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
            return Field(_collect_abstract(lines, i, f"V/v {rest}", today), 0.9 if clean else 0.75)
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


@lru_cache(maxsize=64)
def _position_vocabulary(learned: tuple[str, ...]) -> dict[str, str]:
    """Folded → printed, for every position line Decree 30 allows (prefix + title or body), and the
    single-line positions reviewers typed."""
    heads = (*POSITION_TITLES, *(p.upper() for p in learned if " - " not in p))
    lines = [*heads, *(f"{p} {h}" for p in SIGN_PREFIXES for h in (*POSITION_TITLES, *COLLECTIVES))]
    return {re.sub(r"\s+", " ", fold(p)): p for p in lines}


def _canonical_position(seg: str, vocab: dict[str, str]) -> tuple[str, bool, bool, bool]:
    """(the position line as printed, whether it needed repair, whether it is a known one, whether
    it was cut off a row where OCR ran two columns' positions together)."""
    tokens = [t for t in seg.split() if not (_is_junk_token(t) or any(ch.isdigit() for ch in t))]
    seg = re.sub(r"^(KT|TM|TL|TUQ|Q)\s*[.,:;]?\s+", r"\1. ", " ".join(tokens))
    key = re.sub(r"\s+", " ", fold(seg)).strip()
    if key in vocab:
        canon = vocab[key]
        if not _has_marks(seg):
            return seg, False, True, False  # printed (or read) without any marks: leave it as the page has it
        if not is_upper_line(seg):
            canon = sentence_case(canon)  # a citizen's caption printed "Người yêu cầu" stays so
        return canon, canon != seg, True, False
    close = difflib.get_close_matches(key, list(vocab), n=1, cutoff=0.86)
    if close:
        return vocab[close[0]], True, True, False
    # "NBÊN A": the line's first letters lost or glued; the end of exactly one position, two words
    # or more, with at most two letters of the first word lost.
    words = key.split()
    if len(words) >= 2 and len(words[0]) > 1:
        for cut in (1, 2):
            tail = " ".join([words[0][cut:], *words[1:]])
            ends = {v for k, v in vocab.items()
                    if k.endswith(" " + tail) and len(k) > len(tail) + 2 and not re.match(r"(kt|tm|tl|tuq|q)\.", k)}
            if words[0][cut:] and len(ends) == 1:
                return ends.pop(), True, True, False
    # "NGƯỜI NỘP HỒ SƠ NGƯỜI TIẾP NHẬN HỒ SƠ": two signature columns on one row; the right one signs.
    for k in range(1, len(words)):
        if " ".join(words[:k]) in vocab and " ".join(words[k:]) in vocab:
            right = " ".join(seg.split()[k:])
            return (right if not _has_marks(right) else vocab[" ".join(words[k:])]), False, True, True
    return seg, False, False, False


def _position(segments: list[str], lexicon: Lexicon) -> tuple[str, float, bool] | None:
    """The position from the lines of a signature block, checked against how Decree 30 writes it.

    KT. (signing for the head) is always followed by the deputy's own title, and TM./TL./TUQ. by
    the signer's: a block that ends on one of them lost a line to OCR. After KT. the title is the
    deputy's ("KT. CHỦ TỊCH" → "PHÓ CHỦ TỊCH"), so it is put back; after TM. it may be the head's
    or a deputy's, so the position is left out rather than guessed."""
    vocab = _position_vocabulary(lexicon.positions)
    parts: list[tuple[str, bool]] = []
    merged = False
    for seg in segments:
        text, repaired, known, cut = _canonical_position(clean_spacing(seg), vocab)
        merged = merged or cut
        if not text:
            continue
        if not known:
            words = re.findall(r"[^\W\d_]+", text)
            real = sum(is_syllable(w) for w in words)
            if len(words) < 2 or real * 2 < len(words) or not all(
                    is_syllable(w) or (w.isupper() and len(w) <= 5) for w in words):
                continue  # seal rim or signature read as letters ("NV SG")
        parts.append((text, repaired))
    # "NGƯỜI KÝ GIẤY KHAI SINH" heads the block of a civil-status paper; the position follows it.
    if len(parts) > 1:
        parts = [p for p in parts if not _CAPTION_RE.match(fold(p[0]))] or parts
    if not parts:
        return None
    penalty = 0.0
    fixed: list[tuple[str, bool]] = []
    for text, repaired in parts:
        prefix = re.match(r"^(KT|TM|TL|TUQ|Q)\. (.+)$", fixed[-1][0]) if fixed else None
        if prefix and prefix[1] == "KT" and text != f"PHÓ {prefix[2]}" and prefix[2] in POSITION_TITLES:
            # After "KT. CHỦ TỊCH" only the deputy signs: "CHỦ TỊCH" lost its PHÓ, "PHÓ CHỦ" its TỊCH.
            deputy = fold(f"PHÓ {prefix[2]}")
            if deputy.endswith(fold(text)) or (deputy.startswith(fold(text)) and len(text.split()) >= 2):
                text, repaired = f"PHÓ {prefix[2]}", True
        fixed.append((text, repaired))
    last = re.match(r"^(KT|TM|TL|TUQ)\. (.+)$", fixed[-1][0])
    if last:
        if last[1] != "KT" or last[2] not in POSITION_TITLES:
            return None
        fixed.append((f"PHÓ {last[2]}", True))
        penalty += 0.15
    repaired_any = any(r for _, r in fixed)
    conf = 0.85 - penalty - (0.1 if repaired_any else 0.0)
    return " - ".join(t for t, _ in fixed), round(conf, 3), merged


def _is_position_line(text: str) -> bool:
    folded = fold(text).strip()
    if _CITIZEN_ROLE_RE.match(folded):
        return True
    return bool(text) and is_upper_line(text) and bool(_POSITION_RE.search(folded))


def _signer_name(line: str, *, column: bool, merged: bool = False) -> tuple[str, float] | None:
    """The signer's name on a line under the block, family name restored when OCR damaged it.
    ``merged``: the row also holds the left column's signer ("Nguyễn Thị Hoa Phan Thanh Tâm"); the
    right one starts at the last family name."""
    line = _strip_junk(line.strip())
    if not line or line.startswith("(") or _SIGN_NOISE_RE.search(fold(line)):
        return None
    tokens = line.split()
    if column:
        if not 2 <= len(tokens) <= 6:
            return None
        before = 0
    else:
        _, before = _title_case_run(line, max_tokens=6)
        if before:
            prev = tokens[before - 1]
            # A merged row's left column ends with ";" or "." (the recipient list); a name glued to
            # running words ("UBND huyện Tuyên Hóa") is a place, not the signer.
            if not re.search(r"[;.,:]$", prev) and "  " not in line:
                restored = restore_family_name(prev)
                lost_capital = (restored is not None and prev.islower()
                                and fold(restored[0]).endswith(fold(prev)) and len(restored[0]) > len(prev))
                if before > 1 or restored is None or (prev.islower() and not lost_capital):
                    return None
                before -= 1
        tokens = tokens[before:]
        if merged:
            starts = [k for k in range(2, len(tokens) - 1) if restore_family_name(tokens[k]) == (tokens[k], False)]
            if not starts:
                return None
            tokens = tokens[starts[-1] :]
        if not 2 <= len(tokens) <= 6:
            return None
    if all(t.isupper() for t in tokens):
        tokens = [t.title() for t in tokens]
    first, repaired = tokens[0], False
    if first.islower():
        # A capital lost at the start ("guyễn Bá Đức"); a whole lower-case word ("đăng Thùy Hoa")
        # is no damaged family name that can be told.
        restored = restore_family_name(first)
        if restored is not None and fold(restored[0]).endswith(fold(first)) and len(restored[0]) > len(first):
            first, repaired = restored[0], True
    elif _has_marks(line) or not (first[:1].isupper() and first[1:].islower()):
        restored = restore_family_name(first)
        if restored is not None:
            first, repaired = restored
    tokens[0] = first
    if not all(_NAME_TOKEN_RE.match(t) and t[0].isupper() and (len(t) == 1 or t[1:].islower()) and _vietnamese_word(t)
               for t in tokens):
        return None
    return " ".join(tokens), (0.85 if not repaired else 0.75)


def _signature(lines: list[str], lexicon: Lexicon, *, column: bool,
               spans: list[tuple[int, int]] | None = None, start: int | None = None) -> dict[str, Field]:
    """Position and name of the signer from the lines of the last page: whole lines of the right
    column when ``column``, else the flat text whose rows may merge both columns. ``spans``: where
    each line lies across the page, when read from word boxes; ``start``: the first line where the
    block may be, when the caller knows it."""
    page_start = max((i + 1 for i, ln in enumerate(lines) if ln == "\f"), default=0)
    body = _nonempty(lines, page_start)
    if not body:
        return {}
    # The signature sits level with "Nơi nhận" (same row when OCR merges the columns); without it,
    # the bottom 60 % of the page, which keeps the "CHỦ TỊCH ỦY BAN NHÂN DÂN …" authority line of
    # a decision's preamble out of reach.
    if start is None:
        recipients = [k for k, i in enumerate(body) if re.match(r"^\W*noi nhan\b", fold(lines[i]))]
        start_pos = recipients[-1] if recipients else int(len(body) * 0.4)
        zone = body[start_pos:]
    else:
        zone = [i for i in body if i >= start]

    vocab = _position_vocabulary(lexicon.positions)

    def is_position(seg: str) -> bool:
        # recognised by its words, or as a known position OCR damaged ("NBÊN A", "HỦ TỊCH")
        return _is_position_line(seg) or (is_upper_line(seg) and _canonical_position(seg, vocab)[2])

    def segment(k: int) -> tuple[str, bool]:
        text = _strip_junk(lines[zone[k]].strip())
        if column:
            return text, True
        if _CITIZEN_ROLE_RE.match(fold(text)):
            return text, True
        return _trailing_upper(text)

    block_end = None
    for k in range(len(zone) - 1, -1, -1):
        seg, _ = segment(k)
        if seg and is_position(seg):
            block_end = k
            break
    if block_end is None:
        return {}
    block: list[str] = []
    k = block_end
    while k >= 0 and len(block) < 5:
        seg, whole = segment(k)
        if not seg or not (is_position(seg) or (whole and is_upper_line(seg))):
            break
        block.insert(0, seg)
        k -= 1
    block_start = k + 1
    # Lines below the last recognised one that are wholly upper case belong to the block too: OCR
    # may have damaged the very words ("HỦ TỊCH") that made them recognisable.
    while block_end + 1 < len(zone) and len(block) < 5:
        seg, whole = segment(block_end + 1)
        if not (seg and whole and is_upper_line(seg) and len(seg.split()) <= 6):
            break
        block.append(seg)
        block_end += 1
    out: dict[str, Field] = {}
    position = _position(block, lexicon)
    merged = False
    if position is not None:
        value, conf, merged = position
        out["chuc_vu_nguoi_ky"] = Field(value, conf)
    for i in zone[block_end + 1 : block_end + 7]:
        found = _signer_name(lines[i], column=column, merged=merged and not column)
        if found is None:
            continue
        name, conf = found
        # The block's axis, from the lines read whole: a damaged one ("NBÊN A") lost part of its span.
        axis = [spans[zone[k]] for k in range(block_start, block_end + 1)
                if spans and lines[zone[k]].strip() and not _canonical_position(lines[zone[k]].strip(), vocab)[1]]
        if spans is not None and not _centred_under(spans[i], axis):
            break  # a name off the block's axis lost a word to the seal ("Trọng Vinh" of "Nguyễn Trọng Vinh")
        known = restore_known(name, lexicon.signers) if lexicon.signers else None
        if known is not None and known != name:
            name, conf = known, 0.8
        out["nguoi_ky"] = Field(name, conf)
        break
    return out


def _centred_under(name: tuple[int, int], block: list[tuple[int, int]]) -> bool:
    """Whether a name line is centred on the same axis as the position lines above it, as Decree 30
    sets a signature block; a quarter of the name's width is allowed for skew and uneven words."""
    if not block:
        return True
    axes = sorted((x0 + x1) / 2 for x0, x1 in block)
    axis = axes[len(axes) // 2]
    return abs((name[0] + name[1]) / 2 - axis) <= 0.25 * max(name[1] - name[0], 1)


def _signature_of(lines: list[str], pages: Sequence[PageResult] | None, lexicon: Lexicon) -> dict[str, Field]:
    """The signature block at the bottom right of the last page: read from the words of the right
    column when OCR boxes exist, else from the flat text. With boxes, what they do not show is left
    out: the flat text mixes the columns, and then the left signature of a two-signature form
    ("ĐẠI DIỆN BÊN B") would pass for the one that issues the paper."""
    last = next((p for p in reversed(pages or []) if p.words and p.width_px), None)
    if last is None:
        return _signature(lines, lexicon, column=False)
    cells = _layout_cells(last)
    # Cells of three letters or fewer between the lines of the block are the seal's rim, not text.
    right = [c for c in _column(cells, last.width_px or 0, "right") if sum(ch.isalpha() for ch in c.text) > 3]
    # The block starts level with "Nơi nhận" in the left column; without it, in the lower 60 % of
    # the right column, which keeps a decision's "CHỦ TỊCH ỦY BAN NHÂN DÂN …" preamble out of reach.
    noi_nhan = [c for c in _column(cells, last.width_px or 0, "left") if re.match(r"^\W*noi nhan\b", fold(c.text))]
    if noi_nhan:
        start = next((k for k, c in enumerate(right) if c.bottom >= noi_nhan[-1].top), len(right))
    else:
        start = int(len(right) * 0.4)
    boxed = _signature([c.text for c in right], lexicon, column=True, spans=[(c.x0, c.x1) for c in right],
                       start=start)
    return boxed


# --- the citizen ---------------------------------------------------------------------------------------
def _person_name(value: str) -> tuple[str, bool] | None:
    """A personal name as printed (capitals made Title-case), family name restored; or None."""
    value = clean_spacing(value).strip(" .:-")
    hm = _HONORIFIC_RE.match(fold(value))
    if hm:
        value = value[hm.end() :].strip(" .:")
    tokens = value.split()
    if not 2 <= len(tokens) <= 7 or not all(_NAME_TOKEN_RE.match(t) and t[0].isupper() for t in tokens):
        return None
    name = value.title() if value.isupper() else value
    first, *rest = name.split()
    repaired = False
    if _has_marks(name):
        restored = restore_family_name(first)
        if restored is not None:
            first, repaired = restored
    return " ".join([first, *rest]), repaired


def _name_after(lines: list[str], i: int, start: int) -> tuple[str, bool] | None:
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
    return _person_name(value)


def _subject_in_text(lines: list[str], today: date) -> dict[str, Field]:
    """"… đối với bà Trần Thị Thu, sinh ngày 01/02/1940, Số định danh cá nhân: 045172190356" and
    "Bà: PHẠM PHƯƠNG VÂN, năm sinh: 1975, Số định danh cá nhân: …": a person named right before an
    identifier, in the same sentence."""
    page = "\n".join(lines).split("\f", 1)[0]
    flat = re.sub(r"\s*\n\s*", " ", page)
    folded = fold(flat)
    rx = re.compile(
        r"\b(ong|ba)\b\s*:?\s+(?P<name>(?:\S+\s+){1,5}?\S+?)\s*[,;]\s*"
        r"(?:(?:sinh ngay|nam sinh)\s*:?\s*[^,;]{1,12}[,;]\s*)?so dinh danh ca nhan\s*:?\s*"
    )
    for m in rx.finditer(folded):
        found = _person_name(flat[m.start("name") : m.end("name")])
        ids = find_personal_ids(flat[m.end() : m.end() + 20], today=today)
        if found is None or not ids or ids[0].start > 2:
            continue
        name, repaired = found
        return {"ho_ten": Field(name, 0.8 - (0.1 if repaired else 0.0)),
                "so_dinh_danh": Field(ids[0].value, _conf(0.85, ids[0].repaired))}
    return {}


def _citizen(lines: list[str], doc_type: str, today: date) -> dict[str, Field]:
    out: dict[str, Field] = {}
    name_line = None
    labels: list[tuple[re.Pattern[str], float]] = []
    if doc_type in _SUBJECT_LABEL:
        labels.append((_SUBJECT_LABEL[doc_type], 0.85))
    labels += [(_NAME_LABEL_RE, 0.85), (_APPLICANT_LABEL_RE, 0.7)]
    for label_rx, conf in labels:
        for i, line in enumerate(lines):
            folded = fold(line)
            m = label_rx.search(folded)
            if not m:
                continue
            if label_rx is _NAME_LABEL_RE and _OTHER_PERSON_RE.match(folded, m.start()):
                continue
            named = _name_after(lines, i, m.end())
            if named:
                name, repaired = named
                if not _has_marks(name):
                    conf -= 0.1  # no marks at all: OCR probably lost them
                out["ho_ten"] = Field(name, round(conf - (0.1 if repaired else 0.0), 3))
                name_line = i
                break
        if name_line is not None:
            break

    def labelled_ids(lo: int, window: int | None) -> Field | None:
        rows = _nonempty(lines, lo)
        for n, i in enumerate(rows[:window] if window else rows):
            folded = fold(lines[i])
            if n and _OTHER_PERSON_RE.search(folded):
                return None  # the next person's block begins
            m = _ID_LABEL_RE.search(folded)
            if not m:
                continue
            tail = lines[i][m.end() :]
            if re.match(r"\W*(cua|of)\s+(me|cha|vo|chong|nguoi)\b", fold(tail)):
                continue  # "Số định danh cá nhân của mẹ": someone else's identifier
            nxt = _nonempty(lines, i + 1)[:1]
            ids = find_personal_ids(tail, today=today) or (find_personal_ids(lines[nxt[0]], today=today) if nxt else [])
            if len(ids) > 1 or len(re.findall(r"\d[\d.]{7,}\d", tail)) > 1:
                return None  # one row of two people's numbers (a marriage form's table), one maybe garbled
            if ids:
                return Field(ids[0].value, _conf(0.9, ids[0].repaired))
        return None

    found: Field | None = labelled_ids(name_line, 8) if name_line is not None else labelled_ids(0, None)
    if found is None and doc_type == "can_cuoc":
        # the card's machine-readable zone repeats the number under a check digit
        mrz = find_mrz_personal_id("\n".join(lines), today=today)
        ids = find_personal_ids("\n".join(lines), today=today)
        if mrz is not None:
            found = Field(mrz.value, _conf(0.85, mrz.repaired))
        elif len(ids) == 1:
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
    rows = _nonempty(lines)
    for n, i in enumerate(rows):
        line = lines[i]
        folded = fold(line)
        labelled = bool(_PROCEDURE_LABEL_RE.search(folded))
        if not labelled and "thu tuc" not in folded:
            continue  # a bare d.dddddd may be anything; only take it next to its label
        # "(mã thủ tục" at the end of a line, the code on the next one
        if n + 1 < len(rows) and re.search(r"(ma\s*(so\s*)?(thu tuc|tthc)|thu tuc)\W*$", folded):
            line = f"{line} {lines[rows[n + 1]]}"
        for m in find_procedure_codes(line):
            c = _conf(0.9 if labelled else 0.7, m.repaired)
            if proc is None or c > proc[0]:
                proc = (c, m.value)
    if proc is not None:
        out["ma_thu_tuc"] = Field(proc[1], proc[0])
    return out


def _first_title_line(lines: list[str], header_idx: list[int]) -> str | None:
    """The title of a paper of no known class ("DANH SÁCH", "SƠ YẾU LÝ LỊCH"): the first centred
    upper-case line under the header that is neither the motto nor the issuing body."""
    for i in header_idx:
        left, right = split_motto(lines[i])
        line = _strip_junk(left.strip())
        folded = fold(line)
        if right is not None or not line or _MOTTO_PART_RE.search(folded) or _SO_LABEL_RE.match(folded):
            continue
        if not is_upper_line(line) or _ORG_RE.search(folded) or find_dates(line):
            continue
        words = re.findall(r"[^\W\d_]+", line)
        if 1 <= len(words) <= 8 and all(is_syllable(w) for w in words):
            return line
    return None


def _type_name(doc_type: str, titles: list[TitleHit], has_cong_van_cues: bool, lines: list[str],
               header_idx: list[int]) -> Field | None:
    own = [t for t in titles if t.doc_type == doc_type]
    if doc_type == "ban_sao_chung_thuc":
        text = fold("\n".join(lines))
        found = re.search(r"chung thuc ban sao|ban sao dung voi ban chinh|sct\s*/\s*bs", text)
        return Field(TYPE_NAMES[doc_type], 0.7) if found else None
    if own:
        if doc_type in _WHOLE_TITLE_NAME:
            printed = _strip_junk(own[0].line)
            known = (restore_known(printed, ONE_STOP_TITLES, min_ratio=0.9, closed=True)
                     if doc_type == "phieu_mot_cua" else None)
            if known is not None:
                return Field(sentence_case(known), 0.9 if known == printed else 0.8)
            return Field(sentence_case(printed), 0.85 if _has_marks(printed) else 0.6)
        printed = sentence_case(own[0].printed)
        canonical = TYPE_NAMES.get(doc_type)
        if canonical and fold(printed) == fold(canonical) and printed != canonical:
            return Field(canonical, 0.8)  # marks lost by OCR, restored from the class name
        if fold(printed) == printed.lower():
            return Field(printed, 0.6)  # printed without any mark: probably lost by OCR
        return Field(printed, 0.9)
    if doc_type == "cong_van" and has_cong_van_cues:
        return Field("Công văn", 0.6)  # Decree 30 prints no type name on a công văn
    if doc_type == "khac":
        line = _first_title_line(lines, header_idx)
        if line is not None:
            return Field(sentence_case(line), 0.6)
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
    lexicon: Lexicon = EMPTY,
) -> dict[str, Field]:
    """Metadata of one document; keys are those of DOMAIN.md, absent when not read.

    ``pages`` (with OCR word boxes) lets the header and signature be read by column; ``lexicon``
    holds names reviewers corrected (pipeline/corrections.py), used to restore OCR-damaged ones."""
    today = today or date.today()
    norm = normalize(text)
    # Page breaks become their own marker line so line indices stay global and the signature
    # search can find the last page.
    lines = norm.replace("\f", "\n\f\n").split("\n")
    first_page_end = lines.index("\f") if "\f" in lines else len(lines)
    header_idx = _nonempty(lines, 0, first_page_end)[:_HEADER_ZONE]
    header = "\n".join(lines[i] for i in header_idx)
    titles = find_titles(norm)
    first = pages[0] if pages else None

    out: dict[str, Field] = {}
    if doc_type == "ban_sao_chung_thuc":
        out.update(_certification(lines, today))  # the copied paper's own header is not the copy's
    else:
        out.update(_doc_number(header, doc_type, titles))
        if doc_type == "gcn_qsdd" and (serial := _land_serial(lines, titles)) is not None:
            out["so"] = serial
        issued = _issue_date(lines[:first_page_end] if doc_type not in _PERSONAL else lines, header_idx, today)
        if issued is not None:
            out["ngay_ban_hanh"] = issued[0]
            if issued[1] is not None:
                place = restore_known(issued[1].value, lexicon.places) if lexicon.places else None
                out["dia_danh"] = Field(place, 0.8) if place and place != issued[1].value else issued[1]
        if doc_type not in _NO_BODY:
            left, from_boxes = _header_lines(lines[:first_page_end], first)
            body = _issuing_body(left, titles, _context_places(norm, lexicon), lexicon, from_boxes)
            if body is not None:
                out["co_quan_ban_hanh"] = body
    abstract = _abstract(lines, doc_type, titles, header_idx, today)
    if abstract is not None:
        out["trich_yeu"] = abstract
    if doc_type not in _NO_SIGNER:
        out.update(_signature_of(lines, pages, lexicon))
    if doc_type in _PERSONAL:
        out.update(_citizen(lines, doc_type, today))
    elif doc_type in _SUBJECT_IN_TEXT:
        out.update(_subject_in_text(lines, today))
    out.update(_codes(lines, dossier_pattern))
    cong_van_cues = "so_ky_hieu" in out or (abstract is not None and abstract.value.startswith("V/v"))
    name = _type_name(doc_type, titles, cong_van_cues, lines, header_idx)
    if name is not None:
        out["ten_loai"] = name
    if page_count is not None and page_count > 0:
        out["so_trang"] = Field(str(page_count), 1.0)
    lang = _language(norm)
    if lang is not None:
        out["ngon_ngu"] = lang
    return out
