"""Vietnamese post-processing, the trust put in a PDF's text layer, and PDF/A-2b output."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from pipeline.read import pdfa
from pipeline.read.assemble import searchable_pdf
from pipeline.read.ocr import read_page
from pipeline.read.pages import plan
from pipeline.vn.ocrfix import fix_text, fix_word, is_syllable, syllable_share
from tests.helpers import FONT, LINES, save_scan_pdf, text_page

GARBAGE = "Ëy ban nh©n d©n x· Thanh Th¹ch QuyÕt ®Þnh vÒ viÖc cÊp giÊy phÐp x©y dùng nhµ ë riªng lÎ"


@pytest.mark.parametrize("word", ["quyết", "định", "Nguyễn", "gì", "khuyến", "nghiêng", "ủy", "thuở", "phường",
                                  "Quỳnh", "QUỲNH", "quýt"])
def test_real_syllables_pass(word: str) -> None:
    assert is_syllable(word)


@pytest.mark.parametrize("word", ["nh©n", "Ëy", "kan", "ciao", "tràc", "nărn", "UBND", "dựngg"])
def test_malformed_syllables_fail(word: str) -> None:
    assert not is_syllable(word)


@pytest.mark.parametrize(
    ("read", "meant"),
    [("nărn", "năm"), ("Ðiều", "Điều"), ("QU0C", "QUOC"), ("c0ng,", "cong,"), ("clân", "dân")],
)
def test_confusions_are_fixed_when_the_syllable_check_agrees(read: str, meant: str) -> None:
    assert fix_word(read) == meant


@pytest.mark.parametrize("token", ["123/QĐ-UBND", "H50.12", "01/2022", "UBND", "s0", "Hà", "x1y"])
def test_codes_numbers_and_valid_words_are_left_alone(token: str) -> None:
    assert fix_word(token) == token


def test_spacing_and_nfc() -> None:
    decomposed = "Quye\u0302\u0301t đi\u0323nh"
    assert fix_text(f"{decomposed} : số 12 , ngày ( ghi rõ ) .\nHọ tên: ......") == (
        "Quyết định: số 12, ngày (ghi rõ).\nHọ tên: ......"
    )


def test_syllable_share_tells_vietnamese_from_legacy_font_garbage() -> None:
    good, n = syllable_share(" ".join(LINES))
    bad, m = syllable_share(GARBAGE)
    assert good / n > 0.9 and bad / m < 0.5


def _scan_with_text(path: Path, draw_text: str, *, invisible: bool, lines: int, size: float = 12) -> Path:
    """A scan-like PDF (full-page image) with a text layer of our choosing, as scanners and
    signing tools leave them."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(TTFont("LiberationSerif", FONT))
    c = Canvas(str(path), pagesize=A4, invariant=1)
    c.drawImage(ImageReader(text_page(dpi=150)), 0, 0, width=A4[0], height=A4[1])
    t = c.beginText(60 if lines > 3 else 380, A4[1] - 80 if lines > 3 else 90)
    t.setFont("LiberationSerif", size)
    if invisible:
        t.setTextRenderMode(3)
    for _ in range(lines):
        t.textLine(draw_text)
        t.moveCursor(0, 40 if lines > 3 else 0)
    c.drawText(t)
    c.showPage()
    c.save()
    return path


def test_signature_stamp_is_not_taken_for_the_page_text(tmp_path: Path) -> None:
    stamp = "Ký bởi: Ủy ban nhân dân xã Thanh Thạch, thời gian ký: 12.03.2024"
    src = _scan_with_text(tmp_path / "stamped.pdf", stamp, invisible=False, lines=3, size=7)
    [spec] = plan(src).pages
    assert spec.kind == "image"


def test_garbage_ocr_layer_is_not_trusted(tmp_path: Path) -> None:
    src = _scan_with_text(tmp_path / "garbage.pdf", GARBAGE, invisible=True, lines=15)
    [spec] = plan(src).pages
    assert spec.kind == "image"


def test_real_ocr_layer_over_a_scan_is_kept(tmp_path: Path) -> None:
    src = _scan_with_text(tmp_path / "ocrd.pdf", " ".join(LINES[2:4]), invisible=True, lines=15)
    [spec] = plan(src).pages
    assert spec.kind == "text" and "QUYẾT ĐỊNH" in spec.text


def test_searchable_pdf_is_pdfa_2b_and_the_check_can_fail(tmp_path: Path) -> None:
    src = save_scan_pdf(tmp_path / "scan.pdf", [text_page(dpi=200)], dpi=200)
    with pikepdf.open(src) as raw:
        assert pdfa.problems(raw)  # a plain scan PDF is not PDF/A: the check is not a rubber stamp
    p = plan(src)
    pages = [read_page(src, p.fmt, s, tmp_path / "work") for s in p.pages]
    out = searchable_pdf(src, p.fmt, pages, tmp_path / "searchable.pdf")
    with pikepdf.open(out) as pdf:
        assert pdfa.problems(pdf) == []
        fonts = [f for f in pdfa._fonts(pdf.pages[0].obj.Resources, set())]
        assert fonts and all(pdfa._font_embedded(f) for f in fonts)  # GlyphLessFont, embedded


def test_cmyk_original_is_not_claimed_as_pdfa(tmp_path: Path) -> None:
    src = tmp_path / "cmyk.pdf"
    text_page(dpi=100).convert("CMYK").save(src, "PDF", resolution=100)
    with pikepdf.open(src) as pdf:
        reasons = pdfa.convert(pdf)
        assert any("DeviceCMYK" in r for r in reasons)
        assert "/OutputIntents" not in pdf.Root


def test_image_input_becomes_pdfa_too(tmp_path: Path) -> None:
    src = tmp_path / "scan.jpg"
    text_page(dpi=200).save(src, dpi=(200, 200), quality=85)
    p = plan(src)
    pages = [read_page(src, p.fmt, s, tmp_path / "work") for s in p.pages]
    out = searchable_pdf(src, p.fmt, pages, tmp_path / "s.pdf")
    with pikepdf.open(out) as pdf:
        assert pdfa.problems(pdf) == []
    assert Image.open(src).size == (round(8.27 * 200), round(11.69 * 200))  # the original is untouched
