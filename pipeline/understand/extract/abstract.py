"""The trích yếu: the "Về việc …" / "V/v …" line, or the lines under the title where Decree 30
puts the abstract of a decision, report or plan."""

from __future__ import annotations

import re
from datetime import date

from pipeline.understand.classify import TitleHit
from pipeline.understand.extract.base import SO_LABEL_RE, VV_RE, Field, nonempty, strip_junk
from pipeline.understand.extract.header import place_and_date
from pipeline.vn.text import clean_spacing, fold, is_upper_line

# Classes whose Decree 30 layout puts a trích yếu directly under the title, with or without
# "Về việc"; elsewhere only an explicit "Về việc"/"V/v" line is taken.
_ABSTRACT_UNDER_TITLE = frozenset(
    {"quyet_dinh", "chi_thi", "nghi_quyet", "huong_dan", "thong_bao", "to_trinh", "bao_cao", "ke_hoach", "bien_ban"}
)
_STOP_ABSTRACT_RE = re.compile(r"^\W*(can cu|kinh gui|kinh trinh|thuc hien|xet de nghi|dieu\s*\d)\b")
_STOP_FIRST_ABSTRACT_RE = re.compile(r"^\W*(can cu|kinh gui|kinh trinh|xet de nghi|dieu\s*\d)\b")


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


def _clean_abstract(text: str, today: date) -> str:
    # The right column's place-date merged onto the abstract's line ("V/v … Quảng Trị, ngày …").
    found = place_and_date([text], today)
    if found is not None:
        _, dm, place = found
        cut = text[: dm.start].rstrip().rstrip(",")
        if cut.endswith(place):
            text = cut[: -len(place)]
    text = strip_junk(clean_spacing(text))
    return text.rstrip(" ;,-_:")


def _collect_abstract(lines: list[str], start: int, first_text: str, today: date) -> str:
    parts = [first_text]
    last = start
    for j in nonempty(lines, start + 1)[:3]:
        line = strip_junk(lines[j].strip())  # ": chính": a margin speck before the wrapped end
        if j - last > 2 or _is_stop_line(line) or re.match(r"^\W*noi nhan\b", fold(line)):
            break
        # A wrapped abstract goes on mid-sentence (lower case, a digit, or after a comma); a capital
        # after a finished line starts the body ("Ủy ban nhân dân xã … thông báo …").
        if not (line[0].islower() or line[0].isdigit() or parts[-1].endswith((",", "-", "và"))):
            break
        parts.append(line)
        last = j
    return _clean_abstract(" ".join(parts), today)


def read_abstract(lines: list[str], doc_type: str, titles: list[TitleHit], header_idx: list[int],
              today: date) -> Field | None:
    own = [t for t in titles if t.doc_type == doc_type]
    if own:
        title = own[0]
        for n, i in enumerate(nonempty(lines, title.line_no + 1)[:2]):
            line = strip_junk(lines[i].strip())
            if not line:
                continue
            m = VV_RE.match(fold(line))
            if m and fold(line).lstrip().startswith("ve viec"):
                clean = line.lstrip().startswith("Về việc")
                return Field(_collect_abstract(lines, i, line, today), 0.9 if clean else 0.75)
            if (doc_type in _ABSTRACT_UNDER_TITLE and not _is_stop_line(line, first=n == 0)
                    and ":" not in line[:30] and not SO_LABEL_RE.match(fold(line))):
                return Field(_collect_abstract(lines, i, line, today), 0.7)
            if not is_upper_line(line):
                break  # the line after the title is not an abstract; do not look further down
    # Công văn: "V/v …" under the number, in the left column.
    for i in header_idx:
        line = lines[i].strip()
        m = VV_RE.match(fold(line))
        if m and fold(line).lstrip().startswith("v"):
            rest = line[m.end() :].strip()
            if not rest:
                continue
            clean = bool(re.match(r"^\W*V/v\b", line))
            return Field(_collect_abstract(lines, i, f"V/v {rest}", today), 0.9 if clean else 0.75)
    return None
