"""The full-text index of documents: OCR text and metadata, accent-insensitive, on SQLite (FTS5) and
PostgreSQL (a tsvector per document under a text search configuration with `unaccent`).

What is indexed is one line of words per document (`body_of`): its file name, dossier code, class
names, every metadata value and the text read. Words are folded in Python first (marks stripped, đ
to d, lower case) and split on anything but letters and digits, so both databases see the same
words and a clerk who types `nguyen thi hoa` finds `Nguyễn Thị Hòa`, and `H50.12-251103-0142` is the
phrase `h50 12 251103 0142` on both. PostgreSQL's configuration unaccents again: a word that reaches
it unfolded (a query typed by hand in psql) still matches.

Sessions of `db.session_scope` call `after_flush`, which re-indexes every document written, changed
(its text, fields, class, dossier or source) or deleted in that flush, in the same transaction: the
index never lags the documents. A write that bypasses the ORM must call `refresh` or `rebuild`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from sqlalchemy import Connection, Float, String, column, select, text
from sqlalchemy.orm import Session, attributes
from sqlalchemy.sql.selectable import Subquery

from pipeline.catalogue import DOC_TYPE_NAMES
from pipeline.keep.models import Document
from pipeline.vn.text import fold, nfc

SQLITE_TABLE = "document_fts"
PG_TABLE = "document_search"
PG_CONFIG = "sohoa_search"
_WORD_SPLIT = re.compile(r"[\W_]+")
_CHUNK = 500
# Attributes whose change changes what a document is found by.
_INDEXED = ("source", "ma_ho_so", "doc_type", "fields", "text")


def words(value: str) -> list[str]:
    """The words of a text as the index keeps them: folded, lower case, split on non-letters. NFC first:
    a name typed on a Mac arrives decomposed (NFD), and a loose combining mark is not a letter, so
    "Quyết" would split into "quye" and "t" and be found by neither."""
    return [w for w in _WORD_SPLIT.split(fold(nfc(value))) if w]


def body_of(source: str, ma_ho_so: str | None, doc_type: str, fields: Mapping[str, Any], text_read: str) -> str:
    names = DOC_TYPE_NAMES.get(doc_type, (doc_type,))
    parts = [PurePath(source).name, ma_ho_so or "", *names, *(str(v) for v in fields.values() if v), text_read]
    return " ".join(words(" ".join(parts)))


def search_key(document_id: str) -> int:
    """The FTS5 rowid of a document: a signed 64-bit hash of its id (ids are text; SQLite's own rowid of
    the document table may change on VACUUM). Two ids meeting by chance would only share a row."""
    return int.from_bytes(hashlib.blake2b(document_id.encode(), digest_size=8).digest(), "big", signed=True)


def _chunks(keys: Sequence[str]) -> Iterable[Sequence[str]]:
    for i in range(0, len(keys), _CHUNK):
        yield keys[i : i + _CHUNK]


def _write(conn: Connection, rows: Sequence[tuple[str, str]]) -> None:
    """(document_id, body) pairs into the index, replacing what it had for them."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        conn.execute(
            text(f"INSERT INTO {PG_TABLE} (document_id, tsv) VALUES (:id, to_tsvector('{PG_CONFIG}', :body)) "
                 "ON CONFLICT (document_id) DO UPDATE SET tsv = EXCLUDED.tsv"),
            [{"id": i, "body": b} for i, b in rows],
        )
        return
    conn.execute(text(f"DELETE FROM {SQLITE_TABLE} WHERE rowid = :k"), [{"k": search_key(i)} for i, _ in rows])
    conn.execute(
        text(f"INSERT INTO {SQLITE_TABLE} (rowid, document_id, body) VALUES (:k, :id, :body)"),
        [{"k": search_key(i), "id": i, "body": b} for i, b in rows],
    )


def _remove(conn: Connection, ids: Sequence[str]) -> None:
    if not ids:
        return
    if conn.dialect.name == "postgresql":
        conn.execute(text(f"DELETE FROM {PG_TABLE} WHERE document_id = :id"), [{"id": i} for i in ids])
    else:
        conn.execute(text(f"DELETE FROM {SQLITE_TABLE} WHERE rowid = :k"), [{"k": search_key(i)} for i in ids])


def _bodies(conn: Connection, ids: Sequence[str] | None) -> Iterable[list[tuple[str, str]]]:
    """(id, body) of the given documents (all when None), in batches."""
    doc = Document.__table__
    q = select(doc.c.id, doc.c.source, doc.c.ma_ho_so, doc.c.doc_type, doc.c.fields, doc.c.text)
    if ids is not None:
        q = q.where(doc.c.id.in_(ids))
    batch: list[tuple[str, str]] = []
    for r in conn.execute(q.execution_options(yield_per=1000)):
        batch.append((r.id, body_of(r.source, r.ma_ho_so, r.doc_type, r.fields or {}, r.text or "")))
        if len(batch) >= 1000:
            yield batch
            batch = []
    if batch:
        yield batch


def refresh(conn: Connection, ids: Iterable[str]) -> None:
    """Re-index the given documents as the database now has them; ids of documents gone are removed."""
    for chunk in _chunks(sorted(set(ids))):
        found: set[str] = set()
        for batch in _bodies(conn, chunk):
            _write(conn, batch)
            found.update(i for i, _ in batch)
        _remove(conn, [i for i in chunk if i not in found])


def rebuild(conn: Connection) -> None:
    """Index every document anew: the backfill of migration 0014 and after a bulk load."""
    conn.execute(text(f"DELETE FROM {PG_TABLE if conn.dialect.name == 'postgresql' else SQLITE_TABLE}"))
    for batch in _bodies(conn, None):
        _write(conn, batch)


def after_flush(session: Session, _flush_context: Any) -> None:
    """Session hook (installed by `db`): re-index the documents this flush wrote, changed or deleted."""
    ids: set[str] = set()
    for obj in session.new:
        if isinstance(obj, Document):
            ids.add(obj.id)
    for obj in session.dirty:
        if isinstance(obj, Document) and any(attributes.get_history(obj, a).has_changes() for a in _INDEXED):
            ids.add(obj.id)
    for obj in session.deleted:
        if isinstance(obj, Document):
            ids.add(obj.id)
    if ids:
        refresh(session.connection(), ids)


# --- queries ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Query:
    """A query as typed, cut into phrases: each whitespace-separated chunk is a phrase of its words
    (so a dossier code or `123/QĐ-UBND` is matched as written); every phrase must be found. A chunk
    ending in `*` matches its last word as a prefix."""

    phrases: tuple[tuple[tuple[str, ...], bool], ...]

    @classmethod
    def parse(cls, typed: str) -> Query:
        out = []
        for chunk in typed.split():
            ws = words(chunk)
            if ws:
                out.append((tuple(ws), chunk.endswith("*")))
        return cls(tuple(out))

    def __bool__(self) -> bool:
        return bool(self.phrases)

    def _in_a_row(self) -> bool:
        """Several words typed, none a prefix: the words in a row (a name) rank above the words apart."""
        return len(self.phrases) > 1 and not any(prefix for _, prefix in self.phrases)

    def fts5(self) -> str:
        every = " AND ".join(f'"{" ".join(ws)}"' + (" *" if prefix else "") for ws, prefix in self.phrases)
        if self._in_a_row():  # the same documents; bm25 adds the phrase's weight to those that have it
            return f'"{" ".join(self.words())}" OR ({every})'
        return every

    def tsquery(self) -> str:
        every = " & ".join(
            "(" + " <-> ".join((*ws[:-1], ws[-1] + (":*" if prefix else ""))) + ")" for ws, prefix in self.phrases
        )
        if self._in_a_row():  # ts_rank_cd ranks by how close the words stand
            return f"({' <-> '.join(self.words())}) | ({every})"
        return every

    def words(self) -> list[str]:
        return [w for ws, _ in self.phrases for w in ws]


def matching(dialect: str, query: Query, *, ranked: bool = True) -> Subquery:
    """The documents a query finds: a subquery of (document_id, score), lower score = better match. Ranking
    reads every match's words again (bm25, ts_rank): unranked, the score is 0 and a query found in most
    documents costs its match alone."""
    if dialect == "postgresql":
        score = "-ts_rank_cd(s.tsv, q.q)" if ranked else "0.0"
        stmt = text(
            f"SELECT s.document_id, {score} AS score FROM {PG_TABLE} s, "
            f"to_tsquery('{PG_CONFIG}', :tsq) AS q(q) WHERE s.tsv @@ q.q"
        ).bindparams(tsq=query.tsquery())
    else:
        score = f"bm25({SQLITE_TABLE})" if ranked else "0.0"
        stmt = text(
            f"SELECT document_id, {score} AS score FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH :m"
        ).bindparams(m=query.fts5())
    return stmt.columns(column("document_id", String), column("score", Float)).subquery("found")
