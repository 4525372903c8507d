"""Pydantic models of every record that crosses a boundary; the JSON Schema files in
`schemas/json/` are generated from them (`python -m schemas.export`)."""

from schemas.document import DocumentRecord, ErrorInfo, OcrSummary, ProcessError
from schemas.samples import SampleLabel
from schemas.tasks import IngestJob, PageJob, PageResult, PageSpec, PageWord

__all__ = [
    "DocumentRecord",
    "ErrorInfo",
    "IngestJob",
    "OcrSummary",
    "PageJob",
    "PageResult",
    "PageSpec",
    "PageWord",
    "ProcessError",
    "SampleLabel",
]
