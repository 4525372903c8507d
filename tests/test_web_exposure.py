"""Security headers on every response, cookie flags, no traceback to a browser (web/exposure.py), and
pages that work under their Content-Security-Policy in Debian's chromium."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from pipeline.accounts.users import add_user, new_token
from pipeline.config import Settings
from pipeline.keep import db
from tests.helpers import CHROMIUM, browser_login, chromium, login, screenshot, serve, wait_for_js, watch_csp
from web.app import create_app
from web.exposure import CSP

PASSWORD = "đúng-mật-khẩu"
TEMPLATES = Path(__file__).resolve().parents[1] / "web" / "templates"


@pytest.fixture
def app_settings(settings: Settings) -> Settings:
    db.migrate(settings.db_url)
    add_user(settings.db_url, "quantri", "admin", PASSWORD)
    return settings


def _boom(app: FastAPI) -> None:
    """Routes that fail the way a bug does, with a message that must not reach the browser."""

    @app.get("/api/boom")
    def api_boom() -> None:
        raise RuntimeError("secret detail: /data/H50/ket-qua/Nguyễn Văn A.pdf")

    @app.get("/boom")
    def page_boom() -> None:
        raise RuntimeError("secret detail: /data/H50/ket-qua/Nguyễn Văn A.pdf")


def _check_headers(headers: dict[str, str] | object, where: str, *, https: bool = False) -> None:
    h = {k.lower(): v for k, v in dict(headers).items()}  # type: ignore[call-overload]
    assert h.get("content-security-policy") == CSP, where
    assert h.get("x-content-type-options") == "nosniff", where
    assert h.get("x-frame-options") == "DENY", where
    assert h.get("referrer-policy") == "same-origin", where
    assert h.get("cache-control"), where
    assert ("strict-transport-security" in h) == https, where


def test_every_kind_of_response_has_the_headers(app_settings: Settings) -> None:
    app = create_app(app_settings)
    _boom(app)
    client = TestClient(app, raise_server_exceptions=False)
    token = new_token(app_settings.db_url, "quantri", "test")
    anon = {
        "/login": 200, "/healthz": 200, "/static/refresh.js": 200, "/static/sohoa.css": 200,
        "/api/status": 401, "/": 303, "/static/nope.js": 404, "/nowhere": 404,
    }
    for path, status in anon.items():
        r = client.get(path, follow_redirects=False)
        assert r.status_code == status, path
        _check_headers(r.headers, path)
    for path in ("/api/status", "/metrics", "/api/documents", "/boom", "/api/boom"):
        r = client.get(path, headers={"Authorization": f"Bearer {token}"})
        _check_headers(r.headers, path)
    # Pages and JSON stay out of caches; the static files may be kept a while, by the browser only.
    api = client.get("/api/status", headers={"Authorization": f"Bearer {token}"})
    assert api.headers["cache-control"] == "no-store"
    assert client.get("/login").headers["cache-control"] == "no-store"
    assert client.get("/static/sohoa.css").headers["cache-control"].startswith("private")
    assert client.get("/static/sohoa.css").headers["content-type"].startswith("text/css")


def test_behind_https_hsts_and_secure_cookie(app_settings: Settings) -> None:
    https = app_settings.model_copy(update={"web_cookie_secure": True})
    client = TestClient(create_app(https), base_url="https://sohoa.example")
    r = client.get("/login")
    _check_headers(r.headers, "/login", https=True)
    assert r.headers["strict-transport-security"] == "max-age=31536000"
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" in cookie


def test_cookie_flags_over_http(app_settings: Settings) -> None:
    client = TestClient(create_app(app_settings))
    r = login(client, "quantri", PASSWORD)
    assert r.status_code == 303
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie


def test_an_error_shows_an_id_and_logs_the_trace(app_settings: Settings, caplog: pytest.LogCaptureFixture) -> None:
    app = create_app(app_settings)
    _boom(app)
    client = TestClient(app, raise_server_exceptions=False)
    token = new_token(app_settings.db_url, "quantri", "test")
    with caplog.at_level(logging.ERROR, logger="web.errors"):
        api = client.get("/api/boom", headers={"Authorization": f"Bearer {token}"})
        page = client.get("/boom", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 500 and page.status_code == 500
    body = api.json()
    assert body["detail"] == "internal error" and re.fullmatch(r"[0-9a-f]{12}", body["error_id"])
    assert page.headers["content-type"].startswith("text/html")
    assert "Đã có lỗi" in page.text
    page_id = re.search(r"<b>([0-9a-f]{12})</b>", page.text)
    assert page_id
    for r in (api, page):
        assert "Traceback" not in r.text and "secret detail" not in r.text and "RuntimeError" not in r.text
        assert "Nguyễn" not in r.text
    # The log has the trace, under the id the user was shown.
    logged = "\n".join(f"{rec.getMessage()}\n{rec.exc_text or ''}" for rec in caplog.records)
    for error_id in (body["error_id"], page_id.group(1)):
        assert f"error {error_id}" in logged
    assert "RuntimeError: secret detail" in caplog.text


def test_templates_have_no_inline_script_or_style() -> None:
    """The CSP allows neither: a template that grew one would break in the browser."""
    for path in TEMPLATES.glob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), f"{path.name}: inline <script>"
        assert "<style" not in text, f"{path.name}: <style> element"
        assert not re.search(r"\sstyle\s*=", text), f"{path.name}: style attribute"
        assert not re.search(r"\son[a-z]+\s*=", text), f"{path.name}: inline event handler"
        assert "javascript:" not in text, path.name


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (make setup installs it)")
def test_pages_work_under_the_csp_in_chromium(app_settings: Settings) -> None:
    with serve(create_app(app_settings)) as base, chromium() as browser:
        anon = browser.new_context().new_page()
        blocked = watch_csp(anon)
        anon.goto(base + "login")
        # The stylesheet reached the login page (no login needed for it) and applies.
        assert anon.evaluate("() => getComputedStyle(document.body).marginLeft") == "32px"
        screenshot(anon, "login")
        # The watch does see a violation: an inline style attribute is refused by the browser.
        anon.evaluate("() => { const d = document.createElement('div'); d.setAttribute('style', 'width:7px');"
                      " document.body.appendChild(d); }")
        wait_for_js(anon, "document.body.lastChild.offsetWidth !== 7", 5)
        anon.wait_for_timeout(200)
        assert blocked and "style-src" in blocked[0]

        # The status page refreshes itself (refresh.js, a fetch of its fragment) under the CSP.
        page = browser_login(browser, base, "quantri", PASSWORD)
        page.goto(base)
        wait_for_js(page, "document.querySelector('#live').hasAttribute('data-refreshed')", 30)
        screenshot(page, "status-under-csp")
