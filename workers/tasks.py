"""Thin Celery tasks around pipeline/: ingest (plan a file), ocr_page (one page), finish (the rest)."""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

import redis
from celery import Task, chord
from celery.exceptions import SoftTimeLimitExceeded
from sqlalchemy.exc import OperationalError

from pipeline import intake
from pipeline.config import get_settings
from pipeline.document import Source
from pipeline.document import finish as finish_document
from pipeline.errors import PipelineError
from pipeline.ocr import read_page
from pipeline.pages import Format, plan
from pipeline.store import ObjectStore, StoreError, open_store
from schemas.tasks import IngestJob, PageJob, PageResult
from workers.app import app, redis_client_url

log = logging.getLogger(__name__)
MAX_RETRIES = 12


@lru_cache(maxsize=1)
def store() -> ObjectStore:
    return open_store(get_settings())


@lru_cache(maxsize=1)
def _redis() -> redis.Redis:
    return redis.Redis.from_url(redis_client_url(app.conf.broker_url))


def is_transient(exc: BaseException) -> bool:
    if isinstance(exc, StoreError):
        return bool(getattr(exc, "transient", False))
    return isinstance(exc, OperationalError | redis.ConnectionError | redis.TimeoutError | ConnectionError)


def too_many_deliveries(key: str) -> bool:
    """Count starts of one unit of work; a file that killed its worker repeatedly must stop looping."""
    n = int(_redis().incr(f"sohoa:starts:{key}"))
    _redis().expire(f"sohoa:starts:{key}", 7 * 24 * 3600)
    return n > get_settings().max_redeliveries + 1


def _done(key: str) -> None:
    try:
        _redis().delete(f"sohoa:starts:{key}")
    except redis.RedisError:
        log.warning("could not clear the start count of %s; it expires in a week", key)


def _retry_or_raise(task: Task, exc: BaseException) -> None:
    if is_transient(exc) and task.request.retries < MAX_RETRIES:
        delay = min(2 ** task.request.retries, 60)
        log.warning("transient error in %s, retry %d in %ds: %s", task.name, task.request.retries + 1, delay, exc)
        raise task.retry(exc=exc, countdown=delay)


def _error(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


@app.task(name="sohoa.ingest", bind=True, max_retries=MAX_RETRIES)
def ingest(self: Task, job: dict[str, Any]) -> str:
    j = IngestJob.model_validate(job)
    settings = get_settings()
    key = f"{j.sha256}:plan"
    try:
        if too_many_deliveries(key):
            raise PipelineError("worker_crashed", "planning the file killed its worker repeatedly", source=j.path)
        src = Path(j.path)
        if not src.exists():
            log.warning("spool copy of %s is gone; the document was finished elsewhere", j.original_name)
            return "gone"
        doc_plan = plan(src)
        workdir = settings.work / j.sha256
        text_pages = [
            read_page(src, doc_plan.fmt, s, workdir).model_dump(mode="json")
            for s in doc_plan.pages
            if s.kind == "text"
        ]
        image_pages = [s for s in doc_plan.pages if s.kind == "image"]
        limit = settings.task_soft_limit_per_page
        finisher = finish.s(j.model_dump(mode="json"), doc_plan.fmt, text_pages).set(
            soft_time_limit=60 + 5 * len(doc_plan.pages), time_limit=120 + 10 * len(doc_plan.pages)
        )
        if image_pages:
            header = [
                ocr_page.s(PageJob(job=j, fmt=doc_plan.fmt, page=s).model_dump(mode="json")).set(
                    soft_time_limit=limit, time_limit=limit * 1.5
                )
                for s in image_pages
            ]
            chord(header)(finisher)
        else:
            finisher.delay([])
        _done(key)
        return f"{len(image_pages)} pages to OCR"
    except PipelineError as e:
        _done(key)
        intake.quarantine(j.intake_id, settings, e)
        return e.code
    except Exception as e:
        _retry_or_raise(self, e)
        log.exception("ingest of %s failed", j.original_name)
        _done(key)
        intake.quarantine(j.intake_id, settings, PipelineError("internal_error", repr(e), source=j.original_name))
        return "internal_error"


@app.task(name="sohoa.ocr_page", bind=True, max_retries=MAX_RETRIES)
def ocr_page(self: Task, page_job: dict[str, Any]) -> dict[str, Any]:
    pj = PageJob.model_validate(page_job)
    settings = get_settings()
    key = f"{pj.job.sha256}:{pj.page.page_no}"
    try:
        if too_many_deliveries(key):
            return _error("worker_crashed", f"page {pj.page.page_no} killed its worker repeatedly")
        result = read_page(
            Path(pj.job.path), pj.fmt, pj.page, settings.work / pj.job.sha256,
            lang=settings.ocr_lang, timeout=settings.task_soft_limit_per_page,
        )
        _done(key)
        return result.model_dump(mode="json")
    except PipelineError as e:
        _done(key)
        return _error(e.code, e.message)
    except SoftTimeLimitExceeded:
        _done(key)
        return _error("ocr_failed", f"page {pj.page.page_no} took longer than the time limit")
    except Exception as e:
        _retry_or_raise(self, e)
        log.exception("OCR of %s page %d failed", pj.job.original_name, pj.page.page_no)
        _done(key)
        return _error("internal_error", repr(e))


@app.task(name="sohoa.finish", bind=True, max_retries=MAX_RETRIES)
def finish(
    self: Task, ocr_results: list[dict[str, Any]], job: dict[str, Any], fmt: Format, text_pages: list[dict[str, Any]]
) -> str:
    j = IngestJob.model_validate(job)
    settings = get_settings()
    key = f"{j.sha256}:finish"
    try:
        errors = [r["error"] for r in ocr_results if "error" in r]
        if errors:
            raise PipelineError(errors[0]["code"], errors[0]["message"], source=j.original_name)
        if too_many_deliveries(key):
            raise PipelineError("worker_crashed", "finishing the document killed its worker repeatedly")
        pages = [PageResult.model_validate(r) for r in [*ocr_results, *text_pages]]
        source = Source(Path(j.path), j.sha256, j.original_name, j.unit, j.role, j.received_at)
        record = finish_document(source, fmt, pages, settings, store())
        intake.complete(j.sha256, settings, record.doc_id)
        _done(key)
        return record.doc_id
    except PipelineError as e:
        _done(key)
        intake.quarantine(j.intake_id, settings, e)
        return e.code
    except Exception as e:
        _retry_or_raise(self, e)
        log.exception("finishing %s failed", j.original_name)
        _done(key)
        intake.quarantine(j.intake_id, settings, PipelineError("internal_error", repr(e), source=j.original_name))
        return "internal_error"


def enqueue(job: IngestJob) -> None:
    """Queue a claimed file. The task id is the intake's, so a re-queue after recovery is traceable."""
    ingest.apply_async(args=[job.model_dump(mode="json")], task_id=f"ingest-{job.intake_id}-{job.sha256[:16]}")
