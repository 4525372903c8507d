"""intake: the stage that failed and its traceback, who released a quarantined file and when, and an
index on finished_at for the operator console's throughput

Revision ID: 0012_intake_operations
Revises: 0001
Depends on: 0004 (intake.inbox_path, which a release moves the file back to)
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_intake_operations"
down_revision = "0001"
branch_labels = None
depends_on = "0004"


def upgrade() -> None:
    with op.batch_alter_table("intake", schema=None) as batch_op:
        batch_op.add_column(sa.Column("error_stage", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("error_trace", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("released_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("released_by", sa.String(length=128), nullable=True))
    op.create_index("ix_intake_finished_at", "intake", ["finished_at"])


def downgrade() -> None:
    op.drop_index("ix_intake_finished_at", table_name="intake")
    with op.batch_alter_table("intake", schema=None) as batch_op:
        batch_op.drop_column("released_by")
        batch_op.drop_column("released_at")
        batch_op.drop_column("error_trace")
        batch_op.drop_column("error_stage")
