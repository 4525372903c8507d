"""The digitisation indicators of DOMAIN.md (Decision 766/QĐ-TTg) per unit and period, computed in the
database.

Semantics (DOMAIN.md "Digitisation metrics"):
- a dossier belongs to the period of its reception date; its state (completed, components and result
  digitised, reused) is taken as of the as-of date: a completion, a document or a link recorded after
  that day does not count;
- a component is any document of the dossier that is not its result (role `ket_qua`); a dossier linked
  to a stored copy (`dossier_link`) has that component too, and *reuses* it when the copy belongs to
  another dossier; a dossier also reuses data when the register flags it;
- whether a procedure issues a paper result: the register's column, else the procedures list, else
  yes (the stricter reading: the dossier then needs a digitised result);
- a zero denominator is n/a, never 0 %.
Without an imported register the dossiers the pipeline has seen stand in (reception = first seen,
completed = a result was digitised, the register-only flags unknown) and the report says so.

Internal quality rates, over the documents recorded in the period (by the document's unit): scan
compliance (pages meeting the scan requirements ÷ scanned pages; born-digital pages are not judged),
metadata completeness (mandatory fields read ÷ mandatory fields, see MANDATORY_FIELDS) and review rate
(documents sent to review ÷ documents).

Every count is an aggregate query grouped by unit (memory does not grow with the number of dossiers or
documents); only the unit tree is rolled up in Python. What each dossier had digitised and reused, and
what each document adds to the quality rates, are kept at record time (`metric_state.py`): the report
joins the register to one row per dossier and reads one index range of documents, never the documents,
links and pages themselves.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, case, func, literal, or_, select, true
from sqlalchemy.orm import Session

from pipeline.clock import VN_TZ, local_midnight, today_local
from pipeline.keep import db
from pipeline.keep.metric_state import one_if
from pipeline.keep.models import DocumentQuality, Dossier, DossierState, Procedure, RegisterEntry, Unit, stored_utc
from schemas.report import (
    DossierDetail,
    IndicatorValue,
    MissingInput,
    MissingName,
    PeriodInfo,
    Report,
    UnitMetrics,
)

NO_UNIT = "?"

# key, Vietnamese name, maximum points (DOMAIN.md)
INDICATORS: tuple[tuple[str, str, float], ...] = (
    ("ket_qua_dien_tu", "Hồ sơ có kết quả điện tử", 6.0),
    ("so_hoa_ho_so", "Hồ sơ được số hóa", 4.0),
    ("tai_su_dung", "Tái sử dụng dữ liệu số hóa", 2.0),
    ("ket_noi_kho", "Chia sẻ dữ liệu với Kho dữ liệu cá nhân", 4.0),
    ("du_lieu_dan_cu", "Khai thác dữ liệu dân cư", 2.0),
)
INDICATOR_KEYS = tuple(k for k, _, _ in INDICATORS)
QUALITY: tuple[tuple[str, str], ...] = (
    ("scan_compliance", "Trang quét đạt yêu cầu"),
    ("metadata_completeness", "Siêu dữ liệu bắt buộc đọc được"),
    ("review_rate", "Tài liệu phải kiểm tra lại"),
)


# --- periods --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Period:
    label: str
    kind: str  # year, quarter, month
    start: date
    end: date  # exclusive

    def info(self) -> PeriodInfo:
        return PeriodInfo(label=self.label, kind=self.kind, start=self.start, end=self.end - timedelta(days=1))  # type: ignore[arg-type]


_PERIOD_RE = re.compile(r"^\s*(\d{4})(?:-(?:[Qq]([1-4])|(\d{1,2})))?\s*$")


def parse_period(label: str) -> Period:
    """`2026` (year), `2026-Q3` (quarter), `2026-09` (month)."""
    m = _PERIOD_RE.match(label)
    if m is None or (m[3] is not None and not 1 <= int(m[3]) <= 12):
        raise ValueError(f"period {label!r}: expected a year (2026), a quarter (2026-Q3) or a month (2026-09)")
    y = int(m[1])
    if m[2]:
        q = int(m[2])
        start = date(y, 3 * q - 2, 1)
        end = date(y + 1, 1, 1) if q == 4 else date(y, 3 * q + 1, 1)
        return Period(f"{y}-Q{q}", "quarter", start, end)
    if m[3]:
        mo = int(m[3])
        return Period(f"{y}-{mo:02d}", "month", date(y, mo, 1), date(y + 1, 1, 1) if mo == 12 else date(y, mo + 1, 1))
    return Period(str(y), "year", date(y, 1, 1), date(y + 1, 1, 1))


_midnight = local_midnight


# --- counts -----------------------------------------------------------------------------------------------
@dataclass
class Counts:
    dossiers: int = 0
    kq_num: int = 0
    kq_den: int = 0
    sh_num: int = 0
    ts_num: int = 0
    kho_num: int = 0
    dc_num: int = 0
    completion_unknown: int = 0  # paper-result dossiers whose register file had no completion column
    paper_assumed: int = 0  # dossiers whose paper result neither the register nor the procedures list says
    kq_paper_assumed: int = 0  # of those, completed ones
    reuse_unknown: int = 0  # dossiers whose register file had no reuse column
    kho_unknown: int = 0
    dc_unknown: int = 0
    documents: int = 0
    review: int = 0
    fields_read: int = 0
    fields_mandatory: int = 0
    pages_ok: int = 0
    pages_judged: int = 0

    def add(self, other: Counts) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


def _dossier_select(session: Session, period: Period, as_of: date, *, register: bool) -> Select[Any]:
    """One row per dossier of the period with its state as of `as_of` as 0/1 columns:
    paper, completed, comp, res, reused, kho, dc. What was digitised and reused by then is read from
    `dossier_state` (kept at record time, pipeline/keep/metric_state.py): one join, whatever the number of
    documents."""
    asof_end = _midnight(as_of + timedelta(days=1))
    state = DossierState.__table__
    proc = Procedure.__table__
    unit: Any
    if register:
        base = RegisterEntry.__table__
        key, unit, procedure = base.c.ma_ho_so, base.c.unit, base.c.ma_thu_tuc
        in_period = and_(
            base.c.received_on >= period.start, base.c.received_on < period.end, base.c.received_on <= as_of
        )
        received: Any = base.c.received_on
    else:
        base = Dossier.__table__
        key, unit, procedure = base.c.ma_ho_so, func.coalesce(base.c.unit, NO_UNIT), base.c.ma_thu_tuc
        in_period = and_(
            base.c.first_seen >= _midnight(period.start),
            base.c.first_seen < _midnight(period.end),
            base.c.first_seen < asof_end,
        )
        received = base.c.first_seen
    paper_flag = base.c.paper_result if register else literal(None)
    paper = one_if(func.coalesce(paper_flag, proc.c.paper_result, true()))
    paper_known = one_if(or_(paper_flag.is_not(None), proc.c.paper_result.is_not(None)))
    res = one_if(state.c.res_at < asof_end)
    if register:
        done = and_(base.c.completed_on.is_not(None), base.c.completed_on <= as_of)
        completed: Any = one_if(done)
        completed_on: Any = case((done, base.c.completed_on), else_=None)
        reused = one_if(or_(base.c.reused.is_(True), state.c.reuse_at < asof_end))
        kho, dc = one_if(base.c.ket_noi_kho.is_(True)), one_if(base.c.du_lieu_dan_cu.is_(True))
        # Inputs the imported file had no column for (NULL, or completed_known false): unknown.
        completion_known: Any = one_if(base.c.completed_known.is_(True))
        reuse_known: Any = one_if(base.c.reused.is_not(None))
        kho_known: Any = one_if(base.c.ket_noi_kho.is_not(None))
        dc_known: Any = one_if(base.c.du_lieu_dan_cu.is_not(None))
    else:
        completed, completed_on = res, literal(None)  # the only evidence of completion is the result
        reused = one_if(state.c.reuse_at < asof_end)
        kho = dc = literal(0)
        completion_known = reuse_known = literal(1)  # what the pipeline knows; the report's note says the rest
        kho_known = dc_known = literal(0)  # only a register knows these
    return (
        select(
            key.label("ma_ho_so"),
            unit.label("unit"),
            procedure.label("ma_thu_tuc"),
            received.label("received"),
            completed_on.label("completed_on"),
            paper.label("paper"),
            completed.label("completed"),
            one_if(state.c.comp_at < asof_end).label("comp"),
            res.label("res"),
            reused.label("reused"),
            kho.label("kho"),
            dc.label("dc"),
            paper_known.label("paper_known"),
            completion_known.label("completion_known"),
            reuse_known.label("reuse_known"),
            kho_known.label("kho_known"),
            dc_known.label("dc_known"),
        )
        .select_from(base.outerjoin(proc, proc.c.code == procedure).outerjoin(state, state.c.ma_ho_so == key))
        .where(in_period)
    )


def _dossier_counts(session: Session, period: Period, as_of: date, *, register: bool) -> dict[str, Counts]:
    d = _dossier_select(session, period, as_of, register=register).subquery("d")
    sums = {
        "kq_num": one_if(and_(d.c.completed == 1, d.c.paper == 1, d.c.res == 1)),
        "kq_den": one_if(and_(d.c.completed == 1, d.c.paper == 1)),
        "sh_num": one_if(and_(d.c.comp == 1, or_(d.c.paper == 0, d.c.res == 1))),
        "ts_num": d.c.reused,
        "kho_num": d.c.kho,
        "dc_num": d.c.dc,
        # what could not be known, per input (see MISSING)
        "completion_unknown": one_if(and_(d.c.completion_known == 0, d.c.paper == 1)),
        "paper_assumed": one_if(d.c.paper_known == 0),
        "kq_paper_assumed": one_if(and_(d.c.paper_known == 0, d.c.completed == 1)),
        "reuse_unknown": one_if(d.c.reuse_known == 0),
        "kho_unknown": one_if(d.c.kho_known == 0),
        "dc_unknown": one_if(d.c.dc_known == 0),
    }
    q = select(d.c.unit, func.count(), *(func.sum(v) for v in sums.values())).group_by(d.c.unit)
    out: dict[str, Counts] = {}
    for unit, n, *values in session.execute(q):
        out[unit] = Counts(dossiers=n, **{k: v or 0 for k, v in zip(sums, values, strict=True)})
    return out


def _quality_counts(session: Session, period: Period, as_of: date, into: dict[str, Counts]) -> None:
    """From `document_quality` (each document's review flag, mandatory fields read and required, pages
    compliant and judged, kept at record time): one range of one index."""
    q = DocumentQuality.__table__
    end = min(_midnight(period.end), _midnight(as_of + timedelta(days=1)))
    unit = func.coalesce(q.c.unit, NO_UNIT)
    stmt = (
        select(
            unit, func.count(), func.sum(q.c.review), func.sum(q.c.fields_read), func.sum(q.c.fields_mandatory),
            func.sum(q.c.pages_ok), func.sum(q.c.pages_judged),
        )
        .where(q.c.created_at >= _midnight(period.start), q.c.created_at < end)
        .group_by(unit)
    )
    for u, n, review, got, need, ok, judged in session.execute(stmt):
        c = into.setdefault(u, Counts())
        c.documents, c.review, c.fields_read, c.fields_mandatory = n, review or 0, got or 0, need or 0
        c.pages_ok, c.pages_judged = ok or 0, judged or 0


# --- the unit tree --------------------------------------------------------------------------------------
@dataclass
class Tree:
    names: dict[str, str] = field(default_factory=dict)
    parents: dict[str, str | None] = field(default_factory=dict)

    def add_seen(self, code: str) -> None:
        """A unit met in the data but not in the unit list: under the longest known prefix of its
        dotted code (`H50.12` under `H50`), else a root."""
        if code in self.parents:
            return
        parent = None
        parts = code.split(".")
        if not re.fullmatch(r"\d{3}", parts[0]):  # the old 000.00.24.H46 form carries no tree
            for i in range(len(parts) - 1, 0, -1):
                if ".".join(parts[:i]) in self.parents:
                    parent = ".".join(parts[:i])
                    break
        self.parents[code] = parent
        self.names.setdefault(code, "")

    def ancestors(self, code: str) -> Iterator[str]:
        seen = {code}
        node = self.parents.get(code)
        while node is not None and node not in seen:  # a cycle in imported data must not hang the report
            yield node
            seen.add(node)
            node = self.parents.get(node)

    def children(self) -> dict[str | None, list[str]]:
        out: dict[str | None, list[str]] = {}
        for code, parent in self.parents.items():
            out.setdefault(parent if parent in self.parents else None, []).append(code)
        for v in out.values():
            v.sort()
        return out

    def subtree(self, root: str) -> set[str]:
        return {c for c in self.parents if c == root or root in set(self.ancestors(c))}


def load_tree(session: Session) -> Tree:
    tree = Tree()
    for code, name, parent in session.execute(select(Unit.code, Unit.name, Unit.parent_code)):
        tree.names[code] = name or ""
        tree.parents[code] = parent
    return tree


# --- the report -------------------------------------------------------------------------------------------
def thresholds_from(overrides: Mapping[str, float] | None) -> dict[str, float]:
    out = dict.fromkeys(INDICATOR_KEYS, 1.0)
    for k, v in (overrides or {}).items():
        if k not in out:
            raise ValueError(f"threshold for unknown indicator {k!r} (known: {', '.join(INDICATOR_KEYS)})")
        if not 0 < float(v) <= 1:
            raise ValueError(f"threshold of {k} must be in (0, 1], e.g. 0.8 for 80 %; got {v}")
        out[k] = float(v)
    return out


def _ratio(num: int, den: int) -> float | None:
    return None if den == 0 else num / den


# What a figure lacks when an input is missing, in Vietnamese for the reader of the report: the effect
# on the figure follows the input (left out of the denominator, or assumed).
MISSING: dict[MissingName, str] = {
    "completed_on": "{n} hồ sơ không có ngày hoàn thành (tệp sổ đăng ký đã nhập không có cột này): không tính vào "
                    "mẫu số",
    "paper_result": "{n} hồ sơ chưa rõ có trả kết quả giấy không (sổ đăng ký và danh mục TTHC đều không ghi): tính "
                    "là có",
    "reused": "{n} hồ sơ: tệp sổ đăng ký đã nhập không có cột tái sử dụng, chỉ tính tái sử dụng hệ thống phát hiện",
    "ket_noi_kho": "{n} hồ sơ: tệp sổ đăng ký đã nhập không có cột kết nối kho: không tính vào mẫu số",
    "du_lieu_dan_cu": "{n} hồ sơ: tệp sổ đăng ký đã nhập không có cột dữ liệu dân cư: không tính vào mẫu số",
    "register": "chưa nhập sổ đăng ký hồ sơ: chỉ sổ đăng ký có thông tin này",
}


def _gaps(key: str, c: Counts, register: bool) -> list[MissingInput]:
    pairs: dict[str, list[tuple[MissingName, int]]] = {
        "ket_qua_dien_tu": [("completed_on", c.completion_unknown), ("paper_result", c.kq_paper_assumed)],
        "so_hoa_ho_so": [("paper_result", c.paper_assumed)],
        "tai_su_dung": [("reused", c.reuse_unknown)],
        "ket_noi_kho": [("ket_noi_kho" if register else "register", c.kho_unknown)],
        "du_lieu_dan_cu": [("du_lieu_dan_cu" if register else "register", c.dc_unknown)],
    }
    return [MissingInput(input=i, dossiers=n) for i, n in pairs[key] if n]


def reason_of(gaps: list[MissingInput]) -> str | None:
    return "; ".join(MISSING[g.input].format(n=g.dossiers) for g in gaps) or None


def indicators_of(c: Counts, thresholds: Mapping[str, float], *, register: bool) -> list[IndicatorValue]:
    pairs = {
        "ket_qua_dien_tu": (c.kq_num, c.kq_den),
        "so_hoa_ho_so": (c.sh_num, c.dossiers),
        "tai_su_dung": (c.ts_num, c.dossiers),
        # a dossier whose flag is unknown is left out, never counted as "no"
        "ket_noi_kho": (c.kho_num, c.dossiers - c.kho_unknown),
        "du_lieu_dan_cu": (c.dc_num, c.dossiers - c.dc_unknown),
    }
    out = []
    for key, name, max_points in INDICATORS:
        num, den = pairs[key]
        ratio = _ratio(num, den)
        t = thresholds[key]
        points = None if ratio is None else round(min(max_points, max_points * ratio / t), 4)
        gaps = _gaps(key, c, register)
        out.append(
            IndicatorValue(
                key=key, name=name, numerator=num, denominator=den, ratio=ratio,
                threshold=t, max_points=max_points, points=points, missing=gaps, reason=reason_of(gaps),
            )
        )
    return out


def quality_of(c: Counts) -> list[IndicatorValue]:
    pairs = {
        "scan_compliance": (c.pages_ok, c.pages_judged),
        "metadata_completeness": (c.fields_read, c.fields_mandatory),
        "review_rate": (c.review, c.documents),
    }
    return [
        IndicatorValue(key=k, name=n, numerator=pairs[k][0], denominator=pairs[k][1], ratio=_ratio(*pairs[k]))
        for k, n in QUALITY
    ]


def _metrics(
    code: str, tree: Tree, level: int, rolled: Counts, own: Counts, thresholds: Mapping[str, float], register: bool
) -> UnitMetrics:
    inds = indicators_of(rolled, thresholds, register=register)
    pts = [i.points for i in inds if i.points is not None]
    return UnitMetrics(
        unit=code,
        name=tree.names.get(code, ""),
        parent=tree.parents.get(code),
        level=level,
        dossiers=rolled.dossiers,
        own_dossiers=own.dossiers,
        indicators=inds,
        points=round(sum(pts), 4) if pts else None,
        quality=quality_of(rolled),
    )


def has_register(session: Session) -> bool:
    return session.scalar(select(RegisterEntry.ma_ho_so).limit(1)) is not None


def compute(
    db_url: str,
    period: Period,
    *,
    unit: str | None = None,
    as_of: date | None = None,
    thresholds: Mapping[str, float] | None = None,
) -> Report:
    as_of = as_of or today_local()
    limits = thresholds_from(thresholds)
    with db.session_scope(db_url) as s:
        register = has_register(s)
        own = _dossier_counts(s, period, as_of, register=register)
        _quality_counts(s, period, as_of, own)
        tree = load_tree(s)
        n_seen = sum(c.dossiers for c in own.values())
    for code in sorted(own, key=lambda c: (c.count("."), c)):  # parents before children
        tree.add_seen(code)
    if unit is not None and unit not in tree.parents:
        raise ValueError(f"unit {unit!r} is neither in the unit list nor in the data of {period.label}")
    rolled: dict[str, Counts] = {c: Counts() for c in tree.parents}
    for code, counts in own.items():
        rolled[code].add(counts)
        for anc in tree.ancestors(code):
            rolled[anc].add(counts)
    scope = tree.subtree(unit) if unit else set(tree.parents)
    kids = tree.children()
    roots = [unit] if unit else kids.get(None, [])
    units: list[UnitMetrics] = []

    def walk(code: str, level: int) -> None:
        units.append(_metrics(code, tree, level, rolled[code], own.get(code, Counts()), limits, register))
        for child in kids.get(code, []):
            if child in scope:
                walk(child, level + 1)

    for r in roots:
        walk(r, 0)
    total_counts = Counts()
    for r in roots:
        total_counts.add(rolled[r])
    total = _metrics("*", Tree(names={"*": "Tổng"}), 0, total_counts, Counts(), limits, register)
    notes = []
    if not register and n_seen:
        notes.append(
            f"Chưa nhập sổ đăng ký hồ sơ (sohoa import-register): tỷ lệ tính trên {n_seen} hồ sơ hệ thống đã thấy "
            "trong kỳ, ngày tiếp nhận là ngày thấy lần đầu, hoàn thành là đã có kết quả số hóa; kết nối kho và dữ "
            "liệu dân cư không tính được."
        )
    if total_counts.dossiers == 0:
        with db.session_scope(db_url) as s:
            span = _span(s, register=register)
        notes.append(_empty_note(span, period, as_of, register=register, unit=unit))
    return Report(
        period=period.info(),
        as_of=as_of,
        unit=unit,
        source="register" if register else "pipeline",
        notes=notes,
        thresholds=limits,
        max_points=sum(m for _, _, m in INDICATORS),
        total=total,
        units=units,
        generated_at=datetime.now(UTC),
    )


def _span(session: Session, *, register: bool) -> tuple[date, date] | None:
    """The first and last reception (or first-seen) day of all dossiers, to say where the data is."""
    col: Any = RegisterEntry.received_on if register else Dossier.first_seen
    lo, hi = session.execute(select(func.min(col), func.max(col))).one()
    return None if lo is None else (_as_date(lo), _as_date(hi))


def _empty_note(span: tuple[date, date] | None, period: Period, as_of: date, *, register: bool,
                unit: str | None) -> str:
    """Why a report is empty: no dossier of the period (by the as-of day), and where the dossiers are."""
    where = f" ở đơn vị {unit}" if unit else ""
    until = f" tính đến ngày {as_of.isoformat()}" if as_of < period.end - timedelta(days=1) else ""
    head = f"Không có hồ sơ nào tiếp nhận trong kỳ {period.label}{where}{until}"
    if span is None:
        return head + (": sổ đăng ký chưa có hồ sơ nào." if register else
                       ": chưa nhập sổ đăng ký (sohoa import-register) và hệ thống chưa thấy hồ sơ nào.")
    src = "sổ đăng ký có hồ sơ tiếp nhận" if register else "hệ thống đã thấy hồ sơ"
    last = f"{span[1].year}-Q{(span[1].month - 1) // 3 + 1}"
    return f"{head}; {src}{' (mọi đơn vị)' if unit else ''} từ {span[0].isoformat()} đến {span[1].isoformat()} " \
           f"(kỳ gần nhất: --period {last})."


def _as_date(v: Any) -> date:
    if isinstance(v, datetime):
        return stored_utc(v).astimezone(VN_TZ).date()
    if isinstance(v, str):
        return date.fromisoformat(v[:10])
    return v  # type: ignore[no-any-return]


_KNOWN: tuple[tuple[MissingName, str], ...] = (
    ("completed_on", "completion_known"), ("paper_result", "paper_known"), ("reused", "reuse_known"),
    ("ket_noi_kho", "kho_known"), ("du_lieu_dan_cu", "dc_known"),
)


def dossier_details(
    db_url: str, period: Period, *, unit: str | None = None, as_of: date | None = None
) -> Iterator[DossierDetail]:
    """Every dossier of the period (of the unit's subtree) and the numerators and denominators it
    counts in, streamed from the database."""
    as_of = as_of or today_local()
    with db.session_scope(db_url) as s:
        register = has_register(s)
        q = _dossier_select(s, period, as_of, register=register).subquery("d")
        stmt = select(q)
        if unit is not None:
            tree = load_tree(s)
            base_units = select(func.distinct(RegisterEntry.unit if register else Dossier.unit))
            for code in sorted((c for c in s.scalars(base_units) if c), key=lambda c: (c.count("."), c)):
                tree.add_seen(code)
            stmt = stmt.where(q.c.unit.in_(sorted(tree.subtree(unit))))
        stmt = stmt.order_by(q.c.unit, q.c.received, q.c.ma_ho_so)
        for r in s.execute(stmt.execution_options(yield_per=2000)).mappings():
            flags = {k: bool(r[k]) for k in ("paper", "completed", "comp", "res", "reused", "kho", "dc")}
            num, den = [], []
            if flags["completed"] and flags["paper"]:
                den.append("ket_qua_dien_tu")
                if flags["res"]:
                    num.append("ket_qua_dien_tu")
            den += ["so_hoa_ho_so", "tai_su_dung"]
            den += [k for k, known in (("ket_noi_kho", "kho_known"), ("du_lieu_dan_cu", "dc_known")) if r[known]]
            if flags["comp"] and (not flags["paper"] or flags["res"]):
                num.append("so_hoa_ho_so")
            for key, flag in (("tai_su_dung", "reused"), ("ket_noi_kho", "kho"), ("du_lieu_dan_cu", "dc")):
                if flags[flag]:
                    num.append(key)
            missing: list[MissingName] = [i for i, known in _KNOWN if not r[known]]
            if not register:  # the flags only a register has
                missing = [i for i in missing if i not in ("ket_noi_kho", "du_lieu_dan_cu")] + ["register"]
            yield DossierDetail(
                ma_ho_so=r["ma_ho_so"],
                unit=r["unit"],
                ma_thu_tuc=r["ma_thu_tuc"],
                received_on=_as_date(r["received"]),
                completed_on=_as_date(r["completed_on"]) if r["completed_on"] is not None else None,
                paper_result=flags["paper"],
                component_digitised=flags["comp"],
                result_digitised=flags["res"],
                reused=flags["reused"],
                ket_noi_kho=flags["kho"],
                du_lieu_dan_cu=flags["dc"],
                numerator=num,
                denominator=den,
                missing=missing,
            )
