"""The Borg 6–20 perceived-exertion scale, printed with the patient's target shaded.

A bare "RPE 12–13" means nothing at home; the scale with its verbal anchors does, and it
works when heart-rate targets do not (β-blockers, children, atrial fibrillation). The
scale is always named (domain.md §2.4: two different 0–10 scales also exist).
"""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _
from fpdf.fonts import FontFace

from .document import FILL_LIGHT, FILL_MEDIUM, PlanDocument, line_height
from .labels import component_short

SCORES = tuple(range(6, 21))


def borg_anchors() -> dict[int, str]:
    """Borg's verbal anchors for the 6–20 scale (Borg 1998)."""
    return {
        6: _("No exertion at all"),
        7: _("Extremely light"),
        9: _("Very light"),
        11: _("Light"),
        13: _("Somewhat hard"),
        15: _("Hard"),
        17: _("Very hard"),
        19: _("Extremely hard"),
        20: _("Maximal exertion"),
    }


def anchor_spans() -> list[tuple[int, int]]:
    """(score, columns) pairs: each anchor word also covers the unnamed score after it."""
    named = sorted(borg_anchors())
    spans = []
    for score in SCORES:
        if score in named:
            spans.append((score, 1))
        elif spans and spans[-1][1] == 1 and spans[-1][0] == score - 1:
            spans[-1] = (spans[-1][0], 2)
        else:
            spans.append((score, 1))
    return spans


def rpe_text(rpe: Sequence[int], lang: str) -> str:
    """"12–13 on the Borg 6–20 scale (somewhat hard)": number, scale name and words."""
    lo, hi = int(rpe[0]), int(rpe[1])
    anchors = borg_anchors()
    words = [anchors[s] for s in range(lo, hi + 1) if s in anchors]
    span = f"{lo}" if lo == hi else f"{lo}–{hi}"
    text = _("%(span)s on the Borg 6–20 scale", span=span)
    if not words:
        return text
    joined = " / ".join(w.lower() if lang == "en" else w for w in words)
    return f"{text} ({joined})" if lang == "en" else f"{text}（{joined}）"


def draw_rpe_scale(pdf: PlanDocument, targets: Sequence[tuple[str, Sequence[int]]]) -> None:
    """The scale as a strip, one shaded row per component that has an RPE range."""
    if not targets:
        return
    label_w = 26.0
    col_w = (pdf.epw - label_w) / len(SCORES)
    rows = 2 + len(targets)
    if pdf.will_page_break(rows * line_height(7.5) * 2 + 16):
        pdf.add_page()
    pdf.paragraph(
        _("How hard should it feel? Rate your overall effort on the Borg scale; aim for "
          "the shaded numbers."), size_pt=9)
    pdf.ln(1)
    anchors = borg_anchors()
    plain = FontFace(fill_color=255)
    with pdf.local_context(font_size_pt=7.5), pdf.table(
        col_widths=(label_w, *([col_w] * len(SCORES))), width=pdf.epw,
        text_align=("LEFT", *(["CENTER"] * len(SCORES))), line_height=line_height(7.5),
        padding=(0.8, 0.6), wrapmode=pdf.wrap, first_row_as_headings=False,
    ) as table:
        row = table.row()
        row.cell(_("Score"), style=FontFace(fill_color=FILL_MEDIUM))
        for score in SCORES:
            row.cell(str(score), style=FontFace(fill_color=FILL_MEDIUM, size_pt=9))
        row = table.row()
        row.cell(_("Feels"), style=plain)
        words = FontFace(fill_color=255, size_pt=6.5 if pdf.lang == "en" else 7.5)
        for score, width in anchor_spans():
            row.cell(anchors.get(score, ""), colspan=width, style=words)
        for kind, (lo, hi) in targets:
            row = table.row()
            row.cell(component_short(kind), style=plain)
            for score in SCORES:
                hit = lo <= score <= hi
                row.cell("●" if hit else "", style=FontFace(fill_color=FILL_LIGHT if hit else 255))
    pdf.ln(2)
