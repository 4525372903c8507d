"""The "no dossier" list: stored documents that belong to no dossier, so that none goes unseen.

A document belongs to a dossier when it carries a dossier code (from a slip's QR code or text, its own
text, a sidecar or its file name: pipeline/understand/split.py and pipeline/flow.py) or when a dossier links
to it as a reused copy (`dossier_link`). Every other document is listed here until a clerk gives it
its dossier (`sohoa review fix ID --by NAME --set ma_ho_so=CODE`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from pipeline.keep.models import Document, DossierLink
from schemas.document import UnlinkedDocument


def _where(unit: str | None) -> list[Any]:
    linked = exists().where(DossierLink.document_id == Document.id)
    cond = [Document.ma_ho_so.is_(None), ~linked]
    if unit is not None:
        cond.append(Document.unit == unit)
    return cond


def count_unlinked(session: Session, unit: str | None = None) -> int:
    return int(session.scalar(select(func.count()).select_from(Document).where(*_where(unit))) or 0)


def list_unlinked(session: Session, *, unit: str | None = None, limit: int | None = None) -> list[UnlinkedDocument]:
    """Newest first: the documents a clerk scanned last are the ones they still remember."""
    q = select(Document).where(*_where(unit)).order_by(Document.created_at.desc(), Document.id).limit(limit)
    out = []
    for d in session.scalars(q):
        part = d.part or {}
        out.append(UnlinkedDocument(
            doc_id=d.id,
            source=d.source,
            part=f"{part['index']}/{part['of']}" if part else None,
            pages=d.pages,
            doc_type=d.doc_type,
            doc_type_confidence=d.doc_type_confidence,
            unit=d.unit,
            role=d.role,  # type: ignore[arg-type]
            created_at=d.created_at,
            prefix=d.prefix,
        ))
    return out
