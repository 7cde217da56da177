"""Referrals, what to avoid, precautions, tips and the stop-exercise warning signs.

The warning signs are printed on every plan (domain.md §1.8), in a heavy box. The
prescription carries its own list (general plus condition-specific signs); should it be
empty, the general ACSM list below is printed rather than nothing, because a plan
without stop rules is unsafe to hand out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask_babel import gettext as _
from fpdf.enums import XPos, YPos

from .boxes import BoxItem, draw_box
from .document import PlanDocument, line_height
from .labels import (
    clause_separator,
    colon,
    exclusion_name,
    pick,
    referral_target,
    sentence,
    urgency_name,
)

BULLET_W = 4.0


def general_warning_signs() -> list[str]:
    """ACSM indications to stop, reworded for patients (domain.md §1.8)."""
    return [
        _("Chest pain, pressure or tightness, or pain spreading to the neck, jaw or arm"),
        _("Much more breathless than usual, wheezing, or unable to catch your breath"),
        _("Dizziness, light-headedness, confusion, fainting, or unsteady walking"),
        _("Pale, bluish or cold clammy skin, or nausea"),
        _("Palpitations: a racing, pounding or irregular heartbeat"),
        _("Leg cramps or calf pain that makes you stop walking"),
        _("Unusual, severe tiredness, or any time you feel you need to stop"),
    ]


def warning_sign_texts(rx: Mapping[str, Any], lang: str) -> list[str]:
    signs = rx.get("warning_signs") or []
    texts = [pick(s.get("text") if isinstance(s, Mapping) else s, lang) for s in signs]
    return [t for t in texts if t] or general_warning_signs()


def draw_stop_signs(pdf: PlanDocument, rx: Mapping[str, Any], *, compact: bool = False) -> None:
    """The heavy box; ``compact`` runs the signs on as one paragraph to save a page."""
    texts = warning_sign_texts(rx, pdf.lang)
    if compact:
        items = [BoxItem(clause_separator(pdf.lang).join(texts), bullet=False)]
    else:
        items = [BoxItem(t) for t in texts]
    items.append(BoxItem(_("If chest pain or breathlessness does not ease within a few "
                           "minutes of rest, call 120 at once."), bullet=False))
    draw_box(pdf, _("STOP exercising and seek medical help if you notice:"), items,
             strong=True, continued=_("(continued)"))


def referral_texts(referrals: Sequence[Mapping[str, Any]], lang: str) -> list[str]:
    texts = []
    for ref in referrals:
        when = urgency_name(ref.get("urgency"))
        target = pick(ref.get("label"), lang) or referral_target(ref["to"])
        head = sentence(target, lang)
        if when:
            head += f"（{when}）" if lang == "zh" else f", {when}"
        reason = pick(ref.get("reason"), lang)
        texts.append(f"{head}{colon(lang)}{reason}" if reason else head)
    return texts


def draw_referrals(pdf: PlanDocument, rx: Mapping[str, Any]) -> None:
    texts = referral_texts(rx.get("referrals") or [], pdf.lang)
    if not texts:
        return
    pdf.heading(_("Please also see"))
    pdf.bullets(texts)


def avoid_texts(excluded: Sequence[Mapping[str, Any]], lang: str) -> list[str]:
    texts = []
    for item in excluded:
        label = sentence(pick(item.get("label"), lang), lang) or exclusion_name(
            str(item.get("code", "")))
        reason = pick(item.get("reason"), lang)
        texts.append(f"{label}{colon(lang)}{reason}" if reason else label)
    return texts


def draw_avoid_and_precautions(pdf: PlanDocument, rx: Mapping[str, Any]) -> None:
    """Two boxes; the class print-out puts both lists in one box to save its frame."""
    lang = pdf.lang
    avoid = avoid_texts(rx.get("excluded") or [], lang)
    care = [t for t in (pick(p.get("text"), lang) for p in rx.get("precautions") or []) if t]
    if pdf.is_compact and avoid and care:
        draw_box(pdf, f"{_('Avoid')} · {_('Take care')}", [BoxItem(t) for t in avoid + care],
                 continued=_("(continued)"))
        return
    if avoid:
        draw_box(pdf, _("Avoid"), [BoxItem(t) for t in avoid], continued=_("(continued)"))
    if care:
        draw_box(pdf, _("Take care"), [BoxItem(t) for t in care], continued=_("(continued)"))


def tip_texts(rx: Mapping[str, Any], lang: str) -> list[str]:
    tips = [pick(e.get("text"), lang) for e in rx.get("education") or []]
    return [t for t in tips if t]


def draw_tips(pdf: PlanDocument, rx: Mapping[str, Any]) -> None:
    tips = tip_texts(rx, pdf.lang)
    if tips:
        pdf.heading(_("Good to know"))
        pdf.bullets(tips)


def draw_referrals_and_tips(pdf: PlanDocument, rx: Mapping[str, Any]) -> None:
    """Referrals and tips side by side: the class print-out's way to keep one page.

    Either list alone takes the full width; both are short bullet lists in practice.
    """
    referrals = referral_texts(rx.get("referrals") or [], pdf.lang)
    tips = tip_texts(rx, pdf.lang)
    if not (referrals and tips):
        draw_referrals(pdf, rx)
        draw_tips(pdf, rx)
        return
    gap = 4.0
    width = (pdf.epw - gap) / 2
    columns = [(_("Please also see"), referrals), (_("Good to know"), tips)]
    heights = [_column_height(pdf, width, items) for _title, items in columns]
    if pdf.will_page_break(max(heights) + 3):
        pdf.add_page()
    top = pdf.get_y() + 1
    bottom = top
    for n, (title, items) in enumerate(columns):
        bottom = max(bottom, _draw_column(pdf, pdf.l_margin + n * (width + gap), top, width,
                                          title, items))
    pdf.set_xy(pdf.l_margin, bottom + 1)


def _column_height(pdf: PlanDocument, width: float, items: Sequence[str]) -> float:
    body = sum(pdf.text_height(width - BULLET_W, t) for t in items)
    return line_height(pdf.heading_pt) + 2 + body


def _draw_column(pdf: PlanDocument, x: float, y: float, width: float, title: str,
                 items: Sequence[str]) -> float:
    """A small heading with a rule and bullets in a column; returns its bottom y."""
    size = pdf.heading_pt
    pdf.set_xy(x, y)
    with pdf.local_context(font_size_pt=size), pdf.bold():
        pdf.cell(width, line_height(size), title)
    y += line_height(size)
    with pdf.local_context(draw_color=0, line_width=0.35):
        pdf.line(x, y, x + width, y)
    y += 1
    with pdf.local_context(font_size_pt=pdf.body_pt):
        for item in items:
            pdf.set_xy(x, y)
            pdf.cell(BULLET_W, line_height(pdf.body_pt), "•")
            pdf.multi_cell(width - BULLET_W, line_height(pdf.body_pt), item, align="L",
                           wrapmode=pdf.wrap, new_x=XPos.LEFT, new_y=YPos.NEXT)
            y = pdf.get_y()
    return y
