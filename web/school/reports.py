"""The school report as an A4 PDF: the same numbers and charts as the report page.

Charts are drawn with matplotlib's object API on an Agg canvas (no pyplot state, safe in
a web worker) with the embedded Noto Sans CJK face registered (``web.printing.fonts``), so
Chinese labels render on any computer; the PDF embeds a subset of the same font. Every
chart is followed by its table, which is what a district officer copies figures from.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from prescribe.school.kpi import STUDENT_GOOD_EXCELLENT_TARGET

from .. import labels as web_labels
from ..printing.fonts import FAMILY, find_cjk_font, register_matplotlib_font
from . import report_data as rd
from .charts import GRADE_COLOURS, PALETTE, TARGET_COLOUR

MARGIN = 15.0
BODY_PT = 9.0
CHART_W_MM = 180.0
CLASSES_PER_CHART = 30
MM_PER_INCH = 25.4


class ReportDocument(FPDF):
    """A4 portrait with the school and year in the header and page numbers below."""

    def __init__(self, heading: str, lang: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        font = find_cjk_font()
        self.add_font(FAMILY, "", str(font.path), collection_font_number=font.face_index)
        self.heading_text = heading
        self.page_label = _("Page %(n)s")  # formatted per page: the footer runs later
        self.set_margins(MARGIN, 20, MARGIN)
        self.set_auto_page_break(True, margin=16)
        self.set_font(FAMILY, size=BODY_PT)
        self.set_lang("zh-CN" if lang == "zh" else "en")
        self.set_creator("prescribe-assistant")

    def header(self) -> None:
        with self.local_context(font_size_pt=7.5, text_color=90):
            self.set_xy(MARGIN, 8)
            self.cell(self.epw, 4, self.heading_text)
        self.line(MARGIN, 13, self.w - MARGIN, 13)
        self.set_xy(MARGIN, 20)

    def footer(self) -> None:
        with self.local_context(font_size_pt=7.5, text_color=90):
            self.set_xy(MARGIN, self.h - 11)
            self.cell(self.epw, 4, self.page_label % {"n": self.page_no()}, align="R")

    def section(self, text: str, keep_with: float = 40.0) -> None:
        if self.will_page_break(10 + keep_with):
            self.add_page()
        self.ln(2)
        with self.local_context(font_size_pt=12):
            self.cell(self.epw, 7, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.line(MARGIN, self.get_y(), self.w - MARGIN, self.get_y())
        self.ln(2)

    def paragraph(self, text: str) -> None:
        self.multi_cell(self.epw, 5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[str]],
              widths: Sequence[float]) -> None:
        line_h = 5.5
        with self.local_context(fill_color=225):
            for head, width in zip(headers, widths, strict=True):
                self.cell(width, line_h, head, border=1, fill=True)
            self.ln(line_h)
        for row in rows:
            if self.will_page_break(line_h):
                self.add_page()
            for value, width in zip(row, widths, strict=True):
                self.cell(width, line_h, str(value), border=1)
            self.ln(line_h)
        self.ln(2)

    def chart(self, fig: Figure, height_mm: float) -> None:
        FigureCanvasAgg(fig)
        out = io.BytesIO()
        fig.savefig(out, format="png", dpi=200)
        if self.will_page_break(height_mm + 2):
            self.add_page()
        self.image(io.BytesIO(out.getvalue()), x=MARGIN, w=CHART_W_MM, h=height_mm)
        self.ln(2)


def _figure(n_rows: int, per_row_mm: float = 7.0) -> tuple[Figure, Any, float, str]:
    family = register_matplotlib_font()
    height = max(40.0, 18.0 + n_rows * per_row_mm)
    fig = Figure(figsize=(CHART_W_MM / MM_PER_INCH, height / MM_PER_INCH))
    ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax, height, family


def _finish(fig: Figure, ax: Any, family: str, title: str, percent: bool = True) -> None:
    ax.set_title(title, fontsize=9, family=family)
    ax.invert_yaxis()
    if percent:
        ax.set_xlim(0, 1.0)
        ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0], ["0%", "25%", "50%", "75%", "100%"])
    for label in ax.get_xticklabels() + ax.get_yticklabels():
        label.set_family(family)
        label.set_fontsize(7)
    fig.tight_layout(pad=0.6)


def grouped_figure(labels: Sequence[str], series: Sequence[Sequence[float | None]],
                   names: Sequence[str], title: str,
                   target: float | None = None, target_label: str = "") -> tuple[Figure, float]:
    """Horizontal grouped bars of shares (one group per label, one bar per series)."""
    fig, ax, height, family = _figure(len(labels), 4.0 + 3.0 * len(series))
    bar_h = 0.8 / max(len(series), 1)
    for s, values in enumerate(series):
        ys = [i - 0.4 + bar_h * (s + 0.5) for i in range(len(labels))]
        xs = [v or 0.0 for v in values]
        ax.barh(ys, xs, height=bar_h, color=PALETTE[s % len(PALETTE)], label=names[s])
        for y, v in zip(ys, values, strict=True):
            text = "—" if v is None else f"{v * 100:.1f}%"
            ax.annotate(text, ((v or 0.0), y), textcoords="offset points", xytext=(2, 0),
                        va="center", fontsize=6, family=family)
    ax.set_yticks(range(len(labels)), list(labels))
    if target is not None:
        ax.axvline(target, color=TARGET_COLOUR, linestyle="--", linewidth=1.2,
                   label=target_label)
    if len(series) > 1 or target is not None:
        ax.legend(fontsize=6.5, prop={"family": family, "size": 6.5}, loc="lower right")
    _finish(fig, ax, family, title)
    return fig, height


def stacked_figure(rows: Sequence[dict[str, Any]], title: str) -> tuple[Figure, float]:
    fig, ax, height, family = _figure(len(rows))
    left = [0.0] * len(rows)
    for grade in rd.GRADES:
        shares = [r["shares"][grade] or 0.0 for r in rows]
        ax.barh(range(len(rows)), shares, left=left, color=GRADE_COLOURS[grade],
                label=str(web_labels.GRADES[grade]))
        for i, share in enumerate(shares):
            if share >= 0.06:
                ax.text(left[i] + share / 2, i, f"{share * 100:.0f}%", ha="center",
                        va="center", fontsize=6, family=family)
        left = [a + b for a, b in zip(left, shares, strict=True)]
    ax.set_yticks(range(len(rows)), [r["label"] for r in rows])
    ax.legend(ncols=4, fontsize=6.5, prop={"family": family, "size": 6.5},
              loc="upper center", bbox_to_anchor=(0.5, -0.12), frameon=False)
    _finish(fig, ax, family, title)
    return fig, height


def render_report_pdf(report: rd.Report, lang: str) -> bytes:
    """The report as PDF bytes in ``lang`` (``zh`` or ``en``)."""
    with force_locale(lang):
        pdf = ReportDocument(report.title, lang)
        pdf.add_page()
        with pdf.local_context(font_size_pt=16):
            pdf.cell(pdf.epw, 9, _("Student physical health report"), new_x=XPos.LMARGIN,
                     new_y=YPos.NEXT)
        pdf.paragraph(report.title)
        _headline(pdf, report)
        _grades(pdf, report)
        _items(pdf, report)
        _classes(pdf, report)
        return bytes(pdf.output())


def _headline(pdf: ReportDocument, report: rd.Report) -> None:
    rows = rd.headline_rows(report)
    whole = report.whole
    pdf.paragraph(_("%(n)s students, %(g)s with a grade; mean total score %(m)s.",
                    n=whole["n_students"], g=whole["n_graded"],
                    m=whole["mean_total_score"] if whole["mean_total_score"] is not None
                    else "—"))
    target = STUDENT_GOOD_EXCELLENT_TARGET
    ge = whole["good_excellent"]
    if ge["share"] is not None:
        pdf.paragraph(_("Good or excellent: %(share)s against the plan's target of %(t)s%% "
                        "(%(verdict)s).", share=rd.share_text(ge), t=f"{target * 100:.0f}",
                        verdict=_("target met") if ge["meets_target"] else _("not yet met")))
    if report.paired:
        p = report.paired
        pdf.paragraph(_("Compared with last year (same students by 学籍号): %(n)s matched, mean "
                        "total score change %(c)s.", n=p["n_matched"],
                        c=p.get("mean_total_change") if p.get("mean_total_change")
                        is not None else "—"))
    fig, height = grouped_figure([r["label"] for r in rows], _series(
        report, [whole.get(r["key"]) for r in rows],
        [(report.last or {}).get(r["key"]) for r in rows]), rd.series_names(report),
        _("Key indicators"))
    pdf.section(_("Key indicators"), keep_with=height)
    pdf.chart(fig, height)
    pdf.table([_("Indicator"), _("This year"), _("Last year"), _("Change (points)"),
               _("Target")], [[r["label"], r["now"], r["last"], r["change"], r["target"]]
                             for r in rows], [52, 38, 38, 28, 24])


def _series(report: rd.Report, now: list[Any], before: list[Any]) -> list[list[float | None]]:
    series = [[(v or {}).get("share") for v in now]]
    if report.last is not None:
        series.append([(v or {}).get("share") for v in before])
    return series


def _grades(pdf: ReportDocument, report: rd.Report) -> None:
    rows = rd.grade_rows(report)
    fig, height = stacked_figure(rows, _("Grade distribution"))
    pdf.section(_("Grade distribution"), keep_with=height)
    pdf.chart(fig, height)
    pdf.table([_("Group"), _("Graded"), *[str(web_labels.GRADES[g]) for g in rd.GRADES]],
              [[r["label"], r["n"], *[f"{r['counts'][g]} ({(r['shares'][g] or 0) * 100:.1f}%)"
                                      for g in rd.GRADES]] for r in rows],
              [40, 20, 30, 30, 30, 30])


def _items(pdf: ReportDocument, report: rd.Report) -> None:
    rows = rd.item_rows(report)
    fig, height = grouped_figure([r["label"] for r in rows], _series(
        report, [r["now"] for r in rows], [r["last"] for r in rows]), rd.series_names(report),
        _("Pass rate per test item (score ≥ 60)"))
    pdf.section(_("Pass rate per test item (score ≥ 60)"), keep_with=height)
    pdf.chart(fig, height)
    pdf.table([_("Item"), _("This year"), _("Mean score"), _("Last year")],
              [[r["label"], r["text"], r["now"]["mean_score"], r["last_text"]] for r in rows],
              [60, 45, 30, 45])


def _classes(pdf: ReportDocument, report: rd.Report) -> None:
    rows = rd.class_rows(report)
    target = STUDENT_GOOD_EXCELLENT_TARGET
    for start in range(0, len(rows), CLASSES_PER_CHART):  # a chart never outgrows a page
        part = rows[start:start + CLASSES_PER_CHART]
        fig, height = grouped_figure(
            [r["label"] for r in part], [[r["good_excellent"]["share"] for r in part]],
            [_("Good or excellent")],
            _("Good or excellent per class against the plan's target"),
            target=target, target_label=_("Target %(p)s%%", p=f"{target * 100:.0f}"))
        if start == 0:
            pdf.section(_("Classes"), keep_with=height)
        pdf.chart(fig, height)
    pdf.table([_("Class"), _("Students"), _("Mean score"), _("Good or excellent"),
               _("Overweight or obese"), _("Screening myopia"), _("Scoliosis +")],
              [[r["label"], r["n"], r["mean"] if r["mean"] is not None else "—", r["text"],
                r["overweight_or_obese"], r["screening_myopia"], r["scoliosis_positive"]]
               for r in rows], [30, 16, 18, 30, 30, 30, 26])
