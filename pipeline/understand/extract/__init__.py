"""Metadata extraction (DOMAIN.md keys) from OCR or text-layer output of one document.

The text is what tesseract (``-l vie``, psm 3) or pdfplumber give for A4 pages: lines in reading
order, pages separated by ``\\f``, the two columns of a Decree 30 header often merged on one line
(``ỦY BAN NHÂN DÂN XÃ THANH THẠCH Độc lập - Tự do - Hạnh phúc``,
``Số: 123/QĐ-UBND Thanh Thạch, ngày 07 tháng 4 năm 2023``, ``Nơi nhận: KT. CHỦ TỊCH``). Where OCR
word boxes exist, the page is read as laid out instead: the header's left column (issuing body)
and the signature block at the bottom right are taken from the words in their own column, so a
merged row no longer mixes them.

A field that cannot be read is absent, never guessed. Confidence per field: a clean, labelled
match scores high; a value that needed OCR repair, or was found without its label, scores lower.
Names that OCR damaged are restored against a vocabulary of Vietnamese administrative words, the
spellings the same document shows elsewhere and what reviewers corrected (pipeline/vn/lexicon.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from pipeline.understand.classify import find_titles
from pipeline.understand.extract.abstract import read_abstract
from pipeline.understand.extract.base import Field, nonempty
from pipeline.understand.extract.codes import (
    HANDWRITTEN_NUMBER,
    doc_number,
    land_serial,
    read_certification,
    read_codes,
    unsure_day,
)
from pipeline.understand.extract.header import (
    HEADER_ZONE,
    NO_BODY,
    Reading,
    context_places,
    header_lines,
    issue_date,
    issuing_body,
    place_without_date,
)
from pipeline.understand.extract.people import PERSONAL, SUBJECT_IN_TEXT, Party, read_people, subject_in_text
from pipeline.understand.extract.signature import NO_SIGNER, certifier_of, signature_of
from pipeline.understand.extract.title import type_name
from pipeline.vn.codes import (
    DOSSIER_CODE_RE,
)
from pipeline.vn.lexicon import (
    EMPTY,
    Lexicon,
    restore_known,
    restore_phrases,
)
from pipeline.vn.names import doubtful_syllables
from pipeline.vn.ocrfix import is_syllable, syllable_share
from pipeline.vn.text import fold, nfc, normalize
from schemas.tasks import PageResult


def _marked(text: str) -> bool:
    """Whether the text is written with Vietnamese marks (a paper typed without any has few or none)."""
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 200 and sum(1 for ch in letters if fold(ch) != ch.lower() or ch in "đĐ") > 0.1 * len(letters)


def _language(text: str) -> Field | None:
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < 20:
        return None
    marked = sum(1 for ch in letters if fold(ch) != ch.lower() or ch in "đĐ")
    words = re.findall(r"\w+", fold(text))
    common = sum(1 for w in words if w in {"va", "cua", "ngay", "thang", "nam", "theo", "cho", "cac", "co", "ve"})
    if marked / len(letters) > 0.05 and common:
        return Field("vi", 0.95)
    if common / max(len(words), 1) > 0.05:
        return Field("vi", 0.6)  # Vietnamese words, but OCR dropped the marks
    return None


def unsure_fields(confidence: Mapping[str, float], threshold: float) -> list[str]:
    """The keys read with less confidence than ``threshold``: their document goes to review so that a
    person confirms them (a value read wrong with confidence is worse than one a clerk is asked about)."""
    return sorted(k for k, c in confidence.items() if c < threshold)


@dataclass(frozen=True)
class Extraction:
    """What the extractor read from one document: the metadata fields, and the people other than
    the citizen (`parties`)."""

    fields: dict[str, Field]
    parties: list[Party] = field(default_factory=list)


def extract(
    text: str,
    doc_type: str,
    *,
    page_count: int | None = None,
    today: date | None = None,
    dossier_pattern: str | re.Pattern[str] = DOSSIER_CODE_RE,
    pages: Sequence[PageResult] | None = None,
    lexicon: Lexicon = EMPTY,
) -> dict[str, Field]:
    """Metadata of one document; keys are those of DOMAIN.md, absent when not read (see
    `extract_document`, which also gives the document's parties)."""
    return extract_document(text, doc_type, page_count=page_count, today=today, dossier_pattern=dossier_pattern,
                            pages=pages, lexicon=lexicon).fields


def extract_document(
    text: str,
    doc_type: str,
    *,
    page_count: int | None = None,
    today: date | None = None,
    dossier_pattern: str | re.Pattern[str] = DOSSIER_CODE_RE,
    pages: Sequence[PageResult] | None = None,
    lexicon: Lexicon = EMPTY,
) -> Extraction:
    """Metadata of one document and its parties.

    ``pages`` (with OCR word boxes) lets the header and signature be read by column; ``lexicon``
    holds names reviewers corrected (pipeline/understand/corrections.py), used to restore OCR-damaged ones."""
    today = today or date.today()
    norm = normalize(text)
    # Page breaks become their own marker line so line indices stay global and the signature
    # search can find the last page.
    lines = norm.replace("\f", "\n\f\n").split("\n")
    first_page_end = lines.index("\f") if "\f" in lines else len(lines)
    header_idx = nonempty(lines, 0, first_page_end)[:HEADER_ZONE]
    header = "\n".join(lines[i] for i in header_idx)
    titles = find_titles(norm)
    first = pages[0] if pages else None

    out: dict[str, Field] = {}
    if doc_type == "ban_sao_chung_thuc":
        out.update(read_certification(lines, today))  # the copied paper's own header is not the copy's
    else:
        out.update(doc_number(header, doc_type, titles, first))
        if doc_type == "gcn_qsdd" and (serial := land_serial(lines, titles)) is not None:
            out["so"] = serial
        # the header proper ends at the title: a date below it is the body's (a citation's, a law's)
        above_title = [i for i in header_idx if not titles or i < titles[0].line_no]
        # a form's place-date line is at its end, on any page; a Decree 30 paper's is in its header
        dated = lines[:first_page_end] if doc_type not in PERSONAL else lines
        issued = issue_date(dated, above_title, today)
        if issued is not None:
            out["ngay_ban_hanh"] = issued[0]
            by_hand = out.get("so") is not None and out["so"].confidence == HANDWRITTEN_NUMBER
            if doc_type == "khac" and issued[1] is None:
                # a paper of no known layout with no place-date line: a date standing alone ("Ngày 23 tháng 12
                # năm 2011" on a routing slip) may be any of its dates; a person says which it is
                out["ngay_ban_hanh"] = Field(issued[0].value, min(issued[0].confidence, 0.5))
            if doc_type not in PERSONAL and (by_hand or unsure_day(first)):
                # the clerk numbers and dates a paper at once, by hand: a day read unsure, or beside a number
                # written in, is offered to review ("3" for a handwritten "23"), never stored as read
                out["ngay_ban_hanh"] = Field(issued[0].value, HANDWRITTEN_NUMBER)
        where = issued[1] if issued is not None and issued[1] is not None else place_without_date(dated)
        if where is not None:
            place = restore_known(where.value, lexicon.places) if lexicon.places else None
            if place is None and not all(is_syllable(w) for w in where.value.split()):
                # "Quủng Xương": OCR garbled the place; the document spells it elsewhere ("xã Quảng Xương")
                restored, changed = restore_phrases(where.value, context_places(norm, lexicon))
                place = restored if changed else None
            out["dia_danh"] = Field(place, 0.8) if place and place != where.value else where
        if doc_type not in NO_BODY:
            left, from_boxes = header_lines(lines[:first_page_end], first)
            body = issuing_body(left, titles, context_places(norm, lexicon), lexicon, from_boxes,
                                Reading(as_printed=first is not None and first.source == "text_layer",
                                        marked=_marked(norm)))
            if body is not None:
                out["co_quan_ban_hanh"] = body
    abstract = read_abstract(lines, doc_type, titles, header_idx, today, first)
    if abstract is not None:
        out["trich_yeu"] = abstract
    if doc_type == "ban_sao_chung_thuc":
        # the copy's signer is the stamp's certifier, not whoever signed the copied paper
        out.update(certifier_of(pages, lexicon) or signature_of(lines, pages, lexicon))
    elif doc_type not in NO_SIGNER:
        out.update(signature_of(lines, pages, lexicon))
    parties: list[Party] = []
    if doc_type in PERSONAL:
        citizen, parties = read_people(lines, doc_type, titles, today)
        out.update(citizen)
    elif doc_type in SUBJECT_IN_TEXT:
        out.update(subject_in_text(lines, today))
    out.update(read_codes(lines, dossier_pattern))
    name = type_name(doc_type, titles, lines, header_idx)
    if name is not None:
        out["ten_loai"] = name
    if page_count is not None and page_count > 0:
        out["so_trang"] = Field(str(page_count), 1.0)
    lang = _language(norm)
    if lang is not None:
        out["ngon_ngu"] = lang
    return Extraction(_doubt_weak_words(_doubt_garbled(out), pages or ()), parties)


# Values made of words: one that holds a word no Vietnamese syllable can be ("NGAÀI", "Nøgãi", "PHỦNG Í
# VĂN È") was read through OCR garbage, whatever the reader's confidence.
WORDED_KEYS = ("trich_yeu", "co_quan_ban_hanh", "chuc_vu_nguoi_ky", "nguoi_ky", "ho_ten", "dia_danh", "ten_loai")
GARBLED_CONFIDENCE = 0.5


def garbled(value: str) -> bool:
    """Whether a worded value holds a word that is not Vietnamese (acronyms such as UBND aside)."""
    valid, counted = syllable_share(value)
    return valid < counted


# Printed in capitals: a lower-case word or a lone letter among them is a seal's or a signature's specks
# read into the line ("CHÁNH HỘI VĂN PHỦNG Í VĂN È là PHÒNG").
CAPITAL_KEYS = ("chuc_vu_nguoi_ky", "co_quan_ban_hanh")


def _specks_in_capitals(value: str) -> bool:
    words = re.findall(r"[^\W\d_]+", value)
    if not words or sum(w.isupper() for w in words) < 0.7 * len(words):
        return False
    if re.search(r"[-–—_]{2,}", value):
        return True  # "XÃ THANH ——— THẠCH": a rule or a stroke read into the name
    if any(not re.search(r"\w", tok) and tok not in ("-", "–", ",", "&") for tok in value.split()):
        return True  # "BỘ PHẬN `\" VÀ TRẢ KẾT": specks standing for the words OCR lost
    # "SỞ TÀI ÀI CHÍNH": a word's end read twice
    echoed = any(len(b) >= 2 and a != b and a.endswith(b) for a, b in pairwise(words))
    return echoed or any(not w.isupper() or (len(w) == 1 and w not in _ONE_LETTER_WORDS) for w in words)


_ONE_LETTER_WORDS = frozenset({"Y", "Ý", "Ở"})  # "SỞ Y TẾ"; any other lone capital is a speck


# A person's name with a syllable rare in names whose twin with other marks is common ("Võ Quốc Đũng")
# was misread more often than not (pipeline/vn/names.py): to review, not corrected.
NAME_KEYS = ("ho_ten", "nguoi_ky")


def _doubt_garbled(fields: dict[str, Field]) -> dict[str, Field]:
    for key in WORDED_KEYS:
        f = fields.get(key)
        specks = key in CAPITAL_KEYS and f is not None and _specks_in_capitals(f.value)
        misread = key in NAME_KEYS and f is not None and bool(doubtful_syllables(f.value))
        if f is not None and f.confidence > GARBLED_CONFIDENCE and (garbled(f.value) or specks or misread):
            fields[key] = Field(f.value, GARBLED_CONFIDENCE)
    return fields


# Tesseract's confidence in a word, 0-100: the words of a seal's ring or of specks read into a line
# ("CHỦ TỊCH - LAN SÔNG", "BỘ PHẬN `\" VÀ TRẢ KẾT", "… CAO BẰNG LẦU XI") score under this wherever
# they occur, the words of a printed line well above (bench/classify.py: of 48 worded values under it
# 6 of 7 were wrong).
WEAK_WORD_CONF = 50.0
_EDGE_PUNCT = ".,;:()[]\"'`“”‘’-–—"


def _doubt_weak_words(fields: dict[str, Field], pages: Sequence[PageResult]) -> dict[str, Field]:
    """A worded value holding a word that OCR read only weakly, everywhere on the pages it is found,
    goes to review. Words of the value not found as read (restored against the lexicon) count for
    nothing either way."""
    best: dict[str, float] = {}
    for page in pages:
        for w in page.words:
            token = nfc(w.text).strip(_EDGE_PUNCT)
            if token and w.conf >= 0:
                best[token] = max(best.get(token, 0.0), w.conf)
    if not best:
        return fields
    for key in WORDED_KEYS:
        f = fields.get(key)
        if f is None or f.confidence <= GARBLED_CONFIDENCE:
            continue
        read = [best[t] for t in (tok.strip(_EDGE_PUNCT) for tok in nfc(f.value).split()) if t in best]
        if read and min(read) < WEAK_WORD_CONF:
            fields[key] = Field(f.value, GARBLED_CONFIDENCE)
    return fields
