"""the search index again for documents whose file name came decomposed (NFD, as a Mac writes it to a
share): their words were indexed split at every accent (pipeline/keep/search.py `words` now composes
first)

Revision ID: 0016_search_nfc
Revises: 0001
Depends on: 0014_search
"""

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0016_search_nfc"
down_revision = "0001"
branch_labels = None
depends_on = "0014_search"


def upgrade() -> None:
    from pipeline.keep.search import refresh

    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, source FROM document")).all()
    refresh(conn, [i for i, source in rows if source and unicodedata.normalize("NFC", source) != source])


def downgrade() -> None:
    pass  # the index written by upgrade is the right one under either version of the code
