"""The `sohoa` command: the front door that wires pipeline/, workers/ and web/ together."""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from pipeline.catalogue import ROLE_FOLDERS, ROLES
from pipeline.config import Settings, get_settings
from pipeline.keep import db
from pipeline.redis_client import masked

app = typer.Typer(help="sohoa: digitise Vietnamese administrative dossiers.", no_args_is_help=True)
from sohoa.commands import review as _review  # noqa: E402

app.add_typer(_review.app, name="review")
app.command("train")(_review.train)
from sohoa.commands import register as _register  # noqa: E402
from sohoa.commands.report import report as _report  # noqa: E402

app.command("import-register")(_register.import_register_cmd)
app.add_typer(_register.procedures_app, name="procedures")
app.add_typer(_register.units_app, name="units")
app.command("report")(_report)
from sohoa.commands import dossiers as _dossiers  # noqa: E402

app.add_typer(_dossiers.app, name="dossiers")
from sohoa.commands import users as _users  # noqa: E402

app.add_typer(_users.app, name="users")
log = logging.getLogger("sohoa")


# Libraries that speak at INFO about their own start-up (alembic's migration context, pikepdf's logger
# bridge): an operator reading a log wants what sohoa did, and their warnings still show.
QUIET_LOGGERS = ("alembic", "pikepdf")


def _logging(verbose: bool = False) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    _quiet_libraries()


def _quiet_libraries() -> None:
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def _ready(settings: Settings) -> None:
    settings.ensure_dirs()
    db.migrate(settings.db_url)


class OutputFormat(StrEnum):
    jsonl = "jsonl"
    table = "table"


def _files(paths: list[Path], data_dir: Path) -> list[Path]:
    """Files to process. The data dir is skipped when a folder holds it (`sohoa process .` must not
    read the spool, the store and done/ again), not when the folder is inside it (`sohoa process
    sohoa-data/done/2026-12-02`); whatever is skipped, and a folder that gives nothing, is said."""
    from pipeline.intake.watch import candidates, ignored

    out: list[Path] = []
    for p in paths:
        if not p.is_dir():
            if ignored(p):
                typer.echo(f"{p}: skipped (a temporary or system file)", err=True)
            else:
                out.append(p)
            continue
        inside = p.resolve().is_relative_to(data_dir)
        found = sorted(candidates(p))
        kept = [f for f in found if inside or not f.resolve().is_relative_to(data_dir)]
        if len(kept) < len(found):
            typer.echo(f"{p}: skipped {len(found) - len(kept)} file(s) under the data dir {data_dir} "
                       "(give that folder itself to process them)", err=True)
        elif not found:
            typer.echo(f"{p}: no scans found (PDF, TIFF, JPEG or PNG; temporary and hidden files are left alone)",
                       err=True)
        out.extend(kept)
    return out


def _place_from_path(path: Path) -> tuple[str | None, str | None]:
    """`…/<unit>/<role-folder>/file` gives unit and role when the folders say so."""
    from pipeline.vn.codes import parse_unit_code

    for i, part in enumerate(path.resolve().parts[:-1]):
        role = ROLE_FOLDERS.get(part.lower())
        if role and i > 0:
            return parse_unit_code(path.resolve().parts[i - 1]), role
    return None, None


@app.command()
def process(
    paths: Annotated[list[Path], typer.Argument(help="files or folders", exists=True)],
    fmt: Annotated[OutputFormat, typer.Option("--format", help="jsonl or table")] = OutputFormat.jsonl,
    role: Annotated[str | None, typer.Option(help="thanh_phan, ket_qua_xu_ly or ket_qua")] = None,
    unit: Annotated[str | None, typer.Option(help="unit code, e.g. H50.12")] = None,
) -> None:
    """Run the pipeline in this process on files or folders and print one record per document."""
    from pipeline.batch import process_files
    from pipeline.isolate import Pool
    from pipeline.keep.store import open_store

    if role is not None:
        role = ROLE_FOLDERS.get(role, role)
        if role not in ROLES:
            raise typer.BadParameter(f"role must be one of {', '.join(ROLES)}", param_hint="--role")
    os.environ["OMP_THREAD_LIMIT"] = "1"  # parallel pages come from processes, never tesseract threads
    settings = get_settings()
    _ready(settings)
    store = open_store(settings)
    files = []
    for f in _files(paths, settings.data):
        guessed_unit, guessed_role = _place_from_path(f)
        files.append((f, unit or guessed_unit, role or guessed_role))
    rows: list[dict[str, Any]] = []
    # Our own pool, not ProcessPoolExecutor: one child dying there broke the pool and failed every later
    # file; here it costs its own file, with the reason (pipeline/isolate.py).
    pool = Pool(settings.workers, memory_mb=settings.child_memory_mb, timeout=settings.file_seconds)
    try:
        for out in process_files(files, settings, store, pool):
            line = out.model_dump(mode="json", exclude_none=True)
            if fmt is OutputFormat.jsonl:
                typer.echo(json.dumps(line, ensure_ascii=False))
            else:
                rows.append(line)
    finally:
        pool.shutdown(cancel_futures=True)
        st = pool.stats
        typer.echo(f"children: {st.started} started, {st.crashed} crashed, {st.timeouts} timed out, {st.memory} "
                   f"over the memory limit; largest {st.max_rss_mb:.0f} MB", err=True)
    if fmt is OutputFormat.table:
        _print_table(rows)


def _print_table(rows: list[dict[str, Any]]) -> None:
    head = ("source", "pages", "doc_type", "conf", "so_ky_hieu", "ngay_ban_hanh", "ma_ho_so", "ocr/text")
    table = [head]
    for r in rows:
        if "error" in r:
            table.append((Path(r["source"]).name, "-", "ERROR " + r["error"]["code"], "", "", "", "", ""))
            continue
        md = r.get("metadata", {})
        table.append(
            (
                Path(r["source"]).name + (" (dup)" if r.get("duplicate_of") else ""),
                str(r["pages"]),
                r["doc_type"],
                f"{r['doc_type_confidence']:.2f}",
                md.get("so_ky_hieu", ""),
                md.get("ngay_ban_hanh", ""),
                md.get("ma_ho_so", ""),
                f"{r['ocr']['pages_ocr']}/{r['ocr']['pages_text_layer']}",
            )
        )
    widths = [max(len(str(row[i])) for row in table) for i in range(len(head))]
    for row in table:
        typer.echo("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


@app.command()
def status(as_json: Annotated[bool, typer.Option("--json", help="machine-readable")] = False) -> None:
    """Counts: received, processed, duplicates, quarantined, in flight, failed, per unit and role."""
    from pipeline.index.status import COLUMNS
    from pipeline.index.status import status as compute

    settings = get_settings()
    _ready(settings)
    s = compute(settings.db_url)
    if as_json:
        typer.echo(json.dumps(s, ensure_ascii=False, indent=2))
        return
    head = ("unit", "role", *COLUMNS)
    table = [head] + [tuple(str(r[k]) for k in head) for r in s["by_unit_role"]]
    table.append(("ALL", "", *(str(s["totals"][k]) for k in COLUMNS)))
    widths = [max(len(row[i]) for row in table) for i in range(len(head))]
    for row in table:
        typer.echo("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    typer.echo(
        f"documents {s['documents']}  pages {s['pages']} (ocr {s['pages_ocr']}, text layer {s['pages_text_layer']})"
        f"  dossiers {s['dossiers']}  to review {s['review']}  in no dossier {s['unlinked']}"
    )


@app.command()
def samples(
    out: Annotated[Path, typer.Argument(help="output folder")],
    n: Annotated[int, typer.Option("--n", help="how many documents")] = 10,
    seed: Annotated[int, typer.Option(help="random seed")] = 0,
    batches: Annotated[int, typer.Option(help="also this many scan batches (slips, papers, blank sheets)")] = 0,
    family: Annotated[str, typer.Option(help="template family: A (the original templates), B (the second, "
                                             "independent family) or AB (both in turn)")] = "A",
) -> None:
    """Generate realistic sample documents with their ground truth (labels.jsonl, batches.jsonl)."""
    from pipeline.samples import FAMILY_CHOICES, generate

    if family not in FAMILY_CHOICES:
        raise typer.BadParameter(f"{family!r}: one of {', '.join(FAMILY_CHOICES)}", param_hint="--family")
    labels = generate(out, n=n, seed=seed, family=family)
    typer.echo(f"{len(labels)} documents of family {family} in {out} (labels in {out / 'labels.jsonl'})")
    if batches:
        from pipeline.samples.batch import generate_batches

        made = generate_batches(out, n=batches, seed=seed)
        typer.echo(f"{len(made)} scan batches of {sum(len(b.documents) for b in made)} documents "
                   f"(truth in {out / 'batches.jsonl'})")


@app.command()
def worker(
    queues: Annotated[str, typer.Option(help="comma-separated queues")] = "ingest,ocr,post",
    concurrency: Annotated[int | None, typer.Option(help="processes (default: cores)")] = None,
    loglevel: Annotated[str, typer.Option()] = "INFO",
) -> None:
    """A Celery worker (one process per core, OMP_THREAD_LIMIT=1)."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    _quiet_libraries()
    settings = get_settings()
    _ready(settings)
    # The pool forks after this: a pooled database connection inherited by several children would be
    # one socket spoken to by many processes (PostgreSQL: "unexpected result ... from command 'BEGIN'").
    db.engine_for(settings.db_url).dispose()
    from workers.app import app as celery_app

    n = concurrency or settings.workers
    celery_app.worker_main(
        [
            "worker", "-Q", queues, "-c", str(n), "--loglevel", loglevel,
            "-n", f"sohoa-{os.getpid()}@%h", "--without-gossip", "--without-mingle",
        ]
    )


@app.command()
def watch() -> None:
    """Watch the inbox: claim stable files into the spool and queue them (recovering unfinished ones first)."""
    _logging()
    settings = get_settings()
    _ready(settings)
    from pipeline.intake.recover import recover
    from pipeline.intake.watch import InboxWatcher
    from workers.tasks import enqueue

    n = recover(settings, enqueue)
    if n:
        log.info("recovered %d unfinished file(s)", n)
    watcher = InboxWatcher(settings, enqueue)
    signal.signal(signal.SIGTERM, lambda *_: watcher.stop())
    log.info("watching %s", settings.inbox)
    try:
        watcher.run()
    except KeyboardInterrupt:
        watcher.stop()


@app.command()
def web(
    host: Annotated[str | None, typer.Option()] = None,
    port: Annotated[int | None, typer.Option()] = None,
) -> None:
    """The web app (status page, review, JSON API), behind a login; the first start makes an admin."""
    import uvicorn

    from pipeline.accounts.users import bootstrap_admin
    from web.app import create_app

    settings = get_settings()
    _ready(settings)
    if said := bootstrap_admin(settings):
        typer.echo(said, err=True)
    app_ = create_app(settings)
    # The client address (login limits, the access log) from X-Forwarded-For only when a trusted proxy sent it.
    uvicorn.run(app_, host=host or settings.web_host, port=port or settings.web_port, log_level="warning",
                proxy_headers=True, forwarded_allow_ips=settings.web_trusted_proxies)


def _idle(settings: Settings) -> bool:
    from sqlalchemy import func, select

    from pipeline.intake.watch import candidates
    from pipeline.keep.models import CLAIMED, QUEUED, Intake

    if next(iter(candidates(settings.inbox)), None) is not None:
        return False
    with db.session_scope(settings.db_url) as s:
        return not s.scalar(select(func.count()).select_from(Intake).where(Intake.state.in_((CLAIMED, QUEUED))))


@app.command()
def run(
    exit_when_idle: Annotated[bool, typer.Option(help="stop once the inbox is empty and nothing is in flight")] = False,
    timeout: Annotated[float, typer.Option(help="with --exit-when-idle: give up after this many seconds")] = 3600,
    web_app: Annotated[bool, typer.Option("--web/--no-web", help="serve the status page")] = True,
) -> None:
    """Everything on this machine: Redis (found or started), workers, the watcher and the web app."""
    _logging()
    code = _run(get_settings(), exit_when_idle=exit_when_idle, timeout=timeout, web_app=web_app)
    raise typer.Exit(code)


def _run(settings: Settings, *, exit_when_idle: bool, timeout: float, web_app: bool) -> int:
    from sohoa.services import Supervisor, resolve_redis

    _ready(settings)
    url, redis_proc = resolve_redis(settings)
    log.info("redis: %s%s", masked(url), " (started here)" if redis_proc else "")
    env = dict(os.environ)
    env.update(SOHOA_REDIS_URL=url, SOHOA_DATA_DIR=str(settings.data), OMP_THREAD_LIMIT="1")
    sup = Supervisor(env, settings.data / "logs")
    code = 0

    stop_reason = "Ctrl-C"

    def _terminate(*_: object) -> None:
        nonlocal stop_reason
        stop_reason = "SIGTERM"
        raise KeyboardInterrupt  # SIGTERM (a service manager, `timeout`) stops as cleanly as Ctrl-C

    signal.signal(signal.SIGTERM, _terminate)
    try:
        sup.sohoa("worker", "worker", "--concurrency", str(settings.workers))
        sup.sohoa("watch", "watch")
        if web_app:
            from pipeline.accounts.users import bootstrap_admin

            if said := bootstrap_admin(settings):  # here, so that it shows on the console and not in web.log
                log.info("%s", said)
            sup.sohoa("web", "web")
            log.info("status page: http://%s:%d/", settings.web_host, settings.web_port)
        log.info("inbox: %s/<unit code>/<thanh-phan|ket-qua-xu-ly|ket-qua>/", settings.inbox)
        started = time.monotonic()
        idle_checks = 0
        while True:
            time.sleep(1.0)
            if dead := sup.dead():
                for name in dead:
                    log.error("%s stopped unexpectedly; the end of its log:\n%s", name, sup.tail(name))
                if not all(sup.restart(name) for name in dead):
                    log.error("%s keeps stopping; giving up", ", ".join(dead))
                    code = 1
                    break
            if exit_when_idle:
                idle_checks = idle_checks + 1 if _idle(settings) else 0
                if idle_checks >= 3:
                    break
                if time.monotonic() - started > timeout:
                    log.error("not idle after %.0f s; giving up", timeout)
                    code = 1
                    break
    except KeyboardInterrupt:
        log.info("stopping (%s)", stop_reason)
    finally:
        sup.stop()
        if redis_proc is not None:
            redis_proc.terminate()
            redis_proc.wait(timeout=10)
    return code


@app.command()
def demo(
    n: Annotated[int, typer.Option("--n", help="how many sample documents")] = 8,
    seed: Annotated[int, typer.Option(help="random seed of the samples")] = 1,
) -> None:
    """Generate sample scans into the inbox, run until they are processed, and summarise."""
    from pipeline.index.status import status as compute
    from pipeline.samples import generate
    from schemas.samples import SampleLabel

    _logging()
    settings = get_settings()
    _ready(settings)
    sample_dir = settings.data / "samples"
    shutil.rmtree(sample_dir, ignore_errors=True)
    labels: list[SampleLabel] = generate(sample_dir, n=n, seed=seed)
    for label in labels:
        dest = settings.inbox / label.file
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(sample_dir / label.file, dest.with_name(dest.name + ".part"))
        os.replace(dest.with_name(dest.name + ".part"), dest)  # as a careful scanner would
    typer.echo(f"dropped {len(labels)} sample documents into {settings.inbox}")
    code = _run(settings, exit_when_idle=True, timeout=1800, web_app=False)
    s = compute(settings.db_url)
    t = s["totals"]
    typer.echo("")
    typer.echo("== sohoa demo ==")
    typer.echo(
        f"files received {t['received']}, digitised {t['processed']}, duplicates {t['duplicates']}, "
        f"quarantined {t['quarantined']}, in flight {t['in_flight']}"
    )
    typer.echo(
        f"documents {s['documents']}, pages {s['pages']} (OCR {s['pages_ocr']}, text layer {s['pages_text_layer']}), "
        f"dossiers {s['dossiers']}, sent to review {s['review']}"
    )
    typer.echo("types: " + ", ".join(f"{k} {v}" for k, v in s["doc_types"].items()))
    typer.echo(_accuracy(settings, labels))
    where = settings.s3_endpoint or str(settings.objects)
    typer.echo(f"objects: {where}   database: {masked(settings.db_url)}   quarantine: {settings.quarantine}")
    raise typer.Exit(code)


def _accuracy(settings: Settings, labels: list[Any]) -> str:
    """How the demo's documents compare with the generator's ground truth."""
    from sqlalchemy import select

    from pipeline.identity import sha256_file
    from pipeline.keep.models import Document

    right = total = 0
    with db.session_scope(settings.db_url) as s:
        for label in labels:
            sha = sha256_file(settings.data / "samples" / label.file)
            got = s.scalar(select(Document.doc_type).where(Document.sha256 == sha))
            if got is not None:
                total += 1
                right += got == label.doc_type
    return f"doc_type right for {right} of {total} documents compared with the samples' ground truth"


if __name__ == "__main__":
    app()
