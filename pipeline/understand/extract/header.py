"""The header: the issuing body (its left column, joined across wrapped lines and restored against
unit names), and the place and date line (`Thanh Thạch, ngày 07 tháng 4 năm 2023`)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from pipeline.understand.classify import TitleHit
from pipeline.understand.extract.base import (
    MOTTO_PART_RE,
    ORG_RE,
    SO_LABEL_RE,
    VV_RE,
    Field,
    conf_of,
    has_marks,
    nonempty,
    strip_junk,
    title_case_run,
)
from pipeline.understand.extract.layout import Cell, layout_cells
from pipeline.vn.dates import DateMatch, find_dates
from pipeline.vn.lexicon import (
    PROVINCES,
    UNIT_PHRASES,
    Lexicon,
    restore_known,
    restore_phrases,
)
from pipeline.vn.places import restore_provinces
from pipeline.vn.text import clean_spacing, fold, is_upper_line, split_motto
from schemas.tasks import PageResult

# A citizen's own form (tờ khai, đơn) is issued by nobody: the header it prints is the form's owner or the
# addressee ("BẢO HIỂM XÃ HỘI VIỆT NAM" over a TK1-TS, a university over a student's đơn), not an issuing body.
NO_BODY = frozenset({"can_cuoc", "to_khai", "don"})
HEADER_ZONE = 12

# The words a unit's name starts with: a header line starting so begins a new unit, any other line
# goes on with the one above ("BỆNH VIỆN HỮU NGHỊ VIỆT NAM -" / "CU BA ĐỒNG HỚI").
_ORG_HEAD_RE = re.compile(
    r"^(uy ban|ubnd|hoi dong|hdnd|so|phong|van phong|cong an|benh vien|truong|bo|cuc|chi cuc|tong cuc|"
    r"trung tam|ban|bo phan|tram|doan|dang uy|toa an|vien kiem sat|ngan hang|cong ty|chi nhanh|kho bac|"
    r"bao hiem|hoi)\b"
)
_ADMIN_LEVEL_RE = re.compile(r"^(tinh|xa|phuong|thanh pho|dac khu|thi tran|huyen|quan|thi xa)\b")
_ADMIN_WORD_RE = re.compile(r"\b(tinh|xa|phuong|thanh pho|dac khu|thi tran|huyen|quan|thi xa)\b")

# Dates a form prints under a label instead of a place-date line: the registration date of a civil
# status paper, the issue date of an identity card (the 2021 chip card's back: "Ngày, tháng, năm / Date,
# month, year: 10/07/2021").
_DATE_LABEL_RE = re.compile(
    # ("Ngày cấp: …" alone is the issue date of someone's identity card quoted in a form: not this paper's)
    r"\bngay[,.]?\s*thang[,.]?\s*nam\s*(dang ky|cap)\b|\bdate of issue\b|\bngay dang ky\s*:"
    r"|\bdate[,.]?\s*month[,.]?\s*year\b"
)


# Words a paper's title starts with: such a line under the header ends the issuing body.
_TITLE_START_RE = re.compile(
    r"^\W*(giay|phieu|don(?! vi\b)|to khai|to trinh|van ban|mau( so)?|so yeu|bien ban|bien lai|danh sach|quy dinh|"
    r"quy che|hop dong|bao cao|ke hoach|thong bao|quyet dinh|chi thi|nghi quyet|huong dan|de an|phuong an|"
    r"chuong trinh|trich luc|ban sao|thu moi)\b"
)
_HEADING_RE = re.compile(r"^\W*(?:[IVX]{1,4}|\d{1,2})\s*[.)]\s+\w")
_SYMBOL_LINE_RE = re.compile(r"^\W*/|^\W*[A-ZĐ]{1,6}(?:\s?[-–]\s?[A-ZĐ0-9]{1,8})+\W*$")
_GLUED_RE = re.compile(r"(?i)\b(BAN|ĐỒNG|ĐÔNG)\s?(NH[ÂA]N)\s?(D[ÂA]N)\b")  # "ỦY BANNHÂNDÂN": spaces lost


# The motto's first line, also as OCR damages one of its words ("CỘNG HUA XÃ HỘI CHỦ NGRÍ").
_MOTTO_LINE_RE = re.compile(r"\bcong hoa\b|\bxa hoi chu\b|\bchu nghia viet\b")


def header_lines(lines: list[str], first_page: PageResult | None) -> tuple[list[str], bool]:
    """The left column of the header, one line per printed line, and whether it came from boxes."""
    if first_page is not None and first_page.words and first_page.width_px:
        width = first_page.width_px
        cells = [c for c in layout_cells(first_page) if not _specks(c, first_page)]
        # A header set in one centred stack (the body over the motto, as civil-status forms and letterheads
        # print it) has no left column: its lines across the middle above the motto (or on a page without
        # one) are the body's. In a two-column header nothing above the motto crosses the middle.
        motto_cell = next((c for c in cells[:12] if _MOTTO_LINE_RE.search(fold(c.text))), None)
        left = []
        for c in cells[:40]:
            across = c.x0 < width * 0.5 < c.x1 and (motto_cell is None or c.bottom <= motto_cell.top)
            if (c.x0 + c.x1) / 2 < width * 0.5 or across:
                left.append(c.text)
            elif c.x0 < width * 0.4:
                # "HỘI ĐỒNG NHÂN DÂN CỘNG HÒA XÃ HỘI …": a narrow gutter joined both columns in one cell
                part, motto = split_motto(c.text)
                if motto is not None and part.strip():
                    left.append(part)
            if len(left) >= 12:
                break
        if left:
            return left, True
    left = []
    for i in nonempty(lines)[:HEADER_ZONE]:
        part, motto = split_motto(lines[i])
        # "BỆNH VIỆN HỮU NGHỊ VIỆT NAM - Độc lập …": the dash before the motto is the left column's
        if motto is not None and re.match(r"\s*[-–]\s", lines[i][len(part) :]):
            part += " -"
        left.append(part)
    return left, False


_SPECK_CONFIDENCE = 40  # tesseract's word confidence under which a header word is a rule's or a seal's specks


def _specks(cell: Cell, page: PageResult) -> bool:
    """Whether every word of a cell was read with a confidence no printed word of a header gets ("LẦU XI" made
    of the short rule under the body's name): printed bold capitals read in the 80s and 90s."""
    confs = [w.conf for w in page.words if cell.x0 <= w.left and w.left + w.width <= cell.x1
             and w.top < cell.bottom and w.top + w.height > cell.top]
    return bool(confs) and max(confs) < _SPECK_CONFIDENCE


def context_places(text: str, lexicon: Lexicon) -> list[str]:
    """Place names as the document itself writes them in running text ("phường Đồng Hới"), upper
    case, the best-attested spelling first: OCR of ordinary lower-case type keeps marks that the
    bold capitals of the header lose."""
    counts: Counter[str] = Counter()
    for m in re.finditer(
        r"\b(?:xã|phường|tỉnh|thành phố|huyện|quận|thị xã|thị trấn|đặc khu)\s+((?:[A-ZÀ-Ỹ][^\W\d_]*\s?){1,4})", text
    ):
        run, _ = title_case_run(m.group(1).strip(), max_tokens=4)
        tokens = run.split()
        # a place name ends where the next capitalised word is a sentence's ("Thạch Tôi")
        for n in range(len(tokens), 1, -1):
            counts[" ".join(tokens[:n]).upper()] += 1
    for place in lexicon.places:
        counts[place.upper()] += 3
    by_fold: dict[str, tuple[int, str]] = {}
    for name, n in counts.items():
        key = fold(name)
        if n > by_fold.get(key, (0, ""))[0]:
            by_fold[key] = (n, name)
    return [name for _, name in sorted(by_fold.values(), reverse=True)]


def _restore_body(body: str, places: list[str], lexicon: Lexicon, reading: Reading) -> tuple[str, bool, bool]:
    """(the body, whether it was repaired, whether it is unsure)."""
    # What reviewers corrected comes first, on a text layer too: a clerk said how this body is written
    known = restore_known(body, lexicon.bodies, min_ratio=0.9) if lexicon.bodies else None
    if known is not None:
        return known, known != body, False
    if reading.as_printed:
        return body, False, False  # a text layer is the paper's own text: "TRUYỂN" is its typo, not OCR's
    restored, changed = restore_phrases(body, (*UNIT_PHRASES, *PROVINCES, *places))
    restored, respelled = restore_provinces(restored)
    changed = changed or respelled
    if not has_marks(body):
        if reading.marked and changed:
            # "VAN PHONG" over a body of marked text: OCR lost the bold capitals' marks; the words say which
            # they were, a person confirms them
            return restored, True, True
        return body, False, False  # printed (or read) without marks: leave it as the page has it
    return restored, changed, False


@dataclass(frozen=True)
class Reading:
    """How the document's text was got: ``as_printed`` (a text layer: no OCR damage to repair) and ``marked``
    (its running text carries Vietnamese marks, so a header without any lost them to OCR)."""

    as_printed: bool = False
    marked: bool = False


# A receipt names its issuer under a label ("Đơn vị thu: TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG", "Tên đơn vị thu
# phí, lệ phí: Bưu điện tỉnh Quảng Trị"), in whatever case it writes the name.
_PAYEE_LABEL_RE = re.compile(r"^\W*(ten\s+)?don vi thu\b[^:;]{0,20}[:;]")


def _labelled_body(left: list[str]) -> str | None:
    for k, raw in enumerate(left[:10]):
        if not _PAYEE_LABEL_RE.match(fold(raw)):
            continue
        value = re.split(r"[:;]", raw, maxsplit=1)[1].strip()
        rest = left[k + 1 : k + 3]
        if not value and rest:
            value, rest = rest[0].strip(), rest[1:]
        for more in rest:  # "TRUNG TÂM PHỤC VỤ HÀNH" / "CHÍNH CÔNG": a name in capitals wrapped
            if not (is_upper_line(value) and is_upper_line(more) and ":" not in more and len(more.split()) <= 4):
                break
            value = f"{value} {more.strip()}"
        value = strip_junk(clean_spacing(value))
        return value if len(value.split()) >= 2 and ORG_RE.search(fold(value)) else None
    return None


def issuing_body(left: list[str], titles: list[TitleHit], places: list[str], lexicon: Lexicon,
                 from_boxes: bool, reading: Reading = Reading()) -> Field | None:
    labelled = _labelled_body(left)
    if labelled is not None and not is_upper_line(labelled):
        return Field(labelled, 0.85)  # "Bưu điện tỉnh Quảng Trị": written so, nothing in capitals to restore
    if labelled is not None:
        body, repaired, unsure = _restore_body(labelled, places, lexicon, reading)
        return Field(body, 0.5 if unsure else 0.75 if repaired else 0.85)
    title_texts = {fold(t.line) for t in titles}
    units: list[list[str]] = []
    for raw in left[:10]:
        # a speck read as a quote before the first word ("'TRUNG TÂM …") hides the word a new unit starts with
        line = strip_junk(clean_spacing(_GLUED_RE.sub(r"\1 \2 \3", raw.strip(" -_–—=*~.\t'\"`‘’“”"))))
        if line and re.search(r"\w\s*[-–]\s*$", raw) and len(line.split()) >= 2:
            line += " -"  # "BỆNH VIỆN HỮU NGHỊ VIỆT NAM -": the name goes on below
        folded = fold(line)
        if (units and re.match(r"^\s*[-–]\s*[^\W\d_]", raw) and line and is_upper_line(line)
                and not MOTTO_PART_RE.search(folded) and not _ORG_HEAD_RE.match(folded) and len(line.split()) <= 6):
            # "PHÒNG TÀI CHÍNH" / "- KẾ HOẠCH": a row a dash opens goes on with the name above, even one that
            # reads like a title ("KẾ HOẠCH", "THÔNG BÁO")
            units[-1][-1] = units[-1][-1].rstrip(" -–") + " -"
            units[-1].append(line)
            continue
        if (SO_LABEL_RE.match(folded) or SO_LABEL_RE.match(fold(raw.strip())) or VV_RE.match(folded)
                or folded in title_texts or find_dates(line) or re.match(r"^\W*(kinh gui|can cu)\b", folded)
                or _SYMBOL_LINE_RE.match(line) or _TITLE_START_RE.match(folded) or _HEADING_RE.match(line)):
            # the number's line (also one strip_junk emptied: "Số:69/KH-SNV" reads as one token), its symbol cut
            # off it ("/CT-UBND"), the paper's title or a numbered heading of its body ("I. MỤC ĐÍCH")
            break
        if not line or not is_upper_line(line) or MOTTO_PART_RE.search(folded):
            if units and line and not is_upper_line(line) and sum(ch.isalpha() for ch in line) > 4:
                break  # running text below the header (a speck or a digit between its lines is not)
            continue
        if any(fold(line).startswith(fold(t.printed)) for t in titles):
            break  # the title
        if len(line.split()) == 1 and len(line) <= 3 and not has_marks(line) and fold(line) not in ("ban", "bo"):
            continue  # "GEN": letters of a stamp or a seal, not a word of the name
        if units and _continues(units[-1], line):
            units[-1].append(line)
        elif (len(line.split()) >= 2 and (_ORG_HEAD_RE.match(folded) or _ADMIN_LEVEL_RE.match(folded)
                                          or (not units and ORG_RE.search(folded)))) or units:
            units.append([line])
    units = [u for u in units if ORG_RE.search(fold(" ".join(u)))]
    if not units:
        return None
    body = " ".join(units[-1])
    body = re.sub(r"\s+([-–])\s*", r" \1 ", body) if re.search(r"\S[-–]\s", body) else body
    body, repaired, unsure = _restore_body(clean_spacing(body), places, lexicon, reading)
    conf = (0.9 if from_boxes else 0.85) if len(units) > 1 or len(units[0]) > 1 else 0.75
    return Field(body, 0.5 if unsure else round(conf - (0.1 if repaired else 0.0), 3))


def _continues(unit: list[str], line: str) -> bool:
    """Whether a header line goes on with the unit above it rather than starting the next one."""
    prev = unit[-1]
    folded = fold(line)
    if prev.rstrip().endswith(("-", "–", " VÀ", " VỀ", " CỦA")) or line.startswith(("-", "–")):
        return True
    if _ADMIN_LEVEL_RE.match(folded):
        return not _ADMIN_WORD_RE.search(fold(" ".join(unit)))
    return not _ORG_HEAD_RE.match(folded)


def place_and_date(lines: list[str], today: date) -> tuple[int, DateMatch, str] | None:
    """The first ``<Place>, ngày … tháng … năm …`` line: (line index, date, place or "")."""
    rows = nonempty(lines)
    for n, i in enumerate(rows):
        line = lines[i]
        if re.search(r"\bnam\W*$", fold(line)) and n + 1 < len(rows) and re.match(r"^\W*\d{4}\b", lines[rows[n + 1]]):
            line = f"{line} {lines[rows[n + 1]].strip()}"  # "… năm" / "2022": the year wrapped or split off
        elif (re.search(r"\bthang\W*\d{1,2}\W*$", fold(line)) and n + 1 < len(rows)
              and re.match(r"^\W*nam\W*\d{4}\b", fold(lines[rows[n + 1]]))):
            line = f"{line} {lines[rows[n + 1]].strip()}"  # "… tháng 09" / "năm 2025": wrapped in a narrow cell
        elif (re.search(r"\bthang\W*(\d{1,2}\W*)?$", fold(line)) and n + 1 < len(rows)
              and (tail := _DATE_TAIL_RE.search(fold(lines[rows[n + 1]])))):
            # "Tuy Phước, ngày 09 tháng" / "(Mã tờ khai …) 10 năm 2025": a narrow right cell wrapped beside a
            # left one OCR read into the same row; only the row's end is the date's
            line = f"{line} {lines[rows[n + 1]][tail.start(1):].strip()}"
        if re.match(r"^\W*can cu\b", fold(line)):
            continue  # citations: "Căn cứ Nghị định số 30/2020/NĐ-CP, ngày 05 tháng 3 năm 2020"
        for dm in find_dates(line, today=today):
            before = line[: dm.start].rstrip()
            if not before.endswith((",", ".")):
                if dm.worded and SO_LABEL_RE.match(fold(line)) and (place := _place_before(before)):
                    return i, dm, place  # "Số: 12/QĐ-UBND Quảng Ngãi ngày …": the comma lost on the number's row
                continue
            place, preceding = title_case_run(before[:-1])
            if not place:
                place, preceding = _abbreviated_place(before[:-1]), 0
            # "Thuận Hóa. ngày …": OCR's full stop for the comma, only on a line of its own
            if place and (before.endswith(",") or (dm.worded and not preceding)):
                return i, dm, place
    return None


_CITES_RE = re.compile(r"\bso\s*\d+\s*/|\d/[a-z]{1,5}-[a-z]")
# "Quảng Ngãi, ngày   tháng 01 năm 2025": the place-date line of a paper whose day was written in by
# hand (or left blank in a draft): the place reads even when the date does not. No word boundary after
# "ngày" and "tháng": a handwritten day or month OCR glued to them ("ngày0B", "thángØf") is still the line.
_PLACE_LINE_RE = re.compile(r"(,?)\s*ngay\W{0,3}\S{0,4}\W{0,3}\s*thang.{0,8}\bnam\b")
# The end of a row that finishes a wrapped date: "… 10 năm 2025".
_DATE_TAIL_RE = re.compile(r"(?:^|\s)((?:\d{1,2}\s*)?nam\W*\d{4})\W*$")
# "TP. HCM, ngày …": a city written as its initials after "TP." (Thành phố).
_ABBREVIATED_PLACE_RE = re.compile(r"(?:^|\s)(T[Pp]\.\s?[A-ZĐ]{2,4})$")


def _abbreviated_place(text: str) -> str:
    m = _ABBREVIATED_PLACE_RE.search(text.rstrip())
    return m.group(1) if m else ""


def _place_before(text: str) -> str:
    """The place a place-date line names before its "ngày", when it is a place's shape."""
    place, _ = title_case_run(text.rstrip(" ,."))
    place = place or _abbreviated_place(text.rstrip(" ,."))
    return place if place and len(place.split()) <= 4 and not re.search(r"\d", place) else ""


def place_without_date(lines: list[str]) -> Field | None:
    """The place of a place-date line whose date cannot be read."""
    for i in nonempty(lines):
        line = lines[i]
        folded = fold(line)
        m = _PLACE_LINE_RE.search(folded)
        if m is None or re.match(r"^\W*can cu\b", folded):
            continue
        if not m.group(1) and not SO_LABEL_RE.match(folded):
            continue  # without its comma only on the number's row, where Decree 30 puts the line
        if place := _place_before(line[: m.start()]):
            return Field(place, 0.75)
    return None


def _date_conf(clean: float, dm: DateMatch) -> float:
    # a year OCR read with a digit twice ("năm 20015") is a guess of which to drop: a person confirms it
    return min(conf_of(clean, dm.repaired), _GUESSED_DATE) if dm.guessed else conf_of(clean, dm.repaired)


_GUESSED_DATE = 0.5


def issue_date(lines: list[str], header_idx: list[int], today: date) -> tuple[Field, Field | None, int] | None:
    found = place_and_date(lines, today)
    if found is not None:
        i, dm, place = found
        return Field(dm.value.isoformat(), _date_conf(0.95, dm)), Field(place, 0.85), i
    # A form's labelled date: "Ngày, tháng, năm đăng ký: 02/10/2023", "… / Date of issue: …".
    for i in nonempty(lines):
        m = _DATE_LABEL_RE.search(fold(lines[i]))
        if m is None:
            continue
        for dm in find_dates(lines[i][m.end() :], today=today):
            return Field(dm.value.isoformat(), _date_conf(0.85, dm)), None, i
    # A worded date standing on a line of its own (a receipt's "Ngày 24 tháng 04 năm 2022"), or in
    # the header; never one from a citation or a birth.
    for i in nonempty(lines):
        for dm in find_dates(lines[i], today=today):
            if dm.worded and not re.sub(r"[\W_]", "", lines[i][: dm.start] + lines[i][dm.end :]):
                return Field(dm.value.isoformat(), _date_conf(0.8, dm)), None, i
    for i in header_idx:
        folded = fold(lines[i])
        if re.search(r"\b(can cu|sinh|luat|nghi dinh|thuc hien|theo)\b", folded) or _CITES_RE.search(folded):
            continue  # a date in a citation ("Chỉ thị số 11/CT-TTg ngày 16 tháng 4 năm 2021")
        for dm in find_dates(lines[i], today=today):
            if dm.worded:
                return Field(dm.value.isoformat(), _date_conf(0.7, dm)), None, i
    return None
