"""The review queue and corrections as the web API returns and takes them (/api/review)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from schemas.document import UtcDatetime

Reason = Literal["role_mismatch", "title_conflict", "turn_unsure", "low_confidence", "unsure_fields", "flagged"]


class ReviewItem(BaseModel):
    doc_id: str
    source: str = Field(description="file name; masked for roles that may not see personal data")
    doc_type: str
    confidence: float
    reason: Reason = Field(description="role_mismatch, title_conflict (the title names another class than the "
                                       "body reads), turn_unsure (a page's orientation could not be told; it was "
                                       "left as scanned), low_confidence (under the threshold), unsure_fields (a "
                                       "metadata value read with low confidence) or flagged")
    role: str | None = None
    unit: str | None = None
    received: str = Field(description="when the document was recorded, ISO 8601")


class CorrectionInfo(BaseModel):
    field: str
    old_value: str | None
    new_value: str | None
    by: str
    at: UtcDatetime


class ReviewDocument(BaseModel):
    doc_id: str
    source: str
    unit: str | None
    role: str | None
    doc_type: str
    doc_type_confidence: float
    role_mismatch: bool
    review: bool = Field(description="still in the review queue")
    cues: list[str] = Field(default_factory=list, description="why the class: the cues, a title/body conflict first")
    title_conflict: bool = Field(default=False, description="its title names another class than its body reads")
    turn_unsure: list[int] = Field(
        default_factory=list, description="pages whose orientation could not be told (left as scanned)"
    )
    pages: int
    metadata: dict[str, str]
    metadata_confidence: dict[str, float]
    masked: list[str] = Field(default_factory=list, description="metadata keys whose values are masked")
    text: str | None = Field(default=None, description="text read; null when masked")
    pdf: str | None = Field(default=None, description="path of the searchable PDF; null when masked")
    corrections: list[CorrectionInfo] = Field(default_factory=list)


class ReviewFix(BaseModel):
    """A correction; nothing given confirms the document as it is."""

    doc_type: str | None = None
    role: str | None = None
    fields: dict[str, str] = Field(default_factory=dict, description="metadata key → value; an empty value removes it")


class ReviewProblem(BaseModel):
    key: str
    message: str
    message_vi: str


class ReviewRejected(BaseModel):
    detail: str
    problems: list[ReviewProblem]
