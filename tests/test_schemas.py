"""One source of truth: the JSON Schema files in schemas/json are exactly what the models generate,
and real records validate against them."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from schemas.document import DocumentRecord, ErrorInfo, OcrSummary, ProcessError
from schemas.export import MODELS, OUT, rendered


def test_exported_files_match_the_models() -> None:
    files = {p.name for p in OUT.glob("*.schema.json")}
    assert files == {f"{name}.schema.json" for name in MODELS}
    for fname, text in rendered().items():
        assert (OUT / fname).read_text(encoding="utf-8") == text, f"{fname} is stale: run `make schemas`"


def schema(name: str) -> dict:  # type: ignore[type-arg]
    return json.loads((OUT / f"{name}.schema.json").read_text(encoding="utf-8"))


def test_a_record_and_an_error_validate_and_wrong_ones_do_not() -> None:
    rec = DocumentRecord(
        source="a.pdf", sha256="0" * 64, doc_id="x", pages=1, doc_type="cong_van", doc_type_confidence=0.9,
        role="ket_qua", metadata={"so_ky_hieu": "12/UBND-VP"}, text="…",
        ocr=OcrSummary(pages_ocr=1, pages_text_layer=0),
    )
    jsonschema.validate(json.loads(rec.model_dump_json()), schema("document_record"))
    err = ProcessError(source="b.pdf", error=ErrorInfo(code="unreadable_pdf", message="broken"))
    jsonschema.validate(json.loads(err.model_dump_json()), schema("process_error"))
    bad = json.loads(rec.model_dump_json())
    bad["role"] = "khac"
    try:
        jsonschema.validate(bad, schema("document_record"))
    except jsonschema.ValidationError:
        pass
    else:
        raise AssertionError("an unknown role must not validate")


def test_schema_dir_is_inside_the_package() -> None:
    assert Path(__file__).resolve().parents[1] / "schemas" / "json" == OUT
