"""The audit trail: who created, changed, signed, printed or viewed which record."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..tables import AuditEvent, User

ACTIONS = ("created", "updated", "viewed", "signed", "printed", "shared", "revoked",
           "reviewed", "deactivated", "login", "logout", "locked")
OBJECT_TYPES = ("patient", "assessment", "prescription", "share_link", "user", "station",
                "tier_review")


def record(session: Session, actor: User | None, action: str, object_type: str,
           object_id: int | None, *, station_id: int | None = None, detail: str = "") -> None:
    """Add one audit event. ``detail`` must not contain patient names or values."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    if object_type not in OBJECT_TYPES:
        raise ValueError(f"unknown audit object type {object_type!r}")
    if station_id is None and actor is not None:
        station_id = actor.station_id
    session.add(AuditEvent(user_id=actor.id if actor else None, station_id=station_id,
                           action=action, object_type=object_type, object_id=object_id,
                           detail=detail[:200]))
