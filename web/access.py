"""Who may open what: role checks and station-scoped loaders.

Every patient belongs to a station and users see only their own station's records. A
record from another station answers 404, exactly like a record that does not exist, so
ids cannot be probed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import select

from .extensions import db
from .tables import Assessment, Patient, Prescription

CLINICAL_ROLES = ("clinician", "prescriber")
ADMIN_ROLES = ("admin",)

F = TypeVar("F", bound=Callable[..., Any])


def role_required(*roles: str) -> Callable[[F], F]:
    """Log in first (anonymous → login page), then refuse other roles with 403."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = roles  # type: ignore[attr-defined]
        return login_required(wrapped)  # type: ignore[return-value]

    return decorator


clinical_required = role_required(*CLINICAL_ROLES)
admin_required = role_required(*ADMIN_ROLES)


def get_patient_or_404(patient_id: int) -> Patient:
    """Load a patient of the current user's station.

    :raise 404: no such patient, or the patient belongs to another station.
    """
    patient = db.session.scalar(select(Patient).where(
        Patient.id == patient_id, Patient.station_id == current_user.station_id))
    if patient is None:
        abort(404)
    return patient


def get_assessment_or_404(assessment_id: int) -> Assessment:
    """:raise 404: no such assessment at the current user's station."""
    item = db.session.scalar(select(Assessment).where(
        Assessment.id == assessment_id, Assessment.station_id == current_user.station_id))
    if item is None:
        abort(404)
    return item


def get_prescription_or_404(prescription_id: int) -> Prescription:
    """:raise 404: no such prescription at the current user's station."""
    item = db.session.scalar(select(Prescription).where(
        Prescription.id == prescription_id,
        Prescription.station_id == current_user.station_id))
    if item is None:
        abort(404)
    return item
