"""A rotation corpus made by code: upright pages of the sample generators (and of real scans when
given), turned 0/90/180/270 degrees, at 150-400 dpi, clean or degraded like a scan or a phone photo.

Nothing is committed: the same seed gives the same pages, so tests/test_orientation.py runs a small
slice of it in `make test` and bench/orientation.py the whole of it.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

from pipeline.read.pages import A4_LONG_SIDE_IN, scale_for_ocr
from pipeline.samples import DOC_TYPES, _build, _rasterise
from pipeline.samples import degrade as dg
from pipeline.samples.content import UNITS

TURNS: tuple[int, ...] = (0, 90, 180, 270)
DPIS: tuple[int, ...] = (150, 200, 300, 400)
KINDS: tuple[str, ...] = ("clean", "scan", "photo")


@dataclass(frozen=True)
class Case:
    name: str
    image: Image.Image  # the page as the scanner or phone handed it over, turned by `turn`
    dpi: float
    turn: int  # degrees counter-clockwise the upright page was turned (`needed` undoes it)
    kind: str
    upright_text: str  # the page's text when known (generated pages), else ""

    @property
    def needed(self) -> int:
        """The counter-clockwise turn that makes the page upright again (preprocess.Geometry.turn)."""
        return (360 - self.turn) % 360


def _turned(img: Image.Image, turn: int) -> Image.Image:
    if not turn:
        return img
    return img.transpose({90: Image.Transpose.ROTATE_90, 180: Image.Transpose.ROTATE_180,
                          270: Image.Transpose.ROTATE_270}[turn])


def generated_pages(n: int, seed: int, *, family: str = "A", dpis: Sequence[int] = DPIS,
                    kinds: Sequence[str] = KINDS) -> Iterator[tuple[str, Image.Image, int, str, str]]:
    """(name, upright page, dpi, kind, text) for `n` generated one-page documents, each at one dpi
    and kind taken in turn from `dpis` and `kinds`; the classes come in a stride through DOC_TYPES."""
    units = list(UNITS)
    for i in range(n):
        rng = random.Random(f"sohoa-rotation:{family}:{seed}:{i}")
        nrng = np.random.default_rng([seed, i, 7])
        doc_type = DOC_TYPES[(i * 7 + seed) % len(DOC_TYPES)]
        kind = kinds[i % len(kinds)]
        dpi = dpis[i % len(dpis)]  # with 3 kinds and 4 resolutions, every pair comes up in 12 pages
        plan = dg.plan(kind, nrng)
        plan = dg.Plan(plan.kind, plan.skew, 0, plan.grey, plan.noise, plan.blur, plan.jpeg_quality)
        date = dt.date(2025, 1 + i % 12, 1 + i % 28)
        _, _, rendered = _build(rng, doc_type, rng.choice(units), date, None, False, single=True, plan=plan,
                                family=family)
        page = _rasterise(rendered.pdf, dpi)[0]
        yield f"{family}{i:03d}-{doc_type}-{kind}-{dpi}", dg.degrade(page, plan, nrng), dpi, kind, rendered.text


def sample_files(out: Path, n: int, seed: int) -> Iterator[tuple[str, Image.Image, int, str, str]]:
    """The one-page image files (JPEG, PNG) among what `generate` writes with its defaults, as `make demo`
    and `sohoa samples` do, put back upright (their own skew kept): issue 13's upright permit was one of
    those of seed 1."""
    from pipeline.samples import generate

    for lab in generate(out, n=n, seed=seed):
        if lab.format not in ("jpeg", "png"):
            continue
        with Image.open(out / lab.file) as im:
            page = _turned(im.convert("RGB") if im.mode not in ("L", "RGB") else im.copy(), (360 - lab.rotation) % 360)
        yield f"s{seed}-{Path(lab.file).stem}-{lab.degradation}", page, lab.dpi or 200, lab.degradation, lab.text


def real_pages(folder: Path) -> Iterator[tuple[str, Image.Image, int, str, str]]:
    """Real scans of printed text (OCRmyPDF's test images, ../shared/corpus/ocrmypdf) when present."""
    for name in ("linn.png", "typewriter.png", "baiona_gray.png"):
        path = folder / name
        if not path.exists():
            continue
        with Image.open(path) as im:
            # No resolution recorded: taken for an A4 page, as pipeline/read/pages.render does.
            dpi = float(im.info.get("dpi", (0, 0))[0]) or max(im.size) / A4_LONG_SIDE_IN
            yield f"real-{path.stem}", im.convert("L") if im.mode not in ("L", "RGB") else im.copy(), round(dpi), \
                "real", ""


def corpus(pages: Iterator[tuple[str, Image.Image, int, str, str]], turns: Sequence[int] = TURNS) -> Iterator[Case]:
    for name, img, dpi, kind, text in pages:
        for turn in turns:
            yield Case(f"{name}-r{turn}", _turned(img, turn), float(dpi), turn, kind, text)


@dataclass
class Tally:
    pages: int = 0
    right: int = 0
    upright_turned: int = 0  # upright pages the decision turned: the one error never allowed
    unsure: int = 0  # left as they came and sent to review
    unsure_wrong: int = 0  # of those, pages that did need a turn
    seconds: float = 0.0
    wrong: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.right / self.pages if self.pages else 1.0

    def add(self, case: Case, turn: int, unsure: bool, seconds: float) -> None:
        self.pages += 1
        self.seconds += seconds
        self.right += turn == case.needed
        self.upright_turned += case.needed == 0 and turn != 0
        self.unsure += unsure
        self.unsure_wrong += unsure and turn != case.needed
        if turn != case.needed:
            self.wrong.append(f"{case.name}: needs {case.needed}, got {turn}{' (unsure)' if unsure else ''}")


def judge(case: Case, analyse: Callable[[Image.Image, float], tuple[int, bool]],
          *tallies: Tally) -> tuple[int, bool]:
    """Decide one case's turn as the pipeline sees the page (scaled as pages.render scales it, grey)
    and count it in each tally."""
    img, dpi = scale_for_ocr(case.image, case.dpi)
    grey = img.convert("L") if img.mode != "L" else img
    started = time.perf_counter()
    turn, unsure = analyse(grey, dpi)
    took = time.perf_counter() - started
    for t in tallies:
        t.add(case, turn, unsure, took)
    return turn, unsure
