"""The read-only copy behind a plan's QR code: ``/p/<token>``, no login.

The token is the only key: it reaches exactly one prescription, nothing links onwards
into the app, and an expired or withdrawn link answers 410.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from sqlalchemy import select
from werkzeug.wrappers import Response

from . import explain
from .extensions import db
from .i18n import current_lang
from .operations import sharing
from .plans import public_pdf_response
from .tables import Prescription, ShareLink

bp = Blueprint("share", __name__, url_prefix="/p")


def _link_or_abort(token: str) -> ShareLink:
    link = sharing.resolve_token(db.session, token)
    if link is None:
        exists = db.session.scalar(select(ShareLink.id).where(ShareLink.token == token))
        abort(410 if exists else 404)
    return link


@bp.route("/<token>")
def view(token: str) -> str:
    link = _link_or_abort(token)
    item = link.prescription
    newer = db.session.scalar(select(Prescription.id).where(
        Prescription.series == item.series, Prescription.status == "signed",
        Prescription.version_no > item.version_no))
    sharing.record_public_view(db.session, link, "page")
    db.session.commit()
    return render_template("share/public.html", item=item, rx=item.content,
                           patient=item.patient, link=link, superseded=newer is not None,
                           why=explain.Explainer(item.content))


@bp.route("/<token>/pdf")
def pdf(token: str) -> Response:
    link = _link_or_abort(token)
    lang = request.args.get("lang")
    return public_pdf_response(link, lang if lang in ("zh", "en") else current_lang())
