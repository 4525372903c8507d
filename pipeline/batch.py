"""`sohoa process`: the pipeline in this process over many files, pages of several files in flight at
once so that every core has a page to read, documents yielded in the order the files were given (a
scanned batch yields each document it was split into)."""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipeline.config import Settings
from pipeline.errors import PipelineError
from pipeline.flow import Source, finish_file, finish_isolated, finish_seconds, page_or_mark, page_seconds
from pipeline.identity import sha256_file
from pipeline.index.dossiers import link_same_content
from pipeline.intake.claim import record_direct
from pipeline.isolate import Pool
from pipeline.keep import db
from pipeline.keep.record import load_records
from pipeline.keep.store import ObjectStore
from pipeline.read.checks import limits_from, sniff_format
from pipeline.read.ocr import read_page
from pipeline.read.pages import DocumentPlan, Format, plan
from schemas.document import DocumentRecord, ErrorInfo, ProcessError
from schemas.tasks import PageResult

log = logging.getLogger(__name__)


@dataclass
class _InFlight:
    path: Path
    source: Source | None = None
    fmt: Format | None = None
    # the plan's future, then (set from its callback) the future of the pages' futures
    planned: Future[DocumentPlan] | None = None
    pages: Future[list[Future[PageResult]]] = field(default_factory=Future)
    done: list[DocumentRecord] | ProcessError | None = None


def _error(path: Path, e: Exception) -> ProcessError:
    if isinstance(e, PipelineError):
        return ProcessError(source=str(path), error=ErrorInfo(code=e.code, message=e.message, message_vi=e.message_vi))
    log.error("processing %s failed: %r", path, e, exc_info=e)
    return ProcessError(source=str(path), error=ErrorInfo(code="internal_error", message=repr(e)))


def process_files(
    files: Iterable[tuple[Path, str | None, str | None]],
    settings: Settings,
    store: ObjectStore,
    executor: Executor,
    *,
    window: int | None = None,
) -> Iterator[DocumentRecord | ProcessError]:
    """`files` gives (path, unit, role). Yields every document of every file (a scanned batch may hold
    several); a file that cannot be digitised yields a ProcessError and the run goes on.

    With a `pipeline.isolate.Pool` as the executor, everything that reads the file's bytes (planning,
    every page, finishing) runs in its rlimited children under a deadline: a file that crashes, hangs or
    blows up its child is the only one to fail, with the reason. Any other executor runs the pages only."""
    window = window or max(2, 2 * settings.workers)
    queue: deque[_InFlight] = deque()
    for path, unit, role in files:
        queue.append(_start(path, unit, role, settings, store, executor))
        while len(queue) >= window:
            yield from _finish(queue.popleft(), settings, store, executor)
    while queue:
        yield from _finish(queue.popleft(), settings, store, executor)


def _start(
    path: Path, unit: str | None, role: str | None, settings: Settings, store: ObjectStore, executor: Executor
) -> _InFlight:
    item = _InFlight(path)
    sha = ""
    try:
        if path.is_symlink():  # never followed: it may point anywhere (another unit's files, /etc)
            raise PipelineError("symlink", f"a symbolic link to {os.readlink(path)}, not followed", source=str(path))
        if path.stat().st_size > settings.max_file_mb * 2**20:  # refused before even the hash reads it
            sniff_format(path, limits_from(settings))
        sha = sha256_file(path)
        with db.session_scope(settings.db_url) as s:
            earlier = load_records(s, sha)
        if earlier:
            item.done = [r.model_copy(update={"source": str(path), "duplicate_of": r.doc_id}) for r in earlier]
            record_direct(settings, path, sha, unit=unit, role=role, document_id=earlier[0].doc_id, duplicate=True)
            if earlier[0].part is None:
                link_same_content(settings.db_url, sha, path, path.name, role)  # dropped for another dossier: reuse
            return item
        item.source = Source(path, sha, path.name, unit, role, datetime.now(UTC))
        workdir = settings.work / sha
        limits = limits_from(settings)
        if isinstance(executor, Pool):
            item.planned = executor.submit_limited(plan, path, limits=limits, workdir=workdir,
                                                   timeout_s=settings.file_seconds, label="planning", source=str(path))
        else:
            item.planned = Future()
            item.planned.set_result(plan(path, limits=limits, workdir=workdir))
        item.planned.add_done_callback(lambda f: _read(item, f, settings, executor))
    except Exception as e:
        item.done = _error(path, e)
        if sha:
            _record_failure(settings, path, sha, unit, role, e)
    return item


def _read(item: _InFlight, planned: Future[DocumentPlan], settings: Settings, executor: Executor) -> None:
    """Once planned, every page goes to the executor (called from the pool's thread, or at once)."""
    if planned.exception() is not None:
        item.pages.set_exception(planned.exception())  # type: ignore[arg-type]
        return
    doc_plan = planned.result()
    assert item.source is not None
    item.fmt = doc_plan.fmt
    workdir = settings.work / item.source.sha256
    kw: dict[str, Any] = {"lang": settings.ocr_lang, "timeout": settings.task_soft_limit_per_page}
    try:
        if isinstance(executor, Pool):
            futures = [executor.submit_limited(read_page, item.path, doc_plan.fmt, spec, workdir, **kw,
                                               timeout_s=page_seconds(settings), label=f"page {spec.page_no}",
                                               source=str(item.path))
                       for spec in doc_plan.pages]
        else:
            futures = [executor.submit(read_page, item.path, doc_plan.fmt, spec, workdir, **kw)
                       for spec in doc_plan.pages]
    except Exception as e:
        item.pages.set_exception(e)
        return
    item.pages.set_result(futures)


def _finish(
    item: _InFlight, settings: Settings, store: ObjectStore, executor: Executor
) -> list[DocumentRecord] | list[ProcessError]:
    if isinstance(item.done, ProcessError):
        return [item.done]
    if item.done is not None:
        return item.done
    assert item.source is not None
    src = item.source
    try:
        futures = item.pages.result()
        assert item.fmt is not None
        results = [page_or_mark(k, f.result) for k, f in enumerate(futures, 1)]
        if isinstance(executor, Pool):
            records = executor.submit_limited(
                finish_isolated, src, item.fmt, results, settings, timeout_s=finish_seconds(settings, len(results)),
                label="finishing", source=str(item.path)).result()[0]
        else:
            records = finish_file(src, item.fmt, results, settings, store)
        record_direct(settings, item.path, src.sha256, unit=src.unit, role=src.role, document_id=records[0].doc_id)
        return [r.model_copy(update={"source": str(item.path)}) for r in records]
    except Exception as e:
        _record_failure(settings, item.path, src.sha256, src.unit, src.role, e)
        return [_error(item.path, e)]


def _record_failure(
    settings: Settings, path: Path, sha: str, unit: str | None, role: str | None, e: Exception
) -> None:
    err = e if isinstance(e, PipelineError) else PipelineError("internal_error", repr(e), source=str(path))
    try:
        record_direct(settings, path, sha, unit=unit, role=role, error=err)
    except Exception:
        log.exception("could not record the failure of %s", path)
