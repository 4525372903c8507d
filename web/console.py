"""The operator console: queues (depth, oldest message), workers and what they run, throughput per minute,
failed, held and in-progress files with their actions (retry, release, hold), and a link to Flower. The
page refreshes its body by itself (web/static/refresh.js); names are masked for operators (web/review.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from pipeline.clock import show_time
from pipeline.index.operations import in_progress, quarantined, recent, throughput
from pipeline.intake import operate
from pipeline.keep import db
from schemas.console import ActionResult, Console, FileProblem
from web.auth import Principal, check_csrf, form_of, require
from web.charts import bars
from web.pages import lang_of, render
from web.params import RowId
from web.review import MASK, _settings
from workers.inspect import broker

router = APIRouter()
Operator = Annotated[Principal, Depends(require("console"))]
Action = Literal["retry", "release", "hold"]
HOURS = 3
ACTIONS = {"retry": operate.retry, "release": operate.release, "hold": operate.hold}


def _mask(p: FileProblem) -> FileProblem:
    """File names carry citizens' names: hidden, and wherever the reason or traceback repeats them."""
    name = PurePosixPath(p.name)
    hidden = MASK + name.suffix

    def scrub(text: str | None) -> str | None:
        if not text:
            return text
        for s in {p.name, name.stem, *(filter(None, [p.inbox_path]))}:
            if len(s) >= 3:
                text = text.replace(s, hidden)
        return text

    where = None
    if p.inbox_path:
        parts = PurePosixPath(p.inbox_path).parts
        where = "/".join([*parts[:2], hidden]) if len(parts) > 2 else hidden
    return p.model_copy(update={"name": hidden, "inbox_path": where, "reason": scrub(p.reason),
                                "trace": scrub(p.trace)})


def console_state(request: Request, who: Principal) -> Console:
    settings = _settings(request)
    with db.session_scope(settings.db_url) as s:
        problems = quarantined(s)
        pending = in_progress(s)
        ended = recent(s)
        minutes = throughput(s, HOURS)
    if not who.can("personal_data"):
        problems, pending, ended = ([_mask(p) for p in ps] for ps in (problems, pending, ended))
    return Console(broker=broker(settings.redis_url or None), throughput=minutes, problems=problems,
                   in_progress=pending, recent=ended, flower_url=settings.flower_url or None,
                   generated_at=datetime.now(UTC))


def _act(request: Request, who: Principal, intake_id: int, action: Action) -> ActionResult:
    try:
        done = ACTIONS[action](_settings(request), intake_id, who.username)
    except operate.NoSuchIntake as e:
        raise HTTPException(404, str(e)) from e
    except operate.OperationError as e:
        raise HTTPException(409, str(e)) from e
    return ActionResult(intake_id=done.intake_id, action=done.action, detail=done.detail)


# --- JSON API --------------------------------------------------------------------------------------


@router.get("/api/console", response_model=Console, tags=["console"])
def api_console(request: Request, who: Operator) -> Console:
    """Queues, workers (Celery inspect, a second at most), throughput per minute over the last hours, and the
    files that need an operator."""
    return console_state(request, who)


@router.post("/api/console/files/{intake_id}/{action}", response_model=ActionResult, tags=["console"],
             responses={404: {}, 409: {"description": "the file is not in a state that allows it"}})
def api_action(request: Request, intake_id: RowId, action: Action, who: Operator) -> ActionResult:
    """retry (a failed file) and release (a held one) move it back to its place in the inbox; hold sends a
    file in progress to quarantine. A session caller sends the page's anti-forgery token as X-CSRF-Token."""
    check_csrf(request, None, who)
    return _act(request, who, intake_id, action)


# --- pages -----------------------------------------------------------------------------------------


def _age(lang: str) -> Callable[[float | None], str]:
    def age(seconds: float | None) -> str:
        if seconds is None:
            return "—"
        s = int(seconds)
        if s < 90:
            return f"{s} s"
        if s < 5400:
            return f"{s // 60} {'min' if lang == 'en' else 'phút'}"
        return f"{s // 3600} {'h' if lang == 'en' else 'giờ'} {s % 3600 // 60:02d}"

    return age


def _page_context(request: Request, who: Principal) -> dict[str, object]:
    state = console_state(request, who)
    lang = lang_of(request)
    chart = bars([m.files for m in state.throughput], [show_time(m.at)[11:16] for m in state.throughput],
                 title="files / minute" if lang == "en" else "tệp / phút", every=30)
    pages_chart = bars([m.pages for m in state.throughput], [show_time(m.at)[11:16] for m in state.throughput],
                       title="pages / minute" if lang == "en" else "trang / phút", every=30)
    last_hour = state.throughput[-60:]
    return {"c": state, "chart": chart, "pages_chart": pages_chart, "hours": HOURS, "age": _age(lang),
            "files_hour": sum(m.files for m in last_hour), "pages_hour": sum(m.pages for m in last_hour)}


@router.get("/console", include_in_schema=False)
def console_page(request: Request, who: Operator, fragment: int = 0, done: str | None = None,
                 error: str | None = None) -> Response:
    context = {**_page_context(request, who), "done": done, "error": error}
    return render(request, "_console_body.html" if fragment else "console.html", context)


@router.post("/console/files/{intake_id}/{action}", include_in_schema=False)
async def action_form(request: Request, intake_id: RowId, action: Action, who: Operator) -> Response:
    form = await form_of(request)
    check_csrf(request, form.get("csrf"), who)
    try:
        result = await run_in_threadpool(_act, request, who, intake_id, action)
    except HTTPException as e:
        return RedirectResponse(f"/console?error={e.status_code}:{intake_id}:{action}", status_code=303)
    return RedirectResponse(f"/console?done={result.action}:{intake_id}", status_code=303)
