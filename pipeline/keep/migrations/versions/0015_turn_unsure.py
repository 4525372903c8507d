"""page.turn_unsure: why a page's orientation stayed unsure (the page was left as it came and its
document sent to review, which shows the reason)

Revision ID: 0015_turn_unsure
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_turn_unsure"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("page", sa.Column("turn_unsure", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("page", "turn_unsure")
