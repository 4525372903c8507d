"""`sohoa report`: the digitisation indicators per unit and period, as a table, JSON, CSV or XLSX."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from pipeline.config import get_settings
from pipeline.keep import db


class ReportFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


def report(
    period: Annotated[str, typer.Option(help="2026 (year), 2026-Q3 (quarter) or 2026-09 (month)")],
    unit: Annotated[str | None, typer.Option(help="only this unit and the units under it")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="dossiers as on this day (default today)")] = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", help="table, json, csv or xlsx")] = ReportFormat.table,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="file (default: standard output; xlsx needs one)")
    ] = None,
    dossiers: Annotated[
        bool, typer.Option("--dossiers", help="the dossiers behind every numerator and denominator instead "
                           "(with xlsx: an extra sheet)")
    ] = False,
) -> None:
    """Digitisation rates of Decision 766/QĐ-TTg per unit (rolled up over the unit tree) for a period."""
    from pipeline.index.metrics import compute, dossier_details, parse_period
    from pipeline.index.report import render_table, write_csv, write_details, write_json, write_xlsx
    from pipeline.vn.codes import parse_unit_code

    settings = get_settings()
    settings.ensure_dirs()
    db.migrate(settings.db_url)
    try:
        p = parse_period(period)
        day = date.fromisoformat(as_of) if as_of else None
    except ValueError as e:
        raise typer.BadParameter(str(e)) from None
    code = (parse_unit_code(unit) or unit) if unit else None
    if fmt is ReportFormat.xlsx and output is None:
        raise typer.BadParameter("an XLSX report is a file: give -o FILE.xlsx", param_hint="--output")
    try:
        if dossiers and fmt is not ReportFormat.xlsx:
            rows = dossier_details(settings.db_url, p, unit=code, as_of=day)
            with output.open("w", encoding="utf-8", newline="") if output else nullcontext(sys.stdout) as out:
                n = write_details(rows, fmt.value, out)
            typer.echo(f"{n} dossiers", err=True)
            return
        rep = compute(settings.db_url, p, unit=code, as_of=day, thresholds=settings.metric_thresholds)
    except ValueError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from None
    if fmt is ReportFormat.xlsx:
        assert output is not None
        details = dossier_details(settings.db_url, p, unit=code, as_of=rep.as_of) if dossiers else None
        write_xlsx(rep, output, details)
        typer.echo(f"report written to {output}", err=True)
        return
    with output.open("w", encoding="utf-8", newline="") if output else nullcontext(sys.stdout) as out:
        if fmt is ReportFormat.json:
            write_json(rep, out)
        elif fmt is ReportFormat.csv:
            write_csv(rep, out)
        else:
            out.write(render_table(rep))
