"""The review queue of the web app on a document the pipeline really processed (local store): the JSON
API with tokens, the forms, and a clerk and an operator in Debian's chromium."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import select

from pipeline.accounts.users import add_user, new_token
from pipeline.config import Settings
from pipeline.flow import Source, digitise
from pipeline.identity import sha256_file
from pipeline.keep import db
from pipeline.keep.models import Correction, Document
from pipeline.keep.store import ObjectStore, open_store
from schemas.document import DocumentRecord
from schemas.samples import SampleLabel
from tests.helpers import CHROMIUM, chromium, csrf_of, login, screenshot, serve, wait_for_js
from web.app import create_app
from web.review import MASK

PASSWORD = "mật-khẩu-đủ-dài"
IDENTIFIER = "044196001234"


@pytest.fixture
def flagged(settings: Settings, sample_set: Any) -> tuple[Settings, ObjectStore, DocumentRecord]:
    """A form (tờ khai, with a citizen's name) digitised by the pipeline, then flagged for review; a clerk
    and an operator."""
    samples = sample_set(n=1, seed=11, formats=["pdf-digital"], doc_types=["to_khai"])
    label = SampleLabel.model_validate_json((samples / "labels.jsonl").read_text().splitlines()[0])
    path = samples / label.file
    db.migrate(settings.db_url)
    store = open_store(settings)
    record = digitise(Source(path, sha256_file(path), path.name, label.unit, label.role, datetime.now(UTC)),
                      settings, store)
    assert record.metadata.get("ho_ten"), record.metadata  # the personal data the operator must not see
    with db.session_scope(settings.db_url) as s:
        s.get(Document, record.doc_id).review = True  # type: ignore[union-attr]
    add_user(settings.db_url, "lan", "clerk", PASSWORD)
    add_user(settings.db_url, "vanhanh", "operator", PASSWORD)
    return settings, store, record


def _stored(store: ObjectStore, record: DocumentRecord) -> tuple[dict[str, Any], list[dict[str, str]]]:
    body = json.loads(store.get_bytes(record.outputs[2]))
    metas = [dict(store.stat(k).metadata) for k in record.outputs]  # type: ignore[union-attr]
    return body, metas


def test_review_api_and_forms(flagged: tuple[Settings, ObjectStore, DocumentRecord]) -> None:
    settings, store, record = flagged
    doc_id, name = record.doc_id, record.metadata["ho_ten"]
    client = TestClient(create_app(settings))
    clerk = {"Authorization": f"Bearer {new_token(settings.db_url, 'lan')}"}
    operator = {"Authorization": f"Bearer {new_token(settings.db_url, 'vanhanh')}"}

    [item] = client.get("/api/review", headers=clerk).json()
    assert item["doc_id"] == doc_id and item["reason"] == "flagged" and item["unit"] == record.unit
    assert item["source"] == Path(record.source).name
    assert client.get("/api/review", headers=operator).json()[0]["source"] == MASK + ".pdf"

    seen = client.get(f"/api/review/{doc_id}", headers=operator).json()
    personal = sorted(k for k in ("ho_ten", "nguoi_ky", "so_dinh_danh") if k in record.metadata)
    assert "ho_ten" in personal and seen["masked"] == personal
    assert all(seen["metadata"][k] == MASK for k in personal)
    assert seen["text"] is None and seen["pdf"] is None
    assert name.upper() not in json.dumps(seen, ensure_ascii=False).upper()
    full = client.get(f"/api/review/{doc_id}", headers=clerk).json()
    assert full["metadata"]["ho_ten"] == name and name.upper() in full["text"].upper()
    assert full["pdf"] == f"/review/{doc_id}/pdf"

    image = client.get(f"/review/{doc_id}/pages/1.jpg", headers=clerk)
    assert image.headers["content-type"] == "image/jpeg"
    with Image.open(io.BytesIO(image.content)) as im:
        assert abs(im.width - 8.27 * 110) < 15 and abs(im.height - 11.69 * 110) < 15  # an A4 page at 110 dpi
    assert client.get(f"/review/{doc_id}/pages/2.jpg", headers=clerk).status_code == 404
    assert client.get(f"/review/{doc_id}/pdf", headers=clerk).content.startswith(b"%PDF")

    bad = client.post(f"/api/review/{doc_id}/fix", headers=clerk,
                      json={"doc_type": "giay_phep", "fields": {"so_dinh_danh": "123", "ngay_ban_hanh": "2021-05-06"}})
    assert bad.status_code == 422
    assert {(p["key"], p["message_vi"]) for p in bad.json()["problems"]} == {
        ("doc_type", "Loại tài liệu 'giay_phep' không có trong danh mục"),
        ("so_dinh_danh", "Số định danh cá nhân gồm đúng 12 chữ số"),
    }
    ok = client.post(f"/api/review/{doc_id}/fix", headers=clerk,
                     json={"role": "ket_qua", "fields": {"so_dinh_danh": IDENTIFIER}})
    assert ok.status_code == 200, ok.text
    after = ok.json()
    assert after["role"] == "ket_qua" and after["metadata"]["so_dinh_danh"] == IDENTIFIER and not after["review"]
    assert {(c["field"], c["new_value"], c["by"]) for c in after["corrections"]} == {
        ("doc_type", "to_khai", "lan"), ("role", "ket_qua", "lan"), ("so_dinh_danh", IDENTIFIER, "lan")}
    body, metas = _stored(store, record)
    assert body["role"] == "ket_qua" and body["metadata"]["so_dinh_danh"] == IDENTIFIER
    assert all(m["role"] == "ket_qua" and m["reviewed_by"] == "lan" for m in metas), metas
    masked = client.get(f"/api/review/{doc_id}", headers=operator).json()
    assert IDENTIFIER not in json.dumps(masked) and masked["metadata"]["so_dinh_danh"] == MASK

    # The "correct as it is" form: a confirmation named after the logged-in clerk.
    with db.session_scope(settings.db_url) as s:
        s.get(Document, doc_id).review = True  # type: ignore[union-attr]
    assert login(client, "lan", PASSWORD).status_code == 303
    page = client.get(f"/review/{doc_id}")
    r = client.post(f"/review/{doc_id}/accept", data={"csrf": csrf_of(page.text)}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/review?accepted={doc_id}"
    with db.session_scope(settings.db_url) as s:
        assert s.get(Document, doc_id).review is False  # type: ignore[union-attr]
        last = s.scalars(select(Correction).where(Correction.document_id == doc_id).order_by(Correction.id)).all()[-1]
        assert (last.field, last.old_value, last.new_value, last.by) == ("doc_type", "to_khai", "to_khai", "lan")
    assert "Không có tài liệu nào cần kiểm tra" in client.get(f"/review?accepted={doc_id}").text


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (make setup installs it)")
def test_clerk_fixes_a_document_in_a_browser_and_an_operator_sees_it_masked(
    flagged: tuple[Settings, ObjectStore, DocumentRecord], tmp_path: Path
) -> None:
    settings, store, record = flagged
    doc_id, name = record.doc_id, record.metadata["ho_ten"]
    with serve(create_app(settings)) as base, chromium() as browser:

        def log_in(user: str) -> Any:
            page = browser.new_context().new_page()
            page.goto(base + "review")
            page.fill("input[name=username]", user)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(base + "review")
            return page

        # The operator: the queue and the document, with the citizen's name and the file name masked.
        op = log_in("vanhanh")
        row = op.locator(f"tr[data-doc='{doc_id}']")
        assert MASK in row.inner_text() and Path(record.source).stem not in op.content()
        row.locator("a").click()
        op.wait_for_url(f"{base}review/{doc_id}")
        assert op.locator("[data-key=ho_ten]").inner_text() == MASK
        assert name.upper() not in op.content().upper()
        assert op.locator("img").count() == 0 and op.locator("form#fix").count() == 0

        # The clerk: log in, open the queue, open the document, see its page, fix it.
        page = log_in("lan")
        assert page.title() == "sohoa — Tài liệu cần kiểm tra lại"
        row = page.locator(f"tr[data-doc='{doc_id}']")
        assert "được đánh dấu" in row.inner_text() and record.unit in row.inner_text()  # type: ignore[operator]
        row.locator("a").click()
        page.wait_for_url(f"{base}review/{doc_id}")
        wait_for_js(page, "document.querySelector('.pages img').naturalWidth > 0")
        assert page.locator("#f-ho_ten").input_value() == name
        assert page.locator("#review-state").inner_text() == "chờ kiểm tra"
        # Issue 14: the date field reads day/month/year whatever the browser's locale (an <input type=date>
        # followed it: mm/dd/yyyy in an English browser).
        assert page.locator("#f-ngay_ban_hanh").get_attribute("type") == "text"
        assert page.locator("#f-ngay_ban_hanh").get_attribute("placeholder") == "ngày/tháng/năm"

        page.fill("#f-so_dinh_danh", "12345")  # a mistake first: shown beside the field, nothing saved
        page.click("#save")
        error = page.locator(".error[data-key=so_dinh_danh]")
        assert error.inner_text() == "Số định danh cá nhân gồm đúng 12 chữ số"
        with db.session_scope(settings.db_url) as s:
            assert "so_dinh_danh" not in s.get(Document, doc_id).fields  # type: ignore[union-attr]

        page.select_option("select[name=doc_type]", "don")
        page.fill("#f-so_dinh_danh", IDENTIFIER)
        page.fill("#f-trich_yeu", "Về việc đăng ký khai sinh")
        page.fill("#f-ngay_ban_hanh", "31/12/2099")  # no such issue date yet: said in the form's own terms
        page.click("#save")
        assert "ngày/tháng/năm" in page.locator(".error[data-key=ngay_ban_hanh]").inner_text()
        page.fill("#f-ngay_ban_hanh", "07/04/2023")
        page.click("#save")
        page.wait_for_url(f"{base}review/{doc_id}?saved=1")
        assert "Đã lưu" in page.locator(".notice").inner_text()
        assert page.locator("#doc-type").inner_text() == "Đơn"
        assert page.locator("#doc-type").get_attribute("title") == "don"
        assert page.locator("#review-state").inner_text() == "đã kiểm tra"
        assert page.locator("#f-ngay_ban_hanh").input_value() == "07/04/2023"
        screenshot(page, "review-document")
        page.goto(base + "review")
        assert page.locator(f"tr[data-doc='{doc_id}']").count() == 0
        screenshot(page, "review-queue")
        page.click("nav >> text=Chưa có hồ sơ")  # the "no dossier" list, from the menu
        page.wait_for_url(f"{base}unlinked")
        assert "tài liệu chưa có mã hồ sơ" in page.locator("#unlinked-count").inner_text()
        screenshot(page, "unlinked")

        # The operator again: the corrections, with the identifier masked.
        op.reload()
        history = op.locator("#history").inner_text()
        assert "lan" in history and "Số định danh cá nhân" in history and IDENTIFIER not in op.content()

    with db.session_scope(settings.db_url) as s:
        doc = s.get(Document, doc_id)
        assert doc is not None and doc.doc_type == "don" and not doc.review
        assert doc.fields["so_dinh_danh"] == IDENTIFIER and doc.fields["trich_yeu"] == "Về việc đăng ký khai sinh"
        rows = s.scalars(select(Correction).where(Correction.document_id == doc_id)).all()
        assert doc.fields["ngay_ban_hanh"] == "2023-04-07"
        assert {(c.field, c.new_value) for c in rows} - {("ngay_ban_hanh", "2023-04-07")} == {
            ("doc_type", "don"), ("so_dinh_danh", IDENTIFIER), ("trich_yeu", "Về việc đăng ký khai sinh")}
        assert {c.by for c in rows} == {"lan"}
    body, metas = _stored(store, record)
    assert body["doc_type"] == "don" and body["metadata"]["so_dinh_danh"] == IDENTIFIER
    assert all(m["doc_type"] == "don" and m["reviewed_by"] == "lan" for m in metas), metas


def test_the_no_dossier_list_until_a_clerk_gives_the_dossier(
    flagged: tuple[Settings, ObjectStore, DocumentRecord],
) -> None:
    settings, _, record = flagged
    with db.session_scope(settings.db_url) as s:
        s.get(Document, record.doc_id).ma_ho_so = None  # type: ignore[union-attr]  # a paper with no code
    client = TestClient(create_app(settings))
    clerk = {"Authorization": f"Bearer {new_token(settings.db_url, 'lan')}"}
    operator = {"Authorization": f"Bearer {new_token(settings.db_url, 'vanhanh')}"}
    [item] = client.get("/api/unlinked", headers=clerk).json()
    assert item["doc_id"] == record.doc_id and item["source"] == Path(record.source).name
    assert client.get("/api/unlinked", headers=operator).json()[0]["source"] == MASK + ".pdf"
    assert client.get(f"/api/unlinked?unit={record.unit}x", headers=clerk).json() == []
    page = client.get("/unlinked", headers=clerk)
    assert page.status_code == 200 and f'href="/review/{record.doc_id}"' in page.text
    assert "1 tài liệu chưa có mã hồ sơ" in page.text
    fixed = client.post(f"/api/review/{record.doc_id}/fix", headers=clerk,
                        json={"fields": {"ma_ho_so": "H50.12-251103-0142"}})
    assert fixed.status_code == 200, fixed.text
    assert client.get("/api/unlinked", headers=clerk).json() == []
    assert "Mọi tài liệu đều đã thuộc một hồ sơ" in client.get("/unlinked", headers=clerk).text


def test_a_title_body_conflict_is_shown_with_both_readings(
    flagged: tuple[Settings, ObjectStore, DocumentRecord],
) -> None:
    settings, _store, record = flagged
    doc_id = record.doc_id
    cue = "conflict: title 'GIẤY ỦY QUYỀN' says giay_uy_quyen; the body reads to_khai (0.85)"
    with db.session_scope(settings.db_url) as s:
        doc = s.get(Document, doc_id)
        assert doc is not None and doc.classification is not None  # the pipeline recorded why the class
        doc.classification = {"cues": [cue, "model:to_khai 0.850"], "title": "giay_uy_quyen", "body": "to_khai",
                              "conflict": True}
    client = TestClient(create_app(settings))
    clerk = {"Authorization": f"Bearer {new_token(settings.db_url, 'lan')}"}
    [item] = client.get("/api/review", headers=clerk).json()
    assert item["reason"] == "title_conflict"
    seen = client.get(f"/api/review/{doc_id}", headers=clerk).json()
    assert seen["title_conflict"] and seen["cues"][0] == cue
    assert login(client, "lan", PASSWORD).status_code == 303
    page = client.get(f"/review/{doc_id}").text
    assert 'id="title-conflict"' in page and "GIẤY ỦY QUYỀN" in page
    assert "tiêu đề và nội dung không khớp" in client.get("/review").text


def test_a_page_of_unsure_orientation_is_shown_as_the_reason(
    flagged: tuple[Settings, ObjectStore, DocumentRecord],
) -> None:
    from pipeline.keep.models import Page

    settings, _store, record = flagged
    doc_id = record.doc_id
    with db.session_scope(settings.db_url) as s:
        page = s.scalars(select(Page).where(Page.document_id == doc_id, Page.page_no == 1)).one()
        page.turn_unsure = "profile says 180°, OSD 90°; trial reads 0°: 20 words, conf 55"
    client = TestClient(create_app(settings))
    clerk = {"Authorization": f"Bearer {new_token(settings.db_url, 'lan')}"}
    [item] = client.get("/api/review", headers=clerk).json()
    assert item["reason"] == "turn_unsure"
    assert client.get(f"/api/review/{doc_id}", headers=clerk).json()["turn_unsure"] == [1]
    assert login(client, "lan", PASSWORD).status_code == 303
    shown = client.get(f"/review/{doc_id}").text
    assert 'id="turn-unsure"' in shown and "Không xác định được chiều của trang 1" in shown
    assert "chưa rõ chiều trang" in client.get("/review").text
