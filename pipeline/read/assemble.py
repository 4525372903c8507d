"""Put the pages back together as one searchable PDF: the original images with the OCR text under them.

For a PDF input the original pages stay as they are (the image is never re-encoded) and tesseract's
text-only layer is placed over each OCR'd page with a transform that undoes what was done to the
OCR copy (quarter turns, deskew) and the page's own /Rotate, so the invisible words sit on the
words of the image. An image input becomes tesseract's image-plus-text pages (upright). The result
is made PDF/A-2b when its content allows (pipeline/read/pdfa.py).
"""

from __future__ import annotations

import io
import math
import shutil
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pikepdf
from PIL import Image

from pipeline.errors import PipelineError
from pipeline.read import pdfa
from pipeline.read.pages import Format
from schemas.tasks import PageResult


def searchable_pdf(source: Path, fmt: Format, pages: Sequence[PageResult], out: Path) -> Path:
    """Write `out` and return it. Pages read from a text layer are kept as they are."""
    by_no = {p.page_no: p for p in pages}
    ocr_pages = [p for p in pages if p.pdf_path]
    tmp = out.with_suffix(".pdf.tmp")
    if fmt == "pdf" and not ocr_pages:
        shutil.copyfile(source, tmp)  # born-digital: already searchable, and kept byte for byte
    elif fmt == "pdf":
        _overlay(source, by_no, tmp)
    else:
        _concatenate([Path(p.pdf_path) for p in sorted(ocr_pages, key=lambda p: p.page_no) if p.pdf_path], tmp)
    tmp.replace(out)
    return out


def layer_matrix(
    mediabox: tuple[float, float, float, float], rotate: int, layer_size: tuple[float, float], turn: int, skew: float
) -> tuple[float, float, float, float, float, float]:
    """The `cm` that maps the text layer (made from the OCR copy) onto the page's user space.

    The OCR copy is the displayed page turned `turn` + `skew` degrees counter-clockwise about its
    centre; the displayed page is the mediabox turned `rotate` degrees clockwise (/Rotate).
    """
    x0, y0, x1, y1 = mediabox
    w, h = x1 - x0, y1 - y0
    dw, dh = (w, h) if rotate % 180 == 0 else (h, w)
    lw, lh = layer_size
    phi = math.radians(turn + skew)
    c, s = math.cos(phi), math.sin(phi)
    to_centre = np.array([[1, 0, -lw / 2], [0, 1, -lh / 2], [0, 0, 1]])
    unturn = np.array([[c, s, 0], [-s, c, 0], [0, 0, 1]])  # rotation by -phi
    to_display = np.array([[1, 0, dw / 2], [0, 1, dh / 2], [0, 0, 1]])
    display_to_user = {
        0: np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1]]),
        90: np.array([[0, -1, w], [1, 0, 0], [0, 0, 1]]),
        180: np.array([[-1, 0, w], [0, -1, h], [0, 0, 1]]),
        270: np.array([[0, 1, 0], [-1, 0, h], [0, 0, 1]]),
    }[rotate % 360]
    origin = np.array([[1, 0, x0], [0, 1, y0], [0, 0, 1]])
    m = origin @ display_to_user @ to_display @ unturn @ to_centre
    return (float(m[0, 0]), float(m[1, 0]), float(m[0, 1]), float(m[1, 1]), float(m[0, 2]), float(m[1, 2]))


def _overlay(source: Path, by_no: dict[int, PageResult], out: Path) -> None:
    try:
        pdf = pikepdf.open(source)
    except pikepdf.PdfError as e:
        raise PipelineError("unreadable_pdf", f"cannot reopen to assemble: {e}", source=str(source)) from e
    with pdf:
        layers = []
        for i, page in enumerate(pdf.pages):
            result = by_no.get(i + 1)
            if result is None or not result.pdf_path:
                continue
            layer = pikepdf.open(result.pdf_path)
            layers.append(layer)
            lbox = [float(v) for v in layer.pages[0].mediabox]
            lsize = (lbox[2] - lbox[0], lbox[3] - lbox[1])
            form = pdf.copy_foreign(layer.pages[0].as_form_xobject())
            name = page.add_resource(form, pikepdf.Name.XObject, prefix="OCR")
            mb = [float(v) for v in page.mediabox]
            box = (mb[0], mb[1], mb[2], mb[3])
            rotate = int(page.obj.get("/Rotate", 0)) % 360
            cm = _matrix(layer_matrix(box, rotate, lsize, result.rotated, result.skew))
            prefix = b"q\n"
            if (result.rotated or rotate) and "/Annots" not in page.obj:
                # Turn the page itself upright: its content (the untouched image) is placed through a
                # rotation and the box set to the upright size. Viewers then show it the right way
                # up and text extractors read the words left to right, top to bottom; /Rotate alone
                # would only fix the display.
                turned = _matrix(layer_matrix(box, rotate, lsize, result.rotated, 0.0))
                upright = np.linalg.inv(turned)
                prefix += _cm(upright)
                cm = upright @ cm
                page.obj.MediaBox = pikepdf.Array([0, 0, lsize[0], lsize[1]])
                for key in ("/Rotate", "/CropBox", "/TrimBox", "/BleedBox", "/ArtBox"):
                    if key in page.obj:
                        del page.obj[key]
            # The page's own content may leave the graphics state changed: fence it in q/Q first.
            page.contents_add(pikepdf.Stream(pdf, prefix), prepend=True)
            draw = b"\nQ\nq " + _cm(cm) + str(name).encode() + b" Do Q\n"
            page.contents_add(pikepdf.Stream(pdf, draw), prepend=False)
        _finish(pdf, out)
        for layer in layers:
            layer.close()


def _matrix(cm: tuple[float, float, float, float, float, float]) -> np.ndarray:
    a, b, c, d, e, f = cm
    return np.array([[a, c, e], [b, d, f], [0.0, 0.0, 1.0]])


def _cm(m: np.ndarray) -> bytes:
    vals = (m[0, 0], m[1, 0], m[0, 1], m[1, 1], m[0, 2], m[1, 2])
    return (" ".join(f"{float(v):.6f}" for v in vals) + " cm ").encode()


def _concatenate(parts: Sequence[Path], out: Path) -> None:
    pdf = pikepdf.new()
    opened = [pikepdf.open(p) for p in parts]
    try:
        for part in opened:
            pdf.pages.extend(part.pages)
        _finish(pdf, out)
    finally:
        for part in opened:
            part.close()
        pdf.close()


def _finish(pdf: pikepdf.Pdf, out: Path) -> None:
    """PDF/A-2b when the content allows (a CMYK or encrypted original stays plain PDF), then save."""
    pdfa.convert(pdf)
    pdf.save(out, linearize=False, object_stream_mode=pikepdf.ObjectStreamMode.generate)


def cut(source: Path, fmt: Format, page_nos: Sequence[int], out: Path) -> Path:
    """The given pages (1-based, in order) of the original as a file of the same format: the
    original of one document of a split batch. PDF pages are copied as they are (images never
    re-encoded); TIFF frames are written losslessly. Same input, same bytes, so a retried split
    stores the same objects under the same keys."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    if fmt == "pdf":
        try:
            with pikepdf.open(source) as src, pikepdf.new() as part:
                for no in page_nos:
                    part.pages.append(src.pages[no - 1])
                part.save(tmp, deterministic_id=True)
        except (pikepdf.PdfError, IndexError) as e:
            raise PipelineError("unreadable_pdf", f"cannot cut pages {list(page_nos)}: {e}", source=str(source)) from e
    elif fmt == "tiff":
        _cut_tiff(source, page_nos, tmp)
    elif list(page_nos) == [1]:
        shutil.copyfile(source, tmp)  # a single image is never split; its one page is the whole file
    else:
        raise PipelineError("internal_error", f"a {fmt} file has one page, not {list(page_nos)}", source=str(source))
    tmp.replace(out)
    return out


def _cut_tiff(source: Path, page_nos: Sequence[int], out: Path) -> None:
    from PIL import Image

    frames = []
    try:
        with Image.open(source) as img:
            dpi = img.info.get("dpi")
            for no in page_nos:
                img.seek(no - 1)
                frames.append(img.copy())
    except (OSError, EOFError, ValueError) as e:
        raise PipelineError("unreadable_image", f"cannot cut pages {list(page_nos)}: {e}", source=str(source)) from e
    extra = {"dpi": dpi} if dpi else {}
    # Deflate whatever the scanner used: re-encoding a JPEG-compressed frame as JPEG would lose more.
    frames[0].save(out, "TIFF", compression="tiff_adobe_deflate", save_all=True, append_images=frames[1:], **extra)


def image_page(img: Image.Image, layer: Path, out: Path, *, source: Path | None = None) -> None:
    """One page: the OCR copy `img` with tesseract's text-only `layer` (read from another copy of it:
    grey for a colour page, without its boxes' borders for a page with a row of boxes) over it, as
    tesseract itself would have made it from `img`.

    Tesseract binarises a colour page channel by channel and compresses it for its PDF itself: on the
    generated photos that was 0.7 s of a page's 1.9 s, against 1.2 s for the same page read grey. The
    image goes in as tesseract put it: `source`, the file that holds exactly `img`, as it is (a JPEG's
    bytes, a PNG's compressed rows); a copy made for OCR as a JPEG of tesseract's quality."""
    data, filters, parms = _embedded(img, source)
    with pikepdf.open(layer) as lay, pikepdf.new() as pdf:
        lbox = [float(v) for v in lay.pages[0].mediabox]
        w, h = lbox[2] - lbox[0], lbox[3] - lbox[1]
        image = pikepdf.Stream(pdf, data)
        image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
        image.Width, image.Height, image.BitsPerComponent = img.width, img.height, 8
        image.ColorSpace = pikepdf.Name.DeviceGray if img.mode == "L" else pikepdf.Name.DeviceRGB
        image.Filter = filters
        if parms is not None:
            image.DecodeParms = parms
        pdf.add_blank_page(page_size=(w, h))
        page = pdf.pages[0]
        im = page.add_resource(image, pikepdf.Name.XObject, prefix="Im")
        text = page.add_resource(pdf.copy_foreign(lay.pages[0].as_form_xobject()), pikepdf.Name.XObject, prefix="OCR")
        page.contents_add(pikepdf.Stream(pdf, f"q {w:.4f} 0 0 {h:.4f} {lbox[0]:.4f} {lbox[1]:.4f} cm {im} Do Q\n"
                                              f"q {text} Do Q\n".encode()))
        tmp = out.with_suffix(".tmp.pdf")
        pdf.save(tmp)
    tmp.replace(out)


JPEG_QUALITY = 85  # tesseract's own (jpg_quality) for the image of its PDF page


def _embedded(img: Image.Image, source: Path | None) -> tuple[bytes, pikepdf.Name, pikepdf.Dictionary | None]:
    if source is not None and _mode_of(source) != img.mode:
        source = None  # a grey scan in a colour file, read (and shown) as its grey copy
    if source is not None:
        head = source.read_bytes()
        if head[:3] == b"\xff\xd8\xff":
            return head, pikepdf.Name.DCTDecode, None
        rows = _png_rows(head, grey=img.mode == "L")
        if rows is not None:
            parms = pikepdf.Dictionary(Predictor=15, Colors=1 if img.mode == "L" else 3, BitsPerComponent=8,
                                       Columns=img.width)
            return rows, pikepdf.Name.FlateDecode, parms
        return zlib.compress(img.tobytes(), 6), pikepdf.Name.FlateDecode, None  # lossless, as the file is
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=JPEG_QUALITY)
    return buf.getvalue(), pikepdf.Name.DCTDecode, None


def _mode_of(path: Path) -> str | None:
    try:
        with Image.open(path) as src:  # the header only
            return src.mode
    except (OSError, ValueError):
        return None


def _png_rows(data: bytes, *, grey: bool = False) -> bytes | None:
    """The compressed rows (IDAT) of an 8-bit RGB (`grey`: grey) non-interlaced PNG, which a PDF reads
    as they are (Flate with the PNG predictors); None for any other PNG."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    pos, rows = 8, []
    while pos + 8 <= len(data):
        size = int.from_bytes(data[pos:pos + 4], "big")
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + size]
        # depth, colour type, interlace
        if kind == b"IHDR" and (body[8], body[9], body[12]) != (8, 0 if grey else 2, 0):
            return None
        if kind == b"IDAT":
            rows.append(body)
        if kind == b"IEND":
            break
        pos += 12 + size
    return b"".join(rows) or None
