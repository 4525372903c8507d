"""What the report needs per dossier and per document, kept at record time: a report over a million
dossiers is then one grouped join, not a search through every document and link.

- `dossier_state`: per dossier, the earliest moment it had a component digitised (`comp_at`), a result
  digitised (`res_at`) and a component reused from another dossier (`reuse_at`). A document of the
  dossier counts from its `created_at`; a link to a stored copy from the later of `linked_at` and the
  copy's `created_at` (a link to a copy not stored yet does not count). "Digitised as of a day" is then
  "that moment is before the day's end": the same meaning as searching the documents and links
  recorded by then.
- `document_quality`: per document, what the quality rates add up (review flag, mandatory fields read
  and required, scanned pages compliant and judged) with its unit and `created_at`.

Both are derived from `document`, `dossier_link` and `page`: `refresh` recomputes the rows of some
dossiers and documents, `rebuild` all of them with a few set-based statements (the migration's
backfill, and after a bulk load). Sessions of `db.session_scope` call `refresh` after every flush that
wrote a document, a link or a page (`after_flush`), so each write path through the ORM keeps them
current; a write that bypasses the ORM must call `refresh` or `rebuild` itself.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from itertools import chain
from typing import Any

from sqlalchemy import (
    Connection,
    Select,
    Text,
    and_,
    case,
    cast,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    union_all,
)
from sqlalchemy.orm import Session, attributes

from pipeline.catalogue import MANDATORY_FIELDS, RESULT_ROLE
from pipeline.keep.models import Document, DocumentQuality, DossierLink, DossierState, Page


def one_if(flag: Any) -> Any:
    """1 where the SQL condition holds, else 0: what the report's sums count."""
    return case((flag, 1), else_=0)

_CHUNK = 500  # keys per statement: well under SQLite's bound-parameter limit


def _later(a: Any, b: Any) -> Any:
    return case((a > b, a), else_=b)


def _is_component(role: Any) -> Any:
    return or_(role.is_(None), role != RESULT_ROLE)


def dossier_state_select(codes: Sequence[str] | None = None) -> Select[Any]:
    """Rows (ma_ho_so, comp_at, res_at, reuse_at) of the given dossiers (all when None) computed from
    their documents and links; a dossier with neither has no row."""
    doc = Document.__table__
    link = DossierLink.__table__
    copy = Document.__table__.alias("first_copy")
    own = select(
        doc.c.ma_ho_so.label("k"), doc.c.created_at.label("t"), doc.c.role.label("role"), literal(0).label("reuse")
    ).where(doc.c.ma_ho_so.is_not(None))
    linked = select(
        link.c.ma_ho_so.label("k"),
        _later(link.c.linked_at, copy.c.created_at).label("t"),
        link.c.role.label("role"),
        one_if(and_(copy.c.ma_ho_so.is_not(None), copy.c.ma_ho_so != link.c.ma_ho_so)).label("reuse"),
    ).select_from(link.join(copy, copy.c.id == link.c.document_id))
    if codes is not None:
        own = own.where(doc.c.ma_ho_so.in_(codes))
        linked = linked.where(link.c.ma_ho_so.in_(codes))
    ev = union_all(own, linked).subquery("ev")
    return select(
        ev.c.k.label("ma_ho_so"),
        func.min(case((_is_component(ev.c.role), ev.c.t))).label("comp_at"),
        func.min(case((ev.c.role == RESULT_ROLE, ev.c.t))).label("res_at"),
        func.min(case((ev.c.reuse == 1, ev.c.t))).label("reuse_at"),
    ).group_by(ev.c.k)


def _has_key(column: Any, key: str) -> Any:
    # Key presence tested on the record's JSON text: the same SQL on SQLite and PostgreSQL, and no
    # JSON parsing per row. Keys are plain ASCII; a value cannot fake `"key":` (its quotes are escaped).
    return cast(column, Text).like(f'%"{key}":%')


def _fields_read_and_required(doc: Any) -> tuple[Any, Any]:
    """SQL expressions: mandatory fields of the document's class present in its metadata, and how many
    its class requires (MANDATORY_FIELDS)."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for doc_type, keys in MANDATORY_FIELDS.items():
        groups.setdefault(keys, []).append(doc_type)

    def read_of(keys: tuple[str, ...]) -> Any:
        total: Any = one_if(_has_key(doc.c.fields, keys[0]))
        for k in keys[1:]:
            total = total + one_if(_has_key(doc.c.fields, k))
        return total

    read = case(*[(doc.c.doc_type.in_(types), read_of(keys)) for keys, types in groups.items()], else_=0)
    required = case(*[(doc.c.doc_type.in_(types), len(keys)) for keys, types in groups.items()], else_=0)
    return read, required


def document_quality_select(ids: Sequence[str] | None = None) -> Select[Any]:
    """Rows of `document_quality` for the given documents (all when None)."""
    doc = Document.__table__
    page = Page.__table__
    pages = select(
        page.c.document_id,
        func.sum(one_if(page.c.compliant.is_(True))).label("ok"),
        func.sum(one_if(page.c.compliant.is_not(None))).label("judged"),
    ).group_by(page.c.document_id)
    if ids is not None:
        pages = pages.where(page.c.document_id.in_(ids))
    p = pages.subquery("p")
    read, required = _fields_read_and_required(doc)
    q = select(
        doc.c.id.label("document_id"),
        doc.c.created_at,
        doc.c.unit,
        one_if(doc.c.review.is_(True)).label("review"),
        read.label("fields_read"),
        required.label("fields_mandatory"),
        func.coalesce(p.c.ok, 0).label("pages_ok"),
        func.coalesce(p.c.judged, 0).label("pages_judged"),
    ).select_from(doc.outerjoin(p, p.c.document_id == doc.c.id))
    return q.where(doc.c.id.in_(ids)) if ids is not None else q


def _upsert(conn: Connection, entity: type[DossierState] | type[DocumentQuality]) -> Any:
    """INSERT … ON CONFLICT of the connection's dialect."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(entity)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(entity)


def _chunks(keys: Sequence[str]) -> Iterable[Sequence[str]]:
    for i in range(0, len(keys), _CHUNK):
        yield keys[i : i + _CHUNK]


_LOCK_CLASS = 7400418  # first key of the two-key advisory locks on documents


def _lock_key(document_id: str) -> int:
    """A document id as a signed 32-bit advisory-lock key; a collision only makes one writer wait."""
    return int.from_bytes(hashlib.blake2b(document_id.encode(), digest_size=4).digest(), "big", signed=True)


_STATE_COLS = ("comp_at", "res_at", "reuse_at")
_QUALITY_COLS = ("created_at", "unit", "review", "fields_read", "fields_mandatory", "pages_ok", "pages_judged")


def refresh(conn: Connection, *, dossiers: Iterable[str] = (), documents: Iterable[str] = ()) -> None:
    """Recompute the state of the given dossiers, and the quality row and dossier states (its own and
    those linking to it) of the given documents. Pass a document's former dossier too when it moved.

    Concurrency (PostgreSQL; SQLite serialises writers anyway): two transactions that cannot see each
    other's rows must not each miss the other's. So each document is first locked (a transaction-scoped
    advisory lock on its id: a document being recorded and a link to it being made meet there), then
    each dossier's row is inserted or reset in one statement, which locks it until commit; a second
    writer waits at one of these locks, and its next statements, under READ COMMITTED, see what the
    first one committed. Locks are taken in key order, so two single-flush writers never wait on each
    other crosswise."""
    doc_ids = sorted(set(documents))
    codes = {c for c in dossiers if c}
    link = DossierLink.__table__
    doc = Document.__table__
    if conn.dialect.name == "postgresql":
        for key in sorted({_lock_key(i) for i in doc_ids}):
            conn.execute(select(func.pg_advisory_xact_lock(_LOCK_CLASS, key)))
    for ids in _chunks(doc_ids):
        codes.update(conn.scalars(select(link.c.ma_ho_so).where(link.c.document_id.in_(ids))))
        codes.update(conn.scalars(select(doc.c.ma_ho_so).where(doc.c.id.in_(ids), doc.c.ma_ho_so.is_not(None))))
    for keys in _chunks(sorted(codes)):
        reset = _upsert(conn, DossierState).values([{"ma_ho_so": k} for k in keys])
        conn.execute(reset.on_conflict_do_update(index_elements=["ma_ho_so"], set_=dict.fromkeys(_STATE_COLS)))
        fill = _upsert(conn, DossierState).from_select(["ma_ho_so", *_STATE_COLS], dossier_state_select(keys))
        conn.execute(fill.on_conflict_do_update(
            index_elements=["ma_ho_so"], set_={c: getattr(fill.excluded, c) for c in _STATE_COLS}
        ))
    quality = DocumentQuality.document_id
    for ids in _chunks(doc_ids):
        conn.execute(delete(DocumentQuality).where(
            quality.in_(ids), ~quality.in_(select(doc.c.id).where(doc.c.id.in_(ids)))
        ))  # a document gone (no foreign key with a cascade: see models.DocumentQuality)
        fill = _upsert(conn, DocumentQuality).from_select(["document_id", *_QUALITY_COLS], document_quality_select(ids))
        conn.execute(fill.on_conflict_do_update(
            index_elements=["document_id"], set_={c: getattr(fill.excluded, c) for c in _QUALITY_COLS}
        ))


def rebuild(conn: Connection) -> None:
    """Recompute both tables from scratch, set-based: the backfill of migration 0005 and of bulk loads."""
    if conn.dialect.name == "postgresql":
        # The grouping of every document by dossier spills to disk in 4 MB batches otherwise (the default).
        conn.execute(text("SET LOCAL work_mem = '128MB'"))
    conn.execute(delete(DossierState))
    conn.execute(insert(DossierState).from_select(["ma_ho_so", *_STATE_COLS], dossier_state_select()))
    conn.execute(delete(DocumentQuality))
    conn.execute(insert(DocumentQuality).from_select(["document_id", *_QUALITY_COLS], document_quality_select()))


def _values(obj: object, name: str) -> set[Any]:
    """Current and former values of an attribute of an object in a flush."""
    h = attributes.get_history(obj, name)
    return {v for v in chain(h.added or (), h.unchanged or (), h.deleted or ()) if v is not None}


def after_flush(session: Session, _flush_context: Any) -> None:
    """Session hook (installed by `db`): refresh what the flushed documents, links and pages touch."""
    dossiers: set[str] = set()
    documents: set[str] = set()
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Document):
            documents |= _values(obj, "id")
            dossiers |= _values(obj, "ma_ho_so")
        elif isinstance(obj, DossierLink):
            dossiers |= _values(obj, "ma_ho_so")
            documents |= _values(obj, "document_id")  # its copy's lock: the copy may be being recorded now
        elif isinstance(obj, Page):
            documents |= _values(obj, "document_id")
    if dossiers or documents:
        refresh(session.connection(), dossiers=dossiers, documents=documents)
