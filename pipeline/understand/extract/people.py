"""The people of a document: the citizen it is about (the labelled person block of a form, the
applicant, the person named with an identifier in a result's text) and that citizen's identifier."""

from __future__ import annotations

import re
from datetime import date

from pipeline.understand.extract.base import NAME_TOKEN_RE, Field, conf_of, has_marks, nonempty
from pipeline.vn.codes import (
    find_mrz_personal_id,
    find_personal_ids,
)
from pipeline.vn.lexicon import (
    restore_family_name,
)
from pipeline.vn.text import clean_spacing, fold

# Documents about one citizen, where "Họ, chữ đệm, tên:" names that citizen. A marriage certificate
# and a power of attorney name two people on equal footing, so no single ho_ten is read from them.
PERSONAL = frozenset(
    {
        "to_khai",
        "don",
        "giay_khai_sinh",
        "trich_luc_ho_tich",
        "xac_nhan_tthn",
        "giay_chung_sinh",
        "giay_bao_tu",
        "can_cuoc",
        "phieu_mot_cua",
        "bien_lai",
        "ban_sao_chung_thuc",
        "gcn_ho_kinh_doanh",
    }
)

# Results addressed to one citizen in running text ("… cho hộ ông Lê Văn Bình, Số định danh cá
# nhân: …"): the person named together with an identifier is the one the document is about.
SUBJECT_IN_TEXT = frozenset({"quyet_dinh", "giay_phep_xay_dung", "gcn_qsdd"})

# The person a class is about when its form names several: the mother on a birth notice (the child
# has no name yet), the deceased on a death notice.
_SUBJECT_LABEL: dict[str, re.Pattern[str]] = {
    "giay_chung_sinh": re.compile(r"\bho\s*(va|,)?\s*(chu dem,?\s*)?(va\s*)?ten\s*(cua\s*)?(nguoi\s*)?me\s*:\s*"),
    "giay_bao_tu": re.compile(r"\bho\s*(va|,)?\s*(chu dem,?\s*)?(va\s*)?ten\s*(cua\s*)?nguoi\s*(da\s*)?chet\s*:\s*"),
}
_NAME_LABEL_RE = re.compile(
    r"\b(ho,?\s*chu dem,?\s*(va\s*)?ten|ho\s*(va\s*)?ten)(\s*khai sinh)?(\s*/\s*full name)?\s*:\s*"
    r"|\bfull name\s*:\s*"
)
_APPLICANT_LABEL_RE = re.compile(
    r"\b(ho,?\s*chu dem,?\s*(va\s*)?ten|ho\s*(va\s*)?ten)\s*nguoi\s*(yeu cau|khai|nop|di dang ky|lam don)"
    r"\s*:\s*|\btoi ten la\s*:?\s*|\btiep nhan ho so cua\s*:?\s*|\b(ten\s*)?nguoi nop( ho so| tien)?\s*:\s*"
)
_OTHER_PERSON_RE = re.compile(r"\b(ho,?\s*chu dem,?\s*(va\s*)?ten|ho\s*(va\s*)?ten)\s*(nguoi|cua|me|cha|vo|chong)\b")
_NAME_END_RE = re.compile(
    r"\s{2,}|[;,(]|\b(gioi tinh|ngay,? thang|ngay sinh|sinh ngay|nam sinh|dan toc|quoc tich|so dinh danh|"
    r"cccd|cmnd|noi (sinh|cu tru|thuong tru)|sex|date of birth)\b"
)
_HONORIFIC_RE = re.compile(r"^(ong\s*/\s*ba|ong|ba|anh|chi|cong dan)\b\.?\s*", re.IGNORECASE)
_ID_LABEL_RE = re.compile(
    r"\b(so dinh danh( ca nhan)?|so cccd|so can cuoc( cong dan)?|cmnd\s*/\s*cccd|cccd|"
    r"personal identification|so\s*/\s*no)\b"
)


# --- the citizen ---------------------------------------------------------------------------------------
def _person_name(value: str) -> tuple[str, bool] | None:
    """A personal name as printed (capitals made Title-case), family name restored; or None."""
    value = clean_spacing(value).strip(" .:-")
    hm = _HONORIFIC_RE.match(fold(value))
    if hm:
        value = value[hm.end() :].strip(" .:")
    tokens = value.split()
    if not 2 <= len(tokens) <= 7 or not all(NAME_TOKEN_RE.match(t) and t[0].isupper() for t in tokens):
        return None
    name = value.title() if value.isupper() else value
    first, *rest = name.split()
    repaired = False
    if has_marks(name):
        restored = restore_family_name(first)
        if restored is not None:
            first, repaired = restored
    return " ".join([first, *rest]), repaired


def _name_after(lines: list[str], i: int, start: int) -> tuple[str, bool] | None:
    line = lines[i]
    value = line[start:]
    if not value.strip():
        nxt = nonempty(lines, i + 1)[:1]
        if not nxt:
            return None
        value = lines[nxt[0]]
    m = _NAME_END_RE.search(fold(value))
    if m:
        value = value[: m.start()]
    return _person_name(value)


def subject_in_text(lines: list[str], today: date) -> dict[str, Field]:
    """"… đối với bà Trần Thị Thu, sinh ngày 01/02/1940, Số định danh cá nhân: 045172190356" and
    "Bà: PHẠM PHƯƠNG VÂN, năm sinh: 1975, Số định danh cá nhân: …": a person named right before an
    identifier, in the same sentence."""
    page = "\n".join(lines).split("\f", 1)[0]
    flat = re.sub(r"\s*\n\s*", " ", page)
    folded = fold(flat)
    rx = re.compile(
        r"\b(ong|ba)\b\s*:?\s+(?P<name>(?:\S+\s+){1,5}?\S+?)\s*[,;]\s*"
        r"(?:(?:sinh ngay|nam sinh)\s*:?\s*[^,;]{1,12}[,;]\s*)?so dinh danh ca nhan\s*:?\s*"
    )
    for m in rx.finditer(folded):
        found = _person_name(flat[m.start("name") : m.end("name")])
        ids = find_personal_ids(flat[m.end() : m.end() + 20], today=today)
        if found is None or not ids or ids[0].start > 2:
            continue
        name, repaired = found
        return {"ho_ten": Field(name, 0.8 - (0.1 if repaired else 0.0)),
                "so_dinh_danh": Field(ids[0].value, conf_of(0.85, ids[0].repaired))}
    return {}


def read_citizen(lines: list[str], doc_type: str, today: date) -> dict[str, Field]:
    out: dict[str, Field] = {}
    name_line = None
    labels: list[tuple[re.Pattern[str], float]] = []
    if doc_type in _SUBJECT_LABEL:
        labels.append((_SUBJECT_LABEL[doc_type], 0.85))
    labels += [(_NAME_LABEL_RE, 0.85), (_APPLICANT_LABEL_RE, 0.7)]
    for label_rx, conf in labels:
        for i, line in enumerate(lines):
            folded = fold(line)
            m = label_rx.search(folded)
            if not m:
                continue
            if label_rx is _NAME_LABEL_RE and _OTHER_PERSON_RE.match(folded, m.start()):
                continue
            named = _name_after(lines, i, m.end())
            if named:
                name, repaired = named
                if not has_marks(name):
                    conf -= 0.1  # no marks at all: OCR probably lost them
                out["ho_ten"] = Field(name, round(conf - (0.1 if repaired else 0.0), 3))
                name_line = i
                break
        if name_line is not None:
            break

    def labelled_ids(lo: int, window: int | None) -> Field | None:
        rows = nonempty(lines, lo)
        for n, i in enumerate(rows[:window] if window else rows):
            folded = fold(lines[i])
            if n and _OTHER_PERSON_RE.search(folded):
                return None  # the next person's block begins
            m = _ID_LABEL_RE.search(folded)
            if not m:
                continue
            tail = lines[i][m.end() :]
            if re.match(r"\W*(cua|of)\s+(me|cha|vo|chong|nguoi)\b", fold(tail)):
                continue  # "Số định danh cá nhân của mẹ": someone else's identifier
            nxt = nonempty(lines, i + 1)[:1]
            ids = find_personal_ids(tail, today=today) or (find_personal_ids(lines[nxt[0]], today=today) if nxt else [])
            if len(ids) > 1 or len(re.findall(r"\d[\d.]{7,}\d", tail)) > 1:
                return None  # one row of two people's numbers (a marriage form's table), one maybe garbled
            if ids:
                return Field(ids[0].value, conf_of(0.9, ids[0].repaired))
        return None

    found: Field | None = labelled_ids(name_line, 8) if name_line is not None else labelled_ids(0, None)
    if found is None and doc_type == "can_cuoc":
        # the card's machine-readable zone repeats the number under a check digit
        mrz = find_mrz_personal_id("\n".join(lines), today=today)
        ids = find_personal_ids("\n".join(lines), today=today)
        if mrz is not None:
            found = Field(mrz.value, conf_of(0.85, mrz.repaired))
        elif len(ids) == 1:
            found = Field(ids[0].value, conf_of(0.75, ids[0].repaired))
    if found is not None:
        out["so_dinh_danh"] = found
    return out
