"""Who may see what: a login (signed session cookie) or an API token (`Authorization: Bearer`) on every
page and endpoint but /healthz, roles mapped to permissions, and anti-forgery tokens on forms."""

from __future__ import annotations

import hmac
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Literal
from urllib.parse import parse_qsl, quote

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool
from starlette.middleware.sessions import SessionMiddleware
from starlette.responses import Response

from pipeline.accounts.users import ROLES, authenticate, get_user, user_for_token
from pipeline.config import Settings
from web.login_limit import LoginLimiter, limiter_for
from web.pages import csrf_token, render

# What each role may do. Personal data (names, identifiers, the documents themselves) only for the
# roles that work with citizens' papers; the others see counts and masked values.
PERMISSIONS: dict[str, frozenset[str]] = {
    "status": frozenset(ROLES),  # counts only, no personal data
    "review": frozenset({"clerk", "operator", "admin"}),  # the queue (masked for an operator)
    "review.fix": frozenset({"clerk", "admin"}),
    "personal_data": frozenset({"clerk", "admin"}),
    "reports": frozenset({"analyst", "admin"}),  # the index dashboard, its drill-downs and exports
    "metrics": frozenset({"operator", "admin"}),
    "documents": frozenset(ROLES),  # the list and a document's page (masked unless personal_data)
    "search": frozenset({"clerk", "admin"}),  # searching the text finds people by name
    "console": frozenset({"operator", "admin"}),  # queues, workers, failed files and their actions
    "audit": frozenset({"admin"}),  # who saw or exported personal data
}
# Paths answered in JSON (401 with WWW-Authenticate) rather than with the login page.
API_PREFIXES = ("/api/", "/metrics", "/openapi.json")
SECRET_FILE = "web-secret"
COOKIE = "sohoa_session"
SESSION_HOURS = 8  # a working day from login; then log in again
MAX_FORM = 256 * 1024

bearer = HTTPBearer(auto_error=False, description="a token made by `sohoa users token NAME`")


@dataclass(frozen=True)
class Principal:
    username: str
    role: str
    via: Literal["session", "token"]

    def can(self, permission: str) -> bool:
        return self.role in PERMISSIONS[permission]


class LoginRequired(Exception):
    pass


class Forbidden(Exception):
    def __init__(self, principal: Principal, permission: str) -> None:
        super().__init__(f"role {principal.role!r} lacks {permission!r}")
        self.principal = principal


class CsrfFailed(Exception):
    pass


def session_key(settings: Settings) -> bytes:
    """SOHOA_WEB_SECRET, or a random key made once per data dir (every web process of an installation
    shares the data dir, so they all accept each other's cookies)."""
    if settings.web_secret:
        return settings.web_secret.encode("utf-8")
    path = settings.data / SECRET_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{SECRET_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(48))
        try:
            os.link(tmp, path)  # atomic and never overwrites: two processes starting at once agree
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_bytes().strip()


def is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIXES)


def principal_of(request: Request, creds: HTTPAuthorizationCredentials | None) -> Principal | None:
    db_url = request.app.state.settings.db_url
    if creds is not None:  # a token given is the only credential looked at, right or wrong
        info = user_for_token(db_url, creds.credentials)
        return Principal(info.username, info.role, "token") if info else None
    name = request.session.get("user")
    if not isinstance(name, str):
        return None
    info = get_user(db_url, name)
    if info is None or not info.active or info.stamp != request.session.get("stamp"):
        # disabled, removed or given a new password since this session began
        request.session.pop("user", None)
        request.session.pop("stamp", None)
        return None
    return Principal(info.username, info.role, "session")


def require(permission: str) -> Callable[..., Principal]:
    """A dependency: the logged-in user or token holder, when their role has `permission`."""
    if permission not in PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")

    def dependency(
        request: Request, creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
    ) -> Principal:
        """Refuses a request without a login or token (401) and a role without `permission` (403)."""
        who = principal_of(request, creds)
        if who is None:
            raise LoginRequired()
        request.state.principal = who
        if not who.can(permission):
            raise Forbidden(who, permission)
        return who

    dependency.permission = permission  # type: ignore[attr-defined]  # read by the test over every route
    return dependency


async def form_of(request: Request) -> dict[str, str]:
    """An HTML form's fields (urlencoded; the last of repeated names wins)."""
    if int(request.headers.get("content-length") or 0) > MAX_FORM:
        raise HTTPException(413, f"a form is at most {MAX_FORM} bytes")
    body = await request.body()
    if not body:
        return {}
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        raise HTTPException(415, "expected an application/x-www-form-urlencoded form")
    try:
        return dict(parse_qsl(body[:MAX_FORM].decode("utf-8", errors="replace"), keep_blank_values=True,
                              max_num_fields=200))
    except ValueError as e:
        raise HTTPException(400, f"form: {e}") from e


def check_csrf(request: Request, given: str | None, who: Principal | None = None) -> None:
    """A cookie-authenticated POST must carry the session's token (a form field or X-CSRF-Token); a
    bearer token cannot be sent by another site's form, so token requests need none."""
    if who is not None and who.via == "token":
        return
    want = request.session.get("csrf")
    given = given or request.headers.get("x-csrf-token")
    if not isinstance(want, str) or not want or not given or not hmac.compare_digest(want, given):
        raise CsrfFailed()


def _safe_next(target: str | None) -> str:
    """Only a path of this site: `next=//evil.example` or a full URL would send the user away."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


router = APIRouter(include_in_schema=False)


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    return render(request, "login.html", {"next": _safe_next(next), "error": None, "username": ""})


@router.post("/login")
async def login(request: Request) -> Response:
    form = await form_of(request)
    check_csrf(request, form.get("csrf"))
    name, next_ = form.get("username", ""), _safe_next(form.get("next"))
    limiter: LoginLimiter = request.app.state.login_limiter
    address = request.client.host if request.client else "unknown"
    # Refused before the password is looked at: past the limit a guess, right or wrong, tells nothing.
    wait = await run_in_threadpool(limiter.retry_after, name, address)
    if wait:
        response = render(request, "login.html", {"next": next_, "error": "login.too_many", "username": name,
                                                   "error_args": {"minutes": max(1, round(wait / 60))}}, 429)
        response.headers["Retry-After"] = str(wait)
        return response
    info = await run_in_threadpool(authenticate, request.app.state.settings.db_url, name, form.get("password", ""))
    if info is None:
        await run_in_threadpool(limiter.failed, name, address)
        return render(request, "login.html", {"next": next_, "error": "login.failed", "username": name}, 401)
    await run_in_threadpool(limiter.succeeded, name)
    lang = request.session.get("lang")
    request.session.clear()  # a new session (and a new anti-forgery token) for the logged-in user
    request.session.update(user=info.username, stamp=info.stamp, csrf=secrets.token_urlsafe(32))
    if lang:
        request.session["lang"] = lang
    if next_ == "/" and info.role == "clerk":
        next_ = "/review"  # what a clerk comes for
    return RedirectResponse(next_, status_code=303)


@router.post("/logout")
async def logout(request: Request) -> Response:
    form = await form_of(request)
    check_csrf(request, form.get("csrf"))
    lang = request.session.get("lang")
    request.session.clear()
    if lang:
        request.session["lang"] = lang
    return RedirectResponse("/login", status_code=303)


def install(app: FastAPI, settings: Settings) -> None:
    """The session cookie, the login routes and the answers to a missing login, role or form token."""
    # A signed cookie holds the session; what must be revocable (a disabled user, a new password) is
    # checked against the database on every request, so nothing is kept on the server.
    app.add_middleware(
        SessionMiddleware,
        secret_key=session_key(settings).decode("utf-8"),
        session_cookie=COOKIE,
        max_age=SESSION_HOURS * 3600,
        same_site="lax",
        https_only=settings.web_cookie_secure,
    )
    app.include_router(router)
    app.state.login_limiter = limiter_for(settings)

    @app.exception_handler(LoginRequired)
    async def _login_required(request: Request, _: LoginRequired) -> Response:
        if is_api(request):
            return JSONResponse({"detail": "log in or send Authorization: Bearer <token>"}, 401,
                                headers={"WWW-Authenticate": "Bearer"})
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, e: Forbidden) -> Response:
        if is_api(request):
            return JSONResponse({"detail": f"role {e.principal.role} may not do this"}, 403)
        return render(request, "message.html", {"title": "forbidden.title", "text": "forbidden.text",
                                                "role": e.principal.role}, 403)

    @app.exception_handler(CsrfFailed)
    async def _csrf(request: Request, _: CsrfFailed) -> Response:
        if is_api(request):
            return JSONResponse({"detail": "missing or wrong X-CSRF-Token"}, 403)
        csrf_token(request)
        return render(request, "message.html", {"title": "forbidden.title", "text": "csrf.failed", "role": ""}, 403)
