"""Web fixtures for the authoring pages: an app on a fresh database whose RULES_DIR is the
small rule set of ``tests/authoring/conftest.py``, people from the web tests' builders,
and logged-in clients."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

_ROOT = Path(__file__).resolve().parents[3]
if sys.path[:1] != [str(_ROOT)]:
    sys.path.insert(0, str(_ROOT))
if getattr(sys.modules.get("web"), "__file__", "set") is None:  # tests/web as a namespace
    for _name in [m for m in sys.modules if m == "web" or m.startswith("web.")]:
        del sys.modules[_name]
_SUPPORT = _ROOT / "tests" / "web"
if str(_SUPPORT) not in sys.path:
    sys.path.append(str(_SUPPORT))

from support import PASSWORD, compile_translations, make_people  # noqa: E402

CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
LOCK_RE = re.compile(r'name="lock_version" type="hidden" value="(\d+)"')


@pytest.fixture(scope="session")
def translations_dirs(tmp_path_factory: pytest.TempPathFactory) -> str:
    return compile_translations(tmp_path_factory.mktemp("translations"))


@pytest.fixture
def make_app(tmp_path: Path, mini_dir: Path, translations_dirs: str
             ) -> Iterator[Callable[..., Any]]:
    from web import create_app
    from web.extensions import db

    made = []

    def factory(**overrides: Any) -> Any:
        config = {"TESTING": True, "SECRET_KEY": "authoring-test-key",
                  "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'app.sqlite3'}",
                  "BABEL_TRANSLATION_DIRECTORIES": translations_dirs,
                  "RULES_DIR": str(mini_dir), "MODEL_DIR": "", "SERVER_NAME": "station.test"}
        config.update(overrides)
        app = create_app(config, instance_path=str(tmp_path / "instance"))
        if "authoring" not in app.blueprints:  # until create_app registers it itself
            from web.ruleset_authoring import bp

            app.register_blueprint(bp)
        with app.app_context():
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


@dataclass
class Client:
    """A logged-in test client that posts forms with the page's CSRF token and lock."""

    client: Any

    def get(self, url: str, **kw: Any) -> Any:
        return self.client.get(url, **kw)

    def text(self, url: str) -> str:
        response = self.client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response.get_data(as_text=True)

    def post(self, page_url: str, data: dict[str, Any] | list[tuple[str, Any]],
             action: str | None = None, **kw: Any) -> Any:
        page = self.client.get(page_url).get_data(as_text=True)
        token = CSRF_RE.search(page)
        lock = LOCK_RE.search(page)
        items = list(data.items()) if isinstance(data, dict) else list(data)
        base = [("csrf_token", token.group(1) if token else "")]
        if lock and not any(k == "lock_version" for k, _ in items):
            base.append(("lock_version", lock.group(1)))
        from werkzeug.datastructures import MultiDict

        return self.client.post(action or page_url, data=MultiDict(base + items), **kw)


def login(app: Any, username: str) -> Client:
    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = CSRF_RE.search(page)
    response = client.post("/auth/login", data={
        "csrf_token": token.group(1) if token else "", "username": username,
        "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return Client(client)


@pytest.fixture
def as_user(app: Any, people: Any) -> Callable[[str], Client]:
    return lambda username: login(app, username)


def form_values(page: str, form_id: str | None = None) -> dict[str, str]:
    """The values a browser would post from the page's (first or named) POST form."""
    from html.parser import HTMLParser

    class Reader(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.values: dict[str, str] = {}
            self.inside = False
            self.done = False
            self.textarea: str | None = None
            self.select: str | None = None

        def handle_starttag(self, tag: str, attrs: list) -> None:
            a = dict(attrs)
            if tag == "form" and not self.done and a.get("method") == "post" and (
                    form_id is None or a.get("id") == form_id):
                self.inside = True
            if not self.inside:
                return
            name = a.get("name")
            if tag == "input" and name and a.get("type") not in ("submit", "file"):
                if a.get("type") != "checkbox" or "checked" in a:
                    self.values[name] = a.get("value") or ""
            elif tag == "textarea" and name:
                self.textarea = name
                self.values[name] = ""
            elif tag == "select" and name:
                self.select = name
                self.values.setdefault(name, "")
            elif tag == "option" and self.select and "selected" in a:
                self.values[self.select] = a.get("value") or ""

        def handle_endtag(self, tag: str) -> None:
            if tag == "form" and self.inside:
                self.inside, self.done = False, True
            elif tag == "textarea":
                self.textarea = None
            elif tag == "select":
                self.select = None

        def handle_data(self, data: str) -> None:
            if self.textarea:
                self.values[self.textarea] += data

    reader = Reader()
    reader.feed(page)
    for key, value in list(reader.values.items()):  # browsers drop the leading newline
        if value.startswith("\n"):
            reader.values[key] = value[1:]
    return reader.values
