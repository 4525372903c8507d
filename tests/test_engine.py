"""Both OCR engines give the pipeline the same things: text, word boxes with confidences, a PDF page
with the text layer; tesserocr loads its model once per process."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import numpy as np
import pdfplumber
import pikepdf
import pytest
from PIL import Image

from pipeline.read import engine
from pipeline.read.ocr import read_page
from pipeline.read.pages import plan, render
from pipeline.vn.text import fold
from tests.helpers import LINES, text_page


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("engine") / "page.png"
    text_page(LINES, dpi=300, mode="L").save(path, dpi=(300, 300))
    return path


def _read(path: Path, work: Path, name: str, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(engine, "engine_name", lambda: name)
    p = plan(path)
    return read_page(path, p.fmt, p.pages[0], work / name)


def test_both_engines_read_the_same_words(page_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cli = _read(page_file, tmp_path, "pytesseract", monkeypatch)
    inproc = _read(page_file, tmp_path, "tesserocr", monkeypatch)
    # The CLI is Debian's tesseract, the wheel bundles a newer one: the same model, near enough the same words.
    a, b = [w.text for w in cli.words], [w.text for w in inproc.words]
    common = sum(min(a.count(w), b.count(w)) for w in set(a))
    assert common >= 0.95 * max(len(a), len(b)), (a, b)
    assert fold("ủy ban nhân dân") in fold(inproc.text) and fold(cli.text) and inproc.mean_confidence
    by_text = {w.text: w for w in cli.words}
    for w in inproc.words:
        if w.text in by_text and a.count(w.text) == 1:
            o = by_text[w.text]
            assert abs(w.left - o.left) <= 6 and abs(w.top - o.top) <= 6 and abs(w.width - o.width) <= 12
            assert 0 <= w.conf <= 100
    for result in (cli, inproc):
        assert result.source == "ocr" and result.width_px == cli.width_px and result.pdf_path
        with pikepdf.open(result.pdf_path) as pdf:
            assert len(pdf.pages) == 1
        with pdfplumber.open(result.pdf_path) as pdf:
            layer = pdf.pages[0].extract_text() or ""
        assert "Điều" in layer or "ĐIỀU" in layer.upper(), layer[:200]


def _api_ids(_: int) -> tuple[int, int]:
    return id(engine._api("vie")), id(engine._api("vie"))


def test_tesserocr_loads_the_model_once_per_process() -> None:
    first, again = _api_ids(0)
    assert first == again
    with multiprocessing.get_context("fork").Pool(1) as pool:
        child = pool.map(_api_ids, [0])[0]
    assert child[0] == child[1]  # one in the child too, its own (the parent's is not used across a fork)
    import os

    assert {k[0] for k in engine._apis} == {os.getpid()}


def test_osd_from_both_engines(monkeypatch: pytest.MonkeyPatch) -> None:
    page = text_page(LINES, dpi=200, mode="L").rotate(90, expand=True)
    for name in ("pytesseract", "tesserocr"):
        found = engine.osd(page, engine=name)  # type: ignore[arg-type]
        assert found is not None and found.turn == 270, name


@pytest.mark.parametrize("name", ["pytesseract", "tesserocr"])
def test_a_cut_of_a_page_is_read_by_either_engine(name: str) -> None:
    # read_words: the signature block's second reading and the orientation trial reads, no PDF.
    page = text_page(LINES, dpi=300, mode="L")
    cut = page.crop((0, 250, page.width, 700))
    words = engine.read_words(cut, 300, lang="vie", psm=6, engine=name)
    assert fold("ủy ban nhân dân") in fold(" ".join(w.text for w in words))
    assert all(0 <= w.left < cut.width and 0 <= w.top < cut.height and w.width > 0 for w in words)
    assert engine.read_words(cut.crop((0, 0, 40, 40)), 300, lang="vie", psm=6, engine=name) == []


def _photographed(lines: list[str], dpi: int = 200) -> Image.Image:
    """A page as a phone photographs it under a lamp to one side: the light falls off across the page and
    the sensor's grain is over it all. Tesseract's one Otsu threshold for the page reads no word of it."""
    page = np.asarray(text_page(lines, dpi=dpi, mode="L")).astype(float)
    light = 0.4 + 0.6 * np.mgrid[0 : page.shape[0], 0 : page.shape[1]][1] / page.shape[1]
    grain = np.random.default_rng(1).normal(0, 20, page.shape)
    return Image.fromarray(np.clip(page * light + grain, 0, 255).astype(np.uint8))


@pytest.mark.parametrize("name", ["pytesseract", "tesserocr"])
def test_a_page_one_threshold_cannot_read_is_read_with_local_thresholds(
        name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "photo.png"
    _photographed(LINES * 3).save(path, dpi=(200, 200))
    monkeypatch.setattr(engine, "engine_name", lambda: name)
    p = plan(path)
    img, dpi = render(path, p.fmt, p.pages[0])
    _, otsu = engine.read_page(img, dpi, tmp_path / "otsu.pdf", lang="vie", textonly=False, timeout=0, what="page 1")
    assert len([w for w in otsu if w.conf >= 60]) < 10  # the case itself: read as tesseract reads it by default
    page = read_page(path, p.fmt, p.pages[0], tmp_path / "work")
    assert fold("ủy ban nhân dân xã thanh thạch") in fold(page.text), page.text
    assert fold("cấp giấy phép xây dựng") in fold(page.text)
    with pdfplumber.open(page.pdf_path) as pdf:  # the searchable page holds the second reading's words
        assert fold("thanh thạch") in fold(pdf.pages[0].extract_text() or "")
    # the kept API reads the next page with its default threshold again
    _, plain = engine.read_page(text_page(LINES, dpi=200, mode="L"), 200, tmp_path / "next.pdf", lang="vie",
                                textonly=False, timeout=0, what="page 2")
    assert fold("thanh thạch") in fold(" ".join(w.text for w in plain))
