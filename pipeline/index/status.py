"""Counts an operator asks for first: what came in, what is done, what is stuck or rejected."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, select

from pipeline.index.unlinked import count_unlinked
from pipeline.keep import db
from pipeline.keep.models import CLAIMED, DONE, DUPLICATE, QUARANTINED, QUEUED, Document, Intake, Page

FAILURE_CODES = ("internal_error", "worker_crashed", "ocr_failed")
COLUMNS = ("received", "processed", "duplicates", "quarantined", "in_flight", "failed")


def status(db_url: str) -> dict[str, Any]:
    rows: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: dict.fromkeys(COLUMNS, 0))
    with db.session_scope(db_url) as s:
        q = select(Intake.unit, Intake.role, Intake.state, Intake.error_code, func.count()).group_by(
            Intake.unit, Intake.role, Intake.state, Intake.error_code
        )
        for unit, role, state, code, n in s.execute(q):
            r = rows[(unit or "?", role or "?")]
            r["received"] += n
            if state == DONE:
                r["processed"] += n
            elif state == DUPLICATE:
                r["duplicates"] += n
            elif state == QUARANTINED:
                r["quarantined"] += n
                if code in FAILURE_CODES:
                    r["failed"] += n
            elif state in (CLAIMED, QUEUED):
                r["in_flight"] += n
        docs = s.scalar(select(func.count()).select_from(Document)) or 0
        pages = s.scalar(select(func.count()).select_from(Page)) or 0
        review = s.scalar(select(func.count()).select_from(Document).where(Document.review.is_(True))) or 0
        types = dict(s.execute(select(Document.doc_type, func.count()).group_by(Document.doc_type)).all())
        dossiers = s.scalar(select(func.count(func.distinct(Document.ma_ho_so)))) or 0
        ocr_pages = s.scalar(select(func.sum(Document.pages_ocr))) or 0
        unlinked = count_unlinked(s)
        text_pages = s.scalar(select(func.sum(Document.pages_text_layer))) or 0
    totals = dict.fromkeys(COLUMNS, 0)
    for r in rows.values():
        for k in COLUMNS:
            totals[k] += r[k]
    return {
        "totals": totals,
        "by_unit_role": [{"unit": u, "role": ro, **c} for (u, ro), c in sorted(rows.items())],
        "documents": docs,
        "pages": pages,
        "pages_ocr": ocr_pages,
        "pages_text_layer": text_pages,
        "review": review,
        "dossiers": dossiers,
        "unlinked": unlinked,  # documents of no dossier: `sohoa dossiers unlinked` lists them
        "doc_types": dict(sorted(types.items(), key=lambda kv: -kv[1])),
    }
