"""A tiny document model between the templates (what is written) and the layout (where it goes).

Templates build a `Doc` out of blocks; `layout.render` places them on A4 pages and returns the PDF
and the text it drew. Keeping the two apart lets the label's `text` be exactly what was drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from schemas.document import Party

# M: monospace, for the machine-readable zone of an ID card; H: a value filled in by hand (blue ink, the
# italic of the document's `hand` font set, off the baseline).
Font = Literal["R", "B", "I", "BI", "M", "H"]
Align = Literal["left", "center", "right", "justify"]


@dataclass(frozen=True)
class Run:
    text: str
    font: Font = "R"
    gap: float = 0.0  # extra room before the run, mm: separates fields printed on one line


@dataclass
class Para:
    """A paragraph wrapped to the width it is given; `runs` may mix fonts (bold "Điều 1." etc.)."""

    runs: list[Run]
    size: float = 13.0
    align: Align = "justify"
    indent: float = 0.0  # first-line indent, mm
    left: float = 0.0  # left indent of every line, mm
    space_after: float = 3.0  # pt
    leading: float = 1.22  # line height as a multiple of the size


def para(text: str, font: Font = "R", size: float = 13.0, align: Align = "justify", **kw: float) -> Para:
    return Para([Run(text, font)], size=size, align=align, **kw)  # type: ignore[arg-type]


def centre(text: str, font: Font = "R", size: float = 13.0, space_after: float = 0.0) -> Para:
    return Para([Run(text, font)], size=size, align="center", space_after=space_after)


@dataclass
class Gap:
    mm: float


@dataclass
class Rule:
    """A short horizontal line under the previous line, as under the issuing body and the motto."""

    frac: float = 1.0  # of the previous line's width
    mm: float | None = None  # or an absolute length


@dataclass
class Sign:
    """Room for a handwritten signature, with the body's red seal over it when `seal` is set."""

    height: float = 24.0  # mm
    seal: bool = False


ColumnItem = Para | Gap | Rule | Sign


@dataclass
class Column:
    x: float  # mm from the page's left edge
    width: float  # mm
    items: Sequence[ColumnItem]


@dataclass
class Columns:
    """Side-by-side blocks (header, signature); read column by column, left first."""

    columns: list[Column]
    space_after: float = 4.0  # mm


@dataclass
class Table:
    rows: list[list[str]]
    widths: list[float]  # mm, summing to at most the text width
    size: float = 12.0
    header: bool = True  # first row bold
    space_after: float = 3.0  # mm


@dataclass
class QR:
    data: str
    mm: float = 20.0
    damaged: bool = False  # a smudge over a finder pattern and much of the code: unreadable


@dataclass
class Card:
    """A photocopied ID card side: a rounded frame with small text, an optional photo box."""

    items: list[Para]
    width: float = 125.0  # mm: the 86 x 54 mm card, enlarged as copies for dossiers usually are
    height: float = 80.0
    photo: bool = False
    space_after: float = 6.0


Block = Para | Gap | Rule | Columns | Table | QR | Card


@dataclass
class Doc:
    doc_type: str
    blocks: list[Block]
    metadata: dict[str, str] = field(default_factory=dict)
    parties: list[Party] = field(default_factory=list)  # ground truth of the people besides the citizen
    fonts: str = "liberation-serif"  # a key of layout.FONTSETS
    hand: str | None = None  # the font set whose italic draws hand-written fills ("H" runs)
    fill: str = "typed"  # how a form's values are filled: typed, hand (written in) or blank (a template)
