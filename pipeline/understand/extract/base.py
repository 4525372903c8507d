"""What every reader of the extractor shares: the `Field` it returns and the small tests of
tokens and lines (junk from seals and strokes, Vietnamese letters, title-case runs)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from pipeline.vn.text import fold


@dataclass(frozen=True)
class Field:
    value: str
    confidence: float  # 0..1


SO_LABEL_RE = re.compile(r"^\W*s[o6]\s*[:;.]")
ORG_RE = re.compile(
    r"\b(uy ban|ubnd|hoi dong|hdnd|so|phong|van phong|cong an|benh vien|truong|bo|cuc|chi cuc|"
    r"trung tam|ban|bo phan|tram|doan|dang uy|toa an|vien kiem sat|ngan hang|cong ty|chi nhanh|"
    r"tinh|xa|phuong|thanh pho|dac khu|thi tran|huyen|quan|tong cuc|kho bac)\b"
)
MOTTO_PART_RE = re.compile(r"\b(cong hoa|chu nghia|doc lap|hanh phuc|socialist|republic)\b")
VV_RE = re.compile(r"^\W*(v\s*[/l|1]\s*v|ve viec)\b\s*:?\s*")
NAME_TOKEN_RE = re.compile(r"^[^\W\d_][^\W\d_]*$")


def conf_of(clean: float, repaired: bool, penalty: float = 0.15) -> float:
    return round(clean - penalty if repaired else clean, 3)


def nonempty(lines: list[str], start: int = 0, stop: int | None = None) -> list[int]:
    end = len(lines) if stop is None else min(stop, len(lines))
    return [i for i in range(start, end) if lines[i].strip()]


def _is_letter(ch: str) -> bool:
    """A letter of a word: not a modifier letter such as "ˆ", which OCR makes of specks."""
    return ch.isalpha() and unicodedata.category(ch) in ("Lu", "Ll", "Lo")


# The marks Vietnamese letters carry: the five tones, circumflex, breve and horn.
_VIETNAMESE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b")


def vietnamese_word(tok: str) -> bool:
    """Whether a word is written in the Vietnamese alphabet ("Tÿên" is OCR garbage)."""
    return all(("a" <= ch.lower() <= "z") or ch in "đĐ" or ch in _VIETNAMESE_MARKS
               for ch in unicodedata.normalize("NFD", tok))


def has_text(s: str) -> bool:
    return any(ch.isdigit() or _is_letter(ch) for ch in s)


def is_junk_token(tok: str) -> bool:
    """A token of seal rims, signature strokes and specks: no letter or digit, or letters mixed
    with symbols ("^HE", "ˆ", "(on")."""
    core = tok.strip("\"'“”‘’()[]{}.,;:!?…*")
    if not core or not has_text(core):
        return True
    return any(not (_is_letter(ch) or ch.isdigit() or ch in "-–/.") for ch in core)


def strip_junk(text: str) -> str:
    """``text`` without junk tokens at either end."""
    tokens = text.split()
    while tokens and is_junk_token(tokens[0]):
        # "_...K/T": specks glued before the first word; the word stays
        rest = re.sub(r"^[\W_]+", "", tokens[0])
        if rest and rest != tokens[0] and not is_junk_token(rest) and any(_is_letter(ch) for ch in rest[:1]):
            tokens[0] = rest
            break
        tokens.pop(0)
    while tokens and is_junk_token(tokens[-1]):
        tokens.pop()
    return " ".join(tokens)


def title_case_run(text: str, *, max_tokens: int = 5) -> tuple[str, int]:
    """The trailing run of Title-case words of ``text`` and how many tokens preceded it."""
    tokens = text.split()
    run: list[str] = []
    for tok in reversed(tokens):
        if len(run) >= max_tokens:
            break
        if NAME_TOKEN_RE.match(tok) and tok[0].isupper() and (len(tok) == 1 or tok[1:].islower()):
            run.insert(0, tok)
        else:
            break
    return " ".join(run), len(tokens) - len(run)


def has_marks(text: str) -> bool:
    return fold(text) != text.lower()
