"""The web app: for now a status page and its JSON, on localhost (the console and dashboard come later)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from pipeline import db
from pipeline.config import Settings, get_settings
from pipeline.status import status

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
ROLE_NAMES = {"thanh_phan": "Thành phần hồ sơ", "ket_qua_xu_ly": "Kết quả xử lý", "ket_qua": "Kết quả"}


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    db.migrate(settings.db_url)
    app = FastAPI(title="sohoa", version="0.1.0")

    from pipeline.prom import metrics_response  # Prometheus exposition, read from the database per scrape

    app.get("/metrics", include_in_schema=False)(metrics_response(settings))

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/api/status")
    def api_status() -> dict[str, Any]:
        return status(settings.db_url)

    @app.get("/", response_class=HTMLResponse)
    def index(request: Request) -> HTMLResponse:
        return TEMPLATES.TemplateResponse(
            request, "status.html", {"s": status(settings.db_url), "roles": ROLE_NAMES, "data_dir": settings.data}
        )

    return app
