"""Bordered boxes for what a patient must not miss (warnings, deferral, clearance).

A box is measured before it is drawn, so its border always encloses its text: it is
kept on one page when it fits one, and otherwise split into page-sized parts, each
boxed and titled "(continued)". Long lists never run off the page or lose their frame.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fpdf.enums import XPos, YPos

from .document import FILL_MEDIUM, TOP, PlanDocument, line_height

TITLE_PT = 11.0
COMPACT_TITLE_PT = 9.5
ITEM_GAP = 1.0
BULLET_W = 5.0


@dataclass(frozen=True)
class BoxItem:
    text: str
    bullet: bool = True


def _title_pt(pdf: PlanDocument) -> float:
    return COMPACT_TITLE_PT if pdf.is_compact else TITLE_PT


def _title_height(pdf: PlanDocument) -> float:
    return line_height(_title_pt(pdf)) + (1.5 if pdf.is_compact else 2.5)


def _item_height(pdf: PlanDocument, item: BoxItem) -> float:
    width = pdf.epw - 2 * pdf.box_pad - (BULLET_W if item.bullet else 0)
    return pdf.text_height(width, item.text) + ITEM_GAP


def _chunks(pdf: PlanDocument, heights: list[float]) -> list[tuple[int, int]]:
    """Split item indexes into runs that each fit a page (the first fits what is left)."""
    frame = _title_height(pdf) + 2 * pdf.box_pad
    full_page = pdf.page_break_trigger - TOP
    room = pdf.page_break_trigger - pdf.get_y()
    if heights and frame + heights[0] > room:
        room = full_page  # not even one item fits here: the box starts on a new page
    if frame + sum(heights) > room and frame + sum(heights) <= full_page:
        return [(0, len(heights))]  # whole box on the next page
    runs: list[tuple[int, int]] = []
    start, used = 0, frame
    for i, h in enumerate(heights):
        if used + h > room and i > start:
            runs.append((start, i))
            start, used, room = i, frame, full_page
        used += h
    runs.append((start, len(heights)))
    return runs


def draw_box(pdf: PlanDocument, title: str, items: Sequence[BoxItem], *,
             strong: bool = False, continued: str = "") -> None:
    """Draw ``items`` inside a frame headed by ``title``.

    ``strong`` (stop signs, deferral) uses a black title bar with white text and a heavy
    border, which stays unmistakable on a black-and-white printout.
    """
    items = [i for i in items if i.text]
    if not items:
        return
    pdf.ln(1 if pdf.is_compact else 1.5)
    heights = [_item_height(pdf, i) for i in items]
    frame = _title_height(pdf) + 2 * pdf.box_pad
    for n, (lo, hi) in enumerate(_chunks(pdf, heights)):
        needed = frame + sum(heights[lo:hi])
        if pdf.will_page_break(needed):
            pdf.add_page()
        label = title if n == 0 else f"{title} {continued}".strip()
        _draw_part(pdf, label, items[lo:hi], strong=strong)


def _draw_part(pdf: PlanDocument, title: str, items: Sequence[BoxItem], *, strong: bool) -> None:
    x, y0, width = pdf.l_margin, pdf.get_y(), pdf.epw
    title_h = _title_height(pdf)
    with pdf.local_context(fill_color=0 if strong else FILL_MEDIUM):
        pdf.rect(x, y0, width, title_h, style="F")
    title_pt = _title_pt(pdf)
    with pdf.local_context(font_size_pt=title_pt, text_color=255 if strong else 0):
        pdf.set_xy(x + pdf.box_pad, y0 + (title_h - line_height(title_pt)) / 2)
        with pdf.bold():
            pdf.cell(width - 2 * pdf.box_pad, line_height(title_pt), title)
    pdf.set_y(y0 + title_h + pdf.box_pad)
    for item in items:
        left = x + pdf.box_pad
        with pdf.local_context(font_size_pt=pdf.body_pt):
            pdf.set_x(left)
            if item.bullet:
                pdf.cell(BULLET_W, line_height(pdf.body_pt), "■" if strong else "•")
            inner = width - 2 * pdf.box_pad - (BULLET_W if item.bullet else 0)
            pdf.multi_cell(inner, line_height(pdf.body_pt), item.text, align="L",
                           wrapmode=pdf.wrap, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(ITEM_GAP)
    y1 = pdf.get_y() + pdf.box_pad - ITEM_GAP
    with pdf.local_context(draw_color=0, line_width=0.9 if strong else 0.4):
        pdf.rect(x, y0, width, y1 - y0)
    pdf.set_y(y1 + (1.5 if pdf.is_compact else 3))
