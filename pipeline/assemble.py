"""Put the pages back together as one searchable PDF: the original images with the OCR text under them."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import pikepdf

from pipeline.errors import PipelineError
from pipeline.pages import Format
from schemas.tasks import PageResult


def searchable_pdf(source: Path, fmt: Format, pages: Sequence[PageResult], out: Path) -> Path:
    """Write `out` and return it. Pages read from a text layer are kept as they are."""
    by_no = {p.page_no: p for p in pages}
    ocr_pages = [p for p in pages if p.pdf_path]
    tmp = out.with_suffix(".pdf.tmp")
    if fmt == "pdf" and not ocr_pages:
        shutil.copyfile(source, tmp)  # born-digital: already searchable
    elif fmt == "pdf":
        _overlay(source, by_no, tmp)
    else:
        _concatenate([Path(p.pdf_path) for p in sorted(ocr_pages, key=lambda p: p.page_no) if p.pdf_path], tmp)
    tmp.replace(out)
    return out


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
            if int(page.obj.get("/Rotate", 0)) % 360 == 0:
                # The text-only layer was rendered from this very page at its size: lay it over.
                page.add_underlay(layer.pages[0], pikepdf.Rectangle(*page.mediabox))
            else:
                pdf.pages[i] = layer.pages[0]  # image plus text, already upright
        pdf.save(out, linearize=False)
        for layer in layers:
            layer.close()


def _concatenate(parts: Sequence[Path], out: Path) -> None:
    pdf = pikepdf.new()
    opened = [pikepdf.open(p) for p in parts]
    try:
        for part in opened:
            pdf.pages.extend(part.pages)
        pdf.save(out)
    finally:
        for part in opened:
            part.close()
        pdf.close()
