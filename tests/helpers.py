"""Small fixtures made by code: a page of Vietnamese text as an image, a scanned PDF, a born-digital PDF."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"
LINES = [
    "ỦY BAN NHÂN DÂN XÃ THANH THẠCH",
    "Số: 123/QĐ-UBND",
    "QUYẾT ĐỊNH",
    "Về việc cấp giấy phép xây dựng nhà ở riêng lẻ",
    "Căn cứ Luật Tổ chức chính quyền địa phương;",
    "Điều 1. Cấp giấy phép xây dựng cho ông Nguyễn Văn Hùng.",
]


def text_page(lines: list[str] = LINES, dpi: int = 300, mode: str = "RGB") -> Image.Image:
    """An A4 page at `dpi` with the lines in 13 pt Liberation Serif, like a Decree 30 document."""
    w, h = round(8.27 * dpi), round(11.69 * dpi)
    img = Image.new("RGB", (w, h), "white")
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, round(14 * dpi / 72))
    y = round(1.0 * dpi)
    for line in lines:
        draw.text((round(1.2 * dpi), y), line, font=font, fill="black")
        y += round(0.35 * dpi)
    return img.convert(mode)


def save_scan_pdf(path: Path, pages: list[Image.Image], dpi: int = 300) -> Path:
    pages[0].save(path, "PDF", resolution=dpi, save_all=True, append_images=pages[1:])
    return path


def save_digital_pdf(path: Path, lines: list[str] = LINES) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(TTFont("LiberationSerif", FONT))
    c = Canvas(str(path), pagesize=A4, invariant=1)
    c.setFont("LiberationSerif", 13)
    y = A4[1] - 72
    for line in lines:
        c.drawString(72, y, line)
        y -= 20
    c.showPage()
    c.save()
    return path
