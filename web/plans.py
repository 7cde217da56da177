"""The printed plan: build ``PlanContext`` from the database and return the PDF."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, current_app, request, url_for

from . import queries
from .clinic import optional_module
from .extensions import db
from .i18n import current_lang
from .operations import audit, sharing
from .tables import Prescription, ShareLink, User


def share_url(link: ShareLink) -> str:
    """The absolute address printed in the QR code."""
    base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url
    return base.rstrip("/") + url_for("share.view", token=link.token)


def plan_context(item: Prescription, lang: str, link: ShareLink | None) -> Any:
    printing = optional_module("web.printing")
    if printing is None:
        abort(503)
    patient = item.patient
    signer = item.signed_by or item.updated_by or item.created_by
    issued = (item.signed_at or item.updated_at or item.created_at).date()
    progress = [{k: p[k] for k in ("date", "grade", "total", "scores")}
                for p in queries.progress_points(patient)]
    return printing.PlanContext(
        lang=lang, station_name=patient.station.name, clinician_name=signer.display_name,
        patient_name=patient.name, patient_sex=patient.sex,
        patient_age_years=round(patient.age_on(item.assessment.assessed_on), 1),
        patient_ref=patient.record_no, issued_on=issued, prescription=item.content,
        signed_at=item.signed_at, version=item.version_no,
        qr_url=share_url(link) if link else None, progress=progress,
        school_name=patient.school_name, class_name=patient.class_name,
        qr_expires_on=link.expires_at.date() if link else None)


def render_pdf(item: Prescription, lang: str, link: ShareLink | None) -> bytes:
    printing = optional_module("web.printing")
    if printing is None:
        abort(503)
    return printing.render_plan_pdf(plan_context(item, lang, link))


def _pdf(data: bytes, item: Prescription) -> Response:
    name = f"plan-{item.patient.record_no}-v{item.version_no}.pdf"
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def pdf_response(item: Prescription, actor: User, lang: str | None) -> Response:
    """Print for a clinician: signed plans get a share link (the QR); drafts print with a
    DRAFT watermark and no QR."""
    lang = lang if lang in ("zh", "en") else current_lang()
    link = None
    if item.status == "signed":
        link = sharing.ensure_share_link(db.session, actor, item,
                                         days=current_app.config["SHARE_LINK_DAYS"])
    data = render_pdf(item, lang, link)
    audit.record(db.session, actor, "printed", "prescription", item.id,
                 station_id=item.station_id, detail=f"version {item.version_no}; {lang}")
    db.session.commit()
    return _pdf(data, item)


def public_pdf_response(link: ShareLink, lang: str) -> Response:
    item = link.prescription
    data = render_pdf(item, lang, link)
    sharing.record_public_view(db.session, link, "pdf")
    db.session.commit()
    return _pdf(data, item)
