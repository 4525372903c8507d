"""Shared by the OCR benches: generated pages with ground truth, plain tesseract, and CER."""

from __future__ import annotations

import json
import os
import re
import subprocess
import unicodedata
from pathlib import Path

import numpy as np

os.environ["OMP_THREAD_LIMIT"] = "1"  # both sides: parallelism from processes only (DESIGN.md)


def pages(out: Path, n: int, seed: int, degradation: str, formats: tuple[str, ...] = ("png", "jpeg")) -> list[dict]:
    """Single-page image samples of one degradation level, with their labels."""
    from pipeline.samples import generate

    if not (out / "labels.jsonl").exists():
        generate(out, n=n, seed=seed, formats=list(formats), degradations=[degradation])
    return [json.loads(line) | {"path": str(out / json.loads(line)["file"])}
            for line in (out / "labels.jsonl").read_text(encoding="utf-8").splitlines()]


def plain_tesseract(image: str, outbase: str | None = None, *, all_outputs: bool = False) -> str:
    """`tesseract` called directly: text only, or the same three outputs the pipeline asks for."""
    if all_outputs and outbase:
        subprocess.run(["tesseract", image, outbase, "-l", "vie", "-c", "tessedit_create_tsv=1",
                        "-c", "tessedit_create_txt=1", "pdf"], check=True, capture_output=True)
        return Path(outbase + ".txt").read_text(encoding="utf-8")
    return subprocess.run(["tesseract", image, "stdout", "-l", "vie"], check=True, capture_output=True,
                          text=True).stdout


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, one numpy row at a time (pages are thousands of characters)."""
    if not a or not b:
        return max(len(a), len(b))
    bv = np.frombuffer(b.encode("utf-32-le"), dtype=np.uint32)
    idx = np.arange(len(b) + 1)
    row = idx.copy()
    for i, ch in enumerate(a, 1):
        cost = (bv != ord(ch)).astype(np.int64)
        tmp = np.empty_like(row)
        tmp[0] = i
        tmp[1:] = np.minimum(row[1:] + 1, row[:-1] + cost)
        row = np.minimum.accumulate(tmp - idx) + idx
    return int(row[-1])


def cer(truth: str, got: str) -> tuple[int, int]:
    t, g = norm(truth), norm(got)
    return edit_distance(t, g), len(t)


def word_accuracy(truth: str, got: str) -> float:
    """Share of the truth's words found in the output (bag of words, order-free)."""
    from collections import Counter

    t, g = Counter(norm(truth).split()), Counter(norm(got).split())
    total = sum(t.values())
    return sum(min(c, g[w]) for w, c in t.items()) / total if total else 1.0
