"""The first things a reader sees: who the plan is for, whether to start, the weekly goal.

The status of the plan comes before any exercise: a deferred plan says in a heavy box
not to start and what to do instead; a plan pending clearance says to see a doctor
first. An unsigned plan says it is a draft here as well as in the watermark.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from .boxes import BoxItem, draw_box
from .components import YOUTH_GROUPS, span
from .context import PlanContext
from .document import FILL_LIGHT, GREY_TEXT, PlanDocument, line_height
from .labels import date_time, long_date, pick, sex_name
from .qr import draw_qr
from .validation import is_number, parse_day

COMPACT_QR_MM = 20.0
COMPACT_QR_COLUMN = COMPACT_QR_MM + 4  # the code plus a gap to the identity grid


def plan_title(ctx: PlanContext) -> str:
    return _("Exercise plan for students") if ctx.is_student else _("Exercise plan")


def age_text(age: float) -> str:
    return _("%(n)s years", n=int(age))


def draw_title(pdf: PlanDocument, ctx: PlanContext, *, compact: bool = False) -> None:
    """Title, station and the identity grid (patient, clinician, dates, signature).

    ``compact`` (class print-outs) sets three label/value pairs per row instead of two
    and puts a small QR code for the online copy beside the title and grid, so the whole
    plan fits one page.
    """
    title_pt = 15 if compact else 18
    top = pdf.get_y()
    width = pdf.epw - COMPACT_QR_COLUMN if compact and ctx.qr_url else pdf.epw
    with pdf.local_context(font_size_pt=title_pt), pdf.bold():
        pdf.cell(width * 0.6, line_height(title_pt), plan_title(ctx))
    if compact:  # the signature status is in the grid; the station takes its place
        with pdf.local_context(font_size_pt=9.5, text_color=GREY_TEXT):
            pdf.cell(width * 0.4, line_height(title_pt), ctx.station_name, align="R",
                     new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    else:
        status = (_("DRAFT: not yet signed") if ctx.is_draft
                  else _("Version %(n)s, signed", n=ctx.version))
        with pdf.local_context(font_size_pt=10, text_color=0 if ctx.is_draft else GREY_TEXT):
            pdf.cell(pdf.epw * 0.4, line_height(title_pt), status, align="R",
                     new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.paragraph(ctx.station_name, size_pt=10, grey=True)
    pdf.ln(1.5)
    lang = ctx.lang
    if ctx.is_draft:
        signed = _("not signed (draft, version %(n)s)", n=ctx.version)
    else:
        when = long_date(ctx.signed_at.date(), lang) if compact else date_time(ctx.signed_at, lang)
        signed = _("%(when)s (version %(n)s)", when=when, n=ctx.version)
    cells = [
        (_("Name"), ctx.patient_name),
        (_("Sex / age"), f"{sex_name(ctx.patient_sex)} / {age_text(ctx.patient_age_years)}"),
        (_("Record no."), ctx.patient_ref),
        (_("Date issued"), long_date(ctx.issued_on, lang)),
        (_("Clinician"), ctx.clinician_name),
        (_("Signed"), signed),
    ]
    if ctx.is_student:
        cells = [(_("School"), ctx.school_name or ""), (_("Class"), ctx.class_name or ""),
                 *cells]
    retest = ctx.prescription.get("retest_date")
    if retest:
        cells.append((_("Next check-up"), long_date(parse_day(retest), lang)))
    label = FontFace(fill_color=FILL_LIGHT, color=GREY_TEXT)
    per_row = 3 if compact else 2
    widths = (19, 33) * 3 if compact else (28, 62) * 2
    with pdf.local_context(font_size_pt=9 if compact else 9.5), pdf.table(
        col_widths=widths, width=width, align="LEFT", first_row_as_headings=False,
        text_align="LEFT", line_height=line_height(9 if compact else 9.5),
        padding=(1, 1.5), wrapmode=pdf.wrap,
    ) as table:
        for i in range(0, len(cells), per_row):
            row = table.row()
            chunk = cells[i:i + per_row]
            for name, value in chunk:
                row.cell(name, style=label)
                row.cell(value)
            if len(chunk) < per_row:
                row.cell("", colspan=2 * (per_row - len(chunk)))
    bottom = pdf.get_y()
    if compact and ctx.qr_url:
        x = pdf.w - pdf.r_margin - COMPACT_QR_MM
        bottom = max(bottom, draw_qr(pdf, ctx.qr_url, ctx.qr_expires_on, x, top,
                                     size=COMPACT_QR_MM, caption_pt=5.5))
    pdf.set_xy(pdf.l_margin, bottom)
    pdf.ln(2 if compact else 3)


def _reason_items(entries: Any, lang: str, key: str = "reason") -> list[BoxItem]:
    return [BoxItem(pick(e.get(key), lang)) for e in entries or [] if isinstance(e, Mapping)]


def draw_status(pdf: PlanDocument, ctx: PlanContext) -> None:
    """The deferral / clearance / review boxes; nothing for a plain signed plan."""
    rx, lang = ctx.prescription, ctx.lang
    outcome = rx.get("outcome")
    clearance = rx.get("clearance") or {}
    if outcome == "defer":
        items: list[BoxItem] = []
        for entry in rx.get("deferrals") or []:
            items.append(BoxItem(pick(entry.get("reason"), lang)))
            action = pick(entry.get("action"), lang)
            if action:
                items.append(BoxItem(_("What to do: %(action)s", action=action), bullet=False))
        if not items:
            items.append(BoxItem(_("Your clinician has found a reason to wait before you "
                                   "start exercising.")))
        items.append(BoxItem(_("Do not start any exercise programme until your clinician has "
                               "checked you again."), bullet=False))
        draw_box(pdf, _("Do not start exercising now"), items, strong=True,
                 continued=_("(continued)"))
    elif outcome == "prescription_pending_clearance" or clearance.get("before") == "any":
        items = _reason_items(clearance.get("reasons"), lang)
        items.append(BoxItem(_("Start this plan only after a doctor has examined you and "
                               "said you may exercise."), bullet=False))
        draw_box(pdf, _("See a doctor before you start"), items, strong=True,
                 continued=_("(continued)"))
    elif clearance.get("before") == "vigorous":
        items = _reason_items(clearance.get("reasons"), lang)
        items.append(BoxItem(_("You may start the plan below, but do no vigorous exercise "
                               "until a doctor has cleared you."), bullet=False))
        draw_box(pdf, _("Medical clearance needed before vigorous exercise"), items,
                 continued=_("(continued)"))
    review = rx.get("needs_review")
    if ctx.is_draft and isinstance(review, list) and review:
        draw_box(pdf, _("For the clinician: review before signing"),
                 _reason_items(review, lang), continued=_("(continued)"))


def weekly_range(rx: Mapping[str, Any]) -> tuple[float, float | None] | None:
    """(low, high or None) weekly minutes: ``weekly_minutes_range``, else ``weekly_minutes``."""
    value = rx.get("weekly_minutes_range") or rx.get("weekly_minutes")
    if not value:
        return None
    if is_number(value):
        return (value, None)
    return (value[0], value[1])


def weekly_goal_text(rx: Mapping[str, Any]) -> str:
    weekly = weekly_range(rx)
    if weekly is None:
        return ""
    lo, hi = weekly
    amount = _("at least %(n)s", n=span((lo, lo))) if hi is None else span((lo, hi))
    basis = rx.get("weekly_minutes_basis")
    if basis == "mvpa" or (basis is None
                           and (rx.get("facts") or {}).get("age_group") in YOUTH_GROUPS):
        return _("Weekly goal: %(span)s minutes of moderate-to-vigorous activity "
                 "(about %(daily)s minutes a day).", span=amount, daily=round(lo / 7))
    return _("Weekly goal: %(span)s minutes of moderate-intensity activity; one minute of "
             "vigorous activity counts as two.", span=amount)


def draw_weekly_goal(pdf: PlanDocument, rx: Mapping[str, Any]) -> None:
    text = weekly_goal_text(rx)
    if text:
        with pdf.bold():
            pdf.paragraph(text, size_pt=10.5)
        pdf.ln(1)
