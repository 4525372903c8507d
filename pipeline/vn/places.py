"""Province names OCR damaged beyond their marks, put back after the word that names their level.

``restore_phrases`` (lexicon.py) repairs a name whose folded letters survived ("QUANG NGAI"). A letter
OCR added, lost or swapped ("tỉnh Quảng Nøgãi", "TỈNH QUANG NGAÀI") folds to no name at all; after
"tỉnh" or "thành phố" only a province can follow, so a reading one letter from exactly one province,
whose differing words are no Vietnamese syllable or lost only their marks, is that province. Anything
nearer to two names, or a real word that merely resembles one, is left as read.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.vn.lexicon import PROVINCES, edit_distance, same_spelling
from pipeline.vn.ocrfix import is_syllable
from pipeline.vn.text import fold

# The level words a province name follows: "tỉnh", "thành phố" (a centrally-run city), "TP."
_LEVEL_RE = re.compile(r"(?i)\b(?:tỉnh|tinh|thành\s+phố|thanh\s+pho|tp\.)\s+")
_EDGE = "\"'“”‘’()[]{}.,;:!?…"
MAX_EDITS = 1  # over the whole folded name: two edits reach another province too often ("Hà Nam"/"Hà Tĩnh")


@lru_cache(maxsize=1)
def _names() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(folded name, printed words) of every province; one entry per folded name."""
    out: dict[str, tuple[str, ...]] = {}
    for p in PROVINCES:
        out.setdefault(fold(p), tuple(p.split()))
    return tuple(out.items())


def _damaged(read: str, known: str) -> bool:
    """Whether a word that differs from the known one was damaged rather than written so: its marks
    lost or moved, or no Vietnamese syllable at all ("NGAÀI", "Nøgãi")."""
    return (read.upper() == known.upper() or same_spelling(read.upper(), known.upper())
            or fold(read) == fold(known) or not is_syllable(read))


def _match(tokens: list[str]) -> tuple[tuple[str, ...], int] | None:
    """The province the first tokens name, and how many tokens it takes; None unless exactly one is
    within reach."""
    found: dict[tuple[str, ...], int] = {}
    for key, words in _names():
        n = len(words)
        if len(tokens) < n:
            continue
        cores = [t.strip(_EDGE) for t in tokens[:n]]
        if not all(cores) or any(t.strip(_EDGE) != t.rstrip(_EDGE) for t in tokens[: n - 1]):
            continue  # punctuation inside the run: the name ended before it
        read = fold(" ".join(cores))
        if read == key:
            return None  # a name as printed, or with its marks only lost (restore_phrases' job)
        if abs(len(read) - len(key)) > MAX_EDITS or edit_distance(read, key) > MAX_EDITS:
            continue
        if all(_damaged(r, k) for r, k in zip(cores, words, strict=True)):
            found[words] = n
    return next(iter(found.items())) if len(found) == 1 else None


def _as_read(word: str, token: str) -> str:
    """``word`` (upper case) in the case of the token it replaces, the token's punctuation kept."""
    core = token.strip(_EDGE)
    lead = token[: len(token) - len(token.lstrip(_EDGE))]
    trail = token[len(token.rstrip(_EDGE)) :]
    new = word if core.isupper() else word[:1] + word[1:].lower()
    return lead + new + trail


def restore_provinces(text: str) -> tuple[str, bool]:
    """``text`` with each damaged province name after "tỉnh"/"thành phố" put back; (text, changed)."""
    out: list[str] = []
    pos = 0
    changed = False
    for m in _LEVEL_RE.finditer(text):
        if m.start() < pos:
            continue
        rest = text[m.end() :]
        spans = [t for t in re.finditer(r"\S+", rest)][:4]
        hit = _match([t.group(0) for t in spans])
        if hit is None:
            continue
        words, n = hit
        new = " ".join(_as_read(w, spans[k].group(0)) for k, w in enumerate(words))
        end = m.end() + spans[n - 1].end()
        out.append(text[pos : m.end()] + new)
        pos = end
        changed = True
    out.append(text[pos:])
    return "".join(out), changed
