"""QR code for the plan's online copy, drawn with segno as a crisp 1-bit PNG.

The web app owns the share link (unguessable, expiring); the printer only encodes the
absolute URL it is given. Error correction M at least (segno may raise it when the code
does not grow), a 4-module quiet zone as the QR standard asks, and 8 pixels per module
so the PNG stays sharp when placed at ~28 mm on paper.
"""

from __future__ import annotations

import io
from datetime import date

import segno
from flask_babel import gettext as _

from .document import GREY_TEXT, PlanDocument, line_height
from .labels import long_date

QR_SIZE_MM = 28.0


def qr_png(url: str, scale: int = 8) -> bytes:
    """A black-on-white PNG of ``url`` as a QR code."""
    code = segno.make(url, error="m", micro=False)
    out = io.BytesIO()
    code.save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def qr_caption(expires_on: date | None, lang: str) -> str:
    caption = _("Scan for the online copy of this plan")
    if expires_on is not None:
        caption += "\n" + _("(link expires %(date)s)", date=long_date(expires_on, lang))
    return caption


def draw_qr(pdf: PlanDocument, url: str, expires_on: date | None, x: float,
            y: float, *, size: float = QR_SIZE_MM, caption_pt: float = 7) -> float:
    """Place the code with its caption at (x, y); returns the bottom y of the block.

    ``size`` below the default is for the class print-out's header, where the code sits
    beside the identity grid; at 8 px per module it still scans at 20 mm.
    """
    pdf.image(io.BytesIO(qr_png(url)), x=x, y=y, w=size, h=size)
    pad = 8 if size >= QR_SIZE_MM else 2
    with pdf.local_context(font_size_pt=caption_pt, text_color=GREY_TEXT):
        pdf.set_xy(x - pad, y + size)
        pdf.multi_cell(size + 2 * pad, line_height(caption_pt), qr_caption(expires_on, pdf.lang),
                       align="C", wrapmode=pdf.wrap)
    return pdf.get_y()
