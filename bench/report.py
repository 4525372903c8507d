"""Report generation over a large register: seconds and peak memory on SQLite and PostgreSQL.

    .venv/bin/python bench/report.py                       # 1,000,000 dossiers, 3,000,000 documents
    .venv/bin/python bench/report.py --dossiers 100000     # a quick run
    .venv/bin/python bench/report.py --db sqlite

Data are generated straight in the database with one INSERT … SELECT per table (generate_series on
PostgreSQL, a recursive CTE on SQLite): a 3-level unit tree (province → 100 communes → an office each),
dossiers spread over 2026, three documents a dossier (two components and, for most, a result), a page
a document, a reuse link for one dossier in twenty. Each size is built and then `sohoa report
--period 2026` (the whole year, the worst case) runs in a fresh process, so the peak RSS printed is the
report's own. The baseline is the same run at a tenth of the size: memory independent of the row count
shows as a memory ratio near 1 while the time ratio is near 10.
"""

# ruff: noqa: E501  (the generated SQL reads better on one line per clause)
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from pipeline import db  # noqa: E402

PROCEDURES = [("1.001193", 1), ("1.000894", 1), ("1.000656", 1), ("1.004873", 1), ("2.000635", 1),
              ("2.000815", 0), ("2.000884", 0)]


def _series(dialect: str, n: int) -> str:
    if dialect == "postgresql":
        return f"(SELECT g AS i FROM generate_series(0, {n - 1}) AS g) s"
    return f"(WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < {n - 1}) SELECT i FROM c) s"


def populate(url: str, dossiers: int, documents: int) -> float:
    t0 = time.perf_counter()
    db.migrate(url)
    eng = db.engine_for(url)
    pg = eng.dialect.name == "postgresql"
    day = (lambda e: f"(DATE '2026-01-01' + ({e})::int)") if pg else (lambda e: f"date('2026-01-01', '+' || ({e}) || ' days')")
    ts = (
        (lambda e: f"(TIMESTAMPTZ '2026-01-01 03:00:00+00' + ({e}) * INTERVAL '1 day')")
        if pg
        else (lambda e: f"strftime('%Y-%m-%d 03:00:00.000000', '2026-01-01', '+' || ({e}) || ' days')")
    )
    t, f = ("TRUE", "FALSE") if pg else ("1", "0")
    fmt = (lambda p, *a: f"format('{p.replace('%07d', '%s').replace('%d', '%s')}', {', '.join(a)})") if pg else (
        lambda p, *a: f"printf('{p}', {', '.join(a)})"
    )
    lpad = (lambda e, w: f"lpad(({e})::text, {w}, '0')") if pg else (lambda e, w: f"printf('%0{w}d', {e})")
    commune = "(i % 100 + 1)"
    unit = f"CASE WHEN i % 3 = 0 THEN {fmt('H50.%d.1', commune)} ELSE {fmt('H50.%d', commune)} END"
    code = fmt("H50.%d-26-%07d", commune, lpad("i", 7) if pg else "i")
    with eng.begin() as c:
        c.execute(text("INSERT INTO unit (code, name, parent_code) VALUES ('H50', 'Tỉnh Quảng Trị', NULL)"))
        c.execute(text(f"INSERT INTO unit (code, name, parent_code) SELECT {fmt('H50.%d', 'i + 1')}, "
                       f"{fmt('Xã %d', 'i + 1')}, 'H50' FROM {_series(eng.dialect.name, 100)}"))
        c.execute(text(f"INSERT INTO unit (code, name, parent_code) SELECT {fmt('H50.%d.1', 'i + 1')}, "
                       f"{fmt('Một cửa xã %d', 'i + 1')}, {fmt('H50.%d', 'i + 1')} FROM {_series(eng.dialect.name, 100)}"))
        for p, paper in PROCEDURES:
            c.execute(text(f"INSERT INTO procedure (code, name, paper_result) VALUES ('{p}', '{p}', {t if paper else f})"))
        proc = "CASE i % 7 " + " ".join(f"WHEN {k} THEN '{p}'" for k, (p, _) in enumerate(PROCEDURES)) + " END"
        c.execute(text(
            "INSERT INTO register_entry (ma_ho_so, ma_thu_tuc, unit, received_on, due_on, completed_on, channel, "
            "paper_result, reused, ket_noi_kho, du_lieu_dan_cu, source_file, source_line, imported_at) "
            f"SELECT {code}, {proc}, {unit}, {day('i % 365')}, {day('i % 365 + 10')}, "
            f"CASE WHEN i % 4 = 0 THEN NULL ELSE {day('i % 365 + 5')} END, 'truc_tuyen', NULL, "
            f"CASE WHEN i % 10 = 0 THEN {t} ELSE {f} END, CASE WHEN i % 2 = 0 THEN {t} ELSE {f} END, "
            f"CASE WHEN i % 5 = 0 THEN {t} ELSE {f} END, 'bench.csv', i, {ts('0')} FROM {_series(eng.dialect.name, dossiers)}"
        ))
        c.execute(text("INSERT INTO dossier (ma_ho_so, unit, ma_thu_tuc, first_seen) SELECT ma_ho_so, unit, ma_thu_tuc, "
                       "imported_at FROM register_entry"))
        # Document j belongs to dossier j mod N; the third round (j >= 2N) are results, for 4 in 5 dossiers.
        n = dossiers
        dj = f"(i % {n})"
        dcode = fmt("H50.%d-26-%07d", f"({dj} % 100 + 1)", lpad(dj, 7) if pg else dj)
        role = f"CASE WHEN i >= {2 * n} AND i % 5 <> 0 THEN 'ket_qua' ELSE 'thanh_phan' END"
        fields = ("CASE i % 3 WHEN 0 THEN '{\"ho_ten\": \"A\", \"so_dinh_danh\": \"044196001234\", \"so_trang\": \"1\"}' "
                  "WHEN 1 THEN '{\"so_ky_hieu\": \"1/QĐ-UBND\", \"ngay_ban_hanh\": \"2026-01-02\"}' ELSE '{}' END")
        doc_type = "CASE i % 3 WHEN 0 THEN 'giay_khai_sinh' WHEN 1 THEN 'quyet_dinh' ELSE 'khac' END"
        c.execute(text(
            "INSERT INTO document (id, sha256, unit, role, source, doc_type, doc_type_confidence, role_mismatch, review, "
            "ma_ho_so, pages, pages_ocr, pages_text_layer, mean_confidence, fields, field_confidence, text, prefix, "
            "outputs, created_at) "
            f"SELECT {lpad('i', 36)}, {lpad('i', 64)}, CASE WHEN {dj} % 3 = 0 THEN {fmt('H50.%d.1', f'({dj} % 100 + 1)')} "
            f"ELSE {fmt('H50.%d', f'({dj} % 100 + 1)')} END, {role}, 'x.pdf', {doc_type}, 0.9, {f}, "
            f"CASE WHEN i % 17 = 0 THEN {t} ELSE {f} END, {dcode}, 1, 1, 0, 90.0, {fields}"
            f"{'::json' if pg else ''}, '{{}}'{'::json' if pg else ''}, '', 'p/', '[]'{'::json' if pg else ''}, "
            f"{ts(f'{dj} % 365 + i / {n} * 3')} FROM {_series(eng.dialect.name, documents)}"
        ))
        c.execute(text(
            "INSERT INTO page (document_id, page_no, source, low_confidence_words, rotated, dpi, colour, compliant) "
            f"SELECT id, 1, 'ocr', 0, 0, 300, 'colour', CASE WHEN pages_ocr = 1 AND sha256 LIKE '%3' THEN {f} ELSE {t} END "
            "FROM document"
        ))
        c.execute(text(
            "INSERT INTO dossier_link (ma_ho_so, document_id, role, via, source, linked_at) "
            f"SELECT r.ma_ho_so, {lpad('r.source_line - 1', 36)}, 'thanh_phan', 'sha256', 'x.pdf', r.imported_at "
            "FROM register_entry r WHERE r.source_line % 20 = 1"
        ))
    with eng.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.execute(text("ANALYZE"))
    return time.perf_counter() - t0


def measure(url: str) -> dict[str, float]:
    """Run in a fresh process: one report for the whole year, its time and the process's peak RSS."""
    from datetime import date

    from pipeline.metrics import compute, parse_period

    t0 = time.perf_counter()
    r = compute(url, parse_period("2026"), as_of=date(2027, 1, 31))
    secs = time.perf_counter() - t0
    return {
        "seconds": secs,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "dossiers": r.total.dossiers,
        "units": len(r.units),
        "points": r.total.points or 0.0,
    }


def run_size(kind: str, dossiers: int, documents: int, workdir: Path) -> dict[str, float]:
    if kind == "sqlite":
        url = f"sqlite:///{workdir / f'bench-{dossiers}.db'}"
        drop = None
    else:
        import psycopg

        admin = os.environ.get("SOHOA_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
        name = f"sohoa_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(admin.replace("+psycopg", ""), autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{name}"')
        url = f"{admin.rsplit('/', 1)[0]}/{name}"

        def drop() -> None:
            db.engine_for(url).dispose()
            with psycopg.connect(admin.replace("+psycopg", ""), autocommit=True) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    try:
        built = populate(url, dossiers, documents)
        out = subprocess.run([sys.executable, __file__, "--measure", url], check=True, capture_output=True, text=True)
        res = json.loads(out.stdout.strip().splitlines()[-1])
        res["build_seconds"] = built
        return res
    finally:
        if drop:
            drop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dossiers", type=int, default=1_000_000, help="register rows")
    ap.add_argument("--documents", type=int, default=None, help="documents (default 3 × dossiers)")
    ap.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    ap.add_argument("--baseline-factor", type=int, default=10, help="the baseline is this many times smaller")
    ap.add_argument("--measure", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.measure:
        print(json.dumps(measure(a.measure)))
        return
    docs = a.documents or 3 * a.dossiers
    kinds = ["sqlite", "postgresql"] if a.db == "both" else [a.db]
    with tempfile.TemporaryDirectory(prefix="sohoa-bench-") as tmp:
        for kind in kinds:
            base = run_size(kind, max(1, a.dossiers // a.baseline_factor), max(1, docs // a.baseline_factor), Path(tmp))
            full = run_size(kind, a.dossiers, docs, Path(tmp))
            for label, r in (("baseline", base), ("full", full)):
                print(f"{kind:10s} {label:8s} dossiers {int(r['dossiers']):>9,d}  report {r['seconds']:7.2f} s  "
                      f"peak RSS {r['peak_rss_mb']:7.1f} MB  (data built in {r['build_seconds']:.0f} s)")
            print(f"{kind:10s} ratio full/baseline: time ×{full['seconds'] / base['seconds']:.1f}, "
                  f"peak memory ×{full['peak_rss_mb'] / base['peak_rss_mb']:.2f} "
                  f"(rows ×{a.baseline_factor})")


if __name__ == "__main__":
    main()
