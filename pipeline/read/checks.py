"""What a file really is and whether it is within the limits, decided before any expensive work and
told precisely (issue 12): the content decides the format, never the name; an empty, truncated or
header-only file, an office document, an archive, a dynamic XFA form, a page of absurd size, an image
of more pixels than a page can have, a structure nested deeper than any scanner writes, each gets its
own code, a Vietnamese message for the clerk (pipeline/errors.py) and an English one for the log.

Nothing here decodes an image or follows a reference without a bound: the PDF walk counts its depth
and remembers what it saw (a cycle is infinite nesting), a ZIP is recognised by its first bytes and
never opened (a ZIP bomb costs nothing)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pikepdf

from pipeline.config import Settings
from pipeline.errors import PipelineError

log = logging.getLogger(__name__)

Format = Literal["pdf", "tiff", "jpeg", "png", "heic"]
HEAD_BYTES = 4096
# %%EOF may be followed by a little garbage (a scanner's padding, a mail gateway's newline).
EOF_TAIL_BYTES = 8192
# A PDF this small without one object is a header and nothing else.
HEADER_ONLY_BYTES = 4096
HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1")
IMAGE_FILTERS = {"/JBIG2Decode": "JBIG2", "/CCITTFaxDecode": "CCITT", "/JPXDecode": "JPEG 2000"}


def _default(name: str) -> Any:
    return Settings.model_fields[name].default


@dataclass(frozen=True)
class Limits:
    """SOHOA_MAX_FILE_MB, SOHOA_MAX_PAGES, SOHOA_MAX_PIXELS, SOHOA_MAX_PAGE_POINTS, SOHOA_MAX_DEPTH; the
    defaults are the settings' (pipeline/config.py says why each is what it is)."""

    max_file_mb: float = _default("max_file_mb")
    max_pages: int = _default("max_pages")
    max_pixels: int = _default("max_pixels")
    max_page_points: float = _default("max_page_points")
    max_depth: int = _default("max_depth")


def limits_from(settings: Settings) -> Limits:
    return Limits(max_file_mb=settings.max_file_mb, max_pages=settings.max_pages, max_pixels=settings.max_pixels,
                  max_page_points=settings.max_page_points, max_depth=settings.max_depth)


def _suffix_says(path: Path) -> str:
    return f" (the name ends in {path.suffix})" if path.suffix else ""


def sniff_format(path: Path, limits: Limits | None = None) -> Format:
    """The format of the bytes. A `.pdf` that holds a JPEG is read as the JPEG it is."""
    size = path.stat().st_size
    if size == 0:
        raise PipelineError("empty_file", "the file is empty (0 bytes)", source=str(path))
    if limits is not None and size > limits.max_file_mb * 2**20:
        raise PipelineError("file_too_large", f"{size / 2**20:.0f} MB, more than the limit of "
                            f"{limits.max_file_mb:.0f} MB (SOHOA_MAX_FILE_MB)", source=str(path))
    with path.open("rb") as f:
        head = f.read(HEAD_BYTES)
    fmt = _format_of(head)
    if fmt is None:
        what = _what_else(head)
        code = "office_document" if what.startswith("an office") else "archive" if what.startswith("an archive") \
            else "unsupported_format"
        raise PipelineError(code, f"not a PDF, TIFF, JPEG, PNG or HEIC file: the content is {what}"
                            f"{_suffix_says(path)}", source=str(path))
    expected = {"pdf": (".pdf",), "tiff": (".tif", ".tiff"), "jpeg": (".jpg", ".jpeg", ".jpe"), "png": (".png",),
                "heic": (".heic", ".heif", ".hif")}[fmt]
    if path.suffix and path.suffix.lower() not in expected:
        log.info("%s: the name ends in %s but the content is %s; read as %s", path, path.suffix, fmt.upper(), fmt)
    return fmt


def _format_of(head: bytes) -> Format | None:
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "tiff"
    if head[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return "heic"
    return None


def _what_else(head: bytes) -> str:
    """Words for the log about content that is none of the formats read."""
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        if b"[Content_Types].xml" in head or b"word/" in head or b"xl/" in head or b"ppt/" in head:
            return "an office document (DOCX, XLSX or PPTX)"
        if head[30:38] == b"mimetype" and b"opendocument" in head:
            return "an office document (OpenDocument)"
        return "an archive (ZIP)"
    if head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "an office document (DOC, XLS or PPT)"
    if head[:4] == b"Rar!":
        return "an archive (RAR)"
    if head[:6] == b"7z\xbc\xaf\x27\x1c":
        return "an archive (7z)"
    if head[:2] == b"\x1f\x8b":
        return "an archive (gzip)"
    if head[:4] == b"{\\rt":
        return "an office document (RTF)"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "a GIF image"
    if head[:2] == b"BM":
        return "a BMP image"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "a WebP image"
    if head[4:8] == b"ftyp":
        return f"an ISO media file ({head[8:12].decode('latin-1')}: a video or an AVIF image)"
    if head[:2] == b"MZ" or head[:4] == b"\x7fELF":
        return "a program"
    low = head[:512].lower()
    if b"<html" in low or b"<!doctype html" in low:
        return "an HTML page"
    if b"%!ps" in low[:4]:
        return "a PostScript file"
    if all(32 <= b < 127 or b in (9, 10, 13) for b in head[:512]):
        return "text"
    return "unknown binary data"


# --- PDF ---------------------------------------------------------------------------------------------
def pdf_tail_ok(path: Path) -> bool:
    """A complete PDF ends with %%EOF (give or take a little padding)."""
    size = path.stat().st_size
    with path.open("rb") as f:
        f.seek(max(0, size - EOF_TAIL_BYTES))
        return b"%%EOF" in f.read()


def pdf_before_open(path: Path) -> None:
    """Header-only and truncated PDFs, told apart from merely damaged ones before any parsing."""
    size = path.stat().st_size
    if size <= HEADER_ONLY_BYTES:
        body = path.read_bytes()
        if b" obj" not in body and b"\nobj" not in body:
            raise PipelineError("header_only_pdf", f"a PDF header and no objects ({size} bytes)", source=str(path))
    if not pdf_tail_ok(path):
        raise PipelineError("truncated_file", f"the PDF stops short: no %%EOF at its end ({size} bytes); "
                            "copied or downloaded only in part", source=str(path))


def check_pdf(pdf: pikepdf.Pdf, path: Path, limits: Limits) -> None:
    """XFA forms, page count, page size, nesting and image pixels, on the object tree alone."""
    root = pdf.Root
    acro = root.get("/AcroForm")
    if isinstance(acro, pikepdf.Dictionary) and "/XFA" in acro:
        # A dynamic XFA form has no page of its own: viewers other than Adobe's show "Please wait…".
        if bool(root.get("/NeedsRendering", False)):
            raise PipelineError("xfa_form", "a dynamic XFA form: its pages exist only for Adobe Reader",
                                source=str(path))
        log.info("%s: a static XFA form; its AcroForm pages are read", path)
    _page_tree_depth(root.get("/Pages"), path, limits)
    n = len(pdf.pages)
    if n > limits.max_pages:
        raise PipelineError("too_many_pages", f"{n} pages, more than the limit of {limits.max_pages} "
                            "(SOHOA_MAX_PAGES)", source=str(path))
    for no, page in enumerate(pdf.pages, 1):
        box = page.obj.get("/MediaBox")
        unit = float(page.obj.get("/UserUnit", 1.0))
        try:
            x0, y0, x1, y1 = (float(v) for v in box)  # type: ignore[union-attr]
        except (TypeError, ValueError):
            continue  # pdfium falls back to Letter for a missing or broken box
        side = max(abs(x1 - x0), abs(y1 - y0)) * unit
        if side > limits.max_page_points:
            raise PipelineError("page_too_large", f"page {no} is {side:.0f} points long ({side / 72 * 2.54:.0f} cm), "
                                f"more than {limits.max_page_points:.0f} (SOHOA_MAX_PAGE_POINTS)", source=str(path))
        _check_resources(page.obj.get("/Resources"), no, path, limits, depth=0, seen=set())


def _page_tree_depth(node: object, path: Path, limits: Limits) -> None:
    stack: list[tuple[object, int]] = [(node, 0)]
    seen: set[tuple[int, int]] = set()
    while stack:
        obj, depth = stack.pop()
        if not isinstance(obj, pikepdf.Dictionary):
            continue
        if depth > limits.max_depth:
            raise PipelineError("too_deep", f"the page tree is nested more than {limits.max_depth} levels "
                                "(SOHOA_MAX_DEPTH)", source=str(path))
        key = obj.objgen
        if key != (0, 0):
            if key in seen:
                raise PipelineError("too_deep", "the page tree loops back on itself", source=str(path))
            seen.add(key)
        kids = obj.get("/Kids")
        if isinstance(kids, pikepdf.Array):
            stack.extend((k, depth + 1) for k in kids)


def _check_resources(res: object, page_no: int, path: Path, limits: Limits, *, depth: int,
                     seen: set[tuple[int, int]]) -> None:
    if not isinstance(res, pikepdf.Dictionary):
        return
    xobjects = res.get("/XObject")
    if not isinstance(xobjects, pikepdf.Dictionary):
        return
    for _name, xo in xobjects.items():
        if not isinstance(xo, pikepdf.Stream):
            continue
        subtype = xo.get("/Subtype")
        if subtype == "/Image":
            try:
                w, h = int(xo.get("/Width", 0)), int(xo.get("/Height", 0))
            except (TypeError, ValueError):
                continue
            if w * h > limits.max_pixels:
                raise PipelineError("image_too_large", f"page {page_no} holds an image of {w}x{h} pixels "
                                    f"({w * h / 1e6:.0f} MP), more than {limits.max_pixels / 1e6:.0f} MP "
                                    "(SOHOA_MAX_PIXELS)", source=str(path))
        elif subtype == "/Form":
            key = xo.objgen
            if depth + 1 > limits.max_depth or key in seen:
                raise PipelineError("too_deep", f"page {page_no}: forms nested in forms more than "
                                    f"{limits.max_depth} levels deep, or in a loop (SOHOA_MAX_DEPTH)",
                                    source=str(path))
            _check_resources(xo.get("/Resources"), page_no, path, limits, depth=depth + 1, seen=seen | {key})


def image_codecs(path: Path, page_no: int) -> list[str]:
    """The special codecs of a page's images (JBIG2, CCITT, JPEG 2000), to say which one failed."""
    found: set[str] = set()
    try:
        with pikepdf.open(path) as pdf:
            res = pdf.pages[page_no - 1].obj.get("/Resources")
            xobjects = res.get("/XObject") if isinstance(res, pikepdf.Dictionary) else None
            for _name, xo in (xobjects.items() if isinstance(xobjects, pikepdf.Dictionary) else []):
                filters = xo.get("/Filter")
                names = list(filters) if isinstance(filters, pikepdf.Array) else [filters]
                found |= {IMAGE_FILTERS[str(f)] for f in names if str(f) in IMAGE_FILTERS}
    except Exception:  # a look for a better message must not fail the page a second way
        return []
    return sorted(found)
