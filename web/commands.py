"""What the ``prescribe serve | db | users | demo`` commands do (the argparse side lives in
``prescribe/commands/webapp.py`` and imports this module only when such a command runs)."""

from __future__ import annotations

import getpass
import os
import sys
from typing import Any, TextIO

from flask import Flask
from sqlalchemy import func, select

from prescribe.errors import PrescribeError

from . import create_app
from .extensions import db
from .tables import ROLES, Patient, Station


class CommandError(PrescribeError):
    """A command could not do what was asked; the message says why."""

    exit_code = 2


def upgrade_database(app: Flask, revision: str = "head") -> None:
    """Apply the Alembic revisions (an empty database gets the whole schema)."""
    import flask_migrate

    with app.app_context():
        flask_migrate.upgrade(revision=revision)


def read_password(environ: dict[str, str] | None = None, prompt: Any = None) -> str:
    """``PRESCRIBE_PASSWORD`` when set (scripts), else asked twice without echo."""
    environ = os.environ if environ is None else environ
    prompt = prompt or getpass.getpass
    if environ.get("PRESCRIBE_PASSWORD"):
        return environ["PRESCRIBE_PASSWORD"]
    first = prompt("Password: ")
    if first != prompt("Repeat the password: "):
        raise CommandError("the two passwords differ")
    return first


def add_user(app: Flask, username: str, role: str, station_name: str, password: str, *,
             display_name: str | None = None, language: str = "zh",
             out: TextIO | None = None) -> int:
    """Create a user at ``station_name`` (the station is created if it does not exist)."""
    out = out or sys.stdout
    from .operations import OperationError, accounts

    if role not in ROLES:
        raise CommandError(f"--role must be one of {', '.join(ROLES)}")
    with app.app_context():
        station = db.session.scalar(select(Station).where(Station.name == station_name))
        try:
            if station is None:
                station = accounts.create_station(db.session, None, station_name)
                print(f"created station {station_name!r}", file=out)
            user = accounts.create_user(db.session, None, username=username,
                                        display_name=display_name or username,
                                        password=password, role=role, station=station,
                                        language=language)
        except OperationError as exc:
            db.session.rollback()
            raise CommandError(f"{exc.field or 'user'}: {exc.message}") from exc
        db.session.commit()
        print(f"created {role} {username!r} at {station_name!r}", file=out)
        return user.id


def seed_demo_data(app: Flask, out: TextIO | None = None) -> dict[str, int] | None:
    """Seed the demo data unless patients exist; returns the counts (None if skipped)."""
    out = out or sys.stdout
    from .clinic import get_clinic
    from .demo import seed_demo

    with app.app_context():
        if db.session.scalar(select(func.count(Patient.id))):
            print("the database already has patients: demo data not added", file=out)
            return None
        counts = seed_demo(db.session, get_clinic().assistant)
        db.session.commit()
    print("demo data: {patients} patients, {assessments} assessments, {prescriptions} "
          "prescriptions ({signed} signed)".format(**counts), file=out)
    return counts


def print_demo_logins(out: TextIO | None = None) -> None:
    out = out or sys.stdout
    from .demo import DEMO_ACCOUNTS, DEMO_PASSWORD

    print(f"Demo accounts (password for all: {DEMO_PASSWORD}):", file=out)
    for username, _name, role, station in DEMO_ACCOUNTS:
        where = "second station" if station else "first station"
        print(f"  {username:<11} {role:<11} {where}", file=out)


def serve(host: str, port: int, *, demo: bool = False, threads: int = 8,
          out: TextIO | None = None) -> int:
    """Migrate, optionally seed demo data, and serve with waitress (Windows and Linux)."""
    out = out or sys.stdout
    import waitress

    app = create_app()
    if demo:
        from .demo import DEMO_ACCOUNTS, DEMO_PASSWORD

        app.config.update(DEMO_MODE=True, DEMO_PASSWORD=DEMO_PASSWORD,
                          DEMO_ACCOUNTS=DEMO_ACCOUNTS)
    upgrade_database(app)
    clinic = app.extensions["clinic"]
    if clinic.assistant is None:
        print(f"warning: drafting is off ({clinic.problem})", file=out)
    if demo:
        seed_demo_data(app, out)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    print(f"Serving on http://{shown}:{port}/  (Ctrl+C to stop)", file=out)
    if demo:
        print_demo_logins(out)
    out.flush()
    waitress.serve(app, host=host, port=port, threads=threads, ident="prescribe")
    return 0
