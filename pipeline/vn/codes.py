"""Administrative codes of DOMAIN.md, parsed through OCR noise and normalised.

Noise repaired everywhere: stray spaces around ``.``, ``-`` and ``/``; ``O``/``o`` read for ``0``;
``l``/``I``/``|`` read for ``1``. Every finder reports whether it had to repair, so callers can
lower the confidence of a value that was not printed cleanly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from pipeline.vn.text import fold, normalize, strip_marks

_D = r"[0-9OoIl|]"  # a digit as OCR may render it
_DIGIT_FIX = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1"})


def _digits(raw: str) -> str:
    return re.sub(r"\s+", "", raw).translate(_DIGIT_FIX)


@dataclass(frozen=True)
class Match:
    value: str  # normalised
    start: int  # offsets into normalize(text)
    end: int
    repaired: bool


# --- unit code (mã định danh cơ quan) --------------------------------------------------------------
_UNIT_OLD_LOOSE = rf"{_D}{{3}}\s?\.\s?{_D}{{2}}\s?\.\s?{_D}{{2}}\s?\.\s?[A-Z]\s?{_D}{{2}}"
_UNIT_NEW_LOOSE = rf"[A-Z]\s?{_D}{{2}}(?:\s?\.\s?{_D}{{1,4}})*"
_UNIT_LOOSE = rf"(?:{_UNIT_OLD_LOOSE}|{_UNIT_NEW_LOOSE})"
UNIT_CODE_RE = r"\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}|[A-Z]\d{2}(?:\.\d{1,4})*"


def _fix_unit(raw: str) -> str:
    compact = re.sub(r"\s+", "", raw)
    parts = compact.split(".")
    if len(parts) >= 4 and len(parts[0]) == 3:  # old form: three numeric groups, then letter+digits
        head = [p.translate(_DIGIT_FIX) for p in parts[:3]]
        tail = parts[3][0] + parts[3][1:].translate(_DIGIT_FIX)
        return ".".join([*head, tail])
    first = parts[0][0] + parts[0][1:].translate(_DIGIT_FIX)
    return ".".join([first, *(p.translate(_DIGIT_FIX) for p in parts[1:])])


def parse_unit_code(raw: str) -> str | None:
    """``000.00.24.H46``, ``H50``, ``H50.12`` (also ``h 5O . 12``) → normalised, else None."""
    candidate = raw.strip()
    candidate = candidate[:1].upper() + candidate[1:] if candidate[:1].isalpha() else candidate
    if not re.fullmatch(_UNIT_LOOSE, candidate):
        return None
    fixed = _fix_unit(candidate)
    return fixed if re.fullmatch(UNIT_CODE_RE, fixed) else None


# --- dossier code (mã hồ sơ) -------------------------------------------------------------------------
#: Default shape ``<unit>-<yymmdd>-<4+ digits>``; a deployment passes its own to the finders. Named
#: groups ``unit`` and ``date`` are optional in a custom pattern: when present, ``unit`` feeds
#: ``ma_co_quan`` and ``date`` is checked to be a real yymmdd.
DOSSIER_CODE_RE = rf"(?P<unit>{UNIT_CODE_RE})-(?P<date>\d{{6}})-(?P<seq>\d{{4,}})"

_DOSSIER_LOOSE_RE = re.compile(
    rf"(?<![0-9A-Za-z.])(?P<unit>{_UNIT_LOOSE})\s?-\s?(?P<date>{_D}(?:\s?{_D}){{5}})\s?-\s?"
    rf"(?P<seq>{_D}{{4,}})(?![0-9A-Za-z])"
)


def _valid_yymmdd(raw: str) -> bool:
    try:
        date(2000 + int(raw[:2]), int(raw[2:4]), int(raw[4:6]))
    except ValueError:
        return False
    return True


def _accept_dossier(code: str, rx: re.Pattern[str]) -> re.Match[str] | None:
    m = rx.fullmatch(code)
    if m is None:
        return None
    if "date" in rx.groupindex and m["date"] is not None and not _valid_yymmdd(m["date"]):
        return None
    return m


def find_dossier_codes(text: str, pattern: str | re.Pattern[str] = DOSSIER_CODE_RE) -> list[Match]:
    """Dossier codes in ``text``: noisy candidates of the default shape repaired, then every
    candidate (and any verbatim match of a custom ``pattern``) must fully match ``pattern``."""
    rx = re.compile(pattern) if isinstance(pattern, str) else pattern
    norm = normalize(text)
    found: dict[int, Match] = {}
    for m in _DOSSIER_LOOSE_RE.finditer(norm):
        code = f"{_fix_unit(m['unit'])}-{_digits(m['date'])}-{_digits(m['seq'])}"
        if _accept_dossier(code, rx):
            found[m.start()] = Match(code, m.start(), m.end(), code != m.group(0))
    for m in rx.finditer(norm):
        if any(s <= m.start() < f.end for s, f in found.items()):
            continue
        if _accept_dossier(m.group(0), rx):
            found[m.start()] = Match(m.group(0), m.start(), m.end(), False)
    return [found[k] for k in sorted(found)]


def parse_dossier_code(raw: str, pattern: str | re.Pattern[str] = DOSSIER_CODE_RE) -> str | None:
    found = find_dossier_codes(raw.strip(), pattern)
    return found[0].value if found and found[0].start == 0 and found[0].end == len(raw.strip()) else None


def dossier_unit(code: str, pattern: str | re.Pattern[str] = DOSSIER_CODE_RE) -> str | None:
    """The unit part of a normalised dossier code (``ma_co_quan``), if the pattern names it."""
    rx = re.compile(pattern) if isinstance(pattern, str) else pattern
    m = rx.fullmatch(code)
    if m is None or "unit" not in rx.groupindex:
        return None
    return m["unit"]


# --- procedure code (mã TTHC) ------------------------------------------------------------------------
_PROCEDURE_RE = re.compile(rf"(?<![0-9A-Za-z.,])(?P<a>{_D})\s?\.\s?(?P<b>{_D}{{6}})(?![0-9]|[.,]\d)")


def find_procedure_codes(text: str) -> list[Match]:
    norm = normalize(text)
    out = []
    for m in _PROCEDURE_RE.finditer(norm):
        raw = m.group(0)
        if sum(ch.isdigit() for ch in raw) < 4:  # mostly letters: a word, not a code
            continue
        value = f"{_digits(m['a'])}.{_digits(m['b'])}"
        out.append(Match(value, m.start(), m.end(), value != raw))
    return out


def parse_procedure_code(raw: str) -> str | None:
    found = find_procedure_codes(raw.strip())
    return found[0].value if len(found) == 1 and found[0].end - found[0].start == len(raw.strip()) else None


# --- personal identifier (số định danh cá nhân) ------------------------------------------------------
_PID_LOOSE_RE = re.compile(rf"(?<![0-9A-Za-z])(?P<id>{_D}(?:[ .]?{_D}){{11}})(?![0-9A-Za-z])")


def parse_personal_id(raw: str, *, today: date | None = None) -> str | None:
    """12 digits: province of birth (001–096), century+sex (0–3), birth year, serial.

    The century digit must agree with a plausible birth year: 0/1 → 19yy, 2/3 → 20yy not after
    ``today``. Digits 4–9 (22nd century and later) cannot belong to a living person.
    """
    today = today or date.today()
    digits = re.sub(r"[ .]", "", raw.strip()).translate(_DIGIT_FIX)
    if not re.fullmatch(r"\d{12}", digits):
        return None
    province, century, yy = int(digits[:3]), int(digits[3]), int(digits[4:6])
    if not 1 <= province <= 96 or century > 3:
        return None
    if (1900 if century < 2 else 2000) + yy > today.year:
        return None
    return digits


def find_personal_ids(text: str, *, today: date | None = None) -> list[Match]:
    norm = normalize(text)
    out = []
    for m in _PID_LOOSE_RE.finditer(norm):
        raw = m["id"]
        if sum(ch.isdigit() for ch in raw) < 9:
            continue
        value = parse_personal_id(raw, today=today)
        if value is not None:
            out.append(Match(value, m.start(), m.end(), value != raw))
    return out


# The first line of an identity card's machine-readable zone (ICAO 9303 TD1): "IDVNM", the
# document number (the identifier's last nine digits), its check digit, then the whole identifier.
_MRZ_RE = re.compile(r"[IT1l|][DO0]VNM(?P<doc>[0-9OoIl]{9})(?P<check>[0-9OoIl])(?P<id>[0-9OoIl]{12})")


def _mrz_check_digit(digits: str) -> int:
    return sum(int(d) * (7, 3, 1)[i % 3] for i, d in enumerate(digits)) % 10


def find_mrz_personal_id(text: str, *, today: date | None = None) -> Match | None:
    """The identifier in a card's machine-readable zone, when its check digit and its repetition
    as the document number agree (OCR noise in either makes the line worthless, not a guess)."""
    squeezed = normalize(text).replace(" ", "")  # OCR splits the long line; offsets refer to it squeezed
    for m in _MRZ_RE.finditer(squeezed):
        doc, check, ident = (m[k].translate(_DIGIT_FIX) for k in ("doc", "check", "id"))
        if ident[3:] != doc or _mrz_check_digit(doc) != int(check):
            continue
        value = parse_personal_id(ident, today=today)
        if value is not None:
            return Match(value, m.start(), m.end(), m.group(0)[:5] != "IDVNM" or ident != m["id"])
    return None


# --- document number and symbol (số, ký hiệu) ---------------------------------------------------------
#: Decree 30 type abbreviations → doc_type (None: a real type that has no class in DOMAIN.md).
TYPE_ABBRS: dict[str, str | None] = {
    "QĐ": "quyet_dinh",
    "CT": "chi_thi",
    "NQ": "nghi_quyet",
    "HD": "huong_dan",
    "TB": "thong_bao",
    "TTr": "to_trinh",
    "BC": "bao_cao",
    "KH": "ke_hoach",
    "BB": "bien_ban",
    "GM": "giay_moi",
    "GGT": "giay_moi",
    "GUQ": "giay_uy_quyen",
    "HĐ": "hop_dong",
    "GPXD": "giay_phep_xay_dung",
    "NĐ": None,
    "TT": None,
    "QC": None,
    "QyĐ": None,
    "TC": None,
    "CTr": None,
    "PA": None,
    "ĐA": None,
    "DA": None,
    "GCN": None,
    "GXN": None,
    "GNP": None,
    "PG": None,
    "PC": None,
    "PB": None,
    "BGN": None,
    "BTT": None,
}
_ABBR_BY_FOLD: dict[str, list[str]] = {}
for _abbr in TYPE_ABBRS:
    _ABBR_BY_FOLD.setdefault(fold(_abbr), []).append(_abbr)
# Issuer abbreviations whose Đ OCR tends to lose.
_ISSUER_FIX = {"hdnd": "HĐND", "ubnd": "UBND", "du": "ĐU"}

# The symbol's parts are joined by "-" (spaced by OCR at times: "QD - UBND") or "/" ("NQ-ĐHĐCĐ/BBG",
# "UB/TP"), never across a line break: the next line's "Thanh Thạch, ngày …" is no part of it.
_SYMBOL = (r"(?P<sym>[A-Z][A-Za-z0-9]{0,7}(?:[ \t]?[-–][ \t]?[A-Z0-9][A-Za-z0-9]{0,9}){0,4}"
           r"(?:/[A-Z][A-Z0-9]{0,9}(?:[-–][A-Z0-9][A-Za-z0-9]{0,9}){0,2}){0,2})(?![A-Za-z0-9])")
# "Số: 737 JCT-UBND": a slash OCR read as "J" or "|" before the symbol (taken only before a type abbreviation)
_DOC_NUMBER_RE = re.compile(
    rf"(?<![A-Za-z])S[oO6][ \t]?[:;.]?[ \t]*(?P<num>{_D}{{1,6}})"
    r"(?:(?P<gap>[ \t]?)(?P<slash>/|[J|](?=[A-Z]))[ \t]?|(?=[A-Z]))"
    r"(?P<year>(?:19|20)\d\d[ \t]?/[ \t]?)?" + _SYMBOL
)
# "Số: Øƒ /CT-UBND", "Số: /TB-UBND": a number handwritten into the gap (OCR garbage) or left blank;
# the printed symbol still reads.
_SYMBOL_ONLY_RE = re.compile(
    r"(?<![A-Za-z])S[oO6][ \t]?[:;.]?[ \t]*(?P<junk>\S{0,6}?(?:[ \t]\S{1,3}?)?)[ \t]*/[ \t]?['‘’`\"]?"
    r"(?P<year>(?:19|20)\d\d[ \t]?/[ \t]?)?" + _SYMBOL
)


@dataclass(frozen=True)
class DocNumber:
    so: str  # ``123`` (a year part ``15/2023/NQ-HĐND`` belongs to ky_hieu: ``2023/NQ-HĐND``)
    ky_hieu: str  # ``QĐ-UBND``
    type_abbr: str | None  # ``QĐ``; None for a công văn
    doc_type: str | None  # ``quyet_dinh``; ``cong_van`` when there is no type abbreviation
    repaired: bool
    start: int = 0
    end: int = 0
    gap: bool = False  # "Số: 04 /TTr-UBND": the number filled into a pre-printed gap (by hand, often)

    @property
    def so_ky_hieu(self) -> str:
        return f"{self.so}/{self.ky_hieu}"


def _canonical_abbr(token: str) -> tuple[str | None, bool]:
    options = _ABBR_BY_FOLD.get(fold(token))
    if not options:
        # A letter read twice ("QĐĐ"): the abbreviation it repeats, when that is one.
        single = re.sub(r"(.)\1+", r"\1", token)
        if single != token and _ABBR_BY_FOLD.get(fold(single)):
            return _canonical_abbr(single)[0], True
        return None, False
    if token in options:
        return token, False
    has_d_stroke = "Đ" in token or "đ" in token
    pick = [o for o in options if ("Đ" in o) == has_d_stroke] or options
    # ``QD`` can only be QĐ (repair); ``HD`` is Hướng dẫn as printed, not a repaired HĐ.
    return pick[0], True


def _symbol_tokens(norm: str, m: re.Match[str]) -> list[str]:
    """The symbol's parts; it ends before a part with a lower-case letter (a word of the next column,
    "BC-UBND - Thanh"), the type abbreviations' own mixed case (TTr, QyĐ, CTr) aside, and an issuer's
    capitals with a small letter after them ("01/2025/QĐ-TTg": the Prime Minister's), which no word is."""
    tokens = [t for t in re.split(r"[ \t]?[-–][ \t]?", norm[m.start("sym") : m.end("sym")]) if t]
    for k, tok in enumerate(tokens):
        if k and any(ch.islower() for ch in tok) and tok not in TYPE_ABBRS and not _MIXED_ISSUER_RE.fullmatch(tok):
            return tokens[:k]
    return tokens


_MIXED_ISSUER_RE = re.compile(r"[A-ZĐ]{2,}[a-z]")


def _doc_number_from_match(norm: str, m: re.Match[str]) -> DocNumber | None:
    num_raw = m["num"]
    if not any(ch.isdigit() for ch in num_raw):
        return None
    so = _digits(num_raw)
    tokens = _symbol_tokens(norm, m)
    if not tokens:
        return None
    repaired = so != num_raw or " " in m.group(0).split("/", 1)[-1]
    abbr, fixed = _canonical_abbr(tokens[0])
    if m["slash"] != "/":
        # "6KH-UBND": the slash lost between the number and a type abbreviation (or read as a letter, "737
        # JCT-UBND"); without a known abbreviation right after it, nothing says where the number ends.
        if abbr is None or TYPE_ABBRS[abbr] is None or m["year"] or len(tokens) < 2:
            return None
        repaired = True
    ky_hieu, abbr, doc_type, repaired = _symbol(tokens, abbr, fixed, m["year"], repaired)
    return DocNumber(so, ky_hieu, abbr, doc_type, repaired, m.start(), m.end(), gap=bool(m["gap"]))


def _symbol(tokens: list[str], abbr: str | None, fixed: bool, year_raw: str | None,
            repaired: bool) -> tuple[str, str | None, str | None, bool]:
    if abbr is not None:
        tokens[0] = abbr
        repaired = repaired or fixed
        doc_type = TYPE_ABBRS[abbr]
    else:
        doc_type = "cong_van"  # Decree 30: a công văn's symbol starts with the issuer, no type
    for i in range(1 if abbr is not None else 0, len(tokens)):
        fixed_issuer = _ISSUER_FIX.get(fold(tokens[i]))
        if fixed_issuer and fixed_issuer != tokens[i]:
            tokens[i], repaired = fixed_issuer, True
    year = re.sub(r"\s", "", year_raw) if year_raw else ""
    return year + "-".join(tokens), abbr, doc_type, repaired


def _symbol_text(text: str) -> str:
    """``normalize(text)`` with a symbol's first capital OCR read as a look-alike sign put back ("/€T-CS": the C
    of Cục Thuế's "CT-CS"); one character for one, so offsets hold."""
    return _SIGN_FOR_C_RE.sub("C", normalize(text))


_SIGN_FOR_C_RE = re.compile(r"(?<=/)[€©](?=[A-ZĐ])")


def find_doc_symbol(text: str) -> DocNumber | None:
    """The printed symbol of a ``Số:`` line whose number is unreadable or blank (``Số: Øƒ /CT-UBND``,
    ``Số: /TB-UBND``): a DocNumber with an empty ``so``. The symbol must be a known type abbreviation
    or an issuer followed by more parts, so that junk after a slash is not taken for one."""
    norm = _symbol_text(text)
    stripped = strip_marks(norm)
    for m in _SYMBOL_ONLY_RE.finditer(stripped):
        full = _DOC_NUMBER_RE.match(stripped, m.start())
        if full is not None and _doc_number_from_match(norm, full) is not None:
            continue  # a readable number: find_doc_numbers' business
        tokens = _symbol_tokens(norm, m)
        if not tokens:
            continue
        abbr, fixed = _canonical_abbr(tokens[0])
        # an issuer alone is a symbol after a year part ("Số: ……./2023/KS", a company's), not after bare junk
        if abbr is None and ((len(tokens) < 2 and "/" not in tokens[0] and not m["year"]) or not tokens[0].isupper()):
            continue
        if abbr is not None and len(tokens) < 2 and abbr not in ("GPXD", "GUQ"):
            continue  # "QĐ" alone after junk: too little to be sure it is a symbol
        ky_hieu, abbr, doc_type, repaired = _symbol(tokens, abbr, fixed, m["year"], bool(m["junk"]))
        return DocNumber("", ky_hieu, abbr, doc_type, repaired, m.start(), m.end())
    for m in _GLUED_SYMBOL_RE.finditer(stripped):
        # "Số: 4#ĐTB-ĐHKTCN": a pen's number over the printed slash, glued to the symbol; a known type
        # abbreviation with its issuer after it says where the symbol starts
        full = _DOC_NUMBER_RE.match(stripped, m.start())
        if full is not None and _doc_number_from_match(norm, full) is not None:
            continue
        tokens = _symbol_tokens(norm, m)
        abbr, fixed = _canonical_abbr(tokens[0]) if tokens else (None, False)
        if abbr is None or len(tokens) < 2:
            continue
        ky_hieu, abbr, doc_type, _ = _symbol(tokens, abbr, fixed, None, True)
        return DocNumber("", ky_hieu, abbr, doc_type, True, m.start(), m.end())
    return None


_TYPED_ABBRS = "|".join(sorted({re.escape(strip_marks(a)) for a, t in TYPE_ABBRS.items() if t}, key=len, reverse=True))
# The junk holds a digit or a sign (what a pen's strokes read as), never letters alone: "Số: QĐTB-…" is no number.
_GLUED_SYMBOL_RE = re.compile(
    r"(?<![A-Za-z])S[oO6][ \t]?[:;.]?[ \t]*(?P<junk>(?=[^\s/]{0,5}[\d#%&*@~^])[^\s/]{1,6}?)"
    rf"(?=(?:{_TYPED_ABBRS})[ \t]?[-–][A-Z])" + _SYMBOL
)


def find_doc_numbers(text: str) -> list[DocNumber]:
    """``Số: 123/QĐ-UBND``-style numbers (the ``Số`` label is required: citations in the body say
    ``Quyết định số 45/QĐ-UBND`` with a lower-case ``số`` and must not be taken for the header)."""
    norm = _symbol_text(text)
    stripped = strip_marks(norm)
    out = []
    for m in _DOC_NUMBER_RE.finditer(stripped):
        dn = _doc_number_from_match(norm, m)
        if dn is not None:
            out.append(dn)
    return out


def parse_doc_number(raw: str) -> DocNumber | None:
    """``123/QĐ-UBND`` or ``Số: 123/QĐ-UBND`` → DocNumber, else None."""
    raw = raw.strip()
    found = find_doc_numbers(raw if re.match(r"(?i)s\S{0,2}\s*[:;.]", strip_marks(raw)) else f"Số: {raw}")
    return found[0] if found else None
