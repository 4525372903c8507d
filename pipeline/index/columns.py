"""The columns of the files offices export (the one-stop-shop register, the procedures list, the unit
list): the header aliases of each import kind, in this one module, and how a file's header row is
found and read into fields.

A header matches an alias when both reduce to the same key (`key`): accents folded, case dropped,
camel case split (`NgayKetThucXuLy`), punctuation, `(*)` markers and spaces removed. A trailing bracket
is tried without it and on its own (`Mã đơn vị (*)`, `Số hiệu giấy tờ (Mã hồ sơ)`). Matching is on the
whole key, never on a prefix: `Mã đơn vị` is not `Mã đơn vị cấp trên`, `Ngày kết thúc` is not `Ngày kết
thúc dự kiến`. When several headers of a file mean the same field, the alias listed first wins (the
processing end `Ngày kết thúc xử lý` before the hand-back `Ngày trả kết quả`).

Headers an office exports that no field needs are listed too (`unused`): a header that is neither is
not understood, and the import refuses it rather than dropping a column in silence. Sources of the
aliases: /work/ext/headers.md (research for issue 15).

The "sổ theo dõi" layouts put a group header above sub-headers (`Ngày, tháng, năm` over `Nhận hồ sơ`,
`Hẹn trả kết quả`, `Trả kết quả`): two rows are read as one, and an alias `group > sub` matches a
sub-header only under its group (`Trả kết quả` alone is also a group header, over `Bên giao`, `Bên nhận`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.vn.text import fold, nfc

HEADER_SEARCH_ROWS = 30  # exports often put a title block above the header row
KEY = "key"  # Field.need: the row's key, never missing
REQUIRED = "required"  # Field.need: every row needs it


class ImportFileError(Exception):
    """The file as a whole cannot be imported (unreadable, no header row, a column missing or not
    understood). `plan` is what was understood of its columns, when it got that far."""

    def __init__(self, path: Path, reason: str, plan: Plan | None = None) -> None:
        self.path = path
        self.reason = reason
        self.plan = plan
        super().__init__(f"{path}: {reason}")


def cell_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def _split_camel(s: str) -> str:
    out: list[str] = []
    prev = ""
    for ch in s:
        if prev.islower() and ch.isupper():
            out.append(" ")
        out.append(ch)
        prev = ch
    return "".join(out)


def key(text: Any) -> str:
    """`Ngày kết thúc xử lý`, `NGAY_KET_THUC_XU_LY`, `NgayKetThucXuLy` → `ngayketthucxuly`."""
    return re.sub(r"[^0-9a-z]+", "", fold(nfc(_split_camel(cell_text(text)))))


_BRACKET_RE = re.compile(r"^(.*?)\s*[(\[]([^()\[\]]*)[)\]]\s*$", re.S)


def header_keys(text: str) -> list[str]:
    """The keys a header is tried under, best first: whole, without a trailing bracket, the bracket."""
    keys = [key(text)]
    if m := _BRACKET_RE.match(text):
        keys += [key(m[1]), key(m[2])]
    return list(dict.fromkeys(k for k in keys if k))


# --- the fields of each import kind ------------------------------------------------------------------
@dataclass(frozen=True)
class Field:
    key: str
    label: str  # what it is, for messages
    aliases: tuple[str, ...]
    need: str = ""  # KEY, REQUIRED, what it feeds (an indicator, the roll-up), or "" (optional)
    negated: tuple[str, ...] = ()  # headers meaning the opposite (`Thủ tục không có kết quả`)
    coded: tuple[str, ...] = ()  # headers whose cells are numeric codes (`KenhThucHien`: 1, 2, 3)
    internal: tuple[str, ...] = ()  # headers holding the exporting system's own codes (`OfGroupCode`)
    hint: str = ""  # how else to get it, said when it is missing
    quiet: bool = False  # not listed when missing (a helper column)


@dataclass(frozen=True)
class Hit:
    field: str | None  # None: a known column no field needs
    priority: int
    reading: str | None = None  # "negated", "code", "internal"


class Kind:
    """One import kind: its fields and the known columns it does not import."""

    def __init__(self, name: str, fields: Sequence[Field], unused: Iterable[str]) -> None:
        self.name = name
        self.fields = tuple(fields)
        self.unused = tuple(unused)
        self.table: dict[str, Hit] = {}
        for f in self.fields:
            readings: list[tuple[str, str | None]] = [(a, None) for a in (*f.aliases, f.key)]
            readings += [(a, "negated") for a in f.negated] + [(a, "code") for a in f.coded]
            readings += [(a, "internal") for a in f.internal]
            for prio, (alias, reading) in enumerate(readings):
                self._add(_alias_key(alias), Hit(f.key, prio, reading), alias)
        for alias in self.unused:
            self._add(_alias_key(alias), Hit(None, 0), alias)

    def _add(self, k: str, hit: Hit, alias: str) -> None:
        old = self.table.get(k)
        if old is not None and old.field != hit.field:
            raise ValueError(f"{self.name}: header alias {alias!r} means both {old.field} and {hit.field}")
        if old is None:
            self.table[k] = hit


def _alias_key(alias: str) -> str:
    if ">" in alias:
        group, sub = alias.split(">", 1)
        return f"{key(group)}>{key(sub)}"
    return key(alias)


_DATE_GROUP = ("Ngày, tháng, năm", "Ngày tháng năm", "Thời gian")
_COMMON_UNUSED = ("STT", "TT", "Số TT", "Số thứ tự", "Thứ tự", "Ghi chú", "Note", "Notes", "No")

REGISTER = Kind(
    "register",
    (
        Field("ma_ho_so", "dossier code", (
            "Mã hồ sơ", "Số hồ sơ", "Mã số hồ sơ", "Mã HS", "Mã hồ sơ DVC", "Số biên nhận", "Mã hồ sơ TTHC",
            "dossierNo", "C_RECORD_NO", "dossier code", "dossier no", "application no",
        ), KEY),
        Field("ma_thu_tuc", "procedure (code, or name looked up in the procedures list)", (
            "Mã TTHC", "Mã thủ tục", "Mã thủ tục hành chính", "Mã TTHC quốc gia", "Mã TTHC trên CSDL quốc gia",
            "Mã DVCQG", "Mã số TTHC", "procedure code",
            "Tên thủ tục hành chính", "Tên TTHC", "Tên thủ tục", "Thủ tục hành chính", "Thủ tục", "procedure name",
            "procedure",
        )),
        Field("unit", "receiving unit (code, or name looked up in the unit list)", (
            "Mã đơn vị", "Mã cơ quan", "Mã định danh", "Mã định danh cơ quan", "Mã định danh điện tử",
            "Mã đơn vị tiếp nhận", "Mã cơ quan tiếp nhận", "unit code", "agency code",
            "Đơn vị", "Cơ quan", "Đơn vị tiếp nhận", "Cơ quan tiếp nhận", "Cơ quan/đơn vị", "Cơ quan, đơn vị",
            "Cơ quan chủ trì giải quyết", "Đơn vị giải quyết", "Đơn vị xử lý", "Cơ quan thực hiện", "agency",
        ), REQUIRED),
        Field("received_on", "reception date", (
            "Ngày tiếp nhận", "Ngày tiếp nhận hồ sơ", "Ngày giờ tiếp nhận", "Thời gian tiếp nhận", "Ngày nhận hồ sơ",
            "Ngày nhận", "Ngày TN", "Nhận hồ sơ", "received", "received on", "reception date", "date received",
            # The submission date only where no reception date is exported (online dossiers are
            # submitted before they are received).
            "Ngày nộp hồ sơ", "Ngày nộp", "Ngày giờ nộp", "submitted",
        ), REQUIRED),
        Field("due_on", "due date", (
            "Ngày hẹn trả", "Ngày hẹn trả kết quả", "Ngày hẹn trả hồ sơ", "Ngày giờ hẹn trả", "Hạn xử lý",
            "Hạn giải quyết", "Ngày hẹn", "Hẹn trả kết quả", "due", "due date", "appointment date",
        )),
        Field("completed_on", "completion date", (
            # Processing finished (the result exists) first, the result handed back after.
            "Ngày kết thúc xử lý", "Ngày có kết quả", "Ngày hoàn thành", "Ngày hoàn thành xử lý",
            "Ngày giải quyết xong", "Ngày xử lý xong", "Ngày kết thúc", "Ngày trả kết quả", "Ngày trả thực tế",
            "Ngày trả", "Ngày nhận kết quả", "completed", "completed on", "completion date", "closed date",
            "date completed", "finished",
            *(f"{g} > Trả kết quả" for g in _DATE_GROUP),
        ), "ket_qua_dien_tu"),
        Field("channel", "channel", (
            "Kênh", "Kênh nộp", "Kênh tiếp nhận", "Hình thức nộp", "Hình thức nộp hồ sơ", "Hình thức tiếp nhận",
            "Phương thức nộp", "Nguồn hồ sơ", "submission channel",
        ), coded=("Kênh thực hiện", "Loại tiếp nhận", "Kiểu tiếp nhận")),
        Field("paper_result", "whether a paper result is issued", (
            "Có kết quả giấy", "Kết quả giấy", "Trả kết quả giấy", "Kết quả bản giấy", "Có trả kết quả giấy",
            "paper result",
        ), "ket_qua_dien_tu, so_hoa_ho_so", negated=("Chỉ trả kết quả điện tử", "Không có kết quả giấy"),
            hint="or import the procedures list first (sohoa procedures import): each dossier's procedure then says"),
        Field("reused", "reuse flag", (
            "Tái sử dụng", "Tái sử dụng dữ liệu", "Có tái sử dụng", "Có tái sử dụng thành phần",
            "Tái sử dụng thành phần hồ sơ", "Sử dụng lại dữ liệu", "reuse",
        ), "tai_su_dung"),
        Field("ket_noi_kho", "data-store flag", (
            "Kết nối kho", "Kết nối kho dữ liệu", "Kho dữ liệu", "Kho dữ liệu điện tử", "Đồng bộ kho",
            "Đưa vào kho dữ liệu", "Lưu kho dữ liệu cá nhân", "Chia sẻ kho dữ liệu", "data store",
            "shared to data store",
        ), "ket_noi_kho"),
        Field("du_lieu_dan_cu", "population-data flag", (
            "Dữ liệu dân cư", "Khai thác dữ liệu dân cư", "Sử dụng dữ liệu dân cư", "CSDL dân cư",
            "CSDLQG về dân cư", "Khai thác CSDLQG về dân cư", "population data",
        ), "du_lieu_dan_cu"),
    ),
    (
        *_COMMON_UNUSED, "Chủ hồ sơ", "Họ tên chủ hồ sơ", "Họ tên", "Tên cá nhân, tổ chức", "Người nộp",
        "Người đăng ký", "Họ tên, địa chỉ người nộp hồ sơ", "Địa chỉ", "Địa chỉ chủ hồ sơ", "Địa chỉ, số điện thoại",
        "Số điện thoại", "Email", "Loại đối tượng", "Số giấy tờ", "Số CMND/CCCD", "Số định danh", "DinhDanhCHS",
        "Trạng thái", "Trạng thái hồ sơ", "Lĩnh vực", "Tên lĩnh vực", "Mã lĩnh vực", "Người tiếp nhận",
        "Người nhận hồ sơ", "Người có trách nhiệm giải quyết", "Người xử lý", "Cán bộ xử lý", "Cán bộ xử lý hiện tại",
        "Phòng ban", "Đơn vị/ cá nhân giải quyết", "Nội dung hồ sơ", "Nội dung công việc cần giải quyết", "Số lượng",
        "Số lượng (bộ)", "Bên giao", "Bên nhận", "Ký nhận", "Phương thức nhận kết quả", "Hình thức trả", "Hình thức",
        "Thông tin trả", "Mức độ", "Mức trực tuyến", "Địa bàn phát sinh hồ sơ", "Nơi nộp hồ sơ", "Mã loại hồ sơ",
        "Ngày kết thúc dự kiến", "Ngày kết thúc theo QĐ", "Ngày hẹn trả mới", "Ngày hẹn trả trước",
        "Ngày bưu điện nhận kết quả", "Ngày ký hồ sơ", "Người ký hồ sơ", "Ngày tổ chức, công dân ký nhận lại hồ sơ",
        "Ngày từ chối", "Ngày, tháng, năm", "Trả kết quả", "Hồ sơ có thành phần số hóa",
        "Tài khoản được xác thực với VNeID", "Được thanh toán trực tuyến", "DSKetNoiCSDL", "Quá hạn", "Đúng hạn",
        "Trễ hạn", "Số ngày quá hạn", "Lệ phí", "Phí",
    ),
)

PROCEDURES = Kind(
    "procedures",
    (
        Field("code", "procedure code", (
            "Mã TTHC", "Mã thủ tục", "Mã thủ tục hành chính", "Mã số TTHC", "Mã TTHC quốc gia", "Mã DVCQG",
            "procedure code", "Mã",
        ), KEY),
        Field("name", "procedure name", (
            "Tên thủ tục", "Tên thủ tục hành chính", "Tên TTHC", "Thủ tục", "Thủ tục hành chính", "PROCEDURE_NAME",
            "procedure name", "Tên", "name",
        )),
        Field("paper_result", "whether a paper result is issued", (
            "Có kết quả giấy", "Kết quả giấy", "Kết quả bản giấy", "Trả kết quả giấy", "Có trả kết quả giấy",
            "paper result",
        ), "ket_qua_dien_tu, so_hoa_ho_so", negated=(
            "Không có kết quả giấy", "Chỉ trả kết quả điện tử", "Thủ tục không có kết quả", "Không có kết quả",
        )),
    ),
    (
        *_COMMON_UNUSED, "Lĩnh vực", "Lĩnh vực chính", "Mã lĩnh vực", "Mã lĩnh vực chính", "Tên lĩnh vực",
        "Lĩnh vực thực hiện", "Cấp thực hiện", "Cơ quan thực hiện", "Cơ quan thực hiện chính",
        "Cơ quan có thẩm quyền quyết định", "Loại thủ tục", "Loại TTHC", "Mức độ", "Mức trực tuyến",
        "Thời hạn giải quyết", "Cách thức thực hiện", "Cách thức nộp trực tuyến", "Đối tượng thực hiện",
        "Điều kiện thực hiện", "Yêu cầu điều kiện", "Trình tự thực hiện", "Thành phần hồ sơ", "Số bộ hồ sơ",
        "Căn cứ pháp lý", "Tình trạng hiệu lực", "Kết quả thực hiện", "Mã kết quả chính", "Tên kết quả chính",
        "Thông tin công bố", "Lệ phí", "Phí", "Địa chỉ tiếp nhận hồ sơ",
    ),
)

UNITS = Kind(
    "units",
    (
        Field("code", "unit code", (
            "Mã đơn vị", "Mã định danh", "Mã định danh điện tử", "Mã định danh cơ quan", "Mã ĐDĐT", "Mã cơ quan",
            "Mã cơ quan, tổ chức", "unit code", "agency code", "code",
        ), KEY),
        Field("name", "unit name", (
            "Tên đơn vị", "Tên cơ quan", "Tên cơ quan, tổ chức", "Tên cơ quan, đơn vị", "Tên nhóm", "GroupName",
            "Tên", "unit name", "name",
        )),
        Field("parent_code", "parent unit (code, or name of a unit in the file or the unit list)", (
            "Mã đơn vị cấp trên", "Mã đơn vị cha", "Mã cơ quan cấp trên", "Mã cơ quan cha", "Mã cơ quan chủ quản",
            "Mã định danh cấp trên", "Mã định danh cơ quan cấp trên", "Mã định danh cha", "Mã cha", "Đơn vị cha",
            "Đơn vị cấp trên", "Cơ quan cấp trên", "Trực thuộc", "Thuộc đơn vị", "Parent Code", "parent",
            "parent_id", "OfGroupName",
        ), "the roll-up over the unit tree", internal=("Mã nhóm cha", "OfGroupCode")),
        # The exporting system's own code of a unit (not the Decision 20 code): read only to resolve
        # parents given in that code space.
        Field("internal_code", "the system's own unit code", ("Mã nhóm", "GroupCode"), quiet=True),
    ),
    (*_COMMON_UNUSED, "Cấp đơn vị", "Cấp", "Loại đơn vị", "Mã tỉnh", "Mã huyện", "Mã xã", "Địa chỉ", "Số điện thoại",
     "Email", "Trạng thái"),
)


# --- the mapping file --------------------------------------------------------------------------------
@dataclass(frozen=True)
class ColumnMapping:
    columns: dict[str, list[str]] = field(default_factory=dict)  # field -> this deployment's headers
    ignore: list[str] = field(default_factory=list)


def load_mapping(path: Path | None) -> ColumnMapping:
    """A YAML mapping `{field: column or [columns]}` (optionally under `columns:`, with `ignore: [..]`
    beside it) naming this deployment's own headers; they take precedence over the aliases."""
    if path is None:
        return ColumnMapping()
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as e:
        raise ImportFileError(path, f"unreadable mapping ({e})") from None
    if not isinstance(data, dict):
        raise ImportFileError(path, "the mapping must be a dictionary {field: column name}")
    ignore = data.pop("ignore", None) or []
    if isinstance(data.get("columns"), dict):
        data = data["columns"]
    out: dict[str, list[str]] = {}
    for k, v in data.items():
        names = v if isinstance(v, list) else [v]
        out[str(k)] = [str(n) for n in names]
    return ColumnMapping(out, [str(n) for n in (ignore if isinstance(ignore, list) else [ignore])])


# --- finding the header and planning the columns -----------------------------------------------------
def col_letter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


@dataclass(frozen=True)
class Header:
    index: int
    text: str  # as shown: `Ngày, tháng, năm / Nhận hồ sơ` for a sub-header
    keys: tuple[str, ...]  # tried in order

    @property
    def where(self) -> str:
        return f"'{self.text}' (col {col_letter(self.index)})" if self.text else f"col {col_letter(self.index)}"


@dataclass(frozen=True)
class Source:
    field: str
    header: Header
    reading: str | None = None
    mapped: bool = False


@dataclass
class Plan:
    """What a file's columns mean: which column feeds which field, which are known and not used, which
    are not understood, which fields have no column."""

    kind: Kind
    header_lines: tuple[int, ...]
    sources: dict[str, Source] = field(default_factory=dict)
    unused: list[tuple[Header, str]] = field(default_factory=list)  # header, why
    unknown: list[Header] = field(default_factory=list)
    ignored: list[Header] = field(default_factory=list)  # by --ignore-column
    ignored_fields: set[str] = field(default_factory=set)  # fields the user does without
    headed: set[int] = field(default_factory=set)  # columns with a header
    bad_ignores: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the import made of it (`unit` from the dossier code)
    fallbacks: dict[str, str] = field(default_factory=dict)  # field -> where it comes from without a column

    def problems(self) -> list[str]:
        """Why this file cannot be imported as it is (empty: it can)."""
        out = [f"--ignore-column {n!r}: no column of this file and no field has that name (fields: "
               f"{', '.join(f.key for f in self.kind.fields)})" for n in self.bad_ignores]
        for f in self.kind.fields:
            if f.key in self.sources or f.key in self.fallbacks or not f.need:
                continue
            if f.need in (KEY, REQUIRED) or f.key not in self.ignored_fields:
                why = "every row needs it" if f.need in (KEY, REQUIRED) else f"needed for {f.need}"
                out.append(f"no column for {f.key} ({f.label}; {why}){'; ' + f.hint if f.hint else ''}")
        if self.unknown:
            out.append("headers not understood: " + ", ".join(h.where for h in self.unknown))
        return out

    def describe(self) -> list[str]:
        lines = [f"header on line {' and '.join(map(str, self.header_lines))}; columns:"]
        width = max(len(f.key) for f in self.kind.fields)
        for f in self.kind.fields:
            s = self.sources.get(f.key)
            if s is not None:
                how = {"negated": ", read negated", "code": ", read as codes"}.get(s.reading or "", "")
                lines.append(f"  {f.key:<{width}} ← {s.header.where}{how}{' (mapping)' if s.mapped else ''}")
            elif f.key in self.fallbacks:
                lines.append(f"  {f.key:<{width}} ← {self.fallbacks[f.key]}")
            elif f.quiet:
                continue
            elif f.key in self.ignored_fields:
                lines.append(f"  {f.key:<{width}} — no column, done without (--ignore-column)")
            else:
                lines.append(f"  {f.key:<{width}} — no column")
        if self.unused:
            lines.append("  not used: " + ", ".join(h.where + (f" ({why})" if why else "") for h, why in self.unused))
        if self.ignored:
            lines.append("  ignored: " + ", ".join(h.where for h in self.ignored))
        if self.unknown:
            lines.append("  not understood: " + ", ".join(h.where for h in self.unknown))
        return lines + [f"  {n}" for n in self.notes]


def _single(cells: Sequence[Any]) -> list[Header]:
    out = []
    for i, c in enumerate(cells):
        t = cell_text(c)
        if t:
            out.append(Header(i, " ".join(t.split()), tuple(header_keys(t))))
    return out


def _double(upper: Sequence[Any], lower: Sequence[Any]) -> list[Header]:
    """Two header rows read as one: a cell merged down keeps the upper text; under a group header
    (an upper cell over sub-headers, spanning to the right until the next upper cell) a sub-header is
    `group > sub`."""
    out = []
    group: str | None = None
    for i in range(max(len(upper), len(lower))):
        up = cell_text(upper[i]) if i < len(upper) else ""
        low = cell_text(lower[i]) if i < len(lower) else ""
        if up and not low:
            group = None
            out.append(Header(i, " ".join(up.split()), tuple(header_keys(up))))
        elif low:
            if up:
                group = up
            keys = header_keys(low)
            if group:
                gk = key(group)
                keys = [f"{gk}>{k}" for k in keys] + keys
            text = " ".join(low.split()) if not group else f"{' '.join(group.split())} / {' '.join(low.split())}"
            out.append(Header(i, text, tuple(keys)))
    return out


def _match(
    kind: Kind, headers: Sequence[Header], mapped: Mapping[str, tuple[str, int]]
) -> list[tuple[Header, Hit | None, bool]]:
    out: list[tuple[Header, Hit | None, bool]] = []
    for h in headers:
        hit: Hit | None = None
        by_mapping = False
        for k in h.keys:
            if k in mapped:
                f, prio = mapped[k]
                hit, by_mapping = Hit(f, prio), True
                break
            if k in kind.table:
                hit = kind.table[k]
                break
        out.append((h, hit, by_mapping))
    return out


def _score(kind: Kind, matched: Sequence[tuple[Header, Hit | None, bool]]) -> tuple[int, int]:
    fields = {hit.field for _, hit, _ in matched if hit is not None and hit.field}
    needed = sum(1 for f in kind.fields if f.need in (KEY, REQUIRED) and f.key in fields)
    return needed, sum(1 for _, hit, _ in matched if hit is not None)


def locate(path: Path, kind: Kind, head: Sequence[tuple[int, list[Any]]], mapping: ColumnMapping,
           ignore: Sequence[str] = ()) -> tuple[Plan, int]:
    """Find the header (one row, or two read as one) among the file's first rows and plan its
    columns. Returns the plan and the number of rows of `head` it took up to its last header row."""
    known = {f.key for f in kind.fields}
    unknown_fields = set(mapping.columns) - known
    if unknown_fields:
        raise ImportFileError(
            path, f"the mapping names unknown fields {sorted(unknown_fields)} (known: {', '.join(sorted(known))})"
        )
    mapped: dict[str, tuple[str, int]] = {}
    for f, names in mapping.columns.items():
        for i, name in enumerate(names):
            for k in header_keys(name):
                mapped.setdefault(k, (f, i - 1000))  # before every alias
    mapped_fields = set(mapping.columns)
    best: tuple[tuple[int, int, int], int, int, list[tuple[Header, Hit | None, bool]]] | None = None
    rows = [(i, cells) for i, (_line, cells) in enumerate(head) if any(cell_text(c) for c in cells)]
    for n, (i, cells) in enumerate(rows):
        candidates = [(i, _single(cells))]
        if n + 1 < len(rows) and rows[n + 1][0] == i + 1:
            candidates.append((i + 1, _double(cells, rows[n + 1][1])))
        for last, headers in candidates:
            matched = _match(kind, headers, mapped)
            score = (*_score(kind, matched), int(last == i))  # two rows win only if they read better than one
            if best is None or score > best[0]:
                best = (score, i, last, matched)
    if best is None or best[0][1] == 0:
        first = next((cells for _, cells in rows), [])
        seen = f"; the first row reads {[cell_text(c) for c in first if cell_text(c)][:12]}" if first else ""
        raise ImportFileError(path, f"no header row found in the first {len(head)} rows{seen}")
    _, top, last, matched = best
    lines = tuple(dict.fromkeys((head[top][0], head[last][0])))
    plan = Plan(kind, lines, headed={h.index for h, _, _ in matched})
    _apply_ignores(plan, kind, matched, ignore)
    ignored_idx = {h.index for h in plan.ignored}
    best_of: dict[str, tuple[int, int, Header, Hit, bool]] = {}
    for h, hit, by_mapping in matched:
        if h.index in ignored_idx:
            continue
        if hit is None:
            plan.unknown.append(h)
        elif hit.field is None:
            plan.unused.append((h, ""))
        elif hit.field in mapped_fields and not by_mapping:
            plan.unused.append((h, f"the mapping names the {hit.field} column"))
        else:
            cur = best_of.get(hit.field)
            if cur is None or (hit.priority, h.index) < cur[:2]:
                if cur is not None:
                    plan.unused.append((cur[2], ""))
                best_of[hit.field] = (hit.priority, h.index, h, hit, by_mapping)
            else:
                plan.unused.append((h, ""))
    for f, (_, _, h, hit, by_mapping) in best_of.items():
        if f in plan.ignored_fields:  # `--ignore-column FIELD`: its column is left out too
            plan.ignored.append(h)
        else:
            plan.sources[f] = Source(f, h, hit.reading, by_mapping)
    fed = {k: hit.field for k, hit in kind.table.items() if hit.field}
    for f, names in mapping.columns.items():
        for name in names:
            fed.update(dict.fromkeys(header_keys(name), f))

    def why(h: Header, given: str) -> str:
        if given:
            return given
        f = next((fed[k] for k in h.keys if k in fed), None)
        return f"{f} is read from '{plan.sources[f].header.text}'" if f in plan.sources else ""

    plan.unused = [(h, why(h, w)) for h, w in sorted(plan.unused, key=lambda x: x[0].index)]
    return plan, last + 1


def _apply_ignores(plan: Plan, kind: Kind, matched: Sequence[tuple[Header, Hit | None, bool]],
                   ignore: Sequence[str]) -> None:
    """`--ignore-column NAME`: a header of the file (its column is left out), a field (done without),
    or a column letter (for a column with no header)."""
    fields = {key(f.key): f.key for f in kind.fields}
    for name in ignore:
        nk = key(name)
        hits = [(h, hit) for h, hit, _ in matched if nk and (nk in h.keys or nk == key(h.text))]
        if hits:
            for h, hit in hits:
                plan.ignored.append(h)
                if hit is not None and hit.field:
                    plan.ignored_fields.add(hit.field)
        elif nk in fields:
            plan.ignored_fields.add(fields[nk])
        elif re.fullmatch(r"[A-Z]{1,3}", letter := name.strip().upper().removeprefix("COL ").strip()):
            idx = 0
            for ch in letter:
                idx = idx * 26 + ord(ch) - 64
            plan.ignored.append(Header(idx - 1, "", ()))  # a column with no header
        else:
            plan.bad_ignores.append(name)


def is_number_row(cells: Sequence[Any]) -> bool:
    """The row of column numbers the official forms print under the header: `1, 2, 3 …` or `(1), (2) …`."""
    vals = [cell_text(c) for c in cells if cell_text(c)]
    if len(vals) < 3:
        return False
    nums = []
    for v in vals:
        m = re.fullmatch(r"\(?(\d{1,2})\)?", v)
        if m is None:
            return False
        nums.append(int(m[1]))
    return nums == list(range(nums[0], nums[0] + len(nums))) and nums[0] <= 1
