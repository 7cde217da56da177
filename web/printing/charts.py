"""The progress chart: total score at each test, and item scores first versus latest.

Drawn with matplotlib's object API on an Agg canvas (no pyplot global state, safe in a
web worker), in black and greys so it survives a black-and-white printer, with the CJK
font registered so Chinese labels render. The figure is returned as PNG (default; a
raster at 300 dpi keeps the PDF small and prints sharply) or SVG.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from flask_babel import gettext as _
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from .fonts import register_matplotlib_font
from .labels import grade_name, item_name
from .validation import is_number, parse_day

WIDTH_MM = 180.0
HEIGHT_MM = 62.0
MM_PER_INCH = 25.4


def chart_points(progress: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The points that have a total score; a chart needs at least two of them."""
    return [p for p in progress if is_number(p.get("total"))]


def has_chart(progress: Sequence[Mapping[str, Any]]) -> bool:
    return len(chart_points(progress)) >= 2


def _item_changes(progress: Sequence[Mapping[str, Any]]) -> list[tuple[str, float, float]]:
    """(item, first score, latest score) for items scored in the first and latest test."""
    first, latest = progress[0].get("scores") or {}, progress[-1].get("scores") or {}
    return [(item, first[item], latest[item]) for item in latest
            if is_number(latest[item]) and is_number(first.get(item))]


def progress_figure(progress: Sequence[Mapping[str, Any]], lang: str,
                    size_mm: tuple[float, float] = (WIDTH_MM, HEIGHT_MM)) -> Figure:
    points = chart_points(progress)
    family = register_matplotlib_font()
    fig = Figure(figsize=(size_mm[0] / MM_PER_INCH, size_mm[1] / MM_PER_INCH))
    changes = _item_changes(points)
    grid = fig.add_gridspec(1, 2, width_ratios=(1.1, 1.0) if changes else (1, 0.0001))
    ax = fig.add_subplot(grid[0, 0])
    labels = [parse_day(p["date"]).isoformat() for p in points]
    totals = [float(p["total"]) for p in points]
    ax.plot(range(len(points)), totals, color="black", marker="o", linewidth=1.6)
    for x, point in enumerate(points):
        grade = grade_name(point.get("grade"))
        ax.annotate(f"{point['total']:g}" + (f"\n{grade}" if grade else ""), (x, totals[x]),
                    textcoords="offset points", xytext=(0, 6), ha="center", va="bottom",
                    fontsize=7, family=family)
    ax.set_xticks(range(len(points)), labels, fontsize=7)
    ax.set_xlim(-0.5, len(points) - 0.5)
    low, high = min(totals), max(totals)
    ax.set_ylim(low - max(5, (high - low) * 0.2), high + max(10, (high - low) * 0.45))
    ax.set_title(_("Total score at each test"), fontsize=9, family=family)
    ax.tick_params(axis="y", labelsize=7)
    ax.grid(axis="y", color="0.85", linewidth=0.6)
    if changes:
        _draw_item_bars(fig.add_subplot(grid[0, 1]), changes, lang, family)
    for axis in fig.axes:
        axis.spines[["top", "right"]].set_visible(False)
        for label in axis.get_xticklabels() + axis.get_yticklabels():
            label.set_family(family)
    fig.tight_layout(pad=0.6)
    return fig


def score_axis_limit(top: float) -> float:
    """Item scores are 1–5 points (physique standard) or 0–100 (student standard)."""
    if top <= 5:
        return 5.6
    if top <= 100:
        return 108.0
    return top * 1.1


def _draw_item_bars(ax: Any, changes: list[tuple[str, float, float]], lang: str,
                    family: str) -> None:
    rows = range(len(changes))
    height = 0.38
    ax.barh([r - height / 2 for r in rows], [c[1] for c in changes], height=height,
            color="0.75")
    ax.barh([r + height / 2 for r in rows], [c[2] for c in changes], height=height,
            color="0.1")
    ax.set_yticks(list(rows), [item_name(c[0], lang) for c in changes], fontsize=7)
    ax.invert_yaxis()
    top = max(max(c[1], c[2]) for c in changes)
    ax.set_xlim(0, score_axis_limit(top))
    for r, change in zip(rows, changes, strict=True):
        ax.annotate(f"{change[2]:g}", (change[2], r + height / 2), textcoords="offset points",
                    xytext=(3, 0), va="center", fontsize=6.5, family=family)
    ax.set_title(_("Item scores (grey: first test, black: latest)"), fontsize=8.5,
                 family=family)
    ax.tick_params(axis="x", labelsize=7)


def progress_chart(progress: Sequence[Mapping[str, Any]], lang: str, fmt: str = "png",
                   size_mm: tuple[float, float] = (WIDTH_MM, HEIGHT_MM)) -> bytes:
    """The chart as PNG or SVG bytes; ``ValueError`` with fewer than two scored points."""
    if not has_chart(progress):
        raise ValueError("a progress chart needs at least two points with a total score")
    fig = progress_figure(progress, lang, size_mm)
    out = io.BytesIO()
    if fmt == "svg":
        FigureCanvasSVG(fig)
        fig.savefig(out, format="svg")
    elif fmt == "png":
        FigureCanvasAgg(fig)
        fig.savefig(out, format="png", dpi=300)
    else:
        raise ValueError(f"unknown chart format {fmt!r}: use png or svg")
    return out.getvalue()
