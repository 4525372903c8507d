"""Write (or with --check, verify) the JSON Schema files generated from the models."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pydantic import BaseModel

from schemas.document import DocumentRecord, ProcessError, UnlinkedDocument
from schemas.report import DossierDetail, Report
from schemas.samples import BatchLabel, SampleLabel
from schemas.tasks import IngestJob, PageJob, PageResult

OUT = Path(__file__).parent / "json"
MODELS: dict[str, type[BaseModel]] = {
    "document_record": DocumentRecord,
    "process_error": ProcessError,
    "ingest_job": IngestJob,
    "page_job": PageJob,
    "page_result": PageResult,
    "sample_label": SampleLabel,
    "batch_label": BatchLabel,
    "unlinked_document": UnlinkedDocument,
    "report": Report,
    "dossier_detail": DossierDetail,
}


def rendered() -> dict[str, str]:
    return {
        f"{name}.schema.json": json.dumps(model.model_json_schema(), ensure_ascii=False, indent=2) + "\n"
        for name, model in MODELS.items()
    }


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    OUT.mkdir(exist_ok=True)
    for fname, text in rendered().items():
        path = OUT / fname
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(fname)
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print(f"schemas/json is out of date ({', '.join(stale)}): run `make schemas`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
