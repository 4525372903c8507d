"""Pages per second and CER of the pipeline's OCR stage with each engine against plain `tesseract` and
OCRmyPDF, on the same pages, in one run.

    .venv/bin/pip install -e '.[bench]'   # OCRmyPDF, for this bench only
    .venv/bin/python bench/ocr_throughput.py [--pages 8] [--procs 2] [--rounds 3]

Sides, all with OMP_THREAD_LIMIT=1 and `--procs` processes (parallelism from processes only, DESIGN.md):
- `tesseract`: the CLI once per page, the same three outputs the pipeline asks for (text, TSV, PDF);
- `ocrmypdf -j N -l vie`: one PDF of the same pages (made beforehand, not timed), `--output-type pdf`
  (no PDF/A pass: its fastest honest setting, so the ratio against it is not flattered);
- `pipeline/<engine>`: `read_page` (render, orientation and skew analysis, OCR, QR, the signature
  block, post-processing) with SOHOA_OCR_ENGINE=pytesseract and =tesserocr.
Rounds rotate the order of the sides so that the machine's drift (other jobs) hits each alike; the
load average is printed before and after. CER is on the generated pages' own text (labels), so that
speed is never bought with accuracy. Targets (issue 13): pipeline/pytesseract >= 0.95x the CLI,
pipeline/tesserocr >= 1.2x the CLI and >= 1.4x ocrmypdf -j 2, with the same or lower CER.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._ocrbench import cer, pages, plain_tesseract

ENGINES = ("pytesseract", "tesserocr")


def _pipeline(path: str, work: str, engine: str) -> str:
    os.environ["SOHOA_OCR_ENGINE"] = engine
    from pipeline.config import get_settings
    from pipeline.read.ocr import read_page
    from pipeline.read.pages import plan

    get_settings.cache_clear()
    p = plan(Path(path))
    return "\n".join(read_page(Path(path), p.fmt, s, Path(work)).text for s in p.pages)


def _direct(path: str, work: str, _: str = "") -> str:
    Path(work).mkdir(parents=True, exist_ok=True)
    return plain_tesseract(path, str(Path(work) / "out"), all_outputs=True)


def _warm(engine: str) -> int:
    """Start a worker's tesserocr engine before timing, as a running worker has it (loaded once)."""
    os.environ["SOHOA_OCR_ENGINE"] = engine
    from pipeline.read import engine as eng

    eng._api("vie")
    eng._api("osd")
    return os.getpid()


def _ocrmypdf(pdf: Path, out: Path, procs: int) -> list[str]:
    exe = shutil.which("ocrmypdf") or str(Path(sys.executable).with_name("ocrmypdf"))
    subprocess.run([exe, "-j", str(procs), "-l", "vie", "--output-type", "pdf", "--optimize", "0", "-q",
                    str(pdf), str(out)], check=True, capture_output=True, env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    import pdfplumber

    with pdfplumber.open(out) as doc:
        return [p.extract_text() or "" for p in doc.pages]


def _load() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip().split("load average:")[-1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=8)
    ap.add_argument("--procs", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--degradation", default="scan", choices=("clean", "scan", "photo"))
    args = ap.parse_args()
    have_ocrmypdf = bool(shutil.which("ocrmypdf") or Path(sys.executable).with_name("ocrmypdf").exists())
    print(f"load average before: {_load()}")
    with tempfile.TemporaryDirectory(prefix="ocr-tp-") as tmp:
        root = Path(tmp)
        labels = pages(root / "set", args.pages, 11, args.degradation)
        files, truths = [lab["path"] for lab in labels], [lab["text"] for lab in labels]
        pdf = root / "all.pdf"
        if have_ocrmypdf:
            from PIL import Image

            ims = [Image.open(f).convert("RGB") for f in files]
            dpis = {round(float(Image.open(f).info.get("dpi", (300, 300))[0])) for f in files}
            ims[0].save(pdf, save_all=True, append_images=ims[1:], resolution=max(dpis))
        sides: dict[str, Callable[[int], list[str]]] = {}
        seconds: dict[str, float] = {}
        texts: dict[str, list[str]] = {}
        with ProcessPoolExecutor(args.procs) as ex:
            # Start the workers (and their in-process engines) before timing, as a running worker is.
            list(ex.map(_warm, ["tesserocr"] * args.procs * 2))

            def pool(fn: Callable[..., str], engine: str) -> Callable[[int], list[str]]:
                def run(r: int) -> list[str]:
                    work = [str(root / f"{engine or 'cli'}-{r}-{i}") for i in range(len(files))]
                    return list(ex.map(fn, files, work, [engine] * len(files)))
                return run

            sides["tesseract CLI"] = pool(_direct, "")
            for e in ENGINES:
                sides[f"pipeline/{e}"] = pool(_pipeline, e)
            if have_ocrmypdf:
                sides[f"ocrmypdf -j {args.procs}"] = lambda r: _ocrmypdf(pdf, root / f"o-{r}.pdf", args.procs)
            names = list(sides)
            for r in range(args.rounds):
                order = names[r % len(names):] + names[: r % len(names)]
                for name in order:
                    t = time.perf_counter()
                    texts[name] = sides[name](r)
                    seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - t
        print(f"load average after:  {_load()}")
        n = len(files) * args.rounds
        rate = {name: n / s for name, s in seconds.items()}
        cli = rate["tesseract CLI"]
        omp = rate.get(f"ocrmypdf -j {args.procs}")
        print(f"pages: {len(files)} ({args.degradation}) x {args.rounds} rounds, processes: {args.procs}")
        print(f"{'side':<22}{'pages/s':>9}{'x CLI':>8}{'x ocrmypdf':>12}{'CER':>8}")
        for name in names:
            errors = sum(cer(t, g)[0] for t, g in zip(truths, texts[name], strict=True))
            chars = sum(cer(t, "")[1] for t in truths)
            vs = f"{rate[name] / omp:>12.3f}" if omp else f"{'-':>12}"
            print(f"{name:<22}{rate[name]:>9.3f}{rate[name] / cli:>8.3f}{vs}{errors / chars:>8.2%}")
        if not have_ocrmypdf:
            print("ocrmypdf: not installed (pip install -e '.[bench]'), skipped")


if __name__ == "__main__":
    main()
