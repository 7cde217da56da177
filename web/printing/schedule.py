"""The suggested week: which component on which day, as a Monday-to-Sunday grid.

The prescription gives ranges (3–5 days, 30–60 min, 150–300 min/week); a patient at home
needs a concrete week. The choice here is presentation, not dosing: it never leaves the
prescribed ranges. With a weekly target, the number of days is what sessions of a usual
length (30 min, clamped to the prescribed session range) need to reach the weekly
minimum, clamped to the prescribed days; without one, the fewest prescribed days.
Minutes per session are raised from the prescribed minimum only as far as the weekly
minimum needs (rounded up to 5 min), never above the prescribed maximum.

Days are chosen by a small exhaustive search (at most 128 subsets of a week):
resistance and bone-strengthening days are kept non-consecutive (domain.md: muscles
need a rest day) and away from the busiest days; stretching, balance and similar short
components go on days that already have a session; everything is spread evenly.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from flask_babel import gettext as _
from fpdf.fonts import FontFace

from .document import FILL_LIGHT, FILL_MEDIUM, PlanDocument, line_height
from .labels import component_short, weekday_names

USUAL_SESSION_MIN = 30
"""A usual session length: "30 minutes on 5 days" is the public-health message (150 min)."""

NON_CONSECUTIVE = frozenset({"resistance", "bone_strengthening"})
ATTACHED = frozenset({
    "flexibility", "neuromotor_balance", "breathing", "pelvic_floor",
    "posture_back_extensor", "scoliosis_specific_exercise",
})


@dataclass(frozen=True)
class ScheduledComponent:
    kind: str
    days: tuple[int, ...]  # 0 = Monday
    minutes: tuple[int, int]  # per session, low and high


def sessions_per_week(comp: Mapping[str, Any]) -> int:
    """Days for ``comp``: enough sessions of a usual length to reach the weekly minimum."""
    days_lo, days_hi = (int(v) for v in comp["days_per_week"])
    weekly = comp.get("weekly_minutes")
    if not weekly:
        return days_lo
    minutes_lo, minutes_hi = comp["minutes_per_session"]
    usual = min(max(minutes_lo, USUAL_SESSION_MIN), minutes_hi)
    return min(max(math.ceil(weekly[0] / usual), days_lo), days_hi)


def session_minutes(comp: Mapping[str, Any], days: int) -> tuple[int, int]:
    """Per-session minutes: the prescribed range, its low end raised (in 5-min steps) only
    as far as the weekly minimum needs and never above the prescribed maximum."""
    lo, hi = (int(math.ceil(v)) for v in comp["minutes_per_session"])
    weekly = comp.get("weekly_minutes")
    if weekly and days:
        needed = 5 * math.ceil(weekly[0] / days / 5)
        lo = min(max(lo, needed), hi)
    return lo, hi


def _gaps(days: Sequence[int]) -> list[int]:
    return [(days[(i + 1) % len(days)] - d) % 7 or 7 for i, d in enumerate(days)]


def _cost(days: tuple[int, ...], kind: str, load: list[int]) -> tuple[int, int, int]:
    gaps = _gaps(days)
    spread = max(gaps) - min(gaps)
    busy = sum(load[d] for d in days)
    if kind in NON_CONSECUTIVE:
        adjacent = sum(1 for a, b in zip(days, days[1:], strict=False) if b - a == 1)
        if len(days) <= 3 and days[0] == 0 and days[-1] == 6:
            adjacent += 1  # Sunday then Monday: no rest day in between
        return adjacent, busy, spread
    if kind in ATTACHED:
        return 0, -sum(1 for d in days if load[d]), spread
    return 0, spread, busy


def plan_week(components: Sequence[Mapping[str, Any]]) -> list[ScheduledComponent]:
    """Assign days to each component; the result keeps the prescription's order."""
    load = [0] * 7
    order = sorted(
        range(len(components)),
        key=lambda i: (components[i]["type"] in NON_CONSECUTIVE,
                       components[i]["type"] in ATTACHED, i),
    )
    chosen: dict[int, ScheduledComponent] = {}
    for i in order:
        comp = components[i]
        n = sessions_per_week(comp)
        days = min(combinations(range(7), n), key=lambda s: (_cost(s, comp["type"], load), s))
        for d in days:
            load[d] += 1
        chosen[i] = ScheduledComponent(comp["type"], days, session_minutes(comp, n))
    return [chosen[i] for i in range(len(components))]


def minutes_text(minutes: tuple[int, int]) -> str:
    lo, hi = minutes
    if lo == hi:
        return _("%(n)s min", n=lo)
    return _("%(lo)s–%(hi)s min", lo=lo, hi=hi)


def draw_schedule(pdf: PlanDocument, week: Sequence[ScheduledComponent], *,
                  compact: bool = False) -> None:
    """The grid: one row per component, one column per day, minutes in the cells.

    ``compact`` (class print-out) sets smaller, tighter cells and leaves out the note on
    moving sessions, so the week takes a few lines of the student's one page.
    """
    if not week:
        return
    size = 8.0 if compact else 9.0
    label_w = 30.0 if compact else 36.0
    day_w = (pdf.epw - label_w) / 7
    names = weekday_names(pdf.lang)
    rest_label = _("rest")
    rest = [all(d not in c.days for c in week) for d in range(7)]
    if pdf.will_page_break(line_height(size) * (len(week) + 2) + 14):
        pdf.add_page()
    with pdf.local_context(font_size_pt=size), pdf.table(
        col_widths=(label_w, *([day_w] * 7)), text_align=("LEFT", *(["CENTER"] * 7)),
        line_height=line_height(size), padding=(0.5, 1.2) if compact else (1.2, 1.5),
        wrapmode=pdf.wrap, headings_style=_heading_style(), width=pdf.epw,
    ) as table:
        header = table.row()
        header.cell("")
        for d, name in enumerate(names):
            header.cell(f"{name}\n{rest_label}" if rest[d] else name)
        for item in week:
            row = table.row()
            row.cell(component_short(item.kind))
            for d in range(7):
                if d in item.days:
                    row.cell(minutes_text(item.minutes), style=_filled(FILL_LIGHT))
                else:
                    row.cell("")
    pdf.ln(1 if compact else 1.5)
    if compact:
        return
    pdf.paragraph(
        _("You may move sessions to other days; keep at least one day between strength "
          "sessions. Sessions on the same day can be done together or at different times."),
        size_pt=8, grey=True,
    )


def _heading_style() -> FontFace:
    return FontFace(emphasis="", fill_color=FILL_MEDIUM)


def _filled(grey: int) -> FontFace:
    return FontFace(fill_color=grey)
