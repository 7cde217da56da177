"""The clinician web app: ``create_app`` builds and wires a Flask application.

The app only translates between HTTP and the core library (``prescribe``): views parse a
request, call an operation (``web/operations``) or the core, and render a page.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from flask import Flask

from . import config as settings
from .extensions import babel, csrf, db, migrate

MIGRATIONS_DIR = str(Path(__file__).resolve().parent / "migrations")


def create_app(test_config: dict[str, Any] | None = None, *,
               instance_path: str | None = None) -> Flask:
    """Create the app: defaults, then ``instance/config.py`` and the environment.

    ``test_config`` replaces the instance file and the environment (flaskr's pattern), so a
    developer's ``DATABASE_URL`` never leaks into tests.
    """
    app = Flask(__name__, instance_relative_config=True,
                instance_path=instance_path or os.environ.get("PRESCRIBE_INSTANCE_PATH"))
    app.config.from_mapping(settings.defaults(app.instance_path))
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        settings.apply_environment(app.config)
    else:
        app.config.from_mapping(test_config)
        app.config["SQLALCHEMY_DATABASE_URI"] = settings.normalise_database_url(
            app.config["SQLALCHEMY_DATABASE_URI"])
    settings.check(app.config)
    os.makedirs(app.instance_path, exist_ok=True)
    settings.ensure_secret_key(app.config, app.instance_path)
    from . import passwords

    passwords.configure(app.config["ARGON2_PROFILE"])
    _keep_patient_data_out_of_logs(app)
    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    db.init_app(app)
    with app.app_context():
        _tune_sqlite(db.engine, app.config["SQLITE_SYNCHRONOUS"])
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True,
                     compare_type=True)
    csrf.init_app(app)
    from . import auth, i18n

    auth.init_app(app)
    i18n.init_app(app, babel)

    from . import clinic

    clinic.init_app(app)
    _register_blueprints(app)
    from . import errors, templating

    errors.init_app(app)
    templating.init_app(app)
    return app


def _register_blueprints(app: Flask) -> None:
    """One blueprint per area; new areas (rule sets, schools) add a line here."""
    from . import (
        admin,
        assessments,
        auth,
        kpi,
        main,
        patients,
        prescriptions,
        ruleset_authoring,
        school,
        share,
    )

    for module in (main, auth, admin, patients, assessments, prescriptions, share, school, kpi,
                   ruleset_authoring):
        app.register_blueprint(module.bp)


def _tune_sqlite(engine: Any, synchronous: str) -> None:
    """SQLite: enforce foreign keys, and use write-ahead logging so that readers do not wait
    for writers and each commit costs one sync instead of several (``SQLITE_SYNCHRONOUS``
    FULL keeps every committed record, e.g. a signature, across a power cut)."""
    if engine.dialect.name != "sqlite":
        return
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        cursor = dbapi_conn.cursor()
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def _keep_patient_data_out_of_logs(app: Flask) -> None:
    """SQLAlchemy logs statements with their parameters (patient values) whenever its
    logger is enabled for INFO, e.g. when a root logger is set to DEBUG. Pin it to
    WARNING unless SQL echo was asked for explicitly."""
    if not app.config.get("SQLALCHEMY_ECHO"):
        for name in ("sqlalchemy.engine", "sqlalchemy.pool"):
            logging.getLogger(name).setLevel(logging.WARNING)
