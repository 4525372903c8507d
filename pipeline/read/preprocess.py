"""Prepare a page image for OCR only: upright (0/90/180/270), deskewed, at a sane resolution.

The stored image is never touched; what is computed here is the copy tesseract reads and the
geometry (`turn`, `skew`) needed to lay the text layer back over the original page.

Everything is measured on a ~100 dpi grey copy with numpy, so the analysis costs a few tens of
milliseconds against tesseract's seconds (DESIGN.md: the pipeline's overhead is what to cut):
- skew: text lines make the row profile of the ink spiky; the angle that makes it spikiest wins.
  The page is cut into vertical strips whose row profiles are shifted against each other instead
  of rotating the image for every candidate angle (a shear, exact enough below 10 degrees).
- 0/180 vs 90/270: the same spikiness measured on rows and on columns.
- 0 vs 180: in Latin script, and even more in Vietnamese with its tone marks above, a line has
  more ink above its x-height band (capitals, ascenders, marks) than below it (descenders, the
  dot below). When the page is too sparse to tell, tesseract's own OSD decides (about a second,
  so only then).
No binarisation for tesseract itself: global Otsu made it worse on clean and mildly degraded
pages (DESIGN.md); the thresholded copy is for the analysis only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pytesseract
from PIL import Image

ANALYSIS_DPI = 100.0
MAX_SKEW = 8.0  # degrees; beyond this a page is a photo of a page, not a skewed scan
SKEW_STEP = 0.1
MIN_SKEW = 0.2  # tesseract copes with less; rotating the full page costs ~50-100 ms
STRIPS = 24
# Mean over line pieces of log(above/below), ink around the x-height band. On 48 generated pages
# (clean, scan, photo) upright ones scored 0.13 to 0.63, turned ones the mirror; a short page of
# capitals scores near 0 either way. Within the margin tesseract's OSD decides.
UPRIGHT_MARGIN = 0.1
MIN_LINES = 4

Orientation = Literal[0, 90, 180, 270]


@dataclass(frozen=True)
class Geometry:
    """How the OCR copy was made from the page image: turned `turn` degrees counter-clockwise (PIL's
    sense) in whole quarter turns, then `skew` degrees counter-clockwise about its centre."""

    turn: int = 0
    skew: float = 0.0
    decided_by: Literal["profile", "osd", "none"] = "none"
    ink: float = 0.0  # share of the analysis copy that is ink: a blank separator page has next to none

    @property
    def identity(self) -> bool:
        return self.turn == 0 and self.skew == 0.0


def analysis_copy(img: Image.Image, dpi: float) -> np.ndarray:
    """Ink mask (True = ink) of a grey ~100 dpi copy, robust to uneven lighting and to the desk
    around a photographed page."""
    factor = max(1, round(dpi / ANALYSIS_DPI))
    # Reduce first, convert after: converting a 300 dpi colour page to grey costs more than the
    # whole analysis.
    small = img.reduce(factor) if factor > 1 and img.mode in ("L", "RGB") else img
    if small.mode != "L":
        small = small.convert("L")
        if factor > 1 and img.mode not in ("L", "RGB"):
            small = small.reduce(factor)
    w, h = small.size
    # The outer margin holds page edges, the desk and scanner-lid shadows, never text lines; left
    # in, its columns of dark pixels look like the lines of a page turned by a quarter.
    mx, my = w // 16, h // 24
    small = small.crop((mx, my, w - mx, h - my))
    w, h = small.size
    a = np.asarray(small, dtype=np.float32)
    # Background by a coarse box average: a phone photo's light falls off across the page, so ink
    # is "clearly darker than its surroundings", not "darker than a global threshold".
    bg = np.asarray(small.reduce((max(1, w // 24), max(1, h // 24))).resize((w, h), Image.Resampling.BILINEAR),
                    dtype=np.float32)
    ink: np.ndarray = (a < bg * 0.7) & (a < bg - 45.0)
    return ink


def _strip_profiles(ink: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row profiles of vertical strips (strips x rows) and the x centre of each strip."""
    w = ink.shape[1]
    n = max(1, min(STRIPS, w // 8))
    edges = np.linspace(0, w, n + 1).astype(int)
    prof = np.stack([ink[:, edges[i] : edges[i + 1]].sum(axis=1) for i in range(n)]).astype(np.float64)
    centres = (edges[:-1] + edges[1:]) / 2.0 - w / 2.0
    return prof, centres


def _sheared(prof: np.ndarray, centres: np.ndarray, angle: float) -> np.ndarray:
    """The page's row profile once it is turned `angle` degrees counter-clockwise.

    Turning the page counter-clockwise moves content right of the centre up: in the unturned page a
    line at row y sits at y - x*tan(angle) in strip x... so row y of the turned page collects row
    y - x*tan(angle) of each strip.
    """
    n, h = prof.shape
    out = np.zeros(h + 2 * h, dtype=np.float64)
    t = math.tan(math.radians(angle))
    for i in range(n):
        d = round(-centres[i] * t)
        out[h + d : 2 * h + d] += prof[i]
    return out[h : 2 * h]


def _spikiness(profile: np.ndarray) -> float:
    total = profile.sum()
    if total <= 0:
        return 0.0
    return float((profile**2).sum() / (total * total) * len(profile))


def estimate_skew(ink: np.ndarray) -> tuple[float, float]:
    """(angle, spikiness): the counter-clockwise turn in degrees that makes the text lines level."""
    prof, centres = _strip_profiles(ink)
    best, best_score = 0.0, -1.0
    coarse = np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, 0.5)
    for a in coarse:
        s = _spikiness(_sheared(prof, centres, float(a)))
        if s > best_score:
            best, best_score = float(a), s
    for a in np.arange(best - 0.5, best + 0.5 + 1e-9, SKEW_STEP):
        s = _spikiness(_sheared(prof, centres, float(a)))
        if s > best_score:
            best, best_score = float(a), s
    return round(best, 2), best_score


def _band_votes(rows: np.ndarray) -> list[float]:
    """log(above/below) of each text line found in a row profile, capped so that one line of
    capitals or a rule under a heading cannot outweigh the running text."""
    on = np.concatenate(([False], rows > 0, [False]))
    edges = np.flatnonzero(on[1:] != on[:-1])
    votes: list[float] = []
    for start, end in zip(edges[::2], edges[1::2], strict=True):
        band = rows[start:end]
        if len(band) < 4 or len(band) > 40 or band.sum() < 12:  # a speck, or graphics
            continue
        core = np.flatnonzero(band >= band.max() * 0.45)
        top, bottom = int(core[0]), int(core[-1])
        if bottom - top < 2:
            continue
        up, down = float(band[:top].sum()), float(band[bottom + 1 :].sum())
        votes.append(max(-1.5, min(1.5, math.log((up + 1.0) / (down + 1.0)))))
    return votes


def upright_score(ink: np.ndarray, skew: float = 0.0) -> tuple[float, int]:
    """(mean vote, number of line pieces) of a page whose lines run horizontally; > 0 is upright.

    Measured in narrow vertical strips, where a line's tilt is under a row at any skew this module
    corrects, so no deskewed copy is needed: the ink above and below the x-height band is only a
    few rows high at 100 dpi and a whole-page profile would smear it.
    """
    del skew  # kept in the signature: callers pass what they know; the strips do not need it
    w = ink.shape[1]
    n = max(1, w // 32)
    edges = np.linspace(0, w, n + 1).astype(int)
    votes: list[float] = []
    for i in range(n):
        votes.extend(_band_votes(ink[:, edges[i] : edges[i + 1]].sum(axis=1).astype(np.float64)))
    if len(votes) < MIN_LINES:
        return 0.0, len(votes)
    return float(np.mean(votes)), len(votes)


def osd_turn(img: Image.Image, timeout: float = 30) -> int | None:
    """Tesseract's orientation detection: the counter-clockwise turn that makes the page upright."""
    small = img.convert("L")
    if small.width > 1700:
        small = small.reduce(max(1, small.width // 1700 + 1))
    try:
        osd = pytesseract.image_to_osd(small, config="--psm 0 -c min_characters_to_try=10", timeout=timeout,
                                       output_type=pytesseract.Output.DICT)
    except (pytesseract.TesseractError, RuntimeError):
        return None
    # "rotate" is the clockwise turn tesseract says the page needs.
    return (360 - int(osd.get("rotate", 0))) % 360


def analyse(img: Image.Image, dpi: float, *, use_osd: bool = True) -> Geometry:
    ink = analysis_copy(img, dpi)
    share = round(float(ink.mean()), 5) if ink.size else 0.0
    if ink.sum() < 200:  # blank page: nothing to straighten
        return Geometry(ink=share)
    skew_h, score_h = estimate_skew(ink)
    skew_v, score_v = estimate_skew(np.ascontiguousarray(ink.T[::-1]))  # the page turned 90° counter-clockwise
    if score_v > score_h * 1.15:
        # Lines run up or down the page: turn it by a quarter, then tell up from down.
        ink = np.ascontiguousarray(ink.T[::-1])
        base, skew = 90, skew_v
    else:
        base, skew = 0, skew_h
    score, lines = upright_score(ink, skew)
    decided: Literal["profile", "osd", "none"] = "profile"
    if lines >= MIN_LINES and abs(score) >= UPRIGHT_MARGIN:
        flip = score < 0
    elif use_osd:
        turned = osd_turn(img)
        if turned is None:
            return Geometry(base, skew if abs(skew) >= MIN_SKEW else 0.0, "none", share)
        decided = "osd"
        flip = (turned - base) % 360 == 180
    else:
        flip = False
        decided = "none"
    turn = (base + (180 if flip else 0)) % 360
    return Geometry(turn, skew if abs(skew) >= MIN_SKEW else 0.0, decided, share)


def apply(img: Image.Image, g: Geometry) -> Image.Image:
    """The OCR copy: turned, then deskewed with a white fill (the page's own size is kept)."""
    if g.turn:
        img = img.transpose(
            {90: Image.Transpose.ROTATE_90, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_270}[g.turn]
        )
    if g.skew:
        if img.mode not in ("L", "RGB"):
            img = img.convert("RGB" if img.mode in ("RGBA", "P", "CMYK") else "L")
        fill = 255 if img.mode == "L" else (255, 255, 255)
        img = img.rotate(g.skew, resample=Image.Resampling.BILINEAR, expand=False, fillcolor=fill)
    return img
