"""The page as laid out: OCR word boxes joined into cells (one printed line of one column), so
the header's left column and the signature block are read apart from what shares their row."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.understand.extract.base import has_text
from pipeline.vn.text import normalize
from schemas.tasks import PageResult


# --- layout from OCR word boxes -----------------------------------------------------------------------
@dataclass(frozen=True)
class Cell:
    """A run of words on one printed line of one column: where it lies and what it says."""

    x0: int
    x1: int
    top: int
    bottom: int
    text: str


def layout_cells(page: PageResult) -> list[Cell]:
    """The page's words joined into cells, top to bottom: words on the same printed line (their
    boxes overlap vertically by 60 % of the smaller one) and closer than a column gutter.

    Tesseract reads a merged row of two columns as one line ("- Lưu: VT, KT. CHỦ TỊCH"), and the
    two columns' lines need not share a baseline; cells give back each column's lines as printed.
    Coordinates are those of the OCR copy (already turned upright, so its width is the page's
    reading width)."""
    width = page.width_px or 0
    if width <= 0 or not page.words:
        return []
    # Specks of a seal or a signature come out as one or two letters with no confidence: not text.
    words = sorted((w for w in page.words if not (w.conf < 20 and len(w.text) <= 2) and w.height > 0),
                   key=lambda w: w.top)
    gutter = width * 0.035
    parent = list(range(len(words)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    texty = [has_text(w.text) for w in words]
    for i, a in enumerate(words):
        for j in range(i + 1, len(words)):
            b = words[j]
            if b.top > a.top + a.height:
                break  # sorted by top: no later word reaches this one's line
            overlap = min(a.top + a.height, b.top + b.height) - max(a.top, b.top)
            if overlap < 0.6 * min(a.height, b.height):
                continue
            gap = max(b.left - (a.left + a.width), a.left - (b.left + b.width))
            # a speck of punctuation in the gutter ("TRỊ ˆ CỘNG") does not bridge it
            reach = gutter if texty[i] and texty[j] else gutter / 2
            if gap <= reach:
                parent[root(j)] = root(i)
    groups: dict[int, list[int]] = {}
    for i in range(len(words)):
        groups.setdefault(root(i), []).append(i)
    cells = []
    for group in groups.values():
        if not any(texty[i] for i in group):
            continue
        members = sorted((words[i] for i in group), key=lambda w: w.left)
        tops = sorted(w.top for w in members)
        bottoms = sorted(w.top + w.height for w in members)
        cells.append(Cell(members[0].left, max(w.left + w.width for w in members), tops[len(tops) // 2],
                           bottoms[len(bottoms) // 2], normalize(" ".join(w.text for w in members))))
    cells.sort(key=lambda c: (c.top + c.bottom, c.x0))
    return cells


def column_of(cells: list[Cell], width: int, side: str) -> list[Cell]:
    """The cells of the left or right half of the page (by their centre), top to bottom."""
    if side == "left":
        return [c for c in cells if (c.x0 + c.x1) / 2 < width * 0.5]
    return [c for c in cells if (c.x0 + c.x1) / 2 >= width * 0.5]
