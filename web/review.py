"""The review queue in the browser and as JSON: documents under the threshold or flagged, one
document with its page images and fields, and the correction form (pipeline/understand/review.py does the work)."""

from __future__ import annotations

import io
import re
import threading
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import pypdfium2 as pdfium
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from pipeline.catalogue import DOC_TYPES, ROLES, doc_type_name, role_name
from pipeline.config import Settings
from pipeline.index.unlinked import count_unlinked, list_unlinked
from pipeline.keep import db
from pipeline.keep.models import Correction, Document, Page
from pipeline.keep.store import ObjectStore, StoreError, open_store
from pipeline.understand.review import QueueItem, ReviewError, apply_correction, corrections_of, queue
from schemas.document import METADATA_KEYS, UnlinkedDocument
from schemas.review import CorrectionInfo, Reason, ReviewDocument, ReviewFix, ReviewItem, ReviewRejected
from web.audit import log_access, personal_fields
from web.auth import Principal, check_csrf, form_of, require
from web.i18n import translator
from web.pages import lang_of, render
from web.params import PageNo

# Names and identifiers of people: shown only to roles with personal_data (DOMAIN.md: personal data).
PERSONAL_KEYS = frozenset({"ho_ten", "so_dinh_danh", "nguoi_ky"})
MASK = "•••"
PREVIEW_DPI = 110
_DMY = re.compile(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*")
# pdfium is not thread-safe, and sync handlers run in a thread pool.
_PDFIUM = threading.Lock()

router = APIRouter()
Reader = Annotated[Principal, Depends(require("review"))]
Fixer = Annotated[Principal, Depends(require("review.fix"))]


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _store(request: Request) -> ObjectStore:
    if getattr(request.app.state, "store", None) is None:
        request.app.state.store = open_store(_settings(request))
    store: ObjectStore = request.app.state.store
    return store


def reason_of(item: QueueItem, threshold: float) -> Reason:
    if item.role_mismatch:
        return "role_mismatch"
    if item.conflict:
        return "title_conflict"
    if item.turn_unsure:
        return "turn_unsure"
    if item.confidence < threshold:
        return "low_confidence"
    return "unsure_fields" if item.unsure_fields else "flagged"


def _items(settings: Settings, who: Principal, limit: int) -> list[ReviewItem]:
    personal = who.can("personal_data")
    with db.session_scope(settings.db_url) as s:
        items = queue(s, settings.review_threshold, limit, settings.field_review_threshold)
    return [
        ReviewItem(doc_id=it.doc_id, source=Path(it.source).name if personal else MASK + Path(it.source).suffix,
                   doc_type=it.doc_type, confidence=it.confidence, reason=reason_of(it, settings.review_threshold),
                   role=it.role, unit=it.unit, received=it.created)
        for it in items
    ]


def _document(settings: Settings, who: Principal, doc_id: str) -> ReviewDocument:
    personal = who.can("personal_data")
    with db.session_scope(settings.db_url) as s:
        doc = s.get(Document, doc_id)
        if doc is None:
            raise HTTPException(404, f"no document {doc_id}")
        fields = {k: (v if personal or k not in PERSONAL_KEYS else MASK) for k, v in doc.fields.items()}
        return ReviewDocument(
            doc_id=doc.id, source=Path(doc.source).name if personal else MASK + Path(doc.source).suffix,
            unit=doc.unit, role=doc.role, doc_type=doc.doc_type, doc_type_confidence=doc.doc_type_confidence,
            role_mismatch=doc.role_mismatch, review=doc.review, pages=doc.pages, metadata=fields,
            cues=list((doc.classification or {}).get("cues", [])),
            title_conflict=bool((doc.classification or {}).get("conflict")),
            turn_unsure=list(s.scalars(select(Page.page_no).where(
                Page.document_id == doc.id, Page.turn_unsure.is_not(None)).order_by(Page.page_no)).all()),
            metadata_confidence=dict(doc.field_confidence),
            masked=[] if personal else sorted(PERSONAL_KEYS & doc.fields.keys()),
            text=doc.text if personal else None,
            pdf=f"/review/{doc.id}/pdf" if personal and _pdf_key(doc.outputs) else None,
            corrections=[_correction(c, personal) for c in corrections_of(s, doc.id)],
        )


def _correction(c: Correction, personal: bool) -> CorrectionInfo:
    hide = not personal and c.field in PERSONAL_KEYS
    return CorrectionInfo(field=c.field, old_value=MASK if hide and c.old_value else c.old_value,
                          new_value=MASK if hide and c.new_value else c.new_value, by=c.by, at=c.at)


def _pdf_key(outputs: list[str]) -> str | None:
    """The searchable PDF (every document has one); a PDF original otherwise."""
    for key in outputs:
        if key.endswith("/searchable.pdf"):
            return key
    return next((k for k in outputs if k.endswith(".pdf")), None)


def _pdf_of(request: Request, doc_id: str) -> bytes:
    with db.session_scope(_settings(request).db_url) as s:
        doc = s.get(Document, doc_id)
        key = _pdf_key(doc.outputs) if doc is not None else None
    if key is None:
        raise HTTPException(404, f"no PDF of document {doc_id}")
    try:
        return _store(request).get_bytes(key)
    except StoreError as e:
        raise HTTPException(503, f"object store: {e}") from e


def page_image(pdf: bytes, page_no: int, dpi: float = PREVIEW_DPI) -> bytes:
    """One page as a JPEG for the browser (a scan as PNG weighs several times more)."""
    with _PDFIUM:
        doc = pdfium.PdfDocument(pdf)
        try:
            if not 1 <= page_no <= len(doc):
                raise HTTPException(404, f"no page {page_no}")
            page = doc[page_no - 1]
            img = page.render(scale=dpi / 72.0).to_pil()
            page.close()
        finally:
            doc.close()
    out = io.BytesIO()
    img.convert("RGB").save(out, "JPEG", quality=85)
    return out.getvalue()


def _unlinked(settings: Settings, who: Principal, unit: str | None, limit: int) -> tuple[int, list[UnlinkedDocument]]:
    """The "no dossier" list (pipeline/index/unlinked.py): its size and its newest documents; file names are
    personal data (they often carry a citizen's name)."""
    with db.session_scope(settings.db_url) as s:
        n = count_unlinked(s, unit)
        docs = list_unlinked(s, unit=unit, limit=limit)
    if not who.can("personal_data"):
        docs = [d.model_copy(update={"source": MASK + Path(d.source).suffix}) for d in docs]
    return n, docs


# --- JSON API --------------------------------------------------------------------------------------


@router.get("/api/review", response_model=list[ReviewItem], tags=["review"])
def api_queue(request: Request, who: Reader, limit: int = 50) -> list[ReviewItem]:
    """Documents flagged for review or under the threshold, least confident first."""
    return _items(_settings(request), who, min(max(limit, 1), 500))


@router.get("/api/review/{doc_id}", response_model=ReviewDocument, tags=["review"])
def api_document(request: Request, doc_id: str, who: Reader) -> ReviewDocument:
    """One document: class, role, metadata with confidences, corrections; personal data masked by role."""
    doc = _document(_settings(request), who, doc_id)
    log_access(request, who, "view_document", target=doc_id, fields=personal_fields(doc.metadata),
               detail={"via": "/api/review"})
    return doc


@router.post("/api/review/{doc_id}/fix", response_model=ReviewDocument, tags=["review"],
             responses={422: {"model": ReviewRejected}, 404: {}})
def api_fix(request: Request, doc_id: str, fix: ReviewFix, who: Fixer) -> Response | ReviewDocument:
    """Correct (or, with nothing given, confirm) a document; the correction names the caller. A session
    caller sends the page's anti-forgery token as X-CSRF-Token."""
    check_csrf(request, None, who)
    settings = _settings(request)
    with db.session_scope(settings.db_url) as s:
        if s.get(Document, doc_id) is None:
            raise HTTPException(404, f"no document {doc_id}")
    try:
        apply_correction(settings, _store(request), doc_id, by=who.username, doc_type=fix.doc_type, role=fix.role,
                         fields=fix.fields)
    except ReviewError as e:
        body = {"detail": str(e), "problems": [vars(p) for p in e.problems]}
        return JSONResponse(body, 422)
    except StoreError as e:
        raise HTTPException(503, f"object store: {e}") from e
    doc = _document(settings, who, doc_id)
    log_access(request, who, "correct_document", target=doc_id, fields=personal_fields(doc.metadata),
               detail={"set": sorted(fix.fields)})
    return doc


@router.get("/api/unlinked", response_model=list[UnlinkedDocument], tags=["dossiers"])
def api_unlinked(request: Request, who: Reader, unit: str | None = None, limit: int = 200) -> list[UnlinkedDocument]:
    """Documents of no dossier, newest first; a clerk gives one its dossier by fixing `ma_ho_so`."""
    return _unlinked(_settings(request), who, unit, min(max(limit, 1), 5000))[1]


# --- pages -----------------------------------------------------------------------------------------


def _type_options(lang: str) -> list[tuple[str, str]]:
    return [(t, f"{doc_type_name(t, lang)} ({t})") for t in DOC_TYPES]


def _role_options(lang: str) -> list[tuple[str, str]]:
    return [(r, role_name(r, lang)) for r in ROLES]


def day_month_year(iso: str) -> str:
    """An ISO date as the form shows it, dd/mm/yyyy whatever the browser's locale; anything else as it is."""
    try:
        return date.fromisoformat(iso).strftime("%d/%m/%Y") if iso else ""
    except ValueError:
        return iso


def iso_date(typed: str) -> str:
    """The form's dd/mm/yyyy (or ISO, or a typo left for the validator to name) as the record keeps it."""
    m = _DMY.fullmatch(typed)
    if m is None:
        return typed
    try:
        return date(int(m[3]), int(m[2]), int(m[1])).isoformat()
    except ValueError:
        return typed


@router.get("/review", include_in_schema=False)
def queue_page(request: Request, who: Reader, accepted: str | None = None) -> Response:
    settings = _settings(request)
    items = _items(settings, who, 200)
    return render(request, "review_queue.html", {
        "items": items, "threshold": settings.review_threshold, "accepted": accepted,
        "roles": dict(_role_options(lang_of(request))),
    })


@router.get("/unlinked", include_in_schema=False)
def unlinked_page(request: Request, who: Reader, unit: str | None = None) -> Response:
    n, docs = _unlinked(_settings(request), who, unit or None, 500)
    return render(request, "unlinked.html", {
        "n": n, "docs": docs, "unit": unit or "",
        "roles": dict(_role_options(lang_of(request))),
    })


def _doc_page(request: Request, who: Principal, doc_id: str, *, values: dict[str, str] | None = None,
              problems: dict[str, str] | None = None, notice: str | None = None, status: int = 200) -> Response:
    settings = _settings(request)
    try:
        doc = _document(settings, who, doc_id)
    except HTTPException:
        return render(request, "message.html", {"title": "doc.title", "text": "doc.not_found", "doc": doc_id}, 404)
    log_access(request, who, "view_document", target=doc_id, fields=personal_fields(doc.metadata),
               detail={"via": "/review"})
    with db.session_scope(settings.db_url) as s:
        waiting = queue(s, settings.review_threshold, 2, settings.field_review_threshold)
        nxt = next((it.doc_id for it in waiting if it.doc_id != doc_id), None)
    lang = lang_of(request)
    shown: dict[str, Any] = {"doc_type": doc.doc_type, "role": doc.role or ""}
    shown.update({f"f.{k}": doc.metadata.get(k, "") for k in METADATA_KEYS})
    shown.update(values or {})
    return render(request, "review_document.html", {
        "doc": doc, "keys": METADATA_KEYS, "values": shown,
        "problems": problems or {}, "notice": notice, "next_id": nxt,
        "threshold": settings.review_threshold, "can_fix": who.can("review.fix"), "personal": who.can("personal_data"),
        "types": _type_options(lang), "roles": _role_options(lang),
        "role_names": dict(_role_options(lang)), "day_month_year": day_month_year,
    }, status)


@router.get("/review/{doc_id}", include_in_schema=False)
def document_page(request: Request, doc_id: str, who: Reader, saved: int = 0) -> Response:
    return _doc_page(request, who, doc_id, notice="doc.saved" if saved else None)


def _current(settings: Settings, doc_id: str) -> tuple[str, str, dict[str, str]] | None:
    with db.session_scope(settings.db_url) as s:
        doc = s.get(Document, doc_id)
        return None if doc is None else (doc.doc_type, doc.role or "", dict(doc.fields))


@router.post("/review/{doc_id}", include_in_schema=False)
async def fix_form(request: Request, doc_id: str, who: Fixer) -> Response:
    form = await form_of(request)
    check_csrf(request, form.get("csrf"), who)
    settings = _settings(request)
    found = await run_in_threadpool(_current, settings, doc_id)
    if found is None:
        return await run_in_threadpool(_doc_page, request, who, doc_id)
    current_type, current_role, current = found
    doc_type = form.get("doc_type") or None
    role = form.get("role") or None
    fields = {}
    for key in METADATA_KEYS:
        if f"f.{key}" in form:
            value = " ".join(form[f"f.{key}"].split())
            if key == "ngay_ban_hanh":
                value = iso_date(value)
            if value != " ".join(current.get(key, "").split()):  # the form's spacing is not a correction
                fields[key] = value
    changes = {"doc_type": doc_type if doc_type and doc_type != current_type else None,
               "role": role if role and role != current_role else None}
    submitted = {k: v for k, v in form.items() if k == "doc_type" or k == "role" or k.startswith("f.")}
    if not fields and changes["doc_type"] is None and changes["role"] is None:
        return await run_in_threadpool(_doc_page, request, who, doc_id, notice="doc.nothing")
    try:
        await run_in_threadpool(apply_correction, settings, _store(request), doc_id, by=who.username,
                                doc_type=changes["doc_type"], role=changes["role"], fields=fields)
    except ReviewError as e:
        en = lang_of(request) == "en"
        problems = {p.key: (p.message if en else p.message_vi) for p in e.problems}
        if "ngay_ban_hanh" in problems and "ngay_ban_hanh" in fields:
            problems["ngay_ban_hanh"] = translator(lang_of(request))("doc.date_bad", value=fields["ngay_ban_hanh"])
        return await run_in_threadpool(_doc_page, request, who, doc_id, values=submitted, problems=problems,
                                       notice="doc.errors", status=422)
    except StoreError as e:
        raise HTTPException(503, f"object store: {e}") from e
    log_access(request, who, "correct_document", target=doc_id, fields=personal_fields(current),
               detail={"set": sorted(fields), "doc_type": changes["doc_type"], "role": changes["role"]})
    return RedirectResponse(f"/review/{doc_id}?saved=1", status_code=303)


@router.post("/review/{doc_id}/accept", include_in_schema=False)
async def accept_form(request: Request, doc_id: str, who: Fixer) -> Response:
    form = await form_of(request)
    check_csrf(request, form.get("csrf"), who)
    try:
        await run_in_threadpool(apply_correction, _settings(request), _store(request), doc_id, by=who.username)
    except ReviewError:
        return await run_in_threadpool(_doc_page, request, who, doc_id)
    except StoreError as e:
        raise HTTPException(503, f"object store: {e}") from e
    return RedirectResponse(f"/review?accepted={doc_id}", status_code=303)


@router.get("/review/{doc_id}/pages/{page_no}.jpg", include_in_schema=False)
def page_preview(request: Request, doc_id: str, page_no: PageNo,
                 who: Annotated[Principal, Depends(require("personal_data"))]) -> Response:
    image = page_image(_pdf_of(request, doc_id), page_no)
    log_access(request, who, "view_page", target=doc_id, detail={"page": page_no})
    return Response(image, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=300"})


@router.get("/review/{doc_id}/pdf", include_in_schema=False)
def pdf(request: Request, doc_id: str, who: Annotated[Principal, Depends(require("personal_data"))]) -> Response:
    body = _pdf_of(request, doc_id)
    log_access(request, who, "view_pdf", target=doc_id)
    return Response(body, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{doc_id}.pdf"',
                             "Cache-Control": "private, max-age=300"})
