"""Handwritten digits, one glyph at a time: a small classifier trained on scikit-learn's bundled
handwritten digits (`load_digits`, the UCI "optdigits" set: 1,797 digits written by 43 people,
8 x 8 blocks counting the ink of a 32 x 32 bitmap), for the strokes a clerk writes into a header's gap.

Tesseract reads one line of those strokes well when the digits are plain and apart, and drops or
confuses the rest ("4" for "24", "514" for "574", "04" for a "01" whose 1 has a flag); read glyph by
glyph, as the set's digits were written, they come out right more often (pipeline/read/slots.py
votes the two). Trained on first use in each process (0.06 s, 0.7 s with
scikit-learn's import), nothing downloaded or stored.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from PIL import Image
from scipy import ndimage
from sklearn.svm import SVC

SIDE = 32  # the bitmap the set's digits were drawn in, before its 4 x 4 blocks were counted
BLOCK = 4
MAX_SLANT = 0.4  # of x per y, about 22 degrees


@cache
def _model() -> SVC:
    from sklearn.datasets import load_digits

    data = load_digits()
    model = SVC(gamma=0.001, C=10.0)
    model.fit(data.data, data.target)
    return model


def features(glyph: np.ndarray) -> np.ndarray:
    """One glyph (a boolean ink mask cropped to it) as the set's digits are: upright (`upright`), scaled
    to fill the height of a 32 x 32 bitmap, its width in proportion and centred, then 8 x 8 counts of
    ink (0-16)."""
    glyph = upright(glyph)
    h, w = glyph.shape
    scale = SIDE / max(h, w * 1.0)
    nh, nw = max(1, round(h * scale)), max(1, round(w * scale))
    img = Image.fromarray((glyph * 255).astype(np.uint8), mode="L").resize((nw, nh), Image.Resampling.BILINEAR)
    box = np.zeros((SIDE, SIDE), dtype=bool)
    top, left = (SIDE - nh) // 2, (SIDE - nw) // 2
    box[top:top + nh, left:left + nw] = np.asarray(img) >= 128
    return box.reshape(SIDE // BLOCK, BLOCK, SIDE // BLOCK, BLOCK).sum(axis=(1, 3)).ravel().astype(float)


def upright(glyph: np.ndarray) -> np.ndarray:
    """A glyph sheared upright by its own slant (its second moments), up to MAX_SLANT: a clerk's hand
    leans right, by about 10 degrees on the real set's scans, the set's digits hardly at all (read
    upright, 77 % of the real set's pen glyphs came out right, against 70 % as written)."""
    rows, cols = np.nonzero(glyph)
    if len(rows) < 2:
        return glyph
    dy, dx = rows - rows.mean(), cols - cols.mean()
    var = float((dy * dy).mean())
    slant = float(np.clip((dy * dx).mean() / var, -MAX_SLANT, MAX_SLANT)) if var else 0.0  # x per y, y down
    if abs(slant) < 0.02:
        return glyph
    h, w = glyph.shape
    wide = w + int(abs(slant) * h) + 1
    # output (x, y) takes the glyph's (x + slant * y - shift, y): the lean is undone, the glyph kept in frame
    shift = slant * h if slant > 0 else 0.0
    img = Image.fromarray((glyph * 255).astype(np.uint8), mode="L").transform(
        (wide, h), Image.Transform.AFFINE, (1, slant, -shift, 0, 1, 0), resample=Image.Resampling.BILINEAR)
    out = np.asarray(img) >= 128
    rows, cols = np.nonzero(out)
    return out[rows.min():rows.max() + 1, cols.min():cols.max() + 1] if len(rows) else glyph


def glyphs(ink: np.ndarray) -> list[np.ndarray]:
    """The digits of a line of pen strokes (boolean, strokes only), left to right: connected strokes,
    those stacked over one another joined, a short stroke (a 5's flag, the bar across a 7) joined to the
    digit it overlaps most, a blob much wider than tall (two digits that touch) cut in equal parts."""
    labels, _ = ndimage.label(ink, structure=np.ones((3, 3), dtype=bool))
    boxes = [[s[1].start, s[1].stop, s[0].start, s[0].stop] for s in ndimage.find_objects(labels) if s is not None]
    height = max((b[3] - b[2] for b in boxes), default=0)
    tall = sorted((b for b in boxes if b[3] - b[2] >= 0.5 * height), key=lambda b: b[0])
    spans: list[list[int]] = []  # x0, x1, y0, y1 of each digit
    for x0, x1, y0, y1 in tall:
        if spans:
            last = spans[-1]
            overlap = min(last[1], x1) - max(last[0], x0)
            if overlap > 0.5 * min(last[1] - last[0], x1 - x0):
                last[:] = [min(last[0], x0), max(last[1], x1), min(last[2], y0), max(last[3], y1)]
                continue
        spans.append([x0, x1, y0, y1])
    for x0, x1, y0, y1 in (b for b in boxes if b[3] - b[2] < 0.5 * height):
        overlaps = [min(s[1], x1) - max(s[0], x0) for s in spans]
        if not overlaps or max(overlaps) <= 0:
            continue  # a speck, a stroke of the rule under the line: no digit's
        s = spans[overlaps.index(max(overlaps))]
        s[:] = [min(s[0], x0), max(s[1], x1), min(s[2], y0), max(s[3], y1)]
    out = []
    for x0, x1, y0, y1 in spans:
        parts = max(1, int((x1 - x0) / (0.55 * height))) if height else 1  # a digit is at most as wide as tall
        step = (x1 - x0) / parts
        for p in range(parts):
            cut = ink[y0:y1, int(x0 + p * step):int(x0 + (p + 1) * step)]
            rows, cols = np.nonzero(cut)
            if len(rows):
                out.append(cut[rows.min():rows.max() + 1, cols.min():cols.max() + 1])
    return out


def read_glyphs(ink: np.ndarray) -> str:
    """The digits of a line of pen strokes, glyph by glyph."""
    found = glyphs(ink)
    if not found:
        return ""
    return "".join(str(d) for d in _model().predict(np.stack([features(g) for g in found])))
