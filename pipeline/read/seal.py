"""The signature block under the red seal, and how to read it.

Decree 30 puts the body's red seal over the signature, right under the signer's position and above
the name. Two things go wrong when tesseract reads the whole page: in grey conversion by luminance
the seal becomes a dark ring that it takes for part of the text lines it touches, and its layout
analysis joins the block's lines with the recipient list at the left ("- Lưu: VT, KT. CHỦ TỊCH")
and then misreads both. The position line ("CHỦ TỊCH") or the signer's family name is lost or
read as junk, and those are metadata.

- Printed text is black, the seal red and the signature blue: the lightest of the three channels
  of each pixel keeps black as black and turns the seal as light as the paper, the pen nearly so
  ("colour dropout", as document scanners do in hardware; `dropout_grey`).
- The signature block alone, cut out of the page as the OCR copy shows it and its colours dropped,
  is read a second time as one block of text (`reread_signature`), and its words replace those of
  the first reading there. The block is found from the seal's red ink (`seal_zone`), or, on a grey
  page, from the position words of the first reading (`signature_zone`); about a seventh of the
  page, read only on pages that have one. The rest of the page is read as before: a whole page in
  colour dropout sometimes lost most of a photographed page to tesseract's layout analysis.

Measured on bench/classify.py's 58 scans, with the same extractor: the signer's position is read
right on 48 of 56 pages from the first reading alone and on 56 with the block read again, the
signer's name on 48 and 52. The second reading costs 0.3 s on a page that has a block (97 of the
116 last pages of scans and photos), against 2.5 s for the page's own OCR, so it is skipped where the
first reading of the block is whole and sure (`_read_clean`): with that, the bench's figures are the
same and the block is read again on 1 of 6 generated scans (0.08 s a page on average).
"""

from __future__ import annotations

import logging
import math
import re

import numpy as np
from PIL import Image, ImageChops

from pipeline.errors import PipelineError
from pipeline.read import engine, preprocess
from pipeline.vn.ocrfix import fix_word
from pipeline.vn.text import fold
from schemas.tasks import PageWord

log = logging.getLogger(__name__)
_LEAD = frozenset({"tm", "kt", "tl", "tuq", "q"})  # "on behalf of" marks that a title must follow
CLEAN_CONF = 90.0  # tesseract's word confidence (0-100) above which a block's first reading of a name or title stands
LOOSE_CONF = 60.0  # the same for its other words, which carry no metadata

# Words of a position line (KT. CHỦ TỊCH, TM. ỦY BAN NHÂN DÂN, GIÁM ĐỐC, NGƯỜI KÝ …) or of a
# certification stamp (CHỨNG THỰC BẢN SAO …), folded.
_ANCHOR_RE = re.compile(r"^(tm|kt|tl|tuq|chu|tich|giam|doc|nguoi|pho|truong|chanh|thu|tri|dai|dien|chung|thuc)$")


def dropout_grey(img: Image.Image) -> Image.Image:
    """A grey copy of a page without its coloured ink: each pixel's lightest channel."""
    if img.mode != "RGB":
        return img.convert("L")
    r, g, b = img.split()
    return ImageChops.lighter(ImageChops.lighter(r, g), b)


def signature_zone(words: list[PageWord], width: int, height: int) -> tuple[int, int, int, int] | None:
    """The box (left, top, right, bottom) of the signature block: the right half of the page from
    the lowest group of upper-case position words in its lower three quarters, a quarter of the
    page down. None when the page shows no such word."""
    anchors = sorted(
        (w for w in words
         if w.top > 0.25 * height and w.left + w.width / 2 > 0.5 * width and w.text.strip(".,:;").isupper()
         and _ANCHOR_RE.match(fold(w.text.strip(".,:;")))),
        key=lambda w: -w.top,
    )
    if not anchors:
        return None
    top = anchors[0].top
    for w in anchors[1:]:
        if top - w.top > 2.5 * w.height:
            break  # a line far above the block: the decision's preamble, not the signature
        top = w.top
    top = max(0, top - anchors[0].height)
    return int(0.45 * width), top, width, min(height, top + int(0.25 * height))


def seal_zone(small: Image.Image, width: int, height: int) -> tuple[int, int, int, int] | None:
    """The signature block's box found from the seal itself, on ``small`` (the colour OCR copy
    reduced): the red ink in the lower three quarters of the right part of the page, the position
    lines above it and the name below. None without a seal."""
    a = np.asarray(small.convert("RGB"), dtype=np.int16)
    r, g, b = a[..., 0], a[..., 1], a[..., 2]
    red = (r > 140) & (r - g > 35) & (r - b > 30)  # the thin rims blend with the paper when reduced
    h, w = red.shape
    red[: int(h * 0.25)] = False
    red[:, : int(w * 0.35)] = False
    ys, xs = np.nonzero(red)
    if len(ys) < 0.0005 * h * w:  # a seal's rims (0.15-0.3 % of a reduced page), not a speck
        return None
    sx, sy = width / w, height / h
    y0, y1 = np.percentile(ys, 2) * sy, np.percentile(ys, 98) * sy
    x0 = np.percentile(xs, 2) * sx
    if y1 - y0 > 0.25 * height:
        return None  # not one seal
    return (int(max(0, min(0.45 * width, x0 - 0.05 * width))), int(max(0, y0 - 0.09 * height)), width,
            int(min(height, y1 + 0.05 * height)))


def zone_of_copy(page: Image.Image, geom: preprocess.Geometry, box: tuple[int, int, int, int]) -> Image.Image:
    """``preprocess.apply(page, geom).crop(box)`` without turning the whole page: the box, with a
    margin for the deskew, is cut first and turned about the page's centre."""
    if geom.turn:
        page = page.transpose({90: Image.Transpose.ROTATE_90, 180: Image.Transpose.ROTATE_180,
                               270: Image.Transpose.ROTATE_270}[geom.turn])
    x0, y0, x1, y1 = box
    if not geom.skew:
        return page.crop(box)
    m = int(abs(math.sin(math.radians(geom.skew))) * max(page.size)) + 4
    fill = 255 if page.mode == "L" else (255, 255, 255)
    big = Image.new(page.mode, (x1 - x0 + 2 * m, y1 - y0 + 2 * m), fill)
    big.paste(page.crop((max(0, x0 - m), max(0, y0 - m), min(page.width, x1 + m), min(page.height, y1 + m))),
              (max(0, x0 - m) - (x0 - m), max(0, y0 - m) - (y0 - m)))
    centre = (page.width / 2 - (x0 - m), page.height / 2 - (y0 - m))
    turned = big.rotate(geom.skew, resample=Image.Resampling.BILINEAR, center=centre, fillcolor=fill)
    return turned.crop((m, m, m + x1 - x0, m + y1 - y0))


def reread_signature(
    copy: Image.Image, words: list[PageWord], dpi: float, *, lang: str, timeout: float = 0,
    colour: tuple[Image.Image, preprocess.Geometry] | None = None,
) -> list[PageWord]:
    """``words`` (the first reading of ``copy``, the OCR copy) with those of the signature block
    replaced by a second reading of the block alone, its colours dropped. ``colour``: the page in
    colour and how the OCR copy was made from it, when the copy itself is grey (a PDF's)."""
    # Where the seal is, the block is; without red ink (a grey scan, no seal), where its words are.
    if colour is not None:
        small: Image.Image | None = preprocess.apply(colour[0].reduce(4), colour[1])
    else:
        small = copy.reduce(4) if copy.mode == "RGB" else None
    sealed = seal_zone(small, copy.width, copy.height) if small is not None else None
    zone = sealed or signature_zone(words, copy.width, copy.height)
    if zone is None or _read_clean([w for w in words if _inside(w, zone)], under_seal=sealed is not None):
        return words
    crop = dropout_grey(zone_of_copy(*colour, zone) if colour is not None else copy.crop(zone))
    try:
        read = engine.read_words(crop, dpi, lang=lang, psm=6, timeout=timeout)
    except PipelineError as e:  # a timeout, a crash: the first reading stands
        log.warning("second reading of the signature block failed: %s", e.message)
        return words
    x0, y0 = zone[:2]
    again = [w.model_copy(update={"text": fix_word(w.text), "left": x0 + w.left, "top": y0 + w.top}) for w in read]

    return [w for w in words if not _inside(w, zone)] + again


def _inside(w: PageWord, zone: tuple[int, int, int, int]) -> bool:
    cx, cy = w.left + w.width / 2, w.top + w.height / 2
    return zone[0] <= cx < zone[2] and zone[1] <= cy < zone[3]


def _read_clean(block: list[PageWord], *, under_seal: bool = False) -> bool:
    """The first reading of the block can stand: its position title is there (below the TM./KT. line
    when there is one, as Decree 30 sets it) and tesseract was sure of the words the metadata is read
    from. What the seal spoils is lost lines and words read with low confidence; a second tesseract run
    costs a sixth of the page's OCR (and with pytesseract a process and a model load), so it is spent
    only where the first reading shows that.

    Sure means: every capitalised word (position lines, the signer's name) at CLEAN_CONF, every other
    word (a caption, the decision's last sentence) at LOOSE_CONF; a line of three letters or fewer (the
    pen's stroke or a speck read as "na" or "7.") is left out, as the extractor leaves it out. On the
    generated scans that kept every block the second reading improved and spared those it only made
    worse ("Số" read again as "5ö"). ``under_seal``: the block was found from the seal's ink, which
    covers the signature and may swallow the name under it: a name line must follow the title."""
    marks = [(w, fold(w.text.strip(".,:;"))) for w in block if w.text.strip(".,:;").isupper()]
    lead = [w for w, f in marks if f in _LEAD]
    titles = [w for w, f in marks if f not in _LEAD and _ANCHOR_RE.match(f)]
    below_lead = all(any(t.top > w.top + w.height / 2 for t in titles) for w in lead)
    if not (titles and below_lead and len(block) >= 4):
        return False
    lines = [ln for ln in _lines(block) if sum(ch.isalpha() for w in ln for ch in w.text) > 3]
    below = max(t.top + t.height for t in titles)
    if under_seal and not any(len(ln) >= 2 and ln[0].top > below and all(w.text.istitle() and w.text[0].isalpha()
                                                                          for w in ln) for ln in lines):
        return False
    for line in lines:
        if any(w.conf < (CLEAN_CONF if w.text.lstrip("(\"'-").istitle() or w.text.isupper() else LOOSE_CONF)
               for w in line):
            return False
    return True


def _lines(words: list[PageWord]) -> list[list[PageWord]]:
    """Words grouped into lines: a word joins the line whose last word its middle lies level with."""
    lines: list[list[PageWord]] = []
    for w in sorted(words, key=lambda w: (w.top + w.height / 2, w.left)):
        mid = w.top + w.height / 2
        line = next((ln for ln in lines if ln[-1].top <= mid <= ln[-1].top + ln[-1].height), None)
        if line is None:
            lines.append([w])
        else:
            line.append(w)
    return lines
