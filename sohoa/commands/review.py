"""`sohoa review` (the queue, one document, corrections) and `sohoa train` (retrain, gated)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pipeline.clock import show_time
from pipeline.config import get_settings
from pipeline.keep import db

app = typer.Typer(help="Documents to review: list them, show one, correct or confirm it.", invoke_without_command=True)


@app.callback()
def review(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(help="at most this many documents")] = 50,
) -> None:
    """Without a sub-command: list documents flagged for review or under the confidence threshold."""
    if ctx.invoked_subcommand is None:
        list_(limit)


@app.command("list")
def list_(limit: Annotated[int, typer.Option(help="at most this many documents")] = 50) -> None:
    """Documents flagged for review or under the threshold, least confident first."""
    from pipeline.understand.review import queue

    settings = get_settings()
    settings.ensure_dirs()
    db.migrate(settings.db_url)
    with db.session_scope(settings.db_url) as s:
        items = queue(s, settings.review_threshold, limit, settings.field_review_threshold)
    if not items:
        typer.echo("nothing to review")
        return
    for it in items:
        low = it.confidence < settings.review_threshold or not it.unsure_fields
        why = ("role mismatch" if it.role_mismatch else "title conflict" if it.conflict
               else f"confidence {it.confidence:.2f}" if low else "unsure " + ",".join(it.unsure_fields))
        typer.echo(f"{it.doc_id}  {it.doc_type:20} {why:16} {it.role or '-':14} {Path(it.source).name}")
    typer.echo(f"{len(items)} document(s); threshold {settings.review_threshold}")


@app.command()
def show(doc_id: Annotated[str, typer.Argument(help="document id or a unique prefix")]) -> None:
    """One document: class, confidence, metadata with confidences, corrections, start of the text."""
    from pipeline.understand.review import ReviewError, corrections_of, find_document

    settings = get_settings()
    db.migrate(settings.db_url)
    with db.session_scope(settings.db_url) as s:
        try:
            doc = find_document(s, doc_id)
        except ReviewError as e:
            typer.echo(f"error: {e}", err=True)
            raise typer.Exit(2) from e
        typer.echo(f"document {doc.id}  source {doc.source}")
        typer.echo(f"doc_type {doc.doc_type}  confidence {doc.doc_type_confidence:.3f}  role {doc.role or '-'}"
                   f"  role_mismatch {doc.role_mismatch}  review {doc.review}")
        info = doc.classification or {}
        if info.get("conflict"):
            typer.echo(f"title/body conflict: the title says {info.get('title')}, the body reads {info.get('body')}")
        for cue in info.get("cues", []):
            typer.echo(f"  cue: {cue}")
        for k, v in doc.fields.items():
            typer.echo(f"  {k:18} {v}  ({doc.field_confidence.get(k, '-')})")
        for p in doc.parties or []:
            ident = f"  {p['so_dinh_danh']}" if p.get("so_dinh_danh") else ""
            conf = f"  ({p['confidence']})" if p.get("confidence") is not None else ""
            typer.echo(f"  party {p['role']}: {p['ho_ten']}{ident}{conf}")
        for c in corrections_of(s, doc.id):
            typer.echo(f"  corrected {c.field}: {c.old_value!r} -> {c.new_value!r} by {c.by} at {show_time(c.at)}")
        typer.echo("--- text ---")
        typer.echo(doc.text[:1500])


@app.command()
def fix(
    doc_id: Annotated[str, typer.Argument(help="document id or a unique prefix")],
    by: Annotated[str, typer.Option("--by", help="who makes the correction")],
    doc_type: Annotated[str | None, typer.Option("--doc-type", help="the right class")] = None,
    role: Annotated[str | None, typer.Option("--role", help="thanh_phan, ket_qua_xu_ly or ket_qua")] = None,
    set_: Annotated[list[str] | None, typer.Option("--set", help="key=value (empty value removes the key)")] = None,
) -> None:
    """Correct (or, with no --doc-type/--role/--set, confirm) a document; record.json and object metadata follow."""
    from pipeline.keep.store import StoreError, open_store
    from pipeline.understand.review import ReviewError, apply_correction

    fields: dict[str, str] = {}
    for item in set_ or []:
        key, sep, value = item.partition("=")
        if not sep:
            raise typer.BadParameter(f"{item!r}: expected key=value", param_hint="--set")
        fields[key.strip()] = value
    settings = get_settings()
    db.migrate(settings.db_url)
    try:
        record = apply_correction(settings, open_store(settings), doc_id, by=by, doc_type=doc_type, role=role,
                                  fields=fields)
    except (ReviewError, StoreError) as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from e
    typer.echo(f"{record.doc_id}: doc_type {record.doc_type}; {len(fields)} field(s) set; review cleared")


def train(
    from_scratch: Annotated[bool, typer.Option(
        "--from-scratch", help="generated documents only, written to the bundled default (for developers)")] = False,
    per_class: Annotated[int | None, typer.Option(help="generated training documents per class")] = None,
    output: Annotated[Path | None, typer.Option(help="with --from-scratch: where to write the model")] = None,
) -> None:
    """Retrain the classifier on generated documents and the stored corrections; install it only if it
    is not worse than the model in force on the held-out generated set."""
    from pipeline.understand import learned
    from pipeline.understand.model import retrain
    from pipeline.understand.train import DEFAULT_PER_CLASS, accuracy, heldout_set, train_default

    n = per_class or DEFAULT_PER_CLASS
    if from_scratch:
        model = train_default(n)
        model.info["heldout_accuracy"] = round(accuracy(model, heldout_set()), 4)
        dest = output or learned.BUNDLED
        learned.save_model(model, dest)
        typer.echo(f"held-out accuracy {model.info['heldout_accuracy']:.4f}; wrote {dest}"
                   f" ({dest.stat().st_size // 1024} KiB, {model.info['documents']} training texts)")
        return
    settings = get_settings()
    settings.ensure_dirs()
    db.migrate(settings.db_url)
    report = retrain(settings.data, settings.db_url, per_class=n)
    typer.echo(report.message)
    if not report.installed:
        raise typer.Exit(1)
