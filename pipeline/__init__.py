"""The domain of sohoa: plain functions over plain data. Imports no Celery."""
