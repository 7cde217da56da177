"""Password hashing with Argon2id.

The cost parameters come from an argon2-cffi profile (``ARGON2_PROFILE`` in the config,
default ``RFC_9106_LOW_MEMORY``: 64 MiB, 3 passes). Each hash records its own parameters,
so changing the profile never locks anyone out; ``needs_rehash`` lets login upgrade old
hashes. Tests use the ``CHEAPEST`` profile so that hundreds of logins stay fast.
"""

from __future__ import annotations

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 10
DEFAULT_PROFILE = "RFC_9106_LOW_MEMORY"


class _State:
    hasher = PasswordHasher.from_parameters(getattr(profiles, DEFAULT_PROFILE))
    # Verified against when the username is unknown, so that both paths cost the same time
    # and response timing does not reveal which usernames exist.
    dummy = hasher.hash("not-a-real-password")
    profile = DEFAULT_PROFILE


def configure(profile: str) -> None:
    """Use another argon2-cffi profile (name of a constant in ``argon2.profiles``)."""
    if profile == _State.profile:
        return
    params = getattr(profiles, profile, None)
    if params is None or profile.startswith("_"):
        raise ValueError(f"unknown ARGON2_PROFILE {profile!r}")
    _State.hasher = PasswordHasher.from_parameters(params)
    _State.dummy = _State.hasher.hash("not-a-real-password")
    _State.profile = profile


def hash_password(password: str) -> str:
    return _State.hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; an unknown user (``None``) still spends the time."""
    try:
        ok = _State.hasher.verify(password_hash or _State.dummy, password)
    except (VerificationError, InvalidHashError):
        return False
    return ok and password_hash is not None


def needs_rehash(password_hash: str) -> bool:
    return _State.hasher.check_needs_rehash(password_hash)


def password_problem(password: str) -> str | None:
    """Why a new password is unacceptable (in English; the web layer translates), or None."""
    if len(password) < MIN_LENGTH:
        return f"at least {MIN_LENGTH} characters"
    if password.isdigit() or password.isalpha():
        return "mix letters with digits or symbols"
    return None
