"""document.classification: why a document has its class (its cues, the class its title names, the
class its body reads as, a conflict between them), shown in review

Revision ID: 0011_classification
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_classification"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("document", sa.Column("classification", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column("document", "classification")
