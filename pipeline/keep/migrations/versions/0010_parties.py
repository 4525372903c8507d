"""document.parties: the people a document names besides its citizen (schemas.document.Party)

Revision ID: 0010_parties
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_parties"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A column only: SQLite adds it in place. Null on rows recorded before it: read as no parties.
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parties", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_column("parties")
