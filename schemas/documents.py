"""Documents as the web app lists and shows them (/api/documents): a page of a filtered or searched list,
and one document with its pages, dossier, links and corrections."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from schemas.document import UtcDatetime
from schemas.review import ReviewDocument

# waiting: in the review queue; reviewed: a person corrected or confirmed it; auto: taken as read,
# no person has looked at it (not the same as reviewed).
ReviewState = Literal["waiting", "reviewed", "auto"]


class DocumentSummary(BaseModel):
    doc_id: str
    source: str = Field(description="file name; masked for roles that may not see personal data")
    unit: str | None = None
    role: str | None = None
    doc_type: str
    doc_type_confidence: float
    ma_ho_so: str | None = None
    pages: int
    created_at: UtcDatetime
    review_state: ReviewState
    ho_ten: str | None = Field(default=None, description="the citizen's name; null when absent or masked")
    snippet: str | None = Field(default=None, description="where the text matches the query; null when masked")


class DocumentList(BaseModel):
    total: int = Field(description="documents matching, counted up to `total_cap`")
    total_capped: bool = Field(description="more than `total` match")
    offset: int
    limit: int
    items: list[DocumentSummary]


class PageInfo(BaseModel):
    """One page and its scan compliance (DOMAIN.md "Scan requirements"); born-digital pages are not judged."""

    page_no: int
    source: str = Field(description="ocr, text_layer or separator")
    dpi: float | None = None
    colour: str | None = None
    width_px: int | None = None
    height_px: int | None = None
    compliant: bool | None = Field(description="meets the scan requirements; null when not a scan")
    mean_confidence: float | None = None
    low_confidence_words: int = 0
    rotated: int = 0


class DossierMember(BaseModel):
    doc_id: str
    doc_type: str
    role: str | None = None
    pages: int
    via: str = Field(description="own (the document carries the code) or a link (sha256, so_ky_hieu)")


class DossierInfo(BaseModel):
    ma_ho_so: str
    ma_thu_tuc: str | None = None
    unit: str | None = None
    documents: list[DossierMember]


class LinkInfo(BaseModel):
    """A dossier that reuses this document as one of its components instead of storing it again."""

    ma_ho_so: str
    via: str
    role: str | None = None
    linked_at: UtcDatetime


class DocumentView(ReviewDocument):
    created_at: UtcDatetime
    review_state: ReviewState
    ma_ho_so: str | None = None
    dossier_source: str | None = None
    page_info: list[PageInfo] = Field(default_factory=list)
    dossier: DossierInfo | None = None
    links: list[LinkInfo] = Field(default_factory=list, description="dossiers that reuse this document")
