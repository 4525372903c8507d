"""`sohoa import-register`, `sohoa procedures import`, `sohoa units import`: the one-stop-shop register,
the procedures list and the unit tree, from the CSV/XLSX files those systems export.

Each prints which column fed which field. Exit 0: imported; 1: bad rows, nothing imported (or
`--partial`); 2: the file as a whole cannot be imported (unreadable, a column missing or not
understood), nothing imported."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pipeline.config import get_settings
from pipeline.index.register import ImportFileError, ImportResult, import_procedures, import_register, import_units
from pipeline.keep import db

procedures_app = typer.Typer(help="The procedures list (TTHC): code, name, whether a paper result is issued.")
units_app = typer.Typer(help="The unit tree: code, name, parent code.")

Mapping = Annotated[
    Path | None, typer.Option("--mapping", help="YAML {field: column name} for this export's own headers")
]
Partial = Annotated[
    bool, typer.Option("--partial", help="import the good rows even when some are bad (default: all or nothing)")
]
Ignore = Annotated[
    list[str] | None,
    typer.Option("--ignore-column", metavar="NAME", help="import without this column (a header of the file) or "
                 "this field (e.g. completed_on); repeatable"),
]
File = Annotated[Path, typer.Argument(help="CSV (UTF-8) or XLSX export")]


def _run(fn, path: Path, mapping: Path | None, partial: bool, ignore: list[str] | None, what: str) -> None:  # type: ignore[no-untyped-def]
    settings = get_settings()
    settings.ensure_dirs()
    db.migrate(settings.db_url)
    try:
        result: ImportResult = fn(path, settings.db_url, mapping=mapping, partial=partial, ignore=ignore or ())
    except ImportFileError as e:
        if e.plan is not None:
            typer.echo(f"{path}: " + "\n".join(e.plan.describe()), err=True)
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from None
    if result.plan is not None:
        typer.echo(f"{path}: " + "\n".join(result.plan.describe()))
    for err in result.errors:
        typer.echo(f"{path}:{err.line}: {err.reason}", err=True)
    if result.error_count > len(result.errors):
        typer.echo(f"… and {result.error_count - len(result.errors)} more bad rows", err=True)
    if result.committed:
        typer.echo(
            f"{what}: {result.inserted} new, {result.updated} updated"
            + (f", {result.error_count} bad rows skipped" if result.error_count else "")
        )
        return
    typer.echo(
        f"{what}: nothing imported: {result.error_count} of {result.rows} rows are bad "
        "(fix them, or import the good rows with --partial)",
        err=True,
    )
    raise typer.Exit(1)


def import_register_cmd(path: File, mapping: Mapping = None, partial: Partial = False, ignore: Ignore = None) -> None:
    """Import the dossier register exported by the one-stop-shop system (re-import updates rows)."""
    _run(import_register, path, mapping, partial, ignore, "register")


@procedures_app.command("import")
def procedures_import(path: File, mapping: Mapping = None, partial: Partial = False, ignore: Ignore = None) -> None:
    """Import the procedures list (Mã TTHC, Tên thủ tục, Có kết quả giấy)."""
    _run(import_procedures, path, mapping, partial, ignore, "procedures")


@units_app.command("import")
def units_import(path: File, mapping: Mapping = None, partial: Partial = False, ignore: Ignore = None) -> None:
    """Import the unit tree (Mã đơn vị, Tên đơn vị, Mã đơn vị cấp trên), any depth."""
    _run(import_units, path, mapping, partial, ignore, "units")
