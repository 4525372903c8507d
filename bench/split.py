"""Benchmark: splitting scanned batches into documents and dossiers, against baselines in the same run.

    .venv/bin/python bench/split.py [--batches 8] [--seed 31] [--degradation scan] [--json out.json]

Random batches from pipeline.samples.batch (two dossiers each: slips whose QR carries the code in
every form, some smudged or missing; papers of several classes; blank separators between some) are
read by the real pipeline (pipeline.read.pages.plan + pipeline.read.ocr.read_page over 2 processes: tesseract,
QR decoding, ink) and split by pipeline.understand.split. Systems compared on the same page results:
- whole:  one file, one document (the pipeline before the split);
- blanks: split at blank pages only;
- split:  pipeline.understand.split (QR codes, printed dossier codes, blank pages, class changes).
Reported: documents found exactly (same pages) out of the truth's, boundary precision and recall,
documents whose dossier code (and its source: QR or slip text) is right, and the cost of reading QR
codes per page against the page's whole reading time.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from itertools import pairwise
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from pipeline.read.ocr import qr_codes, read_page  # noqa: E402
from pipeline.read.pages import Format, plan, render  # noqa: E402
from pipeline.samples.batch import generate_batches  # noqa: E402
from pipeline.understand.split import Segment, cues_of, split  # noqa: E402
from schemas.samples import BatchLabel  # noqa: E402
from schemas.tasks import PageResult, PageSpec  # noqa: E402


def _read(args: tuple[Path, Format, PageSpec, Path]) -> tuple[PageResult, float]:
    path, fmt, spec, work = args
    result = read_page(path, fmt, spec, work)
    if spec.kind != "image":
        return result, 0.0
    img, _ = render(path, fmt, spec)  # again, only to time the decoder alone on the same image
    t = time.perf_counter()
    qr_codes(img)
    return result, time.perf_counter() - t


def _missed(segs: list[Segment], label: BatchLabel) -> list[str]:
    """The truth's boundaries the split did not find, as `class before > class after`."""
    got = {s.pages[0] for s in segs}
    docs = label.documents
    return [f"{a.doc_type} > {b.doc_type}" for a, b in pairwise(docs) if b.pages[0] not in got]


def _score(segs: list[Segment], label: BatchLabel) -> dict[str, int]:
    truth = {tuple(d.pages): d for d in label.documents}
    got_bounds = {s.pages[0] for s in segs[1:]}
    true_bounds = {d.pages[0] for d in label.documents[1:]}
    exact = [s for s in segs if s.pages in truth]
    dossier_ok = sum(1 for s in exact if (s.dossier.code if s.dossier else None) == truth[s.pages].ma_ho_so)
    source_ok = sum(
        1 for s in exact
        if (s.dossier.code if s.dossier else None) == truth[s.pages].ma_ho_so
        and (s.dossier.source if s.dossier else None) == truth[s.pages].dossier_source
    )
    return {
        "documents": len(label.documents), "exact": len(exact), "found": len(segs),
        "bounds_true": len(true_bounds), "bounds_found": len(got_bounds), "bounds_right": len(got_bounds & true_bounds),
        "dossier_right": dossier_ok, "source_right": source_ok,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--batches", type=int, default=8)
    ap.add_argument("--seed", type=int, default=31)
    ap.add_argument("--degradation", default="scan", choices=["clean", "scan", "photo"])
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="sohoa-bench-split-") as tmp:
        root = Path(tmp)
        labels = generate_batches(root / "in", n=args.batches, seed=args.seed, formats=["pdf-scan", "tiff"],
                                  degradation=args.degradation)
        jobs = []
        for i, lab in enumerate(labels):
            path = root / "in" / lab.file
            p = plan(path)
            jobs += [(path, p.fmt, s, root / "work" / str(i)) for s in p.pages]
        started = time.perf_counter()
        with ProcessPoolExecutor(max_workers=2) as pool:
            read = list(pool.map(_read, jobs))
        wall = time.perf_counter() - started

    by_file: dict[Path, list[PageResult]] = {}
    for (path, *_), (result, _) in zip(jobs, read, strict=True):
        by_file.setdefault(path, []).append(result)
    totals: dict[str, dict[str, int]] = {name: {} for name in ("whole", "blanks", "split")}
    missed: list[str] = []
    for lab in labels:
        pages = sorted(by_file[root / "in" / lab.file], key=lambda r: r.page_no)
        cues = [cues_of(p) for p in pages]
        systems = {
            "whole": [Segment(tuple(p.page_no for p in pages))],
            "blanks": split([replace(c, qr=None, printed=None, first_of=None) for c in cues]),
            "split": split(cues),
        }
        missed += _missed(systems["split"], lab)
        for name, segs in systems.items():
            for k, v in _score(segs, lab).items():
                totals[name][k] = totals[name].get(k, 0) + v
    qr_ms = [t * 1000 for _, t in read if t]
    page_s = [r.seconds for r, _ in read if r.source != "text_layer"]
    out: dict[str, Any] = {
        "batches": len(labels), "pages": len(read), "degradation": args.degradation,
        "read_wall_seconds": round(wall, 1),
        "qr_ms_per_page": {"mean": round(statistics.mean(qr_ms), 1), "max": round(max(qr_ms), 1)},
        "read_seconds_per_page": round(statistics.mean(page_s), 2),
        "systems": totals,
        "split_missed": missed,
    }
    print(f"{out['batches']} batches, {out['pages']} pages ({args.degradation}), read in {wall:.0f} s on 2 processes")
    print(f"QR decoding: {out['qr_ms_per_page']['mean']} ms a page (max {out['qr_ms_per_page']['max']}), "
          f"{100 * statistics.mean(qr_ms) / 1000 / out['read_seconds_per_page']:.1f} % of reading a page "
          f"({out['read_seconds_per_page']} s)")
    print(f"{'system':8} {'docs exact':>12} {'boundary P':>11} {'boundary R':>11} {'dossier ok':>11} {'+source':>8}")
    for name, t in totals.items():
        prec = t["bounds_right"] / t["bounds_found"] if t["bounds_found"] else float("nan")
        rec = t["bounds_right"] / t["bounds_true"] if t["bounds_true"] else float("nan")
        print(f"{name:8} {t['exact']:>5}/{t['documents']:<6} {prec:>11.3f} {rec:>11.3f} "
              f"{t['dossier_right']:>5}/{t['documents']:<5} {t['source_right']:>4}")
    print("boundaries the split missed: " + (", ".join(missed) or "none"))
    if args.json:
        args.json.write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
