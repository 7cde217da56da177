"""Who may open which school and KPI page: every route × every role, from ``app.url_map``.

School pages are for clinicians and prescribers of the school's station: another
station's school, class or upload answers 404 exactly like one that does not exist. The
KPI dashboard is for administrators. A new route fails ``test_every_route_is_classified``
until someone decides who may use it.
"""

from __future__ import annotations

import re

import pytest

from .conftest import login
from .school_files import csrf, upload_data

CLINICAL, ADMIN = "clinical", "admin"
EXPECTED = {
    "school.index": CLINICAL, "school.upload": CLINICAL, "school.preview": CLINICAL,
    "school.problems_csv": CLINICAL, "school.confirm": CLINICAL, "school.detail": CLINICAL,
    "school.flagged": CLINICAL, "school.class_review": CLINICAL, "school.approve": CLINICAL,
    "school.class_pdf": CLINICAL, "school.report": CLINICAL, "school.report_pdf": CLINICAL,
    "school.export": CLINICAL, "kpi.index": ADMIN, "kpi.export": ADMIN,
}
ACTORS = ("anonymous", "doctor", "prescriber", "admin", "other")
ROLE = {"doctor": CLINICAL, "prescriber": CLINICAL, "admin": ADMIN, "other": CLINICAL}
SCOPED = {"school_id", "class_id", "token"}  # name a record of station A (or its uploader)


def _ours(app) -> list:
    return [r for r in app.url_map.iter_rules() if r.endpoint.split(".")[0] in ("school",
                                                                                "kpi")]


def test_every_route_is_classified(app):
    assert {r.endpoint for r in _ours(app)} == set(EXPECTED)


@pytest.fixture
def world(app, imported, as_user, files):
    """The imported school, plus an upload the doctor has checked but not confirmed."""
    doctor = as_user("doctor")
    staged = doctor.form("/school/import", "/school/import",
                         upload_data([files.small_csv], school=str(imported.school)),
                         content_type="multipart/form-data").headers["Location"]
    return {"school_id": imported.school, "class_id": imported.classes["初一1班"],
            "token": staged.rsplit("/", 1)[1], "fmt": "csv"}


def _client(app, actor):
    client = app.test_client()
    if actor != "anonymous":
        login(client, actor)
    return client


def _request(client, rule, args, actor):
    url = rule.build(args, append_unknown=False)[1]
    if "GET" in rule.methods:
        return client.get(url)
    # every page carries the language form's CSRF token (a 404 page too)
    page = client.get("/auth/login" if actor == "anonymous" else "/no-such-page")
    data = {"csrf_token": csrf(page.get_data(as_text=True)), "draft_scope": "none",
            "lang": "zh", "expected": ""}
    return client.post(url, data=data)


@pytest.mark.parametrize("actor", ACTORS)
def test_each_role_gets_exactly_its_pages(app, world, actor):
    client = _client(app, actor)
    # GET pages first: confirming an upload consumes it
    for rule in sorted(_ours(app), key=lambda r: ("GET" not in r.methods, r.endpoint)):
        args = {k: world[k] for k in rule.arguments}
        response = _request(client, rule, args, actor)
        status, where = response.status_code, f"{actor} {rule.endpoint}"
        if actor == "anonymous":
            assert status == 302, where
            assert "/auth/login" in response.headers["Location"], where
        elif ROLE[actor] != EXPECTED[rule.endpoint]:
            assert status == 403, where
        elif actor == "other" and SCOPED & set(rule.arguments):
            assert status == 404, where   # another station's school, class or upload
        elif actor == "prescriber" and "token" in rule.arguments:
            assert status == 404, where   # an upload belongs to the one who checked it
        else:
            assert status in (200, 302), (where, status)
            assert not re.search(r"/auth/login", response.headers.get("Location", "")), where


def test_unknown_year_and_format_are_not_found(app, imported, as_user):
    doctor = as_user("doctor")
    assert doctor.get(f"/school/{imported.school}/report?year=1999").status_code == 404
    assert doctor.get(f"/school/{imported.school}/export.pdf").status_code == 404
    assert doctor.get("/school/import/not-a-token").status_code == 404
