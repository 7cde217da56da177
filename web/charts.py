"""The progress chart: item scores and grades over time as inline SVG, drawn on the server.

No JavaScript library: the page stays usable offline on an intranet and prints as is. The
chart is paired with a table of the same numbers for screen readers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup, escape

from . import labels
from .templating import var_label

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 170, 16, 56
# Colour-blind-safe palette (Okabe–Ito), distinguishable in greyscale by the markers.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
           "#8C564B")
MARKERS = ("circle", "square", "diamond", "triangle")


def item_label(item: str) -> str:
    if item == "bmi":
        return "BMI"
    if item == "height_weight":
        return _("Height-for-weight")
    return var_label(item).split(" (")[0]


def _marker(kind: str, x: float, y: float, colour: str, title: str) -> str:
    t = f"<title>{escape(title)}</title>"
    if kind == "square":
        return (f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" '
                f'fill="{colour}">{t}</rect>')
    if kind == "diamond":
        pts = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}"
        return f'<polygon points="{pts}" fill="{colour}">{t}</polygon>'
    if kind == "triangle":
        pts = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y + 4:.1f} {x - 5:.1f},{y + 4:.1f}"
        return f'<polygon points="{pts}" fill="{colour}">{t}</polygon>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}">{t}</circle>'


def comparable_points(points: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Only points scored on the latest point's standard share one scale."""
    if not points:
        return []
    standard = points[-1].get("standard")
    return [p for p in points if p.get("standard") == standard]


def progress_chart(points: list[dict[str, Any]]) -> Markup | None:
    """An SVG line chart of item scores per assessment date; None with fewer than 2 points."""
    points = comparable_points(points)
    if len(points) < 2:
        return None
    days = [dt.date.fromisoformat(p["date"]) for p in points]
    items = sorted({k for p in points for k in p["scores"]})
    y_max = max([max(p["scores"].values(), default=0) for p in points] + [1])
    y_max = 5 if y_max <= 5 else (100 if y_max <= 100 else 120)
    span = max((days[-1] - days[0]).days, 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_of(day: dt.date) -> float:
        return LEFT + plot_w * (day - days[0]).days / span

    def y_of(value: float) -> float:
        return TOP + plot_h * (1 - value / y_max)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'role="img" aria-labelledby="chart-title">',
             f'<title id="chart-title">{escape(_("Test scores over time"))}</title>']
    step = 1 if y_max == 5 else 20
    for tick in range(0, y_max + 1, step):
        y = y_of(tick)
        parts.append(f'<line class="grid-line" x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y:.1f}" '
                     f'y2="{y:.1f}"/><text x="{LEFT - 6}" y="{y + 4:.1f}" '
                     f'text-anchor="end">{tick}</text>')
    parts.append(f'<line class="axis" x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{TOP + plot_h}"/>')
    parts.append(f'<line class="axis" x1="{LEFT}" x2="{LEFT + plot_w}" y1="{TOP + plot_h}" '
                 f'y2="{TOP + plot_h}"/>')
    for point, day in zip(points, days, strict=True):
        x = x_of(day)
        grade = labels.show(labels.GRADES, point.get("grade")) or "—"
        parts.append(f'<text x="{x:.1f}" y="{TOP + plot_h + 16}" text-anchor="middle">'
                     f'{escape(day.isoformat())}</text>')
        parts.append(f'<text x="{x:.1f}" y="{TOP + plot_h + 32}" text-anchor="middle" '
                     f'font-weight="600">{escape(grade)}</text>')
    for i, item in enumerate(items):
        colour, marker = PALETTE[i % len(PALETTE)], MARKERS[i % len(MARKERS)]
        coords = [(x_of(d), y_of(p["scores"][item]), p["scores"][item], d)
                  for p, d in zip(points, days, strict=True) if item in p["scores"]]
        if len(coords) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _v, _d in coords)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" '
                         f'stroke-width="2"/>')
        name = item_label(item)
        for x, y, value, day in coords:
            parts.append(_marker(marker, x, y, colour, f"{name} {day.isoformat()}: {value:g}"))
        ly = TOP + 14 + i * 18
        parts.append(_marker(marker, WIDTH - RIGHT + 16, ly - 4, colour, name))
        parts.append(f'<text x="{WIDTH - RIGHT + 26}" y="{ly}">{escape(name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
