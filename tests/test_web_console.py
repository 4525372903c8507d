"""The operator console: its JSON and actions (masked for an operator, anti-forgery token on a session's
POST), and in Debian's chromium against a real watcher and Celery worker: an operator sees a failed file,
retries it once the unit exists, and sees it done, the page refreshing itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from pipeline.accounts.users import add_user, new_token
from pipeline.config import Settings
from pipeline.errors import PipelineError
from pipeline.intake.claim import claim, quarantine
from pipeline.keep import db
from pipeline.keep.models import DONE, Intake, Unit
from tests import test_faults
from tests.conftest import RedisServer
from tests.helpers import CHROMIUM, browser_login, chromium, csrf_of, login, save_digital_pdf, screenshot, serve
from tests.test_faults import Cluster
from web.app import create_app
from web.review import MASK

cluster = test_faults.cluster  # the fixture: watcher and worker as processes of their own
PASSWORD = "mật-khẩu-vận-hành"
NAME = "Trần Thị Bích.pdf"


def _users(settings: Settings) -> None:
    add_user(settings.db_url, "vanhanh", "operator", PASSWORD)
    add_user(settings.db_url, "quantri", "admin", PASSWORD)
    add_user(settings.db_url, "lan", "clerk", PASSWORD)


def test_console_api_masks_names_and_acts_once(settings: Settings, redis_server: RedisServer) -> None:
    db.migrate(settings.db_url)
    _users(settings)
    src = settings.inbox / "H50/thanh-phan" / NAME
    src.parent.mkdir(parents=True)
    save_digital_pdf(src)
    row = claim(src, settings, lambda job: None)
    quarantine(row.id, settings, PipelineError("internal_error", f"cannot read {NAME}", stage="finish",
                                               trace=f'File "/data/spool/x.data", in read\n  {NAME}\nValueError'))
    web = settings.model_copy(update={"redis_url": redis_server.url, "flower_url": "http://127.0.0.1:5555"})
    client = TestClient(create_app(web))
    op = {"Authorization": f"Bearer {new_token(settings.db_url, 'vanhanh')}"}
    admin = {"Authorization": f"Bearer {new_token(settings.db_url, 'quantri')}"}

    seen = client.get("/api/console", headers=op).json()
    [p] = seen["problems"]
    assert (p["intake_id"], p["stage"], p["code"], p["actions"]) == (row.id, "finish", "internal_error", ["retry"])
    assert p["name"] == MASK + ".pdf" and p["inbox_path"] == f"H50/thanh-phan/{MASK}.pdf"
    assert "Trần" not in str(seen) and "ValueError" in p["trace"]
    assert seen["broker"]["reachable"] and not seen["broker"]["workers_answered"]  # no worker in this test
    assert seen["flower_url"] == "http://127.0.0.1:5555" and len(seen["throughput"]) == 180
    assert client.get("/api/console", headers=admin).json()["problems"][0]["name"] == NAME
    clerk = {"Authorization": f"Bearer {new_token(settings.db_url, 'lan')}"}
    assert client.get("/api/console", headers=clerk).status_code == 403

    assert client.post(f"/api/console/files/{row.id}/release", headers=op).status_code == 409
    assert client.post("/api/console/files/999/retry", headers=op).status_code == 404
    # A session's POST needs the page's anti-forgery token.
    assert login(client, "vanhanh", PASSWORD).status_code == 303
    assert client.post(f"/api/console/files/{row.id}/retry").status_code == 403
    page = client.get("/console")
    assert page.status_code == 200 and 'href="http://127.0.0.1:5555"' in page.text
    done = client.post(f"/api/console/files/{row.id}/retry", headers={"X-CSRF-Token": csrf_of(page.text)})
    assert done.status_code == 200 and done.json()["detail"] == "moved back to the inbox"
    assert src.exists()
    assert client.post(f"/api/console/files/{row.id}/retry", headers=op).status_code == 409  # once
    assert client.get("/api/console", headers=op).json()["problems"] == []


@pytest.mark.slow
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (make setup installs it)")
def test_operator_sees_a_failed_file_retries_it_and_sees_it_done(
    settings: Settings, cluster: Cluster, redis_server: RedisServer, tmp_path: Path
) -> None:
    _users(settings)
    with db.session_scope(settings.db_url) as s:  # a unit list without the unit the clerk drops into
        s.add(Unit(code="H50", name="Quảng Trị"))
    cluster.watcher()
    cluster.worker()
    pdf = save_digital_pdf(tmp_path / "a.pdf")
    cluster.drop(f"H50.99/ket-qua/{NAME}", pdf.read_bytes())

    def intakes() -> list[Intake]:
        with db.session_scope(settings.db_url) as s:
            out = list(s.scalars(select(Intake).order_by(Intake.id)))
            s.expunge_all()
        return out

    cluster.wait(lambda: any(r.error_code == "unregistered_unit" for r in intakes()), 60, "the file quarantined")
    web = settings.model_copy(update={"redis_url": redis_server.url})
    with serve(create_app(web)) as base, chromium() as browser:
        page = browser_login(browser, base, "vanhanh", PASSWORD, "console")
        assert page.title() == "sohoa — Bảng điều khiển vận hành"
        [failed] = intakes()
        row = page.locator(f"#problems tr[data-intake='{failed.id}']")
        assert "unregistered_unit" in row.inner_text() and "nhận tệp" in row.inner_text()
        assert "Trần" not in page.content()  # the operator sees the file's name masked
        # The worker answers the inspection; the page shows it without being reloaded.
        page.wait_for_selector("#workers", timeout=60_000)
        screenshot(page, "console-failed")

        with db.session_scope(settings.db_url) as s:  # the admin adds the unit to the list
            s.add(Unit(code="H50.99", name="Xã mới", parent_code="H50"))
        row.locator("button", has_text="Thử lại").click()
        page.wait_for_url(f"{base}console?done=retry*")
        assert "đã được đưa lại vào thư mục nhận" in page.locator("#done").inner_text()
        cluster.wait(lambda: [r.state for r in intakes()][-1:] == [DONE] and len(intakes()) == 2, 120,
                     "the retried file digitised")
        done = intakes()[-1]
        # The page refreshes itself: the file shows up among the files that ended, as digitised.
        page.wait_for_selector(f"#recent tr[data-intake='{done.id}'][data-state='done']", timeout=30_000)
        assert page.locator(f"#problems tr[data-intake='{failed.id}']").count() == 0
        screenshot(page, "console-done")
    r = cluster.wait_settled(30)
    assert r.stored == 1 and not r.double
