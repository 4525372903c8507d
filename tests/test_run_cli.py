"""`sohoa run`, the embedded default, as a user runs it: it starts its own Redis, digitises a dropped file,
stops cleanly on SIGTERM and says so, and its logs carry what sohoa did, not library chatter."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_run_digitises_a_file_and_stops_cleanly_on_sigterm(tmp_path: Path, sample_set) -> None:  # type: ignore[no-untyped-def]
    samples: Path = sample_set(n=1, seed=5, formats=["pdf-digital"])
    label = json.loads((samples / "labels.jsonl").read_text().splitlines()[0])
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOHOA_")}
    env.update(SOHOA_REDIS_FIND="", SOHOA_WORKERS="1", SOHOA_STABLE_SECONDS="0.5", PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "sohoa", "run", "--no-web"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    data = tmp_path / "sohoa-data"
    try:
        deadline = time.monotonic() + 120
        dest = data / "inbox" / label["file"]
        while time.monotonic() < deadline and not (data / "inbox").is_dir():
            time.sleep(0.2)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(samples / label["file"], dest)
        done = data / "done"
        while time.monotonic() < deadline and not any(done.rglob(dest.name)):
            assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
            time.sleep(0.5)
        assert any(done.rglob(dest.name)), "the dropped file was not digitised in time"
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, out
    assert "redis:" in out and "(started here)" in out
    assert "stopping (SIGTERM)" in out and "Ctrl-C" not in out
    logs = {p.name: p.read_text(errors="replace") for p in (data / "logs").glob("*.log")}
    assert {"worker.log", "watch.log"} <= set(logs)
    for name, text in {"console": out, **logs}.items():
        assert "INFO alembic" not in text and "INFO pikepdf" not in text, name
        assert "leaked" not in text, name  # nanobind's leak report at interpreter exit
