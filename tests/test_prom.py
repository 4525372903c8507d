"""The Prometheus endpoint of the web app: counts from the database and queue depths from Redis."""

from __future__ import annotations

import redis
from fastapi.testclient import TestClient

from pipeline.config import Settings
from pipeline.keep import db
from pipeline.keep.models import Document, Dossier, DossierLink, Intake, Page


def test_metrics_endpoint(settings: Settings, redis_server) -> None:  # type: ignore[no-untyped-def]
    from web.app import create_app

    settings.redis_url = redis_server.url
    db.migrate(settings.db_url)
    with db.session_scope(settings.db_url) as s:
        s.add_all([Dossier(ma_ho_so="D1", unit="H50.12"), Dossier(ma_ho_so="D2", unit="H50.12")])
        s.flush()
        for i, (dossier, role) in enumerate([("D1", "thanh_phan"), ("D1", "ket_qua"), ("D2", "thanh_phan")]):
            s.add(Document(id=f"d{i}", sha256=f"{i:064d}", unit="H50.12", role=role, source="x.pdf", doc_type="khac",
                           doc_type_confidence=0.5, role_mismatch=False, review=i == 2, ma_ho_so=dossier, pages=1,
                           pages_ocr=1, fields={}, field_confidence={}, text="", prefix="p/", outputs=[]))
            s.flush()
            s.add(Page(document_id=f"d{i}", page_no=1, source="ocr", compliant=True))
        s.add(Intake(sha256="f" * 64, unit="H50.12", role="thanh_phan", original_name="bad.pdf", size=1,
                     state="quarantined", error_code="unreadable_pdf"))
        s.add(DossierLink(ma_ho_so="D3", document_id="d0", role="thanh_phan", via="sha256"))
    r = redis.Redis.from_url(redis_server.url)
    r.rpush("ocr", "a", "b", "c")
    r.rpush("ingest\x06\x163", "x")  # a priority sub-queue
    from pipeline.accounts.users import add_user, new_token

    add_user(settings.db_url, "prometheus", "operator", "scrape-password")  # /metrics needs a token
    scraper = {"Authorization": f"Bearer {new_token(settings.db_url, 'prometheus')}"}
    body = TestClient(create_app(settings)).get("/metrics", headers=scraper)
    assert body.status_code == 200 and body.headers["content-type"].startswith("text/plain")
    text = body.text
    assert 'sohoa_documents_total{role="ket_qua",unit="H50.12"} 1.0' in text
    assert 'sohoa_documents_total{role="thanh_phan",unit="H50.12"} 2.0' in text
    assert 'sohoa_pages_total{source="ocr",unit="H50.12"} 3.0' in text
    assert 'sohoa_pages_total{source="text_layer",unit="H50.12"} 0.0' in text
    assert 'sohoa_failures_total{code="unreadable_pdf",unit="H50.12"} 1.0' in text
    assert 'sohoa_dossiers{digitised="both",unit="H50.12"} 1.0' in text
    assert 'sohoa_dossiers{digitised="components",unit="H50.12"} 1.0' in text
    assert 'sohoa_dossiers{digitised="components",unit=""} 1.0' in text  # D3: a linked copy, no row of its own
    assert 'sohoa_dossier_links_total{via="sha256"} 1.0' in text
    assert "sohoa_review_documents 1.0" in text
    assert 'sohoa_queue_depth{queue="ocr"} 3.0' in text
    assert 'sohoa_queue_depth{queue="ingest"} 1.0' in text
    assert 'sohoa_queue_depth{queue="post"} 0.0' in text
