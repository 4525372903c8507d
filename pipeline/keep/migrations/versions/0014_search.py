"""the full-text search index of documents (pipeline/keep/search.py): FTS5 on SQLite, a tsvector under
an unaccenting text search configuration on PostgreSQL; backfilled here

Revision ID: 0014_search
Revises: 0001
Depends on: 0006_split (the document columns the index reads)
"""

import logging

import sqlalchemy as sa
from alembic import op

revision = "0014_search"
down_revision = "0001"
branch_labels = None
depends_on = "0006_split"

log = logging.getLogger(__name__)


def _pg_config(conn: sa.Connection) -> None:
    """`sohoa_search`: the `simple` parser and dictionary behind `unaccent`. The words come folded from
    Python anyway, so without the extension (a role that may not create it) the configuration works
    on `simple` alone."""
    unaccent = True
    try:
        with conn.begin_nested():
            conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS unaccent"))
    except sa.exc.DBAPIError as e:
        unaccent = False
        log.warning("no unaccent extension (%s); the search configuration uses 'simple' alone", e.orig)
    conn.execute(sa.text("CREATE TEXT SEARCH CONFIGURATION sohoa_search (COPY = simple)"))
    if unaccent:
        conn.execute(sa.text(
            "ALTER TEXT SEARCH CONFIGURATION sohoa_search ALTER MAPPING FOR hword, hword_part, word, asciiword, "
            "asciihword, hword_asciipart, numword, numhword WITH unaccent, simple"
        ))


def upgrade() -> None:
    from pipeline.keep.search import rebuild

    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        _pg_config(conn)
        op.create_table(
            "document_search",
            sa.Column("document_id", sa.String(length=36), primary_key=True),
            sa.Column("tsv", sa.dialects.postgresql.TSVECTOR(), nullable=False),
        )
        rebuild(conn)  # before the index: building it once is cheaper than keeping it up row by row
        op.execute("CREATE INDEX ix_document_search_tsv ON document_search USING gin (tsv)")
    else:
        op.execute("CREATE VIRTUAL TABLE document_fts USING fts5(document_id UNINDEXED, body, "
                   "tokenize = 'unicode61 remove_diacritics 2')")
        rebuild(conn)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        op.drop_table("document_search")
        op.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS sohoa_search")
    else:
        op.execute("DROP TABLE document_fts")
