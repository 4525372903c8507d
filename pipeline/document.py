"""A file from pages to records: the stages after reading, shared by `sohoa process` and the Celery
`finish` task, so both paths run the very same code. A scanned batch is split into its documents
(pipeline/split.py) first; each is then assembled, classified, extracted, stored and recorded."""

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
from pipeline.assemble import cut, searchable_pdf
from pipeline.classify import role_mismatch
from pipeline.config import Settings
from pipeline.corrections import learned_lexicon
from pipeline.dossiers import apply_sidecar, link_same_content, remember, reuse_of
from pipeline.extract import extract
from pipeline.identity import doc_id_for, sha256_file
from pipeline.learned import classify_document
from pipeline.ocr import read_page
from pipeline.pages import Format, plan
from pipeline.record import load_records, save_document
from pipeline.split import Segment, apply_dossier, split_pages
from pipeline.stagestats import Clock
from pipeline.store import ObjectStore, object_prefix
from pipeline.vn.codes import parse_dossier_code
from schemas.document import DocumentRecord, DossierVia, OcrSummary, Part
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
    source: Source, fmt: Format, results: Iterable[PageResult], settings: Settings, store: ObjectStore,
    clock: Clock | None = None,
) -> DocumentRecord:
    """`finish_file`, for a caller that needs one id per file: the file's first document."""
    return finish_file(source, fmt, results, settings, store, clock)[0]


def finish_file(
    source: Source, fmt: Format, results: Iterable[PageResult], settings: Settings, store: ObjectStore,
    clock: Clock | None = None,
) -> list[DocumentRecord]:
    """Split the file into its documents (pipeline/split.py), then assemble, classify, extract, store
    and record each, timing those stages into `clock`. Idempotent by content: a file already recorded
    gives back its documents. A file that is one document is stored whole, under the id of its hash, as
    it always was."""
    clock = clock or Clock()
    with db.session_scope(settings.db_url) as session:
        done = load_records(session, source.sha256)
    if done:
        if done[0].part is None:
            # The same content finished first under another file: this one's dossier may reuse that copy.
            link_same_content(settings.db_url, source.sha256, source.path, source.name, source.role)
        return done
    pages = sorted(results, key=lambda r: r.page_no)
    workdir = settings.work / source.sha256
    workdir.mkdir(parents=True, exist_ok=True)
    segments = split_pages(pages)
    if len(segments) <= 1:
        drafts = [_draft(source, fmt, pages, settings, clock, segment=segments[0] if segments else None,
                         original=source.path, sha256=source.sha256, doc_id=doc_id_for(source.sha256),
                         workdir=workdir)]
    else:
        drafts = [_part(source, fmt, pages, seg, k, len(segments), settings, clock, workdir)
                  for k, seg in enumerate(segments, 1)]
    records = _keep(drafts, settings, store, clock)
    shutil.rmtree(workdir, ignore_errors=True)
    return records


@dataclass
class _Draft:
    """A document ready to be stored: its record, pages (numbered within it) and original."""

    record: DocumentRecord
    pages: list[PageResult]
    separators: list[PageResult]
    original: Path
    fmt: Format
    prefix: str
    workdir: Path


def _part(
    source: Source, fmt: Format, pages: list[PageResult], seg: Segment, k: int, n: int, settings: Settings,
    clock: Clock, workdir: Path,
) -> _Draft:
    """The k-th of n documents of a split file: its own cut of the original, pages numbered from 1."""
    by_no = {p.page_no: p for p in pages}
    sub = workdir / f"part-{k:03d}"
    original = cut(source.path, fmt, seg.pages, sub / ("original" + EXTENSIONS[fmt]))
    own = [by_no[no].model_copy(update={"page_no": i}) for i, no in enumerate(seg.pages, 1)]
    blank = [by_no[no].model_copy(update={"page_no": len(own) + i}) for i, no in enumerate(seg.separators, 1)]
    part = Part(source_sha256=source.sha256, index=k, of=n, pages=list(seg.pages), separators=list(seg.separators))
    return _draft(source, fmt, own, settings, clock, segment=seg, original=original, sha256=sha256_file(original),
                  doc_id=doc_id_for(source.sha256, k), workdir=sub, part=part, separators=blank)


def _draft(
    source: Source, fmt: Format, pages: list[PageResult], settings: Settings, clock: Clock, *,
    segment: Segment | None,
    original: Path, sha256: str, doc_id: str, workdir: Path, part: Part | None = None,
    separators: list[PageResult] | None = None,
) -> _Draft:
    """Classify and extract one document, and settle its dossier: the split's (QR code, then the
    slip's text), the document's own text, the sidecar, then the file name (DESIGN.md's order)."""
    text = "\f".join(p.text for p in pages)
    with clock("classify"):
        cls = classify_document(text, settings.data)  # the learned model in force, the rules without one
    with clock("extract"):
        # names reviewers corrected restore the same names when OCR damages them (pipeline/corrections.py)
        lexicon = learned_lexicon(settings.db_url)
        fields = extract(text, cls.doc_type, page_count=len(pages), pages=pages, lexicon=lexicon)
    metadata = {k: f.value for k, f in fields.items()}
    confidence = {k: round(f.confidence, 3) for k, f in fields.items()}
    via: DossierVia | None = apply_dossier(segment, metadata, confidence) if segment else None
    if via is None and "ma_ho_so" in metadata:
        via = "text"
    apply_sidecar(source.path, metadata, confidence)  # trusted after the text, before the file name
    if via is None and "ma_ho_so" in metadata:
        via = "sidecar"
    if "ma_ho_so" not in metadata and (code := dossier_from_name(source.name)):
        metadata["ma_ho_so"], confidence["ma_ho_so"], via = code, 0.9, "file_name"
    ocr_pages = [p for p in pages if p.source in ("ocr", "empty")]
    text_pages = [p for p in pages if p.source == "text_layer"]
    metadata["muc_do_tin_cay"] = "01" if not ocr_pages else ("02" if not text_pages else "03")
    confidence["muc_do_tin_cay"] = 1.0
    confs = [p.mean_confidence for p in ocr_pages if p.mean_confidence is not None]
    mismatch = role_mismatch(cls.doc_type, source.role)
    prefix = object_prefix(source.unit, source.received_at.year, metadata.get("ma_ho_so"), doc_id)
    record = DocumentRecord(
        source=source.name,
        sha256=sha256,
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
        dossier_source=via if "ma_ho_so" in metadata else None,
        part=part,
    )
    return _Draft(record, pages, separators or [], original, fmt, prefix, workdir)


def _keep(drafts: list[_Draft], settings: Settings, store: ObjectStore, clock: Clock) -> list[DocumentRecord]:
    """Store every draft's objects, then record them all in one transaction: the documents of a file
    are in the database together or not at all, so a file found there is wholly done."""
    out: list[DocumentRecord] = []
    stored: list[_Draft] = []
    for d in drafts:
        if (earlier := reuse_of(settings.db_url, d.record)) is not None:
            out.append(earlier)  # a new scan of a paper digitised for an earlier dossier: linked, not stored
            continue
        with clock("assemble"):
            searchable = searchable_pdf(d.original, d.fmt, d.pages, d.workdir / "searchable.pdf")
        tags = {"doc_type": d.record.doc_type, "role": d.record.role or ""}  # the store adds the sha256 itself
        if d.record.part is not None:
            tags["source_sha256"] = d.record.part.source_sha256
        with clock("store"):
            store.put_file(d.record.outputs[0], d.original, content_type=CONTENT_TYPES[d.fmt], metadata=tags)
            store.put_file(d.record.outputs[1], searchable, content_type="application/pdf", metadata=tags)
            body = json.dumps(d.record.model_dump(mode="json"), ensure_ascii=False, indent=1).encode("utf-8")
            store.put_bytes(d.record.outputs[2], body, content_type="application/json", metadata=tags)
        stored.append(d)
        out.append(d.record)
    if stored:
        with clock("record"), db.session_scope(settings.db_url) as session:
            for d in stored:
                save_document(session, d.record, d.pages, d.prefix, d.separators)
                remember(session, d.record)
    return out


def digitise(
    source: Source,
    settings: Settings,
    store: ObjectStore,
    *,
    executor: Executor | None = None,
    on_pages: Callable[[int], None] | None = None,
) -> DocumentRecord:
    """`digitise_file`, for a caller that needs one record per file: the file's first document."""
    return digitise_file(source, settings, store, executor=executor, on_pages=on_pages)[0]


def digitise_file(
    source: Source,
    settings: Settings,
    store: ObjectStore,
    *,
    executor: Executor | None = None,
    on_pages: Callable[[int], None] | None = None,
) -> list[DocumentRecord]:
    """The whole pipeline in this process (no broker): plan, read every page, split and finish."""
    with db.session_scope(settings.db_url) as session:
        done = load_records(session, source.sha256)
    if done:
        return done
    doc_plan = plan(source.path)
    if on_pages:
        on_pages(len(doc_plan.pages))
    results = read_pages(
        source.path, doc_plan.fmt, doc_plan.pages, settings.work / source.sha256,
        lang=settings.ocr_lang, executor=executor,
    )
    return finish_file(source, doc_plan.fmt, results, settings, store)
