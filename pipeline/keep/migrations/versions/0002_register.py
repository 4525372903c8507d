"""units, procedures, the dossier register, dossier links, and the indexes the metrics need

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "unit",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("parent_code", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_index("ix_unit_parent_code", "unit", ["parent_code"])

    op.create_table(
        "procedure",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=1024), nullable=False),
        sa.Column("paper_result", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )

    op.create_table(
        "register_entry",
        sa.Column("ma_ho_so", sa.String(length=64), nullable=False),
        sa.Column("ma_thu_tuc", sa.String(length=32), nullable=True),
        sa.Column("unit", sa.String(length=64), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("channel", sa.String(length=64), nullable=True),
        sa.Column("paper_result", sa.Boolean(), nullable=True),
        sa.Column("reused", sa.Boolean(), nullable=False),
        sa.Column("ket_noi_kho", sa.Boolean(), nullable=False),
        sa.Column("du_lieu_dan_cu", sa.Boolean(), nullable=False),
        sa.Column("source_file", sa.String(length=1024), nullable=True),
        sa.Column("source_line", sa.Integer(), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("ma_ho_so"),
    )
    # The report selects a period's dossiers (reception date), per unit.
    op.create_index("ix_register_entry_received_unit", "register_entry", ["received_on", "unit"])
    op.create_index("ix_register_entry_unit", "register_entry", ["unit"])

    op.create_table(
        "dossier_link",
        sa.Column("ma_ho_so", sa.String(length=64), nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=True),
        sa.Column("via", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=1024), nullable=True),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("ma_ho_so", "document_id"),
    )
    op.create_index("ix_dossier_link_document_id", "dossier_link", ["document_id"])

    op.create_table(
        "reuse_key",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )

    # Per dossier, the report asks "is there a component / a result digitised by the as-of date":
    # one index probe answers it without touching the document rows.
    op.create_index("ix_document_dossier_role_created", "document", ["ma_ho_so", "role", "created_at"])
    # The internal quality rates select the documents recorded in a period and join their pages:
    # covering indexes on both sides keep that join off the table rows (5x faster on SQLite).
    op.create_index("ix_document_created_unit", "document", ["created_at", "unit", "id"])
    op.create_index("ix_page_document_compliant", "page", ["document_id", "compliant"])


def downgrade() -> None:
    op.drop_index("ix_page_document_compliant", table_name="page")
    op.drop_index("ix_document_created_unit", table_name="document")
    op.drop_index("ix_document_dossier_role_created", table_name="document")
    op.drop_table("reuse_key")
    op.drop_index("ix_dossier_link_document_id", table_name="dossier_link")
    op.drop_table("dossier_link")
    op.drop_index("ix_register_entry_unit", table_name="register_entry")
    op.drop_index("ix_register_entry_received_unit", table_name="register_entry")
    op.drop_table("register_entry")
    op.drop_table("procedure")
    op.drop_index("ix_unit_parent_code", table_name="unit")
    op.drop_table("unit")
