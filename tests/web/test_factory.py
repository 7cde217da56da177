"""The app factory: configuration sources, secrets, and startup checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from web import create_app
from web.config import ConfigError, normalise_database_url


@pytest.fixture(autouse=True)
def _no_rule_loading(monkeypatch):
    """Factory tests check configuration, not the real rule set (slow to load)."""
    monkeypatch.setenv("PRESCRIBE_RULES_DIR", "")
    monkeypatch.setenv("PRESCRIBE_ARGON2_PROFILE", "CHEAPEST")
    monkeypatch.delenv("DATABASE_URL", raising=False)


def test_default_paths_point_into_the_project(tmp_path):
    from web.config import defaults

    config = defaults(str(tmp_path))
    assert config["RULES_DIR"].endswith(str(Path("rules") / "default"))
    assert config["MODEL_DIR"].endswith(str(Path("models") / "fitness_tier"))


def test_default_app_is_not_testing_and_uses_sqlite_in_instance(tmp_path):
    app = create_app(instance_path=str(tmp_path / "inst"))
    assert not app.testing
    assert app.config["SQLALCHEMY_DATABASE_URI"] == (
        f"sqlite:///{tmp_path / 'inst' / 'prescribe.sqlite3'}")


def test_secret_key_is_generated_once_and_persisted_with_private_permissions(tmp_path):
    first = create_app(instance_path=str(tmp_path))
    second = create_app(instance_path=str(tmp_path))
    key_file = tmp_path / "secret_key"
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) == 64
    assert key_file.stat().st_mode & 0o077 == 0


def test_environment_overrides_instance_config(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text("SHARE_LINK_DAYS = 30\nPATIENTS_PER_PAGE = 7\n")
    monkeypatch.setenv("PRESCRIBE_SHARE_LINK_DAYS", "14")
    monkeypatch.setenv("PRESCRIBE_SECRET_KEY", "from-environment")
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db.example/prescribe")
    app = create_app(instance_path=str(tmp_path))
    assert app.config["PATIENTS_PER_PAGE"] == 7          # instance file
    assert app.config["SHARE_LINK_DAYS"] == 14           # environment wins
    assert app.config["SECRET_KEY"] == "from-environment"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/prescribe"
    assert not (tmp_path / "secret_key").exists()


def test_test_config_ignores_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://should-not-be-used/x")
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "k"},
                     instance_path=str(tmp_path))
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite://"


@pytest.mark.parametrize(("setting", "value", "named"), [
    ("LOGIN_MAX_FAILURES", 0, "LOGIN_MAX_FAILURES"),
    ("SHARE_LINK_DAYS", "90", "SHARE_LINK_DAYS"),
    ("SESSION_COOKIE_SAMESITE", "None", "SESSION_COOKIE_SAMESITE"),
])
def test_bad_settings_stop_startup_naming_the_setting(tmp_path, setting, value, named):
    with pytest.raises(ConfigError, match=named):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "k", setting: value},
                   instance_path=str(tmp_path))


@pytest.mark.parametrize(("given", "expected"), [
    ("postgres://a@h/d", "postgresql+psycopg://a@h/d"),
    ("postgresql://a@h/d", "postgresql+psycopg://a@h/d"),
    ("postgresql+psycopg://a@h/d", "postgresql+psycopg://a@h/d"),
    ("sqlite:////x.db", "sqlite:////x.db"),
])
def test_database_urls_use_psycopg3(given, expected):
    assert normalise_database_url(given) == expected


def test_session_cookie_is_httponly_and_samesite_lax(app, people, client):
    from .conftest import csrf_token
    from .support import PASSWORD

    page = client.get("/auth/login")
    response = client.post("/auth/login", data={
        "csrf_token": csrf_token(page.get_data(as_text=True)), "username": "doctor",
        "password": PASSWORD})
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # off by default for intranet HTTP; configurable


def test_missing_rules_folder_disables_drafting_but_the_app_starts(make_app):
    app = make_app(RULES_DIR="/nonexistent/rules")
    assert app.extensions["clinic"].assistant is None
    assert "/nonexistent/rules" in app.extensions["clinic"].problem


def test_pages_send_security_headers(client):
    response = client.get("/auth/login")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_health_check_answers_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok"


def test_forwarded_addresses_are_trusted_only_behind_a_configured_proxy(make_app):
    from flask import request

    seen = []
    for hops in (0, 1):
        app = make_app(TRUSTED_PROXIES=hops)
        app.add_url_rule("/_addr", "addr", lambda: seen.append(request.remote_addr) or "")
        app.test_client().get("/_addr", headers={"X-Forwarded-For": "203.0.113.9"},
                              environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert seen == ["10.0.0.2", "203.0.113.9"]
