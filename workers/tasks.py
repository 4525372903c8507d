"""Thin Celery tasks around pipeline/: ingest (plan a file), ocr_page (one page), finish (the rest)."""

from __future__ import annotations

import json
import logging
import os
import traceback
from contextlib import suppress
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import redis
from celery import Task
from celery.exceptions import Reject, SoftTimeLimitExceeded
from kombu.exceptions import OperationalError as BrokerError
from sqlalchemy.exc import IntegrityError, OperationalError

from pipeline.config import get_settings
from pipeline.errors import PAGE_LEVEL, PipelineError
from pipeline.flow import Source, finish_isolated, finish_seconds, page_seconds, unread_page
from pipeline.index import stagestats
from pipeline.intake import claim as intake
from pipeline.isolate import Pool
from pipeline.keep.models import stored_utc
from pipeline.keep.store import ObjectStore, StoreError, open_store
from pipeline.read.checks import limits_from
from pipeline.read.ocr import page_paths, read_page
from pipeline.read.pages import DocumentPlan, Format, plan
from pipeline.redis_client import connect
from schemas.tasks import IngestJob, PageJob, PageResult, PageSpec
from workers.app import app

log = logging.getLogger(__name__)
MAX_RETRIES = 12


@lru_cache(maxsize=1)
def store() -> ObjectStore:
    return open_store(get_settings())


@lru_cache(maxsize=1)
def isolated() -> Pool:
    """This worker process's child (pipeline/isolate.py) that reads untrusted bytes: a crash, hang or
    memory blow-up there fails the task's file with its reason, and the worker goes on. Made on first
    use, after Celery's prefork."""
    s = get_settings()
    return Pool(1, memory_mb=s.child_memory_mb, timeout=s.file_seconds)


def _plan(src: Path, workdir: Path) -> DocumentPlan:
    s = get_settings()
    return isolated().submit_limited(plan, src, limits=limits_from(s), workdir=workdir, timeout_s=s.file_seconds,
                                     label="planning", source=str(src)).result()


def _read(src: Path, fmt: Format, spec: PageSpec, workdir: Path, *, timeout: float = 0) -> PageResult:
    s = get_settings()
    return isolated().submit_limited(read_page, src, fmt, spec, workdir, lang=s.ocr_lang, timeout=timeout,
                                     timeout_s=page_seconds(s), label=f"page {spec.page_no}",
                                     source=str(src)).result()


def task_limits(seconds: float) -> dict[str, float]:
    """Celery's own limits sit above the child's deadline: the child is killed first, with a reason."""
    return {"soft_time_limit": seconds + 30, "time_limit": seconds + 60}


@lru_cache(maxsize=1)
def _redis() -> redis.Redis:
    return connect(app.conf.broker_url)


def is_transient(exc: BaseException) -> bool:
    if isinstance(exc, StoreError):
        return bool(getattr(exc, "transient", False))
    # IntegrityError: a concurrent delivery of the same content recorded it first; the retry finds its record.
    return isinstance(
        exc, OperationalError | IntegrityError | BrokerError | redis.ConnectionError | redis.TimeoutError
        | ConnectionError,
    )


def too_many_deliveries(key: str) -> bool:
    """Count starts of one unit of work; a file that killed its worker repeatedly must stop looping.

    Keyed by intake id (not content): a clerk who moves a quarantined file back gets a fresh count."""
    n = int(_redis().incr(f"sohoa:starts:{key}"))
    _redis().expire(f"sohoa:starts:{key}", 7 * 24 * 3600)
    return n > get_settings().max_redeliveries + 1


def _done(key: str) -> None:
    try:
        _redis().delete(f"sohoa:starts:{key}")
    except redis.RedisError:
        log.warning("could not clear the start count of %s; it expires in a week", key)


def _not_a_crash(key: str) -> None:
    """This start ends in a retry, not a dead worker: it must not count towards quarantine."""
    try:
        _redis().decr(f"sohoa:starts:{key}")
    except redis.RedisError:
        log.warning("could not adjust the start count of %s", key)


def _retry_or_raise(task: Task, exc: BaseException, key: str) -> None:
    if is_transient(exc) and task.request.retries < MAX_RETRIES:
        _not_a_crash(key)
        delay = min(2 ** task.request.retries, 60)
        log.warning("transient error in %s, retry %d in %ds: %s", task.name, task.request.retries + 1, delay, exc)
        try:
            raise task.retry(exc=exc, countdown=delay)
        except Reject as rej:
            # The retry could not be published (the broker is down). Celery would then drop the message
            # (requeue=False); keep it instead: requeued, or left unacked for the orphan restore.
            raise Reject(rej.reason, requeue=True) from exc


def _give_up(task: Task, exc: Exception, key: str, job: IngestJob, stage: str) -> str:
    """A file-level failure: retried first when transient, else quarantined with its reason and stage.
    Called from an `except` block, so the traceback of an unexpected error is logged and kept."""
    if not isinstance(exc, PipelineError):
        _retry_or_raise(task, exc, key)
        log.exception("%s of %s failed", stage, job.original_name)
        exc = PipelineError("internal_error", repr(exc), source=job.original_name, trace=traceback.format_exc())
    exc.stage = exc.stage or stage
    _done(key)
    intake.quarantine(job.intake_id, get_settings(), exc)
    return exc.code


def _error_path(workdir: Path, page_no: int) -> Path:
    return workdir / f"page-{page_no:04d}.error.json"


def _page_failed(workdir: Path, page_no: int, code: str, message: str, trace: str | None = None) -> None:
    path = _error_path(workdir, page_no)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    body = {"code": code, "message": message, "trace": trace}
    tmp.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def _all_read(workdir: Path, n_pages: int) -> bool:
    return all(page_paths(workdir, k)[0].exists() or _error_path(workdir, k).exists() for k in range(1, n_pages + 1))


def _finish_guard(intake_id: int) -> str:
    return f"sohoa:finishing:{intake_id}"


def _finish_once(j: IngestJob, fmt: Format, n_pages: int) -> None:
    """Queue `finish` when every page is read. The join is the work dir itself, not a Celery chord:
    a chord's counter lives in the result backend and is lost or miscounted when Redis restarts or a
    page task is delivered twice; the files in the work dir say what is really done."""
    if not _all_read(get_settings().work / j.sha256, n_pages):
        return
    limits = task_limits(finish_seconds(get_settings(), n_pages))
    # The guard outlives one finish; should that message be lost, the file's next requeue lifts it (enqueue).
    if _redis().set(_finish_guard(j.intake_id), 1, nx=True, ex=int(limits["time_limit"]) + 60):
        finish.apply_async(args=[j.model_dump(mode="json"), fmt, n_pages], **limits)


@app.task(name="sohoa.ingest", bind=True, max_retries=MAX_RETRIES)
def ingest(self: Task, job: dict[str, Any]) -> str:
    j = IngestJob.model_validate(job)
    settings = get_settings()
    key = f"{j.intake_id}:plan"
    try:
        if not intake.is_pending(settings, j.intake_id):
            return "already finished"  # a redelivery (worker lost, Redis restarted) after the file ended
        if too_many_deliveries(key):
            raise PipelineError("worker_crashed", "planning the file killed its worker repeatedly", source=j.path)
        src = Path(j.path)
        if not src.exists():
            raise PipelineError("internal_error", "the spool copy is missing", source=j.path)
        workdir = settings.work / j.sha256
        with stagestats.timed(_redis(), "plan"):
            doc_plan = _plan(src, workdir)
            for stale in workdir.glob("page-*.error.json"):
                stale.unlink()  # from an earlier try of the same content (the clerk moved it back): try again
            for s in doc_plan.pages:
                if s.kind == "text":
                    _read(src, doc_plan.fmt, s, workdir)  # cheap; kept in the work dir for finish
        image_pages = [s for s in doc_plan.pages if s.kind == "image"]
        for s in image_pages:
            ocr_page.apply_async(
                args=[PageJob(job=j, fmt=doc_plan.fmt, page=s).model_dump(mode="json"), len(doc_plan.pages)],
                **task_limits(page_seconds(settings)),
            )
        _finish_once(j, doc_plan.fmt, len(doc_plan.pages))  # nothing to OCR, or every page read before
        _done(key)
        return f"{len(image_pages)} pages to OCR"
    except Exception as e:
        return _give_up(self, e, key, j, "plan")


@app.task(name="sohoa.ocr_page", bind=True, max_retries=MAX_RETRIES)
def ocr_page(self: Task, page_job: dict[str, Any], n_pages: int) -> str:
    pj = PageJob.model_validate(page_job)
    settings = get_settings()
    page_no = pj.page.page_no
    workdir = settings.work / pj.job.sha256
    key = f"{pj.job.intake_id}:{page_no}"
    try:
        if too_many_deliveries(key):
            _page_failed(workdir, page_no, "worker_crashed", f"page {page_no} killed its worker repeatedly")
        else:
            try:
                with stagestats.timed(_redis(), "ocr"):
                    _read(Path(pj.job.path), pj.fmt, pj.page, workdir, timeout=settings.task_soft_limit_per_page)
            except PipelineError as e:
                _page_failed(workdir, page_no, e.code, e.message)
            except SoftTimeLimitExceeded:
                _page_failed(workdir, page_no, "ocr_failed", f"page {page_no} took longer than the time limit")
        _finish_once(pj.job, pj.fmt, n_pages)
        _done(key)
        return f"page {page_no}"
    except Exception as e:
        _retry_or_raise(self, e, key)
        log.exception("OCR of %s page %d failed", pj.job.original_name, page_no)
        _page_failed(workdir, page_no, "internal_error", repr(e), traceback.format_exc())
        _done(key)
        _finish_once(pj.job, pj.fmt, n_pages)
        return "internal_error"


@app.task(name="sohoa.finish", bind=True, max_retries=MAX_RETRIES)
def finish(self: Task, job: dict[str, Any], fmt: Format, n_pages: int) -> str:
    j = IngestJob.model_validate(job)
    settings = get_settings()
    key = f"{j.intake_id}:finish"
    try:
        if not intake.is_pending(settings, j.intake_id):
            return "already finished"
        if too_many_deliveries(key):
            raise PipelineError("worker_crashed", "finishing the document killed its worker repeatedly")
        with suppress(OSError):  # work seen: the stall recovery leaves a running finish alone
            os.utime(settings.work / j.sha256)
        with stagestats.timed(_redis(), "finish"):
            pages = _all_pages(Path(j.path), fmt, n_pages, settings.work / j.sha256)
            source = Source(Path(j.path), j.sha256, j.original_name, j.unit, j.role, j.received_at)
            records, clock = isolated().submit_limited(
                finish_isolated, source, fmt, pages, settings, timeout_s=finish_seconds(settings, n_pages),
                label="finishing", source=j.original_name).result()
            record = records[0]
        clock.report(_redis())
        if intake.complete(j.sha256, settings, record.doc_id):
            stagestats.observe(_redis(), "total", (datetime.now(UTC) - stored_utc(j.received_at)).total_seconds())
        _done(key)
        return record.doc_id
    except Exception as e:
        return _give_up(self, e, key, j, "finish")


def _all_pages(src: Path, fmt: Format, n_pages: int, workdir: Path) -> list[PageResult]:
    """Every page's result from the work dir; a page's error stops the document with that error. A page
    missing from the work dir (it was cleaned meanwhile) is read again here."""
    pages: list[PageResult] = []
    specs = None
    for k in range(1, n_pages + 1):
        err = _error_path(workdir, k)
        if err.exists():
            e = json.loads(err.read_text(encoding="utf-8"))
            if e["code"] in PAGE_LEVEL:  # this page is marked unread, the rest of the file goes on
                pages.append(unread_page(k, PipelineError(e["code"], e["message"])))
                continue
            raise PipelineError(e["code"], e["message"], source=str(src), stage="ocr", trace=e.get("trace"))
        json_path = page_paths(workdir, k)[0]
        if json_path.exists():
            pages.append(PageResult.model_validate_json(json_path.read_text(encoding="utf-8")))
            continue
        log.warning("%s: page %d is not in the work dir; reading it again", src, k)
        specs = specs or {s.page_no: s for s in _plan(src, workdir).pages}
        pages.append(_read(src, fmt, specs[k], workdir))
    return pages


def enqueue(job: IngestJob) -> None:
    """Queue a claimed file. The task id is the intake's, so a re-queue after recovery is traceable.
    A requeue means the file's messages are presumed lost, and a finish message can be lost too (a worker
    held it when Redis restarted): its guard goes, so that the replanned file queues its finish again."""
    _redis().delete(_finish_guard(job.intake_id))
    ingest.apply_async(args=[job.model_dump(mode="json")], task_id=f"ingest-{job.intake_id}-{job.sha256[:16]}",
                       **task_limits(get_settings().file_seconds))
