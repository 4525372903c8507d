"""The review queue and corrections: what a clerk fixes is applied to the document row, the stored
record.json and the objects' metadata, and kept (who, when, old and new value) for audit and for
`sohoa train`."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from pipeline.catalogue import DOC_TYPES, ROLES, role_mismatch
from pipeline.config import Settings, get_settings
from pipeline.keep import db
from pipeline.keep.models import Correction, Document, Dossier, Page, stored_utc
from pipeline.keep.record import record_of
from pipeline.keep.store import ObjectStore
from pipeline.understand.extract import unsure_fields
from pipeline.vn.codes import parse_dossier_code
from schemas.document import METADATA_KEYS, DocumentRecord


@dataclass(frozen=True)
class Problem:
    """One value a correction cannot take, said in English (CLI, logs) and Vietnamese (the clerk's form)."""

    key: str  # "doc_type", "role", "by" or a metadata key
    message: str
    message_vi: str


class ReviewError(Exception):
    """A correction that cannot be applied; the message says which document or value and why, and
    `problems` names each value at fault so that a form can show it beside its field."""

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.problems = tuple(problems)


@dataclass(frozen=True)
class QueueItem:
    doc_id: str
    source: str
    doc_type: str
    confidence: float
    role: str | None
    role_mismatch: bool
    created: str
    unit: str | None = None
    flagged: bool = False  # sent to review by the pipeline (low confidence or role mismatch when processed)
    conflict: bool = False  # its title names another class than its body reads (classify.settle)
    turn_unsure: bool = False  # a page's orientation could not be told (read/preprocess.analyse)
    unsure_fields: tuple[str, ...] = ()  # metadata read with less confidence than the field threshold


def queue(session: Session, threshold: float, limit: int = 50, field_threshold: float | None = None
          ) -> list[QueueItem]:
    """Documents flagged for review or under the threshold, least confident first; ``field_threshold``
    names the metadata keys each was flagged for (default: the settings')."""
    if field_threshold is None:
        field_threshold = get_settings().field_review_threshold
    rows = session.scalars(
        select(Document)
        .where(or_(Document.review.is_(True), Document.doc_type_confidence < threshold))
        .order_by(Document.doc_type_confidence, Document.created_at)
        .limit(limit)
    ).all()
    ids = [d.id for d in rows]
    reviewed = set(session.scalars(select(Correction.document_id).where(Correction.document_id.in_(ids))).all())
    unsure = set(session.scalars(select(Page.document_id).where(
        Page.document_id.in_(ids), Page.turn_unsure.is_not(None))).all())
    return [
        QueueItem(d.id, d.source, d.doc_type, d.doc_type_confidence, d.role, d.role_mismatch,
                  stored_utc(d.created_at).isoformat(timespec="seconds"), d.unit, d.review,
                  bool((d.classification or {}).get("conflict")), d.id in unsure,
                  tuple(unsure_fields(d.field_confidence or {}, field_threshold)))
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
            raise _bad(key, f"ngay_ban_hanh={value!r}: not an ISO date (YYYY-MM-DD)",
                       "Ngày ban hành ghi theo dạng năm-tháng-ngày, ví dụ 2023-04-07") from e
        if not date(1945, 1, 1) <= d <= date.today():
            raise _bad(key, f"ngay_ban_hanh={value!r}: before 1945 or in the future",
                       "Ngày ban hành không thể trước năm 1945 hoặc sau hôm nay")
    elif key == "so_dinh_danh" and not re.fullmatch(r"\d{12}", value):
        raise _bad(key, f"so_dinh_danh={value!r}: a personal identifier has 12 digits",
                   "Số định danh cá nhân gồm đúng 12 chữ số")
    elif key == "ma_thu_tuc" and not re.fullmatch(r"\d\.\d{6}", value):
        raise _bad(key, f"ma_thu_tuc={value!r}: a procedure code reads d.dddddd",
                   "Mã thủ tục có dạng d.dddddd, ví dụ 1.001193")
    elif key == "so_trang" and not (value.isdigit() and int(value) > 0):
        raise _bad(key, f"so_trang={value!r}: a page count is a positive number", "Số trang là một số nguyên dương")
    elif key == "ma_ho_so" and parse_dossier_code(value) != value:
        raise _bad(key, f"ma_ho_so={value!r}: not a dossier code (<unit>-<yymmdd>-<sequence>)",
                   "Mã hồ sơ có dạng <mã đơn vị>-<yymmdd>-<số thứ tự>, ví dụ H50.12-251103-0142")
    return value


def _bad(key: str, message: str, message_vi: str) -> ReviewError:
    return ReviewError(message, [Problem(key, message, message_vi)])


def check_correction(
    by: str, doc_type: str | None, role: str | None, fields: Mapping[str, str]
) -> dict[str, str | None]:
    """Every given value checked at once (a form shows all its errors together); the metadata changes
    to make, an empty value meaning: remove the key."""
    problems: list[Problem] = []
    if not by.strip():
        problems.append(Problem("by", "a correction needs the name of who made it (--by)",
                                "Cần ghi tên người sửa"))
    if doc_type is not None and doc_type not in DOC_TYPES:
        problems.append(Problem("doc_type", f"doc_type {doc_type!r}: not a class of DOMAIN.md ({', '.join(DOC_TYPES)})",
                                f"Loại tài liệu {doc_type!r} không có trong danh mục"))
    if role is not None and role not in ROLES:
        problems.append(Problem("role", f"role {role!r}: not one of {', '.join(ROLES)}",
                                "Vai trò là thành phần hồ sơ, kết quả xử lý hoặc kết quả"))
    changes: dict[str, str | None] = {}
    for key, given in fields.items():
        if key not in METADATA_KEYS:
            problems.append(Problem(key, f"{key!r}: not a metadata key of DOMAIN.md ({', '.join(METADATA_KEYS)})",
                                    f"{key!r} không phải là một trường siêu dữ liệu"))
            continue
        try:
            changes[key] = _check_value(key, given) if given.strip() else None
        except ReviewError as e:
            problems.extend(e.problems)
    if problems:
        raise ReviewError("; ".join(p.message for p in problems), problems)
    return changes


def apply_correction(
    settings: Settings,
    store: ObjectStore,
    ref: str,
    *,
    by: str,
    doc_type: str | None = None,
    role: str | None = None,
    fields: Mapping[str, str] | None = None,
) -> DocumentRecord:
    """Set the class, role and/or metadata values of one document (an empty value removes a key), clear
    its review flag, rewrite record.json and the objects' metadata, and store one correction per value.
    Giving nothing confirms the class as it stands."""
    changes = check_correction(by, doc_type, role, fields or {})
    by = by.strip()

    with db.session_scope(settings.db_url) as session:
        doc = find_document(session, ref)
        new_type = doc_type or doc.doc_type
        corrections = [Correction(document_id=doc.id, field="doc_type", old_value=doc.doc_type,
                                  new_value=new_type, by=by)]
        if role is not None and role != doc.role:
            corrections.append(Correction(document_id=doc.id, field="role", old_value=doc.role, new_value=role, by=by))
            doc.role = role
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
