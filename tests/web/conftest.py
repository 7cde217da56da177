"""Fixtures for the web app: an app per test on a fresh database, people at two stations,
and a helper that logs a client in.

``db_url`` runs a test on SQLite and, when a server answers, on PostgreSQL (each test in
its own schema, dropped afterwards). Set ``PRESCRIBE_REQUIRE_POSTGRES=1`` to turn "no
server" into a failure (CI).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

# pytest puts tests/ on sys.path (for tests/conftest.py), which makes tests/web shadow the
# `web` package as a namespace package when the project is installed in editable mode.
# Put the project root first so `import web` finds the application.
_ROOT = str(Path(__file__).resolve().parents[2])
if sys.path[:1] != [_ROOT]:
    sys.path.insert(0, _ROOT)
if getattr(sys.modules.get("web"), "__file__", "set") is None:
    for _name in [m for m in sys.modules if m == "web" or m.startswith("web.")]:
        del sys.modules[_name]

from .support import (  # noqa: E402
    PASSWORD,
    compile_translations,
    make_people,
    sample_prescription,
)

POSTGRES_URL = os.environ.get("PRESCRIBE_TEST_POSTGRES_URL",
                              "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="session")
def translations_dirs(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Compile every catalogue under web/ into a temp folder (what `make setup` does)."""
    return compile_translations(tmp_path_factory.mktemp("translations"))


def _postgres_available() -> str | None:
    """None when PostgreSQL answers, else the reason it does not."""
    try:
        import psycopg
    except ImportError as exc:  # pragma: no cover - psycopg is a dependency
        return f"psycopg not installed: {exc}"
    url = POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://")
    try:
        with psycopg.connect(url, connect_timeout=3):
            return None
    except psycopg.Error as exc:
        return f"PostgreSQL at {POSTGRES_URL} is not reachable: {exc}".splitlines()[0]


@pytest.fixture(scope="session")
def postgres_problem() -> str | None:
    return _postgres_available()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path,
           postgres_problem: str | None) -> Iterator[str]:
    """A database URL for one test; PostgreSQL tests get a private schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite3'}"
        return
    if postgres_problem:
        if os.environ.get("PRESCRIBE_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PRESCRIBE_REQUIRE_POSTGRES=1 but {postgres_problem}")
        pytest.skip(postgres_problem)
    import psycopg

    schema = "t_" + secrets.token_hex(6)
    raw = POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(raw, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in POSTGRES_URL else "?"
    try:
        yield f"{POSTGRES_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(raw, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def base_config(db: str, translations: str, **overrides: Any) -> dict[str, Any]:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": db,
        "BABEL_TRANSLATION_DIRECTORIES": translations,
        "RULES_DIR": "",
        "SERVER_NAME": "station.test",
        "ARGON2_PROFILE": "CHEAPEST",
        "SQLITE_SYNCHRONOUS": "OFF",
    }
    config.update(overrides)
    return config


@pytest.fixture
def make_app(tmp_path: Path, translations_dirs: str) -> Iterator[Callable[..., Any]]:
    """Build an app on a fresh schema (``create_all``; migrations have their own tests)."""
    from web import create_app
    from web.extensions import db

    made = []

    def factory(database: str | None = None, *, migrate: bool = False, **overrides: Any):
        url = database or f"sqlite:///{tmp_path / 'app.sqlite3'}"
        app = create_app(base_config(url, translations_dirs, **overrides),
                         instance_path=str(tmp_path / "instance"))
        with app.app_context():
            if migrate:
                import flask_migrate

                flask_migrate.upgrade()
            else:
                db.create_all()
        made.append(app)
        return app

    yield factory
    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app: Callable[..., Any]) -> Any:
    return make_app()


@pytest.fixture
def people(app: Any) -> Any:
    with app.app_context():
        return make_people()


@pytest.fixture
def client(app: Any) -> Any:
    return app.test_client()


CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_token(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


@dataclass
class Session:
    """A logged-in test client with helpers that fetch a fresh CSRF token per form."""

    client: Any

    def get(self, url: str, **kw: Any) -> Any:
        return self.client.get(url, **kw)

    def post_form(self, page_url: str, data: dict[str, Any], action: str | None = None,
                  **kw: Any) -> Any:
        """Open ``page_url``, take its CSRF token, and post ``data`` to ``action``."""
        page = self.client.get(page_url).get_data(as_text=True)
        token = CSRF_RE.search(page)
        return self.client.post(action or page_url,
                                data={"csrf_token": token.group(1) if token else "", **data},
                                **kw)


def login(client: Any, username: str, password: str = PASSWORD) -> Session:
    page = client.get("/auth/login").get_data(as_text=True)
    token = CSRF_RE.search(page)  # absent when a test app disables CSRF
    response = client.post("/auth/login", data={
        "csrf_token": token.group(1) if token else "", "username": username,
        "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return Session(client)


@pytest.fixture
def as_user(app: Any, people: Any) -> Callable[[str], Session]:
    """``as_user("doctor")`` → a new client logged in as that person."""
    def factory(username: str) -> Session:
        return login(app.test_client(), username)
    return factory


@pytest.fixture
def sample_rx() -> dict[str, Any]:
    return sample_prescription()


@pytest.fixture
def today() -> dt.date:
    return dt.date.today()
