"""Rendering a page: the templates, the reader's language and what every page's header needs."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from pipeline.catalogue import doc_type_name, role_name
from pipeline.clock import show_time
from web.i18n import LANGS, translator

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def lang_of(request: Request) -> str:
    """`?lang=en` (or `vi`) switches and is remembered in the session; Vietnamese by default."""
    asked = request.query_params.get("lang")
    if asked in LANGS:
        if asked != request.session.get("lang", "vi"):
            request.session["lang"] = asked
        return asked
    lang = request.session.get("lang", "vi")
    return lang if lang in LANGS else "vi"


def csrf_token(request: Request) -> str:
    """The session's anti-forgery token, put in every form and checked on every cookie-authenticated POST."""
    token = request.session.get("csrf")
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def render(request: Request, template: str, context: dict[str, Any], status_code: int = 200) -> Response:
    lang = lang_of(request)
    other = "vi" if lang == "en" else "en"
    base = {
        "lang": lang,
        "t": translator(lang),
        "user": getattr(request.state, "principal", None),
        "csrf": csrf_token(request),
        "path": request.url.path,
        # The same page in the other language: the filters of the page kept, only `lang` changed.
        "other_lang_query": urlencode({**{k: v for k, v in request.query_params.items() if k != "lang"},
                                       "lang": other}),
        "local_time": show_time,  # every time on every page in ICT, with its zone (pipeline/clock.py)
        "type_name": doc_type_name,
        "role_name": role_name,
    }
    response = TEMPLATES.TemplateResponse(request, template, {**base, **context}, status_code=status_code)
    # Pages may hold personal data: kept out of shared caches (the other headers: web/exposure.py).
    response.headers["Cache-Control"] = "no-store"
    return response
