"""Read one page: its text layer when real, otherwise one tesseract run that yields the text, the
word boxes with confidences and the page's searchable PDF layer together."""

from __future__ import annotations

import csv
import os
import tempfile
import time
import unicodedata
from pathlib import Path

import pytesseract
from PIL import Image

from pipeline import preprocess
from pipeline.errors import PipelineError
from pipeline.pages import Format, PageSpec, colour_of, render
from pipeline.vn.ocrfix import fix_text, fix_word
from schemas.tasks import PageResult, PageWord

LOW_CONFIDENCE = 60.0


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
    started = time.perf_counter()
    if spec.kind == "text":
        result = PageResult(
            page_no=spec.page_no, source="text_layer", text=unicodedata.normalize("NFC", spec.text), dpi=spec.dpi
        )
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
    if img.mode not in ("L", "1") and (textonly or colour == "grey"):
        # Tesseract reads grey anyway; a grey copy is a third of the pixels to turn and hand over
        # (turning a 300 dpi RGB page costs 0.4 s), and nobody sees it when it is not shown.
        img = img.convert("L")
    geom = preprocess.analyse(img, dpi)
    ocr_img = preprocess.apply(img, geom)
    with tempfile.TemporaryDirectory(prefix="sohoa-ocr-", dir=pdf_out.parent) as tmp:
        src = Path(tmp) / "page.pnm"
        # PNM is written and read without compression: the cheapest hand-over to tesseract.
        (ocr_img if ocr_img.mode in ("1", "L", "RGB") else ocr_img.convert("RGB")).save(src)
        base = Path(tmp) / "out"
        config = f"--dpi {round(dpi)} -c tessedit_create_tsv=1 -c tessedit_create_txt=1"
        if textonly:
            config += " -c textonly_pdf=1"
        try:
            pytesseract.pytesseract.run_tesseract(
                str(src), str(base), extension="pdf", lang=lang, config=config, timeout=timeout
            )
        except RuntimeError as e:  # pytesseract's timeout
            raise PipelineError("ocr_failed", f"page {spec.page_no}: OCR timed out", source=str(path)) from e
        except pytesseract.TesseractError as e:
            raise PipelineError("ocr_failed", f"page {spec.page_no}: {e.message}", source=str(path)) from e
        text = fix_text(base.with_suffix(".txt").read_text(encoding="utf-8"))
        words = _words(base.with_suffix(".tsv"))
        os.replace(base.with_suffix(".pdf"), pdf_out)
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
        skew=geom.skew,
        pdf_path=str(pdf_out),
    )


def _words(tsv: Path) -> list[PageWord]:
    words = []
    with tsv.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            text = (row.get("text") or "").strip()
            if row.get("level") != "5" or not text:
                continue
            words.append(
                PageWord(
                    text=fix_word(text),
                    conf=float(row["conf"]),
                    left=int(row["left"]),
                    top=int(row["top"]),
                    width=int(row["width"]),
                    height=int(row["height"]),
                )
            )
    return words


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def image_size(path: Path) -> tuple[int, int]:
    with Image.open(path) as img:
        return img.size
