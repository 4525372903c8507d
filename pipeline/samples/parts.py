"""Building blocks shared by the templates: the Decree 30 header, signature block, motto, signers."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from pipeline.samples.content import Person, Unit, nfc, parent_line, person, place_date
from pipeline.samples.model import Column, ColumnItem, Columns, Gap, Para, Rule, Run, Sign, centre, para

MOTTO_1 = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"


@dataclass
class Ctx:
    """What a template needs to know about the document it writes."""

    rng: random.Random
    unit: Unit
    date: dt.date  # issue date
    dossier: str | None = None
    procedure: str | None = None
    long: bool = False  # may spill onto a second page
    meta: dict[str, str] = field(default_factory=dict)
    # A slip's QR code: None prints the bare dossier code (the default), "" no code at all, any other
    # text is the payload as printed (key=value pairs, JSON, a URL...); `qr_damaged` smudges it.
    qr: str | None = None
    qr_damaged: bool = False


def number(rng: random.Random, d: dt.date) -> int:
    """Numbers restart each year; late in the year they are larger."""
    doy = d.timetuple().tm_yday
    return max(1, int(rng.uniform(0.5, 1.5) * doy * rng.choice([0.3, 0.8, 2.0])))


def header(ctx: Ctx, *, so: str | None, issuer: str | None = None, parent: str | bool | None = True,
           vv: str | None = None, place: str | None = None, date: dt.date | None = None,
           motto: bool = True) -> Columns:
    """Decree 30 header: issuing body and number on the left, national title and place-date right."""
    rng = ctx.rng
    body = issuer or ctx.unit.body
    left: list[ColumnItem] = []
    par = parent_line(rng, ctx.unit) if parent is True else (parent or None)
    if par:
        left.append(centre(par, "R", 12.5))
    left += [*body_lines(body, 82), Rule(0.4), Gap(1.5)]
    if so:
        left.append(centre(f"Số: {so}", "R", 13))
    if vv:
        left += [Gap(1), Para([Run(vv)], size=12, align="center", space_after=0)]
    right: list[ColumnItem] = []
    if motto:
        right += [centre(MOTTO_1, "B", 12.5), centre(MOTTO_2, "B", 13.5), Rule(1.0), Gap(3)]
    d = date or ctx.date
    pl = place or ctx.unit.place
    right.append(centre(place_date(pl, d), "I", 13.5))
    ctx.meta.update(co_quan_ban_hanh=body, ngay_ban_hanh=d.isoformat(), dia_danh=pl)
    return Columns([Column(14, 82, left), Column(97, 106, right)], space_after=6)


def body_lines(text: str, col_mm: float, size: float = 12.5) -> list[ColumnItem]:
    """The issuing body, broken the way clerks break it: after 'ỦY BAN NHÂN DÂN' when too wide."""
    from pipeline.samples.layout import width

    if width(text, "B", size) <= col_mm * 2.835 - 4:
        return [centre(text, "B", size)]
    for head in ("ỦY BAN NHÂN DÂN ", "HỘI ĐỒNG NHÂN DÂN ", "UBND "):
        if text.startswith(head):
            return [centre(head.strip(), "B", size), centre(text[len(head):], "B", size)]
    return [centre(text, "B", size)]


def motto_block() -> list[ColumnItem]:
    return [centre(MOTTO_1, "B", 13), centre(MOTTO_2, "B", 14), Rule(1.0)]


def motto_centre() -> Columns:
    """Forms carry only the national title, centred across the page."""
    return Columns([Column(30, 165, motto_block())], space_after=6)


# Signers: the lines of the position block, top to bottom.
def signer_lines(rng: random.Random, org: str = "ỦY BAN NHÂN DÂN", collective: bool = True) -> list[str]:
    if collective:
        return rng.choice([[f"TM. {org}", "CHỦ TỊCH"], [f"TM. {org}", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
                           ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]])
    return rng.choice([["CHỦ TỊCH"], ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]])


def official(rng: random.Random) -> Person:
    return person(rng, born=(1965, 1990))


def signature(ctx: Ctx, lines: list[str], name: str, noi_nhan: list[str] | None = None, *,
              seal: bool = True, record: bool = True) -> Columns:
    right: list[ColumnItem] = [centre(s, "B", 13.5) for s in lines]
    right += [Sign(28, seal=seal), centre(name, "B", 13.5)]
    left: list[ColumnItem] = []
    if noi_nhan:
        left.append(Para([Run("Nơi nhận:", "BI")], size=12, align="left", space_after=0))
        left += [Para([Run(s)], size=11, align="left", space_after=0, leading=1.15) for s in noi_nhan]
    if record:
        ctx.meta.update(chuc_vu_nguoi_ky=nfc(" - ".join(lines)), nguoi_ky=name)
    return Columns([Column(30, 75, left), Column(105, 92, right)], space_after=2)


def two_signatures(left_title: str, left_name: str, right_title: str, right_name: str,
                   note: str = "(Ký, ghi rõ họ tên)", seal_right: bool = False) -> Columns:
    def col(title: str, name: str, seal: bool) -> list[ColumnItem]:
        return [centre(title, "B", 13), centre(note, "I", 12), Sign(22, seal=seal), centre(name, "B", 13)]

    return Columns([Column(25, 80, col(left_title, left_name, False)),
                    Column(110, 88, col(right_title, right_name, seal_right))], space_after=2)


def article(n: int, text: str) -> Para:
    return Para([Run(f"Điều {n}.", "B"), Run(text)], indent=10)


def body(text: str, font: str = "R") -> Para:
    return para(nfc(text), font, indent=10)  # type: ignore[arg-type]


def item(text: str) -> Para:
    return para(nfc(text), indent=10, space_after=2)


def title_block(title: str, abstract: str | None, size: float = 14) -> list[Para | Rule | Gap]:
    out: list[Para | Rule | Gap] = [centre(title, "B", size, space_after=1)]
    if abstract:
        out.append(Para([Run(abstract, "B")], size=size, align="center", space_after=0))
        out.append(Rule(mm=40))
    out.append(Gap(4))
    return out


def field_line(label: str, value: str, size: float = 13, value_font: str = "R") -> Para:
    """A filled form field: 'Label: value' (the hand-written value in the same line)."""
    return Para([Run(f"{label}:"), Run(value, value_font)],  # type: ignore[arg-type]
                size=size, align="left", space_after=1.5)


def fields_row(pairs: list[tuple[str, str]], size: float = 13) -> Para:
    """Several short fields on one line, as forms print Giới tính, Dân tộc, Quốc tịch."""
    runs: list[Run] = []
    for i, (label, value) in enumerate(pairs):
        runs += [Run(f"{label}:", gap=0.0 if i == 0 else 8.0), Run(value)]
    return Para(runs, size=size, align="left", space_after=1.5)
