"""The record of one digitised document: what `sohoa process` prints, what `record.json` holds."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field


def _utc(t: datetime) -> datetime:
    return t if t.tzinfo else t.replace(tzinfo=UTC)


# A time as it leaves the program, always with its zone: SQLite hands back naive times, written in UTC.
UtcDatetime = Annotated[datetime, AfterValidator(_utc)]

Role = Literal["thanh_phan", "ket_qua_xu_ly", "ket_qua"]
# Where a document's dossier code came from, most trusted first (DESIGN.md).
DossierVia = Literal["qr", "slip", "text", "sidecar", "file_name"]

# Metadata keys of DOMAIN.md, in the order a reader expects them.
METADATA_KEYS: tuple[str, ...] = (
    "ma_ho_so",
    "ma_thu_tuc",
    "ma_co_quan",
    "ten_loai",
    "so",
    "ky_hieu",
    "so_ky_hieu",
    "ngay_ban_hanh",
    "dia_danh",
    "co_quan_ban_hanh",
    "trich_yeu",
    "chuc_vu_nguoi_ky",
    "nguoi_ky",
    "ho_ten",
    "so_dinh_danh",
    "so_trang",
    "ngon_ngu",
    "muc_do_tin_cay",
)


class OcrSummary(BaseModel):
    pages_ocr: int = Field(description="pages read by OCR")
    pages_text_layer: int = Field(description="pages read from a real text layer (OCR skipped)")
    mean_confidence: float | None = Field(
        default=None, description="mean tesseract word confidence over OCR'd pages, 0-100; null without OCR"
    )
    turn_unsure: list[int] = Field(
        default_factory=list,
        description="pages whose orientation could not be told: left as they came, the document sent to review",
    )
    pages_unread: dict[int, str] = Field(
        default_factory=dict, description="pages that could not be read (OCR timed out, say), with the reason's code; "
        "the other pages were read and stored"
    )


class Part(BaseModel):
    """Where a document sits in a scanned batch that held several (pipeline/understand/split.py)."""

    source_sha256: str = Field(description="of the batch file the document was cut from")
    index: int = Field(description="1-based position of this document in the file")
    of: int = Field(description="documents the file was split into")
    pages: list[int] = Field(description="the file's pages (1-based) that make this document, in order")
    separators: list[int] = Field(
        default_factory=list, description="blank separator pages after it, dropped from the document"
    )


class Party(BaseModel):
    """A person a document names besides the citizen it is about (`metadata.ho_ten`): the other side
    of a power of attorney, the parents on a birth certificate, the two spouses of a marriage, the
    submitter of someone else's dossier (pipeline/understand/extract/people.py says who is the citizen
    of each class). Personal data, like `ho_ten` and `so_dinh_danh`."""

    role: str = Field(description="the person's role as the paper prints it, e.g. `Bên được ủy quyền`, `người mẹ`")
    ho_ten: str
    so_dinh_danh: str | None = Field(default=None, description="12 digits, when printed in the person's block")
    confidence: float | None = Field(default=None, description="of the name's reading, 0..1; null in ground truth")


class ClassificationInfo(BaseModel):
    """Why the document has its class (pipeline/understand/classify.py, learned.py)."""

    cues: list[str] = Field(default_factory=list, description="the reasons, strongest first (a conflict first)")
    title: str | None = Field(default=None, description="the class its printed title (or symbol) names")
    body: str | None = Field(default=None, description="the class the rest of the page reads as, when another")
    conflict: bool = Field(default=False, description="title and body disagree: sent to review with both readings")


class DocumentRecord(BaseModel):
    """One document, as printed by `sohoa process --format jsonl` and stored as `record.json`."""

    source: str = Field(description="the file as given (path or original name)")
    sha256: str = Field(description="of the stored original: the file, or this document's cut of a batch file")
    doc_id: str
    unit: str | None = None
    pages: int
    doc_type: str
    doc_type_confidence: float
    role: Role | None = None
    role_mismatch: bool = Field(default=False, description="the class contradicts the clerk's folder")
    review: bool = Field(default=False, description="sent to the review queue")
    classification: ClassificationInfo | None = Field(default=None, description="why this class")
    metadata: dict[str, str] = Field(default_factory=dict, description="keys of DOMAIN.md; absent when unread")
    metadata_confidence: dict[str, float] = Field(default_factory=dict)
    parties: list[Party] = Field(default_factory=list, description="the other people the document names")
    text: str = Field(description="full text, NFC, pages separated by form feeds")
    ocr: OcrSummary
    outputs: list[str] = Field(default_factory=list, description="object keys in the store")
    duplicate_of: str | None = Field(default=None, description="doc_id of the first copy of this content")
    dossier_source: DossierVia | None = Field(
        default=None, description="where `metadata.ma_ho_so` came from; null when the document has no dossier"
    )
    part: Part | None = Field(default=None, description="set when the file was split into several documents")


class ErrorInfo(BaseModel):
    code: str = Field(description="stable machine code, e.g. unreadable_pdf")
    message: str = Field(description="English, for logs and operators")
    message_vi: str | None = Field(default=None, description="Vietnamese, for the clerk")


class ProcessError(BaseModel):
    """A file `sohoa process` could not digitise; the run goes on."""

    source: str
    error: ErrorInfo


class UnlinkedDocument(BaseModel):
    """A stored document that belongs to no dossier: neither its own code (QR, slip, text, sidecar,
    file name) nor a dossier's link to it. `sohoa dossiers unlinked` lists them for a clerk to settle."""

    doc_id: str
    source: str = Field(description="the file it came from")
    part: str | None = Field(default=None, description="`k/n` when the file was split into n documents")
    pages: int
    doc_type: str
    doc_type_confidence: float
    unit: str | None = None
    role: Role | None = None
    created_at: UtcDatetime
    prefix: str = Field(description="where its objects are in the store (under no-dossier/)")
