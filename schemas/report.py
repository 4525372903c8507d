"""The digitisation report (`sohoa report --format json`): the indicators of Decision 766/QĐ-TTg per unit
and period, with the inputs of every ratio, and the per-dossier detail behind them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field


class PeriodInfo(BaseModel):
    label: str = Field(description="as asked: 2026, 2026-Q3 or 2026-09")
    kind: Literal["year", "quarter", "month"]
    start: date = Field(description="first day of the period")
    end: date = Field(description="last day of the period")


MissingName = Literal["completed_on", "paper_result", "reused", "ket_noi_kho", "du_lieu_dan_cu", "register"]


class MissingInput(BaseModel):
    """An input a figure could not know for some dossiers, because the imported files lacked it."""

    input: MissingName = Field(
        description="completed_on: the register file had no completion column (those dossiers are left out of "
        "ket_qua_dien_tu); paper_result: neither the register nor the procedures list says (taken as yes); "
        "reused: no reuse column (only the reuse the pipeline detected counts); ket_noi_kho, du_lieu_dan_cu: no "
        "such column (left out of the denominator); register: no register imported at all"
    )
    dossiers: int = Field(description="dossiers of the figure's unit and period it concerns")


class IndicatorValue(BaseModel):
    """One rate: numerator ÷ denominator, and for the legal indicators the points it scores."""

    key: str = Field(description="ket_qua_dien_tu, so_hoa_ho_so, … (DOMAIN.md) or a quality rate")
    name: str = Field(description="Vietnamese name")
    numerator: int
    denominator: int
    ratio: float | None = Field(description="numerator ÷ denominator; null (n/a) when the denominator is 0")
    threshold: float | None = Field(default=None, description="ratio that earns the full points (1.0 = 100 %)")
    max_points: float | None = Field(default=None)
    points: float | None = Field(
        default=None, description="min(max_points, max_points × ratio ÷ threshold); null when the ratio is n/a"
    )
    missing: list[MissingInput] = Field(
        default_factory=list, description="inputs missing for some dossiers, and so what the figure leaves out or "
        "assumes; empty when nothing is missing"
    )
    reason: str | None = Field(
        default=None, description="the same in Vietnamese for the reader, printed beside the figure; null when "
        "nothing is missing"
    )


class UnitMetrics(BaseModel):
    """A unit with everything under it (roll-up over the unit tree)."""

    unit: str = Field(description="unit code; '*' for the total")
    name: str = ""
    parent: str | None = None
    level: int = Field(description="depth in the unit tree, 0 for a root")
    dossiers: int = Field(description="dossiers of the period in this unit and the units under it")
    own_dossiers: int = Field(description="dossiers registered to this unit itself")
    indicators: list[IndicatorValue]
    points: float | None = Field(description="sum of the indicators' points (n/a ones left out)")
    quality: list[IndicatorValue] = Field(description="internal rates: scan compliance, metadata, review")


class Report(BaseModel):
    """`sohoa report --format json`."""

    period: PeriodInfo
    as_of: date = Field(description="dossiers' state (completed, digitised) is taken as of this day")
    unit: str | None = Field(default=None, description="the subtree asked for (--unit), else all units")
    source: Literal["register", "pipeline"] = Field(
        description="register: the imported one-stop-shop register; pipeline: no register was imported, "
        "the dossiers the pipeline has seen"
    )
    notes: list[str] = Field(default_factory=list)
    thresholds: dict[str, float]
    max_points: float = Field(description="sum of the indicators' maximum points")
    total: UnitMetrics
    units: list[UnitMetrics] = Field(description="depth-first over the unit tree")
    generated_at: datetime


class DossierDetail(BaseModel):
    """One dossier of the period and where it counts: the lists behind every numerator and denominator."""

    ma_ho_so: str
    unit: str
    ma_thu_tuc: str | None = None
    received_on: date
    completed_on: date | None = Field(default=None, description="as of the report's as-of date")
    paper_result: bool
    component_digitised: bool = Field(description="≥ 1 component digitised (own or reused) by the as-of date")
    result_digitised: bool
    reused: bool = Field(description="flagged in the register or a component reused from an earlier dossier")
    ket_noi_kho: bool
    du_lieu_dan_cu: bool
    numerator: list[str] = Field(description="indicators whose numerator counts this dossier")
    denominator: list[str] = Field(description="indicators whose denominator counts this dossier")
    missing: list[MissingName] = Field(default_factory=list, description="inputs unknown for this dossier")
