"""`sohoa process` as a user runs it: one JSON line per document, errors as lines, exit 0."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema

from schemas.export import OUT
from schemas.samples import SampleLabel

ROOT = Path(__file__).resolve().parents[1]


def run_sohoa(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOHOA_")}
    env["SOHOA_WORKERS"] = "2"
    return subprocess.run(
        [sys.executable, "-m", "sohoa", *args], cwd=cwd, env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True, text=True, timeout=600,
    )


def test_process_prints_records_and_errors_and_keeps_going(tmp_path: Path, sample_set) -> None:  # type: ignore[no-untyped-def]
    samples: Path = sample_set(n=3, seed=5, formats=["pdf-digital", "png", "pdf-scan"])
    labels = [SampleLabel.model_validate_json(x) for x in (samples / "labels.jsonl").read_text().splitlines()]
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\nnot a pdf at all\n%%EOF")
    files = [str(samples / lb.file) for lb in labels]
    proc = run_sohoa(tmp_path, "process", files[0], str(tmp_path / "broken.pdf"), *files[1:])
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(x) for x in proc.stdout.splitlines()]
    assert [Path(x["source"]).name for x in lines] == [Path(files[0]).name, "broken.pdf"] + [
        Path(f).name for f in files[1:]
    ]
    record_schema = json.loads((OUT / "document_record.schema.json").read_text())
    error_schema = json.loads((OUT / "process_error.schema.json").read_text())
    assert lines[1]["error"]["code"] == "header_only_pdf"  # a header and no object
    jsonschema.validate(lines[1], error_schema)
    records = [lines[0], *lines[2:]]
    for rec, label in zip(records, labels, strict=True):
        jsonschema.validate(rec, record_schema)
        assert rec["pages"] == label.pages
        assert rec["role"] == label.role and rec["unit"] == label.unit  # read from the samples' folders
        if label.format == "pdf-digital":
            assert rec["ocr"] == {"pages_ocr": 0, "pages_text_layer": label.pages}
        else:
            assert rec["ocr"]["pages_ocr"] == label.pages and rec["ocr"]["mean_confidence"] > 50
        assert len(rec["outputs"]) == 3
        for key in rec["outputs"]:
            assert (tmp_path / "sohoa-data" / "objects" / key).exists(), key
    # Objects and records go to the data dir of the current folder. Running again over the same files
    # receives nothing new; the same content under another name is a duplicate.
    again = run_sohoa(tmp_path, "process", files[0], str(tmp_path / "broken.pdf"), "--format", "table")
    assert again.returncode == 0 and "(dup)" in again.stdout and "ERROR header_only_pdf" in again.stdout
    copy = tmp_path / "copy-of-first" / Path(files[0]).name.replace(".", "-copy.", 1)
    copy.parent.mkdir()
    copy.write_bytes(Path(files[0]).read_bytes())
    assert run_sohoa(tmp_path, "process", str(copy)).returncode == 0
    status = run_sohoa(tmp_path, "status", "--json")
    totals = json.loads(status.stdout)["totals"]
    assert totals["processed"] == len(labels) and totals["duplicates"] == 1 and totals["quarantined"] == 1


def test_process_says_what_it_skips_and_reads_a_folder_inside_the_data_dir(tmp_path: Path, sample_set) -> None:  # type: ignore[no-untyped-def]
    samples: Path = sample_set(n=1, seed=5, formats=["pdf-digital"])
    label = SampleLabel.model_validate_json((samples / "labels.jsonl").read_text().splitlines()[0])
    inside = tmp_path / "sohoa-data" / "rescans"
    inside.mkdir(parents=True)
    (inside / "a.pdf").write_bytes((samples / label.file).read_bytes())
    (tmp_path / "empty").mkdir()
    # A folder that holds the data dir leaves it alone, and says so.
    whole = run_sohoa(tmp_path, "process", ".")
    assert whole.returncode == 0 and whole.stdout == ""
    assert "file(s) under the data dir" in whole.stderr
    # A folder inside the data dir is what the user asked for: it is read.
    direct = run_sohoa(tmp_path, "process", "sohoa-data/rescans")
    assert direct.returncode == 0, direct.stderr
    assert [json.loads(x)["doc_type"] for x in direct.stdout.splitlines()] == [label.doc_type]
    nothing = run_sohoa(tmp_path, "process", "empty")
    assert nothing.returncode == 0 and "no scans found" in nothing.stderr
