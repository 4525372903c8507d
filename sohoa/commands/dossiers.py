"""`sohoa dossiers unlinked`: the documents that belong to no dossier, as a table, JSON or CSV."""

from __future__ import annotations

import csv
import json
import sys
from enum import StrEnum
from typing import Annotated

import typer

from pipeline.clock import show_time
from pipeline.config import get_settings
from pipeline.keep import db

app = typer.Typer(help="Dossiers and the documents linked to them.", no_args_is_help=True)


class ListFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


COLUMNS = ("doc_id", "created_at", "unit", "role", "doc_type", "doc_type_confidence", "pages", "source", "part",
           "prefix")


@app.command()
def unlinked(
    unit: Annotated[str | None, typer.Option(help="only this unit's documents")] = None,
    limit: Annotated[int | None, typer.Option(help="at most this many, newest first")] = None,
    fmt: Annotated[ListFormat, typer.Option("--format", help="table, json or csv")] = ListFormat.table,
) -> None:
    """Documents linked to no dossier (no code from a QR, slip, text, sidecar or file name, and no
    dossier reusing them), newest first. Give one its dossier with
    `sohoa review fix ID --by NAME --set ma_ho_so=CODE`."""
    from pipeline.index.unlinked import count_unlinked, list_unlinked
    from pipeline.vn.codes import parse_unit_code

    settings = get_settings()
    settings.ensure_dirs()
    db.migrate(settings.db_url)
    code = (parse_unit_code(unit) or unit) if unit else None
    with db.session_scope(settings.db_url) as s:
        rows = list_unlinked(s, unit=code, limit=limit)
        total = count_unlinked(s, unit=code)
    dicts = [r.model_dump(mode="json") for r in rows]
    if fmt is ListFormat.json:
        typer.echo(json.dumps(dicts, ensure_ascii=False, indent=1))
    elif fmt is ListFormat.csv:
        w = csv.DictWriter(sys.stdout, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(dicts)
    else:
        head = ("doc_id", "created", "unit", "role", "doc_type", "conf", "pages", "source")
        table = [head] + [
            (r.doc_id, show_time(r.created_at), r.unit or "-", r.role or "-", r.doc_type,
             f"{r.doc_type_confidence:.2f}", str(r.pages), r.source + (f" [{r.part}]" if r.part else ""))
            for r in rows
        ]
        widths = [max(len(row[i]) for row in table) for i in range(len(head))]
        for row in table:
            typer.echo("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        typer.echo(f"{total} document(s) linked to no dossier" + (f", {len(rows)} shown" if len(rows) < total else ""))
