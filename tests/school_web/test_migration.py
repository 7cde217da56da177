"""The school tables arrive with exactly one Alembic revision on top of the current line."""

from __future__ import annotations

import flask_migrate
from sqlalchemy import inspect

SCHOOL_TABLES = {"school", "school_class", "student", "school_import", "student_assessment"}


def test_one_head_and_the_school_revision_upgrades_and_downgrades(make_app, db_url):
    from alembic.script import ScriptDirectory

    from web.extensions import db

    app = make_app(db_url)
    with app.app_context():
        db.drop_all()
        script = ScriptDirectory(app.extensions["migrate"].directory)
        assert len(script.get_heads()) == 1
        school = script.get_revision("0004_school")
        flask_migrate.upgrade()
        assert SCHOOL_TABLES <= set(inspect(db.engine).get_table_names())
        flask_migrate.downgrade(revision=school.down_revision)
        names = set(inspect(db.engine).get_table_names())
        assert not SCHOOL_TABLES & names
        assert "patient" in names
        flask_migrate.upgrade()
        student = {c["name"]: c for c in inspect(db.engine).get_columns("student")}
        assert "CHAR" in str(student["student_no"]["type"]).upper()  # 学籍号 is text
