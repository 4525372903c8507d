"""Ground truth of a generated sample document (`sohoa samples`)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from schemas.document import Party, Role


class SampleLabel(BaseModel):
    file: str = Field(description="path relative to the output folder")
    doc_type: str
    role: Role
    unit: str
    metadata: dict[str, str] = Field(default_factory=dict, description="true values of DOMAIN.md keys")
    parties: list[Party] = Field(default_factory=list, description="the other people the document names")
    text: str = Field(description="the text as rendered, NFC, pages separated by form feeds")
    pages: int
    format: str = Field(description="pdf-digital, pdf-scan, tiff, jpeg or png")
    dpi: int | None = None
    degradation: str = Field(description="clean, scan or photo")
    rotation: int = Field(default=0, description="degrees the scanned pages were turned (0, 90, 180, 270)")
    skew: float = 0.0
    seed: int
    family: str = Field(default="A", description="the template family that made it (pipeline/samples/families.py)")
    template: str = Field(default="", description="the template within its family, e.g. B.to_khai.cc01")
    fill: str = Field(default="typed", description="typed, hand (values written in by hand) or blank (a template)")


class BatchDocument(BaseModel):
    """One document of a generated scan batch, as the split should find it."""

    pages: list[int] = Field(description="the batch file's pages (1-based) that make the document")
    doc_type: str
    ma_ho_so: str | None = Field(default=None, description="the dossier it belongs to; null before any slip")
    dossier_source: Literal["qr", "slip"] | None = Field(
        default=None, description="where the code is to be read: the slip's QR when readable, else its printed text"
    )
    ma_thu_tuc: str | None = None
    so_dinh_danh: str | None = Field(default=None, description="a slip's applicant, when its QR carries it")


class BatchLabel(BaseModel):
    """Ground truth of a generated scan batch (`sohoa samples --batches`): several documents and
    dossiers in one file, with blank separator pages."""

    file: str = Field(description="path relative to the output folder")
    unit: str
    role: Role
    format: str = Field(description="pdf-digital, pdf-scan or tiff")
    dpi: int | None = None
    degradation: str
    pages: int
    separators: list[int] = Field(default_factory=list, description="blank separator pages (1-based)")
    documents: list[BatchDocument]
    seed: int
