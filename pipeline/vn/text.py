"""Normalisation of Vietnamese OCR text.

Everything downstream matches on *folded* text (no diacritics, lower case, đ→d) because OCR drops
or confuses tone marks far more often than it confuses base letters. ``strip_marks`` and ``fold``
are length-preserving on text that went through ``normalize``, so a regex match on the folded copy
can be sliced out of the original text with its diacritics intact.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Look-alikes OCR engines and PDF producers emit for Vietnamese letters: Icelandic eth for Đ is the
# classic one (tesseract and many legacy TCVN3 fonts), and the combining forms of the tone marks
# that some producers leave undecomposed.
_LOOKALIKES = str.maketrans({"Ð": "Đ", "ð": "đ", "\u0110": "Đ", "\u00a0": " ", "\u2002": " ", "\u2003": " ",
                             "\u2044": "/", "\u2215": "/"})  # fraction and division slashes: "55⁄NQ-HĐND"
_SPACES_RE = re.compile(r"[ \t\u00a0\u2000-\u200b\u3000]+")
_SPACE_BEFORE_PUNCT_RE = re.compile(r"\s+([,.;:!?)\]])")
_SPACE_AFTER_OPEN_RE = re.compile(r"([(\[])\s+")
_PUNCT_NO_SPACE_RE = re.compile(r"([,;:])(?=[^\s\d/,;:.)\]])")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def normalize(text: str) -> str:
    """NFC, look-alike letters repaired, stray combining marks dropped; line structure kept.

    A combining mark that survives NFC has no base letter to sit on (OCR put it on a space or a
    digit); dropping it keeps ``fold`` length-preserving, which the extractors rely on.
    """
    text = nfc(text.replace("\r\n", "\n").replace("\r", "\n")).translate(_LOOKALIKES)
    if any(unicodedata.combining(ch) for ch in text):
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text


@lru_cache(maxsize=4096)
def _strip_char(ch: str) -> str:
    if ch in "đĐ":
        return "d" if ch == "đ" else "D"
    base = unicodedata.normalize("NFD", ch)[0]
    return base if not unicodedata.combining(base) else ch


def strip_marks(text: str) -> str:
    """Remove diacritics, keep case (``Số: 12/QĐ`` → ``So: 12/QD``); one char out per char in."""
    return "".join(_strip_char(ch) for ch in text)


def _fold_char(ch: str) -> str:
    return _strip_char(ch).lower()[:1]


# The same folding as a translation table over the scripts Vietnamese text is written in (Latin, its
# extensions, general punctuation): twenty times faster than a char-by-char join, the same output.
_FOLD_RANGES = (range(0, 0x250), range(0x1E00, 0x1F00), range(0x2000, 0x2070))
_FOLD_TABLE = {i: _fold_char(chr(i)) for r in _FOLD_RANGES for i in r}
_OUTSIDE_TABLE = re.compile(r"[^\x00-\u024f\u1e00-\u1eff\u2000-\u206f]")


def fold(text: str) -> str:
    """Diacritics stripped and lower-cased, for matching OCR'd text: ``ĐIỀU 1`` → ``dieu 1``.

    Lower-casing goes char by char and keeps the first char, so the result stays aligned with the
    input (``str.lower`` turns ``İ`` into two chars).
    """
    if _OUTSIDE_TABLE.search(text) is None:
        return text.translate(_FOLD_TABLE)
    return "".join(_fold_char(ch) for ch in text)


def clean_spacing(text: str) -> str:
    """One space between words, none before closing punctuation, one after , ; : (for values)."""
    text = _SPACES_RE.sub(" ", text)
    text = _SPACE_BEFORE_PUNCT_RE.sub(r"\1", text)
    text = _SPACE_AFTER_OPEN_RE.sub(r"\1", text)
    text = _PUNCT_NO_SPACE_RE.sub(r"\1 ", text)
    return text.strip()


def sentence_case(text: str) -> str:
    """``QUYẾT ĐỊNH`` → ``Quyết định`` (Decree 30 writes type names this way in running text)."""
    text = clean_spacing(text).lower()
    return text[:1].upper() + text[1:]


def _letters(text: str) -> list[str]:
    return [ch for ch in text if ch.isalpha()]


def is_upper_line(line: str, *, min_letters: int = 3, tolerance: float = 0.1) -> bool:
    """True for a line that is (almost) all capitals: titles, header bodies, signer positions.

    ``tolerance`` absorbs OCR turning a capital into its lower-case look-alike (``o``/``O``,
    ``c``/``C``); digits and punctuation do not count either way.
    """
    letters = _letters(line)
    if len(letters) < min_letters:
        return False
    lower = sum(1 for ch in letters if ch.islower())
    return lower <= tolerance * len(letters)


def title_lines(text: str, *, max_lines: int | None = None) -> list[tuple[int, str]]:
    """Upper-case lines with their index among the non-empty lines of ``text``.

    The index (not the raw line number) is what a position weight wants: blank lines OCR inserts
    between header rows say nothing about how far down the page a line is.
    """
    out: list[tuple[int, str]] = []
    idx = 0
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        if max_lines is not None and idx >= max_lines:
            break
        if is_upper_line(line):
            out.append((idx, line))
        idx += 1
    return out


# The right column of a Decree 30 header: national name and motto. OCR of a two-column header puts
# them on the same line as the issuing body, so they are cut off before the left column is read.
# Tolerant of O/0, missing marks and any dash between the motto's three words.
_MOTTO_RE = re.compile(
    r"c[o0]\s?ng\s*h[o0][aà]\s*x[a]\s*h[o0][i1l]\s*ch[u]\s*ngh[i1l]a\s*v[i1l][e]t\s*nam"
    r"|d[o0]c\s*l[a]p\s*[-–—~_.,]?\s*t[u]\s*d[o0]\s*[-–—~_.,]?\s*h[a]nh\s*ph[u]c",
)


def split_motto(line: str) -> tuple[str, str | None]:
    """Split a header line into (left column, motto text or None).

    Falls back on a run of 3+ spaces (pdfplumber keeps the column gap) when no motto is found.
    """
    m = _MOTTO_RE.search(fold(line))
    if m:
        return line[: m.start()].rstrip(" -–—\t"), line[m.start() :].strip()
    parts = re.split(r"\s{3,}|\t", line.strip(), maxsplit=1)
    if len(parts) == 2:
        return parts[0], parts[1]
    return line, None
