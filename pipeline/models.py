"""SQLAlchemy models: what the pipeline records about intakes, documents, pages and dossiers.

The schema itself is created and changed only by the Alembic migrations in pipeline/migrations/.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, datetime: DateTime(timezone=True)}


# Intake states. A row is written right after the file was claimed into the spool, so every
# crash point leaves either an unclaimed inbox file or a row that recovery can finish.
CLAIMED = "claimed"  # in the spool, job not yet known to be queued
QUEUED = "queued"
DONE = "done"
DUPLICATE = "duplicate"
QUARANTINED = "quarantined"
INTAKE_STATES = (CLAIMED, QUEUED, DONE, DUPLICATE, QUARANTINED)


class Intake(Base):
    """One file a clerk dropped."""

    __tablename__ = "intake"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    unit: Mapped[str | None] = mapped_column(String(64), index=True)
    role: Mapped[str | None] = mapped_column(String(32))
    tag: Mapped[str | None] = mapped_column(String(255))
    original_name: Mapped[str] = mapped_column(String(1024))
    size: Mapped[int] = mapped_column(Integer)
    spool_path: Mapped[str | None] = mapped_column(String(2048))
    state: Mapped[str] = mapped_column(String(16), index=True, default=CLAIMED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error_code: Mapped[str | None] = mapped_column(String(64))
    error_message: Mapped[str | None] = mapped_column(Text)
    document_id: Mapped[str | None] = mapped_column(ForeignKey("document.id"))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column()


class Dossier(Base):
    __tablename__ = "dossier"

    ma_ho_so: Mapped[str] = mapped_column(String(64), primary_key=True)
    unit: Mapped[str | None] = mapped_column(String(64), index=True)
    ma_thu_tuc: Mapped[str | None] = mapped_column(String(16))
    first_seen: Mapped[datetime] = mapped_column(default=utcnow)


class Document(Base):
    """One digitised document, unique by content."""

    __tablename__ = "document"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    unit: Mapped[str | None] = mapped_column(String(64), index=True)
    role: Mapped[str | None] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(1024))
    doc_type: Mapped[str] = mapped_column(String(32), index=True)
    doc_type_confidence: Mapped[float] = mapped_column(Float)
    role_mismatch: Mapped[bool] = mapped_column(Boolean, default=False)
    review: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    ma_ho_so: Mapped[str | None] = mapped_column(ForeignKey("dossier.ma_ho_so"), index=True)
    pages: Mapped[int] = mapped_column(Integer)
    pages_ocr: Mapped[int] = mapped_column(Integer, default=0)
    pages_text_layer: Mapped[int] = mapped_column(Integer, default=0)
    mean_confidence: Mapped[float | None] = mapped_column(Float)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    field_confidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    text: Mapped[str] = mapped_column(Text, default="")
    prefix: Mapped[str] = mapped_column(String(1024))
    outputs: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Page(Base):
    __tablename__ = "page"
    __table_args__ = (UniqueConstraint("document_id", "page_no"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    page_no: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(16))
    mean_confidence: Mapped[float | None] = mapped_column(Float)
    low_confidence_words: Mapped[int] = mapped_column(Integer, default=0)
    width_px: Mapped[int | None] = mapped_column(Integer)
    height_px: Mapped[int | None] = mapped_column(Integer)
    dpi: Mapped[float | None] = mapped_column(Float)
    colour: Mapped[str | None] = mapped_column(String(16))
    compliant: Mapped[bool | None] = mapped_column(Boolean)
    rotated: Mapped[int] = mapped_column(Integer, default=0)
