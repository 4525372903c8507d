"""The status page: its JSON through the API, and the page itself in a real (headless Chromium) browser."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from pipeline import db
from pipeline.config import Settings
from pipeline.intake import record_direct
from web.app import create_app

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def seed(settings: Settings, tmp_path: Path) -> None:
    db.migrate(settings.db_url)
    f = tmp_path / "a.pdf"
    f.write_bytes(b"%PDF-1.4")
    record_direct(settings, f, "a" * 64, unit="H50.12", role="ket_qua")
    record_direct(settings, f, "a" * 64, unit="H50.12", role="ket_qua", duplicate=True)
    from pipeline.errors import PipelineError

    record_direct(settings, f, "b" * 64, unit="H50", role="thanh_phan",
                  error=PipelineError("unreadable_pdf", "broken", source="b.pdf"))


def test_status_api_counts_per_unit_and_role(settings: Settings, tmp_path: Path) -> None:
    seed(settings, tmp_path)
    client = TestClient(create_app(settings))
    assert client.get("/healthz").json() == {"status": "ok"}
    s = client.get("/api/status").json()
    assert s["totals"] == {"received": 3, "processed": 1, "duplicates": 1, "quarantined": 1, "in_flight": 0,
                           "failed": 0}
    assert {(r["unit"], r["role"], r["quarantined"]) for r in s["by_unit_role"]} == {
        ("H50", "thanh_phan", 1), ("H50.12", "ket_qua", 0),
    }


@pytest.fixture
def served(settings: Settings, tmp_path: Path) -> Iterator[str]:
    import uvicorn

    from tests.conftest import free_port

    seed(settings, tmp_path)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (make setup installs it)")
def test_status_page_in_a_browser(served: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"],
        )
        try:
            page = browser.new_page()
            page.goto(served)
            assert page.title() == "sohoa — tình trạng số hóa"
            cards = page.locator(".card").all_inner_texts()
            assert any(c.split()[0] == "3" and "tệp đã nhận" in c for c in cards), cards
            assert any(c.split()[0] == "1" and "cách ly" in c for c in cards), cards
            rows = page.locator("table").first.locator("tr").all_inner_texts()
            assert any("H50.12" in r and "Kết quả" in r for r in rows), rows
            page.screenshot(path=str(tmp_path / "status.png"), full_page=True)
            assert (tmp_path / "status.png").stat().st_size > 5000
        finally:
            browser.close()
