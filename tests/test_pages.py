"""Pages and OCR: what is read from a text layer, what is OCR'd, and what becomes of broken files."""

from __future__ import annotations

import math
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image

from pipeline.errors import PipelineError
from pipeline.read.assemble import searchable_pdf
from pipeline.read.ocr import read_page
from pipeline.read.pages import plan, sniff_format
from tests.helpers import LINES, save_digital_pdf, save_scan_pdf, text_page

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "ocrmypdf"


def read_all(path: Path, work: Path) -> tuple[str, list]:  # type: ignore[type-arg]
    p = plan(path)
    results = [read_page(path, p.fmt, s, work) for s in p.pages]
    return p.fmt, results


def test_png_scan_is_ocrd_and_finds_the_words(tmp_path: Path) -> None:
    src = tmp_path / "scan.png"
    text_page().save(src, dpi=(300, 300))
    fmt, [page] = read_all(src, tmp_path / "work")
    assert fmt == "png"
    assert page.source == "ocr"
    assert "QUYẾT ĐỊNH" in page.text
    assert "123/QĐ-UBND" in page.text
    assert "giấy phép xây dựng" in page.text
    assert page.mean_confidence and page.mean_confidence > 70
    assert page.dpi == pytest.approx(300, abs=1)
    assert page.colour == "grey"  # an RGB container holding black on white
    assert page.words and all(w.width > 0 for w in page.words)


def test_born_digital_pdf_skips_ocr(tmp_path: Path) -> None:
    src = save_digital_pdf(tmp_path / "digital.pdf")
    p = plan(src)
    assert [s.kind for s in p.pages] == ["text"]
    [page] = [read_page(src, p.fmt, s, tmp_path / "work") for s in p.pages]
    assert page.source == "text_layer" and page.pdf_path is None
    assert "Số: 123/QĐ-UBND" in page.text
    out = searchable_pdf(src, p.fmt, [page], tmp_path / "out.pdf")
    assert out.read_bytes() == src.read_bytes()


def _sign_number_into_gap(src: Path, out: Path, x: float, y: float, text: str) -> Path:
    """``src`` with a signature field whose appearance draws ``text`` at (x, y), as the signing software of an
    issuing office draws the number into "Số:      /TB-UBND" outside the page's own text."""
    import pikepdf

    with pikepdf.open(src) as pdf:
        font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                    BaseFont=pikepdf.Name.Helvetica))
        ap = pdf.make_stream(f"BT /F1 13 Tf 0 2 Td ({text}) Tj ET".encode())
        ap.Type, ap.Subtype, ap.BBox = pikepdf.Name.XObject, pikepdf.Name.Form, [0, 0, 40, 16]
        ap.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        widget = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Widget, FT=pikepdf.Name.Sig, T=pikepdf.String("Signature2"),
            Rect=[x, y - 2, x + 40, y + 14], F=4, AP=pikepdf.Dictionary(N=ap)))
        pdf.pages[0].obj.Annots = pdf.make_indirect(pikepdf.Array([*pdf.pages[0].obj.get("/Annots", []), widget]))
        pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array(list(pdf.pages[0].obj.Annots)), SigFlags=3)
        pdf.save(out)
    return out


def test_number_a_signature_draws_into_the_gap_is_read_with_the_text_layer(tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines = ["ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", "Số:          /TB-UBND", *LINES[3:]]
    src = save_digital_pdf(tmp_path / "unsigned.pdf", lines)
    gap_x = 72 + stringWidth("Số: ", "LiberationSerif", 13)
    signed = _sign_number_into_gap(src, tmp_path / "signed.pdf", gap_x, A4[1] - 72 - 20, "11")
    # and a gazette's stamp signed into the top margin, over no text of the page: not the paper's text
    signed = _sign_number_into_gap(signed, tmp_path / "stamped.pdf", 400, A4[1] - 30, "TRUNG TAM CONG BAO")
    assert "Số: /TB-UBND" in " ".join(plan(src).pages[0].text.split())  # the page's own text: a blank gap
    [spec] = plan(signed).pages
    assert spec.kind == "text" and "Số: 11 /TB-UBND" in spec.text  # the number drawn over the gap, not "1 1"
    assert "TRUNG" not in spec.text


def test_scanned_pdf_gets_a_text_layer_over_the_untouched_image(tmp_path: Path) -> None:
    src = save_scan_pdf(tmp_path / "scan.pdf", [text_page(dpi=200), text_page(LINES[::-1], dpi=200)], dpi=200)
    fmt, pages = read_all(src, tmp_path / "work")
    assert [p.source for p in pages] == ["ocr", "ocr"]
    assert pages[0].dpi == pytest.approx(200, abs=1)
    out = searchable_pdf(src, fmt, pages, tmp_path / "searchable.pdf")
    with pdfplumber.open(src) as orig, pdfplumber.open(out) as pdf:
        assert len(pdf.pages) == 2
        assert "QUYẾT ĐỊNH" in (pdf.pages[0].extract_text() or "")
        # The image is the original one, at its place, not a re-encoded copy.
        assert pdf.pages[0].images[0]["srcsize"] == orig.pages[0].images[0]["srcsize"]
        assert pdf.pages[0].width == pytest.approx(orig.pages[0].width)


def test_multipage_tiff(tmp_path: Path) -> None:
    src = tmp_path / "batch.tif"
    pages = [text_page(dpi=200, mode="L"), text_page(["GIẤY KHAI SINH", "Họ, chữ đệm, tên: Lê Thị Mai"], dpi=200)]
    pages[0].save(src, save_all=True, append_images=pages[1:], dpi=(200, 200), compression="tiff_deflate")
    fmt, results = read_all(src, tmp_path / "work")
    assert fmt == "tiff" and len(results) == 2
    assert "GIẤY KHAI SINH" in results[1].text
    out = searchable_pdf(src, fmt, results, tmp_path / "s.pdf")
    with pdfplumber.open(out) as pdf:
        assert len(pdf.pages) == 2
        assert "Lê Thị Mai" in (pdf.pages[1].extract_text() or "")


def test_low_resolution_image_is_scaled_for_ocr_but_keeps_its_dpi(tmp_path: Path) -> None:
    src = tmp_path / "low.jpg"
    text_page(dpi=150).save(src, dpi=(150, 150), quality=90)
    _, [page] = read_all(src, tmp_path / "work")
    assert page.dpi == pytest.approx(150, abs=1)  # the compliance check sees the real resolution
    assert page.width_px and page.width_px > round(8.27 * 150) * 1.2
    assert "QUYẾT ĐỊNH" in page.text


def test_reading_a_page_twice_reuses_the_first_result(tmp_path: Path) -> None:
    src = tmp_path / "scan.png"
    text_page().save(src, dpi=(300, 300))
    p = plan(src)
    first = read_page(src, p.fmt, p.pages[0], tmp_path / "work")
    src.unlink()  # a second OCR would fail now: the result must come from the work dir
    again = read_page(src, p.fmt, p.pages[0], tmp_path / "work")
    assert again == first


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "empty_file"),
        (b"hello, this is not a scan", "unsupported_format"),
        (b"%PDF-1.4\n1 0 obj garbage", "truncated_file"),  # no %%EOF: it stops short
        (b"%PDF-1.4\n1 0 obj garbage\n%%EOF\n", "unreadable_pdf"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "unreadable_image"),
    ],
)
def test_bad_files_raise_a_coded_error_naming_the_file(tmp_path: Path, content: bytes, code: str) -> None:
    src = tmp_path / "bad.bin"
    src.write_bytes(content)
    with pytest.raises(PipelineError) as err:
        plan(src)
    assert err.value.code == code
    assert str(src) in str(err.value)
    assert err.value.message_vi  # the clerk gets a Vietnamese explanation


@pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not present")
@pytest.mark.parametrize("name", ["invalid.pdf", "blank.pdf", "cmyk.pdf", "ccitt.pdf", "trivial.pdf", "negzero.pdf"])
def test_odd_real_pdfs_plan_or_fail_cleanly(name: str, tmp_path: Path) -> None:
    src = CORPUS / name
    try:
        p = plan(src)
    except PipelineError as e:
        assert e.code in {"unreadable_pdf", "no_pages", "unsupported_format", "empty_file", "header_only_pdf",
                          "truncated_file"}
        return
    assert sniff_format(src) == "pdf" and p.pages


def test_upside_down_skewed_scan_is_read_and_its_text_layer_sits_on_the_image(tmp_path: Path) -> None:
    dpi = 200
    upright = text_page(dpi=dpi)
    scanned = upright.rotate(2.5, resample=Image.Resampling.BILINEAR, fillcolor="white").rotate(180)
    src = save_scan_pdf(tmp_path / "upside-down.pdf", [scanned], dpi=dpi)
    fmt, [page] = read_all(src, tmp_path / "work")
    assert page.rotated == 180 and page.skew == pytest.approx(-2.5, abs=0.3)
    assert "QUYẾT ĐỊNH" in page.text and "Nguyễn Văn Hùng" in page.text
    out = searchable_pdf(src, fmt, [page], tmp_path / "searchable.pdf")
    with pdfplumber.open(out) as pdf:
        pg = pdf.pages[0]
        # The page was turned upright as a whole (image placement, not pixels): words read in order.
        assert "QUYẾT ĐỊNH" in (pg.extract_text() or "")
        assert pg.images[0]["srcsize"] == scanned.size  # the scanned image itself, not a copy
        # Where text_page drew the middle of "QUYẾT" (third line), tilted 2.5° about the centre as
        # scanned, in points; the invisible word must sit on it.
        x, y = (1.2 * dpi + 60) * 72 / dpi, (1.0 * dpi + 2 * 0.35 * dpi + 20) * 72 / dpi
        cx, cy, a = pg.width / 2, pg.height / 2, math.radians(2.5)
        want_x = cx + (x - cx) * math.cos(a) + (y - cy) * math.sin(a)
        want_y = cy - (x - cx) * math.sin(a) + (y - cy) * math.cos(a)
        got = next(w for w in pg.extract_words() if w["text"] == "QUYẾT")
        assert abs((got["x0"] + got["x1"]) / 2 - want_x) < 12 and abs((got["top"] + got["bottom"]) / 2 - want_y) < 8


@pytest.mark.parametrize("ext", ["png", "jpg"])
def test_upside_down_image_file_is_read_turned_not_as_the_file(tmp_path: Path, ext: str) -> None:
    # A page turned by 180 degrees keeps its size: it must still be read from its upright copy, and its
    # PDF page is that copy (an image file becomes a page of its own), not the file as scanned.
    src = tmp_path / f"upside-down.{ext}"
    text_page(dpi=200).rotate(180).save(src, dpi=(200, 200))
    _, [page] = read_all(src, tmp_path / "work")
    assert page.rotated == 180
    assert "QUYẾT ĐỊNH" in page.text and "Nguyễn Văn Hùng" in page.text
    with pdfplumber.open(page.pdf_path) as pdf:
        assert "QUYẾT ĐỊNH" in (pdf.pages[0].extract_text() or "")


@pytest.mark.parametrize(("ext", "turn"), [("jpg", 0), ("png", 0), ("png", 180)])
def test_colour_image_page_is_read_grey_and_shown_in_colour(tmp_path: Path, ext: str, turn: int,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    # Tesseract reads a grey copy (its text-only layer); the page shows the colour image: the file's own
    # bytes (a JPEG) or rows (a PNG) when the file is the OCR copy, else the turned copy as a JPEG.
    import numpy as np
    import pikepdf
    from PIL import ImageDraw

    page = text_page(dpi=200)
    ImageDraw.Draw(page).ellipse((1000, 1700, 1300, 2000), outline=(217, 38, 46), width=8)  # a red seal
    src = tmp_path / f"colour.{ext}"
    page.rotate(turn).save(src, dpi=(200, 200), **({"quality": 90} if ext == "jpg" else {}))
    from pipeline.read import engine

    modes: list[str] = []
    real = engine.read_page

    def read(img: Image.Image, *args: object, **kwargs: object) -> object:
        modes.append(img.mode)
        return real(img, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "read_page", read)
    _, [result] = read_all(src, tmp_path / "work")
    assert modes == ["L"]
    assert result.colour == "colour" and result.rotated == turn
    assert "QUYẾT ĐỊNH" in result.text and result.words
    assert result.pdf_path and not list((tmp_path / "work").glob("*.layer.pdf"))
    with pdfplumber.open(result.pdf_path) as pdf:
        assert "QUYẾT ĐỊNH" in (pdf.pages[0].extract_text() or "")
    with pikepdf.open(result.pdf_path) as pdf:
        [image] = [pikepdf.PdfImage(v) for v in pdf.pages[0].get_images().values()]
        assert image.colorspace == "/DeviceRGB" and (image.width, image.height) == page.size
        raw = image.obj.read_raw_bytes()
        shown = np.asarray(image.as_pil_image().convert("RGB"), dtype=np.int16)
    if ext == "jpg":
        assert raw == src.read_bytes()
    elif turn == 0:
        assert np.array_equal(shown, np.asarray(page, dtype=np.int16))  # lossless, as the PNG is
    else:
        assert image.filters == ["/DCTDecode"] and np.abs(shown - np.asarray(page, dtype=np.int16)).mean() < 3
