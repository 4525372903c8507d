"""Split a scanned batch into documents and dossiers, from what reading its pages produced.

A clerk often scans a whole pile at once: a one-stop-shop slip, the application form, the papers,
a blank sheet, the next slip... Over the pages' results (text, QR payloads, ink) this module says
where each document starts and which dossier it belongs to:

- a QR code that carries a dossier code (a slip's, top-left) starts a new document and dossier;
- a dossier code printed after its label (`Mã hồ sơ: …`) starts one too when it is not the running
  dossier's: the slip whose QR could not be read still names its dossier;
- a blank page (next to no ink, no text) is a separator: it ends the running document and is
  dropped from the documents;
- a page that reads as the first page of another class than the running document's (a title near
  its top, confirmed by the page's other cues, or by the national motto or a number above it when
  the body reads like another class: an ĐƠN or a GIẤY ỦY QUYỀN that carries a tờ khai's requester
  block and pledge is still its own document) starts a new document of the same dossier.

Pages after a slip belong to its dossier until the next slip. A wrong split is worse than none, so
a page without a title always stays with the document before it, and a title the rest of the page
does not confirm splits nothing. The dossier code's order of trust (DESIGN.md): the QR code, the
slip's text, then (pipeline/flow.py) a sidecar and the file name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import parse_qsl, urlsplit

from pipeline.understand.classify import TITLE_RANK, classify, find_titles
from pipeline.vn.codes import dossier_unit, find_dossier_codes, parse_personal_id, parse_procedure_code
from pipeline.vn.text import fold
from schemas.tasks import PageResult

DossierSource = Literal["qr", "slip", "text"]

# A blank separator: under this share of ink in the analysis copy (a line of 20 characters of 14 pt
# is about 0.09 %, a page of text 3-6 %; a blank sheet through the generator's scanner 0) and hardly
# a character read.
BLANK_INK = 0.001
BLANK_MAX_CHARS = 8
# A page reads as a first page when a class title sits among its first non-empty lines (a Decree 30
# header takes 3-8, a slip's QR and desk a few more: classify.TITLE_RANK) and the page's own rule cues
# agree with confidence: a title alone scores about 0.35, a title with a confirming cue of another
# kind 0.45 and up. A title whose body reads as another class (a conflict) is confirmed instead by what
# only a first page prints above its title: the national motto, or a number and symbol.
FIRST_PAGE_CONFIDENCE = 0.4
FIRST_PAGE_TOP = 10  # non-empty lines above the title searched for the motto or a number
QR_CONFIDENCE = 0.99
PRINTED_CONFIDENCE = 0.9

_LABEL_RE = re.compile(r"\bma\s*(ho so|so ho so)\b")
# Keys a slip's QR may name its fields with, accent-folded and reduced to letters and digits.
_DOSSIER_KEYS = ("hoso", "dossier", "mhs", "hsid", "recordcode", "filecode")
_PROCEDURE_KEYS = ("tthc", "thutuc", "procedure", "mathutuc", "matt", "proc")
_PERSON_KEYS = ("cccd", "cmnd", "dinhdanh", "sodd", "identifier", "citizen", "personal", "idcard", "nguoinop")
_MONEY_KEYS = ("tien", "phi", "amount", "fee", "price", "total")


@dataclass(frozen=True)
class QrInfo:
    """What a slip's QR code says: the dossier code, and often the procedure and the applicant."""

    ma_ho_so: str
    ma_thu_tuc: str | None = None
    so_dinh_danh: str | None = None


@dataclass(frozen=True)
class DossierRef:
    code: str
    source: DossierSource
    procedure: str | None = None
    identifier: str | None = None  # the applicant's, from the slip's QR: it describes the slip only


@dataclass(frozen=True)
class PageCues:
    """What the split looks at on one page."""

    page_no: int
    blank: bool = False
    qr: QrInfo | None = None
    printed: str | None = None  # a dossier code printed after its label
    first_of: str | None = None  # the class this page strongly reads as the first page of


@dataclass(frozen=True)
class Segment:
    """One document of the batch: its pages (the file's page numbers) and its dossier."""

    pages: tuple[int, ...]
    dossier: DossierRef | None = None
    opens_dossier: bool = False  # its first page gave the dossier (the slip itself)
    separators: tuple[int, ...] = ()  # blank pages dropped after it (or, for the first, before it)
    reason: Literal["start", "separator", "dossier", "class"] = "start"


# --- QR payloads -------------------------------------------------------------------------------------
def _key(raw: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(raw))


def _pairs(payload: str) -> list[tuple[str, str]]:
    """(key, value) pairs of a payload in any of the forms slips use: JSON, a URL with query
    parameters, key=value (or key: value) pairs, or a bare code. The whole payload comes last,
    without a key, so that a code in a form not foreseen here is still found."""
    text = payload.strip()
    out: list[tuple[str, str]] = []
    if text[:1] in "{[":
        with suppress(ValueError):  # not JSON after all: the forms below
            out.extend(_flatten(json.loads(text)))
    if re.match(r"(?i)^[a-z][a-z0-9+.-]*://|^www\.", text):
        parts = urlsplit(text if "://" in text else "https://" + text)
        out.extend(parse_qsl(parts.query, keep_blank_values=False))
        out.extend(parse_qsl(parts.fragment, keep_blank_values=False))
        out.extend(("", seg) for seg in parts.path.split("/") if seg)
    elif not out:
        for piece in re.split(r"[;&|\n\r\t]+", text):
            m = re.match(r"\s*([^=:]{1,40}?)\s*[=:]\s*(.+?)\s*$", piece)
            out.append((m.group(1), m.group(2)) if m else ("", piece.strip()))
    out.append(("", text))
    return out


def _flatten(data: Any, key: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _flatten(v, str(k))
    elif isinstance(data, list):
        for v in data:
            yield from _flatten(v, key)
    elif data is not None:
        yield key, str(data)


def parse_qr(payload: str) -> QrInfo | None:
    """The dossier code (and procedure code and identifier, when present) a QR payload carries;
    None when it carries no dossier code (an identity card's QR, a payment code)."""
    best: dict[str, tuple[int, str]] = {}

    def offer(what: str, hinted: bool, value: str) -> None:
        # A value under a key that names the field beats one recognised by its shape alone.
        rank = 0 if hinted else 1
        if what not in best or rank < best[what][0]:
            best[what] = (rank, value)

    for raw_key, value in _pairs(payload):
        key = _key(raw_key)
        codes = find_dossier_codes(value)
        if codes:
            offer("dossier", any(k in key for k in _DOSSIER_KEYS), codes[0].value)
            continue
        if any(k in key for k in _MONEY_KEYS):
            continue  # 1.000000 is a fee of a million dong, not a procedure code
        if (proc := parse_procedure_code(value)) is not None:
            offer("procedure", any(k in key for k in _PROCEDURE_KEYS), proc)
        elif (ident := parse_personal_id(value)) is not None:
            offer("person", any(k in key for k in _PERSON_KEYS), ident)
    if "dossier" not in best:
        return None
    return QrInfo(
        best["dossier"][1],
        best["procedure"][1] if "procedure" in best else None,
        best["person"][1] if "person" in best else None,
    )


# --- cues of one page ---------------------------------------------------------------------------------
def is_blank(page: PageResult) -> bool:
    """A page with next to no ink and no text. A text-layer page is never blank (it was read for
    its text), and neither is a page read before ink was measured."""
    if page.source == "text_layer" or page.ink is None or page.qr:
        return False
    return page.ink < BLANK_INK and sum(ch.isalnum() for ch in page.text) <= BLANK_MAX_CHARS


def printed_dossier_code(text: str) -> str | None:
    """The dossier code printed after its label on this page, when there is exactly one. A page
    that lists several (a handover list, a report) names no dossier of its own."""
    codes = []
    for line in text.split("\n"):
        if _LABEL_RE.search(fold(line)):
            codes += [m.value for m in find_dossier_codes(line)]
    distinct = set(codes)
    return codes[0] if len(distinct) == 1 else None


_MOTTO_RE = re.compile(r"cong hoa xa hoi chu nghia|doc lap\s*-?\s*tu do|^\W*s[o0]\s*:?\s*\d+\s*/", re.MULTILINE)


def first_page_class(text: str) -> str | None:
    """The class this page is the first page of, when its title says so near the top and the
    page's own cues agree (or, when the body reads as another class, a motto or a number sits above
    the title); None for a continuation page, a page of no class, or when in doubt."""
    hits = [h for h in find_titles(text) if h.rank <= TITLE_RANK]
    if not hits:
        return None
    c = classify(text)
    if c.doc_type == "khac":
        return None  # a list or an annex titled so belongs to the document before it
    if not c.conflict:
        return c.doc_type if c.confidence >= FIRST_PAGE_CONFIDENCE else None
    top = "\n".join([ln for ln in text.split("\f", 1)[0].split("\n") if ln.strip()][: max(hits[0].rank, 1)]
                    [-FIRST_PAGE_TOP:])
    return c.doc_type if _MOTTO_RE.search(fold(top)) else None


def cues_of(page: PageResult) -> PageCues:
    if is_blank(page):
        return PageCues(page.page_no, blank=True)
    qr = next((info for info in map(parse_qr, page.qr) if info is not None), None)
    return PageCues(page.page_no, qr=qr, printed=printed_dossier_code(page.text), first_of=first_page_class(page.text))


# --- the split ----------------------------------------------------------------------------------------
@dataclass
class _Open:
    pages: list[int]
    dossier: DossierRef | None
    opens_dossier: bool
    reason: Literal["start", "separator", "dossier", "class"]
    first_of: str | None
    separators: list[int] = field(default_factory=list)

    def close(self) -> Segment:
        return Segment(tuple(self.pages), self.dossier, self.opens_dossier, tuple(self.separators), self.reason)


def split(pages: Sequence[PageCues]) -> list[Segment]:
    """Segments in page order; blank pages belong to none (each is kept as a separator of the
    segment before it, or of the first segment when the batch starts with one)."""
    done: list[_Open] = []
    cur: _Open | None = None
    running: DossierRef | None = None
    leading: list[int] = []  # blank pages before any document
    after_separator = False
    for p in pages:
        if p.blank:
            if cur is not None:
                cur.separators.append(p.page_no)
                done.append(cur)
                cur = None
            elif done:
                done[-1].separators.append(p.page_no)
            else:
                leading.append(p.page_no)
            after_separator = True
            continue
        new: DossierRef | None = None
        reason: Literal["start", "separator", "dossier", "class"] | None = None
        if p.qr is not None:
            new = DossierRef(p.qr.ma_ho_so, "qr", p.qr.ma_thu_tuc, p.qr.so_dinh_danh)
            reason = "dossier"
        elif p.printed is not None and (running is None or p.printed != running.code):
            if cur is None or p.first_of is not None or running is not None:
                new = DossierRef(p.printed, "slip")
                reason = "dossier"
            else:
                # A continuation page naming the dossier of a document that had none: it tells that
                # document's dossier rather than starting another document.
                cur.dossier = running = DossierRef(p.printed, "text")
        elif cur is not None and p.first_of is not None and p.first_of != cur.first_of and cur.first_of is not None:
            reason = "class"
        if cur is not None and reason is None:
            cur.pages.append(p.page_no)
            continue
        if cur is not None:
            done.append(cur)
        if new is not None:
            if running is not None and new.code == running.code:
                # The same dossier again (a second slip, a QR re-read): keep what the first one told.
                new = DossierRef(new.code, new.source, new.procedure or running.procedure, new.identifier)
            running = new
        if reason is None:
            reason = "separator" if after_separator and done else "start"
        cur = _Open([p.page_no], running, new is not None, reason, p.first_of)
        after_separator = False
    if cur is not None:
        done.append(cur)
    if done and leading:
        done[0].separators[:0] = leading
    return [o.close() for o in done]


def split_pages(pages: Sequence[PageResult]) -> list[Segment]:
    """The shared entry point of both paths (Celery's finish and `sohoa process`)."""
    return split([cues_of(p) for p in sorted(pages, key=lambda r: r.page_no)])


# --- what a segment's dossier tells its document ------------------------------------------------------
def apply_dossier(
    segment: Segment, metadata: dict[str, str], confidence: dict[str, float]
) -> DossierSource | None:
    """Set the dossier fields the split found (it outranks what the document's own text says, which
    comes next in trust); returns where the dossier code came from, None when the split found none."""
    d = segment.dossier
    if d is None:
        return None
    if d.source == "qr":
        conf = QR_CONFIDENCE
    else:
        conf = confidence.get("ma_ho_so", PRINTED_CONFIDENCE) if metadata.get("ma_ho_so") == d.code else (
            PRINTED_CONFIDENCE)
    metadata["ma_ho_so"], confidence["ma_ho_so"] = d.code, conf
    unit = dossier_unit(d.code)
    if unit:
        metadata["ma_co_quan"], confidence["ma_co_quan"] = unit, round(conf - 0.05, 3)
    if d.procedure:
        metadata["ma_thu_tuc"], confidence["ma_thu_tuc"] = d.procedure, QR_CONFIDENCE
    if d.identifier and segment.opens_dossier:
        metadata["so_dinh_danh"], confidence["so_dinh_danh"] = d.identifier, QR_CONFIDENCE
    return d.source
