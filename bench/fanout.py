"""Fan-out: one 40-page scanned PDF dropped into the inbox must keep every worker process busy.

    .venv/bin/python bench/fanout.py [--pages 40] [--processes 2] [--dpi 300]

Baseline, measured in the same run on the same pages: `tesseract` called directly on each page
(rasterised in advance, OMP_THREAD_LIMIT=1), one after the other; the ideal drop-to-stored time
is that total divided by the number of processes. The pipeline runs as `sohoa worker` + `sohoa
watch` with a Redis of its own. Target: drop-to-stored ≤ 1.2 × ideal, and the peak number of
tesseract processes running at once equals the number of processes.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.config import Settings  # noqa: E402
from pipeline.keep import db  # noqa: E402
from pipeline.keep.models import DONE, Intake  # noqa: E402
from tests.conftest import RedisServer  # noqa: E402
from tests.helpers import LINES, text_page  # noqa: E402

BODY = [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;",
    "Xét đề nghị của Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã,",
    "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
    "Điều 3. Chánh Văn phòng, Trưởng các phòng, ban và cá nhân có liên quan chịu trách nhiệm thi hành.",
]


def make_pdf(path: Path, pages: int, dpi: int) -> None:
    imgs = [text_page([*LINES, *BODY, f"Trang {i + 1}"], dpi=dpi) for i in range(pages)]
    imgs[0].save(path, "PDF", resolution=dpi, save_all=True, append_images=imgs[1:], quality=85)


def tesseract_baseline(pdf: Path, dpi: int, work: Path) -> float:
    """Seconds of plain tesseract over every page, one process at a time."""
    doc = pdfium.PdfDocument(str(pdf))
    files = []
    for i in range(len(doc)):
        f = work / f"p{i:03d}.png"
        doc[i].render(scale=dpi / 72).to_pil().save(f, dpi=(dpi, dpi), compress_level=1)
        files.append(f)
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    total = 0.0
    for f in files:
        t = time.perf_counter()
        subprocess.run(
            ["tesseract", str(f), str(f.with_suffix("")), "-l", "vie", "-c", "tessedit_create_tsv=1",
             "-c", "tessedit_create_txt=1", "pdf"],
            env=env, check=True, capture_output=True,
        )
        total += time.perf_counter() - t
    return total


class TesseractCounter(threading.Thread):
    """The most tesseract processes seen running at once."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0
        self.stop_event = threading.Event()

    def run(self) -> None:
        while not self.stop_event.is_set():
            n = sum(1 for p in psutil.process_iter(["name"]) if p.info["name"] == "tesseract")
            self.peak = max(self.peak, n)
            time.sleep(0.05)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=40)
    ap.add_argument("--processes", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--dpi", type=int, default=300)
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="sohoa-fanout-"))
    try:
        pdf = tmp / "H50.12-251103-0142.1.pdf"
        make_pdf(pdf, args.pages, args.dpi)
        (tmp / "base").mkdir()
        base = tesseract_baseline(pdf, args.dpi, tmp / "base")
        ideal = base / args.processes
        print(f"pages: {args.pages} at {args.dpi} dpi, processes: {args.processes}")
        print(f"tesseract alone: {base:.1f} s in all, {base / args.pages:.2f} s/page; ideal: {ideal:.1f} s")

        settings = Settings(data_dir=tmp / "data")
        settings.ensure_dirs()
        db.migrate(settings.db_url)
        redis = RedisServer(tmp / "redis")
        redis.start()
        env = {k: v for k, v in os.environ.items() if not k.startswith("SOHOA_")}
        env.update(SOHOA_DATA_DIR=str(settings.data), SOHOA_REDIS_URL=redis.url, SOHOA_STABLE_SECONDS="0.2",
                   SOHOA_POLL_SECONDS="0.1", SOHOA_WORKERS=str(args.processes), OMP_THREAD_LIMIT="1")
        logs = (tmp / "logs.txt").open("wb")
        procs = [
            subprocess.Popen([sys.executable, "-m", "sohoa", *cmd], env=env, cwd=ROOT, stdout=logs, stderr=logs)
            for cmd in (["worker", "--concurrency", str(args.processes)], ["watch"])
        ]
        counter = TesseractCounter()
        try:
            time.sleep(5)  # workers and watcher up: the bench measures the document, not start-up
            counter.start()
            dest = settings.inbox / "H50.12" / "ket-qua" / pdf.name
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(pdf, dest.with_suffix(".part"))
            started = time.perf_counter()
            os.replace(dest.with_suffix(".part"), dest)
            deadline = started + 20 * ideal + 120
            while time.perf_counter() < deadline:
                with db.session_scope(settings.db_url) as s:
                    row = s.query(Intake.state).filter(Intake.original_name == pdf.name).first()
                if row and row[0] == DONE:
                    break
                time.sleep(0.2)
            else:
                print("FAILED: the document was not stored in time; see", tmp / "logs.txt")
                return 1
            took = time.perf_counter() - started
        finally:
            counter.stop_event.set()
            for p in procs:
                p.terminate()
            for p in procs:
                p.wait(timeout=60)
            redis.stop()
        ratio = took / ideal
        print(f"drop-to-stored: {took:.1f} s; ratio to ideal: {ratio:.2f} (target <= 1.2)")
        print(f"peak tesseract processes at once: {counter.peak} (target {args.processes})")
        return 0 if ratio <= 1.2 and counter.peak >= args.processes else 2
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
