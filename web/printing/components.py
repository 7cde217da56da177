"""One block per prescribed component, written out as FITT-VP for a patient at home.

Frequency, time, intensity (words, %HRR, target heart rate or the reason there is none,
perceived exertion, talk test), type (example activities with their MET), volume and
progression. Numbers come from the prescription unchanged; the only arithmetic is the
10-second pulse count, rounded inwards so that it stays inside the target range.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from flask_babel import gettext as _
from fpdf.fonts import FontFace

from .document import FILL_LIGHT, PlanDocument, line_height
from .labels import (
    clause_separator,
    colon,
    component_name,
    intensity_name,
    list_separator,
    parenthesise,
    pick,
    sentence,
    talk_test,
)
from .rpe import rpe_text
from .schedule import minutes_text

YOUTH_GROUPS = ("preschool_3_6", "youth_6_17")
SUMMARY_ACTIVITIES = 3  # example activities per component in the class print-out


def span(pair: Sequence[float]) -> str:
    lo, hi = (f"{v:g}" for v in pair)
    return lo if lo == hi else f"{lo}–{hi}"


def component_title(comp: Mapping[str, Any], lang: str) -> str:
    """The prescription's own label (the words the web pages show), else our catalogue's."""
    return sentence(pick(comp.get("label"), lang), lang) or component_name(comp["type"])


def frequency_text(days: Sequence[int]) -> str:
    if tuple(days) == (7, 7):
        return _("every day")
    return _("%(span)s days a week", span=span(days))


def time_text(comp: Mapping[str, Any], lang: str) -> str:
    text = _("%(span)s min per session", span=span(comp["minutes_per_session"]))
    if comp.get("weekly_minutes"):
        text += clause_separator(lang) + _("%(span)s min a week in total", span=span(comp["weekly_minutes"]))
    return text


def intensity_text(comp: Mapping[str, Any], lang: str) -> str:
    levels = comp.get("intensity")
    if not levels:
        return ""
    levels = [levels] if isinstance(levels, str) else list(levels)
    if len(levels) == 1 or levels[0] == levels[-1]:
        words = intensity_name(levels[0])
    else:
        words = _("%(lo)s to %(hi)s", lo=intensity_name(levels[0]),
                  hi=intensity_name(levels[-1]))
    if comp.get("hrr_percent"):
        hrr = _("%(span)s%% of heart-rate reserve", span=span(comp["hrr_percent"]))
        words += parenthesise(hrr, lang)
    talk = pick(comp.get("talk_test"), lang) or talk_test(levels[-1])
    if talk:
        words += "\n" + _("Talk test: %(test)s.", test=talk)
    return words


def pulse_count_10s(bpm: Sequence[int]) -> tuple[int, int]:
    """The 10-second pulse count inside ``bpm``: low rounded up, high rounded down."""
    return math.ceil(bpm[0] / 6), math.floor(bpm[1] / 6)


def heart_rate_text(comp: Mapping[str, Any], facts: Mapping[str, Any]) -> str:
    hr = comp.get("target_hr_bpm")
    if hr:
        lo10, hi10 = pulse_count_10s(hr)
        return _("%(span)s beats per minute (count %(lo)s–%(hi)s beats in 10 seconds)",
                 span=span(hr), lo=lo10, hi=hi10)
    if facts.get("beta_blocker"):
        why = _("your heart medicine (β-blocker) lowers your heart rate, so heart-rate "
                "targets do not apply")
    elif facts.get("age_group") in YOUTH_GROUPS:
        why = _("heart-rate formulas do not apply to children")
    else:
        why = _("no reliable heart-rate target could be set")
    return _("No heart-rate target: %(why)s. Use how hard it feels and the talk test.",
             why=why)


def activities_text(activities: Sequence[Mapping[str, Any]], lang: str, *,
                    with_met: bool = True) -> str:
    """Activity names with their MET values; ``with_met=False`` for the parents' copy."""
    parts = []
    for act in activities:
        name = act.get(f"name_{lang}") or act.get("name_zh") or act.get("name_en")
        met = act.get("met") if with_met else None
        unit = act.get("met_kind") or "MET"  # METy: youth compendium values
        parts.append(f"{name}{parenthesise(f'{met:g} {unit}', lang)}" if met else str(name))
    return list_separator(lang).join(parts)


def weeks_text(weeks: Any) -> str:
    """[1, 4] → "Weeks 1–4"; [9, None] → "From week 9" (the schema's open-ended phase)."""
    if isinstance(weeks, Sequence) and not isinstance(weeks, str) and len(weeks) == 2:
        if weeks[1] is None:
            return _("From week %(n)s", n=weeks[0])
        return _("Weeks %(span)s", span=span(weeks))
    if isinstance(weeks, int):
        return _("Week %(n)s", n=weeks)
    return str(weeks)


def phase_text(phase: Mapping[str, Any], lang: str) -> str:
    """"Weeks 1–4: note", unless the note already starts with its weeks."""
    weeks, note = weeks_text(phase.get("weeks")), pick(phase.get("note"), lang)
    return note if note.startswith(weeks) else f"{weeks}{colon(lang)}{note}"


def component_rows(comp: Mapping[str, Any], facts: Mapping[str, Any],
                   lang: str) -> list[tuple[str, str]]:
    """(label, value) rows for one component; rows without content are left out."""
    rows = [
        (_("How often"), frequency_text(comp["days_per_week"])),
        (_("How long"), time_text(comp, lang)),
        (_("How hard"), intensity_text(comp, lang)),
    ]
    if comp["type"] == "aerobic" or comp.get("target_hr_bpm"):
        rows.append((_("Target heart rate"), heart_rate_text(comp, facts)))
    if comp.get("rpe"):
        rows.append((_("Perceived effort"), rpe_text(comp["rpe"], lang)))
    rows.append((_("Sets and repetitions"), pick(comp.get("sets_reps"), lang)))
    rows.append((_("What to do"), activities_text(comp.get("activities") or [], lang)))
    steps = [phase_text(p, lang) for p in comp.get("progression") or []]
    rows.append((_("Progression"), "\n".join(steps)))
    rows.append((_("Note"), pick(comp.get("note"), lang)))
    return [(label, value) for label, value in rows if value]


def draw_component(pdf: PlanDocument, comp: Mapping[str, Any],
                   facts: Mapping[str, Any]) -> None:
    rows = component_rows(comp, facts, pdf.lang)
    title_h = line_height(11) + 2
    first = pdf.text_height(pdf.epw - 34, rows[0][1]) + 2 if rows else 0
    if pdf.will_page_break(title_h + first + 12):
        pdf.add_page()
    pdf.ln(1.5)
    with pdf.local_context(font_size_pt=11), pdf.bold():
        pdf.cell(pdf.epw, line_height(11), "■ " + component_title(comp, pdf.lang),
                 new_x="LMARGIN", new_y="NEXT")
    pdf.ln(0.8)
    label_style = FontFace(fill_color=FILL_LIGHT)
    with pdf.table(col_widths=(34, pdf.epw - 34), width=pdf.epw, first_row_as_headings=False,
                   text_align="LEFT", line_height=line_height(9.5), padding=(1.2, 1.5),
                   wrapmode=pdf.wrap) as table:
        for label, value in rows:
            row = table.row()
            row.cell(label, style=label_style)
            row.cell(value)


def summary_intensity(comp: Mapping[str, Any], lang: str) -> str:
    """Intensity, talk test, heart-rate target and RPE in one cell of the summary table."""
    parts = [intensity_text({**comp, "hrr_percent": None}, lang)]
    if comp.get("target_hr_bpm"):
        parts.append(_("Heart rate %(span)s beats per minute", span=span(comp["target_hr_bpm"])))
    if comp.get("rpe"):
        parts.append(_("Perceived effort %(span)s (Borg 6–20)", span=span(comp["rpe"])))
    return "\n".join(p for p in parts if p)


def draw_component_summary(pdf: PlanDocument, components: Sequence[Mapping[str, Any]],
                           facts: Mapping[str, Any]) -> None:
    """All components in one FITT table: the one-page version for a class print-out.

    Only the first ``SUMMARY_ACTIVITIES`` example activities per component are printed
    (the rule files list the most suitable first); the online copy has the full list.
    """
    lang = pdf.lang
    widths = (26, 20, 18, 64, pdf.epw - 128)
    heading = FontFace(fill_color=FILL_LIGHT)
    with pdf.local_context(font_size_pt=8), pdf.table(
        col_widths=widths, width=pdf.epw, text_align="LEFT", line_height=line_height(8),
        padding=(0.6, 1.2), wrapmode=pdf.wrap, headings_style=heading,
    ) as table:
        row = table.row()
        for label in (_("Exercise"), _("How often"), _("How long"), _("How hard"),
                      _("What to do")):
            row.cell(label)
        for comp in components:
            row = table.row()
            row.cell(component_title(comp, lang))
            row.cell(frequency_text(comp["days_per_week"]))
            lo, hi = comp["minutes_per_session"]
            row.cell(minutes_text((round(lo), round(hi))))  # per session
            row.cell(summary_intensity(comp, lang))
            examples = list(comp.get("activities") or [])[:SUMMARY_ACTIVITIES]
            row.cell(activities_text(examples, lang, with_met=False)
                     or pick(comp.get("note"), lang))
    without_hr = [c for c in components if c["type"] == "aerobic" and not c.get("target_hr_bpm")]
    if without_hr:
        pdf.ln(1)
        pdf.paragraph(heart_rate_text(without_hr[0], facts), size_pt=8, grey=True)
