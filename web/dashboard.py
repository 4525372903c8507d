"""The index dashboard for analysts: the five indicators of Decision 766 with their points per unit and
period over the unit tree, what each unit lacks, a trend per indicator over months, the dossiers behind any
figure, and CSV/XLSX exports of exactly what is shown (pipeline/index/report.py writes them)."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterable
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from starlette.background import BackgroundTask
from starlette.responses import FileResponse, Response

from pipeline.clock import today_local
from pipeline.index.dashboard import PARTS, Part, dossiers_behind, lacks, trend
from pipeline.index.metrics import INDICATORS, Period, compute, parse_period
from pipeline.index.report import write_csv, write_details, write_xlsx
from schemas.report import DossierDetail, IndicatorValue, Report
from web.auth import Principal, require
from web.charts import trend as trend_chart
from web.pages import lang_of, render
from web.params import Day, Offset
from web.review import _settings

router = APIRouter()
Analyst = Annotated[Principal, Depends(require("reports"))]
Format = Literal["csv", "xlsx"]
SHOWN_DOSSIERS = 500
INDICATOR_EN = {
    "ket_qua_dien_tu": "Dossiers with an electronic result",
    "so_hoa_ho_so": "Dossiers digitised",
    "tai_su_dung": "Reuse of digitised data",
    "ket_noi_kho": "Data shared with the personal data store",
    "du_lieu_dan_cu": "Population-data use",
    "scan_compliance": "Scanned pages meeting the requirements",
    "metadata_completeness": "Mandatory metadata read",
    "review_rate": "Documents sent to review",
}


def current_quarter() -> str:
    today = today_local()
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"


def _period(label: str | None) -> Period:
    try:
        return parse_period(label or current_quarter())
    except ValueError as e:
        raise HTTPException(422, str(e)) from e


def _report(request: Request, period: Period, unit: str | None, as_of: date | None) -> Report:
    settings = _settings(request)
    try:
        return compute(settings.db_url, period, unit=unit or None, as_of=as_of, thresholds=settings.metric_thresholds)
    except ValueError as e:
        raise HTTPException(422, str(e)) from e


def band(v: IndicatorValue) -> str:
    """How a figure reads at a glance: r2 at or above its threshold, r1 at half of it, r0 below, na n/a."""
    if v.ratio is None:
        return "na"
    t = v.threshold or 1.0
    return "r2" if v.ratio >= t else ("r1" if v.ratio >= t / 2 else "r0")


def points_text(v: float | None) -> str:
    """Points as the portal prints them: at most two decimals, n/a when there is nothing to count."""
    return "n/a" if v is None else f"{v:.2f}".rstrip("0").rstrip(".")


def indicator_name(key: str, lang: str) -> str:
    vi = {k: n for k, n, _ in INDICATORS} | {
        "scan_compliance": "Trang quét đạt yêu cầu", "metadata_completeness": "Siêu dữ liệu bắt buộc đọc được",
        "review_rate": "Tài liệu phải kiểm tra lại"}
    return INDICATOR_EN.get(key, key) if lang == "en" else vi.get(key, key)


def _query(**kw: Any) -> str:
    return urlencode({k: v for k, v in kw.items() if v not in (None, "")})


# --- the dashboard ---------------------------------------------------------------------------------


@router.get("/dashboard", include_in_schema=False)
def dashboard(request: Request, _: Analyst, period: str | None = None, unit: str | None = None,
              as_of: Day | None = None) -> Response:
    unit = (unit or "").strip() or None
    try:
        p = _period(period)
        rep = _report(request, p, unit, as_of)
    except HTTPException as e:
        return render(request, "message.html", {"title": "dash.title", "text": str(e.detail), "role": ""}, 422)
    lang = lang_of(request)
    points = trend(_settings(request).db_url, p, unit=unit, as_of=rep.as_of,
                   thresholds=_settings(request).metric_thresholds)
    charts = [(key, max_pts, trend_chart([t.ratio for t in points[key]], [t.label[2:] for t in points[key]],
                                         title=indicator_name(key, lang), threshold=rep.thresholds.get(key)))
              for key, _, max_pts in INDICATORS]
    scope = rep.units[0] if unit and rep.units else rep.total
    # The units right under the one shown (the roots when all are shown), best first, as the portal ranks.
    children = [m for m in rep.units if (m.parent == unit if unit else m.level == 0)]
    if not unit and len(children) == 1:  # one province: its communes are what a reader compares
        children = [m for m in rep.units if m.parent == children[0].unit]
    ranked = sorted(children, key=lambda m: (-(m.points or 0), m.unit))
    base = {"period": p.label, "unit": unit, "as_of": as_of.isoformat() if as_of else None}
    today = today_local()
    quarter = (today.month - 1) // 3 + 1
    prev_q = f"{today.year}-Q{quarter - 1}" if quarter > 1 else f"{today.year - 1}-Q4"
    return render(request, "dashboard.html", {
        "r": rep, "scope": scope, "ranked": ranked, "charts": charts, "band": band, "lacks": lacks, "pts": points_text,
        "iname": lambda k: indicator_name(k, lang), "q": base, "query": _query,
        "quick": [current_quarter(), prev_q, str(today.year), f"{today.year}-{today.month:02d}"],
        "units": [(m.unit, m.name, m.level) for m in rep.units],
    })


def _download(data: bytes | None, path: str | None, name: str, media: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "private, no-store"}
    if path is not None:
        return FileResponse(path, media_type=media, headers=headers, background=BackgroundTask(os.unlink, path))
    return Response(data, media_type=media, headers=headers)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(rep: Report, details: Iterable[DossierDetail] | None, name: str) -> Response:
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    write_xlsx(rep, Path(path), details)
    return _download(None, path, name, XLSX)


def _name(rep: Report, unit: str | None, ext: str, extra: str = "") -> str:
    return f"chi-so-so-hoa-{rep.period.label}-{unit or 'tat-ca'}{extra}.{ext}"


@router.get("/dashboard/export.{fmt}", include_in_schema=False)
def export(request: Request, _: Analyst, fmt: Format, period: str | None = None, unit: str | None = None,
           as_of: Day | None = None) -> Response:
    """The table on the dashboard: every unit shown, every indicator and quality rate with its inputs."""
    unit = (unit or "").strip() or None
    rep = _report(request, _period(period), unit, as_of)
    if fmt == "xlsx":
        return _xlsx(rep, None, _name(rep, unit, "xlsx"))
    out = io.StringIO()
    write_csv(rep, out)
    body = ("\ufeff" + out.getvalue()).encode("utf-8")  # the mark lets a spreadsheet read it as UTF-8
    return _download(body, None, _name(rep, unit, "csv"), "text/csv; charset=utf-8")


# --- the dossiers behind a figure -------------------------------------------------------------------


def _behind(request: Request, period: str | None, unit: str | None, as_of: date | None, indicator: str,
            part: str) -> tuple[Report, Iterable[DossierDetail]]:
    unit = (unit or "").strip() or None
    p = _period(period)
    if part not in PARTS:
        raise HTTPException(422, f"part {part!r}: expected one of {', '.join(PARTS)}")
    rep = _report(request, p, unit, as_of)
    try:
        rows = dossiers_behind(_settings(request).db_url, p, unit=unit, as_of=rep.as_of, indicator=indicator,
                               part=part)  # type: ignore[arg-type]
    except ValueError as e:
        raise HTTPException(422, str(e)) from e
    return rep, rows


@router.get("/api/report/dossiers", response_model=list[DossierDetail], tags=["report"])
def api_dossiers(
    request: Request, _: Analyst, indicator: str, period: str, part: Part = "numerator", unit: str | None = None,
    as_of: Day | None = None, offset: Offset = 0,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
) -> list[DossierDetail]:
    """The dossiers behind one figure of the report: those its numerator counts, its denominator counts, or
    those missing from the numerator (`part=missing`), for the unit and the units under it."""
    _, rows = _behind(request, period, unit, as_of, indicator, part)
    return list(islice(rows, offset, offset + limit))


@router.get("/dashboard/dossiers", include_in_schema=False)
def dossiers_page(request: Request, _: Analyst, indicator: str, part: str = "missing", period: str | None = None,
                  unit: str | None = None, as_of: Day | None = None) -> Response:
    rep, rows = _behind(request, period, unit, as_of, indicator, part)
    lang = lang_of(request)
    shown = list(islice(rows, SHOWN_DOSSIERS + 1))
    unit = (unit or "").strip() or None
    scope = rep.units[0] if unit and rep.units else rep.total
    figure = next((v for v in scope.indicators if v.key == indicator), None)
    q = {"period": rep.period.label, "unit": unit, "as_of": as_of.isoformat() if as_of else None,
         "indicator": indicator, "part": part}
    return render(request, "dashboard_dossiers.html", {
        "r": rep, "rows": shown[:SHOWN_DOSSIERS], "more": len(shown) > SHOWN_DOSSIERS, "figure": figure,
        "iname": indicator_name(indicator, lang), "q": q, "query": _query, "parts": PARTS, "band": band,
    })


@router.get("/dashboard/dossiers/export.{fmt}", include_in_schema=False)
def dossiers_export(request: Request, _: Analyst, fmt: Format, indicator: str, part: str = "missing",
                    period: str | None = None, unit: str | None = None, as_of: Day | None = None) -> Response:
    """The list on the drill-down page, every dossier of it (the page shows the first 500); as XLSX with the
    unit's figures on the sheets before it."""
    rep, rows = _behind(request, period, unit, as_of, indicator, part)
    unit = (unit or "").strip() or None
    extra = f"-{indicator}-{part}"
    if fmt == "xlsx":
        return _xlsx(rep, rows, _name(rep, unit, "xlsx", extra))

    fd, path = tempfile.mkstemp(suffix=".csv")  # streamed to a file, then from it: a million rows, no memory
    with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as out:
        write_details(rows, "csv", out)
    return _download(None, path, _name(rep, unit, "csv", extra), "text/csv; charset=utf-8")
