"""Documents in the browser and as JSON: the list (filters, full-text search), one document with its
searchable PDF, pages, metadata, scan compliance, dossier, links and corrections. The queries are in
pipeline/index/documents.py; masking follows web/review.py."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from starlette.responses import Response

from pipeline.catalogue import DOC_TYPES, ROLES, doc_type_name, role_name
from pipeline.index.documents import (
    REVIEW_STATES,
    DocumentFilter,
    dossier_of,
    links_to,
    list_documents,
    pages_of,
    review_state,
)
from pipeline.keep import db
from pipeline.keep.models import Document
from schemas.document import METADATA_KEYS
from schemas.documents import DocumentList, DocumentView, ReviewState
from web.audit import log_access, personal_fields
from web.auth import Principal, require
from web.pages import lang_of, render
from web.params import Offset, PageNo
from web.review import MASK, _document, _pdf_of, _settings, page_image

router = APIRouter()
Reader = Annotated[Principal, Depends(require("documents"))]
Personal = Annotated[Principal, Depends(require("personal_data"))]
PAGE_SIZE = 50
SearchText = Annotated[str | None, Query(max_length=200, description="words of the text or metadata; accents optional")]


def _filter(unit: str | None, role: str | None, doc_type: str | None, period: str | None, ma_ho_so: str | None,
            review: str | None, q: str | None) -> DocumentFilter:
    def clean(v: str | None) -> str | None:
        return v.strip() or None if v else None

    return DocumentFilter(unit=clean(unit), role=clean(role), doc_type=clean(doc_type), period=clean(period),
                          ma_ho_so=clean(ma_ho_so), review=clean(review), q=(q or "").strip())  # type: ignore[arg-type]


def _list(request: Request, who: Principal, f: DocumentFilter, offset: int, limit: int) -> DocumentList:
    personal = who.can("personal_data")
    if f.q and not who.can("search"):
        # Searching the text finds people by name: only for the roles that may see names.
        raise HTTPException(403, f"role {who.role} may filter documents but not search their text")
    try:
        with db.session_scope(_settings(request).db_url) as s:
            total, capped, items = list_documents(s, f, limit=limit, offset=offset, personal=personal)
    except ValueError as e:
        raise HTTPException(422, str(e)) from e
    if not personal:
        items = [it.model_copy(update={"source": MASK + Path(it.source).suffix, "ho_ten": MASK if it.ho_ten else None,
                                       "snippet": None}) for it in items]
    else:
        items = [it.model_copy(update={"source": Path(it.source).name}) for it in items]
        named = [it.doc_id for it in items if it.ho_ten]
        if f.q or named:  # results of a search show the text around the match; a list, the citizens' names
            log_access(request, who, "search_documents" if f.q else "list_documents", target=f.q or None,
                       fields=["ho_ten"] if named else [],
                       detail={"documents": [it.doc_id for it in items] if f.q else named, "offset": offset})
    return DocumentList(total=total, total_capped=capped, offset=offset, limit=limit, items=items)


def _view(request: Request, who: Principal, doc_id: str) -> DocumentView:
    settings = _settings(request)
    base = _document(settings, who, doc_id)  # 404 when absent; masked by role
    ordered = {k: base.metadata[k] for k in METADATA_KEYS if k in base.metadata}
    ordered.update(base.metadata)  # a key outside DOMAIN.md's list, last
    with db.session_scope(settings.db_url) as s:
        doc = s.get(Document, doc_id)
        assert doc is not None
        return DocumentView(
            **base.model_dump(exclude={"metadata", "pdf"}), metadata=ordered,
            pdf=f"/documents/{doc_id}/pdf" if base.pdf else None, created_at=doc.created_at,
            review_state=review_state(s, doc), ma_ho_so=doc.ma_ho_so,
            dossier_source=doc.dossier_source, page_info=pages_of(s, doc_id), dossier=dossier_of(s, doc.ma_ho_so),
            links=links_to(s, doc_id),
        )


# --- JSON API --------------------------------------------------------------------------------------


@router.get("/api/documents", response_model=DocumentList, tags=["documents"])
def api_documents(
    request: Request, who: Reader, unit: str | None = None, role: str | None = None, doc_type: str | None = None,
    period: str | None = None, ma_ho_so: str | None = None, review: ReviewState | None = None,
    q: SearchText = None,
    offset: Offset = 0, limit: Annotated[int, Query(ge=1, le=500)] = PAGE_SIZE,
) -> DocumentList:
    """Documents filtered by unit (and the units under it), role, class, period (2026, 2026-Q3, 2026-09: when
    recorded), dossier and review state; `q` searches the text and metadata (roles that see personal data)."""
    return _list(request, who, _filter(unit, role, doc_type, period, ma_ho_so, review, q), offset, limit)


@router.get("/api/documents/{doc_id}", response_model=DocumentView, tags=["documents"])
def api_document(request: Request, doc_id: str, who: Reader) -> DocumentView:
    """One document: metadata with confidences, pages and their scan compliance, dossier, links, corrections."""
    doc = _view(request, who, doc_id)
    log_access(request, who, "view_document", target=doc_id, fields=personal_fields(doc.metadata),
               detail={"via": "/api/documents"})
    return doc


# --- pages -----------------------------------------------------------------------------------------


def _options(lang: str) -> dict[str, Any]:
    return {
        "type_options": [(t, doc_type_name(t, lang)) for t in DOC_TYPES],
        "role_options": [(r, role_name(r, lang)) for r in ROLES],
        "review_options": list(REVIEW_STATES),
    }


@router.get("/documents", include_in_schema=False)
def documents_page(
    request: Request, who: Reader, unit: str | None = None, role: str | None = None, doc_type: str | None = None,
    period: str | None = None, ma_ho_so: str | None = None, review: str | None = None, q: str | None = None,
    offset: Offset = 0,
) -> Response:
    f = _filter(unit, role, doc_type, period, ma_ho_so, review, q if who.can("search") else None)
    error = None
    try:
        if f.review is not None and f.review not in REVIEW_STATES:
            raise HTTPException(422, f"review state {f.review!r}")
        found = _list(request, who, f, offset, PAGE_SIZE)
    except HTTPException as e:
        error, found = str(e.detail), DocumentList(total=0, total_capped=False, offset=0, limit=PAGE_SIZE, items=[])
    asked = {k: v for k, v in (("unit", f.unit), ("role", f.role), ("doc_type", f.doc_type), ("period", f.period),
                               ("ma_ho_so", f.ma_ho_so), ("review", f.review), ("q", f.q)) if v}

    def page_link(at: int) -> str:
        return "/documents?" + urlencode({**asked, "offset": at})

    return render(request, "documents.html", {
        "found": found, "f": f, "error": error, "can_search": who.can("search"),
        "prev": page_link(max(0, found.offset - PAGE_SIZE)) if found.offset else None,
        "next": page_link(found.offset + PAGE_SIZE) if found.offset + PAGE_SIZE < found.total else None,
        **_options(lang_of(request)),
    }, 422 if error else 200)


@router.get("/documents/{doc_id}", include_in_schema=False)
def document_page(request: Request, doc_id: str, who: Reader) -> Response:
    try:
        doc = _view(request, who, doc_id)
    except HTTPException:
        return render(request, "message.html", {"title": "doc.title", "text": "doc.not_found", "doc": doc_id}, 404)
    log_access(request, who, "view_document", target=doc_id, fields=personal_fields(doc.metadata),
               detail={"via": "/documents"})
    return render(request, "document.html", {
        "doc": doc, "personal": who.can("personal_data"), "can_fix": who.can("review.fix"),
        "threshold": _settings(request).review_threshold,
    })


@router.get("/documents/{doc_id}/pdf", include_in_schema=False)
def document_pdf(request: Request, doc_id: str, who: Personal) -> Response:
    """The searchable PDF, through the app: the bucket is private and stays so."""
    body = _pdf_of(request, doc_id)
    log_access(request, who, "view_pdf", target=doc_id)
    return Response(body, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{doc_id}.pdf"',
                             "Cache-Control": "private, no-store"})


@router.get("/documents/{doc_id}/pages/{page_no}.jpg", include_in_schema=False)
def document_page_image(request: Request, doc_id: str, page_no: PageNo, who: Personal) -> Response:
    image = page_image(_pdf_of(request, doc_id), page_no)
    log_access(request, who, "view_page", target=doc_id, detail={"page": page_no})
    return Response(image, media_type="image/jpeg",
                    headers={"Cache-Control": "private, no-store"})
