"""Record a finished document in the database, and read records back."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pipeline.keep.models import Document, Dossier, Page
from schemas.document import DocumentRecord, OcrSummary, Part, Party
from schemas.tasks import PageResult

SCAN_MIN_DPI = 200.0


def page_compliant(page: PageResult) -> bool | None:
    """DOMAIN's scan requirements for an administrative page: ≥ 200 dpi, 24-bit colour."""
    if page.source == "text_layer":
        return None  # born-digital: no scan to judge
    if page.dpi is None or page.colour is None:
        return False
    return page.dpi >= SCAN_MIN_DPI - 0.5 and page.colour == "colour"


def save_document(
    session: Session, record: DocumentRecord, pages: list[PageResult], prefix: str,
    separators: Sequence[PageResult] = (),
) -> bool:
    """Insert the document, its pages and its dossier. Returns False when it was already there.
    `separators`: blank sheets of a split batch next to it (numbered after its own pages); kept as its
    pages of source `separator`, so that scanned pages still add up."""
    if session.get(Document, record.doc_id) is not None:
        return False
    ma_ho_so = record.metadata.get("ma_ho_so")
    if ma_ho_so and session.get(Dossier, ma_ho_so) is None:
        try:
            with session.begin_nested():
                session.add(
                    Dossier(ma_ho_so=ma_ho_so, unit=record.unit, ma_thu_tuc=record.metadata.get("ma_thu_tuc"))
                )
        except IntegrityError:
            pass  # another worker recorded the same dossier a moment ago
    session.add(
        Document(
            id=record.doc_id,
            sha256=record.sha256,
            unit=record.unit,
            role=record.role,
            source=record.source,
            doc_type=record.doc_type,
            doc_type_confidence=record.doc_type_confidence,
            role_mismatch=record.role_mismatch,
            review=record.review,
            classification=record.classification.model_dump(mode="json") if record.classification else None,
            ma_ho_so=ma_ho_so,
            pages=record.pages,
            pages_ocr=record.ocr.pages_ocr,
            pages_text_layer=record.ocr.pages_text_layer,
            mean_confidence=record.ocr.mean_confidence,
            fields=dict(record.metadata),
            field_confidence=dict(record.metadata_confidence),
            text=record.text,
            prefix=prefix,
            outputs=list(record.outputs),
            source_sha256=record.part.source_sha256 if record.part else None,
            part=record.part.model_dump(mode="json", exclude={"source_sha256"}) if record.part else None,
            dossier_source=record.dossier_source,
            parties=[p.model_dump(mode="json") for p in record.parties],
        )
    )
    for p, source in [*((p, p.source) for p in pages), *((p, "separator") for p in separators)]:
        session.add(
            Page(
                document_id=record.doc_id,
                page_no=p.page_no,
                source=source,
                mean_confidence=p.mean_confidence,
                low_confidence_words=p.low_confidence_words,
                width_px=p.width_px,
                height_px=p.height_px,
                dpi=p.dpi,
                colour=p.colour,
                compliant=page_compliant(p),
                rotated=p.rotated,
                turn_unsure=p.turn_unsure,
            )
        )
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        return False  # the same content finished in another worker first
    return True


def load_records(session: Session, sha256: str) -> list[DocumentRecord]:
    """The documents made of the file with this hash: the file itself, or the documents it was split
    into, in their order in the file. A split file's documents are recorded together or not at all."""
    docs = list(session.scalars(
        select(Document).where(or_(Document.sha256 == sha256, Document.source_sha256 == sha256))
    ))
    return [record_of(d) for d in sorted(docs, key=lambda d: (d.part or {}).get("index", 0))]


def load_record(session: Session, sha256: str) -> DocumentRecord | None:
    doc = session.scalar(select(Document).where(Document.sha256 == sha256))
    if doc is None:
        return None
    return record_of(doc)


def record_of(doc: Document) -> DocumentRecord:
    return DocumentRecord(
        source=doc.source,
        sha256=doc.sha256,
        doc_id=doc.id,
        unit=doc.unit,
        pages=doc.pages,
        doc_type=doc.doc_type,
        doc_type_confidence=doc.doc_type_confidence,
        role=doc.role,  # type: ignore[arg-type]
        role_mismatch=doc.role_mismatch,
        review=doc.review,
        metadata=dict(doc.fields),
        metadata_confidence=dict(doc.field_confidence),
        parties=[Party.model_validate(p) for p in doc.parties or []],
        text=doc.text,
        ocr=OcrSummary(
            pages_ocr=doc.pages_ocr, pages_text_layer=doc.pages_text_layer, mean_confidence=doc.mean_confidence
        ),
        outputs=list(doc.outputs),
        dossier_source=doc.dossier_source,  # type: ignore[arg-type]
        part=Part(source_sha256=doc.source_sha256, **doc.part) if doc.part and doc.source_sha256 else None,
    )
