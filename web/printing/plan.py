"""Render a patient's plan, or a class of students' plans, to A4 PDF bytes.

The order of a plan follows what a person at home needs: who it is for and whether to
start at all; the weekly goal and a concrete week; how to do each kind of exercise;
what to avoid; when to stop; when to come back. A deferred plan prints no exercise
schedule, so nobody can follow it by mistake.

Both functions need a Flask app context with Flask-Babel configured and the printing
catalogue merged (see ``catalogue.py``); they force the plan's language themselves.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Mapping, Sequence
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from fpdf.enums import XPos, YPos

from .advice import (
    draw_avoid_and_precautions,
    draw_referrals,
    draw_referrals_and_tips,
    draw_stop_signs,
    draw_tips,
)
from .catalogue import require_catalogue
from .charts import HEIGHT_MM, WIDTH_MM, has_chart, progress_chart
from .components import draw_component, draw_component_summary
from .context import PlanContext
from .document import PlanDocument, RunningText
from .errors import PlanContextError
from .labels import long_date
from .qr import QR_SIZE_MM, draw_qr
from .rpe import draw_rpe_scale
from .schedule import draw_schedule, plan_week
from .sections import draw_status, draw_title, draw_weekly_goal, plan_title
from .validation import parse_day

COMPACT_CHART_H = 40.0


def render_plan_pdf(ctx: PlanContext) -> bytes:
    """One patient's plan as PDF bytes; ``PlanContextError`` lists every data problem."""
    problems = ctx.problems()
    if problems:
        raise PlanContextError(problems)
    with force_locale(ctx.lang):
        require_catalogue(ctx.lang)
        pdf = PlanDocument(ctx.lang)
        pdf.set_title(plan_title(ctx))
        pdf.set_author(ctx.station_name)
        draw_plan(pdf, ctx)
        return bytes(pdf.output())


def render_class_pdf(contexts: Sequence[PlanContext], lang: str | None = "zh") -> bytes:
    """Every student's plan in one PDF, each starting on a new page.

    This is the parents' version: printed in Chinese by default (``lang=None`` keeps each
    context's own language), with school and class in the running header of every page.
    """
    if not contexts:
        raise PlanContextError(["contexts: no students to print"])
    if lang is not None:
        contexts = [dataclasses.replace(c, lang=lang) for c in contexts]
    problems = [p for i, c in enumerate(contexts) for p in c.problems(f"contexts[{i}].")]
    if problems:
        raise PlanContextError(problems)
    doc_lang = contexts[0].lang
    with force_locale(doc_lang):
        require_catalogue(doc_lang)
        pdf = PlanDocument(doc_lang)
        pdf.set_title(plan_title(contexts[0]))
        for ctx in contexts:
            with force_locale(ctx.lang):
                draw_plan(pdf, ctx, compact=True)
        return bytes(pdf.output())


def running_text(ctx: PlanContext) -> RunningText:
    where = ctx.station_name
    if ctx.is_student:
        where = " · ".join(x for x in (ctx.school_name, ctx.class_name) if x)
    record = _("Record no.")
    who = f"{ctx.patient_name} · {record} {ctx.patient_ref}"
    return RunningText(
        header_left=where,
        header_right=who,
        footer_left=provenance_text(ctx.prescription.get("provenance") or {}),
        page_label=_("Page {page} of {nb}"),
        watermark=_("DRAFT") if ctx.is_draft else None,
    )


def provenance_text(provenance: Mapping[str, Any]) -> str:
    """Which rule set and model produced the plan, so a printout can be traced."""
    parts = []
    ruleset = provenance.get("ruleset") or {}
    if ruleset:
        name = " ".join(str(ruleset[k]) for k in ("name", "version") if ruleset.get(k))
        parts.append(_("Rule set %(name)s", name=name))
    if provenance.get("model_version"):
        parts.append(_("Model %(v)s", v=provenance["model_version"]))
    if provenance.get("engine_version"):
        parts.append(_("Engine %(v)s", v=provenance["engine_version"]))
    return " · ".join(parts)


def draw_plan(pdf: PlanDocument, ctx: PlanContext, *, compact: bool = False) -> None:
    """Every section of one plan, starting on a new page.

    A deferred plan puts the referrals straight after the "do not start" box and prints
    no exercise. ``compact`` is the class print-out: one FITT table instead of a block per
    component, no Borg strip, a small QR code beside the title, so a student fits one page.
    """
    rx = ctx.prescription
    pdf.use_language(ctx.lang)
    if compact:
        pdf.compact()
    pdf.start_plan(running_text(ctx))
    draw_title(pdf, ctx, compact=compact)
    draw_status(pdf, ctx)
    if rx.get("outcome") == "defer":
        draw_referrals(pdf, rx)
    else:
        draw_exercise(pdf, rx, compact=compact)
    draw_avoid_and_precautions(pdf, rx)
    if compact and rx.get("outcome") != "defer":
        draw_referrals_and_tips(pdf, rx)
    else:
        if rx.get("outcome") != "defer":
            draw_referrals(pdf, rx)
        draw_tips(pdf, rx)
    draw_stop_signs(pdf, rx, compact=compact)
    draw_follow_up(pdf, ctx, compact=compact)


def draw_exercise(pdf: PlanDocument, rx: Mapping[str, Any], *, compact: bool = False) -> None:
    components = list(rx.get("components") or [])
    if not components:
        pdf.paragraph(_("No exercise has been prescribed yet. Please ask your clinician."))
        return
    draw_weekly_goal(pdf, rx)
    pdf.heading(_("Your week"), keep_with=40)
    draw_schedule(pdf, plan_week(components), compact=compact)
    pdf.heading(_("Your exercises"))
    facts = rx.get("facts") or {}
    if compact:
        draw_component_summary(pdf, components, facts)
        return
    for comp in components:
        draw_component(pdf, comp, facts)
    targets = [(c["type"], c["rpe"]) for c in components if c.get("rpe")]
    if targets:
        pdf.heading(_("Perceived exertion (Borg 6–20 scale)"), keep_with=40)
        draw_rpe_scale(pdf, targets)


def follow_up_texts(ctx: PlanContext) -> list[str]:
    retest = ctx.prescription.get("retest_date")
    text = []
    if retest:
        text.append(_("Come back for your next check-up on %(date)s. Please bring this plan.",
                      date=long_date(parse_day(retest), ctx.lang)))
    text.append(_("Questions? Ask %(clinician)s at %(station)s.",
                  clinician=ctx.clinician_name, station=ctx.station_name))
    return text


def draw_follow_up(pdf: PlanDocument, ctx: PlanContext, *, compact: bool = False) -> None:
    """Re-test date and the QR code side by side, then the progress chart.

    In ``compact`` mode only the chart is left: the QR code is in the title block.
    """
    chart = has_chart(ctx.progress)
    qr_w = QR_SIZE_MM + 16 if ctx.qr_url else 0
    if compact:  # re-test date etc. are in the title grid, the QR code beside it
        if chart:
            pdf.heading(_("Your progress"), keep_with=COMPACT_CHART_H)
            top = pdf.get_y() + 1
            png = progress_chart(ctx.progress, ctx.lang, size_mm=(pdf.epw, COMPACT_CHART_H))
            pdf.image(io.BytesIO(png), x=pdf.l_margin, y=top, w=pdf.epw, h=COMPACT_CHART_H)
            pdf.set_xy(pdf.l_margin, top + COMPACT_CHART_H + 2)
        return
    title = _("Next check-up") if ctx.prescription.get("retest_date") else _("Questions")
    pdf.heading(title, keep_with=QR_SIZE_MM + 12 if ctx.qr_url else 20)
    top = pdf.get_y()
    for line in follow_up_texts(ctx):
        pdf.multi_cell(pdf.epw - qr_w, 5, line, align="L", wrapmode=pdf.wrap,
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)
    bottom = pdf.get_y()
    if ctx.qr_url:
        x = pdf.w - pdf.r_margin - QR_SIZE_MM - 6
        bottom = max(bottom, draw_qr(pdf, ctx.qr_url, ctx.qr_expires_on, x, top))
    pdf.set_xy(pdf.l_margin, bottom + 2)
    if chart:
        pdf.heading(_("Your progress"), keep_with=HEIGHT_MM)
        png = progress_chart(ctx.progress, ctx.lang)
        pdf.image(io.BytesIO(png), x=pdf.l_margin, w=WIDTH_MM, h=HEIGHT_MM)
