"""Read one page: its text layer when real, otherwise one tesseract run that yields the text, the
word boxes with confidences and the page's searchable PDF layer together; and, on the image already
rendered for OCR, the QR codes of the page (a one-stop-shop slip carries its dossier code in one) and
how much ink it holds (a blank separator page holds none)."""

from __future__ import annotations

import logging
import os
import time
import unicodedata
from pathlib import Path
from typing import Any

import zxingcpp
from PIL import Image, ImageChops

from pipeline.errors import PipelineError
from pipeline.read import assemble, boxes, engine, preprocess, seal, slots
from pipeline.read.pages import Format, PageSpec, colour_of, readable, render
from pipeline.vn.ocrfix import fix_text, fix_word
from pipeline.vn.text import fold
from schemas.tasks import PageResult, PageWord

log = logging.getLogger(__name__)
LOW_CONFIDENCE = 60.0
# A born-digital page is not rendered for OCR; it is rendered (at this resolution, enough for a
# 20 mm code) only when its text prints a dossier code label, i.e. when it may be a slip with a QR.
QR_TEXT_PAGE_DPI = 200.0


def page_paths(workdir: Path, page_no: int) -> tuple[Path, Path]:
    return workdir / f"page-{page_no:04d}.json", workdir / f"page-{page_no:04d}.pdf"


def read_page(
    path: Path, fmt: Format, spec: PageSpec, workdir: Path, *, lang: str = "vie", timeout: float = 0
) -> PageResult:
    """Idempotent: a page already read into `workdir` is loaded, not read again."""
    json_path, pdf_path = page_paths(workdir, spec.page_no)
    if json_path.exists() and (spec.kind == "text" or pdf_path.exists()):
        return PageResult.model_validate_json(json_path.read_text(encoding="utf-8"))
    workdir.mkdir(parents=True, exist_ok=True)
    path = readable(path, workdir)  # the repaired or decrypted copy plan made, if it made one
    started = time.perf_counter()
    if spec.kind == "text":
        text = unicodedata.normalize("NFC", spec.text)
        result = PageResult(page_no=spec.page_no, source="text_layer", text=text, dpi=spec.dpi)
        if "ma ho so" in fold(text):
            img, _ = render(path, fmt, spec.model_copy(update={"dpi": QR_TEXT_PAGE_DPI}))
            result.qr = qr_codes(img)
    else:
        result = _ocr(path, fmt, spec, pdf_path, lang=lang, timeout=timeout)
    result.seconds = time.perf_counter() - started
    _atomic_write(json_path, result.model_dump_json().encode("utf-8"))
    return result


def _ocr(path: Path, fmt: Format, spec: PageSpec, pdf_out: Path, *, lang: str, timeout: float) -> PageResult:
    img, dpi = render(path, fmt, spec)
    colour = colour_of(img)
    # For a PDF the text goes over the original page (text only, placed back through `geom` by
    # assemble), so its image stays untouched; an image file becomes a page of its own (the upright
    # OCR copy plus text).
    textonly = fmt == "pdf"
    in_colour = img if img.mode == "RGB" and colour == "colour" else None
    if img.mode not in ("L", "1") and (textonly or colour == "grey"):
        # Tesseract reads grey anyway; a grey copy is a third of the pixels to turn and hand over
        # (turning a 300 dpi RGB page costs 0.4 s), and nobody sees it when it is not shown.
        img = img.convert("L")
    geom = preprocess.analyse(img, dpi)
    if geom.unsure:
        log.warning("%s page %d: orientation unsure, left as scanned for review: %s", path, spec.page_no, geom.unsure)
    qr = qr_codes(img)  # on the rendered page, before any turn: the reader finds codes at any angle
    ocr_img = preprocess.apply(img, geom)
    source = _as_is(path, fmt, spec, geom, ocr_img)
    # A page shown in colour is read grey all the same, its text-only layer then laid over the colour copy
    # (assemble.image_page): tesseract binarising a colour page itself cost 0.7 s of its 1.9 s.
    shown = ocr_img if not textonly and ocr_img.mode == "RGB" else None
    read = darkest_grey(shown) if shown is not None else ocr_img
    # Rows of boxes (an identity number, one digit a box) are read with their borders erased; the page
    # kept shows them as printed, so an image page then takes the text-only layer, as a colour one does.
    rows = boxes.find_rows(read, dpi) if read.mode == "L" else []
    if rows:
        read = boxes.erase(read, rows)
        if not textonly and shown is None:
            shown = ocr_img
    layer = pdf_out.with_name(pdf_out.stem + ".layer.pdf") if shown is not None else pdf_out
    try:
        raw, words = engine.read_page(read, dpi, layer, lang=lang, textonly=textonly or shown is not None,
                                      timeout=timeout, what=f"page {spec.page_no}",
                                      source=None if shown is not None or rows else source)
        if unread(words, geom.ink):
            again = layer.with_name(layer.stem + ".sauvola.pdf")
            raw2, words2 = engine.read_page(read, dpi, again, lang=lang, textonly=textonly or shown is not None,
                                            timeout=timeout, what=f"page {spec.page_no}",
                                            source=None if shown is not None or rows else source, threshold="sauvola")
            log.info("%s page %d: %d confident word(s) for its ink %.4f, read again with local thresholds: %d",
                     path, spec.page_no, _confident(words), geom.ink, _confident(words2))
            if _confident(words2) > _confident(words):
                raw, words = raw2, words2
                os.replace(again, layer)
            again.unlink(missing_ok=True)
        if shown is not None:
            assemble.image_page(shown, layer, pdf_out, source=source)
    except PipelineError as e:
        raise PipelineError(e.code, e.message, source=str(path)) from e
    finally:
        if shown is not None:
            layer.unlink(missing_ok=True)
    if rows:
        log.info("%s page %d: %d row(s) of boxes read without their borders", path, spec.page_no, len(rows))
    text = fix_text(raw)
    words = [w.model_copy(update={"text": fix_word(w.text)}) for w in words]
    if not qr and "ma ho so" in fold(text):
        qr = qr_codes(img, harder=True)  # a page that prints a dossier code may well carry its QR
    # the signature block under the seal, read again from the colour page when the copy is grey
    words = seal.reread_signature(ocr_img, words, dpi, lang=lang, timeout=timeout,
                                  colour=(in_colour, geom) if in_colour is not None and ocr_img.mode != "RGB" else None)
    # the number and day a clerk wrote into the header's gaps, read again from the pen's strokes alone
    words, text, handwritten = slots.reread_slots(ocr_img, words, text, dpi, timeout=timeout)
    confs = [w.conf for w in words]
    return PageResult(
        page_no=spec.page_no,
        source="ocr" if words else "empty",
        text=text.strip(),
        mean_confidence=round(sum(confs) / len(confs), 2) if confs else None,
        low_confidence_words=sum(1 for c in confs if c < LOW_CONFIDENCE),
        words=words,
        width_px=ocr_img.width,
        height_px=ocr_img.height,
        dpi=spec.dpi,  # the scan's own resolution for the compliance check; None when unknown
        colour=colour,
        rotated=geom.turn,
        turn_unsure=geom.unsure or None,
        skew=geom.skew,
        pdf_path=str(pdf_out),
        ink=geom.ink,
        qr=qr,
        handwritten=handwritten,
    )


# A page with this much ink (a share of its pixels) holds text: under MIN_WORDS confident words read from it,
# tesseract's one threshold for the whole page failed it (a phone photo's grain and uneven light; a plainly
# readable generated sơ yếu lý lịch came out with no word at all), so it is read once more with Sauvola's
# threshold of each pixel's neighbourhood (that page then read whole) and the reading with more confident
# words kept. A blank page or a page of a few words (a signature's page) is not worth the second run.
UNREAD_INK = 0.01
MIN_WORDS = 10


def unread(words: list[PageWord], ink: float) -> bool:
    return ink >= UNREAD_INK and _confident(words) < MIN_WORDS


def _confident(words: list[PageWord]) -> int:
    return sum(1 for w in words if w.conf >= LOW_CONFIDENCE)


def darkest_grey(img: Image.Image) -> Image.Image:
    """A colour page as tesseract sees it for its layout: ink is what is dark in any channel, so each
    pixel's darkest channel. Read this way the generated photos came out as well as read in colour
    (CER 12.3 % against 12.6 %), and by luminance worse (18.1 %: a blue-grey photo lost half a page);
    the scans within 0.3 point either way."""
    r, g, b = img.split()
    return ImageChops.darker(ImageChops.darker(r, g), b)


def _as_is(path: Path, fmt: Format, spec: PageSpec, geom: preprocess.Geometry, ocr_img: Image.Image) -> Path | None:
    """The file itself when it is the OCR copy already (a JPEG or PNG page read upright and level at its
    own size): tesseract then reads it as the plain CLI does, without a copy written for it, and its PDF
    page embeds a JPEG as it is instead of compressing the pixels again (~0.3 s at 300 dpi).
    A page turned by 180 degrees or deskewed keeps its size but is not the file: its copy is read."""
    if fmt not in ("jpeg", "png") or spec.page_no != 1 or not geom.identity:
        return None
    try:
        with Image.open(path) as src:
            # Only a JPEG's EXIF turn is applied by render(); a PNG's getexif() would decode the whole image.
            turned = fmt == "jpeg" and src.getexif().get(0x0112, 1) != 1
            same = src.size == ocr_img.size and src.mode in ("L", "RGB") and not turned
    except (OSError, ValueError):
        return None
    return path if same else None


def qr_codes(img: Image.Image, *, harder: bool = False) -> list[str]:
    """Payloads of the QR codes on a page image. A code that cannot be read is not the page's
    failure: the slip's printed dossier code stands in for it.

    `harder`: the reader's fallbacks, for a page known to print a dossier code: a fixed threshold
    (a few ms), then the page enlarged by half (about 0.2 s). On generated phone photos (JPEG
    quality 40-65, blur) the plain reading missed 5 of 16 slip codes, the fallbacks found 4 of those.
    """
    grey = img if img.mode == "L" else img.convert("L")  # 3-7x faster for the reader than RGB
    if not harder:
        return _read_qr(grey)
    return _read_qr(grey, binarizer=zxingcpp.Binarizer.FixedThreshold) or _read_qr(
        grey.resize((grey.width * 3 // 2, grey.height * 3 // 2), Image.Resampling.BICUBIC)
    )


def _read_qr(grey: Image.Image, **options: Any) -> list[str]:
    try:
        # Made per call, not kept in a module global: nanobind reports an instance still alive at
        # interpreter exit as a leak, in every worker's log.
        qr = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
        found = zxingcpp.read_barcodes(grey, formats=qr, **options)
    except Exception as e:  # the reader's own errors carry no stable type
        log.warning("QR reading failed on a %dx%d page: %s", grey.width, grey.height, e)
        return []
    return [unicodedata.normalize("NFC", r.text) for r in found if r.valid and r.text]


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def image_size(path: Path) -> tuple[int, int]:
    with Image.open(path) as img:
        return img.size
