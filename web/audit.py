"""Who saw personal data: each view or export of names, identifiers, page images or a PDF is written to the
access log (pipeline/keep/access_log.py) before the response leaves, and admins read the log here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from pipeline.clock import local_midnight
from pipeline.keep.access_log import ACTIONS, PERSONAL_FIELDS, Viewer, entries, record
from schemas.access import AccessEntry, AccessPage
from web.auth import Principal, require
from web.pages import render
from web.params import Day, Offset

router = APIRouter()
Admin = Annotated[Principal, Depends(require("audit"))]
PAGE = 100


def personal_fields(metadata: Mapping[str, Any]) -> list[str]:
    return [k for k in PERSONAL_FIELDS if metadata.get(k)]


def log_access(request: Request, who: Principal, action: str, *, target: str | None = None,
               fields: Sequence[str] = (), detail: dict[str, Any] | None = None) -> None:
    """Record a view by a role that sees personal data (others see it masked: nothing to record)."""
    if not who.can("personal_data"):
        return
    record(request.app.state.settings.db_url, Viewer(who.username, who.role, who.via), action, target=target,
           fields=fields, detail=detail)


def _page(request: Request, username: str | None, action: str | None, target: str | None, day_from: date | None,
          day_to: date | None, offset: int, limit: int) -> AccessPage:
    total, rows = entries(
        request.app.state.settings.db_url, username=username or None, action=action or None, target=target or None,
        since=local_midnight(day_from) if day_from else None,
        until=local_midnight(day_to + timedelta(days=1)) if day_to else None, limit=limit, offset=offset,
    )
    return AccessPage(total=total, offset=offset, limit=limit, entries=[
        AccessEntry(at=r.at, username=r.username, role=r.role, via=r.via, action=r.action, target=r.target,
                    fields=list(r.fields or []), detail=dict(r.detail or {})) for r in rows])


@router.get("/api/audit", response_model=AccessPage, tags=["audit"])
def api_audit(
    request: Request, _: Admin, username: str | None = None, action: str | None = None, target: str | None = None,
    day_from: Day | None = None, day_to: Day | None = None, offset: Offset = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = PAGE,
) -> AccessPage:
    """The access log, newest first: who saw or exported personal data, when and what (days in ICT)."""
    return _page(request, username, action, target, day_from, day_to, offset, limit)


@router.get("/audit", include_in_schema=False)
def audit_page(request: Request, _: Admin, username: str | None = None, action: str | None = None,
               target: str | None = None, day_from: Day | None = None, day_to: Day | None = None,
               offset: Offset = 0) -> Response:
    page = _page(request, username, action, target, day_from, day_to, offset, PAGE)
    asked = {k: v for k, v in (("username", username), ("action", action), ("target", target),
                               ("day_from", day_from), ("day_to", day_to)) if v}
    return render(request, "audit.html", {
        "page": page, "asked": asked, "actions": ACTIONS,
        "next": "/audit?" + urlencode({**asked, "offset": page.offset + PAGE}) if page.offset + PAGE < page.total
        else None,
    })
