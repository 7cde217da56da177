"""Who may open what: every registered route × every role, from ``app.url_map``.

``EXPECTED`` classifies every endpoint. A new route that is not classified here fails
``test_every_route_is_classified`` until someone decides who may use it.
"""

from __future__ import annotations

import pytest

from .conftest import login
from .support import make_people, make_world

PUBLIC = "public"      # no login needed (login page, health check, share links, assets)
ANY_USER = "any"       # any logged-in user
CLINICAL = "clinical"  # clinicians and prescribers
ADMIN = "admin"        # administrators
PRESCRIBER = "prescriber"  # exercise prescribers only (rule-set authoring)

EXPECTED = {
    "static": PUBLIC,
    "main.health": PUBLIC,
    "main.index": ANY_USER,
    "auth.login": PUBLIC,
    "auth.language": PUBLIC,
    "auth.logout": ANY_USER,
    "admin.stations": ADMIN,
    "admin.create_station": ADMIN,
    "admin.edit_station": ADMIN,
    "admin.users": ADMIN,
    "admin.create_user": ADMIN,
    "admin.edit_user": ADMIN,
    "admin.audit": ADMIN,
    "patients.index": CLINICAL,
    "patients.create": CLINICAL,
    "patients.detail": CLINICAL,
    "patients.edit": CLINICAL,
    "assessments.create": CLINICAL,
    "assessments.detail": CLINICAL,
    "assessments.edit": CLINICAL,
    "prescriptions.draft": CLINICAL,
    "prescriptions.detail": CLINICAL,
    "prescriptions.review": CLINICAL,
    "prescriptions.sign": CLINICAL,
    "prescriptions.new_version": CLINICAL,
    "prescriptions.tier": CLINICAL,
    "prescriptions.share": CLINICAL,
    "prescriptions.revoke": CLINICAL,
    "prescriptions.print_plan": CLINICAL,
    "share.view": PUBLIC,
    "share.pdf": PUBLIC,
    # school pages (issue #7)
    "school.index": CLINICAL,
    "school.upload": CLINICAL,
    "school.preview": CLINICAL,
    "school.problems_csv": CLINICAL,
    "school.confirm": CLINICAL,
    "school.detail": CLINICAL,
    "school.report": CLINICAL,
    "school.report_pdf": CLINICAL,
    "school.export": CLINICAL,
    "school.flagged": CLINICAL,
    "school.class_review": CLINICAL,
    "school.approve": CLINICAL,
    "school.class_pdf": CLINICAL,
    "kpi.index": ADMIN,
    "kpi.export": ADMIN,
    # rule-set authoring (issue #6)
    "authoring.cases": PRESCRIBER,
    "authoring.delete_case": PRESCRIBER,
    "authoring.delete_rule": PRESCRIBER,
    "authoring.diff": PRESCRIBER,
    "authoring.disable_rule": PRESCRIBER,
    "authoring.discard": PRESCRIBER,
    "authoring.download_draft": PRESCRIBER,
    "authoring.download_version": PRESCRIBER,
    "authoring.draft_text": PRESCRIBER,
    "authoring.duplicate_rule": PRESCRIBER,
    "authoring.edit_case": PRESCRIBER,
    "authoring.edit_rule": PRESCRIBER,
    "authoring.enable_rule": PRESCRIBER,
    "authoring.impact": PRESCRIBER,
    "authoring.index": PRESCRIBER,
    "authoring.new_case": PRESCRIBER,
    "authoring.new_rule": PRESCRIBER,
    "authoring.overview": PRESCRIBER,
    "authoring.publish": PRESCRIBER,
    "authoring.rollback": PRESCRIBER,
    "authoring.rules": PRESCRIBER,
    "authoring.test": PRESCRIBER,
    "authoring.upload": PRESCRIBER,
    "authoring.version": PRESCRIBER,
}
# Blueprints whose records this test creates; for the others it fills ids that do not
# exist, so a permitted user may get 404 (the access check is what is tested there).
OWN_AREAS = {"static", "main", "auth", "admin", "patients", "assessments", "prescriptions",
             "share"}
ACTORS = ("anonymous", "doctor", "prescriber", "admin", "other")
ROLE_OF = {"doctor": "clinician", "prescriber": "prescriber", "admin": "admin",
           "other": "clinician"}
# Arguments that name a station-scoped record: another station's user gets 404.
SCOPED_ARGS = {"patient_id", "assessment_id", "prescription_id", "link_id"}


def _allowed(rule: str, actor: str) -> bool:
    kind = EXPECTED[rule]
    if kind == PUBLIC:
        return True
    if actor == "anonymous":
        return False
    if kind == ANY_USER:
        return True
    allowed_roles = {CLINICAL: ("clinician", "prescriber"), ADMIN: ("admin",),
                     PRESCRIBER: ("prescriber",)}[kind]
    return ROLE_OF[actor] in allowed_roles


def _args(world, rule) -> dict:
    values = {"patient_id": world.patient, "assessment_id": world.assessment,
              "prescription_id": world.draft, "link_id": world.link,
              "station_id": world.people.station_a, "user_id": world.people.doctor,
              "token": world.token, "filename": "app.css"}
    if rule.endpoint.split(".")[0] not in OWN_AREAS:
        values = {"token": "no-such-token", "fmt": "csv"}
    return {name: values.get(name, 999_999) for name in rule.arguments}


def test_every_route_is_classified(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - set(EXPECTED) == set(), "classify the new route(s) in EXPECTED"
    assert set(EXPECTED) - endpoints == set(), "EXPECTED names a route that no longer exists"


def test_every_route_answers_each_role_as_classified(make_app, db_url, monkeypatch):
    # Access is the question here; the PDF itself is tested in test_printing.py, and
    # rendering one takes seconds.
    monkeypatch.setattr("web.plans.render_pdf", lambda item, lang, link: b"%PDF-1.7 stub")
    app = make_app(db_url, WTF_CSRF_ENABLED=False)
    with app.app_context():
        world = make_world(make_people())
    clients = {"anonymous": app.test_client()}
    for actor in ACTORS[1:]:
        clients[actor] = login(app.test_client(), actor).client
    failures = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint == "auth.logout":
            continue  # checked below: it would end the sessions the other checks use
        with app.test_request_context():
            from flask import url_for

            url = url_for(rule.endpoint, **_args(world, rule))
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for actor in ACTORS:
                response = clients[actor].open(url, method=method)
                outcome = _judge(response)
                expected = _expected(rule, actor)
                if outcome not in expected:
                    failures.append(f"{method} {url} as {actor}: {outcome} "
                                    f"(expected {expected}, status {response.status_code})")
    assert not failures, "\n".join(failures)
    for actor in ACTORS:
        response = clients[actor].post("/auth/logout")
        assert response.status_code == 302
        assert ("next=" in response.headers["Location"]) == (actor == "anonymous")
        assert _judge(clients[actor].get("/")) == "login"


def _judge(response) -> str:
    location = response.headers.get("Location", "")
    if response.status_code == 302 and "/auth/login" in location:
        return "login"
    if response.status_code in (403, 404):
        return str(response.status_code)
    return "allowed"


def _expected(rule, actor) -> set[str]:
    if not _allowed(rule.endpoint, actor):
        return {"login" if actor == "anonymous" else "403"}
    if rule.endpoint.split(".")[0] not in OWN_AREAS and rule.arguments:
        return {"allowed", "404"}  # made-up ids: found or not, but never refused
    if actor == "other" and SCOPED_ARGS & set(rule.arguments):
        return {"404"}  # another station's record: indistinguishable from a missing one
    return {"allowed"}


def test_another_stations_patient_is_404_without_any_of_its_data(app, people):
    with app.app_context():
        world = make_world(people)
    other = login(app.test_client(), "other")
    for url in (f"/patients/{world.patient}", f"/assessments/{world.assessment}",
                f"/prescriptions/{world.signed}", f"/patients/{world.patient}/edit"):
        response = other.get(url)
        assert response.status_code == 404
        assert "张建国" not in response.get_data(as_text=True)


def test_patient_lists_and_searches_show_only_the_own_station(app, people):
    with app.app_context():
        make_world(people)
    other = login(app.test_client(), "other")
    html = other.get("/patients/?q=").get_data(as_text=True)
    assert "孙丽娟" in html
    assert "张建国" not in html
    assert "张建国" not in other.get("/patients/?q=张").get_data(as_text=True)


@pytest.mark.parametrize("actor", ["doctor", "prescriber"])
def test_administrators_see_no_patient_pages_but_clinical_staff_do(app, people, actor):
    assert login(app.test_client(), actor).get("/patients/").status_code == 200
    assert login(app.test_client(), "admin").get("/patients/").status_code == 403
