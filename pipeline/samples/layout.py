"""Render a `Doc` onto A4 with reportlab, in its font set (Liberation Serif unless the template chose
another), and return the text it drew.

Margins and sizes follow Decree 30/2020 (Appendix I): top and bottom 20 mm, left 30 mm, right
15 mm, 13-14 pt body, page numbers from page 2 centred in the top margin.
"""

from __future__ import annotations

import functools
import io
import math
import random
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from pipeline.samples.model import QR, Card, Column, Columns, Doc, Font, Gap, Para, Rule, Run, Sign, Table

PAGE_W, PAGE_H = A4
MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 20 * mm
MARGIN_LEFT = 30 * mm
MARGIN_RIGHT = 15 * mm
TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT

@dataclass(frozen=True)
class FontSet:
    """A typeface in four styles, as reportlab registers it; `package` is the Debian package with it."""

    key: str
    family: str  # the fontconfig family name
    files: dict[str, str]  # style (R, B, I, BI) -> TTF file name
    dirs: tuple[str, ...]
    package: str
    names: dict[str, str]  # style -> the name registered with reportlab


def _fontset(key: str, family: str, files: tuple[str, str, str, str], dirs: tuple[str, ...], package: str,
             names: tuple[str, str, str, str] | None = None) -> FontSet:
    styles = ("R", "B", "I", "BI")
    reg = names or tuple(f"{key}-{s}" for s in styles)
    return FontSet(key, family, dict(zip(styles, files, strict=True)), dirs, package,
                   {**dict(zip(styles, reg, strict=True)), "M": "Courier"})


# Family A draws everything in Liberation Serif (Times metrics); family B (pipeline/samples/families)
# picks among other typefaces that carry every Vietnamese glyph (checked with
# `fc-list ':charset=1ea1 1ec7 1eef 1ef9 111 1a1 1b0'`; the URW base35 fonts do not, so none is used).
FONTSETS: dict[str, FontSet] = {f.key: f for f in (
    _fontset("liberation-serif", "Liberation Serif",
             ("LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf", "LiberationSerif-Italic.ttf",
              "LiberationSerif-BoldItalic.ttf"),
             ("/usr/share/fonts/truetype/liberation2", "/usr/share/fonts/truetype/liberation",
              "/usr/share/fonts/liberation-serif", "/usr/share/fonts/liberation"), "fonts-liberation2",
             ("LibSerif", "LibSerif-Bold", "LibSerif-Italic", "LibSerif-BoldItalic")),
    _fontset("liberation-sans", "Liberation Sans",
             ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", "LiberationSans-Italic.ttf",
              "LiberationSans-BoldItalic.ttf"),
             ("/usr/share/fonts/truetype/liberation2", "/usr/share/fonts/truetype/liberation",
              "/usr/share/fonts/liberation-sans", "/usr/share/fonts/liberation"), "fonts-liberation2"),
    _fontset("freeserif", "FreeSerif",
             ("FreeSerif.ttf", "FreeSerifBold.ttf", "FreeSerifItalic.ttf", "FreeSerifBoldItalic.ttf"),
             ("/usr/share/fonts/truetype/freefont", "/usr/share/fonts/gnu-free"), "fonts-freefont-ttf"),
    _fontset("dejavu-serif", "DejaVu Serif",
             ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf", "DejaVuSerif-BoldItalic.ttf"),
             ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu"), "fonts-dejavu-core fonts-dejavu-extra"),
    _fontset("dejavu-serif-condensed", "DejaVu Serif Condensed",
             ("DejaVuSerifCondensed.ttf", "DejaVuSerifCondensed-Bold.ttf", "DejaVuSerifCondensed-Italic.ttf",
              "DejaVuSerifCondensed-BoldItalic.ttf"),
             ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu"), "fonts-dejavu-extra"),
    _fontset("noto-serif", "Noto Serif",
             ("NotoSerif-Regular.ttf", "NotoSerif-Bold.ttf", "NotoSerif-Italic.ttf", "NotoSerif-BoldItalic.ttf"),
             ("/usr/share/fonts/truetype/noto", "/usr/share/fonts/noto"), "fonts-noto-core"),
    _fontset("noto-sans", "Noto Sans",
             ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSans-Italic.ttf", "NotoSans-BoldItalic.ttf"),
             ("/usr/share/fonts/truetype/noto", "/usr/share/fonts/noto"), "fonts-noto-core"),
)}
DEFAULT_FONTS = "liberation-serif"
FONT_NAMES = FONTSETS[DEFAULT_FONTS].names

INK = (0.05, 0.05, 0.07)
PEN = (0.08, 0.12, 0.55)  # ballpoint blue of signatures
SEAL = (0.85, 0.1, 0.12)


def font_dir(fontset: str = DEFAULT_FONTS) -> Path:
    """The folder of a font set's TTFs: fontconfig first, then the usual Debian/Fedora paths."""
    fs = FONTSETS[fontset]
    candidates: list[Path] = []
    if shutil.which("fc-match"):
        try:
            out = subprocess.run(["fc-match", "-f", "%{file}", fs.family], capture_output=True,
                                 text=True, timeout=10, check=False).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            out = ""
        if out:
            candidates.append(Path(out).parent)
    candidates += [Path(d) for d in fs.dirs]
    for d in candidates:
        if all((d / f).is_file() for f in fs.files.values()):
            return d
    raise RuntimeError(
        f"{fs.family} (Regular, Bold, Italic, BoldItalic TTF) not found; "
        f"install the Debian package {fs.package} (apt-get install {fs.package})"
    )


@functools.cache
def register_fonts(fontset: str = DEFAULT_FONTS) -> None:
    fs = FONTSETS[fontset]
    d = font_dir(fontset)
    for key, fname in fs.files.items():
        pdfmetrics.registerFont(TTFont(fs.names[key], str(d / fname)))


def face(font: str, fontset: str = DEFAULT_FONTS, hand: str | None = None) -> str:
    """The registered name of a style; "H" (a hand-written fill) is the italic of the `hand` set."""
    if font == "H":
        font, fontset = "I", hand or fontset
    register_fonts(fontset)
    return FONTSETS[fontset].names[font]


def width(text: str, font: str, size: float, fontset: str = DEFAULT_FONTS, hand: str | None = None) -> float:
    return pdfmetrics.stringWidth(text, face(font, fontset, hand), size)


@dataclass
class _Line:
    words: list[tuple[str, str, float]]  # (word, font, extra room before it in pt)
    natural: float  # width with plain spaces
    last: bool  # last line of its paragraph: never justified

    @property
    def text(self) -> str:
        return " ".join(w for w, _, _ in self.words)


def wrap(p: Para, avail: float, fontset: str = DEFAULT_FONTS, hand: str | None = None) -> list[_Line]:
    words = [(w, r.font, r.gap * mm if i == 0 else 0.0) for r in p.runs for i, w in enumerate(r.text.split())]
    lines: list[_Line] = []
    cur: list[tuple[str, str, float]] = []
    cur_w = 0.0
    first = True
    for w, f, g in words:
        ww = width(w, f, p.size, fontset, hand)
        sp = width(" ", cur[-1][1], p.size, fontset, hand) + g if cur else 0.0
        limit = avail - p.left * mm - (p.indent * mm if first else 0.0)
        if cur and cur_w + sp + ww > limit:
            lines.append(_Line(cur, cur_w, False))
            cur, cur_w, first = [], 0.0, False
            sp = 0.0
        cur.append((w, f, g))
        cur_w += sp + ww
    if cur:
        lines.append(_Line(cur, cur_w, True))
    return lines


def _para_height(p: Para, n_lines: int) -> float:
    return n_lines * p.size * p.leading + p.space_after


class _Renderer:
    def __init__(self, rng: random.Random, skew: float = 0.0,
                 backdrop: tuple[float, float, float] | None = None, fontset: str = DEFAULT_FONTS,
                 hand: str | None = None) -> None:
        register_fonts(fontset)
        self.fontset, self.hand = fontset, hand
        self.buf = io.BytesIO()
        self.skew = skew
        self.backdrop = backdrop
        a = math.radians(abs(skew))
        # A skewed sheet needs a larger canvas around it, as a scanner bed or a desk is.
        self.size = (PAGE_W * math.cos(a) + PAGE_H * math.sin(a), PAGE_W * math.sin(a) + PAGE_H * math.cos(a))
        # invariant=1: no creation date or random ID, so a seed gives the same bytes every time.
        self.c = Canvas(self.buf, pagesize=self.size if skew or backdrop else A4, invariant=1, pageCompression=1)
        self.c.setTitle("")
        self.c.setAuthor("")
        self.c.setCreator("")
        self.c.setProducer("")
        self.rng = rng
        self.pages: list[list[str]] = [[]]
        self.y = PAGE_H - MARGIN_TOP
        self.last_line_w = 0.0
        self.last_line_x = 0.0
        self._sheet()

    def _sheet(self) -> None:
        """Place the A4 sheet on the (possibly larger) page, turned by the skew."""
        if not (self.skew or self.backdrop):
            return
        c = self.c
        w, h = self.size
        if self.backdrop:
            c.setFillColorRGB(*self.backdrop)
            c.rect(0, 0, w, h, stroke=0, fill=1)
        c.translate(w / 2, h / 2)
        c.rotate(self.skew)
        c.translate(-PAGE_W / 2, -PAGE_H / 2)
        if self.backdrop:
            c.setFillColorRGB(1, 1, 1)
            c.rect(0, 0, PAGE_W, PAGE_H, stroke=0, fill=1)

    # -- pages -------------------------------------------------------------------------------
    def new_page(self) -> None:
        self.c.showPage()
        self._sheet()
        self.pages.append([])
        self.y = PAGE_H - MARGIN_TOP
        n = str(len(self.pages))
        self._font("R", 13)
        self.c.drawCentredString(PAGE_W / 2, PAGE_H - 12 * mm, n)
        self.pages[-1].append(n)

    def ensure(self, h: float) -> None:
        if self.y - h < MARGIN_BOTTOM and self.y < PAGE_H - MARGIN_TOP - 1:
            self.new_page()

    def _font(self, font: str, size: float) -> None:
        self.c.setFont(face(font, self.fontset, self.hand), size)

    def _wrap(self, p: Para, avail: float) -> list[_Line]:
        return wrap(p, avail, self.fontset, self.hand)

    def _width(self, text: str, font: str, size: float) -> float:
        return width(text, font, size, self.fontset, self.hand)

    # -- paragraphs --------------------------------------------------------------------------
    def draw_line(self, ln: _Line, p: Para, x0: float, avail: float, first: bool, y: float) -> None:
        indent = p.left * mm + (p.indent * mm if first else 0.0)
        room = avail - indent
        extra = 0.0
        if p.align == "center":
            x = x0 + indent + (room - ln.natural) / 2
        elif p.align == "right":
            x = x0 + indent + room - ln.natural
        else:
            x = x0 + indent
            if p.align == "justify" and not ln.last and len(ln.words) > 1:
                extra = (room - ln.natural) / (len(ln.words) - 1)
        self.last_line_x, self.last_line_w = x, ln.natural + extra * (len(ln.words) - 1)
        self.c.setFillColorRGB(*INK)
        for i, (w, f, g) in enumerate(ln.words):
            if i:
                x += g
            self._font(f, p.size)
            # A real space glyph after each word keeps text extraction word-separated at any size.
            s = w + " " if i < len(ln.words) - 1 else w
            if f == "H":
                self._handwritten(s, x, y)
            else:
                self.c.drawString(x, y, s)
            x += self._width(s, f, p.size) + extra

    def _handwritten(self, s: str, x: float, y: float) -> None:
        """A word filled in by hand: ballpoint blue, off the baseline and a little turned."""
        c, r = self.c, self.rng
        c.saveState()
        c.setFillColorRGB(*PEN)
        c.translate(x, y + r.uniform(-1.2, 1.2))
        c.rotate(r.uniform(-2.5, 2.5))
        c.drawString(0, 0, s)
        c.restoreState()

    def para(self, p: Para) -> None:
        lines = self._wrap(p, TEXT_W)
        lh = p.size * p.leading
        for i, ln in enumerate(lines):
            self.ensure(lh)
            self.y -= lh
            self.draw_line(ln, p, MARGIN_LEFT, TEXT_W, i == 0, self.y + p.size * 0.22)
            self.pages[-1].append(ln.text)
        self.y -= p.space_after

    # -- columns -----------------------------------------------------------------------------
    def _col_height(self, col: Column) -> float:
        h = 0.0
        for it in col.items:
            if isinstance(it, Para):
                h += _para_height(it, len(self._wrap(it, col.width * mm)))
            elif isinstance(it, Gap):
                h += it.mm * mm
            elif isinstance(it, Sign):
                h += it.height * mm
            elif isinstance(it, Rule):
                h += 3.5
        return h

    def columns(self, cols: Columns) -> None:
        h = max(self._col_height(c) for c in cols.columns)
        self.ensure(h)
        top = self.y
        for col in cols.columns:
            y = top
            x0 = col.x * mm
            avail = col.width * mm
            for it in col.items:
                if isinstance(it, Para):
                    lh = it.size * it.leading
                    for i, ln in enumerate(self._wrap(it, avail)):
                        y -= lh
                        self.draw_line(ln, it, x0, avail, i == 0, y + it.size * 0.22)
                        self.pages[-1].append(ln.text)
                    y -= it.space_after
                elif isinstance(it, Gap):
                    y -= it.mm * mm
                elif isinstance(it, Rule):
                    w = it.mm * mm if it.mm is not None else self.last_line_w * it.frac
                    cx = self.last_line_x + self.last_line_w / 2
                    y -= 1.5
                    self.c.setLineWidth(0.6)
                    self.c.setStrokeColorRGB(*INK)
                    self.c.line(cx - w / 2, y, cx + w / 2, y)
                    y -= 2.0
                elif isinstance(it, Sign):
                    self.signature(x0 + avail / 2, y - it.height * mm / 2, it.seal)
                    y -= it.height * mm
        self.y = top - h - cols.space_after * mm

    # -- marks without text ------------------------------------------------------------------
    def signature(self, cx: float, cy: float, seal: bool) -> None:
        r = self.rng
        c = self.c
        if seal:
            # The seal sits over the left part of the signature, as Decree 30 prescribes (1/3 over it).
            sx, sy, rad = cx - 13 * mm + r.uniform(-3, 3) * mm, cy + r.uniform(-2, 1) * mm, 14.5 * mm
            c.saveState()
            c.setStrokeColorRGB(*SEAL)
            c.setFillColorRGB(*SEAL)
            c.setStrokeAlpha(0.75)
            c.setFillAlpha(0.75)
            c.setLineWidth(1.6)
            c.circle(sx, sy, rad)
            c.setLineWidth(0.8)
            c.circle(sx, sy, rad * 0.68)
            # a ring of short dashes standing in for the seal's lettering (shapes, not text)
            for k in range(40):
                a = 2 * math.pi * k / 40
                c.line(sx + rad * 0.76 * math.cos(a), sy + rad * 0.76 * math.sin(a),
                       sx + rad * 0.92 * math.cos(a), sy + rad * 0.92 * math.sin(a))
            star = [(sx + rad * 0.3 * (1 if i % 2 == 0 else 0.4) * math.cos(math.pi / 2 + i * math.pi / 5),
                     sy + rad * 0.3 * (1 if i % 2 == 0 else 0.4) * math.sin(math.pi / 2 + i * math.pi / 5))
                    for i in range(10)]
            path = c.beginPath()
            path.moveTo(*star[0])
            for pt in star[1:]:
                path.lineTo(*pt)
            path.close()
            c.drawPath(path, stroke=0, fill=1)
            c.restoreState()
        c.saveState()
        c.setStrokeColorRGB(*PEN)
        c.setLineWidth(0.9)
        path = c.beginPath()
        x, y = cx - 16 * mm, cy + r.uniform(-3, 3) * mm
        path.moveTo(x, y)
        for _ in range(r.randint(3, 5)):
            nx, ny = x + r.uniform(5, 11) * mm, cy + r.uniform(-5, 6) * mm
            path.curveTo(x + r.uniform(0, 8) * mm, y + r.uniform(-9, 9) * mm,
                         nx - r.uniform(0, 8) * mm, ny + r.uniform(-9, 9) * mm, nx, ny)
            x, y = nx, ny
        c.drawPath(path, stroke=1, fill=0)
        c.restoreState()

    def qr(self, q: QR) -> None:
        size = q.mm * mm
        self.ensure(size)
        w = QrCodeWidget(q.data, barLevel="M")
        x1, y1, x2, y2 = w.getBounds()
        d = Drawing(size, size, transform=[size / (x2 - x1), 0, 0, size / (y2 - y1), 0, 0])
        d.add(w)
        # In the top-left corner, above the header, where one-stop-shop slips print it.
        x, y = MARGIN_LEFT - 12 * mm, self.y - size
        renderPDF.draw(d, self.c, x, y)
        if q.damaged:
            # A torn corner and a smear over two finder patterns: no reader recovers that.
            self.c.setFillColorRGB(1, 1, 1)
            self.c.rect(x, y + size * 0.45, size * 0.55, size * 0.55, stroke=0, fill=1)
            self.c.setFillColorRGB(*INK)
            self.c.rect(x + size * 0.5, y, size * 0.5, size * 0.4, stroke=0, fill=1)
        self.y -= size + 1 * mm

    # -- tables and cards --------------------------------------------------------------------
    def table(self, t: Table) -> None:
        lh = t.size * 1.25
        pad = 1.6 * mm
        x_left = MARGIN_LEFT
        for ri, row in enumerate(t.rows):
            font: Font = "B" if (t.header and ri == 0) else "R"
            cells = []
            for text, w in zip(row, t.widths, strict=True):
                p = Para([Run(text, font)], size=t.size, align="center" if font == "B" else "left",
                         space_after=0)
                cells.append((p, self._wrap(p, w * mm - 2 * pad)))
            n = max(1, *(len(ls) for _, ls in cells))
            row_h = n * lh + 2 * pad
            self.ensure(row_h)
            top = self.y
            x = x_left
            self.c.setLineWidth(0.6)
            self.c.setStrokeColorRGB(*INK)
            for (p, ls), w in zip(cells, t.widths, strict=True):
                self.c.rect(x, top - row_h, w * mm, row_h, stroke=1, fill=0)
                y = top - pad
                for i, ln in enumerate(ls):
                    y -= lh
                    self.draw_line(ln, p, x + pad, w * mm - 2 * pad, i == 0, y + t.size * 0.25)
                x += w * mm
            # Read across the row one visual line at a time, as OCR and text extraction do.
            for k in range(n):
                line = " ".join(ls[k].text for _, ls in cells if k < len(ls))
                if line:
                    self.pages[-1].append(line)
            self.y = top - row_h
        self.y -= t.space_after * mm

    def card(self, cd: Card) -> None:
        h = cd.height * mm
        self.ensure(h)
        x0 = MARGIN_LEFT + (TEXT_W - cd.width * mm) / 2
        top = self.y
        self.c.setLineWidth(0.8)
        self.c.setStrokeColorRGB(0.35, 0.35, 0.35)
        self.c.roundRect(x0, top - h, cd.width * mm, h, 3 * mm, stroke=1, fill=0)
        tx = x0 + 3 * mm
        avail = cd.width * mm - 6 * mm
        if cd.photo:
            self.c.setFillColorRGB(0.72, 0.72, 0.74)
            self.c.rect(x0 + 3 * mm, top - h + 10 * mm, 28 * mm, 36 * mm, stroke=0, fill=1)
            self.c.setFillColorRGB(0.45, 0.45, 0.48)
            self.c.circle(x0 + 17 * mm, top - h + 34 * mm, 7.5 * mm, stroke=0, fill=1)
            self.c.ellipse(x0 + 5 * mm, top - h + 10 * mm, x0 + 29 * mm, top - h + 26 * mm, stroke=0, fill=1)
        y = top - 2 * mm
        for p in cd.items:
            # Text beside the photo, once the centred title lines are done.
            beside = cd.photo and p.align != "center"
            x = tx + (31 * mm if beside else 0)
            a = avail - (31 * mm if beside else 0)
            for j, ln in enumerate(self._wrap(p, a)):
                y -= p.size * p.leading
                self.draw_line(ln, p, x, a, j == 0, y + p.size * 0.22)
                self.pages[-1].append(ln.text)
            y -= p.space_after
        self.y = top - h - cd.space_after * mm

    def finish(self) -> bytes:
        self.c.showPage()
        self.c.save()
        return self.buf.getvalue()


@dataclass
class Rendered:
    pdf: bytes
    pages: list[list[str]]  # drawn lines per page, in reading order

    @property
    def text(self) -> str:
        return "\f".join("\n".join(p) for p in self.pages)


def render(doc: Doc, rng: random.Random, skew: float = 0.0,
           backdrop: tuple[float, float, float] | None = None) -> Rendered:
    """Lay `doc` out on A4. `skew` (degrees, counter-clockwise) and `backdrop` (RGB 0-1 around the
    sheet) are for raster output only: drawing the turned sheet as vectors is far cheaper than
    rotating a 300 dpi bitmap afterwards."""
    r = _Renderer(rng, skew, backdrop, doc.fonts, doc.hand)
    for b in doc.blocks:
        if isinstance(b, Para):
            r.para(b)
        elif isinstance(b, Gap):
            r.y -= b.mm * mm
        elif isinstance(b, Rule):
            w = b.mm * mm if b.mm is not None else TEXT_W * b.frac
            r.y -= 3
            r.c.setLineWidth(0.6)
            r.c.setStrokeColorRGB(*INK)
            cx = MARGIN_LEFT + TEXT_W / 2
            r.c.line(cx - w / 2, r.y, cx + w / 2, r.y)
            r.y -= 3
        elif isinstance(b, Columns):
            r.columns(b)
        elif isinstance(b, Table):
            r.table(b)
        elif isinstance(b, QR):
            r.qr(b)
        elif isinstance(b, Card):
            r.card(b)
    return Rendered(r.finish(), r.pages)
