"""Application settings: defaults, then ``instance/config.py``, then the environment.

Every key the app reads is listed in ``DEFAULTS`` with the reason it exists (Indico keeps
one defaults dict for the same purpose). Values from the environment are parsed strictly:
a bad value stops startup with a message naming the variable, instead of running with a
surprising setting (healthchecks' ``envbool``/``envint``).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]


class ConfigError(RuntimeError):
    """A setting is missing or malformed; the message names the setting."""


def defaults(instance_path: str) -> dict[str, Any]:
    """Return the default settings; paths are absolute so the working directory never matters."""
    db_file = Path(instance_path) / "prescribe.sqlite3"
    return {
        # Database: SQLite in the instance folder for a single-PC station; PostgreSQL via
        # DATABASE_URL for a shared server.
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_file}",
        # Never echo SQL: statements carry patient values. hide_parameters keeps values out
        # of exception messages, which end up in error logs.
        "SQLALCHEMY_ECHO": False,
        "SQLALCHEMY_ENGINE_OPTIONS": {"hide_parameters": True, "pool_pre_ping": True},
        # SQLite only: FULL syncs every commit (a signature survives a power cut); tests use
        # OFF, where durability does not matter and each test builds a fresh file.
        "SQLITE_SYNCHRONOUS": "FULL",
        # Rule set and fitness model, read by the core from these paths at startup.
        "RULES_DIR": str(PROJECT_ROOT / "rules" / "default"),
        "MODEL_DIR": str(PROJECT_ROOT / "models" / "fitness_tier"),
        # Session cookie: not readable by page scripts, not sent on cross-site POSTs.
        # Secure is off by default because stations often run plain HTTP on an intranet;
        # set PRESCRIBE_SESSION_COOKIE_SECURE=true behind HTTPS.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": 8 * 3600,  # one working day
        # Login throttling: this many failures per username + address in the window locks
        # that pair until the window has passed.
        "LOGIN_MAX_FAILURES": 5,
        # Argon2id cost (a profile of argon2-cffi); stored hashes keep their own cost.
        "ARGON2_PROFILE": "RFC_9106_LOW_MEMORY",
        "LOGIN_WINDOW_MINUTES": 15,
        # Share links printed as QR codes on plans expire after this many days.
        "SHARE_LINK_DAYS": 90,
        # Absolute base for links in printed QR codes (e.g. https://station.example.cn);
        # empty means "the host the clinician used".
        "PUBLIC_BASE_URL": "",
        "PATIENTS_PER_PAGE": 20,
        # Reverse proxies in front of the app whose X-Forwarded-* headers are trusted
        # (0 = none: the headers are ignored, so nobody can forge a client address).
        "TRUSTED_PROXIES": 0,
        "BABEL_DEFAULT_LOCALE": "zh",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
        # Relative to the web package: page strings and printed-plan strings are merged.
        "BABEL_TRANSLATION_DIRECTORIES": (
            "translations;printing/translations;school/translations;"
            "ruleset_authoring/translations"),
        "LANGUAGES": ("zh", "en"),
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        # Show the demo credentials on the login page (set by `prescribe serve --demo`).
        "DEMO_MODE": False,
    }


def normalise_database_url(url: str) -> str:
    """Make ``postgres://`` and ``postgresql://`` URLs use psycopg 3, the installed driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def apply_environment(config: Any, environ: os._Environ[str] | dict[str, str] = os.environ) -> None:
    """Read ``DATABASE_URL``, ``PRESCRIBE_SECRET_KEY`` and ``PRESCRIBE_*`` into ``config``.

    ``PRESCRIBE_FOO=value`` sets ``FOO``; values are parsed as JSON when they look like it
    (Flask's ``from_prefixed_env``), so ``PRESCRIBE_SHARE_LINK_DAYS=30`` is an int.
    """
    config.from_prefixed_env("PRESCRIBE")
    if environ.get("DATABASE_URL"):
        config["SQLALCHEMY_DATABASE_URI"] = environ["DATABASE_URL"]
    if "DATABASE_URL" in config and config["DATABASE_URL"]:
        config["SQLALCHEMY_DATABASE_URI"] = config["DATABASE_URL"]
    config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(config["SQLALCHEMY_DATABASE_URI"])


def check(config: Any) -> None:
    """Refuse to start with settings that would misbehave later; name each bad setting."""
    problems = []
    for key in ("LOGIN_MAX_FAILURES", "LOGIN_WINDOW_MINUTES", "SHARE_LINK_DAYS",
                "PATIENTS_PER_PAGE"):
        value = config.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            problems.append(f"{key} must be a whole number ≥ 1, got {value!r}")
    proxies = config.get("TRUSTED_PROXIES")
    if not isinstance(proxies, int) or isinstance(proxies, bool) or proxies < 0:
        problems.append(f"TRUSTED_PROXIES must be a whole number ≥ 0, got {proxies!r}")
    if config.get("SQLITE_SYNCHRONOUS") not in ("OFF", "NORMAL", "FULL", "EXTRA"):
        problems.append("SQLITE_SYNCHRONOUS must be OFF, NORMAL, FULL or EXTRA")
    if config.get("SESSION_COOKIE_SAMESITE") not in ("Lax", "Strict"):
        problems.append("SESSION_COOKIE_SAMESITE must be Lax or Strict")
    if config.get("BABEL_DEFAULT_LOCALE") not in config.get("LANGUAGES", ()):
        problems.append("BABEL_DEFAULT_LOCALE must be one of LANGUAGES")
    if problems:
        raise ConfigError("invalid settings: " + "; ".join(problems))


def ensure_secret_key(config: Any, instance_path: str) -> None:
    """Use the configured SECRET_KEY, else one generated once and kept in the instance folder.

    A persisted key keeps sessions valid across restarts and across workers; it is created
    with owner-only permissions.
    """
    if config.get("SECRET_KEY"):
        return
    path = Path(instance_path) / "secret_key"
    if path.exists():
        key = path.read_text(encoding="ascii").strip()
        if key:
            config["SECRET_KEY"] = key
            return
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key + "\n")
    config["SECRET_KEY"] = key
