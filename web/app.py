"""The web app: the status page and its JSON, the review queue, the report JSON and /metrics, each behind
a login or an API token (web/auth.py); /healthz alone is open, for load balancers and compose."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, JSONResponse
from starlette.responses import Response

from pipeline.config import Settings, get_settings
from pipeline.index.status import status
from pipeline.keep import db
from schemas.report import Report
from web import audit, console, dashboard, documents, exposure, review
from web.auth import Principal, install, require
from web.pages import render
from web.params import Day

STATIC = Path(__file__).parent / "static"
# What the pages load besides themselves, served by the app (never a CDN). Open without a login: the
# login page needs the stylesheet, and these files are the program's own code, no data.
STATIC_FILES = {p.name: p for p in STATIC.iterdir() if p.is_file()} if STATIC.is_dir() else {}


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    db.migrate(settings.db_url)
    # The OpenAPI spec is served below, behind a login like everything else; no Swagger UI (it loads
    # its scripts from a CDN, which an office network may not reach).
    app = FastAPI(title="sohoa", version="0.1.0", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    install(app, settings)
    exposure.install(app, settings)
    app.include_router(review.router)
    app.include_router(documents.router)
    app.include_router(console.router)
    app.include_router(dashboard.router)
    app.include_router(audit.router)

    from pipeline.index.prom import metrics_response  # Prometheus exposition, read from the database per scrape

    # Prometheus scrapes with an operator's token (`authorization: {credentials: <token>}`).
    app.get("/metrics", include_in_schema=False, dependencies=[Depends(require("metrics"))])(
        metrics_response(settings)
    )

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/openapi.json", include_in_schema=False)
    def openapi(_: Annotated[Principal, Depends(require("status"))]) -> Response:
        return JSONResponse(app.openapi())

    @app.get("/api/status", tags=["status"])
    def api_status(_: Annotated[Principal, Depends(require("status"))]) -> dict[str, Any]:
        """Counts of files and documents per unit and role (no personal data)."""
        return status(settings.db_url)

    @app.get("/api/report", response_model=Report, tags=["report"])
    def api_report(
        _: Annotated[Principal, Depends(require("reports"))],
        period: str,
        unit: str | None = None,
        as_of: Day | None = None,
    ) -> Report:
        """The digitisation indicators of a period (2026, 2026-Q3 or 2026-09), as `sohoa report --format json`."""
        from pipeline.index.metrics import compute, parse_period

        try:
            return compute(settings.db_url, parse_period(period), unit=unit, as_of=as_of,
                           thresholds=settings.metric_thresholds)
        except ValueError as e:
            raise HTTPException(422, str(e)) from e

    @app.get("/", include_in_schema=False)
    def index(request: Request, _: Annotated[Principal, Depends(require("status"))], fragment: int = 0) -> Response:
        """The status page; `?fragment=1` is its body alone, which the page fetches to refresh itself."""
        return render(request, "_status_body.html" if fragment else "status.html",
                      {"s": status(settings.db_url), "data_dir": settings.data})

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        path = STATIC_FILES.get(name)
        if path is None:
            raise HTTPException(404, f"no static file {name}")
        return FileResponse(path, headers={"Cache-Control": "private, max-age=3600"})

    return app
