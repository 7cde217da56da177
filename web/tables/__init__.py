"""Database tables (SQLAlchemy declarative classes).

Named ``tables`` because "model" already means the fitness model and the ``models/``
folder here. Schema changes go through Alembic revisions in ``web/migrations``.
"""

from .accounts import ROLES, STATION_KINDS, AuditEvent, LoginAttempt, Station, User
from .clinical import Assessment, Patient
from .prescriptions import (
    STATUSES,
    ImmutableRecordError,
    OverrideRecord,
    Prescription,
    ShareLink,
    TierReview,
)
from .types import dump_json, load_json, utcnow

__all__ = [
    "ROLES", "STATION_KINDS", "STATUSES", "Assessment", "AuditEvent", "ImmutableRecordError",
    "LoginAttempt", "OverrideRecord", "Patient", "Prescription", "ShareLink", "Station",
    "TierReview", "User", "dump_json", "load_json", "utcnow",
]
