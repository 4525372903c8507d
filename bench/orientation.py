"""Orientation on the rotation corpus (pipeline/samples/rotation.py): generated pages of both template
families and real scans, turned 0/90/180/270, at 150-400 dpi, clean, scanned and photographed, and the
image files `sohoa samples` writes (seeds 1-8; seed 1 is `make demo`'s, with issue 13's permit) put upright.

    .venv/bin/python bench/orientation.py [--n 48] [--old main] [--engine pytesseract]

Prints, for the decision in this tree (and with --old, the one of a git revision, read from git):
accuracy, upright pages turned, pages left unsure (sent to review), seconds per page. Targets
(issue 13): >= 99.5 % right, 0 upright pages turned.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def _old(rev: str):  # type: ignore[no-untyped-def]
    source = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:pipeline/read/preprocess.py"], check=True,
                            capture_output=True, text=True).stdout
    path = Path(tempfile.mkdtemp(prefix="orient-old-")) / "old_preprocess.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("old_preprocess", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["old_preprocess"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=48, help="generated pages per family (each turned 4 ways)")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--samples-seeds", type=int, default=8, help="seeds of `sohoa samples` image files added")
    ap.add_argument("--old", default="", help="also run the decision of this git revision (e.g. main)")
    ap.add_argument("--engine", default="", help="pytesseract or tesserocr (SOHOA_OCR_ENGINE)")
    args = ap.parse_args()
    if args.engine:
        os.environ["SOHOA_OCR_ENGINE"] = args.engine
    from pipeline.read import preprocess
    from pipeline.samples.rotation import Tally, corpus, generated_pages, judge, real_pages, sample_files

    by: Counter[str] = Counter()  # which signal settled the new decision

    def new(img, dpi):  # type: ignore[no-untyped-def]
        g = preprocess.analyse(img, dpi)
        by[g.decided_by] += 1
        return g.turn, bool(g.unsure)

    deciders = {"new": new}
    if args.old:
        old = _old(args.old)
        deciders[f"old ({args.old})"] = lambda img, dpi: (old.analyse(img, dpi).turn, False)
    tallies = {name: Tally() for name in deciders}
    kinds: dict[str, dict[str, Tally]] = {}

    def pages():  # type: ignore[no-untyped-def]
        for fam in ("A", "B"):
            yield from generated_pages(args.n, args.seed, family=fam)
        for seed in range(1, args.samples_seeds + 1):  # seed 1 is `make demo`'s
            yield from sample_files(Path(tmp) / f"samples-{seed}", 24, seed)
        yield from real_pages(ROOT.parent / "shared" / "corpus" / "ocrmypdf")

    tmp = tempfile.mkdtemp(prefix="orient-samples-")
    for case in corpus(pages()):
        for name, fn in deciders.items():  # the same page for each, one after the other: drift hits both
            judge(case, fn, tallies[name], kinds.setdefault(name, {}).setdefault(case.kind, Tally()))
    print(f"{'decision':<14}{'pages':>7}{'right':>9}{'upright turned':>16}{'unsure':>8}"
          f"{'unsure+wrong':>14}{'s/page':>9}")
    for name, t in tallies.items():
        for label, u in [(name, t)] + [(f"  {kind}", k) for kind, k in kinds[name].items()]:
            print(f"{label:<14}{u.pages:>7}{u.accuracy:>9.2%}{u.upright_turned:>16}{u.unsure:>8}{u.unsure_wrong:>14}"
                  f"{u.seconds / max(1, u.pages):>9.3f}")
    print("new decided by: " + ", ".join(f"{k} {v}" for k, v in by.most_common()))
    for name, t in tallies.items():
        for w in t.wrong:
            print(f"{name} wrong: {w}")


if __name__ == "__main__":
    main()
