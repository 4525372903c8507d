"""Exports of the digitisation report: a text table, JSON (schemas/report.py), CSV (one row per unit and
rate) and XLSX (one sheet per level of the unit tree, Vietnamese headers, every ratio's inputs in its
own cells), plus the per-dossier detail behind the rates."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from schemas.report import DossierDetail, IndicatorValue, Report, UnitMetrics

NA = "n/a"
CSV_HEADER = (
    "period", "as_of", "source", "unit", "name", "parent", "level", "dossiers", "indicator", "numerator",
    "denominator", "ratio", "threshold", "max_points", "points", "missing", "reason",
)
DETAIL_HEADER = (
    "ma_ho_so", "unit", "ma_thu_tuc", "received_on", "completed_on", "paper_result", "component_digitised",
    "result_digitised", "reused", "ket_noi_kho", "du_lieu_dan_cu", "numerator", "denominator", "missing",
)
DETAIL_HEADER_VI = (
    "Mã hồ sơ", "Đơn vị", "Mã TTHC", "Ngày tiếp nhận", "Ngày hoàn thành", "Có kết quả giấy",
    "Đã số hóa thành phần", "Đã số hóa kết quả", "Tái sử dụng", "Kết nối kho", "Dữ liệu dân cư",
    "Tính vào tử số", "Tính vào mẫu số", "Thiếu thông tin",
)
# Beside a figure in the table: how many of its dossiers lack an input (MissingInput), and the legend.
GAP_LABEL = {
    "completed_on": "thiếu ngày HT",
    "paper_result": "chưa rõ KQ giấy",
    "reused": "thiếu cột TSD",
    "ket_noi_kho": "thiếu cột kho",
    "du_lieu_dan_cu": "thiếu cột DC",
    "register": "chưa có sổ ĐK",
}
GAP_LEGEND = {
    "completed_on": "số hồ sơ có kết quả giấy mà tệp sổ đăng ký đã nhập không có cột ngày hoàn thành: không tính "
                    "vào mẫu số",
    "paper_result": "số hồ sơ mà sổ đăng ký và danh mục TTHC đều không ghi có trả kết quả giấy không: tính là có",
    "reused": "số hồ sơ mà tệp sổ đăng ký đã nhập không có cột tái sử dụng: chỉ tính tái sử dụng hệ thống phát hiện",
    "ket_noi_kho": "số hồ sơ mà tệp sổ đăng ký đã nhập không có cột kết nối kho: không tính vào mẫu số",
    "du_lieu_dan_cu": "số hồ sơ mà tệp sổ đăng ký đã nhập không có cột dữ liệu dân cư: không tính vào mẫu số",
    "register": "chưa nhập sổ đăng ký hồ sơ; chỉ sổ đăng ký có thông tin này",
}
SHORT = {
    "ket_qua_dien_tu": "KQ điện tử",
    "so_hoa_ho_so": "Số hóa HS",
    "tai_su_dung": "Tái sử dụng",
    "ket_noi_kho": "Kết nối kho",
    "du_lieu_dan_cu": "DL dân cư",
    "scan_compliance": "Quét đạt",
    "metadata_completeness": "Siêu DL",
    "review_rate": "Kiểm tra lại",
}


def _pct(r: float | None) -> str:
    return NA if r is None else f"{100 * r:.1f}%"


def _cell(v: IndicatorValue) -> str:
    pts = "" if v.points is None else f" {v.points:g}đ"  # no points when the ratio is n/a: one n/a says it
    gaps = "; ".join(GAP_LABEL[g.input] if g.input == "register" else f"{g.dossiers} {GAP_LABEL[g.input]}"
                     for g in v.missing)
    return f"{v.numerator}/{v.denominator} {_pct(v.ratio)}{pts}" + (f" ({gaps})" if gaps else "")


def render_table(report: Report) -> str:
    """Text table: per unit (indented by level) each rate as `numerator/denominator ratio points`."""
    lines = [
        f"Kỳ {report.period.label} ({report.period.start} – {report.period.end}), số liệu tại ngày {report.as_of}, "
        f"nguồn: {'sổ đăng ký hồ sơ' if report.source == 'register' else 'hồ sơ hệ thống đã thấy'}",
        *report.notes,
    ]
    keys = [i.key for i in report.total.indicators] + [q.key for q in report.total.quality]
    head = ["Đơn vị", "Hồ sơ", *(SHORT.get(k, k) for k in keys), f"Điểm/{report.max_points:g}"]
    rows = [head]
    for m in [*report.units, report.total]:
        label = ("  " * m.level) + (m.unit if m.unit != "*" else "Tổng")
        rows.append(
            [
                label + (f" {m.name}" if m.name and m.unit != "*" else ""),
                str(m.dossiers),
                *(_cell(v) for v in [*m.indicators, *m.quality]),
                NA if m.points is None else f"{m.points:g}",
            ]
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    values = [v for m in [*report.units, report.total] for v in [*m.indicators, *m.quality]]
    used = {g.input for v in values for g in v.missing}
    legend = [f"  {GAP_LABEL[k]}: {GAP_LEGEND[k]}" for k in GAP_LABEL if k in used]
    if any(v.ratio is None for v in values):
        legend.insert(0, f"  {NA}: mẫu số bằng 0, không có hồ sơ (tài liệu, trang) nào để tính")
    if legend:
        lines += ["Ghi chú:", *legend]
    return "\n".join(lines) + "\n"


def write_json(report: Report, out: IO[str]) -> None:
    out.write(json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=1) + "\n")


def _csv_value(v: float | None) -> str:
    return NA if v is None else f"{v:.6g}"


def write_csv(report: Report, out: IO[str]) -> None:
    w = csv.writer(out, lineterminator="\n")
    w.writerow(CSV_HEADER)
    for m in [*report.units, report.total]:
        for v in [*m.indicators, *m.quality]:
            w.writerow(
                [
                    report.period.label, report.as_of.isoformat(), report.source, m.unit, m.name, m.parent or "",
                    m.level, m.dossiers, v.key, v.numerator, v.denominator, _csv_value(v.ratio),
                    "" if v.threshold is None else f"{v.threshold:g}",
                    "" if v.max_points is None else f"{v.max_points:g}",
                    "" if v.max_points is None else _csv_value(v.points),
                    " ".join(f"{g.input}:{g.dossiers}" for g in v.missing), v.reason or "",
                ]
            )


def _detail_row(d: DossierDetail) -> list[Any]:
    return [
        d.ma_ho_so, d.unit, d.ma_thu_tuc or "", d.received_on.isoformat(),
        d.completed_on.isoformat() if d.completed_on else "", int(d.paper_result), int(d.component_digitised),
        int(d.result_digitised), int(d.reused), int(d.ket_noi_kho), int(d.du_lieu_dan_cu),
        " ".join(d.numerator), " ".join(d.denominator), " ".join(d.missing),
    ]


def write_details(details: Iterable[DossierDetail], fmt: str, out: IO[str]) -> int:
    """The per-dossier lists, streamed: csv, json (one object a line) or table. Returns the count."""
    n = 0
    w = csv.writer(out, lineterminator="\n", delimiter="\t" if fmt == "table" else ",")
    if fmt != "json":
        w.writerow(DETAIL_HEADER)
    for d in details:
        if fmt == "json":
            out.write(json.dumps(d.model_dump(mode="json"), ensure_ascii=False) + "\n")
        else:
            w.writerow(_detail_row(d))
        n += 1
    return n


# --- XLSX ---------------------------------------------------------------------------------------------
def _unit_header(m: UnitMetrics) -> list[str]:
    head = ["Mã đơn vị", "Tên đơn vị", "Đơn vị cấp trên", "Số hồ sơ", "Hồ sơ của riêng đơn vị"]
    for v in m.indicators:
        head += [f"{v.name} – tử số", f"{v.name} – mẫu số", f"{v.name} – tỷ lệ", f"{v.name} – ngưỡng",
                 f"{v.name} – điểm tối đa", f"{v.name} – điểm", f"{v.name} – ghi chú"]
    head.append("Tổng điểm")
    for v in m.quality:
        head += [f"{v.name} – tử số", f"{v.name} – mẫu số", f"{v.name} – tỷ lệ"]
    return head


def _unit_row(m: UnitMetrics) -> list[Any]:
    row: list[Any] = [m.unit if m.unit != "*" else "Tổng", m.name, m.parent or "", m.dossiers, m.own_dossiers]
    for v in m.indicators:
        row += [v.numerator, v.denominator, NA if v.ratio is None else v.ratio, v.threshold, v.max_points,
                NA if v.points is None else v.points, v.reason or ""]
    row.append(NA if m.points is None else m.points)
    for v in m.quality:
        row += [v.numerator, v.denominator, NA if v.ratio is None else v.ratio]
    return row


def write_xlsx(report: Report, path: Path, details: Iterable[DossierDetail] | None = None) -> None:
    """One sheet per level of the unit tree (`Cấp 1` = roots), a summary sheet first, and with
    `details` a sheet of every dossier; written in streaming mode so the dossier sheet costs no memory."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    bold = Font(bold=True)

    def header(ws: Any, cells: list[str]) -> None:
        row = []
        for c in cells:
            cell = WriteOnlyCell(ws, value=c)
            cell.font = bold
            row.append(cell)
        ws.append(row)

    def ratio_row(ws: Any, values: list[Any], ratio_cols: set[int]) -> None:
        row = []
        for i, v in enumerate(values):
            cell = WriteOnlyCell(ws, value=v)
            if i in ratio_cols and isinstance(v, float):
                cell.number_format = "0.0%"
            row.append(cell)
        ws.append(row)

    head = _unit_header(report.total)
    ratio_cols = {i for i, h in enumerate(head) if h.endswith("– tỷ lệ") or h.endswith("– ngưỡng")}
    summary = wb.create_sheet("Tổng hợp")
    for k, v in (
        ("Kỳ báo cáo", report.period.label),
        ("Từ ngày", report.period.start.isoformat()),
        ("Đến ngày", report.period.end.isoformat()),
        ("Số liệu tại ngày", report.as_of.isoformat()),
        ("Đơn vị", report.unit or "Tất cả"),
        ("Nguồn", "Sổ đăng ký hồ sơ" if report.source == "register" else "Hồ sơ hệ thống đã thấy"),
        ("Điểm tối đa", report.max_points),
        *(("Ghi chú", n) for n in report.notes),
    ):
        summary.append([k, v])
    summary.append([])
    header(summary, head)
    ratio_row(summary, _unit_row(report.total), ratio_cols)
    levels = sorted({m.level for m in report.units})
    for level in levels:
        ws = wb.create_sheet(f"Cấp {level + 1}")
        header(ws, head)
        for m in report.units:
            if m.level == level:
                ratio_row(ws, _unit_row(m), ratio_cols)
    if details is not None:
        ws = wb.create_sheet("Hồ sơ")
        header(ws, list(DETAIL_HEADER_VI))
        for d in details:
            ws.append(_detail_row(d))
    wb.save(path)
