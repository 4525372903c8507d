"""The report reads per-dossier and per-document figures kept at record time (pipeline/keep/metric_state.py).
Random documents, links, pages, moves and corrections, written through the ORM and the pipeline's own
write functions, must give the same report and dossier lists as a plain computation of the definition
from the raw rows, on SQLite and PostgreSQL, for several periods and as-of days; the migration's
backfill must give the same as the upkeep at record time."""

from __future__ import annotations

import random
import threading
import time as clock
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest
from alembic import command
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from pipeline.catalogue import MANDATORY_FIELDS, RESULT_ROLE
from pipeline.index.dossiers import link
from pipeline.index.metrics import INDICATOR_KEYS, NO_UNIT, VN_TZ, Period, compute, dossier_details, parse_period
from pipeline.keep import db
from pipeline.keep.metric_state import rebuild
from pipeline.keep.models import (
    Document,
    DocumentQuality,
    Dossier,
    DossierLink,
    DossierState,
    Page,
    Procedure,
    RegisterEntry,
    Unit,
)
from pipeline.keep.record import save_document
from schemas.document import DocumentRecord, OcrSummary
from schemas.tasks import PageResult

T = TypeVar("T")
UNITS = ["H50", "H50.12", "H50.12.01", "H50.13", "H50.14"]
PROCEDURES = {"1.001193": True, "2.000815": False}  # and 1.000894, not in the list: paper by default
ROLES = ["thanh_phan", "ket_qua_xu_ly", RESULT_ROLE, None]
DOC_TYPES = ["quyet_dinh", "giay_khai_sinh", "to_khai", "can_cuoc", "phieu_mot_cua", "khac"]
KEYS = ["so_ky_hieu", "ngay_ban_hanh", "co_quan_ban_hanh", "trich_yeu", "ho_ten", "so_dinh_danh", "ma_ho_so"]
CHECKS = [("2026-Q3", date(2026, 10, 15)), ("2026-Q3", date(2026, 8, 20)), ("2026-08", date(2026, 8, 31)),
          ("2026-09", date(2026, 10, 1)), ("2026", date(2026, 12, 31)), ("2026-07", date(2026, 7, 1))]


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'm.db'}"
    return str(request.getfixturevalue("postgres_url"))


# --- random data ------------------------------------------------------------------------------------
def moment(rng: random.Random) -> datetime:
    """An instant between late June and mid October 2026, often right at a local day's edge (17:00 UTC)."""
    day = datetime(2026, 6, 25, tzinfo=UTC) + timedelta(days=rng.randrange(110))
    second = rng.choice([0, 16 * 3600 + 3599, 17 * 3600, rng.randrange(86400)])
    return day + timedelta(seconds=second)


@dataclass
class World:
    codes: list[str]  # with a dossier row
    register_only: list[str]  # only in the register, reachable by links
    docs: list[dict[str, Any]]
    pages: list[dict[str, Any]]
    links: list[dict[str, Any]]
    entries: list[dict[str, Any]]


def unit_row(code: str) -> dict[str, Any]:
    return dict(code=code, name=code, parent_code=code.rsplit(".", 1)[0] if "." in code else None)


def make_world(seed: int, n_dossiers: int = 90, n_docs: int = 260, n_links: int = 90) -> World:
    rng = random.Random(seed)
    codes = [f"{rng.choice(UNITS)}-26{rng.randrange(6, 11):02d}{rng.randrange(1, 29):02d}-{i:04d}"
             for i in range(n_dossiers)]
    register_only, codes = codes[:10], codes[10:]
    docs = []
    for i in range(n_docs):
        doc_type = rng.choice(DOC_TYPES)
        docs.append(dict(
            id=f"doc-{i:04d}", sha256=f"{i:064d}", unit=rng.choice([*UNITS, None]), role=rng.choice(ROLES),
            source=f"f{i}.pdf", doc_type=doc_type, doc_type_confidence=0.5, role_mismatch=False,
            review=rng.random() < 0.3, ma_ho_so=rng.choice(codes) if rng.random() < 0.9 else None, pages=1,
            pages_ocr=1, pages_text_layer=0, fields={k: f"v{i}" for k in KEYS if rng.random() < 0.5},
            field_confidence={}, text="", prefix="p/", outputs=[], created_at=moment(rng),
        ))
    pages = [dict(document_id=d["id"], page_no=n, source="ocr", compliant=rng.choice([True, False, None]),
                  low_confidence_words=0, rotated=0)
             for d in docs for n in range(1, rng.randrange(0, 4) + 1)]
    ghosts = [f"doc-never-{i}" for i in range(5)]  # copies still processing: their links must not count
    pairs = {(rng.choice(codes + register_only), rng.choice([d["id"] for d in docs] + ghosts))
             for _ in range(n_links)}
    links = [dict(ma_ho_so=k, document_id=d, role=rng.choice(ROLES), via="sha256", source="x.pdf",
                  linked_at=moment(rng)) for k, d in sorted(pairs)]
    entries = []
    for code in codes + register_only:
        received = moment(rng).astimezone(VN_TZ).date()
        entries.append(dict(
            ma_ho_so=code, unit=code.split("-")[0], ma_thu_tuc=rng.choice([*PROCEDURES, "1.000894"]),
            received_on=received,
            completed_on=None if rng.random() < 0.3 else received + timedelta(days=rng.randrange(0, 25)),
            paper_result=rng.choice([None, None, True, False]), reused=rng.random() < 0.1,
            ket_noi_kho=rng.random() < 0.5, du_lieu_dan_cu=rng.random() < 0.5, imported_at=moment(rng),
        ))
    return World(codes, register_only, docs, pages, links, entries)


def in_transactions(url: str, items: list[T], rng: random.Random) -> Iterator[tuple[Session, T]]:
    """Each item in a session of one to six items, written by a flush of its own."""
    i = 0
    while i < len(items):
        n = rng.randint(1, 6)
        with db.session_scope(url) as s:
            for item in items[i : i + n]:
                yield s, item
                s.flush()
        i += n


def write_reference_rows(url: str, world: World, rng: random.Random) -> None:
    """The world through the application's ORM sessions: interleaved small transactions, some with the
    pipeline's own write functions, links made before their copy is stored, then moves and corrections."""
    with db.session_scope(url) as s:
        s.add_all([Unit(**unit_row(u)) for u in UNITS])
        s.add_all([Procedure(code=c, name=c, paper_result=p) for c, p in PROCEDURES.items()])
        for code in world.codes:
            s.add(Dossier(ma_ho_so=code, unit=rng.choice([code.split("-")[0], None]), first_seen=moment(rng)))
    pages_of: dict[str, list[dict[str, Any]]] = {}
    for p in world.pages:
        pages_of.setdefault(p["document_id"], []).append(p)
    late_pages = [p for p in world.pages if rng.random() < 0.2]
    ops: list[tuple[str, dict[str, Any]]] = [("doc", d) for d in world.docs] + [("link", lk) for lk in world.links]
    rng.shuffle(ops)
    for s, (kind, row) in in_transactions(url, ops, rng):
        if kind == "link" and rng.random() < 0.5:
            assert link(s, row["ma_ho_so"], row["document_id"], role=row["role"], via="sha256", source="x.pdf")
            s.flush()
            s.get_one(DossierLink, (row["ma_ho_so"], row["document_id"])).linked_at = row["linked_at"]
        elif kind == "link":
            s.add(DossierLink(**row))
        elif rng.random() < 0.3:  # the pipeline's path; its timestamp is now, set to the scenario's after
            rec = DocumentRecord(
                source=row["source"], sha256=row["sha256"], doc_id=row["id"], unit=row["unit"], pages=1,
                doc_type=row["doc_type"], doc_type_confidence=0.5, role=row["role"], review=row["review"],
                metadata={**{k: v for k, v in row["fields"].items() if k != "ma_ho_so"},
                          **({"ma_ho_so": row["ma_ho_so"]} if row["ma_ho_so"] else {})},
                metadata_confidence={}, text="", ocr=OcrSummary(pages_ocr=1, pages_text_layer=0), outputs=[],
            )
            got = [PageResult(page_no=p["page_no"], source="ocr", text="", dpi=300 if p["compliant"] else 100,
                              colour="colour") for p in pages_of.get(row["id"], []) if p not in late_pages]
            assert save_document(s, rec, got, "p/")
            doc = s.get_one(Document, row["id"])
            doc.created_at, doc.fields = row["created_at"], row["fields"]
            s.flush()
            for pg, p in zip(s.scalars(select(Page).where(Page.document_id == row["id"])
                                       .order_by(Page.page_no)), [p for p in pages_of.get(row["id"], [])
                                                                  if p not in late_pages], strict=True):
                pg.compliant = p["compliant"]
        else:
            s.add(Document(**row))
            s.flush()
            s.add_all([Page(**p) for p in pages_of.get(row["id"], []) if p not in late_pages])
    changes: list[tuple[str, Any]] = [("page", p) for p in late_pages]
    changes += [("move", d["id"]) for d in rng.sample(world.docs, 40)]
    changes += [("role", d["id"]) for d in rng.sample(world.docs, 30)]
    changes += [("fix", d["id"]) for d in rng.sample(world.docs, 30)]
    changes += [("relink", (lk["ma_ho_so"], lk["document_id"])) for lk in rng.sample(world.links, 15)]
    rng.shuffle(changes)
    # and a few documents deleted at the end (no path does it yet; the kept figures must follow anyway)
    changes += [("drop", d["id"]) for d in rng.sample(world.docs, 8)]
    for s, (kind, what) in in_transactions(url, changes, rng):
        if kind == "page":
            s.add(Page(**what))
        elif kind == "move":  # a correction of the dossier code (review), sometimes to none
            s.get_one(Document, what).ma_ho_so = rng.choice(world.codes) if rng.random() < 0.85 else None
        elif kind == "role":
            s.get_one(Document, what).role = rng.choice(ROLES)
        elif kind == "fix":
            doc = s.get_one(Document, what)
            doc.review, doc.doc_type = False, rng.choice(DOC_TYPES)
            doc.fields = {**doc.fields, rng.choice(KEYS): "fixed"}
        elif kind == "drop":
            s.delete(s.get_one(Document, what))  # its pages go by the database's cascade
        else:
            s.get_one(DossierLink, what).linked_at = moment(rng)


def write_register(url: str, world: World) -> None:
    with db.session_scope(url) as s:
        s.add_all([RegisterEntry(**e) for e in world.entries])


# --- the definition, computed plainly from the raw rows -------------------------------------------------
def _utc(v: datetime) -> datetime:
    return v if v.tzinfo else v.replace(tzinfo=UTC)  # SQLite hands back naive UTC


def local_midnight(d: date) -> datetime:
    return datetime.combine(d, time.min, tzinfo=VN_TZ)


@dataclass(frozen=True)
class Flags:
    unit: str
    paper: bool
    completed: bool
    comp: bool
    res: bool
    reused: bool
    kho: bool
    dc: bool


def reference(url: str, period: Period, as_of: date, register: bool) -> tuple[dict[str, Flags], dict[str, list[int]]]:
    """Per dossier of the period, its flags; per unit (own, not rolled up) the quality sums
    [documents, review, fields read, fields mandatory, pages ok, pages judged]."""
    end = local_midnight(as_of + timedelta(days=1))
    with db.session_scope(url) as s:
        docs = {d.id: d for d in s.scalars(select(Document))}
        links = list(s.scalars(select(DossierLink)))
        pages = list(s.scalars(select(Page)))
        paper_of = {p.code: p.paper_result for p in s.scalars(select(Procedure))}
        entries = list(s.scalars(select(RegisterEntry)))
        dossiers = list(s.scalars(select(Dossier)))

    def state(code: str) -> tuple[bool, bool, bool]:
        roles = [d.role for d in docs.values() if d.ma_ho_so == code and _utc(d.created_at) < end]
        reuse = False
        for lk in links:
            copy = docs.get(lk.document_id)
            if lk.ma_ho_so == code and copy and _utc(lk.linked_at) < end and _utc(copy.created_at) < end:
                roles.append(lk.role)
                reuse |= copy.ma_ho_so is not None and copy.ma_ho_so != code
        return any(r != RESULT_ROLE for r in roles), RESULT_ROLE in roles, reuse

    out: dict[str, Flags] = {}
    if register:
        for e in entries:
            if period.start <= e.received_on < period.end and e.received_on <= as_of:
                comp, res, reuse = state(e.ma_ho_so)
                paper = e.paper_result if e.paper_result is not None else paper_of.get(e.ma_thu_tuc or "", True)
                done = e.completed_on is not None and e.completed_on <= as_of
                out[e.ma_ho_so] = Flags(e.unit, paper, done, comp, res, e.reused or reuse, e.ket_noi_kho,
                                        e.du_lieu_dan_cu)
    else:
        for d in dossiers:
            seen = _utc(d.first_seen)
            if local_midnight(period.start) <= seen < local_midnight(period.end) and seen < end:
                comp, res, reuse = state(d.ma_ho_so)
                paper = paper_of.get(d.ma_thu_tuc or "", True)
                out[d.ma_ho_so] = Flags(d.unit or NO_UNIT, paper, res, comp, res, reuse, False, False)
    quality: dict[str, list[int]] = {}
    q_end = min(local_midnight(period.end), end)
    counted = {i for i, d in docs.items() if local_midnight(period.start) <= _utc(d.created_at) < q_end}
    for i in counted:
        d = docs[i]
        need = MANDATORY_FIELDS.get(d.doc_type, ())
        q = quality.setdefault(d.unit or NO_UNIT, [0] * 6)
        q[0] += 1
        q[1] += bool(d.review)
        q[2] += sum(k in d.fields for k in need)
        q[3] += len(need)
    for p in pages:
        if p.document_id in counted:
            q = quality[docs[p.document_id].unit or NO_UNIT]
            q[4] += p.compliant is True
            q[5] += p.compliant is not None
    return out, quality


def num_den(f: Flags, register: bool) -> tuple[set[str], set[str]]:
    num, den = set(), {"so_hoa_ho_so", "tai_su_dung"} | ({"ket_noi_kho", "du_lieu_dan_cu"} if register else set())
    if f.completed and f.paper:
        den.add("ket_qua_dien_tu")
        if f.res:
            num.add("ket_qua_dien_tu")
    if f.comp and (not f.paper or f.res):
        num.add("so_hoa_ho_so")
    num |= {k for k, flag in (("tai_su_dung", f.reused), ("ket_noi_kho", f.kho), ("du_lieu_dan_cu", f.dc)) if flag}
    return num, den


def check(url: str, label: str, as_of: date, register: bool) -> None:
    period = parse_period(label)
    flags, quality = reference(url, period, as_of, register)
    where = f"{label} as of {as_of}, {'register' if register else 'pipeline'}"
    details = {d.ma_ho_so: d for d in dossier_details(url, period, as_of=as_of)}
    assert set(details) == set(flags), where
    for code, f in flags.items():
        d = details[code]
        # completion shows in the list only where it matters: completed dossiers of paper-result procedures
        got = Flags(d.unit, d.paper_result, "ket_qua_dien_tu" in d.denominator, d.component_digitised,
                    d.result_digitised, d.reused, d.ket_noi_kho, d.du_lieu_dan_cu)
        assert got == replace(f, completed=f.completed and f.paper), f"{code}, {where}"
        assert (set(d.numerator), set(d.denominator)) == num_den(f, register), f"{code}, {where}"
    report = compute(url, period, as_of=as_of)
    assert report.source == ("register" if register else "pipeline")
    for m in [*report.units, report.total]:
        mine = [c for c in flags if m.unit == "*" or flags[c].unit == m.unit
                or flags[c].unit.startswith(m.unit + ".")]
        assert m.dossiers == len(mine), f"{m.unit}, {where}"
        for ind in m.indicators:
            sets = [num_den(flags[c], register) for c in mine]
            want_nd = (sum(ind.key in n for n, _ in sets), sum(ind.key in d for _, d in sets))
            if ind.key in ("ket_noi_kho", "du_lieu_dan_cu"):  # over all dossiers; without a register, none
                want_nd = (want_nd[0], len(mine) if register else 0)
            assert (ind.numerator, ind.denominator) == want_nd, f"{m.unit} {ind.key}, {where}"
        sums = [0] * 6
        for u, q in quality.items():
            if m.unit == "*" or u == m.unit or u.startswith(m.unit + "."):
                sums = [a + b for a, b in zip(sums, q, strict=True)]
        got_q = {i.key: (i.numerator, i.denominator) for i in m.quality}
        assert got_q == {"review_rate": (sums[1], sums[0]), "metadata_completeness": (sums[2], sums[3]),
                         "scan_compliance": (sums[4], sums[5])}, f"{m.unit}, {where}"
    assert set(INDICATOR_KEYS) == {i.key for i in report.total.indicators}


def state_tables(url: str) -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]:
    with db.session_scope(url) as s:
        states = {(r.ma_ho_so, *(_utc(t) if t else None for t in (r.comp_at, r.res_at, r.reuse_at)))
                  for r in s.scalars(select(DossierState)) if (r.comp_at, r.res_at, r.reuse_at) != (None,) * 3}
        quality = {(r.document_id, _utc(r.created_at), r.unit, r.review, r.fields_read, r.fields_mandatory,
                    r.pages_ok, r.pages_judged) for r in s.scalars(select(DocumentQuality))}
    return states, quality


# --- tests ------------------------------------------------------------------------------------------------
def test_kept_state_gives_the_report_of_the_definition(url: str) -> None:
    db.migrate(url)
    world = make_world(seed=6)
    write_reference_rows(url, world, random.Random(60))
    for label, as_of in CHECKS:
        check(url, label, as_of, register=False)
    write_register(url, world)
    for label, as_of in CHECKS:
        check(url, label, as_of, register=True)
    # Recomputed from scratch (the migration's backfill), the tables are what record time kept.
    kept = state_tables(url)
    assert kept[0] and kept[1]
    with db.engine_for(url).begin() as conn:
        rebuild(conn)
    assert state_tables(url) == kept


def test_migration_backfills_existing_data(url: str) -> None:
    """Rows written before revision 0005 existed (plain SQL, no session hook) are backfilled by it."""
    with db.engine_for(url).begin() as conn:
        cfg = db.alembic_config(url)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0002")
    world = make_world(seed=11)
    rng = random.Random(11)
    with db.engine_for(url).begin() as conn:
        conn.execute(insert(Unit), [unit_row(u) for u in UNITS])
        conn.execute(insert(Procedure), [dict(code=c, name=c, paper_result=p) for c, p in PROCEDURES.items()])
        conn.execute(insert(Dossier), [dict(ma_ho_so=c, unit=c.split("-")[0], ma_thu_tuc=None, first_seen=moment(rng))
                                       for c in world.codes])
        conn.execute(insert(Document), world.docs)
        conn.execute(insert(Page), world.pages)
        conn.execute(insert(DossierLink), world.links)
    db.migrate(url)
    for label, as_of in CHECKS[:3]:
        check(url, label, as_of, register=False)


@pytest.mark.parametrize("first", ["document", "link"])
def test_a_link_made_while_its_copy_is_recorded_counts(postgres_url: str, first: str) -> None:
    """Two transactions that cannot see each other's rows: the copy being recorded and a link to it from
    another dossier. Whichever flushes first, the linking dossier ends up with the component."""
    url = postgres_url
    db.migrate(url)
    x, z = "H50.12-260801-0001", "H50.13-260802-0002"
    with db.session_scope(url) as s:
        s.add(Dossier(ma_ho_so=x, unit="H50.12", first_seen=moment(random.Random(1))))
    created, linked = datetime(2026, 8, 1, 3, tzinfo=UTC), datetime(2026, 8, 2, 3, tzinfo=UTC)

    def record_copy(s: Session) -> None:
        s.add(Document(id="copy", sha256="c" * 64, unit="H50.12", role="thanh_phan", source="a.pdf",
                       doc_type="khac", doc_type_confidence=0.9, role_mismatch=False, review=False, ma_ho_so=x,
                       pages=1, fields={}, field_confidence={}, text="", prefix="p/", outputs=[],
                       created_at=created))

    def link_copy(s: Session) -> None:
        link(s, z, "copy", role="thanh_phan", via="sha256", source="b.pdf")
        s.get_one(DossierLink, (z, "copy")).linked_at = linked

    writes = {"document": record_copy, "link": link_copy}
    flushed = threading.Event()
    errors: list[BaseException] = []

    def first_writer() -> None:
        try:
            with db.session_scope(url) as s:
                writes[first](s)
                s.flush()
                flushed.set()
                clock.sleep(0.8)  # uncommitted while the other one writes
        except BaseException as e:  # reported by the test thread
            errors.append(e)
            flushed.set()

    t = threading.Thread(target=first_writer)
    t.start()
    assert flushed.wait(30)
    with db.session_scope(url) as s:
        writes["link" if first == "document" else "document"](s)
    t.join()
    assert not errors
    with db.session_scope(url) as s:
        state = s.get_one(DossierState, z)
        assert state.comp_at == linked and state.reuse_at == linked and state.res_at is None
