"""The A4 page: fonts, running header and footer, DRAFT watermark, text primitives.

Everything here is layout; no clinical content. The one font is Noto Sans CJK SC,
embedded as a subset (fpdf2 subsets on output), so a plan is small and prints the same
on any computer. Only the regular weight ships with the font package, so headings are
set larger and emphasised with a thin outline stroke (synthetic bold) rather than
embedding a second 15 MB font.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from fpdf import FPDF
from fpdf.enums import MethodReturnValue, TextMode, WrapMode, XPos, YPos

from .fonts import FAMILY, find_cjk_font

MARGIN = 15.0
TOP = 20.0
BOTTOM = 16.0
BODY_PT = 9.5
SMALL_PT = 7.5
GREY_TEXT = 90
RULE_GREY = 150
TABLE_RULE = 60
FILL_LIGHT = 238
FILL_MEDIUM = 215
BOX_PAD = 3.0
HEADING_PT = 12.0
COMPACT_BODY_PT = 8.5
COMPACT_HEADING_PT = 10.5
COMPACT_BOX_PAD = 1.5


def line_height(size_pt: float) -> float:
    """Line pitch in mm for a font size: 1.45 × the em, readable for older patients."""
    return size_pt * 0.3528 * 1.45


@dataclass(frozen=True)
class RunningText:
    """What the header and footer print on each page of one patient's plan."""

    header_left: str
    header_right: str
    footer_left: str
    page_label: str  # e.g. "Page {page} of {nb}" already translated
    watermark: str | None  # None for a signed plan


class PlanDocument(FPDF):
    """An A4 portrait FPDF with the plan's running text and a few text primitives."""

    def __init__(self, lang: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.lang = lang
        font = find_cjk_font()
        self.add_font(FAMILY, "", str(font.path), collection_font_number=font.face_index)
        self.set_margins(MARGIN, TOP, MARGIN)
        self.set_auto_page_break(True, margin=BOTTOM)
        self.set_font(FAMILY, size=BODY_PT)
        self.wrap = WrapMode.WORD
        self.use_language(lang)
        self.running = RunningText("", "", "", "", None)
        self.body_pt = BODY_PT  # the class print-out sets smaller text to fit one page
        self.heading_pt = HEADING_PT
        self.box_pad = BOX_PAD
        self.is_compact = False
        self.pending: RunningText | None = None
        self.set_creator("prescribe-assistant")
        self.set_lang("zh-CN" if lang == "zh" else "en")

    def use_language(self, lang: str) -> None:
        """Chinese wraps between any two characters; English only at spaces."""
        self.lang = lang
        self.wrap = WrapMode.CHAR if lang == "zh" else WrapMode.WORD

    # -- page furniture -----------------------------------------------------------
    def start_plan(self, running: RunningText) -> None:
        """Start a new page for a (new) patient with that patient's running text."""
        self.pending = running
        self.add_page()

    def header(self) -> None:
        if self.pending is not None:  # set here: the previous page's footer has run
            self.running, self.pending = self.pending, None
        with self.local_context(font_size_pt=SMALL_PT, text_color=GREY_TEXT):
            self.set_xy(MARGIN, 8)
            self.cell(self.epw / 2, 4, self.running.header_left)
            self.cell(self.epw / 2, 4, self.running.header_right, align="R")
        with self.local_context(draw_color=RULE_GREY, line_width=0.2):
            self.line(MARGIN, 13, self.w - MARGIN, 13)
        self.set_draw_color(TABLE_RULE)  # tables and frames use the page's default pen
        self.set_line_width(0.25)
        self.set_xy(MARGIN, TOP)

    def footer(self) -> None:
        if self.running.watermark:  # drawn last, translucent: on top of every table fill
            self._watermark(self.running.watermark)
        with self.local_context(font_size_pt=SMALL_PT, text_color=GREY_TEXT,
                                draw_color=RULE_GREY, line_width=0.2):
            y = self.h - 12
            self.line(MARGIN, y, self.w - MARGIN, y)
            self.set_xy(MARGIN, y + 1)
            page = self.running.page_label.replace("{page}", str(self.page_no()))
            self.cell(self.epw - 28, 4, self.running.footer_left)
            self.cell(28, 4, page, align="R")

    def _watermark(self, text: str) -> None:
        with self.local_context(font_size_pt=96, text_color=110, fill_opacity=0.22), \
                self.rotation(45, x=self.w / 2, y=self.h / 2):
            width = self.get_string_width(text)
            self.text(self.w / 2 - width / 2, self.h / 2 + 12, text)

    # -- text primitives ------------------------------------------------------------
    @contextmanager
    def bold(self) -> Iterator[None]:
        """Synthetic bold: fill plus a thin outline in the text colour."""
        with self.local_context(
            text_mode=TextMode.FILL_STROKE, line_width=0.16, draw_color=self.text_color
        ):
            yield

    def compact(self) -> None:
        """Smaller body text and headings: one student's plan on one page of a class PDF."""
        self.body_pt = COMPACT_BODY_PT
        self.heading_pt = COMPACT_HEADING_PT
        self.box_pad = COMPACT_BOX_PAD
        self.is_compact = True

    def text_height(self, width: float, text: str, size_pt: float | None = None) -> float:
        size_pt = size_pt or self.body_pt
        with self.local_context(font_size_pt=size_pt):
            return self.multi_cell(
                width, line_height(size_pt), text, dry_run=True, wrapmode=self.wrap,
                output=MethodReturnValue.HEIGHT,
            )

    def paragraph(self, text: str, size_pt: float | None = None, *, indent: float = 0.0,
                  grey: bool = False) -> None:
        if not text:
            return
        size_pt = size_pt or self.body_pt
        with self.local_context(font_size_pt=size_pt, text_color=GREY_TEXT if grey else 0):
            self.set_x(self.l_margin + indent)
            self.multi_cell(self.epw - indent, line_height(size_pt), text, align="L",
                            wrapmode=self.wrap, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def bullets(self, items: Sequence[str], size_pt: float | None = None, *,
                indent: float = 0.0) -> None:
        size_pt = size_pt or self.body_pt
        for item in items:
            if not item:
                continue
            height = self.text_height(self.epw - indent - 5, item, size_pt)
            if self.will_page_break(height):
                self.add_page()
            y = self.get_y()
            with self.local_context(font_size_pt=size_pt):
                self.set_xy(self.l_margin + indent, y)
                self.cell(5, line_height(size_pt), "•")
                self.multi_cell(self.epw - indent - 5, line_height(size_pt), item,
                                align="L", wrapmode=self.wrap, new_x=XPos.LMARGIN,
                                new_y=YPos.NEXT)

    def heading(self, text: str, size_pt: float | None = None, *,
                keep_with: float = 25.0) -> None:
        """A section heading with a rule under it, never stranded at a page bottom."""
        size_pt = size_pt or self.heading_pt
        if self.will_page_break(line_height(size_pt) + 3 + keep_with):
            self.add_page()
        self.ln(1 if self.is_compact else 2)
        with self.local_context(font_size_pt=size_pt), self.bold():
            self.cell(self.epw, line_height(size_pt), text, new_x=XPos.LMARGIN,
                      new_y=YPos.NEXT)
        with self.local_context(draw_color=0, line_width=0.35):
            self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(1 if self.is_compact else 1.5)
