"""Read-only share links for signed prescriptions (the QR code on the printed plan)."""

from __future__ import annotations

import datetime as dt
import logging
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..tables import Prescription, ShareLink, User, utcnow
from . import OperationError, audit

logger = logging.getLogger(__name__)


def active_link(session: Session, item: Prescription,
                now: dt.datetime | None = None) -> ShareLink | None:
    """The newest link of ``item`` that is neither revoked nor expired."""
    now = now or utcnow()
    return session.scalar(select(ShareLink).where(
        ShareLink.prescription_id == item.id, ShareLink.revoked_at.is_(None),
        ShareLink.expires_at > now).order_by(ShareLink.id.desc()).limit(1))


def create_share_link(session: Session, actor: User, item: Prescription, *, days: int,
                      now: dt.datetime | None = None) -> ShareLink:
    """Make an unguessable link (256 random bits) to a signed prescription."""
    if item.status != "signed":
        raise OperationError("only a signed prescription can be shared")
    now = now or utcnow()
    link = ShareLink(prescription_id=item.id, token=secrets.token_urlsafe(32),
                     created_by_id=actor.id, created_at=now,
                     expires_at=now + dt.timedelta(days=days))
    session.add(link)
    session.flush()
    audit.record(session, actor, "shared", "share_link", link.id, station_id=item.station_id,
                 detail=f"prescription {item.id}; {days} days")
    return link


def ensure_share_link(session: Session, actor: User, item: Prescription, *,
                      days: int) -> ShareLink:
    return active_link(session, item) or create_share_link(session, actor, item, days=days)


def revoke_share_link(session: Session, actor: User, link: ShareLink) -> None:
    if link.revoked_at is None:
        link.revoked_at = utcnow()
        link.revoked_by_id = actor.id
        session.flush()
        audit.record(session, actor, "revoked", "share_link", link.id,
                     station_id=link.prescription.station_id,
                     detail=f"prescription {link.prescription_id}")


def resolve_token(session: Session, token: str,
                  now: dt.datetime | None = None) -> ShareLink | None:
    """The valid link for ``token`` (None when unknown, revoked or expired)."""
    if not token or len(token) > 64:
        return None
    link = session.scalar(select(ShareLink).where(ShareLink.token == token))
    if link is None or not link.is_valid(now):
        return None
    return link


def record_public_view(session: Session, link: ShareLink, what: str) -> None:
    audit.record(session, None, "viewed", "prescription", link.prescription_id,
                 station_id=link.prescription.station_id,
                 detail=f"{what} through share link {link.id}")
