"""The status page: its JSON through the API (with a token), and the page itself in a real (headless
Chromium) browser after logging in through the login form."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from pipeline.accounts.users import add_user, new_token
from pipeline.config import Settings
from pipeline.intake.claim import record_direct
from pipeline.keep import db
from tests.helpers import CHROMIUM, chromium, screenshot, serve
from web.app import create_app

PASSWORD = "mật-khẩu-1"


def seed(settings: Settings, tmp_path: Path) -> None:
    db.migrate(settings.db_url)
    f = tmp_path / "a.pdf"
    f.write_bytes(b"%PDF-1.4")
    record_direct(settings, f, "a" * 64, unit="H50.12", role="ket_qua")
    copy = tmp_path / "a-copy.pdf"  # the same content under another name: a duplicate
    copy.write_bytes(f.read_bytes())
    record_direct(settings, copy, "a" * 64, unit="H50.12", role="ket_qua", duplicate=True)
    from pipeline.errors import PipelineError

    record_direct(settings, f, "b" * 64, unit="H50", role="thanh_phan",
                  error=PipelineError("unreadable_pdf", "broken", source="b.pdf"))
    add_user(settings.db_url, "vanhanh", "operator", PASSWORD)


def test_status_api_counts_per_unit_and_role(settings: Settings, tmp_path: Path) -> None:
    seed(settings, tmp_path)
    client = TestClient(create_app(settings))
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/api/status").status_code == 401
    token = new_token(settings.db_url, "vanhanh")
    s = client.get("/api/status", headers={"Authorization": f"Bearer {token}"}).json()
    assert s["totals"] == {"received": 3, "processed": 1, "duplicates": 1, "quarantined": 1, "in_flight": 0,
                           "failed": 0}
    assert {(r["unit"], r["role"], r["quarantined"]) for r in s["by_unit_role"]} == {
        ("H50", "thanh_phan", 1), ("H50.12", "ket_qua", 0),
    }


@pytest.fixture
def served(settings: Settings, tmp_path: Path) -> Iterator[str]:
    seed(settings, tmp_path)
    with serve(create_app(settings)) as url:
        yield url


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (make setup installs it)")
def test_status_page_in_a_browser(served: str, tmp_path: Path) -> None:
    with chromium() as browser:
        page = browser.new_page()
        page.goto(served)
        assert page.title() == "sohoa — Đăng nhập"  # sent to the login page first
        page.fill("input[name=username]", "vanhanh")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(served)
        assert page.title() == "sohoa — Tình trạng số hóa"
        assert page.locator("html").get_attribute("lang") == "vi"
        cards = page.locator(".card").all_inner_texts()
        assert any(c.split()[0] == "3" and "tệp đã nhận" in c for c in cards), cards
        assert any(c.split()[0] == "1" and "cách ly" in c for c in cards), cards
        rows = page.locator("table").first.locator("tr").all_inner_texts()
        assert any("H50.12" in r and "Kết quả" in r for r in rows), rows
        assert "vanhanh" in page.locator("nav").inner_text()
        screenshot(page, "status")
        # Issue 14: ?lang=en turns the status page English, its <html lang> too, and it stays so.
        page.click("nav a.lang")
        assert page.title() == "sohoa — Digitisation status"
        assert page.locator("html").get_attribute("lang") == "en"
        assert "files received" in page.locator(".cards").inner_text()
        screenshot(page, "status-en")
        page.goto(served)
        assert page.locator("html").get_attribute("lang") == "en"


def test_status_page_names_classes_and_roles(settings: Settings, tmp_path: Path) -> None:
    """Issue 14: the page showed raw class codes (`bao_cao`); it names them, in the reader's language."""
    from pipeline.keep.models import Document

    seed(settings, tmp_path)
    with db.session_scope(settings.db_url) as s:
        s.add(Document(id="d-1", sha256="c" * 64, unit="H50.12", role="ket_qua", source="x.pdf", doc_type="bao_cao",
                       doc_type_confidence=0.9, pages=1, prefix="p/"))
    client = TestClient(create_app(settings))
    token = {"Authorization": f"Bearer {new_token(settings.db_url, 'vanhanh')}"}
    vi = client.get("/", headers=token).text
    assert ">Báo cáo<" in vi and ">bao_cao<" not in vi and '<html lang="vi">' in vi
    en = client.get("/?lang=en", headers=token).text
    assert ">Report<" in en and '<html lang="en">' in en and "Digitisation status" in en
    assert "Kết quả giải quyết" in client.get("/?fragment=1&lang=vi", headers=token).text
