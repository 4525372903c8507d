"""The header's number and day written in by hand, read again from the pen's strokes (pipeline/read/slots.py),
against real tesseract. The first reading is given as the real set's scans show it (the pen's digits
garbled, "@39", "&0"): the page around it is typed and tesseract reads it right."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.config import Settings
from pipeline.read import digits, slots
from pipeline.understand.extract import extract
from pipeline.understand.extract.codes import HANDWRITTEN_NUMBER
from schemas.tasks import PageResult, PageWord

DPI = 300
SERIF = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"
ITALIC = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Italic.ttf"
# A marker's hand: a bold oblique drawn with a thicker outline (fonts-dejavu-core, in the image).
PEN = "/usr/share/fonts/truetype/dejavu/DejaVuSans-BoldOblique.ttf"
# fonts-kaushanscript, which scripts/setup.sh installs
BRUSH = "/usr/share/fonts/opentype/kaushanscript/KaushanScript-Regular.otf"
HEADER = ("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
          "TỈNH QUẢNG NGÃI Độc lập - Tự do - Hạnh phúc\n")
BODY = "\nTỜ TRÌNH\nVề việc miễn nhiệm chức danh Ủy viên Ủy ban nhân dân tỉnh\n"


def header_line(number: str, day: str, *, pen: str = PEN, stroke: int = 2, misread: dict[str, str] | None = None
                ) -> tuple[Image.Image, list[PageWord]]:
    """The number and place-date line of a Decree 30 header, typed, with ``number`` and ``day`` written
    in with ``pen``; and its first reading, the pen's words read as ``misread`` says at low confidence."""
    img = Image.new("L", (2480, 1000), 255)
    draw = ImageDraw.Draw(img)
    size = round(13 * DPI / 72)
    serif, italic = ImageFont.truetype(SERIF, size), ImageFont.truetype(ITALIC, size)
    hand = ImageFont.truetype(pen, round(17 * DPI / 72))
    misread = misread or {}
    words: list[PageWord] = []

    def put(x: int, text: str, font: ImageFont.FreeTypeFont, *, width: int = 0) -> int:
        draw.text((x, 400), text, font=font, fill=0, stroke_width=width, stroke_fill=0, anchor="ls")
        left, top, right, bottom = draw.textbbox((x, 400), text, font=font, stroke_width=width, anchor="ls")
        read = misread.get(text, text)
        words.append(PageWord(text=read, conf=20.0 if read != text else 95.0, left=left, top=top,
                              width=right - left, height=bottom - top))
        return right

    x = put(250, "Số:", serif) + 30
    x = put(x, number, hand, width=stroke) + 30
    put(x, "/TTr-UBND", serif)
    x = 1100
    for word in ("Quảng", "Ngãi,", "ngày"):
        x = put(x, word, italic) + 18
    x = put(x, day, hand, width=stroke) + 18
    for word in ("tháng", "12", "năm", "2024"):
        x = put(x, word, italic) + 18
    return img, words


def first_reading(words: list[PageWord]) -> str:
    return HEADER + " ".join(w.text for w in words) + BODY


def test_pen_number_and_day_are_read_again() -> None:
    img, words = header_line("239", "20", misread={"239": "@39", "20": "&0"})
    text = first_reading(words)
    again, new_text, handwritten = slots.reread_slots(img, words, text, DPI)
    assert handwritten == ["number", "day"]
    assert "Số: 239 /TTr-UBND Quảng Ngãi, ngày 20 tháng 12 năm 2024" in new_text
    read = {w.text: w for w in again}
    assert read["239"].conf < slots.SURE and read["20"].conf < slots.SURE  # still words OCR was unsure of
    assert "@39" not in read and "&0" not in read
    assert [w.text for w in sorted(again, key=lambda w: w.left)][:3] == ["Số:", "239", "/TTr-UBND"]


def test_glued_words_are_split_around_the_digits() -> None:
    """"ngày&0" and "Số:@39": tesseract glued the pen's strokes to the label."""
    img, words = header_line("239", "20", misread={"239": "@39", "20": "&0"})
    glue = {"Số:": "@39", "ngày": "&0"}
    glued: list[PageWord] = []
    skip = False
    for i, w in enumerate(words):
        if skip:
            skip = False
            continue
        nxt = words[i + 1] if i + 1 < len(words) else None
        if w.text in glue and nxt is not None and nxt.text == glue[w.text]:
            glued.append(w.model_copy(update={"text": w.text + nxt.text, "conf": 10.0,
                                              "width": nxt.left + nxt.width - w.left}))
            skip = True
        else:
            glued.append(w)
    text = first_reading(glued)
    assert "Số:@39 /TTr-UBND" in text
    _, new_text, handwritten = slots.reread_slots(img, glued, text, DPI)
    assert handwritten == ["number", "day"]
    assert "Số: 239 /TTr-UBND Quảng Ngãi, ngày 20 tháng 12" in new_text


def test_read_again_still_goes_to_review() -> None:
    """The value offered is the right one, and a person confirms it: never accepted as read."""
    img, words = header_line("239", "20", misread={"239": "@39", "20": "&0"})
    again, text, handwritten = slots.reread_slots(img, words, first_reading(words), DPI)
    page = PageResult(page_no=1, source="ocr", text=text, words=again, width_px=img.width, height_px=img.height,
                      handwritten=handwritten)
    out = extract(text, "to_trinh", pages=[page], today=date(2026, 12, 4))
    threshold = Settings().field_review_threshold
    assert out["so_ky_hieu"].value == "239/TTr-UBND"
    assert out["so_ky_hieu"].confidence == HANDWRITTEN_NUMBER < threshold
    assert out["ngay_ban_hanh"].value == "2024-12-20"
    assert out["ngay_ban_hanh"].confidence == HANDWRITTEN_NUMBER < threshold


def test_day_read_again_keeps_a_clean_number_under_review() -> None:
    """The clerk numbers and dates a paper at once: a day read again from the pen sends the number beside
    it to review too, though its digits read clean ("Số: 23 /BC-UBND", "ngày ,@3 tháng" on the real set)."""
    img, words = header_line("23", "23", misread={"23": ",@3"})
    words = [w.model_copy(update={"text": "23", "conf": 90.0}) if i == 1 else w for i, w in enumerate(words)]
    again, text, handwritten = slots.reread_slots(img, words, first_reading(words), DPI)
    assert handwritten == ["day"]
    page = PageResult(page_no=1, source="ocr", text=text, words=again, width_px=img.width, height_px=img.height,
                      handwritten=handwritten)
    out = extract(text, "to_trinh", pages=[page], today=date(2026, 12, 4))
    assert out["ngay_ban_hanh"].value == "2024-12-23"
    assert out["so_ky_hieu"].confidence == HANDWRITTEN_NUMBER


def test_sure_typed_digits_are_not_read_again() -> None:
    img, words = header_line("239", "20", pen=SERIF, stroke=0)
    text = first_reading(words)
    assert slots.reread_slots(img, words, text, DPI) == (words, text, [])


def test_empty_gap_stays_empty() -> None:
    """An undated draft: "ngày   tháng" with nothing written in is not read as a day."""
    img, words = header_line("239", " ", misread={"239": "@39"})
    words = [w for w in words if w.text.strip()]
    _, text, handwritten = slots.reread_slots(img, words, first_reading(words), DPI)
    assert handwritten == ["number"]
    assert "ngày tháng 12" in text


@pytest.mark.skipif(not __import__("os").path.exists(BRUSH), reason="fonts-kaushanscript not installed")
def test_brush_hand() -> None:
    img, words = header_line("239", "20", pen=BRUSH, stroke=0, misread={"239": "@39", "20": "&0"})
    _, text, _ = slots.reread_slots(img, words, first_reading(words), DPI)
    assert "Số: 239 /TTr-UBND" in text and "ngày 20 tháng" in text


def test_glyphs_split_and_join() -> None:
    """Touching digits are cut apart, a digit's separate short stroke (a 5's flag) stays with it."""
    ink = np.zeros((60, 200), dtype=bool)
    ink[5:55, 10:18] = True  # a 1
    ink[5:55, 40:48] = True  # the stem of a 5 …
    ink[5:12, 44:75] = True  # … and its flag, a stroke of its own over it
    ink[5:55, 100:170] = True  # two digits written touching
    assert len(digits.glyphs(ink)) == 4


def test_a_digit_lost_in_the_second_reading_keeps_the_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """"ngày 3| tháng" read again as "1" (a 3 and a 1 written touching, taken for one glyph): the first
    reading, which the extractor repairs to 31, stands."""
    img, words = header_line("239", "31", pen=SERIF, stroke=0, misread={"31": "3|"})
    text = first_reading(words)

    def one_digit(copy: Image.Image, slot: slots.Slot, dpi: float, *, timeout: float = 0) -> PageWord | None:
        return slot.words[1].model_copy(update={"text": "1"}) if slot.kind == "day" else None

    monkeypatch.setattr(slots, "read_slot", one_digit)
    assert slots.reread_slots(img, words, text, DPI) == (words, text, [])
