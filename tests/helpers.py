"""Small fixtures made by code: a page of Vietnamese text as an image, a scanned PDF, a born-digital PDF."""

from __future__ import annotations

import os
import re
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"
LINES = [
    "ỦY BAN NHÂN DÂN XÃ THANH THẠCH",
    "Số: 123/QĐ-UBND",
    "QUYẾT ĐỊNH",
    "Về việc cấp giấy phép xây dựng nhà ở riêng lẻ",
    "Căn cứ Luật Tổ chức chính quyền địa phương;",
    "Điều 1. Cấp giấy phép xây dựng cho ông Nguyễn Văn Hùng.",
]


def text_page(lines: list[str] = LINES, dpi: int = 300, mode: str = "RGB") -> Image.Image:
    """An A4 page at `dpi` with the lines in 13 pt Liberation Serif, like a Decree 30 document."""
    w, h = round(8.27 * dpi), round(11.69 * dpi)
    img = Image.new("RGB", (w, h), "white")
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, round(14 * dpi / 72))
    y = round(1.0 * dpi)
    for line in lines:
        draw.text((round(1.2 * dpi), y), line, font=font, fill="black")
        y += round(0.35 * dpi)
    return img.convert(mode)


def save_scan_pdf(path: Path, pages: list[Image.Image], dpi: int = 300) -> Path:
    pages[0].save(path, "PDF", resolution=dpi, save_all=True, append_images=pages[1:])
    return path


def save_digital_pdf(path: Path, lines: list[str] = LINES) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(TTFont("LiberationSerif", FONT))
    c = Canvas(str(path), pagesize=A4, invariant=1)
    c.setFont("LiberationSerif", 13)
    y = A4[1] - 72
    for line in lines:
        c.drawString(72, y, line)
        y -= 20
    c.showPage()
    c.save()
    return path


# --- the web app in a thread, and Debian's chromium driven by Playwright --------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Screenshots of the browser tests are kept here (SOHOA_TEST_ARTEFACTS, else test-artefacts/ in the checkout).
ARTEFACTS = Path(os.environ.get("SOHOA_TEST_ARTEFACTS") or Path(__file__).resolve().parents[1] / "test-artefacts")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """The ASGI app on a free loopback port under uvicorn in a thread; yields its base URL."""
    import uvicorn

    from tests.conftest import free_port

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
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


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's chromium (never a downloaded browser) under Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


# What chromium reported as blocked by the app's Content-Security-Policy, per page (id of the Page).
CSP_VIOLATIONS: dict[int, list[str]] = {}


def watch_csp(page: Any) -> list[str]:
    """Collects the page's CSP violations (chromium logs each as a console error); every screenshot
    asserts there are none, so each browser test checks the pages it visits work under the CSP."""
    found = CSP_VIOLATIONS.setdefault(id(page), [])

    def seen(message: Any) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            found.append(message.text)

    page.on("console", seen)
    return found


def screenshot(page: Any, name: str) -> Path:
    """A full-page screenshot kept as a test artefact (`test-artefacts/screenshots/<name>.png`), of a
    page that broke no rule of the CSP."""
    assert not CSP_VIOLATIONS.get(id(page)), f"{name}: {CSP_VIOLATIONS[id(page)]}"
    path = ARTEFACTS / "screenshots" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 5000, path  # a page, not a blank
    return path


def browser_login(browser: Any, base: str, user: str, password: str, path: str = "") -> Any:
    """A new browser context logged in through the login form; returns its page, at `path`."""
    page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    watch_csp(page)
    page.goto(base + path)
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    if path:
        page.goto(base + path)
    return page


def wait_for_js(page: Any, expression: str, timeout: float = 30.0) -> None:
    """Until `expression` is true in the page. Playwright's wait_for_function evaluates its predicate
    with eval(), which the app's Content-Security-Policy forbids (as it should); evaluate() goes
    through the DevTools protocol, outside the page's CSP."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(f"() => Boolean({expression})"):
        assert time.monotonic() < deadline, f"timed out waiting for {expression}"
        time.sleep(0.1)


def login(client: Any, username: str, password: str) -> Any:
    """Log a TestClient in through the login form (anti-forgery token included); returns the response."""
    token = csrf_of(client.get("/login").text)
    return client.post("/login", data={"username": username, "password": password, "csrf": token},
                       follow_redirects=False)


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, html
    return m.group(1)
