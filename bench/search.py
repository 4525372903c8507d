"""Full-text search of documents at 100,000 documents, on SQLite (FTS5) and PostgreSQL (tsvector, unaccent),
against a LIKE scan of the same table measured in the same run.

    .venv/bin/python bench/search.py                       # 100,000 documents, both databases
    .venv/bin/python bench/search.py --documents 20000 --db sqlite

Target (issue 11): results in under 300 ms at 100,000 documents.

Documents are generated in Python, repeatably: a Vietnamese administrative text of 1–2 KB each (header,
title, abstract, a citizen's name, identifier, dates, dossier code, signature), the metadata a record
carries, 40 units. They are loaded in bulk (no session: no hook) and indexed by `search.rebuild`, the
migration's backfill, timed. Then the index's upkeep is measured as a clerk's writes see it: documents
recorded one by one through a session (the hook indexes each in its transaction) against plain inserts
of the same rows (what recording cost before the index).

Queries, as a clerk types them (no accents): citizens' names (a few documents each), dossier codes,
document numbers, an identifier, a word of the abstract found in many documents, a prefix, a name that is
nowhere. Each is run through `list_documents` (what /documents and /api/documents run: the match, the
filters, the capped count, the first page of 50 and its snippets) and, as the baseline, through a LIKE
scan for the same words as printed (with their marks, since LIKE cannot fold them) over text and
metadata with the same count and first page. p50 and p95 per kind, and the load average, are printed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import Text, cast, event, func, insert, or_, select, text  # noqa: E402

from pipeline.index.documents import DocumentFilter, list_documents  # noqa: E402
from pipeline.keep import db, search  # noqa: E402
from pipeline.keep.models import Document, Dossier  # noqa: E402
from pipeline.vn.text import fold  # noqa: E402

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
            "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quang", "Xuân", "Thu", "Kim", "Bảo"]
GIVEN = ["An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hòa", "Hùng", "Khánh", "Lan", "Linh", "Long",
         "Mai", "Nam", "Nga", "Oanh", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Uyên", "Việt", "Yến",
         "Đạt", "Hiếu", "Thắng", "Nhung", "Phương", "Tú", "Vy", "Khoa", "Lộc", "Ánh", "Cường", "Thư"]
TYPES = [("giay_khai_sinh", "GIẤY KHAI SINH", "KS"), ("quyet_dinh", "QUYẾT ĐỊNH", "QĐ"),
         ("to_khai", "TỜ KHAI ĐĂNG KÝ KHAI SINH", "TK"), ("don", "ĐƠN ĐỀ NGHỊ", "ĐN"),
         ("gcn_ket_hon", "GIẤY CHỨNG NHẬN KẾT HÔN", "KH"), ("trich_luc_ho_tich", "TRÍCH LỤC KHAI TỬ", "TLKT"),
         ("cong_van", "CÔNG VĂN", "UBND"), ("bien_ban", "BIÊN BẢN", "BB"), ("xac_nhan_tthn",
         "GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN", "XNHN")]
ABSTRACTS = ["Về việc cấp giấy phép xây dựng nhà ở riêng lẻ", "Về việc đăng ký khai sinh", "Về việc chứng thực bản sao",
             "Về việc xác nhận tình trạng hôn nhân", "Về việc giao đất ở", "Về việc hỗ trợ hộ nghèo",
             "Về việc bồi thường giải phóng mặt bằng", "Về việc cấp đổi giấy chứng nhận quyền sử dụng đất"]
FILLER = ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Căn cứ Luật Hộ tịch ngày 20 tháng 11 "
          "năm 2014; Căn cứ Nghị định số 123/2015/NĐ-CP của Chính phủ quy định chi tiết một số điều và biện pháp thi "
          "hành Luật Hộ tịch; Xét đề nghị của công chức tư pháp - hộ tịch; Điều 1. Chấp thuận nội dung đề nghị của "
          "công dân có tên dưới đây. Điều 2. Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã, công chức tư pháp - "
          "hộ tịch và công dân có tên tại Điều 1 chịu trách nhiệm thi hành quyết định này. Nơi nhận: như Điều 2; "
          "lưu VT. Quyết định có hiệu lực kể từ ngày ký. ")
PLACES = ["Thanh Thạch", "Kim Hóa", "Minh Hóa", "Tuyên Hóa", "Đồng Lê", "Quảng Trạch", "Ba Đồn", "Cam Lộ"]
START = datetime(2026, 1, 1, 1, 0, tzinfo=UTC)


def person(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def documents(n: int, seed: int = 11) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    for i in range(n):
        doc_type, title, abbr = TYPES[i % len(TYPES)]
        unit = f"H50.{1 + i % 40}"
        day = START + timedelta(minutes=5 * i)
        code = f"{unit}-{day:%y%m%d}-{i % 10000:04d}"
        name = person(rng)
        ident = f"0441{rng.randrange(10**8):08d}"
        number = f"{rng.randrange(1, 999)}/{abbr}-UBND"
        abstract = rng.choice(ABSTRACTS)
        place = rng.choice(PLACES)
        body = (f"ỦY BAN NHÂN DÂN XÃ {place.upper()} CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc "
                f"Số: {number} {place}, ngày {day.day} tháng {day.month} năm {day.year} {title} {abstract} "
                f"{FILLER * (1 + i % 2)}Họ và tên: {name.upper()} Số định danh cá nhân: {ident} Mã hồ sơ: {code} "
                f"TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH {person(rng)}")
        fields = {"ho_ten": name, "so_dinh_danh": ident, "so_ky_hieu": number, "trich_yeu": abstract,
                  "ma_ho_so": code, "dia_danh": place, "ngay_ban_hanh": day.date().isoformat()}
        yield dict(id=str(uuid.UUID(int=rng.getrandbits(128))), sha256=f"{i:064x}", unit=unit, role="thanh_phan",
                   source=f"/inbox/{unit}/thanh-phan/{code}.{1 + i % 3}.pdf", doc_type=doc_type,
                   doc_type_confidence=0.9, role_mismatch=False, review=i % 17 == 0, ma_ho_so=code, pages=1 + i % 3,
                   pages_ocr=1, pages_text_layer=0, mean_confidence=90.0, fields=fields, field_confidence={},
                   text=body, prefix=f"{unit}/2026/{code}/", outputs=[], created_at=day, source_sha256=None,
                   part=None, dossier_source="file_name")


def load(url: str, n: int) -> dict[str, float]:
    db.migrate(url)
    t0 = time.perf_counter()
    batch: list[dict[str, Any]] = []
    with db.engine_for(url).begin() as conn:
        for d in documents(n):
            batch.append(d)
            if len(batch) == 2000:
                _insert(conn, batch)
                batch = []
        if batch:
            _insert(conn, batch)
    loaded = time.perf_counter() - t0
    t0 = time.perf_counter()
    with db.engine_for(url).begin() as conn:
        search.rebuild(conn)
    indexed = time.perf_counter() - t0
    with db.engine_for(url).begin() as conn:
        conn.execute(text("ANALYZE"))  # fresh statistics, as autovacuum would have them on a server
    return {"load_s": round(loaded, 1), "index_s": round(indexed, 1)}


def _insert(conn: Any, batch: list[dict[str, Any]]) -> None:
    codes = [{"ma_ho_so": d["ma_ho_so"], "unit": d["unit"], "first_seen": d["created_at"]} for d in batch]
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert  # type: ignore[assignment]
    conn.execute(upsert(Dossier).on_conflict_do_nothing(index_elements=["ma_ho_so"]), codes)
    conn.execute(insert(Document), batch)


def queries(n: int) -> dict[str, list[tuple[str, str]]]:
    """(typed by a clerk, as printed) per kind, drawn from the generated documents."""
    picks = [d for i, d in enumerate(documents(n)) if i % max(1, n // 25) == 7][:25]
    return {
        "name": [(fold(d["fields"]["ho_ten"]), d["fields"]["ho_ten"]) for d in picks],
        "dossier code": [(d["ma_ho_so"], d["ma_ho_so"]) for d in picks[:10]],
        "number": [(d["fields"]["so_ky_hieu"], d["fields"]["so_ky_hieu"]) for d in picks[:10]],
        "identifier": [(d["fields"]["so_dinh_danh"], d["fields"]["so_dinh_danh"]) for d in picks[:10]],
        "common word": [("giai phong mat bang", "giải phóng mặt bằng"), ("ho ngheo", "hộ nghèo"),
                        ("tinh trang hon nhan", "tình trạng hôn nhân")],
        "prefix": [("nguy* thi", "Nguy"), ("thanh thach", "Thanh Thạch")],
        "nowhere": [("khong co ai ten nay", "không có ai tên này")],
    }


def _timed(fn: Callable[[], Any], repeat: int) -> list[float]:
    fn()  # warm: the first run reads the pages from disk, the page size of a real server stays in cache
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def like_scan(session: Any, printed: str) -> tuple[int, list[str]]:
    """The baseline: the words as printed, anywhere in the text or the metadata; the same capped count and
    first page of 50, newest first."""
    pattern = f"%{printed.lower()}%"
    cond = or_(func.lower(Document.text).like(pattern), func.lower(cast(Document.fields, Text)).like(pattern))
    total = session.scalar(select(func.count()).select_from(select(Document.id).where(cond).limit(10_001).subquery()))
    page = session.scalars(select(Document.id).where(cond).order_by(Document.created_at.desc()).limit(50)).all()
    return int(total or 0), list(page)


def measure(url: str, n: int, repeat: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kind, qs in queries(n).items():
        fts: list[float] = []
        like: list[float] = []
        found = []
        for typed, printed in qs:
            with db.session_scope(url) as s:
                fts += _timed(lambda s=s, typed=typed: list_documents(s, DocumentFilter(q=typed), limit=50), repeat)
                found.append(list_documents(s, DocumentFilter(q=typed), limit=50)[0])
                t0 = time.perf_counter()  # a scan reads the whole table each time: once is its measure
                like_scan(s, printed)
                like.append((time.perf_counter() - t0) * 1000)
        out[kind] = {
            "queries": len(qs), "matches_median": statistics.median(found),
            "fts_p50_ms": round(statistics.median(fts), 1), "fts_p95_ms": round(_p95(fts), 1),
            "like_p50_ms": round(statistics.median(like), 1), "like_p95_ms": round(_p95(like), 1),
        }
    return out


def _p95(xs: list[float]) -> float:
    return sorted(xs)[min(len(xs) - 1, round(0.95 * (len(xs) - 1)))]


def upkeep(url: str, k: int = 300) -> dict[str, float]:
    """Recording k documents, one transaction each, through a session as the pipeline does: with the search
    index's hook, and with it taken off (the report's hook stays on in both), so the difference is the index."""
    rows = [dict(d, id=f"upkeep-{i}", sha256=f"f{i:063x}") for i, d in enumerate(documents(k, seed=99))]

    def record(part: list[dict[str, Any]]) -> float:
        t0 = time.perf_counter()
        for d in part:
            with db.session_scope(url) as s:
                s.merge(Dossier(ma_ho_so=d["ma_ho_so"], unit=d["unit"]))
                s.flush()
                s.add(Document(**d))
        return (time.perf_counter() - t0) / len(part) * 1000

    with_index = record(rows[: k // 2])
    maker = db._sessionmaker(url)
    event.remove(maker, "after_flush", search.after_flush)
    try:
        without = record(rows[k // 2 :])
    finally:
        event.listen(maker, "after_flush", search.after_flush)
    return {"record_ms_with_search_index": round(with_index, 2), "record_ms_without": round(without, 2)}


def _pg_admin() -> str:
    return os.environ.get("SOHOA_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def run(kind: str, n: int, repeat: int, tmp: Path) -> dict[str, Any]:
    import psycopg

    if kind == "sqlite":
        url = f"sqlite:///{tmp / 'search.db'}"
        drop: Callable[[], None] = lambda: None  # noqa: E731
    else:
        name = f"sohoa_bench_search_{uuid.uuid4().hex[:8]}"
        admin = _pg_admin()
        with psycopg.connect(admin.replace("+psycopg", ""), autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{name}"')
        url = admin.rsplit("/", 1)[0] + f"/{name}"

        def drop() -> None:
            db.engine_for(url).dispose()
            with psycopg.connect(admin.replace("+psycopg", ""), autocommit=True) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    try:
        result: dict[str, Any] = {"db": kind, "documents": n, "load": os.getloadavg()[0]}
        result.update(load(url, n))
        result["load_before_queries"] = round(os.getloadavg()[0], 2)
        result["queries"] = measure(url, n, repeat)
        result["upkeep"] = upkeep(url)
        return result
    finally:
        drop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--documents", type=int, default=100_000)
    ap.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    ap.add_argument("--repeat", type=int, default=5, help="timed runs of each query")
    args = ap.parse_args()
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    with tempfile.TemporaryDirectory() as tmp:
        for kind in kinds:
            r = run(kind, args.documents, args.repeat, Path(tmp))
            print(json.dumps(r, ensure_ascii=False, indent=1))
            worst = max(q["fts_p95_ms"] for q in r["queries"].values())
            print(f"{kind}: {args.documents} documents; worst p95 {worst} ms (target < 300 ms); "
                  f"load average {r['load_before_queries']}", flush=True)


if __name__ == "__main__":
    main()
