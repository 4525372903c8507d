"""Documents in the web app, on documents the pipeline really digitised: the JSON list and search, masking
by role, one document with its PDF, pages and compliance, and a clerk in Debian's chromium who types a
citizen's name without accents and finds the document."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from pipeline.accounts.users import add_user, new_token
from pipeline.config import Settings
from pipeline.flow import Source, digitise
from pipeline.identity import sha256_file
from pipeline.keep import db
from pipeline.keep.store import open_store
from pipeline.vn.text import fold
from schemas.document import DocumentRecord
from schemas.samples import SampleLabel
from tests.helpers import CHROMIUM, browser_login, chromium, screenshot, serve, wait_for_js
from web.app import create_app
from web.review import MASK

PASSWORD = "mật-khẩu-đủ-dài"


@pytest.fixture
def digitised(settings: Settings, sample_set: Any) -> tuple[Settings, list[DocumentRecord]]:
    """Three born-digital papers of citizens (a form, a birth certificate, an application) through the
    whole pipeline; a clerk, an operator and an analyst."""
    samples = sample_set(n=3, seed=23, formats=["pdf-digital"], doc_types=["to_khai", "giay_khai_sinh", "don"])
    db.migrate(settings.db_url)
    store = open_store(settings)
    records = []
    for line in (samples / "labels.jsonl").read_text().splitlines():
        label = SampleLabel.model_validate_json(line)
        path = samples / label.file
        records.append(digitise(Source(path, sha256_file(path), path.name, label.unit, label.role, datetime.now(UTC)),
                                settings, store))
    for user, role in (("lan", "clerk"), ("vanhanh", "operator"), ("phantich", "analyst")):
        add_user(settings.db_url, user, role, PASSWORD)
    return settings, records


def _named(records: list[DocumentRecord]) -> DocumentRecord:
    return next(r for r in records if r.metadata.get("ho_ten"))


def test_documents_api_search_and_masking(digitised: tuple[Settings, list[DocumentRecord]]) -> None:
    settings, records = digitised
    rec = _named(records)
    name = rec.metadata["ho_ten"]
    client = TestClient(create_app(settings))
    tok = {u: {"Authorization": f"Bearer {new_token(settings.db_url, u)}"} for u in ("lan", "vanhanh", "phantich")}

    listed = client.get("/api/documents", headers=tok["lan"]).json()
    assert listed["total"] == 3 and {d["doc_id"] for d in listed["items"]} == {r.doc_id for r in records}
    found = client.get("/api/documents", params={"q": fold(name)}, headers=tok["lan"]).json()
    assert found["items"][0]["doc_id"] == rec.doc_id and found["items"][0]["ho_ten"] == name
    assert found["items"][0]["created_at"].endswith(("+00:00", "Z"))  # a time with its zone (issue 14)
    assert client.get("/api/documents", params={"q": "khong co ai ten nay"}, headers=tok["lan"]).json()["total"] == 0

    # An operator filters but may not search the text (it finds people by name) and sees names masked.
    assert client.get("/api/documents", params={"q": fold(name)}, headers=tok["vanhanh"]).status_code == 403
    masked = client.get("/api/documents", params={"doc_type": records[0].doc_type}, headers=tok["vanhanh"]).json()
    assert masked["total"] >= 1 and all(d["source"].startswith(MASK) for d in masked["items"])
    assert name not in str(client.get("/api/documents", headers=tok["phantich"]).json())

    one = client.get(f"/api/documents/{rec.doc_id}", headers=tok["lan"]).json()
    assert one["metadata"]["ho_ten"] == name and one["review_state"] in ("auto", "waiting")
    assert [p["page_no"] for p in one["page_info"]] == list(range(1, rec.pages + 1))
    assert all(p["compliant"] is None for p in one["page_info"])  # born digital: no scan to judge
    hidden = client.get(f"/api/documents/{rec.doc_id}", headers=tok["vanhanh"]).json()
    assert hidden["metadata"]["ho_ten"] == MASK and hidden["text"] is None and hidden["pdf"] is None
    assert client.get(f"/documents/{rec.doc_id}/pdf", headers=tok["lan"]).content.startswith(b"%PDF")
    assert client.get(f"/documents/{rec.doc_id}/pdf", headers=tok["vanhanh"]).status_code == 403
    image = client.get(f"/documents/{rec.doc_id}/pages/1.jpg", headers=tok["lan"])
    assert image.headers["content-type"] == "image/jpeg"
    assert client.get("/api/documents/nope", headers=tok["lan"]).status_code == 404
    assert client.get("/api/documents", params={"period": "2026-13"}, headers=tok["lan"]).status_code == 422

    page = client.get("/documents", params={"q": fold(name)}, headers=tok["lan"])
    assert page.status_code == 200 and f'href="/documents/{rec.doc_id}"' in page.text
    # Issue 14: a document no person looked at is not "đã kiểm tra".
    doc_page = client.get(f"/documents/{rec.doc_id}", headers=tok["lan"]).text
    assert "chưa ai kiểm tra" in doc_page or "chờ kiểm tra" in doc_page
    assert "đã kiểm tra<" not in doc_page


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (make setup installs it)")
def test_clerk_searches_a_name_without_accents_in_a_browser(digitised: tuple[Settings, list[DocumentRecord]]) -> None:
    settings, records = digitised
    rec = _named(records)
    name = rec.metadata["ho_ten"]
    typed = fold(name)
    assert typed != name.lower()  # the name has marks the clerk does not type
    with serve(create_app(settings)) as base, chromium() as browser:
        page = browser_login(browser, base, "lan", PASSWORD, "documents")
        assert page.title() == "sohoa — Tài liệu đã số hóa"
        page.fill("input[name=q]", typed)
        page.click("#doc-filters button[type=submit]")
        page.wait_for_url(f"{base}documents?*")
        row = page.locator(f"tr[data-doc='{rec.doc_id}']")
        assert name in row.inner_text()
        screenshot(page, "documents-search")
        row.locator(f"a[href='/documents/{rec.doc_id}']").click()
        page.wait_for_url(f"{base}documents/{rec.doc_id}")
        wait_for_js(page, "(document.querySelector('.pages img') || {}).naturalWidth > 0")
        assert page.locator("[data-key=ho_ten]").inner_text() == name
        assert page.locator("#pages tr").count() == rec.pages + 1
        screenshot(page, "document")
        # The operator: the list, masked, and no search box.
        op = browser_login(browser, base, "vanhanh", PASSWORD, "documents")
        assert op.locator("input[name=q]").count() == 0 and name not in op.content()
        screenshot(op, "documents-operator")
