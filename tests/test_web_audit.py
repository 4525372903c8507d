"""The access log: a clerk's views of a citizen's document, its pages, its PDF and a search for a name are
each written with who, when and what; an operator's masked views are not personal data and are not;
admins alone read the log, in JSON and on its page."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from pipeline.accounts.users import add_user, new_token
from pipeline.config import Settings
from pipeline.keep import db
from pipeline.vn.text import fold
from schemas.document import DocumentRecord
from tests import test_web_documents
from tests.helpers import CHROMIUM, browser_login, chromium, screenshot, serve
from web.app import create_app

digitised = test_web_documents.digitised  # three citizens' papers through the pipeline; a clerk, an operator


def test_views_of_personal_data_are_logged_and_admins_read_them(
    digitised: tuple[Settings, list[DocumentRecord]],
) -> None:
    settings, records = digitised
    rec = next(r for r in records if r.metadata.get("ho_ten") and r.metadata.get("so_dinh_danh"))
    add_user(settings.db_url, "quantri", "admin", test_web_documents.PASSWORD)
    client = TestClient(create_app(settings))
    tok = {u: {"Authorization": f"Bearer {new_token(settings.db_url, u)}"} for u in ("lan", "vanhanh", "quantri")}

    assert client.get(f"/api/documents/{rec.doc_id}", headers=tok["lan"]).status_code == 200
    assert client.get(f"/documents/{rec.doc_id}/pages/1.jpg", headers=tok["lan"]).status_code == 200
    assert client.get(f"/review/{rec.doc_id}/pdf", headers=tok["lan"]).status_code == 200
    assert client.get("/api/documents", params={"q": fold(rec.metadata["ho_ten"])}, headers=tok["lan"]).json()["total"]
    client.get(f"/api/documents/{rec.doc_id}", headers=tok["vanhanh"])  # masked: nothing personal seen
    client.get("/api/documents", headers=tok["vanhanh"])

    log = client.get("/api/audit", headers=tok["quantri"]).json()
    got = [(e["username"], e["action"], e["target"]) for e in reversed(log["entries"])]
    assert got == [("lan", "view_document", rec.doc_id), ("lan", "view_page", rec.doc_id),
                   ("lan", "view_pdf", rec.doc_id), ("lan", "search_documents", fold(rec.metadata["ho_ten"]))]
    view = log["entries"][-1]
    assert view["fields"] == ["ho_ten", "so_dinh_danh"] and view["role"] == "clerk" and view["via"] == "token"
    assert view["at"].endswith(("+00:00", "Z"))
    assert rec.doc_id in log["entries"][0]["detail"]["documents"]
    only = client.get("/api/audit", params={"action": "view_pdf"}, headers=tok["quantri"]).json()
    assert only["total"] == 1 and only["entries"][0]["target"] == rec.doc_id
    assert client.get("/api/audit", headers=tok["lan"]).status_code == 403
    assert client.get("/api/audit", headers=tok["vanhanh"]).status_code == 403
    page = client.get("/audit", params={"username": "lan"}, headers=tok["quantri"])
    assert page.status_code == 200 and "mở bản PDF" in page.text and "4 lượt" in page.text

    if Path(CHROMIUM).exists():  # the page as an admin reads it
        with serve(create_app(settings)) as base, chromium() as browser:
            admin = browser_login(browser, base, "quantri", test_web_documents.PASSWORD, "audit")
            assert admin.locator("#audit tr[data-action=view_pdf]").count() == 1
            screenshot(admin, "audit")

    # No log, no view: a view whose entry cannot be written fails before the data leaves.
    with db.engine_for(settings.db_url).begin() as conn:
        conn.execute(text("DROP TABLE access_log"))
    with pytest.raises(OperationalError):
        client.get(f"/api/documents/{rec.doc_id}", headers=tok["lan"])
