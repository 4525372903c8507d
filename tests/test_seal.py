"""The signature block under a red seal: red dropout, the block found from word boxes, and a second
reading with real tesseract."""

from __future__ import annotations

import shutil

import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.read import seal
from pipeline.understand.extract import extract
from schemas.tasks import PageResult, PageWord

_BOLD = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf"
_REGULAR = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"
RED = (217, 38, 46)


def _signed_page() -> Image.Image:
    """The lower part of a decision at 300 dpi: recipients at the left, the position, a red seal
    over the signature and the name at the right, as Decree 30 lays them out."""
    img = Image.new("RGB", (2480, 3508), "white")
    d = ImageDraw.Draw(img)
    regular, bold = ImageFont.truetype(_REGULAR, 50), ImageFont.truetype(_BOLD, 54)
    y = 300
    for line in ("Điều 1. Thành lập Tổ công tác số hóa hồ sơ của Ủy ban nhân dân xã.",
                 "Điều 2. Quyết định này có hiệu lực kể từ ngày ký."):
        d.text((350, y), line, font=regular, fill="black")
        y += 75
    y = 2300
    for left, right in (("Nơi nhận:", "TM. ỦY BAN NHÂN DÂN"), ("- Như Điều 2;", "CHỦ TỊCH"), ("- Lưu: VT.", "")):
        d.text((350, y), left, font=regular, fill="black")
        if right:
            w = d.textlength(right, font=bold)
            d.text((1780 - w / 2, y), right, font=bold, fill="black")
        y += 72
    # the seal: two rings and a star's worth of ink, its top over the position line
    cx, cy, r = 1640, 2610, 175
    d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=RED, width=9)
    d.ellipse((cx - 120, cy - 120, cx + 120, cy + 120), outline=RED, width=5)
    d.regular_polygon((cx, cy, 50), 5, fill=RED)
    d.line((1600, 2630, 1700, 2560, 1800, 2640, 1900, 2590), fill=(20, 30, 140), width=6)  # the pen
    name = "Nguyễn Hữu Phước"
    w = d.textlength(name, font=bold)
    d.text((1780 - w / 2, 2830), name, font=bold, fill="black")
    return img


def test_dropout_grey_keeps_black_and_drops_red() -> None:
    img = _signed_page()
    grey = seal.dropout_grey(img)
    assert grey.mode == "L"
    ring = grey.getpixel((1640 + 172, 2610))
    assert isinstance(ring, int) and ring > 200  # on the seal's ring: as light as the paper
    darkest = grey.crop((1500, 2830, 2060, 2900)).getextrema()[0]
    assert isinstance(darkest, int) and darkest < 60  # the name stays black
    assert seal.dropout_grey(img.convert("L")).mode == "L"


def _word(text: str, left: int, top: int) -> PageWord:
    return PageWord(text=text, conf=90.0, left=left, top=top, width=30 * len(text), height=50)


def test_signature_zone_is_the_lowest_block_of_position_words() -> None:
    words = [
        _word("CHỦ", 1300, 900), _word("TỊCH", 1450, 900),  # a decision's preamble, far above
        _word("TM.", 1500, 2300), _word("ỦY", 1600, 2300), _word("CHỦ", 1650, 2372), _word("TỊCH", 1800, 2372),
        _word("chủ", 1500, 2000),  # running text: not a position line
    ]
    zone = seal.signature_zone(words, 2480, 3508)
    assert zone is not None
    left, top, right, bottom = zone
    assert left == int(0.45 * 2480) and right == 2480
    assert 2200 < top < 2300 and bottom - top == int(0.25 * 3508)
    assert seal.signature_zone([_word("Nơi", 300, 2300), _word("nhận:", 400, 2300)], 2480, 3508) is None


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_block_read_again_without_its_seal() -> None:
    import pytesseract

    if "vie" not in pytesseract.get_languages():
        pytest.skip("tesseract vie model not installed")
    img = _signed_page()
    data = pytesseract.image_to_data(img, lang="vie", config="--dpi 300", output_type=pytesseract.Output.DICT)
    first = [PageWord(text=t, conf=float(c), left=int(x), top=int(y), width=int(w), height=int(h))
             for t, c, x, y, w, h, lv in zip(data["text"], data["conf"], data["left"], data["top"], data["width"],
                                             data["height"], data["level"], strict=True)
             if int(lv) == 5 and str(t).strip()]
    words = seal.reread_signature(img, first, 300, lang="vie")
    zone = seal.signature_zone(first, img.width, img.height)
    assert zone is not None
    inside = [w.text for w in words if w.left >= zone[0] and w.top >= zone[1]]
    assert "CHỦ" in inside and "TỊCH" in inside and "Phước" in inside, inside
    page = PageResult(page_no=1, source="ocr", text="", words=words, width_px=img.width, height_px=img.height)
    text = "\n".join(" ".join(w.text for w in words if abs(w.top - y) < 20) for y in sorted({w.top for w in words}))
    fields = extract(text, "quyet_dinh", pages=[page.model_copy(update={"text": text})])
    assert fields["chuc_vu_nguoi_ky"].value == "TM. ỦY BAN NHÂN DÂN - CHỦ TỊCH"
    assert fields["nguoi_ky"].value == "Nguyễn Hữu Phước"


@pytest.mark.parametrize(("turn", "skew"), [(0, 1.7), (90, -2.3), (180, 0.0), (270, 0.8)])
def test_zone_cut_from_the_page_as_the_ocr_copy_shows_it(turn: int, skew: float) -> None:
    # A PDF's OCR copy is grey: the block is cut from the colour page through the same turn and
    # deskew, without turning the whole page again.
    import numpy as np

    from pipeline.read import preprocess

    page = _signed_page().resize((620, 877))
    geom = preprocess.Geometry(turn=turn, skew=skew)
    copy = preprocess.apply(page, geom)
    box = (int(copy.width * 0.45), int(copy.height * 0.5), copy.width, copy.height - 5)
    expected = np.asarray(copy.crop(box), dtype=np.int16)
    got = np.asarray(seal.zone_of_copy(page, geom, box), dtype=np.int16)
    assert got.shape == expected.shape and np.abs(got - expected).mean() < 1.0


def test_seal_zone_found_from_the_red_ink() -> None:
    # the first reading may have lost every position word: the seal still says where the block is
    page = _signed_page()
    zone = seal.seal_zone(page.reduce(4), page.width, page.height)
    assert zone is not None
    left, top, right, bottom = zone
    assert left <= 1450 and right == page.width
    assert top <= 2300 - 10 and bottom >= 2830 + 60  # from "TM. ỦY BAN NHÂN DÂN" down to the name
    assert seal.seal_zone(page.convert("L").convert("RGB").reduce(4), page.width, page.height) is None


def _read(text: str, top: int, conf: float = 95.0, left: int = 1500) -> PageWord:
    return PageWord(text=text, conf=conf, left=left, top=top, width=200, height=40)


def test_a_whole_and_sure_first_reading_of_the_block_is_not_read_again() -> None:
    whole = [_read("TM.", 2000), _read("ỦY", 2000, left=1600), _read("CHỦ", 2060), _read("TỊCH", 2060, left=1700),
             _read("Nguyễn", 2400), _read("Văn", 2400, left=1700)]
    assert seal._read_clean(whole)
    assert not seal._read_clean([w for w in whole if w.top != 2060])  # TM. with its title lost under the seal
    assert not seal._read_clean([*whole[:-1], _read("Vặn", 2400, conf=41.0)])  # a name tesseract was unsure of
    assert not seal._read_clean([_read("Nguyễn", 2400), _read("Văn", 2400), _read("A", 2400), _read("B", 2400)])


def test_specks_and_captions_do_not_force_a_second_reading_but_a_lost_name_does() -> None:
    whole = [_read("NGƯỜI", 2000), _read("TIẾP", 2000, left=1720), _read("NHẬN", 2000, left=1940),
             _read("(Ký", 2060), _read("ghi", 2060, conf=84.0, left=1720), _read("tên)", 2060, left=1940),
             _read("na", 2200, conf=28.0), _read("Lê", 2400), _read("Ngọc", 2400, left=1720)]
    # the pen's stroke read as "na" and a caption word read at 84: the title and the name are sure
    assert seal._read_clean(whole) and seal._read_clean(whole, under_seal=True)
    assert not seal._read_clean([*whole[:-1], _read("Ngọc", 2400, conf=70.0, left=1720)])  # the name unsure
    assert not seal._read_clean([*whole[:3], _read("ghi", 2060, conf=40.0, left=1720), *whole[4:]])
    # under a seal, a block whose name line is gone is read again; without one, it may lie outside it
    nameless = whole[:7]
    assert seal._read_clean(nameless) and not seal._read_clean(nameless, under_seal=True)
