"""The review queue and corrections: what a clerk fixes is applied to the document row, the stored
record.json and the objects' metadata, and kept (who, when, old and new value) for audit and for
`sohoa train`."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from pipeline import db
from pipeline.classify import DOC_TYPES, role_mismatch
from pipeline.config import Settings
from pipeline.models import Correction, Document, Dossier
from pipeline.record import record_of
from pipeline.store import ObjectStore
from pipeline.vn.codes import parse_dossier_code
from schemas.document import METADATA_KEYS, DocumentRecord


class ReviewError(Exception):
    """A correction that cannot be applied; the message says which document or value and why."""


@dataclass(frozen=True)
class QueueItem:
    doc_id: str
    source: str
    doc_type: str
    confidence: float
    role: str | None
    role_mismatch: bool
    created: str


def queue(session: Session, threshold: float, limit: int = 50) -> list[QueueItem]:
    """Documents flagged for review or under the threshold, least confident first."""
    rows = session.scalars(
        select(Document)
        .where(or_(Document.review.is_(True), Document.doc_type_confidence < threshold))
        .order_by(Document.doc_type_confidence, Document.created_at)
        .limit(limit)
    ).all()
    reviewed = set(session.scalars(select(Correction.document_id).where(
        Correction.document_id.in_([d.id for d in rows]))).all())
    return [
        QueueItem(d.id, d.source, d.doc_type, d.doc_type_confidence, d.role, d.role_mismatch,
                  d.created_at.isoformat(timespec="seconds"))
        for d in rows
        if d.review or d.id not in reviewed  # once a person looked at it, low confidence alone no longer queues it
    ]


def find_document(session: Session, ref: str) -> Document:
    """A document by id or by a unique prefix of it (ids are long to type)."""
    ref = ref.strip()
    if len(ref) < 4:
        raise ReviewError(f"document id {ref!r}: give at least 4 characters")
    doc = session.get(Document, ref)
    if doc is not None:
        return doc
    found = session.scalars(select(Document).where(Document.id.startswith(ref, autoescape=True)).limit(2)).all()
    if not found:
        raise ReviewError(f"document {ref!r}: no such document")
    if len(found) > 1:
        raise ReviewError(f"document {ref!r}: more than one document starts so; give more of the id")
    return found[0]


def corrections_of(session: Session, doc_id: str) -> list[Correction]:
    return list(session.scalars(select(Correction).where(Correction.document_id == doc_id)
                                .order_by(Correction.at, Correction.id)).all())


def _check_value(key: str, value: str) -> str:
    """A person's value still has to be possible: same validators as the extractor's."""
    value = " ".join(value.split())
    if key == "ngay_ban_hanh":
        try:
            d = date.fromisoformat(value)
        except ValueError as e:
            raise ReviewError(f"ngay_ban_hanh={value!r}: not an ISO date (YYYY-MM-DD)") from e
        if not date(1945, 1, 1) <= d <= date.today():
            raise ReviewError(f"ngay_ban_hanh={value!r}: before 1945 or in the future")
    elif key == "so_dinh_danh" and not re.fullmatch(r"\d{12}", value):
        raise ReviewError(f"so_dinh_danh={value!r}: a personal identifier has 12 digits")
    elif key == "ma_thu_tuc" and not re.fullmatch(r"\d\.\d{6}", value):
        raise ReviewError(f"ma_thu_tuc={value!r}: a procedure code reads d.dddddd")
    elif key == "so_trang" and not (value.isdigit() and int(value) > 0):
        raise ReviewError(f"so_trang={value!r}: a page count is a positive number")
    elif key == "ma_ho_so" and parse_dossier_code(value) != value:
        raise ReviewError(f"ma_ho_so={value!r}: not a dossier code (<unit>-<yymmdd>-<sequence>)")
    return value


def apply_correction(
    settings: Settings,
    store: ObjectStore,
    ref: str,
    *,
    by: str,
    doc_type: str | None = None,
    fields: Mapping[str, str] | None = None,
) -> DocumentRecord:
    """Set the class and/or metadata values of one document (an empty value removes a key), clear its
    review flag, rewrite record.json and the objects' metadata, and store one correction per value.
    Giving nothing confirms the class as it stands."""
    by = by.strip()
    if not by:
        raise ReviewError("a correction needs the name of who made it (--by)")
    if doc_type is not None and doc_type not in DOC_TYPES:
        raise ReviewError(f"doc_type {doc_type!r}: not a class of DOMAIN.md ({', '.join(DOC_TYPES)})")
    changes: dict[str, str | None] = {}
    for key, given in (fields or {}).items():
        if key not in METADATA_KEYS:
            raise ReviewError(f"{key!r}: not a metadata key of DOMAIN.md ({', '.join(METADATA_KEYS)})")
        changes[key] = _check_value(key, given) if given.strip() else None

    with db.session_scope(settings.db_url) as session:
        doc = find_document(session, ref)
        new_type = doc_type or doc.doc_type
        corrections = [Correction(document_id=doc.id, field="doc_type", old_value=doc.doc_type,
                                  new_value=new_type, by=by)]
        metadata = dict(doc.fields)
        confidence = dict(doc.field_confidence)
        for key, value in changes.items():
            corrections.append(Correction(document_id=doc.id, field=key, old_value=metadata.get(key),
                                          new_value=value, by=by))
            if value is None:
                metadata.pop(key, None)
                confidence.pop(key, None)
            else:
                metadata[key] = value
                confidence[key] = 1.0  # read by a person
        doc.doc_type = new_type
        doc.doc_type_confidence = 1.0
        doc.role_mismatch = role_mismatch(new_type, doc.role)
        doc.review = False
        doc.fields = metadata
        doc.field_confidence = confidence
        if "ma_ho_so" in changes:
            code = changes["ma_ho_so"]
            if code and session.get(Dossier, code) is None:
                session.add(Dossier(ma_ho_so=code, unit=doc.unit, ma_thu_tuc=metadata.get("ma_thu_tuc")))
                session.flush()
            doc.ma_ho_so = code  # the objects stay under their first prefix: keys are never moved
        record = record_of(doc)
        # Objects first: if the store fails nothing is committed and the correction can be made again.
        tags = {"doc_type": new_type, "role": doc.role or "", "reviewed_by": by}
        body = json.dumps(record.model_dump(mode="json"), ensure_ascii=False, indent=1).encode("utf-8")
        for key in record.outputs:
            if key.endswith("record.json"):
                store.put_bytes(key, body, content_type="application/json", metadata=tags)
            else:
                store.update_metadata(key, tags)
        session.add_all(corrections)
    return record
