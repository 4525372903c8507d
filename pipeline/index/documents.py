"""Finding documents: the list filtered by unit (with the units under it), role, class, period, dossier and
review state, full-text search over the text and metadata (pipeline/keep/search.py), and everything
recorded about one document: its pages with their scan compliance, its dossier, the dossiers that reuse it.

Masking personal data is the caller's business (the web app knows who asks); `personal=False` here only
skips reading what would be masked anyway (the text for snippets)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import Session

from pipeline.clock import local_midnight
from pipeline.index.metrics import load_tree, parse_period
from pipeline.keep import search
from pipeline.keep.models import Correction, Document, Dossier, DossierLink, Page
from pipeline.vn.text import fold
from schemas.documents import DocumentSummary, DossierInfo, DossierMember, LinkInfo, PageInfo, ReviewState

REVIEW_STATES: tuple[ReviewState, ...] = ("waiting", "reviewed", "auto")
TOTAL_CAP = 10_000  # counting every match of a word found in most documents costs more than it tells
# Up to this many matches, the best first (by relevance); beyond, newest first: ranking every match of a
# word found in most documents would cost seconds and tell little (a clerk then narrows the search).
RANKED_UP_TO = 2_000
SNIPPET = 90


@dataclass(frozen=True)
class DocumentFilter:
    unit: str | None = None
    role: str | None = None
    doc_type: str | None = None
    period: str | None = None  # 2026, 2026-Q3, 2026-09: when the document was recorded (local days)
    ma_ho_so: str | None = None  # the dossier's own documents and those it links to
    review: ReviewState | None = None
    q: str = ""

    def validate(self) -> None:
        if self.period:
            parse_period(self.period)  # ValueError names the expected forms
        if self.review is not None and self.review not in REVIEW_STATES:
            raise ValueError(f"review state {self.review!r}: expected one of {', '.join(REVIEW_STATES)}")


def _units_under(session: Session, unit: str) -> list[str]:
    """The unit and every unit under it in the unit list (any depth)."""
    tree = load_tree(session)
    tree.add_seen(unit)
    return sorted(tree.subtree(unit))


def _corrected() -> Any:
    return exists().where(Correction.document_id == Document.id)


def _conditions(session: Session, f: DocumentFilter) -> list[Any]:
    cond: list[Any] = []
    if f.unit:
        # Codes under it by the dotted form (H50 → H50.12) and by the unit list's tree.
        cond.append(or_(Document.unit.in_(_units_under(session, f.unit)), Document.unit.like(f"{f.unit}.%")))
    if f.role:
        cond.append(Document.role == f.role)
    if f.doc_type:
        cond.append(Document.doc_type == f.doc_type)
    if f.period:
        p = parse_period(f.period)
        cond += [Document.created_at >= local_midnight(p.start), Document.created_at < local_midnight(p.end)]
    if f.ma_ho_so:
        linked = exists().where(DossierLink.document_id == Document.id, DossierLink.ma_ho_so == f.ma_ho_so)
        cond.append(or_(Document.ma_ho_so == f.ma_ho_so, linked))
    if f.review == "waiting":
        cond.append(Document.review.is_(True))
    elif f.review == "reviewed":
        cond += [Document.review.is_(False), _corrected()]
    elif f.review == "auto":
        cond += [Document.review.is_(False), ~_corrected()]
    return cond


def _state(review: bool, corrected: bool) -> ReviewState:
    return "waiting" if review else ("reviewed" if corrected else "auto")


def review_state(session: Session, doc: Document) -> ReviewState:
    corrected = session.scalar(select(exists().where(Correction.document_id == doc.id)))
    return _state(doc.review, bool(corrected))


def snippet(text: str, query_words: Sequence[str], width: int = SNIPPET) -> str | None:
    """The text around where the query matches, accents as printed: `fold` keeps one char per char, so a
    match found in the folded text is cut from the original at the same place. The query's words in a row
    are looked for first, then its longest word (the most telling one)."""
    if not text or not query_words:
        return None
    folded = fold(text)

    def word(w: str) -> str:
        return rf"(?<![^\W_]){re.escape(w)}(?![^\W_])"

    m = re.search(r"[\W_]+".join(word(w) for w in query_words), folded)
    if m is None:
        m = re.search(word(max(query_words, key=len)), folded)
    if m is None:
        return None
    start = max(0, m.start() - width // 3)
    cut = " ".join(text[start : start + width].split())
    return ("…" if start else "") + cut + ("…" if start + width < len(text) else "")


def list_documents(
    session: Session, f: DocumentFilter, *, limit: int = 50, offset: int = 0, personal: bool = True
) -> tuple[int, bool, list[DocumentSummary]]:
    """(total, capped, one page of documents): best matches first when searching, else newest first."""
    f.validate()
    cond = _conditions(session, f)
    query = search.Query.parse(f.q)
    cols: list[Any] = [Document.id, Document.source, Document.unit, Document.role, Document.doc_type,
                       Document.doc_type_confidence, Document.ma_ho_so, Document.pages, Document.created_at,
                       Document.review, Document.fields, _corrected().label("corrected")]
    ordered: Select[Any]
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    if query:
        found = search.matching(dialect, query, ranked=False)
        # With no filter the index alone is counted; a filter needs the documents joined.
        counted: Select[Any] = (select(found.c.document_id) if not cond else
                                select(Document.id).join(found, found.c.document_id == Document.id).where(*cond))
    else:
        counted = select(Document.id).where(*cond)
    total = int(session.scalar(select(func.count()).select_from(counted.limit(TOTAL_CAP + 1).subquery())) or 0)
    if query and total <= RANKED_UP_TO:
        found = search.matching(dialect, query, ranked=True)
        ordered = (select(*cols).join(found, found.c.document_id == Document.id).where(*cond)
                   .order_by(found.c.score, Document.created_at.desc(), Document.id))
    elif query:
        # Most documents match: walk them newest first and keep those found, rather than sort every match.
        ordered = (select(*cols).where(Document.id.in_(select(found.c.document_id)), *cond)
                   .order_by(Document.created_at.desc(), Document.id))
    else:
        ordered = select(*cols).where(*cond).order_by(Document.created_at.desc(), Document.id)
    rows = session.execute(ordered.limit(limit).offset(offset)).all()
    texts: dict[str, str] = {}
    if query and personal and rows:
        shown = [r.id for r in rows]
        texts = dict(session.execute(select(Document.id, Document.text).where(Document.id.in_(shown))).all())
    items = [
        DocumentSummary(
            doc_id=r.id, source=r.source, unit=r.unit, role=r.role, doc_type=r.doc_type,
            doc_type_confidence=r.doc_type_confidence, ma_ho_so=r.ma_ho_so, pages=r.pages, created_at=r.created_at,
            review_state=_state(r.review, bool(r.corrected)), ho_ten=(r.fields or {}).get("ho_ten"),
            snippet=snippet(texts.get(r.id, ""), query.words()) if texts else None,
        )
        for r in rows
    ]
    return min(total, TOTAL_CAP), total > TOTAL_CAP, items


def pages_of(session: Session, doc_id: str) -> list[PageInfo]:
    return [
        PageInfo(page_no=p.page_no, source=p.source, dpi=p.dpi, colour=p.colour, width_px=p.width_px,
                 height_px=p.height_px, compliant=p.compliant, mean_confidence=p.mean_confidence,
                 low_confidence_words=p.low_confidence_words, rotated=p.rotated)
        for p in session.scalars(select(Page).where(Page.document_id == doc_id).order_by(Page.page_no))
    ]


def dossier_of(session: Session, ma_ho_so: str | None) -> DossierInfo | None:
    """A dossier and its documents: its own and the stored copies it links to."""
    if not ma_ho_so:
        return None
    dossier = session.get(Dossier, ma_ho_so)
    members = [
        DossierMember(doc_id=d.id, doc_type=d.doc_type, role=d.role, pages=d.pages, via="own")
        for d in session.execute(
            select(Document.id, Document.doc_type, Document.role, Document.pages)
            .where(Document.ma_ho_so == ma_ho_so).order_by(Document.created_at, Document.id)
        )
    ]
    for link, doc_type, pages in session.execute(
        select(DossierLink, Document.doc_type, Document.pages)
        .join(Document, Document.id == DossierLink.document_id)
        .where(DossierLink.ma_ho_so == ma_ho_so).order_by(DossierLink.linked_at)
    ):
        members.append(DossierMember(doc_id=link.document_id, doc_type=doc_type, role=link.role, pages=pages,
                                     via=link.via))
    return DossierInfo(ma_ho_so=ma_ho_so, ma_thu_tuc=dossier.ma_thu_tuc if dossier else None,
                       unit=dossier.unit if dossier else None, documents=members)


def links_to(session: Session, doc_id: str) -> list[LinkInfo]:
    """The dossiers that reuse this document (linked to it rather than storing it again)."""
    return [
        LinkInfo(ma_ho_so=link.ma_ho_so, via=link.via, role=link.role, linked_at=link.linked_at)
        for link in session.scalars(
            select(DossierLink).where(DossierLink.document_id == doc_id).order_by(DossierLink.linked_at)
        )
    ]
