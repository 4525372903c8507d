"""What every response tells the browser about itself, and what an error shows: security headers on
every answer (pages, JSON, files, errors), and for an unexpected exception a plain page or JSON with an
error id; the traceback goes to the log under that id, never to the browser."""

from __future__ import annotations

import logging
import secrets
from html import escape

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.datastructures import MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pipeline.config import Settings
from web.auth import is_api

log = logging.getLogger("web.errors")

# Everything the pages use comes from this site: the stylesheet and refresh.js under /static/, page
# images, fetches of page fragments. No inline script or style (nothing to inject into), no plugins,
# no <base> rewriting, never framed, forms post only here.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HSTS = "max-age=31536000"


def security_headers(https: bool) -> list[tuple[str, str]]:
    headers = [
        ("Content-Security-Policy", CSP),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "same-origin"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
        ("Cross-Origin-Resource-Policy", "same-origin"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
    ]
    if https:
        # Only behind HTTPS: sent over plain HTTP it would be ignored, and a wrong one locks users out.
        headers.append(("Strict-Transport-Security", HSTS))
    return headers


class SecurityHeaders:
    """Pure ASGI (so streamed files and every status pass through it untouched but for the headers).
    A route's own Cache-Control is kept; without one the answer is `no-store`: pages and JSON may
    hold personal data and must stay out of shared caches."""

    def __init__(self, app: ASGIApp, https: bool) -> None:
        self.app = app
        self.headers = security_headers(https)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                h = MutableHeaders(scope=message)
                for name, value in self.headers:
                    h[name] = value
                if "cache-control" not in h:
                    h["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, with_headers)


_PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>sohoa — lỗi</title>
<link rel="stylesheet" href="/static/sohoa.css"></head><body>
<h1>Đã có lỗi</h1>
<p>Hệ thống gặp lỗi khi xử lý yêu cầu này. Vui lòng thử lại; nếu lỗi còn, báo cho quản trị viên mã lỗi
<b>{id}</b>.</p>
<p lang="en" class="muted">Something went wrong. Try again; if it happens again, give the administrator
the error id <b>{id}</b>.</p>
<p><a href="/">Trang chủ / Home</a></p>
</body></html>
"""


def install(app: FastAPI, settings: Settings) -> None:
    app.add_middleware(SecurityHeaders, https=settings.web_cookie_secure)
    extra = security_headers(settings.web_cookie_secure)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        # Answered by Starlette's outermost middleware, outside SecurityHeaders: the headers are set here.
        error_id = secrets.token_hex(6)
        log.error("error %s: %s %s failed", error_id, request.method, request.url.path, exc_info=exc)
        headers = {**dict(extra), "Cache-Control": "no-store"}
        if is_api(request):
            return JSONResponse({"detail": "internal error", "error_id": error_id}, 500, headers=headers)
        return HTMLResponse(_PAGE.format(id=escape(error_id)), 500, headers=headers)
