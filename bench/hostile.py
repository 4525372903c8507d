"""Hostile and broken files through the real thing (issue 12): every file must end processed or
quarantined with a reason; none internal_error, no child left dead, no task hung.

    python bench/hostile.py [--mode run|process] DIR...      one table row per DIR (a corpus)
    python bench/hostile.py --made                           the corpus tests/hostile/corpus.py makes

`--mode run` (the default) drops each corpus into a fresh data dir's inbox and runs `sohoa run
--exit-when-idle --no-web` (watcher, Celery workers, Redis); `--mode process` runs `sohoa process`.
Printed per corpus: files, processed, quarantined by reason, internal_error, crashed children (the
isolated children that died, from the logs), hung (files not finished when the run ended), the largest
resident set of one process of the run (sampled every 0.2 s over its whole process tree) and the
longest seconds a file took (received to finished; `process` mode: the whole run / files).

Real corpora are not committed: fetch them into /work/ext/hostile/ (pypdf's resources/, pdfplumber's
tests/pdfs, paperless-ngx's src/documents/tests/samples, OCRmyPDF's tests/resources).
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]


def _sample_rss(proc: subprocess.Popen[bytes], peak: list[float], stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            tree = [psutil.Process(proc.pid), *psutil.Process(proc.pid).children(recursive=True)]
        except psutil.NoSuchProcess:
            return
        for p in tree:
            with contextlib.suppress(psutil.Error):
                peak[0] = max(peak[0], p.memory_info().rss / 2**20)
        stop.wait(0.2)


def _files(src: Path) -> list[Path]:
    return sorted(p for p in src.rglob("*") if p.is_file() or p.is_symlink())


def _env(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOHOA_") or k == "SOHOA_ISOLATE_PRELOAD"}
    env.update(SOHOA_DATA_DIR=str(data), SOHOA_REDIS_FIND="", PYTHONPATH=str(ROOT), SOHOA_STABLE_SECONDS="0.5",
               SOHOA_WORKERS=os.environ.get("SOHOA_WORKERS", "2"))
    return env


def run_corpus(src: Path, mode: str, timeout: float) -> dict[str, object]:
    data = Path(tempfile.mkdtemp(prefix="sohoa-hostile-"))
    files = _files(src)
    peak = [0.0]
    stop = threading.Event()
    started = time.monotonic()
    if mode == "run":
        inbox = data / "inbox" / "H50" / "thanh-phan"
        inbox.mkdir(parents=True)
        for i, f in enumerate(files):
            dest = inbox / f"{i:03d}-{f.name}"
            if f.is_symlink():
                dest.symlink_to(os.readlink(f))
            else:
                shutil.copyfile(f, dest)
        cmd = [sys.executable, "-m", "sohoa", "run", "--exit-when-idle", "--no-web", "--timeout", str(timeout)]
    else:
        cmd = [sys.executable, "-m", "sohoa", "process", "--format", "jsonl", *map(str, files)]
    out = data / "stdout.txt"
    err = data / "stderr.txt"
    with out.open("wb") as o, err.open("wb") as e:
        proc = subprocess.Popen(cmd, cwd=data, env=_env(data), stdout=o, stderr=e)
        sampler = threading.Thread(target=_sample_rss, args=(proc, peak, stop), daemon=True)
        sampler.start()
        try:
            proc.wait(timeout=timeout + 120)
        except subprocess.TimeoutExpired:
            proc.kill()
        stop.set()
    wall = time.monotonic() - started
    logs = err.read_text(errors="replace") + "".join(
        p.read_text(errors="replace") for p in (data / "logs").glob("*.log")) if (data / "logs").exists() \
        else err.read_text(errors="replace")
    crashed = len(re.findall(r"child \d+ died", logs))
    reasons: collections.Counter[str] = collections.Counter()
    processed = hung = 0
    longest = 0.0
    if mode == "run":
        db = sqlite3.connect(data / "sohoa.db")
        rows = db.execute("select state, error_code, julianday(finished_at) - julianday(received_at) "
                          "from intake").fetchall()
        for state, code, days in rows:
            if state in ("done", "duplicate"):
                processed += 1
            elif state == "quarantined":
                reasons[code or "?"] += 1
            else:
                hung += 1
            if days is not None:
                longest = max(longest, days * 86400)
        hung += max(0, len(files) - len(rows))  # never claimed
    else:
        seen = set()
        for line in out.read_text().splitlines():
            rec = json.loads(line)
            if rec["source"] in seen:
                continue  # a scanned batch split into several documents
            seen.add(rec["source"])
            if "error" in rec:
                reasons[rec["error"]["code"]] += 1
            else:
                processed += 1
        hung = len(files) - len(seen)
        longest = wall / max(1, len(files))
    shutil.rmtree(data, ignore_errors=True)
    return {"corpus": src.name, "files": len(files), "processed": processed,
            "quarantined": sum(reasons.values()) - reasons["internal_error"],
            "internal_error": reasons.pop("internal_error", 0), "reasons": dict(reasons.most_common()),
            "crashed": crashed, "hung": hung, "max_rss_mb": round(peak[0]), "max_s_per_file": round(longest, 1),
            "wall_s": round(wall)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dirs", nargs="*", type=Path)
    ap.add_argument("--mode", choices=("run", "process"), default="run")
    ap.add_argument("--made", action="store_true", help="also the corpus tests/hostile/corpus.py makes")
    ap.add_argument("--timeout", type=float, default=3600)
    args = ap.parse_args()
    dirs = list(args.dirs)
    if args.made:
        sys.path.insert(0, str(ROOT))
        from tests.hostile.corpus import make

        made = Path(tempfile.mkdtemp(prefix="sohoa-made-")) / "made"
        make(made, faults=bool(os.environ.get("SOHOA_ISOLATE_PRELOAD")))
        dirs.append(made)
    head = ("corpus", "files", "processed", "quarantined", "internal_error", "crashed", "hung", "max_rss_mb",
            "max_s_per_file", "wall_s")
    print(" | ".join(head) + " | reasons")
    for d in dirs:
        r = run_corpus(d, args.mode, args.timeout)
        print(" | ".join(str(r[k]) for k in head) + " | " + ", ".join(f"{k} {v}" for k, v in r["reasons"].items()),
              flush=True)


if __name__ == "__main__":
    main()
