"""Import the one-stop-shop register (hồ sơ), the procedures list (TTHC) and the unit tree from the CSV
or XLSX files those systems export, with the headers they really use (`columns.py`).

No column is dropped in silence: every header of the file either feeds a field, is a known column
no field needs, or is named by `--ignore-column`; otherwise the file is refused before anything is
written, and so it is when a column an indicator needs is missing (the completion date, the flags).
What each column fed is in the result's plan, for the command to print.

Units and procedures given by name (the common dossier exports) are looked up in the imported unit
list and procedures list; a unit that cannot be found is taken from the dossier code's unit prefix,
or the row is an error.

Every import is one transaction: bad rows are reported with their line number and the reason, and
nothing is written unless the file is clean or the caller asked for a partial import (then the good
rows are written, still in one transaction). Re-importing a file updates rows by their key (dossier
code, procedure code, unit code); it never duplicates them, and a column the new file does not have
keeps the value an earlier import gave it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import chain, islice
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pipeline.index import columns
from pipeline.index.columns import HEADER_SEARCH_ROWS, ImportFileError, Kind, Plan, cell_text
from pipeline.keep import db
from pipeline.keep.models import Procedure, RegisterEntry, Unit
from pipeline.vn.codes import dossier_unit, parse_dossier_code, parse_procedure_code, parse_unit_code
from pipeline.vn.dates import find_dates
from pipeline.vn.text import fold, nfc

__all__ = ["ImportFileError", "ImportResult", "RowError", "import_procedures", "import_register", "import_units"]

CHUNK = 2000
MAX_REPORTED_ERRORS = 1000

_TRUE = {"co", "x", "1", "true", "yes", "y", "dung", "v", "da", "✓", "✔", "1.0"}
_FALSE = {"khong", "0", "false", "no", "n", "", "-", "chua", "0.0", "sai"}
_ISO_RE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T][\d:.+Z-]*)?$")
_COMPACT_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?$")  # DVCQG: yyyyMMddHHmmss
_EXCEL_EPOCH = date(1899, 12, 30)
_CHANNEL_CODES = {"1": "truc_tiep", "2": "truc_tuyen", "3": "buu_chinh"}  # KenhThucHien of DVCQG


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str


@dataclass
class ImportResult:
    file: str
    rows: int = 0  # data rows read (empty rows skipped)
    inserted: int = 0
    updated: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)  # the first MAX_REPORTED_ERRORS
    committed: bool = False
    plan: Plan | None = None  # which column fed which field

    @property
    def good(self) -> int:
        return self.rows - self.error_count


class _NeedsList(Exception):
    """A column gives names and there is no list to look them up in: the file, not a row, is wrong."""


# --- cell converters: return the value or raise ValueError with a reason a clerk understands --------
_text = cell_text


def _rows(n: int) -> str:
    return f"{n} row" if n == 1 else f"{n} rows"


def to_bool(v: Any) -> bool | None:
    """`Có`/`x`/`1`/`true`/`Đã số hóa` → True, `Không`/`0`/`false`/`Chưa số hóa` → False, empty → None."""
    if isinstance(v, bool):
        return v
    s = fold(_text(v))
    if s == "":
        return None
    if s in _TRUE or s.startswith("da "):
        return True
    if s in _FALSE or s.startswith(("chua ", "khong ")):
        return False
    raise ValueError(f"'{_text(v)}' is neither yes (Có, x, 1, Đã …) nor no (Không, 0, Chưa …)")


def _compact_date(s: str) -> date | None:
    m = _COMPACT_RE.match(s)
    if m is None:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise ValueError(f"'{s}' is not a real date") from None


def to_date(v: Any) -> date | None:
    """A date as registers write it: a spreadsheet date, `07/04/2023`, `07-04-2023 08:30`,
    `2023-04-07`, `2023/04/07`, `ngày 07 tháng 4 năm 2023`, the national portal's `20230407083015`,
    or a spreadsheet serial number. Future dates are fine (due dates); only the calendar is checked."""
    if v is None:
        return None
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    if isinstance(v, int | float) and not isinstance(v, bool):
        if 1 <= v < 2_958_466:  # Excel's serial day numbers
            return _EXCEL_EPOCH + timedelta(days=int(v))
        if float(v).is_integer() and (d := _compact_date(str(int(v)))):
            return d
        raise ValueError(f"'{v}' is not a date")
    s = _text(v)
    if not s:
        return None
    if m := _ISO_RE.match(s):
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            raise ValueError(f"'{s}' is not a real date") from None
    if d := _compact_date(s):
        return d
    # The document date reader handles dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy and the worded form with
    # OCR-proof digits; registers may hold future dates, so its "not after today" bound is lifted.
    found = find_dates(s, today=date.max)
    if found and found[0].start == 0:
        return found[0].value
    raise ValueError(f"'{s}' is not a date (expected dd/mm/yyyy)")


def _flag(v: Any) -> bool:
    """A register flag of a column the file has: empty means not flagged."""
    return bool(to_bool(v))


def to_channel(v: Any) -> str | None:
    s = _text(v)
    if not s:
        return None
    f = fold(s)
    if any(k in f for k in ("truc tuyen", "online", "dvc", "dich vu cong", "qua mang", "vneid", "toan trinh")):
        return "truc_tuyen"
    if any(k in f for k in ("buu chinh", "bcci", "buu dien", "post", "mail")):
        return "buu_chinh"
    if any(k in f for k in ("truc tiep", "mot cua", "direct", "in person", "counter")):
        return "truc_tiep"
    return s[:64]


def to_channel_code(v: Any) -> str | None:
    """A channel column of codes (`KenhThucHien`): 1 direct, 2 online, 3 by post; words as `to_channel`."""
    return _CHANNEL_CODES.get(_text(v)) or to_channel(v)


def to_unit(v: Any) -> str:
    s = _text(v)
    code = parse_unit_code(s)
    if code is None:
        raise ValueError(f"'{s}' is not a unit code (e.g. H50.12 or 000.00.24.H46)")
    return code


def to_procedure(v: Any) -> str | None:
    s = _text(v)
    if not s:
        return None
    # Some systems append the unit to the national code (`1.001193.000.00.00.H50`): the national
    # code is the part the procedures list and the metrics know.
    head = re.match(r"^\s*(\d\s?\.\s?\d{6})", s)
    code = parse_procedure_code(head.group(1) if head else s)
    if code is None:
        raise ValueError(f"'{s}' is not a procedure code (d.dddddd, e.g. 1.001193)")
    return code


def to_dossier(v: Any) -> str:
    s = _text(v)
    if not s:
        raise ValueError("the dossier code is empty")
    # The register is the system of record: a code of another shape is kept as written, so a
    # deployment with its own numbering still imports; the default shape is normalised.
    return parse_dossier_code(s) or s[:64]


def _required(convert: Callable[[Any], Any], what: str) -> Callable[[Any], Any]:
    def inner(v: Any) -> Any:
        out = convert(v)
        if out is None or out == "":
            raise ValueError(f"{what} is empty")
        return out

    return inner


# --- names → codes -----------------------------------------------------------------------------------
def name_key(name: str) -> str:
    """A unit's or procedure's name for lookup: accents, case, punctuation and the `UBND`/`Ủy ban nhân
    dân` in front dropped (`UBND xã Thanh Thạch` is the list's `Xã Thanh Thạch`)."""
    s = re.sub(r"\bubnd\b", "uy ban nhan dan", fold(nfc(name)).strip())
    s = re.sub(r"^uy ban nhan dan\s+", "", s)
    return re.sub(r"[^0-9a-z]+", "", s)


@dataclass
class Names:
    """Codes by name, for exports that give a unit or a procedure by name."""

    codes: dict[str, str] = field(default_factory=dict)  # code -> name
    by_name: dict[str, set[str]] = field(default_factory=dict)

    def add(self, code: str, name: str | None) -> None:
        self.codes[code] = name or ""
        if name and (k := name_key(name)):
            self.by_name.setdefault(k, set()).add(code)

    def find(self, name: str) -> set[str]:
        return self.by_name.get(name_key(name), set())


# --- import kinds ------------------------------------------------------------------------------------
@dataclass
class _Context:
    """What one import needs from the database and counts on the way (for the plan's notes)."""

    units: Names = field(default_factory=Names)
    procedures: Names = field(default_factory=Names)
    counts: dict[str, int] = field(default_factory=dict)
    examples: dict[str, str] = field(default_factory=dict)
    outside: set[str] = field(default_factory=set)  # register units not in a unit list

    def count(self, what: str, example: str = "") -> None:
        self.counts[what] = self.counts.get(what, 0) + 1
        if example:
            self.examples.setdefault(what, example)


@dataclass(frozen=True)
class TableSpec:
    kind: Kind
    model: type[Any]
    key: str
    convert: Mapping[str, Callable[[Any], Any]]
    absent: Mapping[str, Any]  # the value of a field the file has no column for
    prepare: Callable[[Session, Plan, _Context], list[str]] = lambda _s, _p, _c: []  # more problems
    complete: Callable[[dict[str, Any], Plan, _Context, int], list[str]] = lambda _r, _p, _c, _l: []
    resolve: Callable[[Session, list[tuple[int, dict[str, Any]]], Plan], list[RowError]] | None = None
    notes: Callable[[Plan, _Context], list[str]] = lambda _p, _c: []
    stored: tuple[str, ...] = ()  # fields written to the table


def _prepare_register(session: Session, plan: Plan, ctx: _Context) -> list[str]:
    for code, name in session.execute(select(Unit.code, Unit.name)):
        ctx.units.add(code, name)
    with_flag = 0
    for code, name, paper in session.execute(select(Procedure.code, Procedure.name, Procedure.paper_result)):
        ctx.procedures.add(code, name)
        with_flag += paper is not None
    if "unit" not in plan.sources:
        plan.fallbacks["unit"] = "the unit prefix of each dossier code (no unit column)"
    if "paper_result" not in plan.sources and "ma_thu_tuc" in plan.sources and with_flag:
        plan.fallbacks["paper_result"] = (f"the procedures list ({with_flag} procedure{'s' if with_flag > 1 else ''} "
                                          "with a paper-result flag), by each dossier's procedure")
    return []


def _prepare_units(session: Session, plan: Plan, ctx: _Context) -> list[str]:
    parent = plan.sources.get("parent_code")
    if parent is not None and parent.reading == "internal" and "internal_code" not in plan.sources:
        return [f"{parent.header.where} gives parents in the exporting system's own codes, and the file has no "
                "column of those codes (Mã nhóm, GroupCode) to resolve them"]
    return []


def _register_unit(row: dict[str, Any], plan: Plan, ctx: _Context, line: int) -> str | None:
    given = row.get("unit") or ""
    from_code = dossier_unit(row["ma_ho_so"])
    if not given:
        if from_code is None:
            raise ValueError("no unit: the unit is empty and the dossier code carries none"
                             if "unit" in plan.sources else "no unit column, and the dossier code carries no unit")
        ctx.count("unit from code")
        return from_code
    code = parse_unit_code(given)
    if code is not None:
        if ctx.units.codes and code not in ctx.units.codes:
            ctx.outside.add(code)
        return code
    found = ctx.units.find(given)
    if len(found) == 1:
        ctx.count("unit by name")
        return next(iter(found))
    if len(found) > 1:
        if from_code in found:
            ctx.count("unit by name")
            return from_code
        raise ValueError(f"'{given}' names several units ({', '.join(sorted(found))}); give the unit code")
    if from_code is not None:
        ctx.count("unit name unknown", f"line {line}: '{given}' → {from_code}")
        return from_code
    if not ctx.units.codes:
        raise ValueError(f"'{given}' is not a unit code, and no unit list is imported to look names up "
                         "(sohoa units import)")
    raise ValueError(f"'{given}' is neither a unit code nor the name of a unit in the unit list")


def _register_procedure(given: str, ctx: _Context) -> str | None:
    if not given:
        return None
    if re.match(r"^\s*\d\s?\.", given):
        return to_procedure(given)
    found = ctx.procedures.find(given)
    if len(found) == 1:
        ctx.count("procedure by name")
        return next(iter(found))
    if len(found) > 1:
        raise ValueError(f"'{given}' names several procedures ({', '.join(sorted(found))}); give the procedure code")
    if not ctx.procedures.codes:
        raise _NeedsList("the register gives procedures by name and no procedures list is imported to look them "
                         "up: import it first (sohoa procedures import)")
    raise ValueError(f"'{given}' is neither a procedure code nor the name of a procedure in the procedures list")


def _complete_register(row: dict[str, Any], plan: Plan, ctx: _Context, line: int) -> list[str]:
    reasons = []
    try:
        row["unit"] = _register_unit(row, plan, ctx, line)
    except ValueError as e:
        reasons.append(str(e))
    try:
        row["ma_thu_tuc"] = _register_procedure(row.get("ma_thu_tuc") or "", ctx)
    except ValueError as e:
        reasons.append(str(e))
    if (code := row.get("ma_thu_tuc")) and ctx.procedures.codes and code not in ctx.procedures.codes:
        ctx.count("procedure not in list", code)
    row["completed_known"] = "completed_on" in plan.sources
    if reasons:
        return reasons
    if row["completed_on"] is not None and row["completed_on"] < row["received_on"]:
        return [f"completion date {row['completed_on']} is before the reception date {row['received_on']}"]
    if row["due_on"] is not None and row["due_on"] < row["received_on"]:
        return [f"due date {row['due_on']} is before the reception date {row['received_on']}"]
    return []


def _register_notes(plan: Plan, ctx: _Context) -> list[str]:
    c, out = ctx.counts, []
    if n := c.get("unit by name"):
        out.append(f"unit: {_rows(n)} name their unit, found in the unit list")
    if n := c.get("unit name unknown"):
        out.append(f"unit: {_rows(n)} name a unit the unit list does not have; the dossier code's unit is used "
                   f"({ctx.examples['unit name unknown']})")
    if n := c.get("unit from code"):
        out.append(f"unit: {_rows(n)} take it from the dossier code")
    if ctx.outside:
        shown = ", ".join(sorted(ctx.outside)[:5]) + (" …" if len(ctx.outside) > 5 else "")
        n = len(ctx.outside)
        out.append(f"unit: {n} unit{'s are' if n > 1 else ' is'} not in the unit list ({shown}); the report puts a "
                   "unit under the longest listed prefix of its code, or at the top")
    if n := c.get("procedure by name"):
        out.append(f"ma_thu_tuc: {_rows(n)} name their procedure, found in the procedures list")
    if (n := c.get("procedure not in list")) and "paper_result" not in plan.sources:
        out.append(f"paper_result: {_rows(n)} have a procedure the procedures list does not have (e.g. "
                   f"{ctx.examples['procedure not in list']}); the report takes them as issuing a paper result")
    return out


def _resolve_units(session: Session, rows: list[tuple[int, dict[str, Any]]], plan: Plan) -> list[RowError]:
    """Parents by code, by name (of a unit in the file or the list) or by the system's own code; a
    parent that is neither in the file nor in the unit list is an error on its line."""
    known = Names()
    for unit_code, name in session.execute(select(Unit.code, Unit.name)):
        known.add(unit_code, name)
    in_file = {r["code"] for _, r in rows}
    for _, r in rows:
        known.add(r["code"], r.get("name"))
    internal = {r["internal_code"]: r["code"] for _, r in rows if r.get("internal_code")}
    source = plan.sources.get("parent_code")
    errors = []
    for line, r in rows:
        r.pop("internal_code", None)
        given = r.get("parent_code") or ""
        if not given:
            r["parent_code"] = None
            continue
        code: str | None
        if source is not None and source.reading == "internal":
            code = internal.get(given)
            if code is None:
                errors.append(RowError(line, f"{source.header.text}: parent '{given}' is the own code of no unit "
                                             "in this file"))
                continue
        else:
            code = parse_unit_code(given)
            if code is None:
                found = known.find(given)
                if len(found) != 1:
                    errors.append(RowError(line, f"parent '{given}' names several units ({', '.join(sorted(found))})"
                                           if found else f"parent '{given}' is neither a unit code nor the name of a "
                                           "unit in this file or the unit list"))
                    continue
                code = next(iter(found))
        if code == r["code"]:
            errors.append(RowError(line, "a unit cannot be its own parent"))
        elif code not in in_file and code not in known.codes:
            errors.append(RowError(line, f"parent {code} is neither in this file nor in the unit list"))
        r["parent_code"] = code
    return errors


REGISTER = TableSpec(
    kind=columns.REGISTER,
    model=RegisterEntry,
    key="ma_ho_so",
    convert={
        "ma_ho_so": to_dossier,
        "ma_thu_tuc": _text,
        "unit": _text,
        "received_on": _required(to_date, "reception date"),
        "due_on": to_date,
        "completed_on": to_date,
        "channel": to_channel,
        "channel/code": to_channel_code,
        "paper_result": to_bool,
        "reused": _flag,
        "ket_noi_kho": _flag,
        "du_lieu_dan_cu": _flag,
    },
    # A flag the file has no column for is unknown (NULL), not "no": the report says so.
    absent={"ma_thu_tuc": None, "unit": "", "due_on": None, "completed_on": None, "channel": None,
            "paper_result": None, "reused": None, "ket_noi_kho": None, "du_lieu_dan_cu": None},
    prepare=_prepare_register,
    complete=_complete_register,
    notes=_register_notes,
    stored=("ma_ho_so", "ma_thu_tuc", "unit", "received_on", "due_on", "completed_on", "channel", "paper_result",
            "reused", "ket_noi_kho", "du_lieu_dan_cu"),
)

PROCEDURES = TableSpec(
    kind=columns.PROCEDURES,
    model=Procedure,
    key="code",
    convert={"code": _required(to_procedure, "procedure code"), "name": _text, "paper_result": to_bool},
    absent={"name": "", "paper_result": None},  # None: the list does not say; the report assumes yes
    stored=("code", "name", "paper_result"),
)

UNITS = TableSpec(
    kind=columns.UNITS,
    model=Unit,
    key="code",
    convert={"code": to_unit, "name": _text, "parent_code": _text, "internal_code": _text},
    absent={"name": "", "parent_code": "", "internal_code": ""},
    prepare=_prepare_units,
    resolve=_resolve_units,
    stored=("code", "name", "parent_code"),
)


# --- reading CSV and XLSX ----------------------------------------------------------------------------
def _csv_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ImportFileError(path, f"not UTF-8 text (byte {e.start}); save the export as CSV UTF-8") from None
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    for row in reader:
        yield reader.line_num, list(row)


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as e:
        raise ImportFileError(path, f"not a readable XLSX workbook ({e})") from None
    try:
        ws = wb.worksheets[0]
        for i, row in enumerate(ws.iter_rows(values_only=True), start=1):
            yield i, list(row)
    finally:
        wb.close()


def read_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    """(line or row number, cells) of the file's first sheet."""
    if not path.exists():
        raise ImportFileError(path, "no such file")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _xlsx_rows(path)
    if path.suffix.lower() in (".csv", ".txt", ".tsv"):
        return _csv_rows(path)
    raise ImportFileError(path, "unsupported file type (expected .csv or .xlsx)")


# --- the import --------------------------------------------------------------------------------------
def _refusal(problems: Sequence[str]) -> str:
    return ("cannot import:\n" + "\n".join(f"  - {p}" for p in problems)
            + "\n  name the columns in --mapping FILE.yaml, or pass --ignore-column NAME (a header or a field) "
            "for each to import without it")


def import_table(
    path: Path,
    spec: TableSpec,
    db_url: str,
    *,
    mapping: Path | None = None,
    partial: bool = False,
    ignore: Sequence[str] = (),
) -> ImportResult:
    the_mapping = columns.load_mapping(mapping)
    rows = read_rows(path)
    head = list(islice(rows, HEADER_SEARCH_ROWS))
    plan, used = columns.locate(path, spec.kind, head, the_mapping, [*the_mapping.ignore, *ignore])
    result = ImportResult(file=str(path), plan=plan)
    now = datetime.now(UTC)
    ctx = _Context()
    seen: dict[str, int] = {}
    stray: dict[int, int] = {}  # a column with no header that holds data: its first line

    def bad(line: int, reason: str) -> None:
        result.error_count += 1
        if len(result.errors) < MAX_REPORTED_ERRORS:
            result.errors.append(RowError(line, reason))

    sources = [(f, s.header.index, s.header.text, s.reading) for f, s in plan.sources.items()]
    converters = {f: spec.convert.get(f"{f}/{reading}", spec.convert[f]) for f, _, _, reading in sources}
    absent = {f: v for f, v in spec.absent.items() if f not in plan.sources}
    headed = plan.headed | {h.index for h in plan.ignored}
    # Re-importing updates only what this file has: a column it lacks keeps the earlier value.
    update = [k for k in spec.stored if k in plan.sources or (k in plan.fallbacks and k != "paper_result")]
    if spec.model is RegisterEntry:
        update += ["source_file", "source_line", "imported_at"] + (["completed_known"] if "completed_on" in
                                                                    plan.sources else [])
    with db.session_scope(db_url) as session:
        if problems := spec.prepare(session, plan, ctx) + plan.problems():
            raise ImportFileError(path, _refusal(problems), plan)
        batch: list[dict[str, Any]] = []
        buffered: list[tuple[int, dict[str, Any]]] = []
        first = True
        for line, cells in chain(head[used:], rows):
            if not any(_text(c) for c in cells):
                continue
            if first:
                first = False
                if columns.is_number_row(cells):
                    plan.notes.append(f"line {line}: the column numbers under the header, skipped")
                    continue
            for i, c in enumerate(cells):
                if c is not None and c != "" and i not in headed and i not in stray and _text(c):
                    stray[i] = line
            result.rows += 1
            row: dict[str, Any] = dict(absent)
            reasons = []
            for f, idx, header, reading in sources:
                raw = cells[idx] if idx < len(cells) else None
                try:
                    value = converters[f](raw)
                except ValueError as e:
                    reasons.append(f"{header}: {e}")
                    continue
                row[f] = (None if value is None else not value) if reading == "negated" else value
            if not reasons:
                try:
                    reasons = spec.complete(row, plan, ctx, line)
                except _NeedsList as e:
                    raise ImportFileError(path, _refusal([str(e)]), plan) from None
            key = str(row.get(spec.key))
            if not reasons and key in seen:
                reasons.append(f"{spec.key} {key} repeats line {seen[key]}")
            if reasons:
                bad(line, "; ".join(reasons))
                continue
            seen[key] = line
            if spec.model is RegisterEntry:
                row.update(source_file=path.name, source_line=line, imported_at=now)
            if spec.resolve is not None:
                buffered.append((line, row))
                continue
            batch.append(row)
            if len(batch) >= CHUNK:
                _upsert(session, spec, batch, result, update)
                batch = []
        if stray:
            problems = [f"col {columns.col_letter(i)} has no header but holds data (line {ln})"
                        for i, ln in sorted(stray.items())]
            raise ImportFileError(path, _refusal(problems), plan)
        if spec.resolve is not None:
            for err in spec.resolve(session, buffered, plan):
                bad(err.line, err.reason)
            failed = {e.line for e in result.errors}
            batch = [r for line, r in buffered if line not in failed]
        for i in range(0, len(batch), CHUNK):
            _upsert(session, spec, batch[i : i + CHUNK], result, update)
        plan.notes += spec.notes(plan, ctx)
        if spec is UNITS and (cycle := _unit_cycle(session)):
            bad(plan.header_lines[-1], f"the unit tree has a cycle: {' → '.join(cycle)}")
            session.rollback()
            return result
        if result.error_count and not partial:
            session.rollback()
            result.inserted = result.updated = 0
            return result
        result.committed = True
    return result


def _upsert(session: Session, spec: TableSpec, batch: Sequence[dict[str, Any]], result: ImportResult,
            update: Sequence[str]) -> None:
    """Insert new rows and update existing ones by key (the columns in `update`), with the dialect's
    own upsert."""
    if not batch:
        return
    table = spec.model.__table__
    keycol = table.c[spec.key]
    keys = [r[spec.key] for r in batch]
    existing = set(session.scalars(select(keycol).where(keycol.in_(keys))))
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
    stmt = insert(table)
    cols = [k for k in update if k != spec.key and k in batch[0]]
    stmt = (stmt.on_conflict_do_update(index_elements=[keycol], set_={k: stmt.excluded[k] for k in cols}) if cols
            else stmt.on_conflict_do_nothing(index_elements=[keycol]))
    session.execute(stmt, [{k: v for k, v in r.items() if k in table.c} for r in batch])
    result.updated += len(existing)
    result.inserted += len(batch) - len(existing)


def _unit_cycle(session: Session) -> list[str] | None:
    parents: dict[str, str | None] = {c: p for c, p in session.execute(select(Unit.code, Unit.parent_code))}
    for start in parents:
        path, node = [start], parents.get(start)
        while node is not None:
            if node in path:
                return [*path[path.index(node) :], node]
            path.append(node)
            node = parents.get(node)
    return None


def import_register(path: Path, db_url: str, *, mapping: Path | None = None, partial: bool = False,
                    ignore: Sequence[str] = ()) -> ImportResult:
    return import_table(path, REGISTER, db_url, mapping=mapping, partial=partial, ignore=ignore)


def import_procedures(path: Path, db_url: str, *, mapping: Path | None = None, partial: bool = False,
                      ignore: Sequence[str] = ()) -> ImportResult:
    return import_table(path, PROCEDURES, db_url, mapping=mapping, partial=partial, ignore=ignore)


def import_units(path: Path, db_url: str, *, mapping: Path | None = None, partial: bool = False,
                 ignore: Sequence[str] = ()) -> ImportResult:
    return import_table(path, UNITS, db_url, mapping=mapping, partial=partial, ignore=ignore)
