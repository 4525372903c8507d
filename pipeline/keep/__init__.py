"""Keeping what was understood: the object store (MinIO/S3 or local), the database (models,
migrations, sessions) and the figures the report reads, kept in the same transaction."""
