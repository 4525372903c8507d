"""Safe clean-up of Vietnamese OCR text, and a syllable check to judge text quality.

Vietnamese writes one syllable per word with a closed structure: (initial) (medial) nucleus
(final) and at most one tone mark, and the stop finals c/ch/p/t take only the sắc or nặng tone.
That structure is strict enough to say whether a token is a Vietnamese syllable, which lets us:
- repair a tesseract confusion (`0` for `o`, `rn` for `m`, `cl` for `d`, eth for `Đ`) only when the
  token as read is NOT a syllable and exactly one repair makes it one; anything else is left as
  read (codes, numbers, names in other languages, abbreviations);
- measure how much of a PDF's text layer is real Vietnamese (pages.py distrusts a scanner's
  garbage OCR layer with it).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TONES = {"\u0301": "sac", "\u0300": "huyen", "\u0309": "hoi", "\u0303": "nga", "\u0323": "nang"}
# "qu" is an initial before a rime without its u ("qu-ang"); before one that keeps it ("q-uynh" in Quỳnh,
# "q-uyt" in quýt) the initial is "q"
_INITIAL = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|q(?=u)|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x)?"
_RIMES_TEXT = """
a ai ao au ay ac ach am an ang anh ap at ăc ăm ăn ăng ăp ăt âc âm ân âng âp ât âu ây
e eo ec em en eng ep et ê êch êm ên ênh êp êt êu
i ia iu ich im in inh ip it iêc iêm iên iêng iêp iêt iêu
o oa oac oach oai oam oan oang oanh oao oap oat oay oăc oăm oăn oăng oăt oe oen oeo oet oi oc om on ong op ot
ooc oong ô ôi ôc ôm ôn ông ôp ôt ơ ơi ơm ơn ơp ơt
u ua uân uâng uât uây uê uêch uênh uy uya uyên uyêt uych uynh uyt uyu ui uc um un ung up ut uôc uôi uôm uôn uông
uôt uơ ư ưa ưi ưu ưc ưng ưt ưm ưn ươc ươi ươm ươn ương ươp ươt ươu y yêm yên yêt yêu
"""
_RIMES = _RIMES_TEXT.split()
_SYLLABLE_RE = re.compile(rf"{_INITIAL}(?:{'|'.join(sorted(_RIMES, key=len, reverse=True))})")
_STOP_FINAL_RE = re.compile(r"(?:c|ch|p|t)$")
# Tesseract's usual slips on Vietnamese print, as (read, meant) pairs.
_CONFUSIONS: tuple[tuple[str, str], ...] = (
    ("0", "o"), ("1", "l"), ("1", "i"), ("rn", "m"), ("cl", "d"), ("ð", "đ"),
)
_WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)
_TOKEN_RE = re.compile(r"\S+")
_SPACES_RE = re.compile(r"[ \t\u00a0\u2000-\u200b\u3000]+")
# A space before , ; : ! ? ) or a sentence-final full stop is a tesseract artefact; dot leaders of
# forms ("Họ tên: ......") keep theirs.
_SPACE_BEFORE_RE = re.compile(r"(?<=\S) +(?=[,;:!?)\]]|\.(?:\s|$))")
_SPACE_AFTER_OPEN_RE = re.compile(r"([(\[]) +")
_EDGE_PUNCT = "\"'“”‘’()[]{}.,;:!?…-–—*"


@lru_cache(maxsize=65536)
def is_syllable(word: str) -> bool:
    """True when `word` (any case) is a well-formed Vietnamese syllable."""
    w = unicodedata.normalize("NFD", word.lower())
    tones = [ch for ch in w if ch in _TONES]
    if len(tones) > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(ch for ch in w if ch not in _TONES))
    if not _SYLLABLE_RE.fullmatch(base):
        return False
    if _STOP_FINAL_RE.search(base) and tones and _TONES[tones[0]] not in ("sac", "nang"):
        return False
    # Spelling rules that OCR garbage breaks and real words never do.
    return not re.match(r"(?:k(?!h)[^ieêy]|c(?!h)[ieêy]|gh[^ieê]|ngh[^ieê]|q[^u])", base)


def _is_acronym(token: str) -> bool:
    """UBND, QĐ, HĐND, TP: capitals without tone marks, counted as neither good nor bad."""
    return token.isupper() and len(token) <= 6 and not any(ch in _TONES for ch in unicodedata.normalize("NFD", token))


def syllable_share(text: str) -> tuple[int, int]:
    """(valid, counted) over the alphabetic words of `text`; acronyms are not counted."""
    valid = counted = 0
    for m in _WORD_RE.finditer(unicodedata.normalize("NFC", text)):
        w = m.group(0)
        if _is_acronym(w):
            continue
        counted += 1
        valid += is_syllable(w)
    return valid, counted


def _candidates(core: str) -> set[str]:
    out: set[str] = set()
    upper = sum(ch.isupper() for ch in core) > sum(ch.islower() for ch in core)
    for read, meant in _CONFUSIONS:
        target = meant.upper() if upper else meant
        for variant in (read, read.upper()):
            if variant not in core:
                continue
            out.add(core.replace(variant, target))
            start = core.find(variant)
            while start >= 0:
                out.add(core[:start] + target + core[start + len(variant) :])
                start = core.find(variant, start + 1)
    return out


def fix_word(token: str) -> str:
    """One OCR'd token, NFC, with a confusion repaired when the syllable check supports it."""
    token = unicodedata.normalize("NFC", token).replace("Ð", "Đ")
    left = len(token) - len(token.lstrip(_EDGE_PUNCT))
    right = len(token.rstrip(_EDGE_PUNCT))
    core = token[left:right]
    letters = sum(ch.isalpha() for ch in core)
    # Only word-like tokens: letters with at most one digit of the confusable kind; a code such as
    # 123/QĐ-UBND or H50.12 is never touched.
    if letters < 2 or any(not (ch.isalpha() or ch in "01") for ch in core) or sum(ch.isdigit() for ch in core) > 1:
        return token
    if is_syllable(core) or (core.isalpha() and _is_acronym(core)):
        return token
    good = {c for c in _candidates(core) if is_syllable(c)}
    if len(good) != 1:
        return token
    return token[:left] + good.pop() + token[right:]


def fix_text(text: str) -> str:
    """Page text: NFC, confusions repaired word by word, spacing around punctuation fixed; lines kept."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
    lines = []
    for line in text.split("\n"):
        fixed = _TOKEN_RE.sub(lambda m: fix_word(m.group(0)), line)
        fixed = _SPACES_RE.sub(" ", fixed).strip()
        lines.append(_SPACE_AFTER_OPEN_RE.sub(r"\1", _SPACE_BEFORE_RE.sub("", fixed)))
    return "\n".join(lines)
