"""Fixtures of the school pages: an app on a fresh database with the real rule set, people
at a school clinic and at a second station, logged-in clients, and school files.

``db_url`` runs a test on SQLite and, when a server answers, on PostgreSQL (a private
schema per test, dropped afterwards); ``PRESCRIBE_REQUIRE_POSTGRES=1`` makes "no server"
a failure.
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

# As in tests/web/conftest.py: make `import web` find the application, not tests/web.
_ROOT = str(Path(__file__).resolve().parents[2])
if sys.path[:1] != [_ROOT]:
    sys.path.insert(0, _ROOT)
if getattr(sys.modules.get("web"), "__file__", "set") is None:
    for _name in [m for m in sys.modules if m == "web" or m.startswith("web.")]:
        del sys.modules[_name]

from . import school_files  # noqa: E402

POSTGRES_URL = os.environ.get("PRESCRIBE_TEST_POSTGRES_URL",
                              "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PASSWORD = "correct-horse-42"
RULES = Path(_ROOT) / "rules" / "default"


@pytest.fixture(scope="session", autouse=True)
def _fast_sqlite() -> Iterator[None]:
    """Fresh test databases need no fsync (as tests/web does)."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    def pragmas(dbapi_conn: Any, _record: Any) -> None:
        if type(dbapi_conn).__module__.startswith("sqlite3"):
            dbapi_conn.execute("PRAGMA synchronous=OFF")

    event.listen(Engine, "connect", pragmas)
    yield
    event.remove(Engine, "connect", pragmas)


@pytest.fixture(scope="session")
def translations_dirs(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Every catalogue under web/ compiled (what `make setup` does), ours included."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    dest = tmp_path_factory.mktemp("translations")
    dirs = []
    for source in sorted((Path(_ROOT) / "web").glob("**/translations")):
        target = dest / source.relative_to(_ROOT).as_posix().replace("/", "_")
        for po_path in source.glob("*/LC_MESSAGES/messages.po"):
            with po_path.open("rb") as fh:
                catalog = read_po(fh, locale=po_path.parent.parent.name)
            out = target / po_path.parent.parent.name / "LC_MESSAGES" / "messages.mo"
            out.parent.mkdir(parents=True, exist_ok=True)
            with out.open("wb") as fh:
                write_mo(fh, catalog, use_fuzzy=True)
        dirs.append(str(target))
    return ";".join(dirs)


@pytest.fixture(scope="session")
def assistant() -> Any:
    """The real default rule set: school drafts are youth prescriptions of these rules."""
    if not (RULES / "ruleset.yaml").is_file():
        pytest.skip("the default rule set is not in this tree")
    from prescribe.assistant import Assistant

    return Assistant.from_paths(RULES)


@pytest.fixture(scope="session")
def files(tmp_path_factory: pytest.TempPathFactory) -> school_files.SchoolFiles:
    return school_files.build(tmp_path_factory.mktemp("school_files"))


def _postgres_problem() -> str | None:
    import psycopg

    url = POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://")
    try:
        with psycopg.connect(url, connect_timeout=3):
            return None
    except psycopg.Error as exc:
        return f"PostgreSQL at {POSTGRES_URL} is not reachable: {exc}".splitlines()[0]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'school.sqlite3'}"
        return
    problem = _postgres_problem()
    if problem:
        if os.environ.get("PRESCRIBE_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PRESCRIBE_REQUIRE_POSTGRES=1 but {problem}")
        pytest.skip(problem)
    import psycopg

    schema = "sw_" + secrets.token_hex(6)
    raw = POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(raw, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(raw, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def make_app(tmp_path: Path, translations_dirs: str, assistant: Any
             ) -> Iterator[Callable[..., Any]]:
    from web import create_app
    from web.extensions import db

    made = []

    def factory(database: str | None = None, **overrides: Any) -> Any:
        config = {"TESTING": True, "SECRET_KEY": "school-test",
                  "SQLALCHEMY_DATABASE_URI": database or
                  f"sqlite:///{tmp_path / 'school.sqlite3'}",
                  "BABEL_TRANSLATION_DIRECTORIES": translations_dirs, "ASSISTANT": assistant,
                  "SERVER_NAME": "station.test", "ARGON2_PROFILE": "CHEAPEST", **overrides}
        app = create_app(config, instance_path=str(tmp_path / "instance"))
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


@dataclass
class People:
    station_a: int
    station_b: int
    doctor: int
    prescriber: int
    admin: int
    other: int


def make_people() -> People:
    """A school clinic (doctor, prescriber, administrator) and a community station whose
    clinician ("other") must never see the school's records. Call in an app context."""
    from web.extensions import db
    from web.passwords import configure, hash_password
    from web.tables import Station, User

    configure("CHEAPEST")
    hashed = hash_password(PASSWORD)
    a = Station(name="实验学校卫生室", kind="school")
    b = Station(name="朝阳社区卫生服务站", kind="community")
    db.session.add_all([a, b])
    db.session.flush()
    ids = {}
    for username, name, role, station in (
            ("doctor", "周校医", "clinician", a), ("prescriber", "吴处方师", "prescriber", a),
            ("admin", "郑管理员", "admin", a), ("other", "陈医生", "clinician", b)):
        user = User(username=username, display_name=name, role=role, station_id=station.id,
                    password_hash=hashed, language="zh")
        db.session.add(user)
        db.session.flush()
        ids[username] = user.id
    db.session.commit()
    return People(a.id, b.id, ids["doctor"], ids["prescriber"], ids["admin"], ids["other"])


@pytest.fixture
def people(app: Any) -> People:
    with app.app_context():
        return make_people()


@dataclass
class Client:
    """A logged-in test client; ``form`` posts with the CSRF token of a page."""

    client: Any

    def get(self, url: str, **kw: Any) -> Any:
        return self.client.get(url, **kw)

    def token(self, page_url: str) -> str:
        return school_files.csrf(self.client.get(page_url).get_data(as_text=True))

    def form(self, page_url: str, action: str, data: dict[str, Any], **kw: Any) -> Any:
        return self.client.post(action, data={"csrf_token": self.token(page_url), **data},
                                **kw)


def login(client: Any, username: str) -> Client:
    page = client.get("/auth/login").get_data(as_text=True)
    response = client.post("/auth/login", data={
        "csrf_token": school_files.csrf(page), "username": username, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return Client(client)


@pytest.fixture
def as_user(app: Any, people: People) -> Callable[[str], Client]:
    return lambda username: login(app.test_client(), username)


@dataclass
class Imported:
    """A school imported through the pages: its id, the year, and its classes."""

    school: int
    year: int
    classes: dict[str, int]  # class label → id


def import_files(client: Client, paths: list[Path], *, school: str = "new",
                 test_date: str = "2025-10-15", scope: str = "all") -> Any:
    """Upload, check, confirm; returns the confirm response."""
    response = client.form("/school/import", "/school/import", school_files.upload_data(
        paths, school=school, test_date=test_date), content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    preview = response.headers["Location"]
    page = client.get(preview).get_data(as_text=True)
    assert 'id="confirm-import"' in page, page[-3000:]
    return client.form(preview, preview + "/confirm", {"draft_scope": scope})


@pytest.fixture
def imported(app: Any, as_user: Callable[[str], Client], files: school_files.SchoolFiles
             ) -> Imported:
    """The two-class school (四年级2班, 初一1班) imported by the doctor, drafts for all."""
    from sqlalchemy import select

    from web.extensions import db
    from web.school.tables import School, SchoolClass

    done = import_files(as_user("doctor"), [files.small_csv, files.vision_csv,
                                            files.scoliosis_xlsx])
    assert done.status_code == 302
    with app.app_context():
        school = db.session.scalar(select(School))
        classes = {c.label: c.id for c in db.session.scalars(select(SchoolClass))}
        return Imported(school.id, 2025, classes)
