"""Family B's building blocks: its own headers, fills, symbols and signature blocks.

Family B (see families.py) is written apart from family A's parts.py so that the two share as little
layout and wording as the documents of two different offices would: the number and date on their
own row under a Decree 30 header, the form code and the circular it comes from printed top right,
dotted leaders that a hand fills in blue, blank templates, company letterheads, a three-column
receipt header, and typefaces other than A's Liberation Serif.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Literal

from pipeline.samples.content import Person, Unit, nfc, person, province_label
from pipeline.samples.model import (
    Block,
    Column,
    ColumnItem,
    Columns,
    Doc,
    Font,
    Gap,
    Para,
    Rule,
    Run,
    Sign,
)
from pipeline.samples.parts import Ctx

Fill = Literal["typed", "hand", "blank"]

# Typefaces of state documents (FreeSerif is the closest to the Times New Roman offices use) and of
# company papers; the hand that fills forms writes in the italic of one of HANDS.
STATE_FONTS = ("freeserif", "freeserif", "freeserif", "dejavu-serif", "noto-serif", "dejavu-serif-condensed")
CORPORATE_FONTS = ("liberation-sans", "noto-sans", "freeserif")
HANDS = ("freeserif", "dejavu-serif", "noto-sans", "liberation-sans", "noto-serif")
_HAS_BOX = {"liberation-serif", "liberation-sans", "freeserif", "dejavu-serif", "dejavu-serif-condensed"}
MOTTO_1 = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"
DOTS = "……………………………"


@dataclass
class B:
    """One family-B document being written: its context, typeface and how its form is filled."""

    ctx: Ctx
    fonts: str
    hand: str
    fill: Fill
    size: float  # body text size

    @property
    def rng(self) -> random.Random:
        return self.ctx.rng

    @property
    def unit(self) -> Unit:
        return self.ctx.unit

    @property
    def blank(self) -> bool:
        return self.fill == "blank"

    def meta(self, **kv: str | None) -> None:
        """Record ground truth; a blank template has none to record."""
        if not self.blank:
            self.ctx.meta.update({k: nfc(v) for k, v in kv.items() if v})

    # -- filled values ---------------------------------------------------------------------------
    def val(self, value: str, font: Font = "R") -> list[Run]:
        """A value as this document fills it: typed, by hand over a dotted leader, or left blank."""
        if self.blank:
            return [Run(DOTS[: self.rng.randint(12, 30)])]
        if self.fill == "hand":
            return [Run(nfc(value), "H"), Run(DOTS[: self.rng.randint(0, 6)])] if self.rng.random() < 0.5 else [
                Run(nfc(value), "H")]
        return [Run(nfc(value), font)]

    def field(self, label: str, value: str, *, bold_value: bool = False, size: float | None = None,
              left: float = 0.0) -> Para:
        return Para([Run(nfc(label) + ":"), *self.val(value, "B" if bold_value else "R")], size=size or self.size,
                    align="left", space_after=1.2, left=left)

    def fields(self, pairs: list[tuple[str, str]], size: float | None = None) -> Para:
        runs: list[Run] = []
        for i, (label, value) in enumerate(pairs):
            runs += [Run(nfc(label) + ":", gap=0.0 if i == 0 else 6.0), *self.val(value)]
        return Para(runs, size=size or self.size, align="left", space_after=1.2)

    def box(self, checked: bool) -> str:
        on = checked and not self.blank
        if self.fonts in _HAS_BOX:
            return "■" if on else "□"
        return "[x]" if on else "[ ]"

    # -- text ---------------------------------------------------------------------------------------
    def para(self, text: str, font: Font = "R", *, align: str = "justify", indent: float = 8.0,
             size: float | None = None, space_after: float = 2.5) -> Para:
        return Para([Run(nfc(text), font)], size=size or self.size, align=align,  # type: ignore[arg-type]
                    indent=indent, space_after=space_after)

    def centre(self, text: str, font: Font = "R", size: float | None = None, space_after: float = 0.0) -> Para:
        return Para([Run(nfc(text), font)], size=size or self.size, align="center", space_after=space_after)

    def heading(self, text: str, size: float | None = None, space_after: float = 1.5) -> Para:
        return Para([Run(nfc(text), "B")], size=size or self.size, align="left", space_after=space_after)

    def title(self, title: str, abstract: str | None = None, size: float = 15.0, rule: bool = True) -> list[Block]:
        out: list[Block] = [Gap(self.rng.uniform(2, 6)), self.centre(title, "B", size, space_after=1)]
        if abstract:
            out.append(Para([Run(nfc(abstract), "B")], size=self.size, align="center", space_after=0))
        if rule and abstract:
            out.append(Rule(mm=self.rng.choice([30, 40, 50])))
        out.append(Gap(self.rng.uniform(2, 5)))
        return out

    def done(self, doc_type: str, ten_loai: str | None, blocks: list[Block]) -> Doc:
        if ten_loai:
            self.ctx.meta["ten_loai"] = nfc(ten_loai)
        meta = {"ten_loai": self.ctx.meta["ten_loai"]} if self.blank and "ten_loai" in self.ctx.meta else dict(
            self.ctx.meta)
        return Doc(doc_type, blocks, meta, fonts=self.fonts, hand=self.hand, fill=self.fill)


def start(ctx: Ctx, *, form: bool = False, corporate: bool = False, blank_share: float = 0.22,
          hand_share: float = 0.45) -> B:
    """Choose this document's typeface and fill. Forms are typed, filled by hand or left blank."""
    rng = ctx.rng
    fonts = rng.choice(CORPORATE_FONTS if corporate else STATE_FONTS)
    fill: Fill = "typed"
    if form:
        r = rng.random()
        fill = "blank" if r < blank_share else "hand" if r < blank_share + hand_share else "typed"
    return B(ctx, fonts, rng.choice(HANDS), fill, rng.choice([12.5, 13.0, 13.0, 13.5, 14.0]))


# --- numbers, dates, places ----------------------------------------------------------------------------
def doc_number(rng: random.Random, d: dt.date) -> int:
    """A register number of the year: small in January, in the hundreds by December."""
    return max(1, int(d.timetuple().tm_yday * rng.uniform(0.2, 3.2)))


def so_line(b: B, n: int | None, ky_hieu: str, *, label: str = "Số", size: float | None = None) -> Para:
    """The number and symbol as offices print them: spacing varies, the number is often written in by
    hand, a draft leaves it blank. Records so / ky_hieu / so_ky_hieu (normalised)."""
    rng = b.rng
    runs: list[Run]
    if n is None:  # a draft: "Số:      /2025/NQ-HĐND"
        runs = [Run(f"{label}:"), Run(f"/{ky_hieu}", gap=12.0)]
        b.meta(ky_hieu=ky_hieu)
    else:
        s = f"{n:02d}" if n < 10 and rng.random() < 0.6 else str(n)
        style = rng.random()
        if style < 0.3:
            runs = [Run(f"{label}:"), Run(s, "H"), Run(f"/{ky_hieu}")]
        elif style < 0.45:
            runs = [Run(f"{label}: {s} /{ky_hieu}")]
        elif style < 0.55:
            runs = [Run(f"{label}:{s}/{ky_hieu}")]
        elif style < 0.62 and "-" in ky_hieu:
            head, tail = ky_hieu.split("-", 1)
            runs = [Run(f"{label}: {s}/{head}- {tail}")]
        else:
            runs = [Run(f"{label}: {s}/{ky_hieu}")]
        b.meta(so=s, ky_hieu=ky_hieu, so_ky_hieu=f"{s}/{ky_hieu}")
    return Para(runs, size=size or 13.0, align="center", space_after=0)


def date_runs(b: B, place: str | None, d: dt.date | None, *, hand_day: bool | None = None) -> list[Run]:
    """'Thanh Thạch, ngày 07 tháng 4 năm 2025' (italic); the day often written in by hand; a draft
    leaves day and month empty."""
    rng = b.rng
    lead = f"{place}, " if place else ""
    if d is None:
        return [Run(nfc(f"{lead}ngày      tháng      năm {b.ctx.date.year}"), "I")]
    month = f"{d.month:02d}" if d.month < 3 or rng.random() < 0.3 else str(d.month)
    day = f"{d.day:02d}" if rng.random() < 0.8 else str(d.day)
    if hand_day if hand_day is not None else rng.random() < 0.3:
        return [Run(nfc(f"{lead}ngày"), "I"), Run(day, "H"), Run(f"tháng {month} năm {d.year}", "I")]
    return [Run(nfc(f"{lead}ngày {day} tháng {month} năm {d.year}"), "I")]


def issuer_lines(b: B, body: str, parent: str | None) -> list[ColumnItem]:
    """The left column: the superior body in regular type over the issuing body in bold, broken as
    clerks break a long name, and a short rule."""
    rng = b.rng
    out: list[ColumnItem] = []
    size = rng.choice([12.0, 12.5, 13.0])
    if parent:
        out.append(b.centre(parent, "R", size))
    words = body.split()
    if len(body) > 24 and rng.random() < 0.8:
        cut = 3 if body.startswith(("ỦY BAN NHÂN DÂN", "UỶ BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN")) else len(words) // 2
        if body.startswith(("ỦY BAN", "UỶ BAN")):
            cut = 4
        out += [b.centre(" ".join(words[:cut]), "B", size), b.centre(" ".join(words[cut:]), "B", size)]
    else:
        out.append(b.centre(body, "B", size))
    out += [Rule(frac=rng.choice([0.3, 0.4, 0.5])), Gap(1.0)]
    return out


def motto_lines(b: B, size: float = 12.5) -> list[ColumnItem]:
    return [b.centre(MOTTO_1, "B", size), b.centre(MOTTO_2, "B", size + 0.5), Rule(frac=0.75)]


def state_header(b: B, *, body: str, parent: str | None, so: Para | None, place: str | None,
                 date: dt.date | None, vv: list[str] | None = None, record: bool = True) -> list[Block]:
    """A Decree 30 header. Half the time the number and the date sit on a row of their own under the
    two columns, as offices lay it out in a table; else each under its column."""
    rng = b.rng
    lw = rng.choice([70.0, 75.0, 80.0, 85.0])
    left_x = rng.choice([12.0, 15.0, 18.0])
    right_x = left_x + lw + rng.uniform(0, 4)
    rw = min(200 - right_x, 110.0)
    left = issuer_lines(b, body, parent)
    right = motto_lines(b)
    dline = Para(date_runs(b, place, date), size=13.0, align="center", space_after=0)
    vv_items: list[ColumnItem] = [Para([Run(nfc(v))], size=12.0, align="center", space_after=0) for v in vv or []]
    if record:
        b.meta(co_quan_ban_hanh=body, dia_danh=place, ngay_ban_hanh=date.isoformat() if date else None)
    if rng.random() < 0.5:
        rows: list[Block] = [Columns([Column(left_x, lw, left), Column(right_x, rw, right)], space_after=1.5)]
        second_left: list[ColumnItem] = [so] if so else []
        rows.append(Columns([Column(left_x, lw, [*second_left, *vv_items]),
                             Column(right_x, rw, [Gap(0.5), dline])], space_after=4))
        return rows
    left += [so] if so else []
    left += vv_items
    right += [Gap(2.5), dline]
    return [Columns([Column(left_x, lw, left), Column(right_x, rw, right)], space_after=5)]


def form_header(b: B, *, code: str | None = None, origin: str | None = None, place_date: bool = False,
                left: list[str] | None = None) -> list[Block]:
    """A citizen form: an optional form code and circular top right, the national motto centred (or,
    with `left`, a small box of the receiving body on the left), a place-date line on the right."""
    out: list[Block] = []
    if code:
        out.append(Para([Run(nfc(code), "B")], size=11.5, align="right", space_after=0))
    if origin:
        out.append(Para([Run(nfc(origin), "I")], size=10.5, align="right", space_after=2))
    if left:
        items: list[ColumnItem] = [b.centre(t, "B" if i else "R", 12) for i, t in enumerate(left)]
        out.append(Columns([Column(12, 70, [*items, Rule(frac=0.4)]), Column(85, 118, motto_lines(b, 12.5))],
                           space_after=4))
    else:
        out.append(Columns([Column(30, 165, motto_lines(b, 13.0))], space_after=3))
    if place_date:
        out.append(Para(date_runs(b, b.unit.place, b.ctx.date), size=13, align="right", space_after=4))
        b.meta(dia_danh=b.unit.place, ngay_ban_hanh=b.ctx.date.isoformat())  # printed: the form's own date
    return out


def company() -> list[tuple[str, str, str, str]]:
    """(name, short name, address, tax code) of companies that write proxies, notices and minutes."""
    return [
        ("CÔNG TY CỔ PHẦN XÂY DỰNG VÀ THƯƠNG MẠI MIỀN TRUNG", "MTC", "Số 28 Lê Lợi, phường Đông Hà, tỉnh Quảng Trị",
         "3200123456"),
        ("CÔNG TY TNHH MỘT THÀNH VIÊN CẤP NƯỚC QUẢNG TRỊ", "CNQT", "Số 01 Hùng Vương, phường Đông Hà, tỉnh Quảng Trị",
         "3200098765"),
        ("CÔNG TY CỔ PHẦN DU LỊCH SÔNG HƯƠNG", "SHT", "Số 15 Lê Lợi, phường Thuận Hóa, thành phố Huế", "3300456789"),
        ("HỢP TÁC XÃ NÔNG NGHIỆP THANH TÂN", "HTX", "Thôn Thanh Tân, xã Thanh Thạch, tỉnh Quảng Trị", "3200555123"),
    ]


def company_header(b: B, name: str, address: str, tax: str, *, motto: bool) -> list[Block]:
    items: list[ColumnItem] = [b.centre(name, "B", 12.5), b.centre(f"Địa chỉ: {address}", "R", 11),
                               b.centre(f"Mã số thuế: {tax}", "R", 11), Rule(frac=0.6)]
    if motto:
        return [Columns([Column(12, 88, items), Column(102, 100, motto_lines(b, 12))], space_after=5)]
    return [Columns([Column(25, 160, items)], space_after=5)]


# --- signatures --------------------------------------------------------------------------------------
def sign(b: B, lines: list[str], name: str, *, seal: bool = True, caption: str | None = None,
         noi_nhan: list[str] | None = None, signed_note: bool = False, record: bool = True) -> Columns:
    """The signature block at the right; 'Nơi nhận' at the left; '(Đã ký)' on born-digital copies."""
    rng = b.rng
    right: list[ColumnItem] = [b.centre(s, "B", 13.0) for s in lines]
    if caption:
        right.append(b.centre(caption, "I", 11.5))
    if signed_note:
        right += [Gap(4), b.centre("(Đã ký)", "I", 12.5), Gap(4)]
    else:
        right.append(Sign(rng.choice([20.0, 24.0, 28.0]), seal=seal))
    right.append(b.centre(name, "B", 13.0))
    left: list[ColumnItem] = []
    if noi_nhan:
        left.append(Para([Run("Nơi nhận:", "BI")], size=12, align="left", space_after=0))
        left += [Para([Run(nfc(s))], size=11, align="left", space_after=0, leading=1.15) for s in noi_nhan]
    if record:
        b.meta(chuc_vu_nguoi_ky=" - ".join(lines), nguoi_ky=name)
    x = rng.choice([100.0, 105.0, 110.0])
    return Columns([Column(25, 72, left), Column(x, 200 - x - 5, right)], space_after=2)


def pair_sign(b: B, left_title: str, left_name: str, right_title: str, right_name: str, *,
              caption: str = "(Ký, ghi rõ họ tên)", seal_right: bool = False) -> Columns:
    def col(title: str, name: str, seal: bool) -> list[ColumnItem]:
        shown = name if not b.blank else ""
        items: list[ColumnItem] = [b.centre(title, "B", 13), b.centre(caption, "I", 11.5), Sign(20, seal=seal)]
        if shown:
            items.append(Para([Run(nfc(shown), "H" if b.fill == "hand" else "B")], size=13, align="center"))
        return items

    return Columns([Column(20, 85, col(left_title, left_name, False)),
                    Column(110, 88, col(right_title, right_name, seal_right))], space_after=2)


def citizen_sign(b: B, role: str, name: str, *, caption: str = "(Ký, ghi rõ họ, chữ đệm, tên)",
                 place_date: bool = True) -> Columns:
    """A citizen signs a form at the bottom right, under where and when it was made."""
    items: list[ColumnItem] = []
    if place_date:
        lead = "Làm tại: " if b.rng.random() < 0.5 else ""
        items.append(Para(date_runs(b, lead + b.unit.place if lead else b.unit.place, b.ctx.date), size=12.5,
                          align="center", space_after=2))
        b.meta(dia_danh=b.unit.place, ngay_ban_hanh=b.ctx.date.isoformat())
    items += [b.centre(role, "B", 13), b.centre(caption, "I", 11.5), Sign(18)]
    if not b.blank:
        items.append(Para([Run(nfc(name), "H" if b.fill == "hand" else "B")], size=13, align="center"))
    b.meta(nguoi_ky=name, chuc_vu_nguoi_ky=role.upper() if role.isupper() else role)
    return Columns([Column(98, 100, items)], space_after=2)


def signer(rng: random.Random) -> Person:
    return person(rng, born=(1963, 1992))


def position(rng: random.Random, *, org: str = "ỦY BAN NHÂN DÂN", head: str = "CHỦ TỊCH",
             deputy: str = "PHÓ CHỦ TỊCH") -> list[str]:
    """Authority lines of a signature: TM., KT., TL. and the older T/M, K/T spellings."""
    tm, kt = ("T/M", "K/T") if rng.random() < 0.08 else ("TM.", "KT.")
    return rng.choice([[f"{tm} {org}", head], [f"{tm} {org}", f"{kt} {head}", deputy], [f"{kt} {head}", deputy],
                       [head], [f"TL. {head}", "CHÁNH VĂN PHÒNG"]])


def where(unit: Unit) -> str:
    return unit.commune[0] + ", " + province_label(unit.province) if unit.commune else province_label(unit.province)


__all__ = [
    "CORPORATE_FONTS",
    "DOTS",
    "HANDS",
    "MOTTO_1",
    "MOTTO_2",
    "STATE_FONTS",
    "B",
    "Fill",
    "citizen_sign",
    "company",
    "company_header",
    "date_runs",
    "doc_number",
    "form_header",
    "issuer_lines",
    "motto_lines",
    "pair_sign",
    "position",
    "sign",
    "signer",
    "so_line",
    "start",
    "state_header",
    "where",
]
