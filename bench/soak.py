"""Soak: drop generated files at a steady rate into a running `sohoa run` and check that every one
ends exactly once (stored, duplicate or quarantined), with throughput, drop-to-stored latency and
peak memory of each process.

    .venv/bin/python bench/soak.py --files 2000 [--rate 5] [--scans 0.05] [--dups 0.02]

`sohoa run` runs as a subprocess with a data dir and a Redis of its own (it starts one on a socket).
Most files are born-digital PDFs (text layer; the intake, queue, store and record path), a share are
scanned pages (OCR), a share repeat earlier content under another name (duplicates). The baseline,
measured in the same run, is `sohoa process` on a sample of the same files (no broker, no watcher):
the ratio says what the watched-folder path costs over the bare pipeline.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.config import Settings  # noqa: E402
from pipeline.identity import sha256_file  # noqa: E402
from pipeline.intake.audit import reconcile  # noqa: E402
from pipeline.keep import db  # noqa: E402
from pipeline.keep.models import Intake  # noqa: E402
from pipeline.keep.store import open_store  # noqa: E402
from tests.helpers import LINES, save_digital_pdf, text_page  # noqa: E402

UNITS = ("H50", "H51.02", "000.00.24.H46")
ROLES = ("thanh-phan", "ket-qua-xu-ly", "ket-qua")


def make_files(stage: Path, n: int, scans: float, dups: float, seed: int) -> list[tuple[str, Path]]:
    """(inbox-relative path, staged file): distinct contents, plus a share of repeats."""
    rng = random.Random(seed)
    out: list[tuple[str, Path]] = []
    for i in range(n):
        rel = f"{rng.choice(UNITS)}/{rng.choice(ROLES)}/soak-{i:05d}"
        if out and rng.random() < dups:
            _, earlier = rng.choice(out)
            out.append((rel + earlier.suffix, earlier))
            continue
        if rng.random() < scans:
            path = stage / f"{i:05d}.png"
            buf = io.BytesIO()
            text_page(["QUYẾT ĐỊNH", f"Số: {i}/QĐ-UBND"], dpi=72).save(buf, "PNG", dpi=(72, 72))
            path.write_bytes(buf.getvalue())
        else:
            path = save_digital_pdf(stage / f"{i:05d}.pdf", [*LINES, f"Hồ sơ thử số {i}"])
        out.append((rel + path.suffix, path))
    return out


class RssSampler(threading.Thread):
    """Peak RSS of every process in the tree under `root`, by a readable name."""

    def __init__(self, root: int, every: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.every = every
        self.peak: dict[str, int] = {}
        self.stop_event = threading.Event()

    @staticmethod
    def name(p: psutil.Process) -> str:
        cmd = p.cmdline()
        if "redis-server" in " ".join(cmd[:1]):
            return "redis-server"
        if "-m" in cmd and "sohoa" in cmd:
            i = cmd.index("sohoa")
            sub = cmd[i + 1] if len(cmd) > i + 1 else "?"
            parent = p.parent()
            if sub == "worker" and parent is not None and "worker" in parent.cmdline():
                return "worker (pool child)"
            return f"sohoa {sub}"
        return os.path.basename(cmd[0]) if cmd else p.name()

    def run(self) -> None:
        while not self.stop_event.is_set():
            try:
                procs = [psutil.Process(self.root), *psutil.Process(self.root).children(recursive=True)]
            except psutil.NoSuchProcess:
                return
            for p in procs:
                try:
                    key = self.name(p)
                    self.peak[key] = max(self.peak.get(key, 0), p.memory_info().rss)
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
            self.stop_event.wait(self.every)


def baseline(files: list[tuple[str, Path]], n: int, env: dict[str, str], work: Path) -> float:
    """files/min of `sohoa process` (in-process pipeline, every core) on `n` distinct staged files."""
    sample = list(dict.fromkeys(p for _, p in files))[:n]
    bdir = work / "baseline-in"
    bdir.mkdir()
    for p in sample:
        shutil.copyfile(p, bdir / p.name)
    benv = {**env, "SOHOA_DATA_DIR": str(work / "baseline-data")}
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "sohoa", "process", str(bdir), "--unit", "H50", "--role", "ket_qua"],
                   env=benv, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return len(sample) / (time.perf_counter() - t) * 60


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--rate", type=float, default=5.0, help="files dropped per second")
    ap.add_argument("--scans", type=float, default=0.05, help="share of scanned pages (OCR)")
    ap.add_argument("--dups", type=float, default=0.02, help="share of repeated contents")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--timeout", type=float, default=7200)
    ap.add_argument("--baseline-files", type=int, default=40)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--keep", action="store_true", help="keep the data dir")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="sohoa-soak-"))
    data = work / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOHOA_")}
    env.update(SOHOA_DATA_DIR=str(data), SOHOA_REDIS_FIND="", SOHOA_WORKERS=str(args.workers),
               SOHOA_STABLE_SECONDS="1", SOHOA_POLL_SECONDS="0.5", SOHOA_RESCAN_SECONDS="60", OMP_THREAD_LIMIT="1")
    settings = Settings(data_dir=data)
    stage = work / "stage"
    stage.mkdir()
    print(f"generating {args.files} files in {stage} …", flush=True)
    files = make_files(stage, args.files, args.scans, args.dups, args.seed)
    print("baseline: sohoa process on a sample …", flush=True)
    base = baseline(files, args.baseline_files, env, work)

    run = subprocess.Popen([sys.executable, "-m", "sohoa", "run", "--no-web"], env=env, cwd=ROOT,
                           stdout=(work / "run.log").open("wb"), stderr=subprocess.STDOUT, start_new_session=True)
    sampler = RssSampler(run.pid)
    sampler.start()
    inputs: dict[str, str] = {}
    dropped_at: dict[str, float] = {}
    try:
        deadline = time.monotonic() + 120
        while not (data / "logs" / "worker.log").exists() or "ready" not in (data / "logs" / "worker.log").read_text(
            errors="replace"
        ):
            if run.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"sohoa run did not come up; see {work / 'run.log'}")
            time.sleep(0.2)
        print(f"dropping {len(files)} files at {args.rate}/s into {settings.inbox} …", flush=True)
        t0 = time.time()
        for i, (rel, src) in enumerate(files):
            target = t0 + i / args.rate
            time.sleep(max(0.0, target - time.time()))
            dest = settings.inbox / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            part = dest.with_name(dest.name + ".part")
            shutil.copyfile(src, part)
            os.replace(part, dest)
            dropped_at[rel] = time.time()
            inputs[rel] = sha256_file(src)
        print("waiting for every file to end …", flush=True)
        deadline = time.monotonic() + args.timeout
        while True:
            with db.session_scope(settings.db_url) as s:
                every = [(r.inbox_path, r.finished_at) for r in s.query(Intake)]
            rows = [(p, f) for p, f in every if f is not None]
            # Done when every dropped path has ended and no row is still pending: counting rows alone
            # would stop early if one path ever got two rows.
            ended = {p for p, _ in rows} >= set(inputs) and len(rows) == len(every)
            if ended or time.monotonic() > deadline or run.poll() is not None:
                if run.poll() is not None:
                    print(f"sohoa run exited with {run.returncode}; see {work / 'run.log'}", flush=True)
                break
            time.sleep(1.0)
    finally:
        sampler.stop_event.set()
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGTERM)
            run.wait(timeout=120)

    r = reconcile(settings, inputs, open_store(settings))
    finished = {p: (f if f.tzinfo else f.replace(tzinfo=UTC)).timestamp() for p, f in rows if p in dropped_at}
    lat = sorted(finished[p] - dropped_at[p] for p in finished)
    span = max(finished.values()) - min(dropped_at.values()) if finished else float("nan")
    rate = len(finished) / span * 60 if finished else 0.0
    q = statistics.quantiles(lat, n=100) if len(lat) >= 2 else [float("nan")] * 99
    print()
    print(f"== soak: {len(inputs)} files at {args.rate}/s, {args.workers} workers, "
          f"{datetime.now().astimezone():%Y-%m-%d %H:%M} ==")
    print(f"throughput   {rate:.1f} files/min (baseline `sohoa process` {base:.1f} files/min; ratio {rate / base:.2f})")
    print(f"ended        stored {r.stored}, duplicates {r.duplicates}, quarantined {r.quarantined}, "
          f"in flight {r.in_flight}")
    print(f"lost         {len(r.lost)}   double {len(r.double)}   other problems {len(r.problems)}")
    for line in (r.lost + r.double + r.problems)[:10]:
        print("   ", line)
    per_path: dict[str, int] = {}
    for p, _ in every:
        per_path[p] = per_path.get(p, 0) + 1
    for p, n in sorted(per_path.items()):
        if n > 1:
            print(f"    {p}: {n} intake rows")
    print(f"drop→stored  p50 {q[49]:.1f} s   p95 {q[94]:.1f} s   max {lat[-1] if lat else float('nan'):.1f} s")
    print("peak RSS     " + ", ".join(f"{k} {v / 2**20:.0f} MiB" for k, v in sorted(sampler.peak.items())))
    if args.keep:
        print(f"data kept in {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if r.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
