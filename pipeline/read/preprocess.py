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
  dot below). When that is unsure, tesseract's OSD and then trial reads decide (`analyse`; a
  second or two, so only then).
No binarisation for tesseract itself: global Otsu made it worse on clean and mildly degraded
pages (DESIGN.md); the thresholded copy is for the analysis only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from PIL import Image

from pipeline.errors import PipelineError
from pipeline.read import engine
from pipeline.vn.ocrfix import syllable_share

ANALYSIS_DPI = 100.0
MAX_SKEW = 8.0  # degrees; beyond this a page is a photo of a page, not a skewed scan
SKEW_STEP = 0.1
# Tesseract reads through less skew as well as deskewed (bench/skew_tolerance.py, clean pages tilted
# 0-3 degrees: the same CER up to 2.0, worse from 2.5); rotating a full page costs 0.1-0.2 s. Kept
# under 2.0 for the estimate's own error (~0.25).
MIN_SKEW = 1.5
STRIPS = 24
# Mean over line pieces of log(above/below), ink around the x-height band. On 48 generated pages
# (clean, scan, photo) upright ones scored 0.13 to 0.63, turned ones the mirror; a short page of
# capitals scores near 0 either way. Within the margin tesseract's OSD decides.
UPRIGHT_MARGIN = 0.1
# Turning a page needs more: on the rotation corpus (pipeline/samples/rotation.py) pages scored 0.1 to
# 0.6 either way, but the demo's upright permit of issue 13 only 0.055; a turn the profile says under
# this margin is checked by OSD (and a trial read) first.
TURN_MARGIN = 0.2
MIN_LINES = 4
# Row vs column spikiness: lines across the page score well above 1/QUARTER_RATIO on the corpus (<= 0.8),
# lines along it above 1.1; between 1/QUARTER_RATIO and QUARTER_SURE the quarter is checked.
QUARTER_RATIO = 1.15
QUARTER_SURE = 1.5
# OSD reads a page best at 200-300 dpi; a copy above OSD_MAX_DPI is reduced, never below OSD_MIN_DPI.
OSD_MAX_DPI = 300.0
OSD_MIN_DPI = 150.0
# Orientation confidence above which OSD is taken as sure when it agrees with the profile. The two
# engines report it on different scales: the CLI printed 1.95 for a page where tesserocr gave 14.8.
OSD_SURE = {"pytesseract": 1.5, "tesserocr": 10.0}
# A trial read: the band read (share of the page, where the ink is densest), the words it must yield,
# and what makes it good. On the corpus the right way read at conf 80-85 with 88-97 % syllables, the
# wrong ways at conf 12-45.
TRIAL_BAND = 0.3
TRIAL_MIN_WORDS = 8
GOOD_CONF = 75.0
GOOD_SYLLABLES = 0.7
TRIAL_MARGIN = 0.12

Orientation = Literal[0, 90, 180, 270]


@dataclass(frozen=True)
class Geometry:
    """How the OCR copy was made from the page image: turned `turn` degrees counter-clockwise (PIL's
    sense) in whole quarter turns, then `skew` degrees counter-clockwise about its centre."""

    turn: int = 0
    skew: float = 0.0
    decided_by: Literal["profile", "osd", "trial", "none"] = "none"
    ink: float = 0.0  # share of the analysis copy that is ink: a blank separator page has next to none
    unsure: str = ""  # why the turn stayed unsure (the page is then left as it came); empty when sure

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
    # in, its columns of dark pixels look like the lines of a page turned by a quarter. The same
    # margin on all four sides, from the short side: a portrait page photographed landscape (turned
    # a quarter) has its desk above and below, and a thinner cut there left bands of speckle that
    # outweighed the few lines of a sparse page (a generated giấy khai sinh copy read as upright).
    m = min(w, h) // 16
    small = small.crop((m, m, w - m, h - m))
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


def osd_copy(img: Image.Image, dpi: float) -> Image.Image:
    """The page at a resolution tesseract's OSD reads well: ~300 dpi at most, never halved below
    OSD_MIN_DPI. Halving a 200 dpi scan to fit 1700 px made OSD read a clean upright permit as upside
    down (issue 13); at 200 dpi it read it right."""
    small = img.convert("L") if img.mode != "L" else img
    factor = round(dpi / OSD_MAX_DPI)
    if factor > 1 and dpi / factor >= OSD_MIN_DPI:
        small = small.reduce(factor)
    return small


def osd_turn(img: Image.Image, dpi: float = 300.0, timeout: float = 30) -> int | None:
    """Tesseract's orientation detection: the counter-clockwise turn that makes the page upright."""
    found = engine.osd(osd_copy(img, dpi), timeout=timeout)
    return found.turn if found else None


def _quarter(img: Image.Image, turn: int) -> Image.Image:
    if not turn:
        return img
    return img.transpose(
        {90: Image.Transpose.ROTATE_90, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_270}[turn]
    )


@dataclass(frozen=True)
class Trial:
    turn: int
    words: int  # words read (letters or digits)
    confidence: float  # mean word confidence, 0-100
    syllables: float  # share of the words that are Vietnamese syllables (pipeline/vn/ocrfix.py)

    @property
    def score(self) -> float:
        return 0.5 * self.confidence / 100.0 + 0.5 * self.syllables if self.words >= TRIAL_MIN_WORDS else 0.0

    @property
    def good(self) -> bool:
        """A reading no turned page gives: most words sure and most of them Vietnamese syllables."""
        return self.words >= TRIAL_MIN_WORDS and self.confidence >= GOOD_CONF and self.syllables >= GOOD_SYLLABLES


def densest_band(ink: np.ndarray, across: bool, share: float = TRIAL_BAND) -> tuple[float, float]:
    """(start, end) as shares of the page, of the band holding most ink: across the page (rows) for
    lines that run across it, else along it (columns). The ink mask leaves out the outer margin
    (`analysis_copy`), put back here."""
    profile = (ink.sum(axis=1) if across else ink.sum(axis=0)).astype(np.float64)
    n = len(profile)
    size = max(1, round(n * share))
    sums = np.convolve(profile, np.ones(size), mode="valid")
    start = int(np.argmax(sums))
    margin = 1 / 24 if across else 1 / 16
    scale = 1 - 2 * margin
    return margin + scale * start / n, margin + scale * (start + size) / n


def trial_read(img: Image.Image, dpi: float, turn: int, skew: float, band: tuple[float, float] = (0.3, 0.62),
               lang: str = "vie") -> Trial:
    """Read a band of the page turned by `turn` (`band`: shares of the page across its lines, as they
    run once turned): how sure tesseract is of its words and how many are Vietnamese syllables.
    Upside down or sideways, tesseract still "reads" words, but with low confidence and few syllables."""
    page = img.convert("L") if img.mode != "L" else img
    w, h = page.size
    # Cut the band out first and turn only it: a tenth of the work of turning the page.
    if turn % 180 == 0:
        box = (w // 16, int(h * band[0]), w - w // 16, int(h * band[1]))
    else:
        box = (int(w * band[0]), h // 24, int(w * band[1]), h - h // 24)
    cut = _quarter(page.crop(box), turn)
    if abs(skew) >= 0.5:  # the band is read by itself: a tilt that spans lines across it matters
        cut = cut.rotate(skew, resample=Image.Resampling.BILINEAR, expand=True, fillcolor=255)
    if dpi > OSD_MAX_DPI * 1.25:
        factor = round(dpi / OSD_MAX_DPI)
        cut, dpi = cut.reduce(factor), dpi / factor
    try:
        # One uniform block (psm 6): with its layout analysis (psm 3) tesseract finds lines running up
        # the page and reads them turned, and a sideways page then reads "well" upright.
        words = engine.read_words(cut, dpi, lang=lang, psm=6, timeout=60)
    except PipelineError:
        return Trial(turn, 0, 0.0, 0.0)
    read = [wd for wd in words if any(c.isalnum() for c in wd.text) and wd.conf >= 0]
    if not read:
        return Trial(turn, 0, 0.0, 0.0)
    valid, counted = syllable_share(" ".join(wd.text for wd in read))
    return Trial(turn, len(read), sum(wd.conf for wd in read) / len(read), valid / counted if counted else 0.0)


def analyse(img: Image.Image, dpi: float, *, use_osd: bool = True) -> Geometry:
    """How to make the page upright and level, from the cheapest signal that is sure:

    1. the ink profile (tens of milliseconds): lines across or along the page, ink above or below them;
    2. when the profile is unsure (a turn needs a wider margin than upright), tesseract's OSD at a
       resolution it reads well (about a second);
    3. when those two disagree or OSD is unsure, trial reads of a band of the page the way each says
       (about a second each), compared by word confidence and Vietnamese syllables.
    A page whose upright trial read is good is never turned. When nothing is sure, the page stays as
    it came and `unsure` says why: the document goes to review (pipeline/flow.py).
    """
    ink = ink0 = analysis_copy(img, dpi)
    share = round(float(ink.mean()), 5) if ink.size else 0.0
    if ink.sum() < 200:  # blank page: nothing to straighten
        return Geometry(ink=share)
    skew_h, score_h = estimate_skew(ink)
    skew_v, score_v = estimate_skew(np.ascontiguousarray(ink.T[::-1]))  # the page turned 90° counter-clockwise
    ratio = score_v / score_h if score_h > 0 else QUARTER_SURE * 2
    if ratio > QUARTER_RATIO:
        # Lines run up or down the page: turn it by a quarter, then tell up from down.
        ink = np.ascontiguousarray(ink.T[::-1])
        base = 90
    else:
        base = 0
    quarter_sure = ratio > QUARTER_SURE or ratio < 1 / QUARTER_RATIO
    score, lines = upright_score(ink)
    profile = (base + (180 if score < 0 else 0)) % 360
    sure = quarter_sure and lines >= MIN_LINES and abs(score) >= (UPRIGHT_MARGIN if profile == 0 else TURN_MARGIN)

    def level(turn: int) -> float:
        skew = skew_h if turn % 180 == 0 else skew_v
        return skew if abs(skew) >= MIN_SKEW else 0.0

    if sure:
        return Geometry(profile, level(profile), "profile", share)
    if not use_osd:  # the profile alone, as sure as it gets
        if lines >= MIN_LINES and abs(score) >= UPRIGHT_MARGIN:
            return Geometry(profile, level(profile), "profile", share)
        return Geometry(0, level(0), "none", share)
    found = engine.osd(osd_copy(img, dpi))
    osd_sure = found is not None and found.confidence >= OSD_SURE[engine.engine_name()]
    if found is not None and found.turn == profile and osd_sure:
        return Geometry(profile, level(profile), "osd", share)
    # The two disagree, or neither is sure: read the page the ways they say, and upright.
    candidates = dict.fromkeys([0, profile] + ([found.turn] if found is not None else []))
    # The band with most text, across the lines each candidate says the page has.
    bands = {0: densest_band(ink0, True), 90: densest_band(ink0, False)}
    # Upright first: when it reads well the page is not turned whatever the others read, so they are
    # not read (a trial is a second or so of tesseract).
    upright = trial_read(img, dpi, 0, level(0), bands[0])
    if upright.good:
        return Geometry(0, level(0), "trial", share)
    trials = [upright] + [trial_read(img, dpi, t, level(t), bands[t % 180]) for t in candidates if t]
    best = max(trials, key=lambda t: t.score)
    rest = max((t.score for t in trials if t is not best), default=0.0)
    if best.words >= TRIAL_MIN_WORDS and best.score - rest >= TRIAL_MARGIN:
        return Geometry(best.turn, level(best.turn), "trial", share)
    if best.words < TRIAL_MIN_WORDS:
        # No way up reads as text (a drawing, a photo, a stamp): nothing to get wrong in the text either.
        return Geometry(0, level(0), "none", share)
    readings = ", ".join(f"{t.turn}°: {t.words} words, conf {t.confidence:.0f}, syllables {t.syllables:.0%}"
                         for t in trials)
    why = f"profile says {profile}°, OSD {found.turn if found else 'nothing'}°; trial reads {readings}"
    return Geometry(0, level(0), "none", share, unsure=why)


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
