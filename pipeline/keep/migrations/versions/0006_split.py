"""document.source_sha256, part, dossier_source: documents split out of a scanned batch

Revision ID: 0006_split
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_split"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Columns only: SQLite adds them in place, no copy of the document table (whose rows pages,
    # intakes and corrections reference).
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_sha256", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("part", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("dossier_source", sa.String(length=16), nullable=True))
        batch_op.create_index(batch_op.f("ix_document_source_sha256"), ["source_sha256"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_source_sha256"))
        batch_op.drop_column("dossier_source")
        batch_op.drop_column("part")
        batch_op.drop_column("source_sha256")
