"""The header's gaps a clerk fills in by hand, and how to read them again.

A Decree 30 paper is printed with its number and the day of its place-date line left blank
("Số:    /TTr-UBND", "Quảng Ngãi, ngày    tháng 01 năm 2025"); the clerk writes them in, most often
in thick marker, when the paper is signed. Tesseract, reading the whole page in Vietnamese, takes
those strokes for letters or glues them to the printed words ("O{_" for "01", "ngày@&0" for
"ngày 20"), and the extractor can then only offer the misread value to review.

What tells the pen from the print is the stroke: the marker's is about twice as wide as the
typeface's (2 x area / outline of a glyph, `_stroke`: 6.5-8.5 px against 3-4.5 px at 300 dpi on the
real set's scans). So the gap's row is cut out of the OCR copy, the glyphs drawn thicker than the
printed ones around them are kept alone on white, and that image is read as one line of digits
(`read_slot`). The page's words and text then carry those digits in place of the first reading
(`reread_slots`), with a low confidence: a number read from handwriting is offered to review,
never accepted as read (pipeline/understand/extract/codes.py tells it by that confidence).

Only a header (the top 40 % of the page) whose number or day was not read as clean, sure digits
is read again: one tesseract run on a strip of a few hundred pixels (about 0.1 s).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Literal

import numpy as np
from PIL import Image
from scipy import ndimage

from pipeline.errors import PipelineError
from pipeline.read import engine
from pipeline.read.digits import read_glyphs
from pipeline.vn.text import fold
from schemas.tasks import PageWord

log = logging.getLogger(__name__)
HEADER_SHARE = 0.4  # the top of the page where the number and the place-date line are printed
SURE = 85.0  # tesseract's word confidence above which a typed number reads right (as the extractor's)
# The confidence the digits read again are given: under SURE, so that the extractor still sees a
# number it must not accept as read.
REREAD_CONF = 40.0
# A glyph is the pen's when its stroke is this much wider than the printed glyphs' of its row.
THICKER = 1.25
# A gap narrower than this (in row heights) holds no written digits: "Ngày, tháng, năm sinh" of a form's label.
MIN_GAP = 0.8

_LABEL_RE = re.compile(r"^(?P<label>\W*S\S?\s*[:;.])(?P<rest>.*)$")  # "Số:", "Sô:⁄11", "Số:0"
_DIGITS_RE = re.compile(r"\d+")


@dataclass(frozen=True)
class Slot:
    """A gap of the header: the row's words from the label to the word that closes it, both included
    ("Số:" … "/TTr-UBND", "ngày" … "tháng"), and what they show between the two."""

    kind: Literal["number", "day"]
    words: tuple[PageWord, ...]
    head: str  # the opening word's own text ("Số:", "ngày")
    tail: str  # the closing word's own text ("/TTr-UBND", "tháng")
    between: str  # what the first reading shows in the gap ("O{_", "@&0", "")
    sure: bool  # whether that is clean digits read with confidence


def find_slots(words: list[PageWord], height: int) -> list[Slot]:
    """The number and day gaps of the page's header, at most one of each."""
    zone = sorted((w for w in words if w.top < HEADER_SHARE * height), key=lambda w: (w.top, w.left))
    found: list[Slot] = []
    number = next((s for w in zone if (s := _number_slot(w, zone)) is not None), None)
    if number is not None:
        found.append(number)
    day = next((s for w in zone if (s := _day_slot(w, zone)) is not None), None)
    if day is not None:
        found.append(day)
    return found


def _row_after(first: PageWord, zone: list[PageWord]) -> list[PageWord]:
    row = [w for w in zone if w is not first and w.left > first.left and _same_row(w, first)]
    return sorted(row, key=lambda w: w.left)


def _same_row(a: PageWord, b: PageWord) -> bool:
    return abs((a.top + a.height / 2) - (b.top + b.height / 2)) < max(a.height, b.height) * 0.6


def _number_slot(label: PageWord, zone: list[PageWord]) -> Slot | None:
    m = _LABEL_RE.match(label.text)
    if m is None or not re.fullmatch(r"\W*s[o6]\S?\s*[:;.]", fold(m["label"])):
        return None
    chain = [label]
    for w in _row_after(label, zone)[:4]:
        chain.append(w)
        if "/" in w.text:
            break
    else:
        if "/" not in label.text:
            return None  # no symbol after the label: not a number line ("Số: 2352" of a mail stamp)
    if "/" in m["rest"]:
        chain = [label]
        rest, tail = m["rest"].split("/", 1)
        between, tail = rest, "/" + tail
    else:
        last = chain[-1]
        before, _, after = last.text.partition("/")
        between = " ".join([m["rest"], *(w.text for w in chain[1:-1]), before]).strip()
        tail = "/" + after
    sure = bool(re.fullmatch(r"\d{1,6}", between)) and all(w.conf >= SURE for w in chain[:-1] if w.text != m["label"])
    return Slot("number", tuple(chain), m["label"], tail, between, sure)


def _day_slot(month: PageWord, zone: list[PageWord]) -> Slot | None:
    folded = fold(month.text)
    at = folded.find("thang")
    if at < 0 or not re.fullmatch(r"\W*", folded[at + 5:]):
        return None
    if "ngay" in folded[:at]:
        chain = [month]  # "ngày@&0tháng": the whole gap in one word
    else:
        before = [w for w in zone if w.left < month.left and _same_row(w, month)]
        opening = max((w for w in before if "ngay" in fold(w.text)), key=lambda w: w.left, default=None)
        if opening is None:
            return None  # a "tháng" of running text, not the place-date line
        chain = [*sorted((w for w in before if w.left >= opening.left), key=lambda w: w.left), month]
        if len(chain) > 4:
            return None
    start = fold(chain[0].text).find("ngay") + 4
    if len(chain) == 1:
        inner = [month.text[start:at]]
    else:
        inner = [chain[0].text[start:], *(w.text for w in chain[1:-1]), month.text[:at]]
    between = " ".join(t for t in inner if t).strip()
    if re.fullmatch(r"[,;.]", between):
        return None  # "Ngày, tháng, năm sinh": a form's label, no gap to fill
    sure = bool(re.fullmatch(r"\d{1,2}", between)) and all(
        w.conf >= SURE for w in chain if _DIGITS_RE.search(w.text))
    return Slot("day", tuple(chain), chain[0].text[:start], month.text[at:], between, sure)


def _stroke(mask: np.ndarray) -> float:
    """A glyph's stroke width: twice its area over its outline (a stroke of length L and width w has
    area L*w and an outline of about 2L)."""
    outline = int((mask & ~ndimage.binary_erosion(mask)).sum())
    return 2.0 * float(mask.sum()) / max(outline, 1)


def pen_strokes(strip: Image.Image, row_height: float, gap: tuple[float, float] | None = None
                ) -> tuple[Image.Image, tuple[int, int, int, int]] | None:
    """The glyphs of ``strip`` (a row of the header, grey) drawn with a stroke THICKER than the row's
    printed ones (a marker's), alone on white and cropped to them with a margin, and their box in
    ``strip``. Without such glyphs, those lying whole within ``gap`` (the x range the first reading
    leaves between the label and the closing word) when it is wide enough for digits: a ballpoint's
    stroke is the typeface's, only its place tells it. None when neither is there."""
    a = np.asarray(strip.convert("L"))
    ink = a < _otsu(a)
    labels, n = ndimage.label(ink, structure=np.ones((3, 3), dtype=bool))
    if n == 0:
        return None
    min_area = max(12.0, (row_height * 0.12) ** 2)
    glyphs = []
    for k, sl in enumerate(ndimage.find_objects(labels), 1):
        if sl is None:
            continue
        mask = labels[sl] == k
        if mask.sum() >= min_area:
            glyphs.append((k, sl, _stroke(mask)))
    if len(glyphs) < 3:
        return None  # too few glyphs to tell the print's stroke
    printed = float(np.median([s for _, _, s in glyphs]))
    tall = sorted(((k, sl, s) for k, sl, s in glyphs if sl[0].stop - sl[0].start >= 0.35 * row_height),
                  key=lambda g: g[1][1].start)
    start, end = gap if gap is not None else (0.0, float(a.shape[1]))
    slack = 0.15 * row_height
    pen: list[int] = []
    for k, sl, s in tall:
        if sl[1].stop <= start - slack:
            continue  # the label's glyphs
        if s >= THICKER * printed:
            pen.append(k)
        elif pen or sl[1].start > end + slack:
            # the print again after the pen's run, or the closing word reached: a thick glyph beyond it is
            # the print's own (a bold "B"), and a gap glued into a word ends where the print starts again
            break
    if not pen and end - start >= MIN_GAP * row_height:
        pen = [k for k, sl, _ in tall if sl[1].start >= start - slack and sl[1].stop <= end + slack]
    if not pen:
        return None
    keep = np.isin(labels, pen)
    ys, xs = np.nonzero(keep)
    y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    out = np.full(a.shape, 255, dtype=np.uint8)
    out[keep] = 0
    pad = max(4, int(0.3 * (y1 - y0)))
    cut = np.full((y1 - y0 + 2 * pad, x1 - x0 + 2 * pad), 255, dtype=np.uint8)
    cut[pad:pad + y1 - y0, pad:pad + x1 - x0] = out[y0:y1, x0:x1]
    return Image.fromarray(cut, mode="L"), (int(x0), int(y0), int(x1), int(y1))


def _gap(slot: Slot) -> tuple[float, float]:
    """The x range (on the page) the first reading leaves for the written digits: from the end of the
    label to the start of the closing word, a glued word's share taken in proportion to its letters."""
    first, last = slot.words[0], slot.words[-1]
    start = first.left + first.width * len(slot.head) / max(1, len(first.text))
    end = last.left + last.width * (len(last.text) - len(slot.tail)) / max(1, len(last.text))
    return start, max(start, end)


def _otsu(a: np.ndarray) -> float:
    hist = np.bincount(a.ravel(), minlength=256).astype(float)
    total = hist.sum()
    levels = np.arange(256)
    w0 = np.cumsum(hist)
    m0 = np.cumsum(hist * levels)
    w1 = total - w0
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (m0[-1] * w0 / total - m0) ** 2 / (w0 * w1)
    between[~np.isfinite(between)] = 0
    return float(np.argmax(between))


def read_slot(copy: Image.Image, slot: Slot, dpi: float, *, timeout: float = 0) -> PageWord | None:
    """The digits written into ``slot`` on ``copy`` (the OCR copy its words were read from), as a word
    boxed where the pen's strokes are, at REREAD_CONF; None when no pen stroke is there or its reading
    is no plausible number or day."""
    row_h = float(np.median([w.height for w in slot.words]))
    x0 = min(w.left for w in slot.words)
    x1 = max(w.left + w.width for w in slot.words)
    y0 = int(max(0, min(w.top for w in slot.words) - 0.6 * row_h))
    y1 = int(min(copy.height, max(w.top + w.height for w in slot.words) + 0.6 * row_h))
    g0, g1 = _gap(slot)
    found = pen_strokes(copy.crop((x0, y0, x1, y1)), row_h, (g0 - x0, g1 - x0))
    if found is None:
        return None
    strokes, (bx0, by0, bx1, by1) = found
    by_glyph = read_glyphs(np.asarray(strokes) < 128)
    try:
        by_line = engine.read_digits(strokes, dpi, timeout=timeout)
    except PipelineError as e:  # a timeout, a crash: the glyphs' reading alone
        log.warning("second reading of the header's %s failed: %s", slot.kind, e.message)
        by_line = ""
    # Tesseract's reading of the line when it has as many digits as there are glyphs: it drops a digit
    # it cannot read rather than confusing it, and of the digits it keeps confuses fewer than the
    # glyph classifier (on the real set's first pages: 15 gaps of 33 right so, 8 by tesseract alone,
    # 12 by the classifier alone).
    digits = by_line if len(by_line) == len(by_glyph) else by_glyph
    # but a "1" written with the long upstroke of a Vietnamese hand tesseract reads "4" (01 -> 04, 16 -> 46)
    digits = "".join("1" if (a, b) == ("4", "1") else a for a, b in zip(digits, by_glyph, strict=False)) \
        if len(digits) == len(by_glyph) else digits
    if slot.kind == "day":
        if not (re.fullmatch(r"\d{1,2}", digits) and 1 <= int(digits) <= 31):
            return None
    elif not (re.fullmatch(r"\d{1,5}", digits) and digits.strip("0")):
        return None
    conf = min([REREAD_CONF] + [w.conf for w in slot.words])
    return PageWord(text=digits, conf=conf, left=x0 + bx0, top=y0 + by0, width=bx1 - bx0, height=by1 - by0)


def reread_slots(copy: Image.Image, words: list[PageWord], text: str, dpi: float, *, timeout: float = 0
                 ) -> tuple[list[PageWord], str, list[Literal["number", "day"]]]:
    """``words`` and ``text`` (the first reading of ``copy``) with the header's number and day read again
    where the first reading was unsure and a pen wrote them in: the gap's words become the label, the
    digits and the closing word ("Số:", "01", "/TTr-UBND"), and the text's line says the same. Also
    which gaps were so read (PageResult.handwritten)."""
    done: list[Literal["number", "day"]] = []
    for slot in find_slots(words, copy.height):
        if slot.sure:
            continue
        found = read_slot(copy, slot, dpi, timeout=timeout)
        if found is None or found.text == slot.between:
            continue  # nothing written there, or typed digits read right the first time, only unsure
        seen = sum(ch.isalnum() or ch == "|" for ch in slot.between)
        if seen > len(found.text) and any(ch.isdigit() for ch in slot.between):
            continue  # "3|" read again "1": two digits written touching, read as one; the first reading stands
        pattern = r"\s*".join(re.escape(w.text) for w in slot.words)
        m = re.search(pattern, text)
        if m is None:
            continue  # the words and the text must say the same: the extractor reads both
        text = f"{text[:m.start()]}{slot.head} {found.text} {slot.tail}{text[m.end():]}"
        words = _replace(words, slot, found)
        done.append(slot.kind)
    return words, text, done


def _replace(words: list[PageWord], slot: Slot, digits: PageWord) -> list[PageWord]:
    first, last = slot.words[0], slot.words[-1]
    head = first.model_copy(update={"text": slot.head, "width": max(1, min(first.width, digits.left - first.left - 1))})
    right = last.left + last.width
    tail_left = max(last.left, digits.left + digits.width + 1)
    tail = last.model_copy(update={"text": slot.tail, "left": tail_left, "width": max(1, right - tail_left)})
    at = words.index(first)
    kept = [w for w in words if not any(w is s for s in slot.words)]
    return [*kept[:at], head, digits, tail, *kept[at:]]
