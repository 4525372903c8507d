"""What an import did not say stays unknown: register flags and a procedure's paper result may be NULL,
and register_entry.completed_known says whether the file had a completion column at all (without it,
an empty completion date is not "not completed")

Revision ID: 0009_import_gaps
Revises: 0001
Depends on: 0002 (the register tables)
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_import_gaps"
down_revision = "0001"
branch_labels = None
depends_on = "0002"

FLAGS = ("reused", "ket_noi_kho", "du_lieu_dan_cu")


def upgrade() -> None:
    # SQLite cannot alter a column's nullability in place: batch mode copies the table (indexes kept).
    with op.batch_alter_table("register_entry") as batch:
        for name in FLAGS:
            batch.alter_column(name, existing_type=sa.Boolean(), nullable=True)
        batch.add_column(sa.Column("completed_known", sa.Boolean(), nullable=False, server_default=sa.true()))
    with op.batch_alter_table("procedure") as batch:
        batch.alter_column("paper_result", existing_type=sa.Boolean(), nullable=True)


def downgrade() -> None:
    op.execute("UPDATE procedure SET paper_result = true WHERE paper_result IS NULL")
    for name in FLAGS:
        op.execute(f"UPDATE register_entry SET {name} = false WHERE {name} IS NULL")
    with op.batch_alter_table("procedure") as batch:
        batch.alter_column("paper_result", existing_type=sa.Boolean(), nullable=False)
    with op.batch_alter_table("register_entry") as batch:
        batch.drop_column("completed_known")
        for name in FLAGS:
            batch.alter_column(name, existing_type=sa.Boolean(), nullable=False)
