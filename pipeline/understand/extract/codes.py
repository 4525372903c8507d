"""Numbers and codes: the number and symbol (`123/QĐ-UBND`), a civil-status book number, a land
certificate's serial, a certified copy's number, dossier and procedure codes."""

from __future__ import annotations

import difflib
import re
from datetime import date
from typing import Literal

from pipeline.understand.classify import TitleHit
from pipeline.understand.extract.base import Field, conf_of, nonempty, title_case_run
from pipeline.understand.extract.header import place_and_date
from pipeline.vn.codes import (
    TYPE_ABBRS,
    DocNumber,
    dossier_unit,
    find_doc_numbers,
    find_doc_symbol,
    find_dossier_codes,
    find_procedure_codes,
)
from pipeline.vn.dates import DateMatch, find_dates
from pipeline.vn.text import fold, normalize, split_motto
from schemas.tasks import PageResult, PageWord

_PROCEDURE_LABEL_RE = re.compile(r"\bma\s*(so\s*)?(thu tuc|tthc)\b")


# --- header: number and symbol, issuing body, place and date -------------------------------------------
def doc_number(header: str, doc_type: str, titles: list[TitleHit], first: PageResult | None = None
               ) -> dict[str, Field]:
    # The header's own number starts its line (the left column); "… Nghị quyết: Số 39/2011/NQ-HĐND"
    # in an abstract and the "Số: 2352" of an incoming-mail stamp do not.
    header = _LABEL_S_RE.sub("S", header)  # "_§ố: Ô# /CT-UBND": OCR's "§" for the label's bold "S"
    # "số: Œ0|_ /QĐ-ĐN": the label's capital read small; at a line's start and with its colon it is still the label
    # (a citation's small "số" runs on inside a sentence, with no colon)
    header = _SMALL_LABEL_RE.sub("S", header)
    norm = normalize(header)
    numbers = [dn for dn in find_doc_numbers(header) if _starts_line(norm, dn.start)]
    symbol = find_doc_symbol(header)
    if symbol is not None and not _starts_line(norm, symbol.start):
        symbol = None
    if symbol is not None and re.match(r"[^\n:]{0,24}:", norm[symbol.end :]):
        symbol = None  # "- Số CMND/CCCD/ĐKKD/Hộ chiếu: 0381…": a form's field label, not a number line
    if symbol is not None and (not numbers or symbol.start < numbers[0].start):
        numbers = []
    if not numbers:
        if symbol is not None:
            dn = _agree_with_title(symbol, doc_type, titles)
            return {"ky_hieu": Field(dn.ky_hieu, conf_of(0.85, dn.repaired, 0.1))}
        return _bare_number(header, doc_type)
    dn = _agree_with_title(numbers[0], doc_type, titles)
    c = conf_of(0.95, dn.repaired, 0.2)
    if dn.doc_type in _ISSUER_AFTER_TYPE and re.sub(r"^\d{4}/", "", dn.ky_hieu) == dn.type_abbr:
        # "70/BC" (of "70/BC.U BND"): Decree 30 writes an administrative document's issuer abbreviation after its
        # type's; a symbol that stops at the type lost its end to OCR: a person confirms it (a permit's "71/GPXD"
        # or a certificate's symbol stands alone)
        c = min(c, _CUT_SYMBOL)
    if not dn.so.strip("0"):
        return {"ky_hieu": Field(dn.ky_hieu, c)}  # "Số: 0 /CT-UBND": no paper is numbered 0; a stroke read as one
    # "Số: O4": a letter read for a digit; typed digits OCR seldom reads as letters, a written-in "6" often
    label = re.match(r"\W*S\S?\s*[:;.]?\s*(?P<num>[0-9OoIl|ÓóÒòÔôÕõỌọ]+)", norm[dn.start : dn.end])
    ocr = first is None or first.source == "ocr"
    read_as_letters = ocr and label is not None and not label["num"].isdigit()  # "O4", "ó4", "l2"
    # A number glued to its symbol ("842/TB-ĐHKTCN") and read unsure, beside a day the pen filled in, was written
    # by the same pen: the word's low score is no proof alone (typed ones glued score low too), the pen's day is.
    in_slot = dn.gap or _glued_unsure(dn.so, first)
    by_pen = _by_pen(first, "number") or (in_slot and _by_pen(first, "day"))  # read again from pen strokes
    if _unsure_number(dn.so, first) or (in_slot and day_by_hand(norm)) or read_as_letters or by_pen:
        # a number filled into the printed gap and read with low confidence is most often handwriting
        # tesseract misreads ("04" for "01"); so is one beside a day the hand filled in (the clerk numbers
        # and dates a paper at once, "ngày 4}' tháng 9"), however sure OCR was: the symbol is printed and
        # kept, the number is offered to review, never stored as read
        so = Field(dn.so, HANDWRITTEN_NUMBER)
        return {"so": so, "ky_hieu": Field(dn.ky_hieu, c), "so_ky_hieu": Field(dn.so_ky_hieu, HANDWRITTEN_NUMBER)}
    return {"so": Field(dn.so, c), "ky_hieu": Field(dn.ky_hieu, c), "so_ky_hieu": Field(dn.so_ky_hieu, c)}


_LABEL_S_RE = re.compile(r"(?:(?<=^)|(?<=[\s_]))[§$](?=[ốôóòoO6]\s?[:;.])", re.MULTILINE)
_SMALL_LABEL_RE = re.compile(r"(?:(?<=^)|(?<=^[\W_]))s(?=[ốôóòo6]\s?:)", re.MULTILINE)
HANDWRITTEN_NUMBER = 0.45  # under the field review threshold: a person confirms it
_CUT_SYMBOL = 0.5
_ISSUER_AFTER_TYPE = frozenset({"quyet_dinh", "chi_thi", "nghi_quyet", "huong_dan", "thong_bao", "to_trinh", "bao_cao",
                                "ke_hoach", "bien_ban", "giay_moi"})
# The day of a place-date line, when it is not one or two clean digits: "ngày/4}' tháng", "ngày Íð tháng".
_DAY_SLOT_RE = re.compile(r"\bngay(?P<day>[^\n]{0,8}?)thang\b")


def day_by_hand(header: str) -> bool:
    """Whether the header's place-date line shows a day written in by hand (OCR specks in the day's slot)."""
    for m in _DAY_SLOT_RE.finditer(fold(header)):
        day = m["day"].strip()
        if day and not re.fullmatch(r"\d{1,2}", day):
            return True
    return False


def _by_pen(page: PageResult | None, gap: Literal["number", "day"]) -> bool:
    """Whether the OCR stage found ``gap`` of the header written in by hand and read it again
    (pipeline/read/slots.py): its digits, however clean they now read, are a pen's, as read by a machine."""
    return page is not None and gap in page.handwritten


def _starts_line(text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    return not re.search(r"[^\W_]", text[line_start:start])  # a rule's "_" before the label is no word


def _unsure_number(so: str, page: PageResult | None) -> bool:
    """Whether OCR read the number ``so`` with low confidence in the page's header (no words: unknown, so
    not): the word that is the number alone ("O4"), the one after the "Số:" label when there is one.
    Whether in a printed gap or not, a number tesseract is unsure of is most often handwriting it misread."""
    zone = _header_words(page)
    for label in (w for w in zone if re.match(r"^\W*s[o6]\s*[:;.]\W*$", fold(w.text))):
        # the number's own word follows the label on its row; a word that also holds the label or the symbol
        # ("Số:23", "25/QĐ-UBND") says nothing of the digits: tesseract scores typed ones there under 30 too
        after = [w for w in zone if w.left > label.left and _same_row(w, label)]
        word = min(after, key=lambda w: w.left, default=None)
        if word is not None and _number_word(word.text.translate(_DIGITS)) == so:
            return word.conf < _SURE_NUMBER
    confs = [w.conf for w in zone if _number_word(w.text.translate(_DIGITS)) == so]
    return bool(confs) and max(confs) < _SURE_NUMBER


def _glued_unsure(so: str, page: PageResult | None) -> bool:
    """Whether the word after the header's "Số:" label is the number glued to its symbol ("842/TB-ĐHKTCN")
    and OCR scored it under sure."""
    zone = _header_words(page)
    for label in (w for w in zone if re.match(r"^\W*s[o6]\s*[:;.]\W*$", fold(w.text))):
        after = [w for w in zone if w.left > label.left and _same_row(w, label)]
        word = min(after, key=lambda w: w.left, default=None)
        if word is not None and re.match(rf"\W*{re.escape(so)}\s*/", word.text.translate(_DIGITS)):
            return word.conf < _SURE_NUMBER
    return False


def _header_words(page: PageResult | None) -> list[PageWord]:
    """The OCR words of the page's top (where the number and the place-date line are); none for a text
    layer or a page without words."""
    if page is None or page.source != "ocr" or not page.words:
        return []
    top = 0.4 * page.height_px if page.height_px else float("inf")
    return [w for w in page.words if w.top < top]


def _same_row(a: PageWord, b: PageWord) -> bool:
    return abs(a.top - b.top) < max(a.height, b.height)


def _number_word(text: str) -> str | None:
    """The number of a word that is the number alone ("04", "⁄11"), else None."""
    m = re.fullmatch(r"[^\w/]*(\d{1,6})\W*", text)
    return m[1] if m else None


def unsure_day(page: PageResult | None) -> bool:
    """Whether OCR read the day of the header's place-date line with low confidence: the word before
    "tháng" on the row that holds "ngày" (or "04tháng", glued), in the top of the page."""
    if _by_pen(page, "day"):
        return True
    zone = _header_words(page)
    for month in sorted(zone, key=lambda w: (w.top, w.left)):
        if not re.search(r"thang\W*$", fold(month.text)):
            continue
        row = [w for w in zone if _same_row(w, month) and w.left < month.left]
        if not any("ngay" in fold(w.text) for w in row):
            continue  # a "tháng" of running text, not the place-date line
        before = max(row, key=lambda w: w.left)
        # the day's digits: in the word before "tháng", or glued to it ("04tháng")
        day = [w for w in (before, month)
               if re.search(r"\d", re.sub(r"thang\W*$", "", fold(w.text.translate(_DIGITS))))]
        return any(w.conf < _SURE_NUMBER for w in day)
    return False


_SURE_NUMBER = 85.0  # tesseract's word confidence above which a typed number reads right
_DIGITS = str.maketrans("OoIl|", "00111")


def _agree_with_title(dn: DocNumber, doc_type: str, titles: list[TitleHit]) -> DocNumber:
    """A type abbreviation one letter off the one of the printed title is that one: under a TỜ
    TRÌNH title, ``82/TT-UBND`` is an OCR'd ``82/TTr-UBND`` (a commune issues no thông tư)."""
    if dn.type_abbr is None or dn.doc_type == doc_type or not any(t.doc_type == doc_type for t in titles):
        return dn
    own = [a for a, t in TYPE_ABBRS.items() if t == doc_type]
    near = [a for a in own if difflib.SequenceMatcher(None, fold(a), fold(dn.type_abbr)).ratio() >= 0.8]
    if len(near) != 1:
        return dn
    rest = dn.ky_hieu[dn.ky_hieu.index(dn.type_abbr) + len(dn.type_abbr) :]
    prefix = dn.ky_hieu[: dn.ky_hieu.index(dn.type_abbr)]
    return DocNumber(dn.so, prefix + near[0] + rest, near[0], doc_type, True, dn.start, dn.end)


# "Số: 145", also with its book after it on the row ("Số: 142 Quyển số: 03", as a giấy chứng sinh prints them)
_BARE_NUMBER_RE = re.compile(r"(?:^|\s{2,}|\t)\W*s[o6]\s*[:;.]\s*(?P<num>[0-9oil|]{1,8})(?:\s+[^\W\d]{1,2})?"
                             r"(?:\s*quyen\s*so\s*[:;.]?\s*[0-9oil|]{1,3}(?:/\d{4})?)?\W*$")
# Papers numbered in a register book with no symbol: civil-status books, receipts, and the health facility's
# birth and death notices (giấy chứng sinh, giấy báo tử: "Số: … Quyển số: …").
_BOOK_NUMBERED = frozenset({"giay_khai_sinh", "gcn_ket_hon", "bien_lai", "trich_luc_ho_tich", "giay_chung_sinh",
                            "giay_bao_tu"})


def _bare_number(header: str, doc_type: str) -> dict[str, Field]:
    """``Số: 145`` with no symbol: civil-status books and receipts number their papers so."""
    if doc_type not in _BOOK_NUMBERED:
        return {}
    for raw in header.split("\n"):
        line = split_motto(raw)[0]  # "Số: 42 Độc lập - Tự do - Hạnh phúc"
        dated = re.search(r",\s*ng[àa]y\b", line)
        if dated:  # "Số: 318 Quyển số: 02 Quảng Trị, ngày 22 …": the right column's place-date on the row
            line = " ".join(line[: dated.start()].split()[: title_case_run(line[: dated.start()])[1]])
        m = _BARE_NUMBER_RE.search(fold(line))
        if m is None:
            continue
        printed = line[m.start("num") : m.end("num")]
        digits = printed.translate(str.maketrans("OoIil|", "001111"))
        if not digits.isdigit():
            continue
        # a letter read in the number ("Số:I135"): a speck or a digit, nobody can tell which; a person says
        return {"so": Field(digits, 0.85 if digits == printed else HANDWRITTEN_NUMBER)}
    if doc_type == "bien_lai":
        # a receipt's serial (seven digits, Decree 123/2020) sits in the right column of a three-column header that
        # OCR runs into one row with the issuer and the motto ("CHÍNH CÔNG Số: 0043435")
        serial = _RECEIPT_SERIAL_RE.search(fold(header))
        if serial is not None:
            return {"so": Field(serial["num"], 0.8)}
    return {}


_RECEIPT_SERIAL_RE = re.compile(r"(?<![\w/])s[o6]\s*[:;.]\s*(?P<num>\d{7})(?![\w/])")


def land_serial(lines: list[str], titles: list[TitleHit]) -> Field | None:
    """The serial a land-use certificate prints under its title (two letters, six digits)."""
    own = [t for t in titles if t.doc_type == "gcn_qsdd"]
    if not own:
        return None
    for i in nonempty(lines, own[0].line_no + 1)[:4]:
        m = re.fullmatch(r"\W*([A-Z]{2})\s?([0-9OoIl]{6})\W*", lines[i].strip())
        if m:
            digits = m[2].translate(str.maketrans("OoIl", "0011"))
            return Field(f"{m[1]} {digits}", conf_of(0.85, digits != m[2]))
    return None


def read_certification(lines: list[str], today: date) -> dict[str, Field]:
    """A certified copy's own number, book symbol, place and date: those of the certification
    stamp ("Số chứng thực: 468 Quyển số: 01/2024-SCT/BS", then the place-date), never the copied
    paper's header. The stamp of Circular 01/2020/TT-BTP dates itself "Ngày … tháng … năm …" with no
    place, and a narrow stamp wraps the book's symbol onto the next line ("Quyển số:" / "05/2024-SCT/BS")."""
    out: dict[str, Field] = {}
    for i, line in enumerate(lines):
        folded = fold(line)
        m = re.search(r"so chung thuc\s*[:;.]?\s*(?P<num>[0-9OoIl]{1,6})\b", folded)
        if m is None:
            continue
        raw = line[m.start("num") : m.end("num")]
        digits = raw.translate(str.maketrans("OoIl", "0011"))
        out["so"] = Field(digits, conf_of(0.9, digits != raw))
        if re.search(r"\bsct\s*/\s*bs\b", fold(" ".join(lines[i : i + 2]))):
            out["ky_hieu"] = Field("SCT/BS", 0.9)
        found = place_and_date(lines[i : i + 4], today)
        if found is not None:
            _, dm, place = found
            out["ngay_ban_hanh"] = Field(dm.value.isoformat(), conf_of(0.9, dm.repaired))
            out["dia_danh"] = Field(place, 0.85)
        elif (dated := _date_alone(lines[i + 1 : i + 4], today)) is not None:
            out["ngay_ban_hanh"] = Field(dated.value.isoformat(), conf_of(0.85, dated.repaired))
        break
    return out


def _date_alone(lines: list[str], today: date) -> DateMatch | None:
    """A worded date standing on a line of its own ("ngày 16 tháng 01 năm 2024")."""
    for line in lines:
        for dm in find_dates(line, today=today):
            if dm.worded and not re.sub(r"[\W_]", "", line[: dm.start] + line[dm.end :]):
                return dm
    return None


# --- codes -----------------------------------------------------------------------------------------------
def read_codes(lines: list[str], dossier_pattern: str | re.Pattern[str]) -> dict[str, Field]:
    out: dict[str, Field] = {}
    best: tuple[float, str] | None = None
    for line in lines:
        for m in find_dossier_codes(line, dossier_pattern):
            labelled = bool(re.search(r"\bma (ho so|so ho so)\b", fold(line)))
            c = conf_of(0.95 if labelled else 0.8, m.repaired)
            if best is None or c > best[0]:
                best = (c, m.value)
    if best is not None:
        out["ma_ho_so"] = Field(best[1], best[0])
        unit = dossier_unit(best[1], dossier_pattern)
        if unit:
            out["ma_co_quan"] = Field(unit, round(best[0] - 0.05, 3))
    proc: tuple[float, str] | None = None
    rows = nonempty(lines)
    for n, i in enumerate(rows):
        line = lines[i]
        folded = fold(line)
        labelled = bool(_PROCEDURE_LABEL_RE.search(folded))
        if not labelled and "thu tuc" not in folded:
            continue  # a bare d.dddddd may be anything; only take it next to its label
        # "(mã thủ tục" at the end of a line, the code on the next one
        if n + 1 < len(rows) and re.search(r"(ma\s*(so\s*)?(thu tuc|tthc)|thu tuc)\W*$", folded):
            line = f"{line} {lines[rows[n + 1]]}"
        for m in find_procedure_codes(line):
            c = conf_of(0.9 if labelled else 0.7, m.repaired)
            if proc is None or c > proc[0]:
                proc = (c, m.value)
    if proc is not None:
        out["ma_thu_tuc"] = Field(proc[1], proc[0])
    return out
