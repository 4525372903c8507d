"""Vietnamese dates in administrative documents, read through OCR noise.

Shapes: ``ngày 07 tháng 4 năm 2023`` (Decree 30 header and forms), ``07/4/2023``, ``07-04-2023``,
``07.04.2023``. Matching runs on folded text so ``ngay 07 thang 4 nam 2023`` (marks lost) matches
the same way, and digits may be OCR'd as ``O``/``o`` (0) or ``l``/``I``/``|`` (1), with stray spaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from pipeline.vn.text import fold, normalize

EARLIEST = date(1945, 1, 1)  # the state's administrative records begin here; earlier is OCR noise

# A digit as OCR may render it. Only used between date keywords or separators, where a letter
# cannot be meant as a letter.
_D = r"[0-9OoIil|!]"  # folded text: "I" arrives as "i"; "!" is a 1's stroke ("tháng!2")
_DD = rf"{_D}(?:\s?{_D})?"
# "năm T999": a typewriter's 1 read as T, the year's first digit only; "năm 202]": a 1 read as "]" (in a year only:
# after a day or a month a bracket may be a speck beside the digit)
_YYYY = r"[0-9OoIil|t](?:\s?[0-9OoIil|!\]]){3}"

# The keywords as OCR slips on a photographed page: "ngòy" (ò for à), "thúng" (ú for á), "rháng" (r for t); between
# a day, a month and a year they can mean nothing else.
_WORDED_RE = re.compile(
    rf"\bng[ao]y\s*(?P<d>{_DD})\s*,?\s*[tr]h[au]ng\s*(?P<m>{_DD})\s*,?\s*nam\s*(?P<y>{_YYYY}[0-9]?)(?![0-9])",
)
# Same separator on both sides (backreference) so a document number like ``12/UBND`` or a dossier
# code ``…-251103-0142`` cannot pose as a date.
_NUMERIC_RE = re.compile(
    rf"(?<![0-9A-Za-z./-])(?P<d>{_DD})\s?(?P<sep>[/.-])\s?(?P<m>{_DD})\s?(?P=sep)\s?(?P<y>{_YYYY})(?![0-9A-Za-z])",
)
_DIGIT_FIX = str.maketrans({"O": "0", "o": "0", "I": "1", "i": "1", "l": "1", "|": "1", "!": "1", "]": "1", "t": "1",
                            " ": None})


@dataclass(frozen=True)
class DateMatch:
    value: date
    start: int  # offsets into the normalised text
    end: int
    worded: bool  # ``ngày … tháng … năm …`` rather than ``dd/mm/yyyy``
    repaired: bool  # OCR noise had to be fixed (letters for digits, spaces inside numbers)
    guessed: bool = False  # a digit read twice in the year dropped ("năm 20015"): which one, OCR cannot say


def _to_int(raw: str) -> tuple[int, bool]:
    fixed = raw.translate(_DIGIT_FIX)
    return int(fixed), fixed != raw


def _build(d: str, m: str, y: str, today: date) -> tuple[date, bool] | None:
    (dd, r1), (mm, r2), (yy, r3) = _to_int(d), _to_int(m), _to_int(y)
    try:
        value = date(yy, mm, dd)
    except ValueError:
        return None  # 31/02, month 13 …
    if not EARLIEST <= value <= today:
        return None
    return value, r1 or r2 or r3


def _one_digit_doubled(raw: str) -> str | None:
    """A worded date's year as read; of five digits, the year OCR read one digit of twice ("năm 20015" for
    2015), when a single pair of a digit repeated says which; else None."""
    digits = raw.replace(" ", "")
    if len(digits) <= 4:
        return raw
    runs = [i for i in range(len(digits) - 1) if digits[i] == digits[i + 1]]
    return digits[: runs[0]] + digits[runs[0] + 1 :] if len(runs) == 1 else None


def find_dates(text: str, *, today: date | None = None) -> list[DateMatch]:
    """Every plausible date in ``text``, in order. Offsets refer to ``normalize(text)``."""
    today = today or date.today()
    norm = normalize(text)
    folded = fold(norm)
    found: list[DateMatch] = []
    taken: list[range] = []
    for worded, rx in ((True, _WORDED_RE), (False, _NUMERIC_RE)):
        for m in rx.finditer(folded):
            if any(m.start() in r for r in taken):
                continue
            if not any(ch.isdigit() for ch in m["d"]):
                continue  # "ngày | tháng 12": a handwritten day read as a stroke, not a repaired digit
            year = m["y"] if rx is _NUMERIC_RE else _one_digit_doubled(m["y"])
            if year is None:
                continue
            built = _build(m["d"], m["m"], year, today)
            if built is None:
                continue
            value, repaired = built
            guessed = year.replace(" ", "") != m["y"].replace(" ", "")
            # Folded matching already forgave lost marks; say so when the keywords were not
            # printed exactly, so the caller can lower its confidence.
            if worded and not (re.search(r"ng[àa]y", norm[m.start() : m.end()])
                               and re.search(r"th[áa]ng", norm[m.start() : m.end()])):
                repaired = True
            found.append(DateMatch(value, m.start(), m.end(), worded, repaired or guessed, guessed))
            taken.append(range(m.start(), m.end()))
    found.sort(key=lambda dm: dm.start)
    return found


def parse_date(text: str, *, today: date | None = None) -> date | None:
    """The first plausible date in ``text``, or None (impossible, before 1945 or after ``today``)."""
    found = find_dates(text, today=today)
    return found[0].value if found else None
