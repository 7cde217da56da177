"""``prescribe serve | db upgrade | users add | demo`` against a temporary instance folder."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from prescribe.cli import main

from .support import TINY_RULES


@pytest.fixture
def instance(tmp_path, monkeypatch):
    monkeypatch.setenv("PRESCRIBE_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("PRESCRIBE_RULES_DIR", str(TINY_RULES))
    monkeypatch.setenv("PRESCRIBE_MODEL_DIR", "")
    monkeypatch.setenv("PRESCRIBE_ARGON2_PROFILE", "CHEAPEST")
    monkeypatch.setenv("PRESCRIBE_SQLITE_SYNCHRONOUS", "OFF")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return tmp_path


def _query(instance, sql):
    with sqlite3.connect(instance / "prescribe.sqlite3") as conn:
        return conn.execute(sql).fetchall()


def test_db_upgrade_creates_the_schema_at_head(instance, capsys):
    assert main(["db", "upgrade"]) == 0
    tables = {r[0] for r in _query(instance, "SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"patient", "prescription", "tier_review", "share_link", "alembic_version"} <= tables
    assert (instance / "secret_key").exists()


def test_users_add_takes_the_password_from_the_environment(instance, monkeypatch, capsys):
    monkeypatch.setenv("PRESCRIBE_PASSWORD", "station-pass-77")
    assert main(["users", "add", "zhang", "--role", "admin", "--station", "东城社区卫生服务站",
                 "--name", "张主任"]) == 0
    out = capsys.readouterr().out
    assert "created station" in out
    assert "zhang" in out
    rows = _query(instance, "SELECT u.username, u.role, u.display_name, s.name, u.password_hash "
                            "FROM app_user u JOIN station s ON s.id = u.station_id")
    assert rows[0][:4] == ("zhang", "admin", "张主任", "东城社区卫生服务站")
    assert rows[0][4].startswith("$argon2id$")
    assert main(["users", "add", "zhang", "--role", "clinician", "--station", "x"]) == 2
    assert "taken" in capsys.readouterr().err


def test_users_add_refuses_a_weak_password(instance, monkeypatch, capsys):
    monkeypatch.setenv("PRESCRIBE_PASSWORD", "short")
    assert main(["users", "add", "li", "--role", "clinician", "--station", "站"]) == 2
    assert "password" in capsys.readouterr().err


def test_users_add_asks_twice_when_no_password_is_set(instance, monkeypatch, capsys):
    answers = iter(["first-pass-123", "other-pass-123"])
    monkeypatch.delenv("PRESCRIBE_PASSWORD", raising=False)
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    assert main(["users", "add", "li", "--role", "clinician", "--station", "站"]) == 2
    assert "differ" in capsys.readouterr().err


def test_demo_seeds_two_stations_every_role_and_about_thirty_patients(instance, capsys):
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "doctor" in out
    assert "demo-pass-2026" in out
    assert _query(instance, "SELECT COUNT(*) FROM station")[0][0] == 2
    roles = {r[0] for r in _query(instance, "SELECT role FROM app_user")}
    assert roles == {"clinician", "prescriber", "admin"}
    patients = _query(instance, "SELECT COUNT(*), COUNT(DISTINCT station_id), "
                                "SUM(grade_code IS NOT NULL) FROM patient")[0]
    assert 25 <= patients[0] <= 40
    assert patients[1] == 2
    assert patients[2] >= 8
    screened = _query(instance, "SELECT COUNT(*) FROM assessment "
                                "WHERE values_json LIKE '%uncorrected_va_left%'")[0][0]
    assert screened >= 5
    drafted = _query(instance, "SELECT COUNT(*), SUM(status = 'signed') FROM prescription")[0]
    assert drafted[0] >= 5
    assert drafted[1] >= 1
    assert main(["demo"]) == 0
    assert "already has patients" in capsys.readouterr().out


def test_serve_demo_migrates_seeds_and_prints_how_to_log_in(instance, monkeypatch, capsys):
    served = {}
    monkeypatch.setattr("waitress.serve", lambda app, **kw: served.update(kw, app=app))
    assert main(["serve", "--demo", "--port", "5077"]) == 0
    out = capsys.readouterr().out
    assert "http://127.0.0.1:5077/" in out
    assert "doctor" in out
    assert "admin" in out
    assert "demo-pass-2026" in out
    assert served["host"] == "127.0.0.1"
    assert served["port"] == 5077
    assert served["app"].config["DEMO_MODE"] is True
    login = served["app"].test_client().get("/auth/login").get_data(as_text=True)
    assert "demo-pass-2026" in login


def test_the_core_cli_does_not_import_the_web_stack_for_help():
    code = ("import sys; from prescribe.cli import build_parser; build_parser();"
            "print(any(m in sys.modules for m in ('flask', 'web', 'sqlalchemy')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
