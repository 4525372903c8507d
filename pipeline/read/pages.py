"""Find the pages of a file and decide, page by page, whether to read a text layer or to OCR it."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pdfplumber
import pikepdf
import pypdfium2 as pdfium
from PIL import Image, ImageOps

from pipeline.errors import PipelineError
from pipeline.read.checks import Format, Limits, check_pdf, image_codecs, pdf_before_open, sniff_format
from pipeline.vn.ocrfix import syllable_share
from schemas.tasks import PageSpec

log = logging.getLogger(__name__)

__all__ = ["Format", "Limits", "sniff_format"]
MAX_PAGES = Limits.max_pages
# The copy of a PDF that the readers read, in the file's work dir, when the original needed repair
# (a broken cross-reference table, rebuilt by qpdf) or carries an owner password only (decrypted).
READABLE = "readable.pdf"
# OCR works best between these; outside them the page is rendered/scaled to the nearest bound.
OCR_MIN_DPI = 200.0
OCR_MAX_DPI = 400.0
OCR_DEFAULT_DPI = 300.0
A4_LONG_SIDE_IN = 11.69
# Tesseract's time grows with pixels; an A0 plan at 300 dpi (140 MP) is read at a lower resolution.
MAX_OCR_PIXELS = 40_000_000
# A text layer with fewer visible characters than this is a stamp or a header, not the page's text.
MIN_TEXT_LAYER_CHARS = 40
# Share of a text layer's words that must be Vietnamese syllables (acronyms aside) to be believed;
# real pages score above 0.85 (names, codes, English terms), scanner garbage well below 0.5.
MIN_SYLLABLE_SHARE = 0.6
# An image covering this much of a page makes it a scan; its text layer must then span at least
# MIN_TEXT_SPAN of the page (a signature stamp spans a few per cent, a page of text over a third).
SCAN_IMAGE_SHARE = 0.5
MIN_TEXT_SPAN = 0.15

# Real scans of A0 maps at 300 dpi are large but not bombs; plan() sets SOHOA_MAX_PIXELS, checked before a
# decode, and Pillow's own guard (twice this) stays as a back-up.
Image.MAX_IMAGE_PIXELS = Limits.max_pixels


def _register_heif() -> None:
    try:
        from pillow_heif import register_heif_opener
    except ImportError:  # HEIC photos are then refused as unreadable images, the rest reads as before
        return
    register_heif_opener()


_register_heif()


@dataclass(frozen=True)
class DocumentPlan:
    fmt: Format
    pages: tuple[PageSpec, ...]


def _image_dpi(img: Image.Image) -> float | None:
    dpi = img.info.get("dpi")
    if dpi and float(dpi[0]) > 1:
        return float(dpi[0])
    return None


def _pdf_page_dpi(page: pdfplumber.page.Page) -> float | None:
    best = None
    for im in page.images:
        width_pt = float(im["x1"]) - float(im["x0"])
        if width_pt <= 0:
            continue
        dpi = float(im["srcsize"][0]) * 72.0 / width_pt
        best = dpi if best is None else max(best, dpi)
    return best


def _real_text(page: pdfplumber.page.Page, text: str) -> bool:
    """Whether a page's text layer is its real text, so OCR can be skipped.

    Scanned PDFs often carry a layer that is not: a digital-signature stamp or a header (a few
    lines in a corner of a full-page image) or a scanner's own OCR (all over the page, but garbage;
    legacy TCVN3/VNI fonts without a Unicode map read as garbage too). So the layer must have some
    substance, read as Vietnamese, and, over a page-sized image, span a good part of the page.
    """
    if sum(1 for c in text if c.isalnum()) < MIN_TEXT_LAYER_CHARS:
        return False
    valid, counted = syllable_share(text)
    if counted >= 10 and valid < MIN_SYLLABLE_SHARE * counted:
        return False
    page_area = float(page.width * page.height) or 1.0
    scanned = any(
        (float(im["x1"]) - float(im["x0"])) * (float(im["bottom"]) - float(im["top"])) >= SCAN_IMAGE_SHARE * page_area
        for im in page.images
    )
    if not scanned:
        return True
    chars = [c for c in page.chars if c.get("text", "").strip()]
    if not chars:
        return False
    x0 = min(float(c["x0"]) for c in chars)
    x1 = max(float(c["x1"]) for c in chars)
    top = min(float(c["top"]) for c in chars)
    bottom = max(float(c["bottom"]) for c in chars)
    return (x1 - x0) * (bottom - top) >= MIN_TEXT_SPAN * page_area


def readable(path: Path, workdir: Path | None) -> Path:
    """The file the readers open: the repaired or decrypted copy when plan made one, else the file."""
    if workdir is not None and (copy := workdir / READABLE).exists():
        return copy
    return path


def plan(path: Path, *, limits: Limits | None = None, workdir: Path | None = None) -> DocumentPlan:
    """The pages of a file and how to read each, once the file passed the checks (pipeline/read/checks.py).
    `workdir` is where a repaired or decrypted copy of a PDF goes; without one the original is read."""
    limits = limits or Limits()
    Image.MAX_IMAGE_PIXELS = limits.max_pixels
    fmt = sniff_format(path, limits)
    if fmt == "pdf":
        return DocumentPlan("pdf", tuple(_plan_pdf(path, limits, workdir)))
    with _image_errors(path, "", "the image"), Image.open(path) as img:
        n = getattr(img, "n_frames", 1)
        dpi = _image_dpi(img)
        _check_pixels(img, 1, path, limits)
        img.load()
    if n > limits.max_pages:
        raise PipelineError("too_many_pages", f"{n} pages, more than the limit of {limits.max_pages} "
                            "(SOHOA_MAX_PAGES)", source=str(path))
    return DocumentPlan(fmt, tuple(PageSpec(page_no=i + 1, kind="image", dpi=dpi) for i in range(n)))


def _check_pixels(img: Image.Image, page_no: int, path: Path, limits: Limits) -> None:
    """Before the decode: the header gives the size, and a bomb is a size no page has."""
    w, h = img.size
    if w * h > limits.max_pixels:
        raise PipelineError("image_too_large", f"page {page_no} is {w}x{h} pixels ({w * h / 1e6:.0f} MP), more "
                            f"than {limits.max_pixels / 1e6:.0f} MP (SOHOA_MAX_PIXELS)", source=str(path))


def _plan_pdf(path: Path, limits: Limits, workdir: Path | None) -> list[PageSpec]:
    pdf_before_open(path)
    try:
        with pikepdf.open(path) as pdf:
            check_pdf(pdf, path, limits)
            rotations = [int(p.obj.get("/Rotate", 0)) % 360 for p in pdf.pages]
            drawn = _drawn_annotations(pdf)
            encrypted = pdf.is_encrypted
            if encrypted and workdir is not None:
                # Opened without a password: an owner password only (printing, copying restricted). The
                # readers get a decrypted copy; the stored original stays the clerk's file.
                _save_copy(pdf, workdir)
    except pikepdf.PasswordError as e:
        raise PipelineError("encrypted_pdf", "the PDF needs a password to open (a user password)",
                            source=str(path)) from e
    except pikepdf.PdfError as e:
        raise PipelineError("unreadable_pdf", f"broken PDF beyond repair: {e}", source=str(path)) from e
    if not rotations:
        raise PipelineError("no_pages", "the PDF has no pages", source=str(path))
    try:
        return _read_layers(readable(path, workdir), rotations, drawn)
    except Exception as first:  # pdfminer raises many unrelated types on broken files
        if workdir is None or readable(path, workdir) != path:
            raise _unreadable(path, first) from first
        # A broken cross-reference table and the like: qpdf rebuilds it; a repaired PDF is read.
        try:
            with pikepdf.open(path) as pdf:
                _save_copy(pdf, workdir)
            specs = _read_layers(readable(path, workdir), rotations, drawn)
        except Exception as e:
            (workdir / READABLE).unlink(missing_ok=True)
            raise _unreadable(path, first) from e
        log.info("%s: read from a repaired copy (%s)", path, first)
        return specs


def _unreadable(path: Path, e: Exception) -> PipelineError:
    if isinstance(e, PipelineError):
        return e
    return PipelineError("unreadable_pdf", f"cannot read the PDF: {e!r}", source=str(path))


def _save_copy(pdf: pikepdf.Pdf, workdir: Path) -> None:
    workdir.mkdir(parents=True, exist_ok=True)
    tmp = workdir / (READABLE + ".tmp")
    pdf.save(tmp, encryption=False)
    tmp.replace(workdir / READABLE)


def _drawn_annotations(pdf: pikepdf.Pdf) -> bool:
    """Whether any page has an annotation with an appearance of its own (see _printed_annotations). A
    structure too broken to tell says yes: reading the layers then meets it, where a broken file is repaired."""
    try:
        return any("/AP" in annot for page in pdf.pages for annot in page.obj.get("/Annots", []))
    except Exception:  # pikepdf raises many types on broken objects
        return True


def _printed_annotations(path: Path) -> io.BytesIO:
    """A copy of the PDF with the appearance of its annotations drawn into the pages: what a digital
    signature's widget shows is printed text of the paper. An issuing office numbers and dates a paper
    as it signs it, and the signing software draws "11" and "08" into "Số: … /TB-UBND" and "ngày …
    tháng 01" as the appearance of a signature field, outside the page's own text: the text layer alone
    reads the paper as a blank draft."""
    with pikepdf.open(path) as pdf:
        with pdfplumber.open(path) as own:
            for page, text in zip(pdf.pages, own.pages, strict=False):
                annots = page.obj.get("/Annots")
                if annots is not None:
                    # Only what is drawn into the page's own lines (the gap of "Số:      /TB-UBND"): a stamp
                    # in the margin ("TRUNG TÂM CÔNG BÁO …", the signer's certificate) is no text of the paper.
                    page.obj.Annots = pikepdf.Array([a for a in annots if "/AP" in a and _over_text(a, text)])
                text.close()
        pdf.flatten_annotations(mode="print")  # as on paper: what only shows on screen stays out
        out = io.BytesIO()
        pdf.save(out)
    out.seek(0)
    return out


def _over_text(annot: pikepdf.Object, page: pdfplumber.page.Page) -> bool:
    """Whether an annotation's rectangle overlaps characters (spaces too) of the page's own text."""
    try:
        rect = [float(v) for v in annot.get("/Rect", [])]
    except (TypeError, ValueError):
        return False
    if len(rect) != 4:
        return False
    (x0, x1), (y0, y1) = sorted(rect[::2]), sorted(rect[1::2])
    top, bottom = float(page.height) - y1, float(page.height) - y0
    return any(float(c["x0"]) < x1 and float(c["x1"]) > x0 and float(c["top"]) < bottom and float(c["bottom"]) > top
               for c in page.chars)


def _without_covered_spaces(page: pdfplumber.page.Page) -> pdfplumber.page.Page:
    """The page without the blank characters that a drawn one covers: the page's own text holds the
    gap of "Số:      /TB-UBND" as spaces, and the number drawn over them would read "5 0 7"."""
    lines: dict[int, list[dict[str, Any]]] = {}
    for c in page.chars:
        if c["text"].strip():
            lines.setdefault(int(float(c["top"]) // 4), []).append(c)

    def covered(obj: dict[str, Any]) -> bool:
        x0, x1, top, bottom = (float(obj[k]) for k in ("x0", "x1", "top", "bottom"))
        row = int(top // 4)
        return any(min(x1, float(c["x1"])) - max(x0, float(c["x0"])) > 0.5 * (x1 - x0)
                   and min(bottom, float(c["bottom"])) - max(top, float(c["top"])) > 0.5 * (bottom - top)
                   for r in (row - 1, row, row + 1) for c in lines.get(r, ()))

    return page.filter(lambda obj: obj.get("object_type") != "char" or bool(obj["text"].strip()) or not covered(obj))


def _read_layers(path: Path, rotations: list[int], drawn: bool) -> list[PageSpec]:
    """The pages' text layers; ``drawn``: the PDF has annotations with appearances, drawn in first
    (found while planning, which has the PDF open already: most PDFs have none)."""
    specs = []
    flattened = _printed_annotations(path) if drawn else None
    with pdfplumber.open(flattened or path) as pdf:
        for i, page in enumerate(pdf.pages):
            text = (_without_covered_spaces(page) if flattened else page).extract_text() or ""
            dpi = _pdf_page_dpi(page)
            kind: Literal["text", "image"] = "text" if _real_text(page, text) else "image"
            specs.append(
                PageSpec(
                    page_no=i + 1, kind=kind, text=text if kind == "text" else "", dpi=dpi,
                    rotate_attr=rotations[i] if i < len(rotations) else 0,
                )
            )
            page.close()  # pdfplumber caches every page's objects otherwise
    return specs


def ocr_dpi(native: float | None) -> float:
    if native is None:
        return OCR_DEFAULT_DPI
    return min(max(native, OCR_MIN_DPI), OCR_MAX_DPI)


def render(path: Path, fmt: Format, spec: PageSpec, *, limits: Limits | None = None) -> tuple[Image.Image, float]:
    """The page as an image for OCR, and the dpi it is at."""
    limits = limits or Limits()
    if fmt == "pdf":
        dpi = ocr_dpi(spec.dpi)
        try:
            pdf = pdfium.PdfDocument(str(path))
            try:
                page = pdf[spec.page_no - 1]
                w_pt, h_pt = page.get_size()
                # A huge page (a plan, a poster) is read at a lower resolution, never at a size that
                # alone would fill the memory.
                if w_pt * h_pt * (dpi / 72.0) ** 2 > MAX_OCR_PIXELS:
                    dpi = 72.0 * (MAX_OCR_PIXELS / max(w_pt * h_pt, 1.0)) ** 0.5
                img = page.render(scale=dpi / 72.0).to_pil()
                page.close()
            finally:
                pdf.close()
        except pdfium.PdfiumError as e:
            if codecs := image_codecs(path, spec.page_no):
                raise PipelineError("undecodable_image", f"cannot render page {spec.page_no}, whose images are "
                                    f"{', '.join(codecs)}: {e}", source=str(path)) from e
            raise PipelineError("unreadable_pdf", f"cannot render page {spec.page_no}: {e}", source=str(path)) from e
        return img, dpi
    with _image_errors(path, f"page {spec.page_no}: ", f"page {spec.page_no}"), Image.open(path) as src:
        src.seek(spec.page_no - 1)
        _check_pixels(src, spec.page_no, path, limits)
        img = ImageOps.exif_transpose(src) if fmt in ("jpeg", "heic") else src.copy()
        img.load()
    return scale_for_ocr(img, spec.dpi)


@contextmanager
def _image_errors(path: Path, where: str, what: str) -> Iterator[None]:
    """Pillow's ways of failing on an image, as the clerk's reasons: a bomb, a cut-off file, garbage."""
    try:
        yield
    except PipelineError:
        raise
    except Image.DecompressionBombError as e:
        raise PipelineError("image_too_large", f"{where}{e}", source=str(path)) from e
    except (OSError, SyntaxError, ValueError, EOFError) as e:
        code = "truncated_file" if "truncated" in str(e) else "unreadable_image"
        raise PipelineError(code, f"cannot read {what}: {e}", source=str(path)) from e


def scale_for_ocr(img: Image.Image, recorded: float | None) -> tuple[Image.Image, float]:
    """An image page at a resolution OCR reads well (OCR_MIN_DPI-OCR_MAX_DPI), and that resolution."""
    # Without a recorded resolution, assume the picture is of an A4 page (what clerks scan and
    # photograph): a 1240 px screenshot then reads as 106 dpi and is enlarged, a 6000 px photo as
    # 513 dpi and is reduced.
    native = recorded if recorded is not None else max(img.size) / A4_LONG_SIDE_IN
    dpi = ocr_dpi(native)
    if img.width * img.height * (dpi / native) ** 2 > MAX_OCR_PIXELS:
        dpi = native * (MAX_OCR_PIXELS / (img.width * img.height)) ** 0.5
    if abs(dpi - native) > 1:
        scale = dpi / native
        img = img.resize((round(img.width * scale), round(img.height * scale)), Image.Resampling.LANCZOS)
    return img, dpi


def colour_of(img: Image.Image) -> Literal["colour", "grey", "bilevel"]:
    if img.mode == "1":
        return "bilevel"
    if img.mode in ("L", "LA", "I;16", "I", "F"):
        return "grey"
    # A colour container often holds a grey scan; look at a thumbnail to tell.
    # Shrunk first: converting a whole 300 dpi page cost more than the rest of this test (~30 ms).
    small = img.resize((64, 64), Image.Resampling.BOX) if img.mode in ("RGB", "RGBA", "L") else img
    thumb = np.asarray(small.convert("RGB").resize((64, 64)), dtype=np.int16)
    spread = int((thumb.max(axis=2) - thumb.min(axis=2)).max())
    return "colour" if spread > 24 else "grey"
