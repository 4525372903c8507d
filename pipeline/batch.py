"""`sohoa process`: the pipeline in this process over many files, pages of several files in flight at
once so that every core has a page to read, documents yielded in the order the files were given (a
scanned batch yields each document it was split into)."""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pipeline.config import Settings
from pipeline.errors import PipelineError
from pipeline.flow import Source, finish_file
from pipeline.identity import sha256_file
from pipeline.index.dossiers import link_same_content
from pipeline.intake.claim import record_direct
from pipeline.keep import db
from pipeline.keep.record import load_records
from pipeline.keep.store import ObjectStore
from pipeline.read.ocr import read_page
from pipeline.read.pages import Format, plan
from schemas.document import DocumentRecord, ErrorInfo, ProcessError
from schemas.tasks import PageResult

log = logging.getLogger(__name__)


@dataclass
class _InFlight:
    path: Path
    source: Source | None = None
    fmt: Format | None = None
    pages: list[Future[PageResult]] | None = None
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
    several); a file that cannot be digitised yields a ProcessError and the run goes on."""
    window = window or max(2, 2 * settings.workers)
    queue: deque[_InFlight] = deque()
    for path, unit, role in files:
        queue.append(_start(path, unit, role, settings, store, executor))
        while len(queue) >= window:
            yield from _finish(queue.popleft(), settings, store)
    while queue:
        yield from _finish(queue.popleft(), settings, store)


def _start(
    path: Path, unit: str | None, role: str | None, settings: Settings, store: ObjectStore, executor: Executor
) -> _InFlight:
    item = _InFlight(path)
    sha = ""
    try:
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
        doc_plan = plan(path)
        item.fmt = doc_plan.fmt
        workdir = settings.work / sha
        item.pages = [
            executor.submit(read_page, path, doc_plan.fmt, spec, workdir, lang=settings.ocr_lang)
            for spec in doc_plan.pages
        ]
    except Exception as e:
        item.done = _error(path, e)
        if sha:
            _record_failure(settings, path, sha, unit, role, e)
    return item


def _finish(item: _InFlight, settings: Settings, store: ObjectStore) -> list[DocumentRecord] | list[ProcessError]:
    if isinstance(item.done, ProcessError):
        return [item.done]
    if item.done is not None:
        return item.done
    assert item.source is not None and item.fmt is not None and item.pages is not None
    src = item.source
    try:
        results = [f.result() for f in item.pages]
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
