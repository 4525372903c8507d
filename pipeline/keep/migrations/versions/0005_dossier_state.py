"""dossier_state and document_quality: what the report reads, kept at record time; backfilled here

Revision ID: 0005_dossier_state
Revises: 0001
Depends on: 0002 (dossier links, read by the backfill)
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_dossier_state"
down_revision = "0001"
branch_labels = None
depends_on = "0002"


def upgrade() -> None:
    op.create_table(
        "dossier_state",
        sa.Column("ma_ho_so", sa.String(length=64), nullable=False),
        sa.Column("comp_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("res_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reuse_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("ma_ho_so"),
    )
    op.create_table(
        "document_quality",
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("unit", sa.String(length=64), nullable=True),
        sa.Column("review", sa.Integer(), nullable=False),
        sa.Column("fields_read", sa.Integer(), nullable=False),
        sa.Column("fields_mandatory", sa.Integer(), nullable=False),
        sa.Column("pages_ok", sa.Integer(), nullable=False),
        sa.Column("pages_judged", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("document_id"),
    )
    # Backfill with the code's own definitions (set-based, a few statements), before the index exists:
    # building it once afterwards is cheaper than keeping it up to date row by row.
    from pipeline.keep.metric_state import rebuild

    rebuild(op.get_bind())
    op.create_index(
        "ix_document_quality_created",
        "document_quality",
        ["created_at", "unit", "review", "fields_read", "fields_mandatory", "pages_ok", "pages_judged"],
    )


def downgrade() -> None:
    op.drop_index("ix_document_quality_created", table_name="document_quality")
    op.drop_table("document_quality")
    op.drop_table("dossier_state")
