"""Hostile and broken input through `sohoa process` (issue 12), with the corpus tests/hostile/corpus.py
makes and healthy files in the same batch: every file processed or quarantined with its own reason,
none internal_error. The children crash, hang and eat memory on cue (tests/hostile/faults.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile.corpus import make

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def test_every_hostile_file_ends_with_its_reason_and_the_healthy_ones_are_read(tmp_path: Path) -> None:
    expected = make(tmp_path / "corpus")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOHOA_")}
    env.update(SOHOA_DATA_DIR=str(tmp_path / "data"), SOHOA_WORKERS="2", SOHOA_ISOLATE_PRELOAD="tests.hostile.faults",
               SOHOA_TASK_SOFT_LIMIT_PER_PAGE="4", SOHOA_CHILD_MEMORY_MB="1024", PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-m", "sohoa", "process", str(tmp_path / "corpus")], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr
    got: dict[str, tuple[str, str | None]] = {}
    for line in proc.stdout.splitlines():
        rec = json.loads(line)
        name = Path(rec["source"]).name
        got[name] = ("quarantined", rec["error"]["code"]) if "error" in rec else ("processed", None)
        if "error" in rec:
            assert rec["error"]["message_vi"] and rec["error"]["message"]
    assert got == expected
    assert "1 timed out" in proc.stderr and "2 crashed" in proc.stderr  # one segfault, tried twice


def test_a_symlink_in_the_inbox_is_quarantined_as_a_link_and_never_followed(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from pipeline.intake.claim import claim
    from pipeline.keep import db
    from pipeline.keep.models import QUARANTINED

    db.migrate(settings.db_url)
    secret = tmp_path / "secret.pdf"
    secret.write_bytes(b"%PDF-1.4 another unit's file %%EOF")
    link = settings.inbox / "H50" / "thanh-phan" / "link.pdf"
    link.parent.mkdir(parents=True)
    link.symlink_to(secret)
    queued: list[object] = []
    row = claim(link, settings, queued.append)
    assert row.state == QUARANTINED and row.error_code == "symlink" and not queued
    moved = settings.quarantine / "H50" / "thanh-phan" / "link.pdf"
    assert moved.is_symlink() and secret.read_bytes().startswith(b"%PDF")  # moved as a link, target untouched
    assert "liên kết" in (moved.parent / "link.pdf.loi.txt").read_text(encoding="utf-8")
