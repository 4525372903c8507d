"""The OCR engine, chosen by the setting SOHOA_OCR_ENGINE: `pytesseract` (the default, the one the users
named: the `tesseract` program run once per call) or `tesserocr` (the same tesseract library inside the
worker process).

Both return the same things made by the same tesseract renderers: the page's text, its TSV word boxes
(parsed once, by `parse_tsv`, for both), and the searchable PDF page. Where the in-process engine gains
(bench/ocr_throughput.py): no process spawned per page, the model loaded once per worker process
instead of once per page, and one recognition giving text, boxes and the PDF together. (The page
still goes through an uncompressed file: see `_tesserocr_page`.)
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pytesseract
from PIL import Image

from pipeline.errors import PipelineError
from schemas.tasks import PageWord

EngineName = Literal["pytesseract", "tesserocr"]
_TSV_HEAD = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
# Debian's models (tesseract-ocr-vie, -osd); tesserocr's wheel bundles the library, not the models.
TESSDATA_DIRS = ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
                 "/usr/share/tessdata", "/usr/local/share/tessdata")


@dataclass(frozen=True)
class Osd:
    turn: int  # counter-clockwise turn that makes the page upright
    confidence: float  # tesseract's orientation confidence; under ~1 it is a guess


def engine_name() -> EngineName:
    from pipeline.config import get_settings

    return get_settings().ocr_engine


def parse_tsv(tsv: str) -> list[PageWord]:
    """The words (level 5) of tesseract's TSV, raw as read."""
    if not tsv.startswith("level"):
        tsv = _TSV_HEAD + tsv
    words = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        words.append(PageWord(text=text, conf=float(row["conf"]), left=int(row["left"]), top=int(row["top"]),
                              width=int(row["width"]), height=int(row["height"])))
    return words


# Tesseract's binarisations (its `thresholding_method`): one Otsu threshold for the whole page, its
# default, or Sauvola's, a threshold of each pixel's own neighbourhood.
Threshold = Literal["otsu", "sauvola"]
_THRESHOLDING = {"otsu": "0", "sauvola": "2"}


def read_page(img: Image.Image, dpi: float, pdf_out: Path, *, lang: str, textonly: bool, timeout: float,
              what: str, engine: EngineName | None = None, source: Path | None = None,
              threshold: Threshold = "otsu") -> tuple[str, list[PageWord]]:
    """Text and words of a page, its PDF page written to `pdf_out`. `what` names the page in errors;
    `source`: a file that holds exactly `img`, read instead of a copy of it."""
    if (engine or engine_name()) == "tesserocr":
        return _tesserocr_page(img, dpi, pdf_out, lang=lang, textonly=textonly, timeout=timeout, what=what,
                               source=source, threshold=threshold)
    return _cli_page(img, dpi, pdf_out, lang=lang, textonly=textonly, timeout=timeout, what=what, source=source,
                     threshold=threshold)


def read_words(img: Image.Image, dpi: float, *, lang: str, psm: int = 3, timeout: float = 0,
               engine: EngineName | None = None) -> list[PageWord]:
    """Words of an image or a cut of a page (the signature block, a trial read), no PDF."""
    if (engine or engine_name()) == "tesserocr":
        api = _api(lang)
        with _lock:
            api.SetPageSegMode(psm)
            api.SetVariable("textonly_pdf", "0")
            api.SetImage(img)
            api.SetSourceResolution(round(dpi))
            if not _recognise(api, timeout):
                raise PipelineError("ocr_failed", "OCR timed out or failed")
            tsv = api.GetTSVText(0)
            api.Clear()
        return parse_tsv(tsv)
    # Handed over as an uncompressed PNM, as the page is (`_cli_page`): pytesseract's image_to_data writes
    # a PNG, whose compression cost a third of a signature block's second reading (~0.1 s of 0.4 s).
    with tempfile.TemporaryDirectory(prefix="sohoa-ocr-") as tmp:
        src = _page_file(img, tmp, None)
        base = Path(tmp) / "out"
        try:
            pytesseract.pytesseract.run_tesseract(str(src), str(base), extension="tsv", lang=lang, timeout=timeout,
                                                  config=f"--dpi {round(dpi)} --psm {psm} -c tessedit_create_tsv=1")
        except RuntimeError as e:
            raise PipelineError("ocr_failed", "OCR timed out") from e
        except pytesseract.TesseractError as e:
            raise PipelineError("ocr_failed", e.message) from e
        return parse_tsv(base.with_suffix(".tsv").read_text(encoding="utf-8"))


DIGITS_CONFIG = "-c tessedit_char_whitelist=0123456789"


def read_digits(img: Image.Image, dpi: float, *, timeout: float = 0, engine: EngineName | None = None) -> str:
    """The digits of one line of an image (a number written into a form's gap), read by the English
    model restricted to digits: Vietnamese's model, reading letters too, takes a pen's "0" for "O", "@"."""
    if (engine or engine_name()) == "tesserocr":
        api = _api("eng")
        with _lock:
            api.SetPageSegMode(7)
            api.SetVariable("textonly_pdf", "0")
            api.SetVariable("tessedit_char_whitelist", "0123456789")
            api.SetImage(img)
            api.SetSourceResolution(round(dpi))
            try:
                if not _recognise(api, timeout):
                    raise PipelineError("ocr_failed", "OCR timed out or failed")
                text = api.GetUTF8Text()
            finally:
                api.SetVariable("tessedit_char_whitelist", "")
                api.Clear()
        return "".join(ch for ch in text if ch.isdigit())
    try:
        text = pytesseract.image_to_string(img, lang="eng", timeout=timeout,
                                           config=f"--dpi {round(dpi)} --psm 7 {DIGITS_CONFIG}")
    except RuntimeError as e:
        raise PipelineError("ocr_failed", "OCR timed out") from e
    except pytesseract.TesseractError as e:
        raise PipelineError("ocr_failed", e.message) from e
    return "".join(ch for ch in text if ch.isdigit())


def osd(img: Image.Image, *, timeout: float = 30, engine: EngineName | None = None) -> Osd | None:
    """Tesseract's orientation detection on `img` as given (the caller picks the resolution)."""
    if (engine or engine_name()) == "tesserocr":
        api = _api("osd")
        with _lock:
            api.SetImage(img)
            found = api.DetectOrientationScript()
            api.Clear()
        if not found:
            return None
        # orient_deg: the clockwise turn the page shows; undoing it is the same number counter-clockwise.
        return Osd(int(found["orient_deg"]) % 360, float(found["orient_conf"]))
    try:
        out = pytesseract.image_to_osd(img, config="--psm 0 -c min_characters_to_try=10", timeout=timeout,
                                       output_type=pytesseract.Output.DICT)
    except (pytesseract.TesseractError, RuntimeError):
        return None
    # "rotate" is the clockwise turn tesseract says the page needs.
    return Osd((360 - int(out.get("rotate", 0))) % 360, float(out.get("orientation_conf", 0.0)))


def _page_file(img: Image.Image, tmp: str, source: Path | None) -> Path:
    if source is not None:
        return source
    src = Path(tmp) / "page.pnm"
    # PNM is written and read without compression: the cheapest hand-over to tesseract.
    (img if img.mode in ("1", "L", "RGB") else img.convert("RGB")).save(src)
    return src


def _cli_page(img: Image.Image, dpi: float, pdf_out: Path, *, lang: str, textonly: bool, timeout: float,
              what: str, source: Path | None, threshold: Threshold) -> tuple[str, list[PageWord]]:
    with tempfile.TemporaryDirectory(prefix="sohoa-ocr-", dir=pdf_out.parent) as tmp:
        src = _page_file(img, tmp, source)
        base = Path(tmp) / "out"
        config = f"--dpi {round(dpi)} -c tessedit_create_tsv=1 -c tessedit_create_txt=1"
        if threshold != "otsu":
            config += f" -c thresholding_method={_THRESHOLDING[threshold]}"
        if textonly:
            config += " -c textonly_pdf=1"
        try:
            pytesseract.pytesseract.run_tesseract(
                str(src), str(base), extension="pdf", lang=lang, config=config, timeout=timeout
            )
        except RuntimeError as e:  # pytesseract's timeout
            raise PipelineError("ocr_failed", f"{what}: OCR timed out") from e
        except pytesseract.TesseractError as e:
            raise PipelineError("ocr_failed", f"{what}: {e.message}") from e
        text = base.with_suffix(".txt").read_text(encoding="utf-8")
        words = parse_tsv(base.with_suffix(".tsv").read_text(encoding="utf-8"))
        os.replace(base.with_suffix(".pdf"), pdf_out)
    return text, words


def _tesserocr_page(img: Image.Image, dpi: float, pdf_out: Path, *, lang: str, textonly: bool, timeout: float,
                    what: str, source: Path | None, threshold: Threshold) -> tuple[str, list[PageWord]]:
    api = _api(lang)
    with tempfile.TemporaryDirectory(prefix="sohoa-ocr-", dir=pdf_out.parent) as tmp, _lock:
        base = Path(tmp) / "out"
        api.SetPageSegMode(3)
        api.SetVariable("user_defined_dpi", str(round(dpi)))
        api.SetVariable("textonly_pdf", "1" if textonly else "0")
        api.SetVariable("thresholding_method", _THRESHOLDING[threshold])
        # One recognition: the PDF renderer runs it, text and boxes are then read from its results.
        # Through an uncompressed PNM (~3 ms), not in memory: tesserocr's ProcessPage (PIL image in
        # memory) leaves the PDF without its trailer (sirfz/tesserocr#271); ProcessPages on a file
        # finishes it. Text and boxes are then read from that one recognition.
        src = _page_file(img, tmp, source)
        try:
            try:
                ok = api.ProcessPages(str(base), str(src), timeout=int(timeout * 1000))
            except RuntimeError as e:
                raise PipelineError("ocr_failed", f"{what}: {e}") from e
            if not ok or not base.with_suffix(".pdf").exists():
                raise PipelineError("ocr_failed", f"{what}: OCR timed out or failed")
            text = api.GetUTF8Text()
            words = parse_tsv(api.GetTSVText(0))
        finally:
            api.Clear()
            api.SetVariable("thresholding_method", _THRESHOLDING["otsu"])  # the API is kept for the next page
        os.replace(base.with_suffix(".pdf"), pdf_out)
    return text, words


def _recognise(api: Any, timeout: float) -> bool:
    return bool(api.Recognize(int(timeout * 1000)) if timeout else api.Recognize())


# One API per model per worker process, made on first use. A forked child must not use its parent's
# (tesseract's state is not fork-safe), hence the pid in the key; the lock serialises a process's own
# threads (an API reads one image at a time).
_apis: dict[tuple[int, str], Any] = {}
_lock = threading.RLock()


def tessdata() -> str:
    env = os.environ.get("TESSDATA_PREFIX")
    for d in ((env,) if env else ()) + TESSDATA_DIRS:
        if Path(d, "vie.traineddata").exists() or Path(d, "osd.traineddata").exists():
            return d.rstrip("/") + "/"
    found = shutil.which("tesseract")
    raise PipelineError("ocr_failed", f"no tessdata folder with vie.traineddata found (tesseract: {found})")


def _api(lang: str) -> Any:
    key = (os.getpid(), lang)
    api = _apis.get(key)
    if api is None:
        import tesserocr

        with _lock:
            if lang == "osd":
                api = tesserocr.PyTessBaseAPI(path=tessdata(), lang="osd", psm=tesserocr.PSM.OSD_ONLY)
            else:
                api = tesserocr.PyTessBaseAPI(path=tessdata(), lang=lang)
                api.SetVariable("tessedit_create_pdf", "1")
            _apis[key] = api
    return api
