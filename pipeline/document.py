"""One document from pages to record: the stages after reading, shared by `sohoa process` and the
Celery `finish` task, so both paths run the very same code."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pipeline import db
from pipeline.assemble import searchable_pdf
from pipeline.classify import role_mismatch
from pipeline.config import Settings
from pipeline.dossiers import apply_sidecar, link_same_content, remember, reuse_of
from pipeline.extract import extract
from pipeline.identity import doc_id_for
from pipeline.learned import classify_document
from pipeline.ocr import read_page
from pipeline.pages import Format, plan
from pipeline.record import load_record, save_document
from pipeline.store import ObjectStore, object_prefix
from pipeline.vn.codes import parse_dossier_code
from schemas.document import DocumentRecord, OcrSummary
from schemas.tasks import PageResult, PageSpec

EXTENSIONS: dict[Format, str] = {"pdf": ".pdf", "tiff": ".tif", "jpeg": ".jpg", "png": ".png"}
CONTENT_TYPES: dict[Format, str] = {
    "pdf": "application/pdf",
    "tiff": "image/tiff",
    "jpeg": "image/jpeg",
    "png": "image/png",
}
# `<ma_ho_so>.<n>.<ext>`: the clerk's own naming links a file to its dossier.
DOSSIER_FILE_NAME = re.compile(r"^(?P<code>.+?)\.\d{1,3}$")


@dataclass(frozen=True)
class Source:
    """Where a file came from: what the clerk's folder says about it."""

    path: Path
    sha256: str
    name: str
    unit: str | None
    role: str | None
    received_at: datetime


def dossier_from_name(name: str) -> str | None:
    stem = Path(name).stem
    m = DOSSIER_FILE_NAME.match(stem)
    return parse_dossier_code(m.group("code") if m else stem)


def read_pages(
    src: Path, fmt: Format, specs: Sequence[PageSpec], workdir: Path, *, lang: str, executor: Executor | None = None
) -> list[PageResult]:
    """Read every page, fanning image pages out over the executor's processes when there is one."""
    if executor is None:
        return [read_page(src, fmt, s, workdir, lang=lang) for s in specs]
    futures = [executor.submit(read_page, src, fmt, s, workdir, lang=lang) for s in specs]
    return [f.result() for f in futures]


def finish(
    source: Source, fmt: Format, results: Iterable[PageResult], settings: Settings, store: ObjectStore
) -> DocumentRecord:
    """Assemble, classify, extract, store and record. Idempotent by content hash."""
    with db.session_scope(settings.db_url) as session:
        done = load_record(session, source.sha256)
    if done is not None:
        # The same content finished first under another file: this one's dossier may reuse that copy.
        link_same_content(settings.db_url, source.sha256, source.path, source.name, source.role)
        return done
    pages = sorted(results, key=lambda r: r.page_no)
    workdir = settings.work / source.sha256
    workdir.mkdir(parents=True, exist_ok=True)
    text = "\f".join(p.text for p in pages)
    cls = classify_document(text, settings.data)  # the learned model in force, the rules without one
    fields = extract(text, cls.doc_type, page_count=len(pages), pages=pages)
    metadata = {k: f.value for k, f in fields.items()}
    confidence = {k: round(f.confidence, 3) for k, f in fields.items()}
    apply_sidecar(source.path, metadata, confidence)  # trusted after the text, before the file name
    if "ma_ho_so" not in metadata and (code := dossier_from_name(source.name)):
        metadata["ma_ho_so"], confidence["ma_ho_so"] = code, 0.9
    ocr_pages = [p for p in pages if p.source in ("ocr", "empty")]
    text_pages = [p for p in pages if p.source == "text_layer"]
    metadata["muc_do_tin_cay"] = "01" if not ocr_pages else ("02" if not text_pages else "03")
    confidence["muc_do_tin_cay"] = 1.0
    confs = [p.mean_confidence for p in ocr_pages if p.mean_confidence is not None]
    mismatch = role_mismatch(cls.doc_type, source.role)
    doc_id = doc_id_for(source.sha256)
    prefix = object_prefix(source.unit, source.received_at.year, metadata.get("ma_ho_so"), doc_id)
    record = DocumentRecord(
        source=source.name,
        sha256=source.sha256,
        doc_id=doc_id,
        unit=source.unit,
        pages=len(pages),
        doc_type=cls.doc_type,
        doc_type_confidence=round(cls.confidence, 3),
        role=source.role,  # type: ignore[arg-type]
        role_mismatch=mismatch,
        review=mismatch or cls.confidence < settings.review_threshold,
        metadata=metadata,
        metadata_confidence=confidence,
        text=text,
        ocr=OcrSummary(
            pages_ocr=len(ocr_pages),
            pages_text_layer=len(text_pages),
            mean_confidence=round(sum(confs) / len(confs), 2) if confs else None,
        ),
        outputs=[prefix + "original" + EXTENSIONS[fmt], prefix + "searchable.pdf", prefix + "record.json"],
    )
    if (earlier := reuse_of(settings.db_url, record)) is not None:
        shutil.rmtree(workdir, ignore_errors=True)
        return earlier  # a new scan of a paper digitised for an earlier dossier: linked, not stored again
    searchable = searchable_pdf(source.path, fmt, pages, workdir / "searchable.pdf")
    tags = {"doc_type": cls.doc_type, "role": source.role or ""}  # the store adds the sha256 itself
    store.put_file(record.outputs[0], source.path, content_type=CONTENT_TYPES[fmt], metadata=tags)
    store.put_file(record.outputs[1], searchable, content_type="application/pdf", metadata=tags)
    body = json.dumps(record.model_dump(mode="json"), ensure_ascii=False, indent=1).encode("utf-8")
    store.put_bytes(record.outputs[2], body, content_type="application/json", metadata=tags)
    with db.session_scope(settings.db_url) as session:
        save_document(session, record, pages, prefix)
        remember(session, record)
    shutil.rmtree(workdir, ignore_errors=True)
    return record


def digitise(
    source: Source,
    settings: Settings,
    store: ObjectStore,
    *,
    executor: Executor | None = None,
    on_pages: Callable[[int], None] | None = None,
) -> DocumentRecord:
    """The whole pipeline in this process (no broker): plan, read every page, finish."""
    with db.session_scope(settings.db_url) as session:
        done = load_record(session, source.sha256)
    if done is not None:
        return done
    doc_plan = plan(source.path)
    if on_pages:
        on_pages(len(doc_plan.pages))
    results = read_pages(
        source.path, doc_plan.fmt, doc_plan.pages, settings.work / source.sha256,
        lang=settings.ocr_lang, executor=executor,
    )
    return finish(source, doc_plan.fmt, results, settings, store)
