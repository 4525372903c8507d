"""Payloads of the Celery tasks and the per-page results they pass on."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from schemas.document import Role


class IngestJob(BaseModel):
    """One claimed file, keyed by its content hash."""

    intake_id: int
    sha256: str
    path: str = Field(description="the claimed copy in the spool")
    original_name: str
    unit: str | None = None
    role: Role | None = None
    received_at: datetime


class PageSpec(BaseModel):
    """One page of a planned document: read its text layer, or OCR its image."""

    model_config = ConfigDict(frozen=True)

    page_no: int = Field(description="1-based")
    kind: Literal["text", "image"]
    text: str = ""
    dpi: float | None = Field(default=None, description="the scan's own resolution, when known")
    rotate_attr: int = Field(default=0, description="a PDF page's /Rotate")


class PageJob(BaseModel):
    """OCR one page of a claimed file."""

    job: IngestJob
    fmt: Literal["pdf", "tiff", "jpeg", "png", "heic"]
    page: PageSpec


class PageWord(BaseModel):
    text: str
    conf: float
    left: int
    top: int
    width: int
    height: int


class PageResult(BaseModel):
    """What reading one page produced. Blobs (the page's PDF layer) stay in the work dir."""

    page_no: int = Field(description="1-based")
    source: Literal["ocr", "text_layer", "empty"]
    text: str
    mean_confidence: float | None = None
    low_confidence_words: int = 0
    words: list[PageWord] = Field(default_factory=list)
    width_px: int | None = None
    height_px: int | None = None
    dpi: float | None = None
    colour: Literal["colour", "grey", "bilevel"] | None = None
    rotated: int = Field(default=0, description="degrees the page was turned before OCR")
    turn_unsure: str | None = Field(
        default=None, description="why the page's turn stayed unsure (it was left as it came; the document goes "
        "to review); null when sure"
    )
    skew: float = Field(
        default=0.0, description="degrees the OCR copy was turned after `rotated` to level its lines (anticlockwise)"
    )
    pdf_path: str | None = Field(default=None, description="searchable single-page PDF in the work dir")
    seconds: float = 0.0
    ink: float | None = Field(
        default=None, description="share of the page (margins aside) that is ink, 0-1; null for a text-layer page"
    )
    qr: list[str] = Field(default_factory=list, description="payloads of the QR codes read on the page")
    handwritten: list[Literal["number", "day"]] = Field(
        default_factory=list, description="gaps of the header found written in by hand and read again from the pen's "
        "strokes (the number after `Số:`, the day of the place-date line): their values go to review, never stored "
        "as read")
    problem: str | None = Field(
        default=None, description="why the page could not be read (an error code such as `timeout`); the rest of "
        "the file was read")
