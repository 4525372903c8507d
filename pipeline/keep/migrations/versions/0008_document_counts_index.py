"""document(unit, role, pages_ocr, pages_text_layer): the Prometheus scrape counts documents and pages
from this index alone, never reading the rows (they hold each document's OCR text)

Revision ID: 0008_document_counts
Revises: 0001
"""

from alembic import op

revision = "0008_document_counts"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_document_counts", "document", ["unit", "role", "pages_ocr", "pages_text_layer"])


def downgrade() -> None:
    op.drop_index("ix_document_counts", table_name="document")
