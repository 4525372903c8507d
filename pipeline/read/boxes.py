"""Rows of boxes, one character a box, and how tesseract is made to read them.

Official forms print a personal identity number (and other codes) in a row of boxes, one digit a
box: "4. Số định danh cá nhân: |0|1|1|3|0|0|0|0|2|9|5|6|" (CT01 of Thông tư 66/2023/TT-BCA, the
CCCD tờ khai). Tesseract reads the box borders as digits and letters ("01111131010 l10]10 129)|5.16")
and the number is lost. Here the rows are found on the page's ink and their borders erased in the
copy tesseract reads, so that the page's one reading sees "0 1 1 3 0 0 0 0 2 9 5 6" where they were;
the page shown and kept is not touched (pipeline/read/ocr.py).

A row of boxes (`find_rows`): at least MIN_CELLS adjacent cells of about the same width (GAP_SPREAD),
each about as wide as it is high (CELL_ASPECT), between two horizontal rules that its bars join and
end at. A table's cells are wide and uneven, and its bars run on through its other rows: neither is
taken for a row of boxes.

How, on the page's ink pooled to about 100 dpi (a box is then 20-35 pixels), with numpy:
1. rules: in vertical strips a few millimetres wide, the pixel rows inked across the strip (a rule
   is level within a strip at the skew deskew leaves, under 2 degrees);
2. bands: two rules 3.5-16 mm apart with none between them, followed from strip to strip (a scanned
   rule may fade for a strip or two);
3. bars: the columns of a band's inside inked from one rule to the other (most of the way: a
   scan's bar fades too), a chain of them at a regular spacing about a box wide, a digit's stroke
   between them passed over.
9 ms a page on average (20 generated scans and photos at 200-300 dpi, 16 ms at most), against
2-3 s for the page's OCR; a page without rows of boxes is then read exactly as before. The erasing
(`erase`) works on the page's own pixels, in the rows found only.

Measured: on the real set's 144 scanned pages the one page with rows of boxes (a CT01, its two
identity numbers) and nothing else; its number, lost before, read right.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from PIL import Image

DETECT_DPI = 100.0
STRIP_MM = 6.0
SKIP = 2  # strips a band's rules may fade for
MIN_CELLS = 6
BOX_MM = (3.5, 16.0)  # the height of a box, rule to rule
CELL_ASPECT = (0.45, 2.2)  # a cell's width over its height
GAP_SPREAD = 0.2  # each cell's width within this share of the row's median
RULE_FILL = 0.85  # share of a strip's (or a cell's) width a rule inks
BAR_FILL = 0.7  # share of a band's inside a bar inks (a scan's bar fades in places)
MAX_SLOPE = 0.035  # tan(2 degrees): what deskew leaves (preprocess.MIN_SKEW) and its error


@dataclass(frozen=True)
class Row:
    """A row of boxes in page pixels: the x of each bar, left to right; the top and bottom rules'
    middle lines as y = y0 + slope * (x - xs[0]); how thick its rules and bars are."""

    xs: tuple[int, ...]
    top: float
    bottom: float
    slope: float
    rule: int
    bar: int

    @property
    def cells(self) -> int:
        return len(self.xs) - 1

    @property
    def box(self) -> tuple[int, int, int, int]:
        """(left, top, right, bottom), borders included."""
        drop = self.slope * (self.xs[-1] - self.xs[0])
        half = self.rule // 2 + 1
        return (self.xs[0] - self.bar, round(self.top + min(0.0, drop)) - half, self.xs[-1] + self.bar,
                round(self.bottom + max(0.0, drop)) + half)


def pooled_ink(img: Image.Image, f: int) -> np.ndarray:
    """The ink of a grey page reduced by `f` both ways: a pixel is inked when the darkest of its f x f
    is darker than 60 % of the paper (the 90th percentile). A thin rule stays whole: averaging makes a
    1-pixel rule at 200 dpi half as dark. (Taking the darkest by strided slices: 5 ms for a 300 dpi
    page, against 45 ms for numpy's any() over a reshaped mask.)"""
    a = np.asarray(img if img.mode == "L" else img.convert("L"))
    paper = float(np.percentile(a[::16, ::16], 90)) if a.size else 255.0
    h, w = (a.shape[0] // f) * f, (a.shape[1] // f) * f
    darkest = a[0:h:f, 0:w:f].copy()
    for i in range(f):
        for j in range(f):
            np.minimum(darkest, a[i:h:f, j:w:f], out=darkest)
    return np.asarray(darkest < paper * 0.6)


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of the runs of True in a 1-d array, end exclusive."""
    edge = np.diff(np.concatenate(([0], flags.astype(np.int8), [0])))
    return list(zip(np.flatnonzero(edge == 1).tolist(), np.flatnonzero(edge == -1).tolist(), strict=True))


def _strip_rules(m: np.ndarray, strip: int) -> list[list[tuple[float, int]]]:
    """Per strip, the rules crossing it: (middle row, thickness in rows)."""
    h, w = m.shape
    n = w // strip
    # A rule that climbs a row within the strip (skew) still fills it, once the rows either side count.
    lean = m.copy()
    lean[1:] |= m[:-1]
    lean[:-1] |= m[1:]
    fill = lean[:, : n * strip].reshape(h, n, strip).mean(axis=2) >= RULE_FILL
    return [[((a + b - 1) / 2, max(1, b - a - 2)) for a, b in _runs(fill[:, s])] for s in range(n)]


def _bands(rules: list[list[tuple[float, int]]], lo: float, hi: float) -> list[list[tuple[int, float, float, int]]]:
    """Pairs of rules lo-hi pixels apart with no rule between them, followed from strip to strip:
    each a list of (strip, top, bottom, thickness)."""
    done: list[list[tuple[int, float, float, int]]] = []
    open_: list[list[tuple[int, float, float, int]]] = []
    for s, found in enumerate(rules):
        # a chain waits SKIP strips for its rules: a scanned rule fades in places
        done.extend(c for c in open_ if c[-1][0] < s - 1 - SKIP)
        open_ = [c for c in open_ if c[-1][0] >= s - 1 - SKIP]
        pairs = [(t, b, max(tt, bt)) for (t, tt), (b, bt) in pairwise(found) if lo <= b - t <= hi]
        for t, b, k in pairs:
            chain = next((c for c in open_ if c[-1][0] < s and abs(c[-1][1] - t) <= 2 + (s - c[-1][0] - 1)
                          and abs(c[-1][2] - b) <= 2 + (s - c[-1][0] - 1)), None)
            if chain is None:
                open_.append([(s, t, b, k)])
            else:
                chain.append((s, t, b, k))
    done.extend(open_)
    return [c for c in done if len(c) >= 2]


def _row_in(m: np.ndarray, band: list[tuple[int, float, float, int]], strip: int, f: int) -> Row | None:
    """The row of boxes in a band between two rules, if its inside shows one: bars at a regular
    spacing about a box wide, from one rule to the other and ending there, and the rules inked
    between them."""
    h, w = m.shape
    centres = np.array([(s + 0.5) * strip for s, _, _, _ in band])
    tops, bottoms = np.array([t for _, t, _, _ in band]), np.array([b for _, _, b, _ in band])
    slope = float(np.polyfit(centres, tops + bottoms, 1)[0] / 2)
    if abs(slope) > MAX_SLOPE:
        return None
    x0, x1 = max(0, (band[0][0] - 1) * strip), min(w, (band[-1][0] + 2) * strip)
    xs = np.arange(x0, x1)
    top_at = float(np.mean(tops - slope * centres)) + slope * xs
    bottom_at = float(np.mean(bottoms - slope * centres)) + slope * xs
    thick = max(k for _, _, _, k in band)
    height = float(np.mean(bottoms - tops))
    inner = max(2, int(height) - thick - 3)
    # the band's inside straightened, column by column, from just under the top rule
    rows = np.round(top_at).astype(int)[None, :] + thick // 2 + 2 + np.arange(inner)[:, None]
    inside = m[np.clip(rows, 0, h - 1), xs[None, :]]
    inside[:, 1:] |= inside[:, :-1].copy()  # a bar that leans a pixel over its height (skew)
    fill = inside.mean(axis=0)
    runs = [(a, b) for a, b in _runs(fill >= BAR_FILL) if b - a <= max(3, inner // 3)]
    best = _regular([((a + b - 1) / 2, float(fill[a:b].max())) for a, b in runs], height)
    if len(best) - 1 < MIN_CELLS:
        return None
    at = [round(x) for x in best]
    for edge in (top_at, bottom_at):  # the rules along every cell
        for a, b in pairwise(at):
            ys = np.round(edge[a:b]).astype(int)
            hit = np.zeros(b - a, dtype=bool)
            for d in range(-(thick // 2) - 1, thick // 2 + 2):
                hit |= m[np.clip(ys + d, 0, h - 1), xs[a:b]]
            if hit.mean() < RULE_FILL:
                return None
    reach = max(2, int(height * 0.4))
    run_on = 0  # bars that go on above or below the rules: a table's grid
    for x in at:
        cols = slice(max(0, int(xs[x]) - 1), int(xs[x]) + 2)
        up, down = round(top_at[x]) - thick // 2 - 2, round(bottom_at[x]) + thick // 2 + 2
        above = m[max(0, up - reach):max(0, up), cols].any(axis=1)
        below = m[down:min(h, down + reach), cols].any(axis=1)
        run_on += bool(above.size and above.mean() >= BAR_FILL) or bool(below.size and below.mean() >= BAR_FILL)
    if run_on > len(at) // 3:
        return None
    bar = max(b - a for a, b in runs)
    return Row(xs=tuple(int(xs[x]) * f + f // 2 for x in at), top=float(top_at[at[0]]) * f + f / 2,
               bottom=float(bottom_at[at[0]]) * f + f / 2, slope=slope, rule=thick * f, bar=bar * f)


def _regular(bars: list[tuple[float, float]], height: float) -> list[float]:
    """The longest chain of bars (x, fill) at about the same spacing, a box wide (CELL_ASPECT of
    `height`): from each pair that sets a spacing, the best-filled bar where the next is due, and so
    on. A digit's stroke between two bars (a "1", the side of a "0") is passed over."""
    best: list[float] = []
    xs = [x for x, _ in bars]
    for i, (a, _) in enumerate(bars):
        for b, _ in bars[i + 1:]:
            gap = b - a
            if gap > CELL_ASPECT[1] * height:
                break
            if gap < CELL_ASPECT[0] * height:
                continue
            chain = [a, b]
            while True:
                due, tol = chain[-1] + gap, GAP_SPREAD * gap + 1
                near = [(fill, x) for x, fill in bars[bisect_left(xs, due - tol):] if x <= due + tol]
                if not near:
                    break
                chain.append(max(near)[1])
                gap = (chain[-1] - chain[0]) / (len(chain) - 1)
            if len(chain) > len(best):
                best = chain
    return best


def find_rows(img: Image.Image, dpi: float) -> list[Row]:
    """The rows of boxes on a grey page, in its pixels, top to bottom."""
    f = max(1, round(dpi / DETECT_DPI))
    m = pooled_ink(img, f)
    px_mm = dpi / f / 25.4
    strip = max(8, round(STRIP_MM * px_mm))
    bands = _bands(_strip_rules(m, strip), BOX_MM[0] * px_mm, BOX_MM[1] * px_mm)
    rows = [r for band in bands if (r := _row_in(m, band, strip, f)) is not None]
    return sorted(rows, key=lambda r: r.top)


def erase(img: Image.Image, rows: list[Row]) -> Image.Image:
    """A copy of the grey page with the rules and bars of `rows` painted as its paper, and the rows'
    paper made even. Where each rule and bar lies is measured again on the page's own pixels, near
    where `find_rows` saw it, cell by cell along a rule (a rule's slope over a whole row is known to a
    pixel or two, over a cell it does not matter): the rows (columns for a bar) a few pixels either
    side that the stroke inks most of, faded grey included (tesseract's own threshold may still see
    it), and a pixel more each side."""
    a = np.array(img)
    sample = a[::16, ::16]
    light = float(np.percentile(sample, 90)) if a.size else 255.0
    ink = a < light * 0.8
    # Painted as the paper's middle grey, and the grain inside a row evened to it: the lighter paper of
    # the 90th percentile left a ghost of the grid, and grain between far-apart digits, which
    # tesseract's recognition (on the grey line image) read as dots and colons.
    paper = float(np.median(sample[sample >= light * 0.8])) if (sample >= light * 0.8).any() else light
    h, w = a.shape
    for r in rows:
        reach = r.rule + r.bar + 3
        offsets = np.arange(-reach, reach + 1)
        edges = (max(0, r.xs[0] - r.bar), *r.xs[1:-1], min(w, r.xs[-1] + r.bar + 1))
        for y in (r.top, r.bottom):
            for xa, xb in pairwise(edges):
                xs = np.arange(xa, xb)
                line = np.round(y + r.slope * (xs - r.xs[0])).astype(int)
                ys = np.clip(line[None, :] + offsets[:, None], 0, h - 1)
                band = _strongest(ink[ys, xs[None, :]].mean(axis=1))
                if band is not None:
                    for d in range(offsets[band[0]] - 1, offsets[band[1] - 1] + 2):
                        a[np.clip(line + d, 0, h - 1), xs] = paper
        for x in r.xs:
            top = round(r.top + r.slope * (x - r.xs[0]))
            bottom = round(r.bottom + r.slope * (x - r.xs[0]))
            ya, yb = max(0, top - r.rule), min(h, bottom + r.rule + 1)
            cols = np.arange(max(0, x - reach), min(w, x + reach + 1))
            band = _strongest(ink[ya:yb, cols].mean(axis=0))
            if band is not None:
                a[ya:yb, max(0, int(cols[band[0]]) - 1):int(cols[band[1] - 1]) + 2] = paper
        bx0, by0, bx1, by1 = r.box
        cut = a[max(0, by0 - 2):by1 + 3, max(0, bx0 - 2):bx1 + 3]
        cut[cut >= light * 0.85] = paper
    return Image.fromarray(a, "L")


def _strongest(fill: np.ndarray) -> tuple[int, int] | None:
    """The run of `fill` at 30 % or more that holds its highest value: a rule or a bar across the
    profile, not a digit's stroke beside it."""
    runs = _runs(fill >= 0.3)
    if not runs:
        return None
    return max(runs, key=lambda ab: float(fill[ab[0]:ab[1]].max()))
