"""The index dashboard: the dossiers behind a figure, the trend over months and what a unit lacks
(pipeline/index/dashboard.py) on test_metrics' hand-computed scenario; the pages and exports as an analyst
sees them; and an analyst in Debian's chromium who drills down from a figure to its dossiers and exports."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient

from pipeline.accounts.users import add_user, new_token
from pipeline.config import Settings
from pipeline.index.dashboard import dossiers_behind, lacks, months_back, trend
from pipeline.index.metrics import compute, parse_period
from pipeline.index.report import write_csv
from pipeline.keep import db
from tests.helpers import CHROMIUM, browser_login, chromium, screenshot, serve
from tests.test_metrics import A, B, C, D, E, scenario, unit
from web.app import create_app

AS_OF = date(2026, 10, 15)
Q3 = parse_period("2026-Q3")
PASSWORD = "mật-khẩu-phân-tích"


@pytest.fixture
def world(settings: Settings) -> Settings:
    db.migrate(settings.db_url)
    scenario(settings.db_url)
    add_user(settings.db_url, "phantich", "analyst", PASSWORD)
    add_user(settings.db_url, "vanhanh", "operator", PASSWORD)
    return settings


def codes(settings: Settings, indicator: str, part: str, unit_code: str | None = None) -> set[str]:
    return {d.ma_ho_so for d in dossiers_behind(settings.db_url, Q3, unit=unit_code, as_of=AS_OF,
                                                indicator=indicator, part=part)}  # type: ignore[arg-type]


def test_dossiers_behind_each_figure(world: Settings) -> None:
    # so_hoa_ho_so over the province: A, B, C digitised of A–E (test_metrics: 3/5).
    assert codes(world, "so_hoa_ho_so", "numerator") == {A, B, C}
    assert codes(world, "so_hoa_ho_so", "denominator") == {A, B, C, D, E}
    assert codes(world, "so_hoa_ho_so", "missing") == {D, E}
    assert codes(world, "ket_qua_dien_tu", "missing", "H50.13") == {E}  # completed, paper, no result
    assert codes(world, "tai_su_dung", "missing", "H50.12") == {A, B, C}
    with pytest.raises(ValueError, match="indicator"):
        codes(world, "nope", "missing")


def test_trend_and_lacks(world: Settings) -> None:
    months = months_back(Q3, AS_OF)
    assert [m.label for m in months][-3:] == ["2026-07", "2026-08", "2026-09"] and len(months) == 12
    assert months_back(Q3, date(2026, 8, 10))[-1].label == "2026-08"  # not past the as-of day
    points = trend(world.db_url, Q3, unit=None, as_of=AS_OF)["so_hoa_ho_so"]
    by = {p.label: (p.numerator, p.denominator) for p in points}
    assert by["2026-07"] == (1, 1) and by["2026-08"] == (1, 3) and by["2026-09"] == (1, 1)  # A; C of C,D,E; B
    assert by["2026-06"] == (0, 1)  # F, received in June, nothing digitised
    assert all(p.ratio is None for p in points if p.denominator == 0)  # n/a, not 0 %
    other = unit(compute(world.db_url, Q3, as_of=AS_OF), "H50.13")
    lacking = {lack.key: (lack.missing, lack.points_lost) for lack in lacks(other)}
    assert lacking["so_hoa_ho_so"] == (2, 4.0) and lacking["ket_qua_dien_tu"] == (1, 6.0)
    assert "tai_su_dung" not in lacking  # 2/2: full points


def test_dashboard_pages_and_exports_show_what_the_report_says(world: Settings) -> None:
    client = TestClient(create_app(world))
    analyst = {"Authorization": f"Bearer {new_token(world.db_url, 'phantich')}"}
    q = {"period": "2026-Q3", "as_of": "2026-10-15"}
    page = client.get("/dashboard", params=q, headers=analyst)
    assert page.status_code == 200 and "Xã Kim Hóa" in page.text and "8.4 / 18" in page.text
    assert "Hồ sơ được số hóa: thiếu 2 hồ sơ (−4 điểm)" in page.text  # what Xã Kim Hóa lacks, in the ranking
    assert client.get("/dashboard", params=q, headers={
        "Authorization": f"Bearer {new_token(world.db_url, 'vanhanh')}"}).status_code == 403

    # The CSV is the report's own CSV of the same units: what the table shows.
    got = client.get("/dashboard/export.csv", params={**q, "unit": "H50.12"}, headers=analyst)
    want = io.StringIO()
    rep = compute(world.db_url, Q3, unit="H50.12", as_of=AS_OF)
    write_csv(rep, want)
    assert [r[:12] for r in csv.reader(io.StringIO(got.content.decode("utf-8-sig")))] == \
        [r[:12] for r in csv.reader(io.StringIO(want.getvalue()))]
    book = openpyxl.load_workbook(io.BytesIO(client.get("/dashboard/export.xlsx", params=q, headers=analyst).content))
    assert book.sheetnames[:2] == ["Tổng hợp", "Cấp 1"]

    missing = {"indicator": "so_hoa_ho_so", "part": "missing", **q}
    drill = client.get("/dashboard/dossiers", params=missing, headers=analyst)
    assert drill.status_code == 200 and D in drill.text and E in drill.text and A not in drill.text
    rows = list(csv.DictReader(io.StringIO(
        client.get("/dashboard/dossiers/export.csv", params=missing, headers=analyst).content.decode("utf-8-sig"))))
    assert {r["ma_ho_so"] for r in rows} == {D, E}
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/dashboard/dossiers/export.xlsx", params=missing,
                                                         headers=analyst).content))["Hồ sơ"]
    assert {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)} == {D, E}
    api = client.get("/api/report/dossiers", params=missing, headers=analyst).json()
    assert {d["ma_ho_so"] for d in api} == {D, E}
    assert client.get("/dashboard", params={"period": "2026-Q9"}, headers=analyst).status_code == 422
    assert client.get("/api/report/dossiers", params={**missing, "part": "x"}, headers=analyst).status_code == 422


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (make setup installs it)")
def test_analyst_drills_down_to_the_dossiers_of_a_figure_and_exports(world: Settings, tmp_path: Path) -> None:
    with serve(create_app(world)) as base, chromium() as browser:
        page = browser_login(browser, base, "phantich", PASSWORD, "dashboard?period=2026-Q3&as_of=2026-10-15")
        assert page.title() == "sohoa — Chỉ số số hóa hồ sơ (Quyết định 766/QĐ-TTg)"
        commune = page.locator("#indicators tr[data-unit='H50.13'] td[data-indicator='so_hoa_ho_so']")
        assert commune.get_attribute("class") == "num r0"  # 0/2: red at a glance
        assert page.locator("#trends svg").count() == 5
        screenshot(page, "dashboard")
        commune.locator("a.den-link").click()
        page.wait_for_url(f"{base}dashboard/dossiers?*")
        assert {r for r in page.locator("#dossiers tr[data-dossier]").evaluate_all(
            "rows => rows.map(r => r.dataset.dossier)")} == {D, E}
        page.click("text=Hồ sơ còn thiếu (mẫu số, chưa vào tử số)")
        page.wait_for_url("**part=missing*")
        assert page.locator("#dossiers tr[data-dossier]").count() == 2
        screenshot(page, "dashboard-dossiers")
        with page.expect_download() as dl:
            page.click("#export-xlsx")
        saved = tmp_path / dl.value.suggested_filename
        dl.value.save_as(saved)
        assert saved.name == "chi-so-so-hoa-2026-Q3-H50.13-so_hoa_ho_so-missing.xlsx"
        rows = list(openpyxl.load_workbook(saved)["Hồ sơ"].iter_rows(min_row=2, values_only=True))
        assert {r[0] for r in rows} == {D, E}
