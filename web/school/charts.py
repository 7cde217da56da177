"""Server-rendered SVG charts for the school report and the KPI dashboard.

No JavaScript and no inline styles (the site's CSP forbids both): shapes carry SVG
presentation attributes, text sits in ``<text>``, and every bar has a ``<title>`` with
its exact numbers. Colours are the Okabe–Ito palette (colour-blind safe); each chart is
paired on the page with a table of the same numbers for screen readers and printing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000")
GRADE_COLOURS = {"excellent": "#009E73", "good": "#56B4E9", "pass": "#E69F00",
                 "fail": "#D55E00"}
TARGET_COLOUR = "#a4000f"
WIDTH = 720
LABEL_W = 170
RIGHT = 70
BAR_H = 14
GAP = 8


@dataclass(frozen=True)
class Bar:
    """One category: a label and one value per series (``None`` = no data)."""

    label: str
    values: tuple[float | None, ...]
    notes: tuple[str, ...] = ()


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _svg_open(height: float, title: str, chart_id: str) -> list[str]:
    return [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" '
            f'role="img" aria-labelledby="{chart_id}-t">',
            f'<title id="{chart_id}-t">{escape(title)}</title>']


def _legend(names: Sequence[str], colours: Sequence[str], y: float) -> list[str]:
    parts, x = [], LABEL_W
    for name, colour in zip(names, colours, strict=False):
        parts.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{colour}"/>'
                     f'<text x="{x + 16}" y="{y}">{escape(name)}</text>')
        x += 24 + 13 * max(len(name), 4)
    return parts


def bar_chart(bars: Sequence[Bar], series: Sequence[str], *, title: str, chart_id: str,
              target: float | None = None, target_label: str = "",
              scale_max: float = 1.0, fmt: str = "percent") -> Markup:
    """Horizontal grouped bars (one group per ``Bar``, one bar per series).

    ``target`` draws a vertical line (e.g. the 60 % good-or-excellent target); values are
    shares 0–1 shown as percentages unless ``fmt="number"``.
    """
    n_series = max(len(series), 1)
    group_h = n_series * BAR_H + GAP
    top = 34 if len(series) > 1 or target is not None else 10
    height = top + len(bars) * group_h + 28
    plot_w = WIDTH - LABEL_W - RIGHT
    top_value = max([scale_max, *[v for b in bars for v in b.values if v is not None]])

    def x_of(value: float) -> float:
        return LABEL_W + plot_w * min(max(value, 0.0), top_value) / top_value

    def tick_text(value: float) -> str:
        return f"{value * 100:.0f}%" if fmt == "percent" else f"{value:g}"

    def text_of(value: float | None) -> str:
        if value is None:
            return "—"
        return percent(value) if fmt == "percent" else f"{value:g}"

    parts = _svg_open(height, title, chart_id)
    if len(series) > 1:
        parts += _legend(series, PALETTE, 16)
    for i in range(5):
        tick = top_value * i / 4
        x = x_of(tick)
        parts.append(f'<line class="grid-line" x1="{x:.1f}" x2="{x:.1f}" y1="{top - 4}" '
                     f'y2="{height - 24}"/><text x="{x:.1f}" y="{height - 8}" '
                     f'text-anchor="middle">{escape(tick_text(tick))}</text>')
    for g, bar in enumerate(bars):
        y0 = top + g * group_h
        parts.append(f'<text x="{LABEL_W - 6}" y="{y0 + n_series * BAR_H / 2 + 4:.1f}" '
                     f'text-anchor="end">{escape(bar.label)}</text>')
        for s, value in enumerate(bar.values):
            y = y0 + s * BAR_H
            name = series[s] if s < len(series) else ""
            note = bar.notes[s] if s < len(bar.notes) else ""
            tip = f"{bar.label} {name}: {text_of(value)} {note}".strip()
            if value is None:
                parts.append(f'<text x="{LABEL_W + 4}" y="{y + BAR_H - 3}">'
                             f'<title>{escape(tip)}</title>—</text>')
                continue
            w = x_of(value) - LABEL_W
            parts.append(f'<rect x="{LABEL_W}" y="{y + 1}" width="{w:.1f}" '
                         f'height="{BAR_H - 2}" fill="{PALETTE[s % len(PALETTE)]}">'
                         f'<title>{escape(tip)}</title></rect>')
            parts.append(f'<text x="{LABEL_W + w + 4:.1f}" y="{y + BAR_H - 3}">'
                         f'{escape(text_of(value))}</text>')
    if target is not None:
        x = x_of(target)
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 6}" y2="{height - 24}" '
                     f'stroke="{TARGET_COLOUR}" stroke-width="2" stroke-dasharray="6 3"/>'
                     f'<text x="{x:.1f}" y="{top - 10}" text-anchor="middle" '
                     f'fill="{TARGET_COLOUR}">{escape(target_label)}</text>')
    parts.append(f'<line class="axis" x1="{LABEL_W}" x2="{LABEL_W}" y1="{top - 4}" '
                 f'y2="{height - 24}"/></svg>')
    return Markup("".join(parts))


def stacked_chart(rows: Sequence[tuple[str, dict[str, float | None]]],
                  categories: Sequence[tuple[str, str]], *, title: str,
                  chart_id: str) -> Markup:
    """100 % stacked horizontal bars, e.g. excellent/good/pass/fail per school grade.

    ``categories`` are ``(key, label)`` pairs in stacking order; colours come from
    ``GRADE_COLOURS`` for grade keys, else the palette.
    """
    top = 34
    height = top + len(rows) * (BAR_H + GAP + 4) + 10
    plot_w = WIDTH - LABEL_W - RIGHT
    colours = [GRADE_COLOURS.get(key, PALETTE[i % len(PALETTE)])
               for i, (key, _label) in enumerate(categories)]
    parts = _svg_open(height, title, chart_id)
    parts += _legend([label for _k, label in categories], colours, 16)
    for r, (label, shares) in enumerate(rows):
        y = top + r * (BAR_H + GAP + 4)
        parts.append(f'<text x="{LABEL_W - 6}" y="{y + BAR_H - 2}" text-anchor="end">'
                     f'{escape(label)}</text>')
        x = float(LABEL_W)
        for (key, name), colour in zip(categories, colours, strict=True):
            share = shares.get(key)
            if not share:
                continue
            w = plot_w * share
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{BAR_H + 2}" '
                         f'fill="{colour}"><title>{escape(f"{label} {name}: {percent(share)}")}'
                         f'</title></rect>')
            if w > 34:
                parts.append(f'<text x="{x + w / 2:.1f}" y="{y + BAR_H - 1}" '
                             f'text-anchor="middle" fill="#000000">{share * 100:.0f}%</text>')
            x += w
        if x == LABEL_W:
            parts.append(f'<text x="{LABEL_W + 4}" y="{y + BAR_H - 2}">—</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
