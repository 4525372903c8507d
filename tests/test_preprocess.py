"""Preprocessing for OCR: orientation, skew and resolution found cheaply, and the geometry that puts
the text layer back on the original page."""

from __future__ import annotations

import math
import time
from pathlib import Path

import pytest
from PIL import Image

from pipeline.read import preprocess as pp
from pipeline.read.assemble import layer_matrix
from pipeline.read.pages import plan, render
from tests.helpers import LINES, text_page

BODY = [
    *LINES,
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;",
    "Xét đề nghị của Trưởng phòng Tư pháp, hộ tịch và chứng thực của xã;",
    "Điều 2. Quyết định này có hiệu lực kể từ ngày ký ban hành.",
    "Nơi nhận: như Điều 2; lưu văn thư, hồ sơ giấy phép xây dựng.",
]


@pytest.fixture(scope="module")
def page() -> Image.Image:
    return text_page(BODY, dpi=200, mode="L")


@pytest.mark.parametrize("turn", [0, 90, 180, 270])
@pytest.mark.parametrize("skew", [0.0, 2.5, -3.0, 0.8])
def test_orientation_and_skew_are_undone(page: Image.Image, turn: int, skew: float) -> None:
    # The page as a scanner hands it over: tilted by `skew`, then turned by `turn` (counter-clockwise).
    scanned = page.rotate(skew, resample=Image.Resampling.BILINEAR, fillcolor=255).rotate(turn, expand=True)
    g = pp.analyse(scanned, 200)
    # A turn, or a short page of capitals that leaves the profile unsure: OSD (and trial reads) decide.
    assert g.decided_by in ("profile", "osd", "trial") and not g.unsure
    assert g.turn == (360 - turn) % 360
    # A skew tesseract reads through is left alone (MIN_SKEW), a larger one undone.
    assert g.skew == pytest.approx(-skew, abs=0.25) if abs(skew) >= pp.MIN_SKEW else g.skew == 0.0
    upright = pp.apply(scanned, g)
    assert upright.size == (page.width, page.height) if turn % 180 == 0 else (page.height, page.width)


def test_analysis_is_cheap_next_to_ocr(page: Image.Image) -> None:
    big = text_page(BODY, dpi=300).rotate(180)
    pp.analyse(big, 300, use_osd=False)  # warm-up
    started = time.perf_counter()
    g = pp.analyse(big, 300, use_osd=False)
    elapsed = time.perf_counter() - started
    assert g.turn == 180
    # Tesseract takes ~2 s on this page; the analysis must stay a small fraction of it (loose bound
    # for a busy CI machine, the benchmark measures the real share).
    assert elapsed < 0.4


def test_blank_page_is_left_alone() -> None:
    g = pp.analyse(Image.new("L", (1654, 2339), 255), 200)
    assert g.identity and g.decided_by == "none"


def test_osd_fallback_reads_the_orientation(page: Image.Image) -> None:
    assert pp.osd_turn(page.rotate(90, expand=True)) == 270


def corners(cm: tuple[float, ...], w: float, h: float) -> list[tuple[float, float]]:
    a, b, c, d, e, f = cm
    return [(round(a * x + c * y + e, 3), round(b * x + d * y + f, 3)) for x, y in ((0, 0), (w, 0), (0, h), (w, h))]


def test_layer_matrix_undoes_the_turns() -> None:
    box = (0.0, 0.0, 600.0, 800.0)
    assert layer_matrix(box, 0, (600, 800), 0, 0.0) == pytest.approx((1, 0, 0, 1, 0, 0))
    # An OCR copy turned 180°: its top-left (0, 800) is the page's bottom-right (600, 0).
    assert corners(layer_matrix(box, 0, (600, 800), 180, 0.0), 600, 800)[2] == pytest.approx((600, 0))
    # Turned 90° counter-clockwise the top edge becomes the left one: the landscape copy's
    # bottom-left corner is the page's top-left.
    assert corners(layer_matrix(box, 0, (800, 600), 90, 0.0), 800, 600)[0] == pytest.approx((0, 800))
    # /Rotate 90 shows the mediabox clockwise; the layer made from that view maps back into the box.
    pts = corners(layer_matrix(box, 90, (800, 600), 0, 0.0), 800, 600)
    assert sorted((round(x), round(y)) for x, y in pts) == [(0, 0), (0, 800), (600, 0), (600, 800)]
    # A small skew turns about the centre.
    a, b, *_ = layer_matrix(box, 0, (600, 800), 0, 2.0)
    assert (a, b) == pytest.approx((math.cos(math.radians(2)), -math.sin(math.radians(2))))


def test_image_without_dpi_is_scaled_to_an_ocr_resolution(tmp_path: Path) -> None:
    src = tmp_path / "screenshot.png"
    text_page(dpi=100).save(src)  # no dpi recorded: 827 x 1169 px, an A4 page at 100 dpi
    p = plan(src)
    img, dpi = render(src, p.fmt, p.pages[0])
    assert p.pages[0].dpi is None
    assert dpi == pytest.approx(200, abs=1) and img.width == pytest.approx(827 * 2, abs=2)
