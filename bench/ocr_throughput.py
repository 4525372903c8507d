"""Pages per second of the pipeline's OCR stage vs `tesseract` called directly, same pages, same
number of processes, in one run.

    .venv/bin/python bench/ocr_throughput.py [--pages 8] [--procs 2] [--rounds 2]

Both sides produce the same outputs per page (text, TSV word boxes, PDF layer) with
OMP_THREAD_LIMIT=1; the pipeline side is `read_page` (plan, render, orientation/skew analysis,
one pytesseract run, post-processing) over a process pool. Rounds alternate the two sides so that
machine drift hits both. Target ratio ≥ 0.95. `ocrmypdf -j N` is compared when installed.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._ocrbench import pages, plain_tesseract


def _pipeline(path: str, work: str) -> int:
    from pipeline.read.ocr import read_page
    from pipeline.read.pages import plan

    p = plan(Path(path))
    return sum(len(read_page(Path(path), p.fmt, s, Path(work)).words) for s in p.pages)


def _direct(path: str, work: str) -> int:
    Path(work).mkdir(parents=True, exist_ok=True)
    return len(plain_tesseract(path, str(Path(work) / "out"), all_outputs=True))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=8)
    ap.add_argument("--procs", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="ocr-tp-") as tmp:
        root = Path(tmp)
        files = [lab["path"] for lab in pages(root / "set", args.pages, 11, "scan")]
        totals = {"pipeline": 0.0, "tesseract": 0.0}
        with ProcessPoolExecutor(args.procs) as ex:
            list(ex.map(len, files))  # start the workers before timing
            for r in range(args.rounds):
                for name, fn in (("tesseract", _direct), ("pipeline", _pipeline)):
                    work = [str(root / f"{name}-{r}-{i}") for i in range(len(files))]
                    t = time.perf_counter()
                    list(ex.map(fn, files, work))
                    totals[name] += time.perf_counter() - t
        n = len(files) * args.rounds
        ours, direct = n / totals["pipeline"], n / totals["tesseract"]
        print(f"pages: {len(files)} x {args.rounds} rounds, processes: {args.procs}")
        print(f"tesseract CLI direct: {direct:.3f} pages/s")
        print(f"pipeline OCR stage:   {ours:.3f} pages/s")
        print(f"ratio pipeline/tesseract: {ours / direct:.3f} (target >= 0.95)")
        if shutil.which("ocrmypdf"):
            pdf = root / "all.pdf"
            from PIL import Image

            ims = [Image.open(f).convert("RGB") for f in files]
            ims[0].save(pdf, save_all=True, append_images=ims[1:], resolution=300)
            t = time.perf_counter()
            subprocess.run(["ocrmypdf", "-j", str(args.procs), "-l", "vie", "--force-ocr", str(pdf),
                            str(root / "o.pdf")], check=True, capture_output=True)
            o = len(files) / (time.perf_counter() - t)
            print(f"ocrmypdf -j {args.procs}: {o:.3f} pages/s, ratio pipeline/ocrmypdf: {ours / o:.3f}")
        else:
            print("ocrmypdf: not installed, skipped")


if __name__ == "__main__":
    main()
