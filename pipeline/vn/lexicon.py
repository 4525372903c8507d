"""Vietnamese administrative vocabulary, and repairs of OCR-damaged words against it.

OCR of bold capitals loses or swaps tone marks (``UY BAN NHÂN DẪN``, ``PHƯỜNG ĐÓNG HƠI``,
``TĨNH QUẢNG TRỊ``) and damages the first letters of a name under a signature (``guyễn``,
``PHán``). Folded text (no marks, lower case) still matches the word that was printed, so a word
is put back when its folded form names exactly one entry of a vocabulary: the words of unit names
(ỦY BAN NHÂN DÂN, SỞ, PHÒNG …), provinces, position titles, family names, the forms of Decree
61/2018, plus what a document itself spells cleanly elsewhere (place names in running text) and
what reviewers corrected (``Lexicon``). A word that matches nothing, or more than one entry, is
left as read.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from pipeline.vn.text import fold, nfc

# The 34 provinces and cities since 12 June 2025, then the former ones that documents issued
# before the merger (and addresses) still name.
PROVINCES: tuple[str, ...] = (
    "HÀ NỘI", "HUẾ", "LAI CHÂU", "ĐIỆN BIÊN", "SƠN LA", "LẠNG SƠN", "QUẢNG NINH", "THANH HÓA", "NGHỆ AN",
    "HÀ TĨNH", "CAO BẰNG", "TUYÊN QUANG", "LÀO CAI", "THÁI NGUYÊN", "PHÚ THỌ", "BẮC NINH", "HƯNG YÊN",
    "HẢI PHÒNG", "NINH BÌNH", "QUẢNG TRỊ", "ĐÀ NẴNG", "QUẢNG NGÃI", "GIA LAI", "KHÁNH HÒA", "LÂM ĐỒNG",
    "ĐẮK LẮK", "HỒ CHÍ MINH", "ĐỒNG NAI", "TÂY NINH", "CẦN THƠ", "VĨNH LONG", "ĐỒNG THÁP", "CÀ MAU",
    "AN GIANG",
    "HÀ GIANG", "YÊN BÁI", "BẮC KẠN", "BẮC GIANG", "HÒA BÌNH", "VĨNH PHÚC", "HẢI DƯƠNG", "THÁI BÌNH",
    "HÀ NAM", "NAM ĐỊNH", "QUẢNG BÌNH", "THỪA THIÊN HUẾ", "QUẢNG NAM", "KON TUM", "BÌNH ĐỊNH", "PHÚ YÊN",
    "NINH THUẬN", "BÌNH THUẬN", "ĐẮK NÔNG", "BÌNH PHƯỚC", "BÌNH DƯƠNG", "BÀ RỊA - VŨNG TÀU", "LONG AN",
    "TIỀN GIANG", "BẾN TRE", "TRÀ VINH", "HẬU GIANG", "SÓC TRĂNG", "BẠC LIÊU", "KIÊN GIANG",
)

# Words and phrases of unit names and their headers (Decree 30 header, one-stop desks, health and
# police units). Longest phrases win, so "HÀ TĨNH" is never read as "HÀ TỈNH".
UNIT_PHRASES: tuple[str, ...] = (
    "ỦY BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN", "UBND", "HĐND", "TỈNH", "THÀNH PHỐ", "XÃ", "PHƯỜNG", "ĐẶC KHU",
    "HUYỆN", "QUẬN", "THỊ XÃ", "THỊ TRẤN", "SỞ", "PHÒNG", "VĂN PHÒNG", "TRUNG TÂM", "BỘ PHẬN", "BAN",
    "BỆNH VIỆN", "BỆNH VIỆN ĐA KHOA", "TRUNG TÂM Y TẾ", "TRẠM Y TẾ", "KHU VỰC", "Y TẾ", "HỮU NGHỊ",
    "VIỆT NAM", "CÔNG AN", "TƯ PHÁP", "NỘI VỤ", "TÀI CHÍNH", "KẾ HOẠCH", "KINH TẾ", "VĂN HÓA - XÃ HỘI",
    "XÃ HỘI", "VĂN HÓA", "XÂY DỰNG", "TÀI NGUYÊN VÀ MÔI TRƯỜNG", "NÔNG NGHIỆP VÀ MÔI TRƯỜNG",
    "GIÁO DỤC VÀ ĐÀO TẠO", "LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "KINH TẾ, HẠ TẦNG VÀ ĐÔ THỊ",
    "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG", "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ", "BỘ PHẬN MỘT CỬA",
    "VĂN PHÒNG HĐND VÀ UBND", "VĂN PHÒNG ĐĂNG KÝ ĐẤT ĐAI", "CHI NHÁNH", "BẢO HIỂM XÃ HỘI",
    "KHO BẠC NHÀ NƯỚC", "CHI CỤC THUẾ", "ĐẢNG ỦY", "MẶT TRẬN TỔ QUỐC", "CỤC CẢNH SÁT",
    "THÔNG TIN VÀ TRUYỀN THÔNG", "KHOA HỌC VÀ CÔNG NGHỆ", "GIAO THÔNG VẬN TẢI", "CÔNG THƯƠNG", "NGOẠI VỤ",
    "DÂN TỘC", "TÔN GIÁO", "THANH TRA", "DU LỊCH", "VĂN HÓA, THỂ THAO VÀ DU LỊCH", "KẾ HOẠCH VÀ ĐẦU TƯ",
    "NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN", "BAN TIẾP CÔNG DÂN", "BAN QUẢN LÝ", "BAN CHỈ ĐẠO", "ĐOÀN TNCS",
    "HỒ CHÍ MINH", "ĐẠI HỌC", "QUỐC GIA",
    "QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI", "TRƯỜNG", "TIỂU HỌC", "TRUNG HỌC CƠ SỞ", "MẦM NON",
)

# Two-word phrases of abstracts ("trích yếu") whose marks tesseract often gets wrong (ô for ổ/ố, ê for
# ế, ỗ for ổ): folded, each says only itself in administrative writing, so a pair read with other
# marks ("bô sung", "công bô", "kê hoạch") is put back. Pairs that fold like another real phrase are
# left out on purpose.
ADMIN_BIGRAMS: tuple[str, ...] = (
    "bổ sung", "công bố", "một số", "phổ thông", "kế hoạch", "đổi tên", "buổi làm", "dột nát", "số điều",
    "tổ chức", "hồ sơ", "thủ tục", "quy định", "địa bàn", "tổng thể", "phát triển", "tăng cường", "triển khai",
    "thực hiện", "sửa đổi", "nội dung", "nhiệm vụ", "kết quả", "báo cáo", "đề nghị", "ủy ban", "nhân dân",
    "hội đồng", "chủ tịch", "giải quyết", "hướng dẫn", "rà soát", "tổ dân phố", "cải cách", "hành chính",
    "đầu tư", "xây dựng", "quản lý", "phòng, chống", "thiên tai", "mùa mưa", "dự toán", "ngân sách",
    "điều chỉnh", "đơn vị", "cổ phần", "trọng tâm", "dịch vụ", "viễn thông", "công ích", "tốt nghiệp",
    "miễn nhiệm", "bãi bỏ", "nghị quyết", "quyết định", "chỉ thị", "thông báo", "tờ trình", "phê duyệt",
    "tình hình", "kinh tế", "xã hội", "đồng bào", "dân tộc", "thiểu số", "miền núi", "giảm nghèo", "bền vững",
    "chương trình", "mục tiêu", "quốc gia", "hóa đơn", "điện tử", "nộp thuế", "tiết kiệm", "an toàn",
    # "chi" (to spend) read with a hook ("mức chỉ", "thu, chỉ ngân sách"): no "chỉ" fits after "mức" or "thu,"
    "mức chi", "thu, chi", "chi trả", "chi phí",
)

# Titles a signer holds, without the KT./TM./TL./TUQ./Q. that may precede them (Decree 30, art. 13).
POSITION_TITLES: tuple[str, ...] = (
    "CHỦ TỊCH", "PHÓ CHỦ TỊCH", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG",
    "TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG", "TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "TRƯỞNG CÔNG AN", "PHÓ TRƯỞNG CÔNG AN",
    "CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG", "CHI CỤC TRƯỞNG", "VIỆN TRƯỞNG", "CHÁNH ÁN", "BÍ THƯ", "PHÓ BÍ THƯ",
    "HIỆU TRƯỞNG", "PHÓ HIỆU TRƯỞNG", "TRƯỞNG TRẠM", "THỦ TRƯỞNG CƠ SỞ", "THỦ TRƯỞNG ĐƠN VỊ", "KẾ TOÁN TRƯỞNG",
    "CÔNG CHỨC TƯ PHÁP - HỘ TỊCH", "CHỦ TRÌ", "THƯ KÝ", "CHỦ TỌA", "CHỦ TỌA ĐẠI HỘI", "THƯ KÝ ĐẠI HỘI",
    "CHỦ TỌA CUỘC HỌP", "THƯ KÝ CUỘC HỌP", "NGƯỜI KÝ TRÍCH LỤC", "NGƯỜI LẬP BIỂU",
    "NGƯỜI TIẾP NHẬN HỒ SƠ", "NGƯỜI THU TIỀN", "ĐẠI DIỆN BÊN A", "ĐẠI DIỆN BÊN B", "BÊN ỦY QUYỀN",
    "BÊN ĐƯỢC ỦY QUYỀN", "NGƯỜI YÊU CẦU", "NGƯỜI LÀM ĐƠN", "NGƯỜI KHAI", "NGƯỜI ĐẠI DIỆN", "NGƯỜI NỘP HỒ SƠ",
    "NGƯỜI NỘP TIỀN", "NGƯỜI ĐỠ ĐẺ", "NGƯỜI TỪ CHỐI", "NGƯỜI TRẢ KẾT QUẢ", "NGƯỜI NHẬN KẾT QUẢ", "NGƯỜI HƯỚNG DẪN",
    "NGƯỜI ĐỀ NGHỊ", "NGƯỜI KHỞI KIỆN", "NGƯỜI THÔNG BÁO", "NGƯỜI KÊ KHAI", "NGƯỜI ĐƯỢC ỦY QUYỀN", "NGƯỜI ỦY QUYỀN",
    "NGƯỜI KIẾN NGHỊ", "NGƯỜI PHẢN ÁNH",
)
# What KT./TM./… stand before: a head's title (above) or, after TM. (on behalf of), a collective body.
COLLECTIVES: tuple[str, ...] = (
    "ỦY BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN", "THƯỜNG TRỰC HỘI ĐỒNG NHÂN DÂN", "ĐẢNG ỦY", "BAN THƯỜNG VỤ",
    "BAN CHẤP HÀNH", "BAN CHỈ ĐẠO", "HỘI ĐỒNG", "ỦY BAN MẶT TRẬN TỔ QUỐC",
)
SIGN_PREFIXES: tuple[str, ...] = ("KT.", "TM.", "TL.", "TUQ.", "Q.")

# Common family names (roughly the hundred most frequent). "Nguyên", "Văn" and the like are left
# out on purpose: as the first word of a name they are almost always a damaged Nguyễn or a middle
# name, and repairing towards them would do harm.
FAMILY_NAMES: tuple[str, ...] = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
    "Dương", "Lý", "Trương", "Đinh", "Lương", "Mai", "Cao", "Thái", "Đoàn", "Lâm", "Trịnh", "Đào", "Tạ",
    "Hà", "Tô", "Châu", "Quách", "Lưu", "Tăng", "Kiều", "La", "Lại", "Khúc", "Vương", "Triệu", "Mạc", "Tôn",
    "Thân", "Chu", "Nghiêm", "Phùng", "Từ", "Quan", "Hứa", "Giang", "Kim", "Âu", "Đàm", "Diệp", "Doãn",
    "Khổng", "Lã", "Lạc", "Lục", "Ninh", "Ông", "Tiêu", "Tống", "Trình", "Ứng", "Viên", "Bạch", "Cù",
    "Đồng", "Hàn", "Hầu", "Khương", "Lò", "Mã", "Nông", "Phí", "Sầm", "Thạch", "Thiều", "Trà", "Vi",
    "Kha", "Mẫn", "Bế", "Cầm", "Nhan", "Ôn", "Quản", "Thang", "Uông",
    # the northern minorities' (Hmong, Thái, Dao) in their Vietnamese spelling: each has a common twin
    # ("Giàng"/"Giang") that would otherwise take its place or doubt it (pipeline/vn/names.py)
    "Giàng", "Vàng", "Sùng", "Thào", "Mùa", "Hạng", "Lầu", "Tráng", "Vừ", "Lù", "Chá", "Quàng", "Lường",
    "Tòng", "Lèo", "Chảo", "Tẩn", "Bàn", "Ma",
)

# Titles of the one-stop-shop forms (Decree 61/2018 and Circular 01/2018/TT-VPCP).
ONE_STOP_TITLES: tuple[str, ...] = (
    "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
    "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
    "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
    "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
    "PHIẾU HƯỚNG DẪN HOÀN THIỆN HỒ SƠ",
)


@dataclass(frozen=True)
class Lexicon:
    """Values reviewers wrote by hand (``sohoa review fix --set …``): the names of issuing bodies,
    signers, their positions and places as they really are spelled. See pipeline/understand/corrections.py."""

    bodies: tuple[str, ...] = ()
    signers: tuple[str, ...] = ()
    positions: tuple[str, ...] = ()
    places: tuple[str, ...] = ()


EMPTY = Lexicon()
_EDGE = "\"'“”‘’()[]{}.,;:!?…*_~^`°ˆ|"


def _key(token: str) -> str:
    return fold(token.strip(_EDGE))


@lru_cache(maxsize=256)
def _index(phrases: tuple[str, ...]) -> dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]]:
    """First folded word → (folded words, printed words) of each phrase, longest first."""
    idx: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
    for p in phrases:
        words = tuple(nfc(p).split())
        keys = tuple(_key(w) for w in words)
        if keys and all(keys):
            idx.setdefault(keys[0], []).append((keys, words))
    for options in idx.values():
        options.sort(key=lambda o: -len(o[0]))
    return idx


_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")


def same_spelling(a: str, b: str) -> bool:
    """Whether two words differ only in where the tone mark sits ("UỶ"/"ỦY", "hoà"/"hòa"): both
    placements are correct Vietnamese, the old one common before 2018."""
    if a == b:
        return True
    da, db = unicodedata.normalize("NFD", a), unicodedata.normalize("NFD", b)
    strip = lambda s: "".join(ch for ch in s if ch not in _TONES)  # noqa: E731
    tones = lambda s: sorted(ch for ch in s if ch in _TONES)  # noqa: E731
    return strip(da) == strip(db) and tones(da) == tones(db)


def restore_phrases(text: str, phrases: Iterable[str]) -> tuple[str, bool]:
    """``text`` (a capitalised unit name or position) with every run of words whose folded form is
    a phrase written as that phrase; (new text, whether anything changed). Punctuation around a
    word stays as read. When two phrases of the same length fold alike, the run is left alone."""
    idx = _index(tuple(dict.fromkeys(phrases)))
    tokens = text.split()
    keys = [_key(t) for t in tokens]
    out: list[str] = []
    changed = False
    i = 0
    while i < len(tokens):
        pick: tuple[str, ...] | None = None
        for fkeys, words in idx.get(keys[i], []):
            n = len(fkeys)
            if tuple(keys[i : i + n]) != fkeys:
                continue
            rivals = {w for k, w in idx.get(keys[i], []) if k == fkeys}
            if len(rivals) > 1:
                break  # "HÀ TĨNH" and "HÀ TỈNH" would both fit: say nothing
            pick = words
            break
        if pick is None:
            out.append(tokens[i])
            i += 1
            continue
        for tok, word in zip(tokens[i : i + len(pick)], pick, strict=True):
            lead = tok[: len(tok) - len(tok.lstrip(_EDGE))]
            trail = tok[len(tok.rstrip(_EDGE)) :]
            core = tok.strip(_EDGE)
            word = word.strip(_EDGE)  # the phrase's own comma ("phòng, chống"): the token's is kept, as read
            new = word if core.isupper() or not core.istitle() else word.title()
            if same_spelling(core, new):
                new = core  # "UỶ" for "ỦY", "HOÀ" for "HÒA": the old tone placement, printed so
            changed = changed or new != core
            out.append(lead + new + trail)
        i += len(pick)
    return " ".join(out), changed


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, for short words."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


_FAMILY_ONE_WORD = tuple(n for n in FAMILY_NAMES if " " not in n)


def restore_family_name(token: str) -> tuple[str, bool] | None:
    """The first word of a personal name as it must have been printed, or None when it is not
    recognisably a family name. ``Nguyên``/``NGUYÊN``/``guyễn``/``Ñøũyễn`` → ``Nguyễn``; ``PHán`` →
    ``Phan``; an exact ``Lê`` stays."""
    core = token.strip(_EDGE)
    if not core:
        return None
    title = core[:1].upper() + core[1:].lower()
    if title in _FAMILY_ONE_WORD:
        return title, title != core
    key = fold(core)
    same = [n for n in _FAMILY_ONE_WORD if fold(n) == key]
    if len(same) == 1:
        return same[0], True
    if not same and core.islower() and len(core) >= 3:
        # "hạm" under a seal: the capital lost, the rest read with its marks; the end of exactly one name
        lost = [n for n in _FAMILY_ONE_WORD if n[1:] == core]
        if len(lost) == 1:
            return lost[0], True
    if same or len(key) < 4:
        return None
    # A lost or garbled letter ("guyễn", "Ñøũyễn"): one edit away from exactly one long name.
    near = [n for n in _FAMILY_ONE_WORD if len(fold(n)) >= 4 and edit_distance(fold(n), key) == 1]
    return (near[0], True) if len(near) == 1 else None


def _only_damage(read: str, known: str) -> bool:
    """Whether every word where ``read`` differs from ``known`` looks damaged rather than different:
    read without any mark ("Thi" for "Thị") or not a Vietnamese syllable ("H0A"). "HÒA" read where
    "HÓA" is known is another name, not damage."""
    from pipeline.vn.ocrfix import is_syllable

    a, b = read.split(), known.split()
    if len(a) != len(b):
        return all(not is_syllable(w) for w in a if w not in b)
    return all(x == y or fold(x) == x.lower() or not is_syllable(x) for x, y in zip(a, b, strict=True))


def restore_known(value: str, known: Sequence[str], *, min_ratio: float = 0.0, closed: bool = False) -> str | None:
    """The entry of ``known`` that ``value`` is as damaged by OCR: the one entry that folds alike
    (or, with ``min_ratio``, is that similar on folded text), where every word that differs was
    read without marks or is no Vietnamese syllable at all. ``closed``: ``known`` is all there is
    (the titles of official forms), so any near reading is damage."""
    key = re.sub(r"\s+", " ", fold(value)).strip()
    same = {k for k in known if re.sub(r"\s+", " ", fold(k)).strip() == key}
    if len(same) == 1:
        found = same.pop()
        return found if closed or _only_damage(value, found) else None
    if same or not min_ratio or not known:
        return None
    import difflib

    scored = sorted(((difflib.SequenceMatcher(None, key, re.sub(r"\s+", " ", fold(k)).strip()).ratio(), k)
                     for k in known), reverse=True)
    best, second = scored[0][0], scored[1][0] if len(scored) > 1 else 0.0
    # near enough, clearly nearer than any other entry, and only where the reading is damaged
    if best >= min_ratio and best - second > 0.05 and (closed or _only_damage(value, scored[0][1])):
        return scored[0][1]
    return None


# The sexagenary year names ("Nhâm Dần", "Giáp Thìn") a Tết, a spring or a lunar year is called by: a stem
# and a branch of the same parity, sixty in all.
_STEMS = ("Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý")
_BRANCHES = ("Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi")
YEAR_NAMES: tuple[str, ...] = tuple(f"{s} {b}" for i, s in enumerate(_STEMS) for j, b in enumerate(_BRANCHES)
                                    if i % 2 == j % 2)
_YEAR_KEYS = {fold(n): n for n in YEAR_NAMES}
# Only after the words that announce a year name: elsewhere "canh tý" or "tân sửu" may fold like other words.
_YEAR_NAME_RE = re.compile(
    r"\b(?:tet(?:\s+nguyen\s+dan)?|xuan|nam|dan)\s+(" + "|".join(sorted({k.split()[0] for k in _YEAR_KEYS}))
    + r")\s+(" + "|".join(sorted({k.split()[1] for k in _YEAR_KEYS})) + r")\b"
)


def restore_year_names(text: str) -> tuple[str, bool]:
    """``text`` with a year name whose marks OCR changed ("Tết Nguyên đán Nhâm Dằn") written as it is
    spelled; (text, changed). The year name must follow "Tết", "Xuân", "năm" or "đán"."""
    out = text
    changed = False
    for m in _YEAR_NAME_RE.finditer(fold(text)):
        name = _YEAR_KEYS.get(f"{m.group(1)} {m.group(2)}")
        if name is None:
            continue  # a stem and branch of different parity name no year
        read = text[m.start(1) : m.end(2)]
        new = name.upper() if read.isupper() else name
        if not all(same_spelling(a, b) for a, b in zip(read.split(), new.split(), strict=True)):
            out = out[: m.start(1)] + new + out[m.end(2) :]  # as long as what it replaces: indices hold
            changed = True
    return out, changed
