"""The trích yếu: the "Về việc …" / "V/v …" line, or the lines under the title where Decree 30
puts the abstract of a decision, report or plan."""

from __future__ import annotations

import re
from datetime import date

from pipeline.understand.classify import TitleHit
from pipeline.understand.extract.base import SO_LABEL_RE, VV_RE, Field, has_marks, nonempty, strip_junk
from pipeline.understand.extract.header import place_and_date
from pipeline.understand.extract.layout import layout_cells
from pipeline.vn.lexicon import ADMIN_BIGRAMS, restore_phrases, restore_year_names
from pipeline.vn.ocrfix import is_syllable
from pipeline.vn.places import restore_provinces
from pipeline.vn.text import clean_spacing, fold, is_upper_line
from schemas.tasks import PageResult

# Classes whose Decree 30 layout puts a trích yếu directly under the title, with or without
# "Về việc"; elsewhere only an explicit "Về việc"/"V/v" line is taken.
_ABSTRACT_UNDER_TITLE = frozenset(
    {"quyet_dinh", "chi_thi", "nghi_quyet", "huong_dan", "thong_bao", "to_trinh", "bao_cao", "ke_hoach", "bien_ban"}
)
# "(Ban hành kèm theo Quyết định số …)" under an attached paper's abstract ends it
_STOP_ABSTRACT_RE = re.compile(r"^\W*(can cu|kinh gui|kinh trinh|thuc hien|xet de nghi|dieu\s*\d|ban hanh kem theo)\b")
_STOP_FIRST_ABSTRACT_RE = re.compile(r"^\W*(can cu|kinh gui|kinh trinh|xet de nghi|dieu\s*\d|ban hanh kem theo)\b")
# Words a phrase cannot end on (prepositions, conjunctions, a transitive "thông qua"): a line of the title
# block ending on one goes on below, even where the next line opens with a capital ("Quy hoạch …").
# Matched with their marks: folded, "tư" (đầu tư) would read as "từ", "trọng" as "trong".
_OPEN_END_RE = re.compile(r"(?i)(?<!\w)(của|về|cho|và|với|tại|theo|các|những|trong|đến|từ|đối với|thông qua)\W*$")


# --- abstract (trích yếu) ------------------------------------------------------------------------------
def _is_stop_line(line: str, first: bool = False) -> bool:
    folded = fold(line)
    stripped = line.strip()
    return (
        not stripped
        or bool((_STOP_FIRST_ABSTRACT_RE if first else _STOP_ABSTRACT_RE).match(folded))
        or is_upper_line(stripped)
        or bool(SO_LABEL_RE.match(folded))
        or bool(re.fullmatch(r"[\W_]+", stripped))
    )


def _clean_abstract(text: str, today: date, as_printed: bool = False) -> str:
    # The right column's place-date merged onto the abstract's line ("V/v … Quảng Trị, ngày …").
    found = place_and_date([text], today)
    if found is not None:
        _, dm, place = found
        cut = text[: dm.start].rstrip().rstrip(",")
        if cut.endswith(place):
            text = cut[: -len(place)]
    text = strip_junk(clean_spacing(text))
    text = re.sub(r"\b([A-ZĐ]{1,5})-\s+([A-ZĐ]{2,})\b", r"\1-\2", text)  # "NQ- HĐND": OCR's space in a symbol
    if has_marks(text) and not as_printed:  # printed (or read) without any marks, or a text layer: leave it so
        text, _ = restore_phrases(text, ADMIN_BIGRAMS)
        text, _ = restore_provinces(text)
        text, _ = restore_year_names(text)
    text = re.sub(r",(?:\s*,)+", ",", text)  # "phòng,, chống": a speck read as a second comma
    if "(" not in text:
        text = re.sub(r"(?<=[^\W_])\)(?=\s)", "", text)  # "24/2013/NQ-HĐND) ngày": a bracket never opened
    text = re.sub(r"\b([Ss])ô(?=\s+\d)", r"\1ố", text)  # "sô 27/2017/NQ-HĐND": the acute lost on "số"
    return text.rstrip(" ;,-_:")


def _collect_abstract(lines: list[str], start: int, first_text: str, today: date,
                      centred: _Centred | None = None, as_printed: bool = False) -> tuple[str, bool]:
    """The abstract from its first line on, and whether where it ends is unsure: it stopped at the very next
    line, mid-phrase, for no boundary of the title block (no blank line, no stop line, no body opening)."""
    parts = [first_text]
    unsure = False
    last = start
    axis = centred.axis_of(first_text) if centred is not None else None
    for j in nonempty(lines, start + 1)[:5]:
        line = strip_junk(lines[j].strip())  # ": chính": a margin speck before the wrapped end
        beside = re.match(r"^(?P<stamp>[^|]{1,40})\|\s*(?P<rest>\S.*)$", line)
        if beside and not _syllabic(beside["stamp"]) and _syllabic(beside["rest"]):
            line = beside["rest"]  # "CV T86: KJL#-2 | trên địa bàn tỉnh": a stamp's box beside the wrapped line
        # "Thực hiện Công văn số …" opens the body; "thực hiện nhiệm vụ tháng 3", in lower case, is the wrapped end
        wrapped = line[:1].islower() and bool(re.match(r"thuc hien\b", fold(line)))
        if (j - last > 2 or (_is_stop_line(line) and not wrapped) or re.match(r"^\W*noi nhan\b", fold(line))
                or _LEADER_RE.search(line)):
            break
        if len(line.split()) >= 3 and not _syllabic(line):
            break  # a stamp's lines under the abstract ("lpý: Ngày:40/4 L.Ấ A4"), not its wrapped end
        # A wrapped abstract goes on mid-sentence (lower case, a digit, a bracket, or after a comma); a
        # capital after a finished line starts the body ("Ủy ban nhân dân xã … thông báo …") unless the
        # line sits centred on the abstract's axis, as Decree 30 sets the title block, and narrower than
        # the body's full lines ("Ủy ban nhân dân tỉnh Quảng Ngãi nhiệm kỳ 2021 - 2026").
        goes_on = (line[0].islower() or line[0].isdigit() or line[0] == "(" or parts[-1].endswith((",", "-", "và"))
                   or (bool(_OPEN_END_RE.search(parts[-1])) and not _BODY_START_RE.match(fold(line))))
        on_axis = centred is not None and axis is not None and centred.on_axis(line, axis)
        # A text layer has no boxes to say where the title block ends: a line that ends mid-phrase ("Công ty
        # TNHH") goes on with the next unless that one opens the body ("Ngày 03/01/2025, …", "Thực hiện …")
        unfinished = (centred is None and not parts[-1].rstrip().endswith((".", ";", ":", ")"))
                      and not _BODY_START_RE.match(fold(line)) and len(parts) < 4)
        if not goes_on and not on_axis and not unfinished:
            # "… về việc thông qua" / "Quy hoạch tổng thể …": a capital right under a line that ends mid-phrase
            # may be its wrapped end the boxes did not show centred; a person confirms where it ends
            unsure = unsure or (j == last + 1 and not parts[-1].rstrip().endswith((".", ";", ":", ")", ","))
                                and not _BODY_START_RE.match(fold(line)) and centred is not None)
            break
        # "… chức danh và chữ ký:" / "Phó Giám đốc Sở …": a colon goes on when the line sits in the title block
        ended = parts[-1].rstrip().endswith((".", ";")) or (parts[-1].rstrip().endswith(":") and not on_axis)
        if ended and not line[0].islower():
            break
        if parts[-1].rstrip().endswith(":"):
            # a title block's line seldom ends on a colon: a speck OCR read as one ("chữ ký:"), dropped where the
            # abstract goes on; a person confirms it
            unsure = True
            parts[-1] = parts[-1].rstrip().rstrip(":").rstrip()
        if goes_on and not on_axis and centred is not None and axis is not None and centred.off_axis(line, axis):
            # "… nhà đầu tư" / "án sử dụng vốn …": a wrapped line of the centred title block whose centre moved
            # right or left: OCR lost words at its edge (under a stamp); a person confirms it
            unsure = True
        parts.append(line)
        last = j
    return _clean_abstract(" ".join(parts), today, as_printed), unsure


_UNSURE_END = 0.55  # an abstract whose end is unsure: under the field threshold
_BODY_START_RE = re.compile(
    r"^\W*(ngay\s+\d|can cu|thuc hien|kinh gui|trong|de\b|nham|sau khi|theo|tai|vao|hien nay|tu ngay|ubnd|uy ban"
    r"|thuong truc|chu tich|so\b|phong|ban\b|hoi dong|thoi gian|qua\b|vua qua|nam\s+\d|sau\b|voi\b|duoc\b)")
# A first line under the title that opens the body: no abstract was printed ("Hôm nay, vào lúc 08 giờ …",
# "Hội đồng quản trị Công ty … trân trọng thông báo …").
_OPENS_BODY_RE = re.compile(r"^\W*(hom nay|vao (luc|hoi)|hoi dong quan tri|ngay\s+\d|can cu)\b")
_LEADER_RE = re.compile(r"…{2,}|\.{4,}|_{4,}")  # a form's blank: "Tháng hưởng trợ cấp thứ: ……"
# "về việc", "Vệ việc", "Vềviệc" (the space lost) and "và việc" (OCR's "à" for "ề") at an abstract's start
_VE_VIEC_RE = re.compile(r"^\W*v(?:[eềệểễế]\s*|à\s+)vi[eệê]c\b", re.IGNORECASE)


class _Centred:
    """Where the first page's lines lie, from the OCR word boxes: a wrapped title-block line is
    centred on the axis of the line above it and narrower than the body's full lines."""

    def __init__(self, page: PageResult):
        self.width = page.width_px or 1
        self.cells = layout_cells(page)
        # the body's full lines: the usual width of the widest cells (stamps and rules aside)
        widths = sorted(c.x1 - c.x0 for c in self.cells)
        self.text_width = max(widths[int(len(widths) * 0.9)] if widths else self.width, 1)

    def _cell(self, line: str) -> tuple[int, int] | None:
        key = fold(clean_spacing(line))
        best: tuple[int, int] | None = None
        for c in self.cells:
            ck = fold(clean_spacing(c.text))
            if ck == key:
                return c.x0, c.x1
            # a merged row's line holds the cell, or the cell the line: most of it either way
            most = min(len(ck), len(key)) >= 0.7 * max(len(ck), len(key))
            if ck and most and (key.startswith(ck) or ck.startswith(key)):
                best = (c.x0, c.x1)
        return best

    def axis_of(self, line: str) -> float | None:
        cell = self._cell(line)
        return (cell[0] + cell[1]) / 2 if cell else None

    def off_axis(self, line: str, axis: float) -> bool:
        """Whether a line narrower than the body's is set off the axis (a centred line that lost words)."""
        cell = self._cell(line)
        if cell is None:
            return False
        x0, x1 = cell
        return abs((x0 + x1) / 2 - axis) > 0.035 * self.width and x1 - x0 <= 0.85 * self.text_width

    def on_axis(self, line: str, axis: float) -> bool:
        cell = self._cell(line)
        if cell is None:
            return False
        x0, x1 = cell
        return abs((x0 + x1) / 2 - axis) <= 0.035 * self.width and x1 - x0 <= 0.85 * self.text_width


def _syllabic(line: str) -> bool:
    """Whether a line is made of words (not a stamp's or a rule's specks: "k4 Lá ˆ, - ˆ Ẩ °")."""
    line = re.sub(r"^\W*v\s*[/l|1]\s*v\b\.?", "", line, flags=re.IGNORECASE)
    words = [w for w in re.findall(r"[^\W\d_]+", line) if not (w.isupper() and len(w) <= 6)]  # III, TTHC
    return len(words) >= 2 and sum(is_syllable(w) for w in words) >= 0.75 * len(words)


def _ve_viec(text: str) -> str:
    """"về việc", "Vệ việc", "Vềviệc", "và việc" (OCR) at the start of an abstract is "Về việc"."""
    m = _VE_VIEC_RE.match(text)
    if m and not text.startswith("Về việc") and has_marks(text[m.end() :]):
        return text[: m.start()] + "Về việc" + text[m.end() :]
    return text


def read_abstract(lines: list[str], doc_type: str, titles: list[TitleHit], header_idx: list[int],
                  today: date, first: PageResult | None = None) -> Field | None:
    centred = _Centred(first) if first is not None and first.words and first.width_px else None
    as_printed = first is not None and first.source == "text_layer"  # no OCR damage to repair
    own = [t for t in titles if t.doc_type == doc_type]
    if own:
        title = own[0]
        n = 0
        for i in nonempty(lines, title.line_no + 1)[:4]:
            line = strip_junk(lines[i].strip())
            if not line:
                continue
            cut = re.search(r"\|\s*(?=v[eề]\s+vi[eệ]c\b)", line, re.IGNORECASE)
            if cut:
                line = line[cut.end() :]  # "TÌM-CÔNG BẢO & TÍN HỌC … | Về việc …": a stamp beside it
            if not _syllabic(line) and not VV_RE.match(fold(line)):
                continue  # a rule or a stamp read as specks: the abstract is below it
            m = VV_RE.match(fold(line))
            if m and fold(line).lstrip().startswith("ve viec"):
                clean = line.lstrip().startswith("Về việc")
                text, unsure = _collect_abstract(lines, i, line, today, centred, as_printed)
                value = _ve_viec(text)
                return Field(value, _UNSURE_END if unsure else 0.9 if clean else 0.75) if _syllabic(value) else None
            if (doc_type in _ABSTRACT_UNDER_TITLE and not _is_stop_line(line, first=n == 0)
                    and not _OPENS_BODY_RE.match(fold(line))
                    and ":" not in line[:30] and not SO_LABEL_RE.match(fold(line)) and not _LEADER_RE.search(line)):
                text, unsure = _collect_abstract(lines, i, line, today, centred, as_printed)
                value = _ve_viec(text)
                return Field(value, _UNSURE_END if unsure else 0.7) if _syllabic(value) else None
            if not is_upper_line(line):
                break  # the line after the title is not an abstract; do not look further down
            n += 1
    # Công văn: "V/v …" under the number, in the left column (or "Về việc …" printed in full).
    for i in header_idx:
        line = lines[i].strip()
        m = VV_RE.match(fold(line))
        if m and fold(line).lstrip().startswith("v"):
            rest = line[m.end() :].strip()
            if not rest:
                continue
            clean = bool(re.match(r"^\W*(V/v|Về việc)\b", line))
            prefix = "Về việc" if fold(line).lstrip().startswith("ve viec") else "V/v"
            value, unsure = _collect_abstract(lines, i, f"{prefix} {rest}", today, centred, as_printed)
            if _LEADER_RE.search(value) or not _syllabic(value):
                return None  # a blank template's "V/v …(1)…" or a handwritten scrawl
            return Field(value, _UNSURE_END if unsure else 0.9 if clean else 0.75)
    return None
