"""Logins, tokens, roles and anti-forgery tokens of the web app, through its HTTP interface."""

from __future__ import annotations

import base64
import json
import stat
import time
from pathlib import Path

import itsdangerous
import pytest
from fastapi.testclient import TestClient

from pipeline.accounts.users import add_user, new_token, set_active, set_password
from pipeline.config import Settings
from pipeline.keep import db
from tests.helpers import csrf_of, login
from web.app import create_app
from web.auth import COOKIE, SESSION_HOURS

PASSWORD = "đúng-mật-khẩu"


@pytest.fixture
def app_settings(settings: Settings) -> Settings:
    db.migrate(settings.db_url)
    for name, role in (("lan", "clerk"), ("vanhanh", "operator"), ("phantich", "analyst"), ("quantri", "admin")):
        add_user(settings.db_url, name, role, PASSWORD)
    return settings


@pytest.fixture
def client(app_settings: Settings) -> TestClient:
    return TestClient(create_app(app_settings))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_session_cookie_cannot_be_forged_and_ends(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    assert login(client, "lan", PASSWORD).status_code == 303
    good = client.cookies[COOKIE]
    assert client.get("/api/status").status_code == 200
    body, stamp, mac = good.split(".")
    forged = base64.b64encode(json.dumps({"user": "quantri"}).encode()).decode()
    for value in (f"{forged}.{stamp}.{mac}", f"{body}.{stamp}.{mac[:-2]}AA", "garbage"):
        client.cookies.set(COOKIE, value)
        assert client.get("/api/status").status_code == 401, value
    client.cookies.set(COOKIE, good)
    later = int(time.time()) + SESSION_HOURS * 3600 + 60
    monkeypatch.setattr(itsdangerous.TimestampSigner, "get_timestamp", lambda self: later)
    assert client.get("/api/status").status_code == 401  # a working day after login: log in again


def test_everything_but_healthz_needs_a_login(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    for path in ("/api/status", "/api/review", "/metrics", "/openapi.json", "/api/report?period=2026"):
        r = client.get(path)
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer", path
    for path in ("/", "/review", "/review/abc"):
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next="), path


def test_login_wrong_password_and_cookie_flags(client: TestClient) -> None:
    r = login(client, "lan", "sai-mat-khau")
    assert r.status_code == 401 and "Sai tên đăng nhập hoặc mật khẩu" in r.text
    assert client.get("/api/status").status_code == 401
    assert login(client, "nobody", PASSWORD).status_code == 401
    r = login(client, "lan", PASSWORD)
    assert r.status_code == 303 and r.headers["location"] == "/review"  # a clerk lands on the queue
    cookie = r.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=") and "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    assert "secure" not in cookie.lower()
    assert client.get("/api/status").status_code == 200
    page = client.get("/")
    assert page.status_code == 200 and "lan" in page.text
    assert page.headers["cache-control"] == "no-store" and page.headers["x-frame-options"] == "DENY"
    r = client.post("/logout", data={"csrf": csrf_of(page.text)}, follow_redirects=False)
    assert r.status_code == 303 and client.get("/api/status").status_code == 401


def test_secure_cookie_and_a_key_shared_by_the_processes_of_a_data_dir(app_settings: Settings) -> None:
    first = TestClient(create_app(app_settings.model_copy(update={"web_cookie_secure": True})),
                       base_url="https://testserver")
    r = login(first, "vanhanh", PASSWORD)
    assert "; secure" in r.headers["set-cookie"].lower()
    key = app_settings.data / "web-secret"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    second = TestClient(create_app(app_settings), base_url="https://testserver")  # another web process
    second.cookies.set(COOKIE, first.cookies[COOKIE])
    assert second.get("/api/status").status_code == 200
    other = app_settings.model_copy(update={"web_secret": "another installation's key"})
    third = TestClient(create_app(other), base_url="https://testserver")
    third.cookies.set(COOKIE, first.cookies[COOKIE])
    assert third.get("/api/status").status_code == 401


def test_disabled_user_and_new_password_end_sessions(app_settings: Settings, client: TestClient) -> None:
    assert login(client, "vanhanh", PASSWORD).status_code == 303
    assert client.get("/api/status").status_code == 200
    set_active(app_settings.db_url, "vanhanh", False)
    assert client.get("/api/status").status_code == 401
    assert login(client, "vanhanh", PASSWORD).status_code == 401  # the same answer as a wrong password
    set_active(app_settings.db_url, "vanhanh", True)
    assert login(client, "vanhanh", PASSWORD).status_code == 303
    set_password(app_settings.db_url, "vanhanh", "a-new-password")
    assert client.get("/api/status").status_code == 401


def test_tokens(app_settings: Settings, client: TestClient) -> None:
    op = new_token(app_settings.db_url, "vanhanh")
    r = client.get("/metrics", headers=bearer(op))
    assert r.status_code == 200 and "sohoa_documents" in r.text
    assert "set-cookie" not in r.headers  # a token makes no session
    assert client.get("/metrics", headers=bearer(op[:-1] + "x")).status_code == 401
    assert client.get("/metrics", headers={"Authorization": f"Basic {op}"}).status_code == 401
    # A wrong token is refused even beside a good session cookie.
    assert login(client, "quantri", PASSWORD).status_code == 303
    assert client.get("/api/status", headers=bearer("sohoa_wrong")).status_code == 401
    set_active(app_settings.db_url, "vanhanh", False)
    assert client.get("/metrics", headers=bearer(op)).status_code == 401
    spec = client.get("/openapi.json").json()
    assert {"/api/review", "/api/review/{doc_id}", "/api/review/{doc_id}/fix", "/api/status"} <= spec["paths"].keys()
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"


def test_roles(app_settings: Settings) -> None:
    url = app_settings.db_url
    app = create_app(app_settings)
    c = TestClient(app)
    tokens = {name: new_token(url, name) for name in ("lan", "vanhanh", "phantich", "quantri")}

    def code(method: str, path: str, who: str, **kw: object) -> int:
        return c.request(method, path, headers=bearer(tokens[who]), **kw).status_code  # type: ignore[arg-type]

    # status: everyone; review queue: clerk, operator (masked), admin; fixing: clerk and admin
    assert {who: code("GET", "/api/status", who) for who in tokens} == dict.fromkeys(tokens, 200)
    assert {who: code("GET", "/api/review", who) for who in tokens} == {
        "lan": 200, "vanhanh": 200, "phantich": 403, "quantri": 200}
    assert {who: code("POST", "/api/review/nope/fix", who, json={}) for who in tokens} == {
        "lan": 404, "vanhanh": 403, "phantich": 403, "quantri": 404}
    assert {who: code("GET", "/metrics", who) for who in tokens} == {
        "lan": 403, "vanhanh": 200, "phantich": 403, "quantri": 200}
    assert {who: code("GET", "/api/report?period=2026-Q3", who) for who in tokens} == {
        "lan": 403, "vanhanh": 403, "phantich": 200, "quantri": 200}
    assert code("GET", "/api/report?period=2026-Q9", "phantich") == 422
    assert code("GET", "/review/nope/pdf", "vanhanh") == 403  # an operator never sees a document itself
    r = c.get("/api/review", headers=bearer(tokens["phantich"]))
    assert r.json() == {"detail": "role analyst may not do this"}
    # A page refused is a page, in Vietnamese.
    browser = TestClient(app)
    assert login(browser, "phantich", PASSWORD).status_code == 303
    r = browser.get("/review")
    assert r.status_code == 403 and "Không có quyền" in r.text and "phân tích" in r.text


def test_forms_need_the_anti_forgery_token(app_settings: Settings, client: TestClient) -> None:
    client.get("/login")
    r = client.post("/login", data={"username": "lan", "password": PASSWORD, "csrf": "forged"},
                    follow_redirects=False)
    assert r.status_code == 403 and "hết hạn" in r.text
    r = client.post("/login", data={"username": "lan", "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 403
    assert login(client, "lan", PASSWORD).status_code == 303
    # Logged in: another site's form posting to us carries the cookie but not the token.
    assert client.post("/review/some-doc", data={"doc_type": "don"}).status_code == 403
    assert client.post("/review/some-doc/accept", data={"csrf": "x"}).status_code == 403
    assert client.post("/logout", data={}).status_code == 403
    assert client.post("/api/review/some-doc/fix", json={}).status_code == 403
    token = csrf_of(client.get("/").text)
    # With the page's token the request goes through (to a 404: there is no such document).
    assert client.post("/api/review/some-doc/fix", json={}, headers={"X-CSRF-Token": token}).status_code == 404
    assert client.get("/api/status").status_code == 200  # still logged in


def test_login_goes_back_to_the_page_asked_for_and_never_elsewhere(client: TestClient) -> None:
    r = client.get("/review?lang=en", follow_redirects=False)
    assert r.headers["location"] == "/login?next=%2Freview%3Flang%3Den"
    page = client.get(r.headers["location"])
    assert 'name="next" value="/review?lang=en"' in page.text
    for target, landing in (("/review?lang=en", "/review?lang=en"), ("//evil.example/x", "/"),
                            ("https://evil.example", "/"), ("/\\evil.example", "/")):
        r = client.post("/login", data={"username": "vanhanh", "password": PASSWORD, "next": target,
                                        "csrf": csrf_of(client.get("/login").text)}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == landing, target


def test_english_on_request(client: TestClient) -> None:
    assert "Mật khẩu" in client.get("/login").text
    assert "Password" in client.get("/login?lang=en").text
    assert "Password" in client.get("/login").text  # remembered in the session
    assert login(client, "lan", PASSWORD).status_code == 303
    assert "Documents to review" in client.get("/review").text  # and kept across the login
    assert "Tài liệu cần kiểm tra lại" in client.get("/review?lang=vi").text


def test_pages_are_small(client: TestClient, tmp_path: Path) -> None:
    assert login(client, "quantri", PASSWORD).status_code == 303
    for path in ("/", "/review", "/login"):
        assert len(client.get(path).content) < 20_000, path
