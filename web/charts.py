"""Charts drawn on the server as inline SVG: nothing to load, nothing fetched from outside, readable
without scripts and printable. Bars for throughput, lines for the indicators' trends."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

W, H = 640, 160
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 10, 26


def _nice_max(v: float) -> float:
    if v <= 0:
        return 1.0
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000, 50_000, 100_000):
        if v <= step:
            return float(step)
    return float(v)


def _open(width: int, height: int, title: str, marks: Sequence[tuple[float, str]], plot_h: float) -> list[str]:
    """The SVG element, its title, and a grid line with its label at each (fraction of the height, label)."""
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    for frac, label in marks:
        y = TOP + plot_h * (1 - frac)
        parts.append(f'<line x1="{LEFT}" x2="{width - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
                     f'<text x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end">{escape(label)}</text>')
    return parts


def bars(values: Sequence[float], labels: Sequence[str], *, title: str, unit: str = "", every: int = 30,
         width: int = W, height: int = H) -> Markup:
    """A bar per value (e.g. per minute); every `every`-th bar labelled below."""
    n = max(len(values), 1)
    top = _nice_max(max(values, default=0))
    plot_w, plot_h = width - LEFT - RIGHT, height - TOP - BOTTOM
    bw = plot_w / n
    parts = _open(width, height, title, [(f, f"{top * f:g}") for f in (0, 0.5, 1)], plot_h)
    for i, v in enumerate(values):
        h = plot_h * (v / top)
        x = LEFT + i * bw
        label = escape(f"{labels[i]}: {v:g} {unit}".strip()) if i < len(labels) else ""
        parts.append(f'<rect x="{x:.1f}" y="{TOP + plot_h - h:.1f}" width="{max(bw - 0.5, 0.5):.1f}" '
                     f'height="{h:.1f}" fill="#4a7bd0"><title>{label}</title></rect>')
        if i % every == 0 and i < len(labels):
            parts.append(f'<text x="{x:.1f}" y="{height - 8}">{escape(labels[i])}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def trend(points: Sequence[float | None], labels: Sequence[str], *, title: str, threshold: float | None = None,
          width: int = 300, height: int = 140) -> Markup:
    """A ratio (0..1) per period as a line; a missing value (n/a) leaves a gap, and the threshold that
    earns the full points is a dashed line."""
    plot_w, plot_h = width - LEFT - RIGHT, height - TOP - BOTTOM
    n = max(len(points), 1)
    step = plot_w / max(n - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return LEFT + i * step, TOP + plot_h * (1 - min(max(v, 0.0), 1.0))

    parts = _open(width, height, title, [(f, f"{f:.0%}") for f in (0, 0.5, 1)], plot_h)
    if threshold is not None:
        y = TOP + plot_h * (1 - threshold)
        parts.append(f'<line x1="{LEFT}" x2="{width - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#176f2c" '
                     'stroke-dasharray="4 3"/>')
    run: list[str] = []
    for i, v in enumerate([*points, None]):
        if v is None:
            if len(run) > 1:
                parts.append(f'<polyline fill="none" stroke="#4a7bd0" stroke-width="2" points="{" ".join(run)}"/>')
            run = []
            continue
        x, y = xy(i, v)
        run.append(f"{x:.1f},{y:.1f}")
        label = escape(f"{labels[i]}: {v:.1%}") if i < len(labels) else ""
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#4a7bd0"><title>{label}</title></circle>')
    every = max(1, n // 6)
    for i, lab in enumerate(labels):
        if i % every == 0 or (i == n - 1 and i % every > every // 2):
            parts.append(f'<text x="{LEFT + i * step:.1f}" y="{height - 8}" text-anchor="middle">{escape(lab)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
