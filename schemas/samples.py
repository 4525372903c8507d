"""Ground truth of a generated sample document (`sohoa samples`)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from schemas.document import Role


class SampleLabel(BaseModel):
    file: str = Field(description="path relative to the output folder")
    doc_type: str
    role: Role
    unit: str
    metadata: dict[str, str] = Field(default_factory=dict, description="true values of DOMAIN.md keys")
    text: str = Field(description="the text as rendered, NFC, pages separated by form feeds")
    pages: int
    format: str = Field(description="pdf-digital, pdf-scan, tiff, jpeg or png")
    dpi: int | None = None
    degradation: str = Field(description="clean, scan or photo")
    rotation: int = Field(default=0, description="degrees the scanned pages were turned (0, 90, 180, 270)")
    skew: float = 0.0
    seed: int
