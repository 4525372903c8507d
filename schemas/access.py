"""The access log as /api/audit returns it."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from schemas.document import UtcDatetime


class AccessEntry(BaseModel):
    at: UtcDatetime
    username: str
    role: str
    via: str = Field(description="session (a person in a browser) or token")
    action: str = Field(description="view_document, view_page, view_pdf, list_documents, search_documents, "
                        "correct_document or export")
    target: str | None = Field(default=None, description="the document id, or what was searched")
    fields: list[str] = Field(description="the personal data keys shown (ho_ten, so_dinh_danh)")
    detail: dict[str, Any] = Field(default_factory=dict)


class AccessPage(BaseModel):
    total: int
    offset: int
    limit: int
    entries: list[AccessEntry]
