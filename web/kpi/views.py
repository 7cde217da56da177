"""KPI dashboard pages (administrators only): the table with charts, and the CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

from flask import Blueprint, Response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from ..access import admin_required
from ..extensions import db
from ..school.charts import Bar, bar_chart
from .data import CHANGES, SHARES, Group, Period, dashboard

bp = Blueprint("kpi", __name__, url_prefix="/kpi")

NAMES = {
    "physique_pass_share": _l("Residents at pass or better (physique standard)"),
    "student_good_excellent_share": _l("Students good or excellent"),
    "prescriptions_signed": _l("Prescriptions signed / issued"),
    "retests_done": _l("Re-tests done when due"),
    "student_change": _l("Average change of the student total score"),
    "physique_change": _l("Average change of the physique total points"),
}
LEVELS = {"district": _l("District"), "station": _l("Station"), "school": _l("School")}


def _period() -> tuple[Period, list[str]]:
    """``?start=&end=`` (ISO dates; end inclusive on the form, exclusive internally)."""
    problems, days = [], {}
    for key in ("start", "end"):
        text = (request.args.get(key) or "").strip()
        if not text:
            days[key] = None
            continue
        try:
            days[key] = dt.date.fromisoformat(text)
        except ValueError:
            problems.append(_("%(field)s: not a date (YYYY-MM-DD): %(value)s",
                              field=_("From") if key == "start" else _("To"), value=text))
            days[key] = None
    end = days["end"] + dt.timedelta(days=1) if days["end"] else None
    if days["start"] and end and days["start"] >= end:
        problems.append(_("The start of the period is after its end."))
    return Period(days["start"], end), problems


def group_label(group: Group) -> str:
    if group.level == "district":
        return str(LEVELS["district"])
    return group.name


def _charts(groups: list[Group]) -> dict[str, Markup]:
    out = {}
    for key in SHARES:
        bars = [Bar(f"{LEVELS[g.level]} · {group_label(g)}" if g.level != "district"
                    else group_label(g), (g.kpis[key].value,),
                    (f"{g.kpis[key].numerator}/{g.kpis[key].denominator}",))
                for g in groups]
        target = groups[0].kpis[key].target if groups else None
        out[key] = bar_chart(bars, [str(NAMES[key])], title=str(NAMES[key]),
                             chart_id=f"kpi-{key}", target=target,
                             target_label=_("Target %(p)s%%", p=f"{target * 100:.0f}")
                             if target else "")
    return out


@bp.route("/")
@admin_required
def index() -> str | tuple[str, int]:
    period, problems = _period()
    groups = dashboard(db.session, period) if not problems else []
    return render_template("kpi/index.html", groups=groups, shares=SHARES, changes=CHANGES,
                           names=NAMES, levels=LEVELS, charts=_charts(groups),
                           problems=problems, start=request.args.get("start", ""),
                           end=request.args.get("end", ""), as_of=period.as_of,
                           group_label=group_label), 400 if problems else 200


@bp.route("/export.csv")
@admin_required
def export() -> Response | tuple[str, int]:
    """Every number behind the dashboard, one row per group (UTF-8 with BOM for Excel)."""
    period, problems = _period()
    if problems:
        return "; ".join(problems), 400
    out = io.StringIO()
    writer = csv.writer(out)
    header = ["level", "station", "name"]
    for key in SHARES:
        header += [f"{key}_numerator", f"{key}_denominator", f"{key}_value", f"{key}_target",
                   f"{key}_met"]
    for key in CHANGES:
        header += [f"{key}_people", f"{key}_mean", f"{key}_improved", f"{key}_worsened"]
    writer.writerow(header)
    for g in dashboard(db.session, period):
        row = [g.level, g.station, g.name]
        for key in SHARES:
            k = g.kpis[key]
            row += [k.numerator, k.denominator, "" if k.value is None else f"{k.value:.4f}",
                    "" if k.target is None else k.target, "" if k.met is None else k.met]
        for key in CHANGES:
            c = g.changes[key]
            row += [c["n_people"], "" if c["mean_change"] is None else
                    f"{c['mean_change']:.2f}", c["improved"], c["worsened"]]
        writer.writerow(row)
    response = Response("\ufeff" + out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="kpi.csv"'
    return response
