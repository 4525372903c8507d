"""Report generation over a large register: seconds and peak memory on SQLite and PostgreSQL.

    .venv/bin/python bench/report.py                                  # 10k, 100k, 1M dossiers; both databases
    .venv/bin/python bench/report.py --sizes 100000 --db sqlite       # one quick run
    .venv/bin/python bench/report.py --keep                           # keep the data and reuse it next time

Target (issue 6): for 1,000,000 register rows and 3,000,000 documents, under 10 s on PostgreSQL and
under 30 s on SQLite, with peak memory independent of the row count.

Data are generated in Python, repeatably (every value derives from the dossier's number through a
hash), and loaded in bulk: COPY on PostgreSQL, executemany in one transaction per table on SQLite,
with secondary indexes dropped and foreign-key checks off during the load (the rows are consistent by
construction), the indexes built afterwards. Per dossier of 2026 (received in order over the year,
a 3-level unit tree: province → 100 communes → an office each): 0 to 5 documents (2.9 on average,
one dossier in ten none; the result last, for most completed dossiers), 1 to 3 pages a document (one
in sixteen scanned below the bar, one document in ten born-digital), a reuse link for one dossier in
twenty; plus documents with no dossier up to the document count. Then the report's per-dossier and
per-document tables are filled by the migration's set-based backfill (`metric_state.rebuild`, timed
as "backfill"). Documents carry a short text: the report never reads it (real OCR text would make the
database tens of gigabytes and change nothing measured here but the backfill).

Each size: `compute` for the whole year 2026 (the worst case: every dossier, every document) in a
fresh process, then `dossier_details` streamed through in another, its sums checked against the
report's numerators and denominators; each peak RSS printed is that process's own. Last, one
Prometheus scrape of the web app's /metrics collector (pipeline/index/prom.py; without Redis), which reads
the same database at every scrape. The load average
when each measure starts is printed: the machine is shared.

`--keep` keeps the data, SQLite files in bench/.cache/ (gitignored) and PostgreSQL databases named
sohoa_bench_report_<dossiers>_<documents>_v<N>, and reuses them instead of building again.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from pipeline.keep import db  # noqa: E402

GENERATOR_VERSION = 1  # bump when the generated data change: kept data of another version are not reused
CACHE = ROOT / "bench" / ".cache"
PERIOD, AS_OF = "2026", date(2027, 1, 31)
LOADED = ("register_entry", "dossier", "document", "page", "dossier_link")

PROCEDURES = [("1.001193", True, "giay_khai_sinh"), ("1.000894", True, "gcn_ket_hon"),
              ("1.000656", True, "trich_luc_ho_tich"), ("1.004873", True, "xac_nhan_tthn"),
              ("2.000635", True, "trich_luc_ho_tich"), ("2.000815", False, "ban_sao_chung_thuc"),
              ("2.000884", False, "khac")]
COMPONENT_TYPES = ("don", "to_khai", "can_cuoc", "giay_chung_sinh", "khac", "to_khai")
DOCS_OF = (0, 1, 2, 2, 3, 3, 4, 4, 5, 5)  # documents of a dossier, by a hash of its number: 2.9 on average
FIELDS = {  # a document's metadata: everything read, or one mandatory field missing
    "don": ('{"ho_ten": "Nguyễn Thị Hoa"}', '{}'),
    "to_khai": ('{"ho_ten": "Lê Văn An", "so_dinh_danh": "044196001234"}', '{"so_dinh_danh": "044196001234"}'),
    "can_cuoc": ('{"ho_ten": "Lê Văn An", "so_dinh_danh": "044196001234"}', '{"ho_ten": "Lê Văn An"}'),
    "giay_chung_sinh": ('{"ho_ten": "Lê Thị Mai", "ngay_ban_hanh": "2026-01-02"}', '{"ho_ten": "Lê Thị Mai"}'),
    "khac": ('{}', '{}'),
    "giay_khai_sinh": ('{"ho_ten": "Lê Thị Mai", "so_dinh_danh": "044226001234", "ngay_ban_hanh": "2026-01-05"}',
                       '{"ho_ten": "Lê Thị Mai", "ngay_ban_hanh": "2026-01-05"}'),
    "gcn_ket_hon": ('{"ngay_ban_hanh": "2026-02-01"}', '{}'),
    "trich_luc_ho_tich": ('{"ho_ten": "Trần Văn Ba", "so_dinh_danh": "044170001234", "ngay_ban_hanh": "2026-03-01"}',
                          '{"ho_ten": "Trần Văn Ba"}'),
    "xac_nhan_tthn": ('{"ho_ten": "Trần Văn Ba", "so_dinh_danh": "044170001234", "ngay_ban_hanh": "2026-03-01"}',
                      '{"so_dinh_danh": "044170001234", "ngay_ban_hanh": "2026-03-01"}'),
    "ban_sao_chung_thuc": ('{"ngay_ban_hanh": "2026-04-01"}', '{}'),
}
TEXT = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n" * 2


def _h(k: int, salt: int) -> int:
    """A repeatable hash of a number (splitmix64): every table derives the same dossier from it."""
    x = (k * 0x9E3779B97F4A7C15 + salt * 0xD1B54A32D192ED03) & 0xFFFFFFFFFFFFFFFF
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return x ^ (x >> 31)


# --- the generated data -----------------------------------------------------------------------------
class Plan:
    """What dossier k is: its code, unit, procedure, dates and documents."""

    __slots__ = ("code", "completed", "docs", "k", "paper", "proc", "received", "result", "result_type", "unit")

    def __init__(self, k: int, n: int) -> None:
        self.k = k
        c = k % 100 + 1
        self.unit = f"H50.{c}.1" if k % 3 == 0 else f"H50.{c}"
        self.received = date(2026, 1, 1) + timedelta(days=k * 365 // n)
        self.code = f"{self.unit}-{self.received:%y%m%d}-{k:07d}"
        self.proc, self.paper, self.result_type = PROCEDURES[_h(k, 1) % len(PROCEDURES)]
        self.completed = self.received + timedelta(days=1 + _h(k, 2) % 14) if _h(k, 3) % 100 < 85 else None
        self.docs = DOCS_OF[_h(k, 4) % len(DOCS_OF)]
        # the result digitised: for most completed dossiers with more than one document
        self.result = self.completed is not None and self.docs >= 2 and _h(k, 5) % 10 < 8


def _at(d: date, hour: int) -> datetime:
    return datetime(d.year, d.month, d.day, hour, tzinfo=UTC)


def in_dossiers(n: int, limit: int) -> int:
    return min(limit, sum(DOCS_OF[_h(k, 4) % len(DOCS_OF)] for k in range(n)))


def register_rows(n: int, _d: int) -> Iterator[tuple[Any, ...]]:
    for k in range(n):
        p = Plan(k, n)
        paper = (_h(k, 6) % 2 == 0) if _h(k, 7) % 20 == 0 else None  # the register seldom says
        yield (p.code, p.proc, p.unit, p.received, p.received + timedelta(days=15), p.completed,
               "truc_tuyen" if k % 2 else "truc_tiep", paper, _h(k, 8) % 25 == 0, _h(k, 9) % 10 < 4,
               _h(k, 10) % 10 < 3, "so-dang-ky-2026.xlsx", k + 2, _at(date(2027, 1, 5), 1))


def dossier_rows(n: int, d: int) -> Iterator[tuple[Any, ...]]:
    left = in_dossiers(n, d)
    for k in range(n):
        p = Plan(k, n)
        if p.docs and left > 0:
            left -= p.docs
            yield (p.code, p.unit, p.proc, _at(p.received, 2))


def _documents(n: int, d: int) -> Iterator[tuple[Plan | None, int, str, str, datetime]]:
    """(plan, m, role, doc_type, created_at) of every document: those of dossiers, then those of none."""
    left = in_dossiers(n, d)
    for k in range(n):
        p = Plan(k, n)
        for m in range(min(p.docs, left)):
            if p.result and m == p.docs - 1:
                assert p.completed is not None
                yield p, m, "ket_qua", p.result_type, _at(p.completed, 8)
            else:
                role = "ket_qua_xu_ly" if _h(k * 8 + m, 11) % 15 == 0 else "thanh_phan"
                kind = COMPONENT_TYPES[_h(k * 8 + m, 12) % len(COMPONENT_TYPES)]
                yield p, m, role, kind, _at(p.received + timedelta(days=m % 2), 1 + m)
        left -= min(p.docs, left)
    for j in range(d - in_dossiers(n, d)):
        yield None, j, "thanh_phan", "khac", _at(date(2026, 1, 1) + timedelta(days=j * 365 // max(1, d)), 4)


def _doc_id(p: Plan | None, m: int) -> str:
    return f"{p.k:010d}-{m}" if p is not None else f"none-{m:010d}"


def document_rows(n: int, d: int) -> Iterator[tuple[Any, ...]]:
    for p, m, role, kind, created in _documents(n, d):
        i = _doc_id(p, m)
        salt = (p.k * 8 + m) if p else -m - 1
        full, partial = FIELDS[kind]
        digital = _h(salt, 13) % 10 == 0
        pages = 1 + _h(salt, 14) % 3
        unit, code = (p.unit, p.code) if p else (f"H50.{m % 100 + 1}", None)
        yield (i, i.ljust(64, "0"), unit, role, f"{code or 'scan'}.{m + 1}.pdf", kind,
               0.55 + (_h(salt, 15) % 45) / 100, False, _h(salt, 16) % 12 == 0, code, pages,
               0 if digital else pages, pages if digital else 0, None if digital else 88.5,
               partial if _h(salt, 17) % 5 == 0 else full, "{}", TEXT, f"{i}/", "[]", created)


def page_rows(n: int, d: int) -> Iterator[tuple[Any, ...]]:
    for p, m, _role, _kind, _created in _documents(n, d):
        salt = (p.k * 8 + m) if p else -m - 1
        digital = _h(salt, 13) % 10 == 0
        for no in range(1, 2 + _h(salt, 14) % 3):
            low = not digital and _h(salt * 4 + no, 18) % 16 == 0
            yield (_doc_id(p, m), no, "text_layer" if digital else "ocr", None if digital else 88.5, 3, 2480, 3508,
                   150.0 if low else 300.0, "grey" if low else "colour", None if digital else not low, 0)


def link_rows(n: int, d: int) -> Iterator[tuple[Any, ...]]:
    """One dossier in twenty links a component of an earlier dossier (reuse)."""
    left = in_dossiers(n, d)
    has_docs = []
    for k in range(n):  # which dossiers got documents: only those can hold a first copy
        docs = min(DOCS_OF[_h(k, 4) % len(DOCS_OF)], left)
        left -= docs
        has_docs.append(docs > 0)
    for k in range(200, n):
        if _h(k, 19) % 20:
            continue
        first = next((j for j in range(k - 1 - _h(k, 20) % 150, -1, -1) if has_docs[j]), None)
        if first is None:
            continue
        p = Plan(k, n)
        yield (p.code, _doc_id(Plan(first, n), 0), "thanh_phan", "so_ky_hieu" if k % 2 else "sha256",
               f"{p.code}.1.pdf", _at(p.received, 9))


TABLES: Sequence[tuple[str, str, Callable[[int, int], Iterator[tuple[Any, ...]]]]] = (
    ("register_entry", "ma_ho_so, ma_thu_tuc, unit, received_on, due_on, completed_on, channel, paper_result, "
     "reused, ket_noi_kho, du_lieu_dan_cu, source_file, source_line, imported_at", register_rows),
    ("dossier", "ma_ho_so, unit, ma_thu_tuc, first_seen", dossier_rows),
    ("document", "id, sha256, unit, role, source, doc_type, doc_type_confidence, role_mismatch, review, ma_ho_so, "
     "pages, pages_ocr, pages_text_layer, mean_confidence, fields, field_confidence, text, prefix, outputs, "
     "created_at", document_rows),
    ("page", "document_id, page_no, source, mean_confidence, low_confidence_words, width_px, height_px, dpi, "
     "colour, compliant, rotated", page_rows),
    ("dossier_link", "ma_ho_so, document_id, role, via, source, linked_at", link_rows),
)


def _reference_rows(conn: Any) -> None:
    """The unit tree and the procedures list (small)."""
    conn.execute(text("INSERT INTO unit (code, name, parent_code) VALUES ('H50', 'Tỉnh Quảng Trị', NULL)"))
    for c in range(1, 101):
        conn.execute(text("INSERT INTO unit (code, name, parent_code) VALUES (:c, :n, 'H50'), (:o, :on, :c)"),
                     {"c": f"H50.{c}", "n": f"Xã {c}", "o": f"H50.{c}.1", "on": f"Một cửa xã {c}"})
    for code, paper, _ in PROCEDURES:
        conn.execute(text("INSERT INTO procedure (code, name, paper_result) VALUES (:c, :c, :p)"),
                     {"c": code, "p": paper})


# --- loading ------------------------------------------------------------------------------------------
def _sqlite_value(v: Any) -> Any:
    if isinstance(v, datetime):
        return v.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")  # SQLAlchemy's own storage format
    if isinstance(v, date):
        return v.isoformat()
    return v


def _load_sqlite(path: Path, n: int, d: int) -> dict[str, int]:
    con = sqlite3.connect(path)
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA foreign_keys=OFF")
    indexes = con.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({', '.join('?' * len(LOADED))})", LOADED
    ).fetchall()
    for name, _ in indexes:
        con.execute(f'DROP INDEX "{name}"')
    counts = {}
    for table, cols, rows in TABLES:
        marks = ", ".join("?" * len(cols.split(",")))
        counts[table] = 0
        with con:
            batch: list[tuple[Any, ...]] = []
            for r in rows(n, d):
                batch.append(tuple(_sqlite_value(v) for v in r))
                if len(batch) == 50_000:
                    con.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", batch)
                    counts[table] += len(batch)
                    batch.clear()
            con.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", batch)
            counts[table] += len(batch)
    with con:
        for _, sql in indexes:
            con.execute(sql)
    con.close()
    return counts


def _pg_plain(url: str) -> str:
    return url.replace("+psycopg", "")


def _load_postgres(url: str, n: int, d: int) -> dict[str, int]:
    import psycopg

    counts = {}
    with psycopg.connect(_pg_plain(url)) as con:
        con.execute("SET session_replication_role = replica")  # no foreign-key triggers: consistent by construction
        indexes = con.execute(
            "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            "JOIN pg_class t ON t.oid = x.indrelid WHERE t.relname = ANY(%s) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)", (list(LOADED),)
        ).fetchall()
        for name, _ in indexes:
            con.execute(f'DROP INDEX "{name}"')
        for table, cols, rows in TABLES:
            counts[table] = 0
            with con.cursor().copy(f"COPY {table} ({cols}) FROM STDIN") as cp:
                for r in rows(n, d):
                    cp.write_row(r)
                    counts[table] += 1
        for _, sql in indexes:
            con.execute(sql)
    return counts


def populate(url: str, n: int, d: int) -> dict[str, Any]:
    from pipeline.keep.metric_state import rebuild

    db.migrate(url)
    eng = db.engine_for(url)
    with eng.begin() as c:
        _reference_rows(c)
    t0 = time.perf_counter()
    counts = _load_postgres(url, n, d) if url.startswith("postgresql") else _load_sqlite(
        Path(url.split("///", 1)[1]), n, d)
    built = time.perf_counter() - t0
    t0 = time.perf_counter()
    with eng.begin() as c:
        for name in ("ix_document_quality_created",):
            c.execute(text(f"DROP INDEX {name}"))  # built once after the backfill, as the migration does
        rebuild(c)
        c.execute(text("CREATE INDEX ix_document_quality_created ON document_quality (created_at, unit, review, "
                       "fields_read, fields_mandatory, pages_ok, pages_judged)"))
    backfill = time.perf_counter() - t0
    with eng.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.execute(text("VACUUM ANALYZE" if eng.dialect.name == "postgresql" else "ANALYZE"))
    eng.dispose()
    return {"counts": counts, "build_seconds": built, "backfill_seconds": backfill}


# --- measuring (each in a fresh process) ----------------------------------------------------------------
def measure(kind: str, url: str) -> dict[str, Any]:
    from pipeline.index.metrics import compute, dossier_details, parse_period

    db.migrate(url)  # data kept from an earlier run get any newer migration first (not timed)
    db.engine_for(url).dispose()
    t0 = time.perf_counter()
    out: dict[str, Any] = {}
    if kind == "scrape":
        from prometheus_client import generate_latest

        from pipeline.config import Settings
        from pipeline.index.prom import registry_for

        text = generate_latest(registry_for(Settings(database_url=url, redis_url=""))).decode()
        out = {"families": text.count("# TYPE ")}
    elif kind == "report":
        r = compute(url, parse_period(PERIOD), as_of=AS_OF)
        out = {"dossiers": r.total.dossiers, "units": len(r.units), "points": r.total.points,
               "sums": {i.key: [i.numerator, i.denominator] for i in r.total.indicators},
               "documents": next(q.denominator for q in r.total.quality if q.key == "review_rate")}
    else:
        sums: dict[str, list[int]] = {}
        rows = 0
        for row in dossier_details(url, parse_period(PERIOD), as_of=AS_OF):
            rows += 1
            for key in row.numerator:
                sums.setdefault(key, [0, 0])[0] += 1
            for key in row.denominator:
                sums.setdefault(key, [0, 0])[1] += 1
        out = {"dossiers": rows, "sums": sums}
    out["seconds"] = time.perf_counter() - t0
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def peak_rss_mb() -> float:
    """This process's peak resident memory since it started. Not getrusage's ru_maxrss: Linux keeps that
    across fork and exec, so a child would report its parent's peak (here the data generator's)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run_measure(kind: str, url: str) -> dict[str, Any]:
    load = os.getloadavg()[0]
    p = subprocess.run([sys.executable, __file__, "--measure", kind, url], check=True, capture_output=True, text=True)
    res: dict[str, Any] = json.loads(p.stdout.strip().splitlines()[-1])
    res["load"] = load
    return res


# --- one size on one database -------------------------------------------------------------------------------
def _pg_admin() -> str:
    return os.environ.get("SOHOA_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def _pg_exec(sql: str) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(_pg_plain(_pg_admin()), autocommit=True) as c:
        cur = c.execute(sql)
        return cur.fetchall() if cur.description else []


def run_size(kind: str, n: int, d: int, keep: bool, tmp: Path) -> dict[str, Any]:
    tag = f"{n}_{d}_v{GENERATOR_VERSION}"
    base = _pg_admin().rsplit("/", 1)[0]
    built: dict[str, Any] = {"build_seconds": 0.0, "backfill_seconds": 0.0, "counts": {}}
    if kind == "sqlite":
        final = (CACHE if keep else tmp) / f"report-{tag}.db"
        url = f"sqlite:///{final}"
        if not final.exists():
            final.parent.mkdir(parents=True, exist_ok=True)
            partial = final.with_suffix(".partial")
            for f in final.parent.glob(partial.name + "*"):
                f.unlink()
            built = populate(f"sqlite:///{partial}", n, d)
            partial.rename(final)  # only a complete build is reused
    else:
        name = f"sohoa_bench_report_{tag}" if keep else f"sohoa_bench_{uuid.uuid4().hex[:8]}"
        url = f"{base}/{name}"
        if not _pg_exec(f"SELECT 1 FROM pg_database WHERE datname = '{name}'"):
            partial = f"{name}_partial"
            _pg_exec(f'DROP DATABASE IF EXISTS "{partial}" WITH (FORCE)')
            _pg_exec(f'CREATE DATABASE "{partial}"')
            built = populate(f"{base}/{partial}", n, d)
            _pg_exec(f'ALTER DATABASE "{partial}" RENAME TO "{name}"')
    try:
        report = _run_measure("report", url)
        details = _run_measure("details", url)
        scrape = _run_measure("scrape", url)
    finally:
        if kind == "postgresql" and not keep:
            _pg_exec(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
    if details["dossiers"] != report["dossiers"] or any(
        details["sums"].get(k, [0, 0]) != v for k, v in report["sums"].items()
    ):
        raise SystemExit(f"{kind} {n}: the dossier list does not add up to the report: {details} vs {report}")
    return {**built, "report": report, "details": details, "scrape": scrape}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000,1000000", help="register rows, comma-separated")
    ap.add_argument("--documents-per-dossier", type=float, default=3.0)
    ap.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    ap.add_argument("--keep", action="store_true", help="keep the built data (bench/.cache/, PostgreSQL) and reuse it")
    ap.add_argument("--measure", nargs=2, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.measure:
        print(json.dumps(measure(*a.measure)))
        return
    kinds = ["sqlite", "postgresql"] if a.db == "both" else [a.db]
    sizes = [int(s) for s in a.sizes.split(",")]
    print(f"{'database':10s} {'dossiers':>9s} {'documents':>9s} {'pages':>9s}  {'build':>6s} {'backfill':>8s}  "
          f"{'report':>7s} {'RSS':>7s} {'load':>4s}  {'list':>7s} {'RSS':>7s}  {'scrape':>7s}  points")
    with tempfile.TemporaryDirectory(prefix="sohoa-bench-") as tmp:
        for kind in kinds:
            for n in sizes:
                d = round(n * a.documents_per_dossier)
                r = run_size(kind, n, d, a.keep, Path(tmp))
                rep, det = r["report"], r["details"]
                pages = r["counts"].get("page", "kept")
                print(f"{kind:10s} {rep['dossiers']:>9,d} {rep['documents']:>9,d} {pages:>9}  "
                      f"{r['build_seconds']:5.0f}s {r['backfill_seconds']:7.1f}s  "
                      f"{rep['seconds']:6.2f}s {rep['peak_rss_mb']:5.0f}MB {rep['load']:4.1f}  "
                      f"{det['seconds']:6.1f}s {det['peak_rss_mb']:5.0f}MB  {r['scrape']['seconds']:6.2f}s  "
                      f"{rep['points']}", flush=True)


if __name__ == "__main__":
    main()
