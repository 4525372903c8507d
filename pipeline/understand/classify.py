"""Rule-based document classification over the classes of DOMAIN.md, title first.

Every class has three kinds of cue: a title line near the top of the first page (weighted by its
position and by how many title lines came before it), the type abbreviation of the ``Số:`` symbol,
and body phrases (some negative: a result never says ``Tôi cam đoan``). Matching runs on folded text
so OCR that lost the tone marks still matches. The confidence combines the winner's strength, its
margin over the runner-up and whether cues of different kinds agree, so one cue alone never gives a
confident answer.

The printed title (and the symbol's type abbreviation) says what a document is; body boilerplate is
shared by several classes (the requester block, "Tôi cam đoan …" and "Kính gửi" are on tờ khai, đơn
and giấy ủy quyền alike) and must not outvote it. `settle` applies that to any candidate answer, the
rules' or the learned model's: when the title (or the symbol) names another class than the body's
reading, the title's class is kept, its confidence is what the evidence gives that class, and the
answer is marked as a conflict with both readings in its cues, for a person to decide. The one
exception is a certified copy, whose title is the copied paper's.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from pipeline.catalogue import DOC_TYPES
from pipeline.vn.codes import find_doc_numbers, find_dossier_codes, find_personal_ids
from pipeline.vn.text import fold, is_upper_line, normalize, split_motto


@dataclass(frozen=True)
class Classification:
    doc_type: str  # a code of DOC_TYPES, "khac" when nothing fits
    confidence: float  # 0..1
    cues: tuple[str, ...]  # human-readable reasons, strongest first
    title: str | None = None  # the class the printed title (or the symbol's type) names, if any
    body: str | None = None  # the class the rest of the page reads as, when it is not the title's
    conflict: bool = False  # title and body (or title and symbol) disagree: a person must look


@dataclass(frozen=True)
class _Spec:
    # Folded regexes anchored at the start of a title line (after the header's left column).
    titles: tuple[str, ...] = ()
    # (folded regex searched in the whole folded text, weight, label for the cue)
    phrases: tuple[tuple[str, float, str], ...] = field(default_factory=tuple)


# Order matters only for readability; overlapping titles are resolved by the longest match, so
# "TỜ KHAI ĐĂNG KÝ KHAI SINH" is a tờ khai (prefix "to khai") and never a giấy khai sinh (whose
# title must *start* with "giay khai sinh").
_SPECS: dict[str, _Spec] = {
    "quyet_dinh": _Spec(
        (r"[qo]uyet dinh\b",),  # "OUYẾT ĐỊNH": a bold Q whose tail OCR lost; no word folds to "ouyet"
        (
            (r"^\s*can cu\b", 0.6, "Căn cứ"),
            (r"^\s*dieu\s*1\s*[.:]", 1.0, "Điều 1."),
            (r"quyet dinh nay co hieu luc", 1.0, "Quyết định này có hiệu lực"),
            (r"chiu trach nhiem thi hanh quyet dinh", 0.8, "chịu trách nhiệm thi hành"),
        ),
    ),
    "chi_thi": _Spec((r"chi thi\b",), ((r"chi thi nay", 0.8, "Chỉ thị này"),)),
    "nghi_quyet": _Spec(
        (r"nghi quyet\b",),
        (
            (r"hoi dong nhan dan", 0.8, "Hội đồng nhân dân"),
            (r"^\s*quyet nghi\s*:", 1.2, "QUYẾT NGHỊ:"),
            (r"nghi quyet nay", 0.8, "Nghị quyết này"),
            (r"ky hop thu", 0.6, "Kỳ họp thứ"),
        ),
    ),
    "huong_dan": _Spec((r"huong dan\b",), ((r"huong dan nay", 0.6, "Hướng dẫn này"),)),
    "cong_van": _Spec(
        (),
        (
            # A công văn prints no title; its V/v abstract under the number plays that part.
            (r"^[^\n]{0,40}\bv\s*[/l|1]\s*v\b", 2.0, "V/v"),
            (r"kinh gui\s*:", 0.8, "Kính gửi:"),
            (r"^\W*nhu tren\s*[;,.]", 0.6, "Như trên"),
            (r"\btran trong\b", 0.3, "trân trọng"),
        ),
    ),
    "thong_bao": _Spec(
        (r"thong bao\b",),
        ((r"(xin|tran trong|kinh) thong bao", 0.6, "trân trọng thông báo"),),
    ),
    "to_trinh": _Spec(
        (r"to trinh\b",),
        (
            (r"kinh trinh", 1.0, "Kính trình"),
            (r"xem xet,? phe duyet", 0.5, "xem xét, phê duyệt"),
        ),
    ),
    "bao_cao": _Spec(
        (r"bao cao\b",),
        (
            (r"ket qua thuc hien", 0.4, "kết quả thực hiện"),
            (r"phuong huong,? nhiem vu", 0.5, "phương hướng, nhiệm vụ"),
            (r"tinh hinh", 0.2, "tình hình"),
        ),
    ),
    "ke_hoach": _Spec(
        (r"ke hoach\b",),
        (
            (r"muc dich,? yeu cau", 1.0, "Mục đích, yêu cầu"),
            (r"to chuc thuc hien", 0.4, "Tổ chức thực hiện"),
            (r"kinh phi thuc hien", 0.4, "Kinh phí thực hiện"),
        ),
    ),
    "bien_ban": _Spec(
        (r"bien ban\b",),
        (
            (r"thanh phan tham du", 1.2, "Thành phần tham dự"),
            (r"thoi gian bat dau", 1.0, "Thời gian bắt đầu"),
            (r"bien ban (ket thuc|duoc lap)", 0.8, "Biên bản kết thúc"),
            (r"\bchu tri\b", 0.3, "chủ trì"),
            (r"\bthu ky\b", 0.3, "thư ký"),
        ),
    ),
    "giay_moi": _Spec(
        (r"giay moi\b", r"giay gioi thieu\b", r"thu moi\b"),
        (
            (r"tran trong kinh moi", 1.5, "trân trọng kính mời"),
            (r"tran trong gioi thieu", 1.2, "trân trọng giới thiệu"),
            (r"^\W*thoi gian\s*:", 0.3, "Thời gian:"),
            (r"^\W*dia diem\s*:", 0.3, "Địa điểm:"),
        ),
    ),
    "giay_uy_quyen": _Spec(
        (r"giay uy quyen\b",),
        (
            (r"ben uy quyen", 1.0, "Bên ủy quyền"),
            (r"ben duoc uy quyen", 1.0, "Bên được ủy quyền"),
            (r"(noi dung|pham vi) uy quyen", 0.8, "Nội dung ủy quyền"),
            (r"thoi han uy quyen", 0.6, "Thời hạn ủy quyền"),
        ),
    ),
    "hop_dong": _Spec(
        (r"hop dong\b",),
        (
            (r"\bben a\b", 1.0, "Bên A"),
            (r"\bben b\b", 1.0, "Bên B"),
            (r"hai ben", 0.4, "hai bên"),
            (r"dai dien ben", 0.4, "Đại diện bên"),
        ),
    ),
    "to_khai": _Spec(
        (r"to khai\b",),
        (
            (r"toi (xin )?cam doan", 1.5, "Tôi cam đoan"),
            (r"nguoi yeu cau", 0.6, "người yêu cầu"),
            (r"de nghi (co quan|cap)", 0.5, "Đề nghị cơ quan"),
            (r"kinh gui\s*:", 0.3, "Kính gửi:"),
            (r"^\W*lam tai\b", 0.5, "Làm tại"),
        ),
    ),
    "don": _Spec(
        # "GIẤY ĐỀ NGHỊ …" is an application as much as an "ĐƠN ĐỀ NGHỊ …"; "ĐƠN VỊ" is not one.
        (r"don\b(?! vi\b)", r"giay de nghi\b"),
        (
            (r"kinh gui\s*:", 0.6, "Kính gửi:"),
            (r"toi ten la", 1.0, "Tôi tên là"),
            (r"nguoi (lam|viet) don", 1.2, "Người làm đơn"),
            (r"xin chan thanh cam on", 0.6, "Xin chân thành cảm ơn"),
            (r"^\W*ly do\b", 0.3, "Lý do"),
        ),
    ),
    "giay_khai_sinh": _Spec(
        (r"(ban sao )?giay khai sinh\b",),
        (
            (r"so dinh danh ca nhan", 0.6, "Số định danh cá nhân"),
            (r"^\W*noi sinh\s*:", 0.8, "Nơi sinh:"),
            (r"noi dang ky khai sinh", 0.8, "Nơi đăng ký khai sinh"),
            (r"^\W*que quan\s*:", 0.3, "Quê quán:"),
            # A result never carries the applicant's pledge: this is a tờ khai quoting the fields.
            (r"toi (xin )?cam doan", -1.5, "not:Tôi cam đoan"),
            (r"nguoi yeu cau", -0.6, "not:người yêu cầu"),
        ),
    ),
    "trich_luc_ho_tich": _Spec(
        (r"(ban sao )?trich luc\b",),
        (
            (r"so ho tich", 0.8, "Sổ hộ tịch"),
            (r"quyen so\s*:", 0.6, "Quyển số:"),
            (r"toi (xin )?cam doan", -1.5, "not:Tôi cam đoan"),
        ),
    ),
    "gcn_ket_hon": _Spec(
        (r"giay chung nhan ket hon\b",),
        (
            (r"\b(ten|ho,? chu dem,? ten) vo\b|^\W*vo\s*:", 0.8, "block: vợ"),
            (r"\b(ten|ho,? chu dem,? ten) chong\b|^\W*chong\s*:", 0.8, "block: chồng"),
            (r"toi (xin )?cam doan", -1.5, "not:Tôi cam đoan"),
        ),
    ),
    "xac_nhan_tthn": _Spec(
        (r"giay xac nhan tinh trang hon nhan\b",),
        (
            (r"tinh trang hon nhan\s*:", 1.0, "Tình trạng hôn nhân:"),
            (r"muc dich su dung", 0.6, "Mục đích sử dụng"),
            (r"toi (xin )?cam doan", -1.5, "not:Tôi cam đoan"),
        ),
    ),
    "giay_chung_sinh": _Spec(
        (r"giay chung sinh\b",),
        (
            (r"\bbenh vien\b|tram y te|trung tam y te", 0.6, "hospital header"),
            (r"nguoi do de", 0.8, "Người đỡ đẻ"),
            (r"can nang", 0.6, "Cân nặng"),
            (r"\bda sinh\b|sinh con", 0.4, "đã sinh con"),
        ),
    ),
    "giay_bao_tu": _Spec(
        (r"giay bao tu\b",),
        (
            (r"da (chet|tu vong|tu tran)", 1.0, "đã chết"),
            (r"nguyen nhan (chet|tu vong)", 1.0, "Nguyên nhân chết"),
        ),
    ),
    "ban_sao_chung_thuc": _Spec(
        (),
        (
            # The certification stamp outweighs the title of the copied document: the page is a
            # certified copy whatever it is a copy of.
            # (its last word often wraps, after a stray dot OCR read: "ĐÚNG VỚI BẢN." / "CHÍNH")
            (r"chung thuc ban sao dung voi ban[\s.,]{1,4}chinh", 4.0, "Chứng thực bản sao đúng với bản chính"),
            (r"\bsct\s*/\s*bs\b", 2.0, "SCT/BS"),
            (r"so chung thuc\s*:", 0.6, "Số chứng thực:"),
        ),
    ),
    "gcn_qsdd": _Spec(
        (r"giay chung nhan quyen su dung dat\b",),
        (
            (r"thua dat so", 1.0, "Thửa đất số"),
            (r"to ban do so", 1.0, "Tờ bản đồ số"),
            (r"nguon goc su dung", 0.6, "Nguồn gốc sử dụng"),
        ),
    ),
    "giay_phep_xay_dung": _Spec(
        (r"giay phep xay dung\b",),
        (
            (r"dien tich xay dung", 0.6, "Diện tích xây dựng"),
            (r"cot nen", 0.5, "Cốt nền"),
            (r"chi gioi (xay dung|duong do)", 0.6, "Chỉ giới"),
            (r"giay phep nay co hieu luc", 0.6, "Giấy phép này có hiệu lực"),
        ),
    ),
    "gcn_ho_kinh_doanh": _Spec(
        (r"giay chung nhan dang ky ho kinh doanh\b",),
        (
            (r"ma so ho kinh doanh", 1.5, "Mã số hộ kinh doanh"),
            (r"nganh,? nghe kinh doanh", 0.6, "Ngành, nghề kinh doanh"),
            (r"von kinh doanh", 0.5, "Vốn kinh doanh"),
        ),
    ),
    "can_cuoc": _Spec(
        (r"(the )?can cuoc( cong dan)?\b",),
        (
            (r"idvnm", 2.0, "IDVNM"),
            (r"citizen identity|identity card", 1.0, "Identity Card"),
            (r"date of expiry|co gia tri den", 0.5, "Date of expiry"),
            (r"place of (origin|residence)", 0.6, "Place of origin"),
            (r"dac diem nhan dang", 0.6, "Đặc điểm nhận dạng"),
        ),
    ),
    "phieu_mot_cua": _Spec(
        (
            r"giay tiep nhan ho so\b",
            r"phieu (yeu cau )?bo sung\b",
            r"phieu tu choi\b",
            r"phieu xin loi\b",
            r"phieu kiem soat qua trinh\b",
            r"phieu huong dan\b",
            r"giay bien nhan\b",
            r"(giay|phieu) ban giao (ho so|ket qua)\b",
        ),
        (
            (r"ma ho so\s*:", 1.2, "Mã hồ sơ"),
            (r"hen tra ket qua", 0.8, "hẹn trả kết quả"),
            (r"bo phan (tiep nhan va tra ket qua|mot cua)", 0.6, "Bộ phận một cửa"),
            (r"tiep nhan ho so cua", 0.8, "Tiếp nhận hồ sơ của"),
        ),
    ),
    "bien_lai": _Spec(
        (r"bien lai\b",),
        (
            (r"\b(le phi|thu phi)\b", 0.6, "lệ phí"),
            (r"so tien\b", 0.5, "Số tiền"),
            (r"bang chu\s*:", 0.5, "Bằng chữ:"),
            (r"nguoi nop (tien|phi)", 0.8, "Người nộp tiền"),
        ),
    ),
    # Titles of papers that are none of the classes: the kinds of administrative document Decree 30/2020
    # (Art. 7) names beside those above, and the lists, forms and letters offices print with them.
    "khac": _Spec(
        (
            r"quy (che|dinh)\b", r"noi quy\b", r"thong cao\b", r"chuong trinh\b", r"phuong an\b", r"de an\b",
            r"du an\b", r"cong dien\b", r"ban ghi nho\b", r"(van )?ban thoa thuan\b", r"giay nghi phep\b",
            r"phieu (gui|chuyen|bao|trinh|de xuat|xu ly|lay y kien)\b", r"thu (cong|cam on|ngo)\b",
            r"danh sach\b", r"bang (ke|tong hop|diem)\b", r"so yeu ly lich\b", r"(bang|giay) khen\b",
            r"giay xac nhan\b", r"lich (cong tac|tiep)\b",
        ),
    ),
}

_TITLE_WEIGHT = 3.0
_SYMBOL_WEIGHT = 2.0
_NO_TYPE_SYMBOL_WEIGHT = 2.0
_TITLE_ZONE = 25  # non-empty lines of the first page searched for titles
HEADER_ZONE = 12  # non-empty lines of the first page searched for the Số: symbol
_MIN_SCORE = 1.5  # below this no class is claimed

_COMPILED_TITLES = {c: [re.compile(p) for p in s.titles] for c, s in _SPECS.items()}
_COMPILED_PHRASES = {
    c: [(re.compile(p, re.MULTILINE), w, label) for p, w, label in s.phrases] for c, s in _SPECS.items()
}


@dataclass(frozen=True)
class TitleHit:
    doc_type: str
    line_no: int  # index into text.split("\n") of the normalised text
    rank: int  # index among non-empty lines of the first page
    printed: str  # the matched type name as printed, e.g. "QUYẾT ĐỊNH"
    line: str  # the whole (left-column) title line


def _drop_speck(left: str) -> str:
    """"ụ TỜ KHAI": a speck before the title read as a lone small letter; a lone capital may be a list's "A"."""
    head, _, rest = left.lstrip().partition(" ")
    if len(head) == 1 and head.islower() and rest[:2].isupper():
        return rest
    return left


def _title_candidate(line: str) -> tuple[str, int] | None:
    """The left column of an upper-case line and the offset of its first letter, else None."""
    left, _ = split_motto(line)
    left = _drop_speck(left.rstrip())
    # "- KẾ HOẠCH" under "PHÒNG TÀI CHÍNH" is the rest of a body's name broken over two lines, not a title.
    if left.lstrip()[:1] in ("-", "–", "—") or not is_upper_line(left, min_letters=3):
        return None
    start = next((i for i, ch in enumerate(left) if ch.isalpha()), None)
    return (left, start) if start is not None else None


def title_lines(text: str) -> list[str]:
    """The upper-case lines (their left column) at the top of the first page, where titles are."""
    first_page = normalize(text).split("\f", 1)[0]
    lines = [ln for ln in first_page.split("\n") if ln.strip()][:_TITLE_ZONE]
    return [cand[0][cand[1]:] for ln in lines if (cand := _title_candidate(ln)) is not None]


def find_titles(text: str) -> list[TitleHit]:
    """Title lines of the first page that name a class, in reading order."""
    norm = normalize(text)
    first_page = norm.split("\f", 1)[0]
    hits: list[TitleHit] = []
    rank = 0
    for line_no, raw in enumerate(first_page.split("\n")):
        if not raw.strip():
            continue
        if rank >= _TITLE_ZONE:
            break
        cand = _title_candidate(raw)
        if cand is not None:
            left, start = cand
            folded = fold(left)
            # Template collections print "MẪU ĐƠN …", "MẪU SƠ YẾU LÝ LỊCH": the title follows the word.
            if (m_mau := re.match(r"mau\s+(?!so\s*[\d:])", folded[start:])) is not None:
                start += m_mau.end()
            best: tuple[int, str] | None = None
            for doc_type, patterns in _COMPILED_TITLES.items():
                for rx in patterns:
                    m = rx.match(folded, start)
                    if m and (best is None or m.end() > best[0]):
                        best = (m.end(), doc_type)
            if best is not None:
                end, doc_type = best
                hits.append(TitleHit(doc_type, line_no, rank, left[start:end].strip(), left[start:].strip()))
        rank += 1
    return hits


def _position_factor(rank: int) -> float:
    # A Decree 30 title sits below a header of 3–8 lines; further down it is more likely a quote.
    return 1.0 if rank <= 10 else max(0.3, 1.0 - 0.07 * (rank - 10))


def _scores(text: str) -> dict[str, list[tuple[float, str, str]]]:
    """Per class: (weight, kind, cue label)."""
    norm = normalize(text)
    folded = fold(norm)
    cues: dict[str, list[tuple[float, str, str]]] = {c: [] for c in _SPECS}

    for order, hit in enumerate(find_titles(norm)):
        weight = _TITLE_WEIGHT * _position_factor(hit.rank) / (1 + order)
        cues[hit.doc_type].append((weight, "title", f"title:{hit.line[:60]}"))

    first_page = norm.split("\f", 1)[0]
    header = "\n".join([ln for ln in first_page.split("\n") if ln.strip()][:HEADER_ZONE])
    numbers = find_doc_numbers(header)
    if numbers:
        dn = numbers[0]
        if dn.type_abbr is not None and dn.doc_type is not None:
            cues[dn.doc_type].append((_SYMBOL_WEIGHT, "symbol", f"symbol:/{dn.type_abbr}-"))
        elif dn.type_abbr is None:
            label = f"symbol:no type abbr ({dn.so_ky_hieu})"
            cues["cong_van"].append((_NO_TYPE_SYMBOL_WEIGHT, "symbol", label))

    for doc_type, phrases in _COMPILED_PHRASES.items():
        for rx, weight, label in phrases:
            if rx.search(folded):
                cues[doc_type].append((weight, "phrase", f"phrase:{label}"))

    # Computed cues: a valid dossier code is what a one-stop slip is for; a valid identifier with
    # no other personal field around it is what an identity card shows.
    if find_dossier_codes(norm):
        cues["phieu_mot_cua"].append((0.6, "code", "code:dossier code"))
    if find_personal_ids(norm) and re.search(r"\b(so|no)\b", folded):
        cues["can_cuoc"].append((0.3, "code", "code:12-digit identifier"))
    return cues


def _confidence(cues: dict[str, list[tuple[float, str, str]]], totals: dict[str, float], best: str) -> float:
    """How sure the rules are of `best`: its strength, its margin over the strongest other class (none
    when another is stronger) and whether cues of different kinds agree."""
    top = totals[best]
    if top <= 0:
        return 0.0
    second = max((t for c, t in totals.items() if c != best), default=0.0)
    positive = [(w, kind, label) for w, kind, label in cues[best] if w > 0]
    kinds = {kind for _, kind, _ in positive}
    agreement = 0.6 if len(positive) == 1 else 0.8 if len(kinds) == 1 else 1.0
    strength = 1.0 - math.exp(-top / 3.5)
    margin = max(0.0, (top - max(second, 0.0)) / top)
    return max(0.0, min(1.0, strength * (0.35 + 0.65 * margin) * agreement))


def _rules(text: str) -> tuple[Classification, dict[str, float]]:
    """The rules' answer before the title-first check, and their confidence in each class."""
    cues = _scores(text)
    totals = {c: sum(w for w, _, _ in items) for c, items in cues.items()}
    if certified(cues):
        # The certification stamp makes the page a certified copy; the copied document's own title
        # and fields describe the original, so they count for less than on an original.
        totals = {c: t if c == "ban_sao_chung_thuc" else t / 2 for c, t in totals.items()}
    ranked = sorted(totals.items(), key=lambda kv: kv[1], reverse=True)
    (best, top), (runner_up, second) = ranked[0], ranked[1]
    each = {c: round(_confidence(cues, totals, c), 3) for c, t in totals.items() if t > 0}
    if top < _MIN_SCORE:
        weak = tuple(label for items in cues.values() for w, _, label in items if w > 0)
        return Classification("khac", 0.1 if not weak else 0.15, weak), each
    labels = [label for _, _, label in sorted(cues[best], key=lambda t: -t[0])]
    margin = (top - max(second, 0.0)) / top
    if second > 0 and margin < 0.5:
        labels.append(f"runner-up:{runner_up}")
    return Classification(best, each[best], tuple(labels)), each


def certified(cues: dict[str, list[tuple[float, str, str]]]) -> bool:
    return any(label.startswith("phrase:Chứng thực bản sao") for _, _, label in cues["ban_sao_chung_thuc"])


def classify(text: str) -> Classification:
    """The rules' class, title first (`settle`)."""
    candidate, each = _rules(text)
    return settle(candidate, title_reading(text), lambda c: each.get(c, 0.0))


# --- title first ------------------------------------------------------------------------------------
TITLE_RANK = 12  # a title further down than this many non-empty lines is not the document's own


@dataclass(frozen=True)
class TitleReading:
    """What the top of the first page says the document is."""

    title: str | None  # the class its printed title names
    printed: str | None  # that title line as printed
    symbol: str | None  # the class the Số: symbol's type abbreviation names
    symbol_text: str | None  # e.g. "/QĐ-"
    certified: bool  # the page carries the stamp of a certified copy

    @property
    def first(self) -> str | None:
        """The class the title says, else the symbol's."""
        return self.title or self.symbol


def title_reading(text: str) -> TitleReading:
    norm = normalize(text)
    hits = [h for h in find_titles(norm) if h.rank <= TITLE_RANK]
    hit = hits[0] if hits else None
    first_page = norm.split("\f", 1)[0]
    header = "\n".join([ln for ln in first_page.split("\n") if ln.strip()][:HEADER_ZONE])
    symbol = symbol_text = None
    for line in header.split("\n"):
        # The header's own number, not a citation in a sentence ("Thực hiện Kế hoạch số 25/KH-…"): nothing
        # in lower case before it on its line.
        numbers = [dn for dn in find_doc_numbers(line) if not any(ch.islower() for ch in line[: dn.start])]
        if numbers:
            dn = numbers[0]
            if dn.type_abbr is not None and dn.doc_type not in (None, "cong_van"):
                symbol, symbol_text = dn.doc_type, f"/{dn.type_abbr}-"
            break
    stamp = bool(_COMPILED_PHRASES["ban_sao_chung_thuc"][0][0].search(fold(norm)))
    return TitleReading(hit.doc_type if hit else None, hit.line[:80] if hit else None, symbol, symbol_text, stamp)


def settle(candidate: Classification, reading: TitleReading, probability: Callable[[str], float]) -> Classification:
    """Title first: `candidate` (the rules' or the model's answer) stands when the title and the symbol
    agree with it; else the title's class is taken, with the confidence `probability` gives it, and the
    answer is a conflict carrying both readings in its cues. A certified copy is exempt: its title is
    the copied paper's."""
    first = reading.first
    if first is None:
        return candidate
    if reading.certified and candidate.doc_type == "ban_sao_chung_thuc":
        return replace(candidate, title=first)
    split_header = reading.title is not None and reading.symbol is not None and reading.symbol != reading.title
    if candidate.doc_type == first and not split_header:
        return replace(candidate, title=first)
    said = []
    if reading.title is not None:
        said.append(f"title {reading.printed!r} says {reading.title}")
    if reading.symbol is not None:
        said.append(f"symbol {reading.symbol_text} says {reading.symbol}")
    body = candidate.doc_type if candidate.doc_type != first else None
    if body is not None:
        said.append(f"the body reads {body} ({candidate.confidence:.2f})")
    conf = round(min(probability(first), candidate.confidence), 3)
    cues = (f"conflict: {'; '.join(said)}", *(c for c in candidate.cues if not c.startswith("runner-up:")))
    return Classification(first, conf, cues, title=first, body=body or reading.symbol, conflict=True)


# --- cue features for the statistical model ---------------------------------------------------------
CUE_KINDS: tuple[str, ...] = ("title", "symbol", "phrase", "code")


def cue_features(text: str) -> list[float]:
    """The rule cues as numbers: per class and per kind of cue, the summed weight (negative cues
    included). The learned model weighs them beside the character n-grams, so a class is never
    decided by one kind of cue alone and a damaged title can be outvoted by the rest of the page."""
    cues = _scores(text)
    out: list[float] = []
    for doc_type in DOC_TYPES:
        items = cues.get(doc_type, [])
        for kind in CUE_KINDS:
            out.append(sum(w for w, k, _ in items if k == kind))
    return out
