"""How much skew tesseract reads through: CER of pages tilted by a known angle, read as they are and
read deskewed (preprocess.analyse + apply), on generated pages with their own text.

    .venv/bin/python bench/skew_tolerance.py [--n 4] [--engine tesserocr]

Sets preprocess.MIN_SKEW (issue 13): below it the page is read as it is, saving the rotation of the
full page (~0.1-0.2 s at 300 dpi) when it costs no accuracy.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from bench._ocrbench import cer

ANGLES = (0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.5)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=4)
    ap.add_argument("--engine", default="tesserocr")
    args = ap.parse_args()
    from PIL import Image

    from pipeline.read import engine, preprocess
    from pipeline.samples.rotation import generated_pages

    # Clean pages: a scan or photo of the generator carries its own skew, which would blur the angle.
    pages = list(generated_pages(args.n, 31, dpis=(200, 300), kinds=("clean",)))
    print(f"{'skew':>6}{'CER as is':>11}{'CER deskewed':>14}{'rotate s':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        for angle in ANGLES:
            e_raw = e_fix = chars = 0
            took = 0.0
            for _name, img, dpi, _kind, text in pages:
                grey = img.convert("L").rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=255)
                g = preprocess.analyse(grey, dpi, use_osd=False)
                raw, _ = engine.read_page(grey, dpi, Path(tmp) / "a.pdf", lang="vie", textonly=True, timeout=0,
                                          what="raw", engine=args.engine)  # type: ignore[arg-type]
                import time

                t = time.perf_counter()
                level = preprocess.apply(grey, preprocess.Geometry(0, g.skew or -angle))
                took += time.perf_counter() - t
                fixed, _ = engine.read_page(level, dpi, Path(tmp) / "b.pdf", lang="vie", textonly=True, timeout=0,
                                            what="fixed", engine=args.engine)  # type: ignore[arg-type]
                e_raw += cer(text, raw)[0]
                e_fix += cer(text, fixed)[0]
                chars += cer(text, "")[1]
            print(f"{angle:>6.1f}{e_raw / chars:>11.2%}{e_fix / chars:>14.2%}{took / len(pages):>10.3f}", flush=True)


if __name__ == "__main__":
    main()
