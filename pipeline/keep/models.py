"""SQLAlchemy models: what the pipeline records about intakes, documents, pages and dossiers.

The schema itself is created and changed only by the Alembic migrations in pipeline/keep/migrations/.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Times read back from the database are made aware by pipeline/clock.py; re-exported for the readers here.
from pipeline.clock import stored_utc as stored_utc


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
PENDING = (CLAIMED, QUEUED)  # still to end
FINAL = (DONE, DUPLICATE, QUARANTINED)  # ended; only the hand-back to the clerk may remain


class Intake(Base):
    """One file a clerk dropped."""

    __tablename__ = "intake"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    unit: Mapped[str | None] = mapped_column(String(64), index=True)
    role: Mapped[str | None] = mapped_column(String(32))
    tag: Mapped[str | None] = mapped_column(String(255))
    original_name: Mapped[str] = mapped_column(String(1024))
    # Where the clerk dropped it, relative to the inbox: quarantine mirrors it so moving back retries (0004).
    inbox_path: Mapped[str | None] = mapped_column(String(2048))
    # When its job was last queued: a file queued long ago with no work seen since is queued again (0004).
    queued_at: Mapped[datetime | None] = mapped_column()
    size: Mapped[int] = mapped_column(Integer)
    spool_path: Mapped[str | None] = mapped_column(String(2048))
    state: Mapped[str] = mapped_column(String(16), index=True, default=CLAIMED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error_code: Mapped[str | None] = mapped_column(String(64))
    error_message: Mapped[str | None] = mapped_column(Text)
    document_id: Mapped[str | None] = mapped_column(ForeignKey("document.id"))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(index=True)
    # Where a quarantined file failed (intake, plan, ocr, finish, operator) and the traceback of an
    # unexpected error, for the operator console (0012).
    error_stage: Mapped[str | None] = mapped_column(String(32))
    error_trace: Mapped[str | None] = mapped_column(Text)
    # A quarantined file moved back to the inbox (by an operator, or by the clerk: `inbox`) is
    # superseded by the intake its return makes; it leaves the console's list (0012).
    released_at: Mapped[datetime | None] = mapped_column()
    released_by: Mapped[str | None] = mapped_column(String(128))


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
    # schemas.document.ClassificationInfo: the cues, the title's and the body's readings, a conflict.
    classification: Mapped[dict[str, Any] | None] = mapped_column(JSON)
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
    # A file split into several documents (pipeline/understand/split.py, migration 0006_split): `sha256` is then
    # that of the document's own cut of the file, `source_sha256` the file's, and `part` says where in
    # the file it sits (schemas.document.Part). Both null for a file that is one document.
    source_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    part: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Where `ma_ho_so` came from: qr, slip, text, sidecar or file_name (0006_split).
    dossier_source: Mapped[str | None] = mapped_column(String(16))
    # The people it names besides its citizen, as schemas.document.Party dicts (0010_parties); personal
    # data like `fields["ho_ten"]`. Null on rows recorded before the column existed.
    parties: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)


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
    # Why the page's turn stayed unsure: left as it came, its document sent to review (0015_turn_unsure).
    turn_unsure: Mapped[str | None] = mapped_column(Text)


# --- dossiers, the register, units and reuse (issue 6) ---------------------------------------------
# Kept in a section of its own; the schema comes from migration 0002.
from datetime import date  # noqa: E402

from sqlalchemy import Date, Index, true  # noqa: E402


class Unit(Base):
    """A unit of the administrative tree (province, commune, their offices). Any depth: since 2025 a
    province's communes hang directly under it, and nothing here assumes a district level."""

    __tablename__ = "unit"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(255), default="")
    parent_code: Mapped[str | None] = mapped_column(String(64), index=True)


class Procedure(Base):
    """An administrative procedure (TTHC) and whether it hands back a paper result."""

    __tablename__ = "procedure"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(1024), default="")
    # None: the list does not say; the report then takes it as issuing one (the stricter reading) and says so.
    paper_result: Mapped[bool | None] = mapped_column(Boolean)


class RegisterEntry(Base):
    """One dossier of the one-stop-shop register: the denominators of the digitisation metrics."""

    __tablename__ = "register_entry"
    __table_args__ = (Index("ix_register_entry_received_unit", "received_on", "unit"),)

    ma_ho_so: Mapped[str] = mapped_column(String(64), primary_key=True)
    ma_thu_tuc: Mapped[str | None] = mapped_column(String(32))
    unit: Mapped[str] = mapped_column(String(64), index=True)
    received_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)
    completed_on: Mapped[date | None] = mapped_column(Date)
    channel: Mapped[str | None] = mapped_column(String(64))
    # None: the register does not say; the procedures list decides (and, failing that, "yes").
    paper_result: Mapped[bool | None] = mapped_column(Boolean)
    # None: the imported file had no such column (unknown, which the report says, not "no").
    reused: Mapped[bool | None] = mapped_column(Boolean, default=False)
    ket_noi_kho: Mapped[bool | None] = mapped_column(Boolean, default=False)
    du_lieu_dan_cu: Mapped[bool | None] = mapped_column(Boolean, default=False)
    # False: the imported file had no completion column, so an empty completed_on is unknown.
    completed_known: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    source_file: Mapped[str | None] = mapped_column(String(1024))
    source_line: Mapped[int | None] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)


LINK_VIA = ("sha256", "so_ky_hieu")


class DossierLink(Base):
    """A component of dossier `ma_ho_so` stored as another document (`document_id`): a file with the
    content of one already digitised, or a new scan of a paper already digitised (same type, number
    and identifier). The dossier is linked to that copy instead of storing it again; when the copy
    belongs to an earlier dossier, the component counts as reused. No foreign key on the document: a
    same-content file may arrive while its first copy is still being processed, and the id follows
    from the content hash anyway."""

    __tablename__ = "dossier_link"

    ma_ho_so: Mapped[str] = mapped_column(String(64), primary_key=True)
    document_id: Mapped[str] = mapped_column(String(36), primary_key=True, index=True)
    role: Mapped[str | None] = mapped_column(String(32))
    via: Mapped[str] = mapped_column(String(16))
    source: Mapped[str | None] = mapped_column(String(1024))
    linked_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReuseKey(Base):
    """`doc_type|so_ky_hieu|so_dinh_danh` of a digitised document: a new scan of the same paper
    (different bytes, same document) is recognised by it. First copy wins."""

    __tablename__ = "reuse_key"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    document_id: Mapped[str] = mapped_column(String(36))

# Declared here (created by migration 0002) so the metadata matches the schema: the per-dossier probes
# of the report and the period selection of the quality rates.
Index("ix_document_dossier_role_created", Document.ma_ho_so, Document.role, Document.created_at)
Index("ix_document_created_unit", Document.created_at, Document.unit, Document.id)
Index("ix_page_document_compliant", Page.document_id, Page.compliant)
# /metrics counts documents and their pages per unit and role from this index alone (migration 0008).
Index("ix_document_counts", Document.unit, Document.role, Document.pages_ocr, Document.pages_text_layer)


# --- what the report reads, kept at record time (pipeline/keep/metric_state.py; migration 0005) ----------
class DossierState(Base):
    """Earliest moments a dossier had a component digitised, a result digitised, a component reused."""

    __tablename__ = "dossier_state"

    ma_ho_so: Mapped[str] = mapped_column(String(64), primary_key=True)
    comp_at: Mapped[datetime | None] = mapped_column()
    res_at: Mapped[datetime | None] = mapped_column()
    reuse_at: Mapped[datetime | None] = mapped_column()


class DocumentQuality(Base):
    """What one document adds to the quality rates of its unit. No foreign key: derived rows, removed with
    their document by metric_state.refresh, and a key check per row would double the backfill's time."""

    __tablename__ = "document_quality"

    document_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    created_at: Mapped[datetime] = mapped_column()
    unit: Mapped[str | None] = mapped_column(String(64))
    review: Mapped[int] = mapped_column(Integer)
    fields_read: Mapped[int] = mapped_column(Integer)
    fields_mandatory: Mapped[int] = mapped_column(Integer)
    pages_ok: Mapped[int] = mapped_column(Integer)
    pages_judged: Mapped[int] = mapped_column(Integer)


# The quality rates read one period's rows of every unit straight from this index.
Index(
    "ix_document_quality_created", DocumentQuality.created_at, DocumentQuality.unit, DocumentQuality.review,
    DocumentQuality.fields_read, DocumentQuality.fields_mandatory, DocumentQuality.pages_ok,
    DocumentQuality.pages_judged,
)


# --- review corrections (issue 5; migration 0003) ---------------------------------------------------
class Correction(Base):
    """One value a person set on a document in review: the class (`field` = "doc_type") or a
    metadata key. Kept forever: it is the audit trail and the training data of `sohoa train`. A
    confirmation (old value = new value) is stored too: it is a label as good as a change."""

    __tablename__ = "correction"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(64))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    by: Mapped[str] = mapped_column(String(128))
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


# --- web users and API tokens (migration 0007_web_users) ------------------------------------------
class User(Base):
    """A person (or a scraper) allowed into the web app. `role` decides what they see: see web/auth.py."""

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))  # scrypt, parameters and salt: accounts/users.py
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ApiToken(Base):
    """A bearer token of a user; only its SHA-256 is kept (the token is random, so no salt is needed)."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(128), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- who saw personal data (migration 0013_access_log; pipeline/keep/access_log.py) ----------------------
class AccessLog(Base):
    """One view or export of personal data: a document's names or identifiers, its page images or PDF, a
    list or search showing names. Written before the data leaves the app; never updated or deleted."""

    __tablename__ = "access_log"
    __table_args__ = (Index("ix_access_log_username_at", "username", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    username: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    via: Mapped[str] = mapped_column(String(16))  # session or token
    action: Mapped[str] = mapped_column(String(32))
    target: Mapped[str | None] = mapped_column(String(255))  # a document id, or what was searched
    fields: Mapped[list[str]] = mapped_column(JSON, default=list)  # the personal keys shown
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
