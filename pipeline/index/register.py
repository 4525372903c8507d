"""Import the one-stop-shop register (hồ sơ), the procedures list (TTHC) and the unit tree from the CSV
or XLSX files those systems export, with their Vietnamese column names.

Every import is one transaction: bad rows are reported with their line number and the reason, and
nothing is written unless the file is clean or the caller asked for a partial import (then the good
rows are written, still in one transaction). Re-importing a file updates rows by their key (dossier
code, procedure code, unit code); it never duplicates them.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pipeline.keep import db
from pipeline.keep.models import Procedure, RegisterEntry, Unit
from pipeline.vn.codes import parse_dossier_code, parse_procedure_code, parse_unit_code
from pipeline.vn.dates import find_dates
from pipeline.vn.text import fold

CHUNK = 2000
HEADER_SEARCH_ROWS = 30  # exports often put a title block above the header row
MAX_REPORTED_ERRORS = 1000

_TRUE = {"co", "x", "1", "true", "yes", "y", "dung", "v", "da", "✓", "✔", "1.0"}
_FALSE = {"khong", "0", "false", "no", "n", "", "-", "chua", "0.0"}
_ISO_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.+Z-]*)?$")
_EXCEL_EPOCH = date(1899, 12, 30)


class ImportFileError(Exception):
    """The file as a whole cannot be imported (unreadable, no header row, a required column missing)."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


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

    @property
    def good(self) -> int:
        return self.rows - self.error_count


# --- cell converters: return the value or raise ValueError with a reason a clerk understands --------
def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def to_bool(v: Any) -> bool | None:
    """`Có`/`x`/`1`/`true` → True, `Không`/`0`/`false` → False, empty → None."""
    if isinstance(v, bool):
        return v
    s = fold(_text(v))
    if s == "":
        return None
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise ValueError(f"'{_text(v)}' is neither yes (Có, x, 1) nor no (Không, 0)")


def to_date(v: Any) -> date | None:
    """A date as registers write it: a spreadsheet date, `07/04/2023`, `07-04-2023 08:30`,
    `2023-04-07`, `ngày 07 tháng 4 năm 2023`, or a spreadsheet serial number. Future dates are fine
    (due dates); only the calendar is checked."""
    if v is None:
        return None
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    if isinstance(v, int | float) and not isinstance(v, bool):
        if 1 <= v < 2_958_466:  # Excel's serial day numbers
            return _EXCEL_EPOCH + timedelta(days=int(v))
        raise ValueError(f"'{v}' is not a date")
    s = _text(v)
    if not s:
        return None
    if m := _ISO_RE.match(s):
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            raise ValueError(f"'{s}' is not a real date") from None
    # The document date reader handles dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy and the worded form with
    # OCR-proof digits; registers may hold future dates, so its "not after today" bound is lifted.
    found = find_dates(s, today=date.max)
    if found and found[0].start == 0:
        return found[0].value
    raise ValueError(f"'{s}' is not a date (expected dd/mm/yyyy)")


def _flag(v: Any) -> bool:
    """A register flag: empty means not flagged."""
    return bool(to_bool(v))


def to_channel(v: Any) -> str | None:
    s = _text(v)
    if not s:
        return None
    f = fold(s)
    if any(k in f for k in ("truc tuyen", "online", "dvc", "dich vu cong", "qua mang")):
        return "truc_tuyen"
    if any(k in f for k in ("buu chinh", "bcci", "buu dien")):
        return "buu_chinh"
    if "truc tiep" in f or "mot cua" in f:
        return "truc_tiep"
    return s[:64]


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


# --- table specifications ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    key: str
    aliases: tuple[str, ...]
    convert: Callable[[Any], Any]
    required: bool = False


@dataclass(frozen=True)
class TableSpec:
    name: str
    model: type[Any]
    key: str
    columns: tuple[Column, ...]
    check: Callable[[dict[str, Any]], str | None] = lambda _row: None


def _register_check(row: dict[str, Any]) -> str | None:
    if row["completed_on"] is not None and row["completed_on"] < row["received_on"]:
        return f"completion date {row['completed_on']} is before the reception date {row['received_on']}"
    if row["due_on"] is not None and row["due_on"] < row["received_on"]:
        return f"due date {row['due_on']} is before the reception date {row['received_on']}"
    return None


def _required(convert: Callable[[Any], Any], what: str) -> Callable[[Any], Any]:
    def inner(v: Any) -> Any:
        out = convert(v)
        if out is None or out == "":
            raise ValueError(f"{what} is empty")
        return out

    return inner


REGISTER = TableSpec(
    name="register",
    model=RegisterEntry,
    key="ma_ho_so",
    columns=(
        Column("ma_ho_so", ("Mã hồ sơ", "Số hồ sơ", "Mã số hồ sơ"), to_dossier, required=True),
        Column("ma_thu_tuc", ("Mã TTHC", "Mã thủ tục", "Mã thủ tục hành chính", "Mã TTHC quốc gia"), to_procedure),
        Column(
            "unit",
            ("Mã đơn vị", "Mã cơ quan", "Mã định danh cơ quan", "Đơn vị", "Cơ quan tiếp nhận", "Đơn vị tiếp nhận"),
            to_unit,
            required=True,
        ),
        Column("received_on", ("Ngày tiếp nhận", "Ngày nhận", "Ngày nộp"), _required(to_date, "reception date"), True),
        Column("due_on", ("Ngày hẹn trả", "Ngày hẹn trả kết quả", "Hạn xử lý"), to_date),
        Column("completed_on", ("Ngày hoàn thành", "Ngày trả kết quả", "Ngày có kết quả", "Ngày kết thúc"), to_date),
        Column("channel", ("Kênh", "Hình thức nộp", "Kênh nộp", "Hình thức tiếp nhận"), to_channel),
        Column("paper_result", ("Có kết quả giấy", "Kết quả giấy", "Trả kết quả giấy"), to_bool),
        Column("reused", ("Tái sử dụng", "Tái sử dụng dữ liệu", "Sử dụng lại dữ liệu"), _flag),
        Column("ket_noi_kho", ("Kết nối kho", "Kết nối kho dữ liệu", "Kho dữ liệu", "Đồng bộ kho"), _flag),
        Column(
            "du_lieu_dan_cu",
            ("Dữ liệu dân cư", "Khai thác dữ liệu dân cư", "CSDL dân cư", "Sử dụng dữ liệu dân cư"),
            _flag,
        ),
    ),
    check=_register_check,
)

PROCEDURES = TableSpec(
    name="procedures",
    model=Procedure,
    key="code",
    columns=(
        Column("code", ("Mã TTHC", "Mã thủ tục", "Mã", "code"), _required(to_procedure, "procedure code"), True),
        Column("name", ("Tên thủ tục", "Tên TTHC", "Tên thủ tục hành chính", "Tên", "name"), _text),
        Column(
            "paper_result",
            ("Có kết quả giấy", "Kết quả giấy", "paper_result"),
            lambda v: True if to_bool(v) is None else to_bool(v),  # unknown: assume a paper result
        ),
    ),
)


def _units_check(row: dict[str, Any]) -> str | None:
    return "a unit cannot be its own parent" if row["parent_code"] == row["code"] else None


UNITS = TableSpec(
    name="units",
    model=Unit,
    key="code",
    columns=(
        Column("code", ("Mã đơn vị", "Mã định danh", "Mã cơ quan", "code"), to_unit, True),
        Column("name", ("Tên đơn vị", "Tên cơ quan", "Tên", "name"), _text),
        Column(
            "parent_code",
            ("Mã đơn vị cha", "Mã cơ quan cấp trên", "Đơn vị cha", "parent_code", "parent"),
            lambda v: to_unit(v) if _text(v) else None,
        ),
    ),
    check=_units_check,
)


# --- reading CSV and XLSX ----------------------------------------------------------------------------
def _csv_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ImportFileError(path, f"not UTF-8 text (byte {e.start}); save the export as CSV UTF-8") from None
    first = text.split("\n", 1)[0]
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


def _norm_header(h: Any) -> str:
    return re.sub(r"[\s_:*]+", " ", fold(_text(h))).strip()


def load_mapping(path: Path | None) -> dict[str, list[str]]:
    """A YAML mapping `{field: column or [columns]}` (optionally under `columns:`) naming this
    deployment's own column headers; it takes precedence over the default names."""
    if path is None:
        return {}
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as e:
        raise ImportFileError(path, f"unreadable mapping ({e})") from None
    if isinstance(data, dict) and isinstance(data.get("columns"), dict):
        data = data["columns"]
    if not isinstance(data, dict):
        raise ImportFileError(path, "the mapping must be a dictionary {field: column name}")
    out: dict[str, list[str]] = {}
    for k, v in data.items():
        names = v if isinstance(v, list) else [v]
        out[str(k)] = [str(n) for n in names]
    return out


def _locate(
    path: Path, spec: TableSpec, rows: Iterator[tuple[int, list[Any]]], mapping: dict[str, list[str]]
) -> tuple[int, dict[str, int]]:
    """Find the header row (within the first rows) and the index of each known column."""
    unknown = set(mapping) - {c.key for c in spec.columns}
    if unknown:
        known = ", ".join(c.key for c in spec.columns)
        raise ImportFileError(path, f"the mapping names unknown fields {sorted(unknown)} (known: {known})")
    best: tuple[int, dict[str, int], list[str]] | None = None
    for line, cells in rows:
        headers = [_norm_header(c) for c in cells]
        found: dict[str, int] = {}
        for col in spec.columns:
            for alias in [*mapping.get(col.key, []), *([] if col.key in mapping else col.aliases)]:
                a = _norm_header(alias)
                if a in headers:
                    found[col.key] = headers.index(a)
                    break
        if all(c.key in found for c in spec.columns if c.required):
            return line, found
        if best is None or len(found) > len(best[1]):
            best = (line, found, [_text(c) for c in cells if _text(c)])
        if line >= HEADER_SEARCH_ROWS:
            break
    missing = [c.key for c in spec.columns if c.required and (best is None or c.key not in best[1])]
    seen = f"; columns seen on line {best[0]}: {best[2]}" if best and best[2] else ""
    raise ImportFileError(path, f"no header row with the required columns {missing}{seen}")


def import_table(
    path: Path, spec: TableSpec, db_url: str, *, mapping: Path | None = None, partial: bool = False
) -> ImportResult:
    rows = read_rows(path)
    header_line, index = _locate(path, spec, rows, load_mapping(mapping))
    result = ImportResult(file=str(path))
    seen: dict[str, int] = {}
    now = datetime.now(UTC)

    def bad(line: int, reason: str) -> None:
        result.error_count += 1
        if len(result.errors) < MAX_REPORTED_ERRORS:
            result.errors.append(RowError(line, reason))

    with db.session_scope(db_url) as session:
        batch: list[dict[str, Any]] = []
        for line, cells in rows:
            if line <= header_line or not any(_text(c) for c in cells):
                continue
            result.rows += 1
            row: dict[str, Any] = {}
            reasons = []
            for col in spec.columns:
                raw = cells[index[col.key]] if col.key in index and index[col.key] < len(cells) else None
                try:
                    row[col.key] = col.convert(raw)
                except ValueError as e:
                    reasons.append(f"{col.aliases[0]}: {e}")
            if not reasons and (problem := spec.check(row)):
                reasons.append(problem)
            key = str(row.get(spec.key))
            if not reasons and key in seen:
                reasons.append(f"{spec.key} {key} repeats line {seen[key]}")
            if reasons:
                bad(line, "; ".join(reasons))
                continue
            seen[key] = line
            if spec.model is RegisterEntry:
                row.update(source_file=path.name, source_line=line, imported_at=now)
            batch.append(row)
            if len(batch) >= CHUNK:
                _upsert(session, spec, batch, result)
                batch = []
        if batch:
            _upsert(session, spec, batch, result)
        if spec is UNITS and (cycle := _unit_cycle(session)):
            bad(header_line, f"the unit tree has a cycle: {' → '.join(cycle)}")
            session.rollback()
            return result
        if result.error_count and not partial:
            session.rollback()
            result.inserted = result.updated = 0
            return result
        result.committed = True
    return result


def _upsert(session: Session, spec: TableSpec, batch: Sequence[dict[str, Any]], result: ImportResult) -> None:
    """Insert new rows and update existing ones by key, with the dialect's own upsert."""
    table = spec.model.__table__
    keycol = table.c[spec.key]
    keys = [r[spec.key] for r in batch]
    existing = set(session.scalars(select(keycol).where(keycol.in_(keys))))
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
    stmt = insert(table)
    cols = [k for k in batch[0] if k != spec.key]
    stmt = stmt.on_conflict_do_update(index_elements=[keycol], set_={k: stmt.excluded[k] for k in cols})
    session.execute(stmt, list(batch))
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


def import_register(path: Path, db_url: str, *, mapping: Path | None = None, partial: bool = False) -> ImportResult:
    return import_table(path, REGISTER, db_url, mapping=mapping, partial=partial)


def import_procedures(path: Path, db_url: str, *, mapping: Path | None = None, partial: bool = False) -> ImportResult:
    return import_table(path, PROCEDURES, db_url, mapping=mapping, partial=partial)


def import_units(path: Path, db_url: str, *, mapping: Path | None = None, partial: bool = False) -> ImportResult:
    return import_table(path, UNITS, db_url, mapping=mapping, partial=partial)
