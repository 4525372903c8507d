"""How common a syllable is in Vietnamese personal names, to doubt a name OCR may have misread.

OCR confuses marks more than letters: "Dũng" read "Đũng", "Diệu" read "Điệu", "Duyên" read "Đuyên",
each a valid syllable (so the garbled-word check passes it) and read with confidence. A syllable that
is rare in names while its twin with other marks is common is such a misreading more often than a rare
name: the value goes to review rather than being stored as sure. It is not corrected: a rare name is
somebody's name (the minorities' names of the north, a family's own choice), and a person decides.
The family names the lexicon knows (the northern minorities' among them) are names whatever their count.
The counts come from scripts/name_syllables.py (pipeline/vn/name_syllables.txt says from where).
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from pathlib import Path

from pipeline.vn.lexicon import FAMILY_NAMES
from pipeline.vn.text import fold, nfc

SYLLABLES = Path(__file__).with_name("name_syllables.txt")
# Seen fewer times than this among ~11,000 names: not a known name syllable (the source's own typos
# occur once).
RARE = 2
# A twin seen this often is the likelier reading of a rare syllable ("Dũng" 150 times, "Đũng" never).
COMMON_TWIN = 20


@cache
def _counts() -> dict[str, int]:
    out: dict[str, int] = {}
    for line in SYLLABLES.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            syllable, n = line.split("\t")
            out[syllable] = int(n)
    return out


@cache
def _twins() -> dict[str, tuple[int, str]]:
    """The most common name syllable of each spelling without marks ("dung" → (150, "Dũng"))."""
    best: dict[str, tuple[int, str]] = defaultdict(lambda: (0, ""))
    for syllable, n in _counts().items():
        best[fold(syllable)] = max(best[fold(syllable)], (n, syllable))
    return dict(best)


def doubtful_syllables(name: str) -> list[tuple[str, str]]:
    """(syllable, likelier twin) for each syllable of ``name`` rare in names whose twin with other
    marks is common: ``"Võ Quốc Đũng"`` → ``[("Đũng", "Dũng")]``."""
    counts, twins = _counts(), _twins()
    out = []
    for word in nfc(name).split():
        syllable = word.capitalize()
        if not syllable.isalpha() or counts.get(syllable, 0) >= RARE or syllable in FAMILY_NAMES:
            continue
        n, twin = twins.get(fold(syllable), (0, ""))
        if n >= COMMON_TWIN and twin != syllable:
            out.append((syllable, twin))
    return out
