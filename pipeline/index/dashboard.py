"""What the index dashboard adds to the report (metrics.compute): each indicator's trend over months, the
dossiers behind a figure (metrics.dossier_details, filtered), and what each unit lacks."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

from pipeline.index.metrics import INDICATOR_KEYS, Period, compute, dossier_details, parse_period
from schemas.report import DossierDetail, UnitMetrics

# numerator: the dossiers counted in the figure's numerator; denominator: in its denominator; missing: in
# the denominator but not the numerator, the ones that cost the unit its points.
Part = Literal["numerator", "denominator", "missing"]
PARTS: tuple[Part, ...] = ("numerator", "denominator", "missing")


def months_back(end: Period, as_of: date, n: int = 12) -> list[Period]:
    """The `n` months up to the last month of `end` (or of `as_of`, when earlier), oldest first."""
    last = min(end.end.toordinal() - 1, as_of.toordinal())
    y, m = date.fromordinal(last).year, date.fromordinal(last).month
    out = []
    for _ in range(n):
        out.append(parse_period(f"{y}-{m:02d}"))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


@dataclass(frozen=True)
class TrendPoint:
    label: str
    ratio: float | None
    numerator: int
    denominator: int


def trend(db_url: str, end: Period, *, unit: str | None, as_of: date,
          thresholds: Mapping[str, float] | None = None, months: int = 12) -> dict[str, list[TrendPoint]]:
    """Per indicator, its ratio for the unit (all units when None) in each of the last `months` months,
    dossiers as of `as_of`; n/a (None) where the month has no dossier to count."""
    out: dict[str, list[TrendPoint]] = {k: [] for k in INDICATOR_KEYS}
    for month in months_back(end, as_of, months):
        try:
            report = compute(db_url, month, unit=unit, as_of=as_of, thresholds=thresholds)
            shown = report.units[0] if unit else report.total
        except ValueError:  # a unit known only from data, and none in this month
            shown = None
        for key in INDICATOR_KEYS:
            v = next((i for i in shown.indicators if i.key == key), None) if shown else None
            out[key].append(TrendPoint(month.label, v.ratio if v else None, v.numerator if v else 0,
                                       v.denominator if v else 0))
    return out


def is_behind(d: DossierDetail, indicator: str, part: Part) -> bool:
    if part == "numerator":
        return indicator in d.numerator
    if part == "denominator":
        return indicator in d.denominator
    return indicator in d.denominator and indicator not in d.numerator


def behind(details: Iterable[DossierDetail], indicator: str, part: Part) -> Iterator[DossierDetail]:
    """The dossiers behind one figure: its numerator's, its denominator's, or those it lacks."""
    if indicator not in INDICATOR_KEYS:
        raise ValueError(f"indicator {indicator!r}: expected one of {', '.join(INDICATOR_KEYS)}")
    if part not in PARTS:
        raise ValueError(f"part {part!r}: expected one of {', '.join(PARTS)}")
    return (d for d in details if is_behind(d, indicator, part))


def dossiers_behind(db_url: str, period: Period, *, unit: str | None, as_of: date | None, indicator: str,
                    part: Part) -> Iterator[DossierDetail]:
    return behind(dossier_details(db_url, period, unit=unit, as_of=as_of), indicator, part)


@dataclass(frozen=True)
class Lack:
    key: str
    missing: int  # dossiers in the denominator and not the numerator
    points_lost: float


def lacks(m: UnitMetrics) -> list[Lack]:
    """What keeps a unit from its full points, the costliest first: per indicator short of its
    threshold, how many dossiers lack it and how many points it costs."""
    out = []
    for v in m.indicators:
        if v.ratio is None or v.max_points is None or v.points is None or v.points >= v.max_points:
            continue
        out.append(Lack(v.key, v.denominator - v.numerator, round(v.max_points - v.points, 2)))
    return sorted(out, key=lambda lack: -lack.points_lost)
