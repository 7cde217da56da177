"""The printed exercise plan: A4 PDF in Chinese or English for use at home.

``render_plan_pdf(PlanContext) -> bytes`` prints one patient's plan and
``render_class_pdf([PlanContext, ...]) -> bytes`` one student per page for parents. Both
need a Flask app context with Flask-Babel configured and ``TRANSLATIONS_DIR`` merged into
``BABEL_TRANSLATION_DIRECTORIES``. See docs/ARCHITECTURE.md, "Printed plan".
"""

from .catalogue import TRANSLATIONS_DIR
from .context import PlanContext
from .errors import FontNotFoundError, PlanContextError, PrintingError
from .plan import render_class_pdf, render_plan_pdf

__all__ = [
    "TRANSLATIONS_DIR",
    "FontNotFoundError",
    "PlanContext",
    "PlanContextError",
    "PrintingError",
    "render_class_pdf",
    "render_plan_pdf",
]
