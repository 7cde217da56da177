"""Alembic revisions: an empty database reaches head, an older one upgrades with its data,
and head matches the table classes exactly (so no change ships without a revision)."""

from __future__ import annotations

import datetime as dt

import flask_migrate
import pytest
from sqlalchemy import inspect, text

PREVIOUS = "0001"


@pytest.fixture
def bare_app(make_app, db_url):
    """An app whose database has no tables yet (``make_app`` would create them)."""
    from web.extensions import db

    app = make_app(db_url)
    with app.app_context():
        db.drop_all()
    return app


def _revisions(app) -> list[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(app.extensions["migrate"].directory)
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def test_there_are_at_least_two_revisions_in_one_line(bare_app):
    revisions = _revisions(bare_app)
    assert len(revisions) >= 2
    assert revisions[0] == PREVIOUS


def _head_diff(app) -> list:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from web.extensions import db
    from web.schema import load_all_tables

    with app.app_context():
        flask_migrate.upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return compare_metadata(context, load_all_tables())


def _table_of(change) -> str:
    """The table a schema difference is about (diffs are tuples, or lists of tuples)."""
    item = change[0] if isinstance(change, list) else change
    for part in item[1:]:
        name = getattr(part, "name", None) if not isinstance(part, str) else None
        table = getattr(part, "table", None)
        if table is not None:
            return table.name
        if name and hasattr(part, "columns"):
            return name
    return str(item[2]) if len(item) > 2 else "?"


def test_an_empty_database_upgrades_to_head_matching_the_clinic_tables(bare_app):
    import web.tables as clinic

    own = {t.name for t in clinic.AuditEvent.metadata.sorted_tables
           if t.name in {m.__tablename__ for m in vars(clinic).values()
                         if hasattr(m, "__tablename__")}}
    diff = [c for c in _head_diff(bare_app) if _table_of(c) in own]
    assert diff == [], diff


def test_every_areas_tables_have_a_revision(bare_app):
    """Areas keep tables in web/<area>/tables.py; each needs its Alembic revision here."""
    diff = _head_diff(bare_app)
    missing = sorted({_table_of(c) for c in diff})
    assert diff == [], f"tables or columns without a migration: {missing}"


def test_the_previous_revision_upgrades_to_head_keeping_its_data(bare_app):
    from web.extensions import db

    with bare_app.app_context():
        flask_migrate.upgrade(revision=PREVIOUS)
        names = set(inspect(db.engine).get_table_names())
        assert "patient" in names
        assert "tier_review" not in names
        now = dt.datetime(2026, 1, 5, 8, 0)
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO station (name, kind, created_at) "
                              "VALUES ('旧站点', 'community', :t)"), {"t": now})
            conn.execute(text(
                "INSERT INTO app_user (username, display_name, password_hash, role, station_id,"
                " language, active, login_token, created_at) VALUES ('old', '老用户', 'x',"
                " 'clinician', 1, 'zh', :yes, 'tok', :t)"), {"t": now, "yes": True})
            conn.execute(text(
                "INSERT INTO patient (station_id, record_no, name, sex, birth_date,"
                " created_by_id, created_at, updated_at, lock_version) VALUES"
                " (1, 'JM1', '旧患者', 'F', :b, 1, :t, :t, 1)"), {"t": now,
                                                                "b": dt.date(1950, 1, 1)})
            conn.execute(text(
                "INSERT INTO assessment (patient_id, station_id, assessed_on, values_json,"
                " created_by_id, created_at, updated_at, lock_version) VALUES"
                " (1, 1, :d, '{\"sbp_mmhg\": 130}', 1, :t, :t, 1)"),
                {"t": now, "d": dt.date(2026, 1, 5)})
            conn.execute(text(
                "INSERT INTO prescription (patient_id, station_id, assessment_id, series,"
                " version_no, status, outcome, proposed_json, content_json, ruleset_name,"
                " ruleset_version, ruleset_hash, created_by_id, created_at, updated_at,"
                " lock_version) VALUES (1, 1, 1, 's1', 1, 'signed', 'prescription', '{}', '{}',"
                " 'default', '1.0.0', 'h', 1, :t, :t, 1)"), {"t": now})
        flask_migrate.upgrade()
        inspector = inspect(db.engine)
        assert {"share_link", "tier_review"} <= set(inspector.get_table_names())
        assert "notes" in {c["name"] for c in inspector.get_columns("assessment")}
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT name FROM patient")).scalar() == "旧患者"
            assert conn.execute(text("SELECT values_json FROM assessment")).scalar() == \
                '{"sbp_mmhg": 130}'
            assert conn.execute(text("SELECT assessment_id FROM prescription")).scalar() == 1


def test_downgrading_to_the_beginning_removes_every_table(bare_app):
    from web.extensions import db

    with bare_app.app_context():
        flask_migrate.upgrade()
        flask_migrate.downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
