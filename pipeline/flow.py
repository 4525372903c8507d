"""The flow of one file, from a dropped file to stored, classified, counted records (DESIGN.md):

    plan ─► read every page ─► split into documents ─► classify ─► extract ─► settle the dossier
         ─► assemble the searchable PDF ─► store ─► record

`digitise_file` runs it all in this process (`sohoa process`). The Celery tasks run the same halves
where they please: planning and `read_page` per page on the ingest and ocr queues, `finish_file`
(everything after reading) on the post queue, so both paths run the very same code."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pipeline.catalogue import role_mismatch
from pipeline.config import Settings
from pipeline.errors import PAGE_LEVEL, PipelineError
from pipeline.identity import doc_id_for, sha256_file
from pipeline.index.dossiers import apply_sidecar, dossier_from_name, link_same_content, remember, reuse_of
from pipeline.index.stagestats import Clock
from pipeline.keep import db
from pipeline.keep.record import load_records, save_document
from pipeline.keep.store import ObjectStore, object_prefix
from pipeline.read.assemble import cut, searchable_pdf
from pipeline.read.checks import limits_from
from pipeline.read.ocr import read_page
from pipeline.read.pages import Format, plan, readable
from pipeline.understand.corrections import learned_lexicon
from pipeline.understand.extract import extract_document, unsure_fields
from pipeline.understand.model import classify_document
from pipeline.understand.split import Segment, apply_dossier, split_pages
from schemas.document import ClassificationInfo, DocumentRecord, DossierVia, OcrSummary, Part, Party
from schemas.tasks import PageResult, PageSpec

EXTENSIONS: dict[Format, str] = {"pdf": ".pdf", "tiff": ".tif", "jpeg": ".jpg", "png": ".png", "heic": ".heic"}
CONTENT_TYPES: dict[Format, str] = {
    "pdf": "application/pdf",
    "tiff": "image/tiff",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "heic": "image/heic",
}


@dataclass(frozen=True)
class Source:
    """Where a file came from: what the clerk's folder says about it."""

    path: Path
    sha256: str
    name: str
    unit: str | None
    role: str | None
    received_at: datetime


def digitise_file(
    source: Source,
    settings: Settings,
    store: ObjectStore,
    *,
    executor: Executor | None = None,
    on_pages: Callable[[int], None] | None = None,
) -> list[DocumentRecord]:
    """The whole flow in this process (no broker). Idempotent by content: a file already recorded gives
    back its documents."""
    if done := _recorded(settings, source.sha256):
        return done
    # per page: a real text layer, or OCR; the limits checked first
    doc_plan = plan(source.path, limits=limits_from(settings), workdir=settings.work / source.sha256)
    if on_pages:
        on_pages(len(doc_plan.pages))
    pages = read_pages(source.path, doc_plan.fmt, doc_plan.pages, settings.work / source.sha256,
                       lang=settings.ocr_lang, executor=executor)
    return finish_file(source, doc_plan.fmt, pages, settings, store)


def finish_file(
    source: Source, fmt: Format, results: Iterable[PageResult], settings: Settings, store: ObjectStore,
    clock: Clock | None = None,
) -> list[DocumentRecord]:
    """Everything after reading, each stage timed into `clock`: split the pages into documents, then
    classify, extract and settle the dossier of each, then store and record them all together."""
    clock = clock or Clock()
    if done := _recorded(settings, source.sha256):
        if done[0].part is None:
            # The same content finished first under another file: this one's dossier may reuse that copy.
            link_same_content(settings.db_url, source.sha256, source.path, source.name, source.role)
        return done
    results = list(results)
    if results and all(r.problem for r in results):
        # Not one page could be read: nothing to store, the file goes to quarantine with the first reason.
        first = min(results, key=lambda r: r.page_no)
        raise PipelineError(first.problem or "ocr_failed", f"no page could be read (page {first.page_no}: "
                            f"{first.problem})", source=source.name, stage="ocr")
    workdir = settings.work / source.sha256
    workdir.mkdir(parents=True, exist_ok=True)
    pieces = _split(source, fmt, sorted(results, key=lambda r: r.page_no), workdir)
    drafts = [_understand(source, piece, settings, clock) for piece in pieces]
    records = _keep(drafts, settings, store, clock)
    shutil.rmtree(workdir, ignore_errors=True)
    return records


def finish(
    source: Source, fmt: Format, results: Iterable[PageResult], settings: Settings, store: ObjectStore,
    clock: Clock | None = None,
) -> DocumentRecord:
    """`finish_file`, for a caller that needs one id per file: the file's first document."""
    return finish_file(source, fmt, results, settings, store, clock)[0]


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


# --- the stages -------------------------------------------------------------------------------------
def _recorded(settings: Settings, sha256: str) -> list[DocumentRecord]:
    with db.session_scope(settings.db_url) as session:
        return load_records(session, sha256)


@dataclass(frozen=True)
class _Piece:
    """One document of a file: the file itself, or, for a scanned batch, its own cut of the original with
    its pages numbered from 1 (pipeline/understand/split.py)."""

    fmt: Format
    pages: list[PageResult]
    segment: Segment | None
    original: Path
    sha256: str
    doc_id: str
    workdir: Path
    part: Part | None = None
    separators: list[PageResult] = field(default_factory=list)


def _split(source: Source, fmt: Format, pages: list[PageResult], workdir: Path) -> list[_Piece]:
    """A file that is one document is stored whole, under the id of its hash, as it always was."""
    segments = split_pages(pages)
    if len(segments) <= 1:
        return [_Piece(fmt, pages, segments[0] if segments else None, source.path, source.sha256,
                       doc_id_for(source.sha256), workdir)]
    by_no = {p.page_no: p for p in pages}
    pieces = []
    for k, seg in enumerate(segments, 1):
        sub = workdir / f"part-{k:03d}"
        original = cut(readable(source.path, workdir), fmt, seg.pages, sub / ("original" + EXTENSIONS[fmt]))
        own = [by_no[no].model_copy(update={"page_no": i}) for i, no in enumerate(seg.pages, 1)]
        blank = [by_no[no].model_copy(update={"page_no": len(own) + i}) for i, no in enumerate(seg.separators, 1)]
        part = Part(source_sha256=source.sha256, index=k, of=len(segments), pages=list(seg.pages),
                    separators=list(seg.separators))
        pieces.append(_Piece(fmt, own, seg, original, sha256_file(original), doc_id_for(source.sha256, k), sub,
                             part, blank))
    return pieces


@dataclass
class _Draft:
    """A document ready to be stored: its record, pages (numbered within it) and original."""

    record: DocumentRecord
    piece: _Piece
    prefix: str


def _understand(source: Source, piece: _Piece, settings: Settings, clock: Clock) -> _Draft:
    """Classify and extract one document, and settle its dossier."""
    pages = piece.pages
    text = "\f".join(p.text for p in pages)
    with clock("classify"):
        cls = classify_document(text, settings.data)  # the learned model in force, the rules without one
    with clock("extract"):
        # names reviewers corrected restore the same names when OCR damages them (understand/corrections.py)
        lexicon = learned_lexicon(settings.db_url)
        read = extract_document(text, cls.doc_type, page_count=len(pages), pages=pages, lexicon=lexicon)
    fields = read.fields
    metadata = {k: f.value for k, f in fields.items()}
    confidence = {k: round(f.confidence, 3) for k, f in fields.items()}
    via = _settle_dossier(source, piece.segment, metadata, confidence)
    ocr_pages = [p for p in pages if p.source in ("ocr", "empty")]
    text_pages = [p for p in pages if p.source == "text_layer"]
    metadata["muc_do_tin_cay"] = "01" if not ocr_pages else ("02" if not text_pages else "03")
    confidence["muc_do_tin_cay"] = 1.0
    confs = [p.mean_confidence for p in ocr_pages if p.mean_confidence is not None]
    mismatch = role_mismatch(cls.doc_type, source.role)
    unsure = [p.page_no for p in pages if p.turn_unsure]
    prefix = object_prefix(source.unit, source.received_at.year, metadata.get("ma_ho_so"), piece.doc_id)
    record = DocumentRecord(
        source=source.name,
        sha256=piece.sha256,
        doc_id=piece.doc_id,
        unit=source.unit,
        pages=len(pages),
        doc_type=cls.doc_type,
        doc_type_confidence=round(cls.confidence, 3),
        role=source.role,  # type: ignore[arg-type]
        role_mismatch=mismatch,
        # A title/body conflict is never accepted on its own, whatever its confidence.
        # So is a page left as scanned because its orientation could not be told (read/preprocess.py).
        # And so is a metadata value read with low confidence (a handwritten number, an OCR-garbled name).
        review=(mismatch or cls.confidence < settings.review_threshold or cls.conflict or bool(unsure)
                or bool(unsure_fields(confidence, settings.field_review_threshold))),
        classification=ClassificationInfo(cues=list(cls.cues), title=cls.title, body=cls.body,
                                          conflict=cls.conflict),
        metadata=metadata,
        metadata_confidence=confidence,
        parties=[Party(role=p.role, ho_ten=p.ho_ten, so_dinh_danh=p.so_dinh_danh, confidence=p.confidence)
                 for p in read.parties],
        text=text,
        ocr=OcrSummary(
            pages_ocr=len(ocr_pages),
            pages_text_layer=len(text_pages),
            mean_confidence=round(sum(confs) / len(confs), 2) if confs else None,
            turn_unsure=unsure,
            pages_unread={p.page_no: p.problem for p in pages if p.problem},
        ),
        outputs=[prefix + "original" + EXTENSIONS[piece.fmt], prefix + "searchable.pdf", prefix + "record.json"],
        dossier_source=via,
        part=piece.part,
    )
    return _Draft(record, piece, prefix)


def _settle_dossier(
    source: Source, segment: Segment | None, metadata: dict[str, str], confidence: dict[str, float]
) -> DossierVia | None:
    """The dossier code, in DESIGN.md's order of trust: the split's (QR code, then the slip's text), the
    document's own text, the sidecar, then the file name. Returns where it came from."""
    via: DossierVia | None = apply_dossier(segment, metadata, confidence) if segment else None
    if via is None and "ma_ho_so" in metadata:
        via = "text"
    apply_sidecar(source.path, metadata, confidence)  # trusted after the text, before the file name
    if via is None and "ma_ho_so" in metadata:
        via = "sidecar"
    if "ma_ho_so" not in metadata and (code := dossier_from_name(source.name)):
        metadata["ma_ho_so"], confidence["ma_ho_so"], via = code, 0.9, "file_name"
    return via if "ma_ho_so" in metadata else None


def _keep(drafts: list[_Draft], settings: Settings, store: ObjectStore, clock: Clock) -> list[DocumentRecord]:
    """Store every draft's objects, then record them all in one transaction: the documents of a file
    are in the database together or not at all, so a file found there is wholly done."""
    out: list[DocumentRecord] = []
    stored: list[_Draft] = []
    for d in drafts:
        piece = d.piece
        if (earlier := reuse_of(settings.db_url, d.record)) is not None:
            out.append(earlier)  # a new scan of a paper digitised for an earlier dossier: linked, not stored
            continue
        with clock("assemble"):
            # the repaired or decrypted copy of a whole PDF, when plan made one (a part is cut from it already)
            base = readable(piece.original, piece.workdir) if piece.part is None else piece.original
            searchable = searchable_pdf(base, piece.fmt, piece.pages, piece.workdir / "searchable.pdf")
        tags = {"doc_type": d.record.doc_type, "role": d.record.role or ""}  # the store adds the sha256 itself
        if d.record.part is not None:
            tags["source_sha256"] = d.record.part.source_sha256
        with clock("store"):
            store.put_file(d.record.outputs[0], piece.original, content_type=CONTENT_TYPES[piece.fmt], metadata=tags)
            store.put_file(d.record.outputs[1], searchable, content_type="application/pdf", metadata=tags)
            body = json.dumps(d.record.model_dump(mode="json"), ensure_ascii=False, indent=1).encode("utf-8")
            store.put_bytes(d.record.outputs[2], body, content_type="application/json", metadata=tags)
        stored.append(d)
        out.append(d.record)
    if stored:
        with clock("record"), db.session_scope(settings.db_url) as session:
            for d in stored:
                save_document(session, d.record, d.piece.pages, d.prefix, d.piece.separators)
                remember(session, d.record)
    return out


def unread_page(page_no: int, error: PipelineError) -> PageResult:
    """A page whose reading failed for a reason of its own (OCR timed out): marked, and the file goes on."""
    return PageResult(page_no=page_no, source="empty", text="", problem=error.code)


def page_or_mark(page_no: int, get: Callable[[], PageResult]) -> PageResult:
    """`get()`'s page, or the page marked unread when it failed for a page-level reason (errors.PAGE_LEVEL);
    any other failure (a crash, the memory limit) is the file's."""
    try:
        return get()
    except PipelineError as e:
        if e.code not in PAGE_LEVEL:
            raise
        return unread_page(page_no, e)


def finish_isolated(
    source: Source, fmt: Format, results: list[PageResult], settings: Settings
) -> tuple[list[DocumentRecord], Clock]:
    """`finish_file` as a task of pipeline/isolate.py: the child opens the store itself (a client with
    its connections does not cross a process boundary) and sends back its stage timings with the records."""
    from pipeline.keep.store import open_store

    clock = Clock()
    return finish_file(source, fmt, results, settings, open_store(settings), clock), clock


def finish_seconds(settings: Settings, n_pages: int) -> float:
    return settings.file_seconds + 10.0 * n_pages


def page_seconds(settings: Settings) -> float:
    """A page's wall clock in its child: tesseract's limit twice (the page, then the signature block
    read again) and half of it again for rendering and the rest."""
    return 2.5 * settings.task_soft_limit_per_page


def read_pages(
    src: Path, fmt: Format, specs: Sequence[PageSpec], workdir: Path, *, lang: str, executor: Executor | None = None
) -> list[PageResult]:
    """Read every page, fanning image pages out over the executor's processes when there is one."""
    if executor is None:
        return [read_page(src, fmt, s, workdir, lang=lang) for s in specs]
    futures = [executor.submit(read_page, src, fmt, s, workdir, lang=lang) for s in specs]
    return [page_or_mark(s.page_no, f.result) for s, f in zip(specs, futures, strict=True)]
