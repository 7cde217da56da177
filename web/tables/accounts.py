"""Stations, users, login attempts and the audit log."""

from __future__ import annotations

import datetime as dt
import secrets

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow

ROLES = ("clinician", "prescriber", "admin")
STATION_KINDS = ("community", "school")


class Station(db.Model):
    """A community health station or school clinic; every patient belongs to one."""

    __tablename__ = "station"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default="community")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (CheckConstraint("kind IN ('community', 'school')", name="kind"),)


class User(UserMixin, db.Model):
    """A person who logs in. ``login_token`` is the session id Flask-Login stores: changing
    it (new password, deactivation) logs the user out everywhere."""

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id"), index=True)
    language: Mapped[str] = mapped_column(String(5), default="zh")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    login_token: Mapped[str] = mapped_column(
        String(64), unique=True, default=lambda: secrets.token_urlsafe(32))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    station: Mapped[Station] = relationship(lazy="joined")

    __table_args__ = (
        CheckConstraint("role IN ('clinician', 'prescriber', 'admin')", name="role"),
        CheckConstraint("language IN ('zh', 'en')", name="language"),
    )

    def get_id(self) -> str:
        return self.login_token

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return bool(self.active)

    @property
    def is_clinical(self) -> bool:
        """Clinicians and prescribers see patients; administrators manage accounts only."""
        return self.role in ("clinician", "prescriber")


class LoginAttempt(db.Model):
    """One login try, kept in the database so throttling holds across worker processes."""

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    succeeded: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (Index("ix_login_attempt_who_when", "username", "address", "at"),)


class AuditEvent(db.Model):
    """Who did what to which record, and when. ``detail`` never holds patient values."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("station.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    object_type: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str] = mapped_column(String(200), default="")

    user: Mapped[User | None] = relationship(lazy="joined")
    station: Mapped[Station | None] = relationship(lazy="joined")

    __table_args__ = (Index("ix_audit_event_object", "object_type", "object_id"),)
