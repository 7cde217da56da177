"""Stations, users and login (with throttling kept in the database)."""

from __future__ import annotations

import datetime as dt
import logging
import secrets

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ..passwords import hash_password, needs_rehash, password_problem, verify_password
from ..tables import ROLES, STATION_KINDS, LoginAttempt, Station, User, utcnow
from . import OperationError, audit

logger = logging.getLogger(__name__)


class LoginLockedError(OperationError):
    """Too many failed logins for this username from this address; try again later."""

    def __init__(self, until: dt.datetime):
        super().__init__("too many failed attempts")
        self.until = until


def create_station(session: Session, actor: User | None, name: str,
                   kind: str = "community") -> Station:
    name = name.strip()
    if not name:
        raise OperationError("a station needs a name", "name")
    if kind not in STATION_KINDS:
        raise OperationError(f"unknown station kind {kind!r}", "kind")
    if session.scalar(select(Station.id).where(Station.name == name)) is not None:
        raise OperationError("a station with this name exists", "name")
    station = Station(name=name, kind=kind)
    session.add(station)
    session.flush()
    audit.record(session, actor, "created", "station", station.id, station_id=station.id)
    return station


def create_user(session: Session, actor: User | None, *, username: str, display_name: str,
                password: str, role: str, station: Station, language: str = "zh") -> User:
    username = username.strip()
    if not username:
        raise OperationError("a username is needed", "username")
    if role not in ROLES:
        raise OperationError(f"role must be one of {', '.join(ROLES)}", "role")
    problem = password_problem(password)
    if problem:
        raise OperationError(f"password: {problem}", "password")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise OperationError("this username is taken", "username")
    user = User(username=username, display_name=display_name.strip() or username,
                password_hash=hash_password(password), role=role, station_id=station.id,
                language=language)
    session.add(user)
    session.flush()
    audit.record(session, actor, "created", "user", user.id, station_id=station.id,
                 detail=f"role={role}")
    logger.info("user %s created with role %s", user.id, role)
    return user


def update_station(session: Session, actor: User, station: Station, name: str,
                   kind: str) -> Station:
    name = name.strip()
    if not name:
        raise OperationError("a station needs a name", "name")
    if kind not in STATION_KINDS:
        raise OperationError(f"unknown station kind {kind!r}", "kind")
    clash = session.scalar(select(Station.id).where(Station.name == name))
    if clash is not None and clash != station.id:
        raise OperationError("a station with this name exists", "name")
    station.name, station.kind = name, kind
    session.flush()
    audit.record(session, actor, "updated", "station", station.id, station_id=station.id)
    return station


def update_user(session: Session, actor: User, user: User, *, display_name: str, role: str,
                station: Station, active: bool, language: str | None = None,
                password: str | None = None) -> User:
    """Change a user's account; a new password or deactivation ends their sessions."""
    if role not in ROLES:
        raise OperationError(f"role must be one of {', '.join(ROLES)}", "role")
    if user.id == actor.id and (role != "admin" or not active):
        raise OperationError("you cannot remove your own administrator access", "role")
    user.display_name = display_name.strip() or user.username
    user.role = role
    user.station_id = station.id
    if password:
        problem = password_problem(password)
        if problem:
            raise OperationError(f"password: {problem}", "password")
        user.password_hash = hash_password(password)
        user.login_token = secrets.token_urlsafe(32)
    if user.active and not active:
        user.login_token = secrets.token_urlsafe(32)
        audit.record(session, actor, "deactivated", "user", user.id, station_id=station.id)
    user.active = active
    if language is not None:
        set_language(session, user, language)
    session.flush()
    audit.record(session, actor, "updated", "user", user.id, station_id=station.id,
                 detail=f"role={role} active={active}")
    return user


def set_language(session: Session, user: User, language: str) -> None:
    if language not in ("zh", "en"):
        raise OperationError("language must be zh or en", "language")
    user.language = language
    session.flush()


def authenticate(session: Session, username: str, password: str, address: str, *,
                 max_failures: int, window: dt.timedelta,
                 now: dt.datetime | None = None) -> User | None:
    """Check a login and record the attempt; return the user, or None when it is wrong.

    Raises ``LoginLockedError`` (without checking the password) once ``max_failures``
    failures for this username and address fall inside ``window`` since the last success.
    """
    now = now or utcnow()
    username = username.strip()[:64]
    address = (address or "unknown")[:64]
    since = now - window
    last_success = session.scalar(
        select(func.max(LoginAttempt.at)).where(
            LoginAttempt.username == username, LoginAttempt.address == address,
            LoginAttempt.succeeded.is_(True), LoginAttempt.at >= since))
    failures = session.scalars(
        select(LoginAttempt.at).where(
            LoginAttempt.username == username, LoginAttempt.address == address,
            LoginAttempt.succeeded.is_(False),
            LoginAttempt.at >= (last_success if last_success and last_success > since else since))
        .order_by(LoginAttempt.at)).all()
    if len(failures) >= max_failures:
        until = failures[-max_failures] + window
        logger.warning("login locked for a username from address %s", address)
        raise LoginLockedError(until)
    user = session.scalar(select(User).where(User.username == username))
    ok = verify_password(user.password_hash if user else None, password)
    ok = ok and user is not None and user.active
    session.add(LoginAttempt(username=username, address=address, succeeded=ok, at=now))
    if not ok:
        session.flush()
        return None
    user.last_login_at = now
    # Old attempts no longer count towards any lock; keep the table small.
    session.execute(delete(LoginAttempt).where(LoginAttempt.username == username,
                                               LoginAttempt.at < now - dt.timedelta(days=1)))
    if needs_rehash(user.password_hash):  # the configured cost changed since it was set
        user.password_hash = hash_password(password)
    audit.record(session, user, "login", "user", user.id)
    session.flush()
    return user
