"""The school report: numbers from the core, arranged once for the page and the PDF.

``prescribe.school.school_report`` computes every figure (grade distribution, item pass
rates, overweight/obesity, screening myopia, scoliosis positives, good-or-excellent
against the plan's 60 % target, change against last year paired by 学籍号). This module
loads the frames, calls it, and turns the result into labelled rows and charts, so the
web page (SVG) and the PDF (matplotlib) show the same numbers in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy.orm import Session

from prescribe.school import class_report, school_report
from prescribe.school.kpi import STUDENT_GOOD_EXCELLENT_TARGET

from .. import labels as web_labels
from ..charts import item_label
from . import charts, frames
from .labels import INDICATORS, school_year_label
from .tables import School

GRADES = ("excellent", "good", "pass", "fail")
HEADLINE = ("good_excellent", "pass_or_better", "overweight", "obese", "overweight_or_obese",
            "screening_myopia", "scoliosis_positive")


@dataclass
class Report:
    """A school year's report and, where the school has them, last year's numbers."""

    school: School
    year: int
    data: dict[str, Any]
    last: dict[str, Any] | None  # last year's whole-school numbers (aggregate)
    class_names: dict[str, str]

    @property
    def whole(self) -> dict[str, Any]:
        return self.data["school"]

    @property
    def paired(self) -> dict[str, Any] | None:
        return (self.whole.get("last_year") or {}).get("paired")

    @property
    def title(self) -> str:
        return f"{self.school.name} · {school_year_label(self.year)}"


def load_report(session: Session, school: School, year: int) -> Report:
    frame = frames.results_frame(session, school, year)
    last_frame = frames.results_frame(session, school, year - 1)
    last = last_frame if len(last_frame) else None
    data = school_report(frame, last_year=last)
    names = (frame.assign(key=frame["grade_code"].astype(str) + "|"
                          + frame["class_code"].astype(str))
             .drop_duplicates("key").set_index("key")["class_name"].fillna("").to_dict())
    return Report(school, year, data, class_report(last) if last is not None else None,
                  {k: v or k.replace("|", "-") for k, v in names.items()})


def share_text(value: dict[str, Any] | None) -> str:
    if not value or value.get("share") is None:
        return "—"
    return f"{value['share'] * 100:.1f}% ({value['n']}/{value['of']})"


def change_text(now: float | None, before: float | None) -> str:
    if now is None or before is None:
        return "—"
    points = (now - before) * 100
    return f"{points:+.1f}"


def headline_rows(report: Report) -> list[dict[str, Any]]:
    """One row per indicator: label, this year, last year, change in percentage points."""
    out = []
    for key in HEADLINE:
        now = report.whole.get(key) or {}
        before = (report.last or {}).get(key) or {}
        out.append({"key": key, "label": str(INDICATORS[key]), "now": share_text(now),
                    "last": share_text(before) if report.last else "—",
                    "change": change_text(now.get("share"), before.get("share")),
                    "target": (f"≥ {STUDENT_GOOD_EXCELLENT_TARGET * 100:.0f}%"
                               if key == "good_excellent" else ""),
                    "meets": now.get("meets_target")})
    return out


def grade_rows(report: Report) -> list[dict[str, Any]]:
    """The grade distribution of the school and of each school grade."""
    groups = [(_("Whole school"), report.whole)] + [
        (web_labels.show(web_labels.GRADE_CODES, code), part)
        for code, part in report.data["grades"].items()]
    return [{"label": str(label), "n": part["n_graded"],
             "shares": {g: part["grade_distribution"][g]["share"] for g in GRADES},
             "counts": {g: part["grade_distribution"][g]["n"] for g in GRADES}}
            for label, part in groups]


def item_rows(report: Report) -> list[dict[str, Any]]:
    before = (report.last or {}).get("items", {})
    return [{"item": item, "label": item_label(item), "now": stats,
             "last": before.get(item), "text": share_text(stats),
             "last_text": share_text(before.get(item)) if report.last else "—"}
            for item, stats in report.whole["items"].items()]


def class_rows(report: Report) -> list[dict[str, Any]]:
    return [{"key": key, "label": report.class_names.get(key, key.replace("|", "-")),
             "n": part["n_students"], "mean": part["mean_total_score"],
             "good_excellent": part["good_excellent"],
             "text": share_text(part["good_excellent"]),
             "overweight_or_obese": share_text(part["overweight_or_obese"]),
             "screening_myopia": share_text(part["screening_myopia"]),
             "scoliosis_positive": share_text(part["scoliosis_positive"])}
            for key, part in report.data["classes"].items()]


def series_names(report: Report) -> list[str]:
    names = [school_year_label(report.year)]
    if report.last is not None:
        names.append(school_year_label(report.year - 1))
    return names


def _values(report: Report, now: dict[str, Any] | None,
            before: dict[str, Any] | None) -> tuple[float | None, ...]:
    """This year's share, and last year's when the school has last year's results."""
    this = (now or {}).get("share")
    return (this, (before or {}).get("share")) if report.last is not None else (this,)


def svg_charts(report: Report) -> dict[str, Markup]:
    """The page's charts (server-rendered SVG), keyed by section."""
    grade_labels = [(g, str(web_labels.GRADES[g])) for g in GRADES]
    target = STUDENT_GOOD_EXCELLENT_TARGET
    target_label = _("Target %(p)s%%", p=f"{target * 100:.0f}")
    return {
        "grades": charts.stacked_chart(
            [(r["label"], r["shares"]) for r in grade_rows(report)], grade_labels,
            title=_("Grade distribution"), chart_id="chart-grades"),
        "headline": charts.bar_chart(
            [charts.Bar(str(INDICATORS[k]), _values(report, report.whole.get(k),
                                                    (report.last or {}).get(k)))
             for k in HEADLINE], series_names(report),
            title=_("Key indicators"), chart_id="chart-headline"),
        "items": charts.bar_chart(
            [charts.Bar(r["label"], _values(report, r["now"], r["last"]))
             for r in item_rows(report)],
            series_names(report), title=_("Pass rate per test item (score ≥ 60)"),
            chart_id="chart-items"),
        "classes": charts.bar_chart(
            [charts.Bar(r["label"], (r["good_excellent"]["share"],))
             for r in class_rows(report)], [_("Good or excellent")],
            title=_("Good or excellent per class against the plan's target"),
            chart_id="chart-classes", target=target, target_label=target_label),
    }
