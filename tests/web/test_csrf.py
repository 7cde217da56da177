"""Every form is CSRF-protected: a POST without the token is refused with 400."""

from __future__ import annotations

from .conftest import csrf_token, login
from .support import make_world

LOGGED_IN_AS = {"admin": "admin"}


def _post_rules(app):
    return [r for r in app.url_map.iter_rules() if "POST" in r.methods]


def test_every_post_route_without_a_token_gets_400(app, people):
    from flask import url_for

    with app.app_context():
        world = make_world(people)
    doctor = login(app.test_client(), "doctor").client
    admin = login(app.test_client(), "admin").client
    anonymous = app.test_client()
    values = {"patient_id": world.patient, "assessment_id": world.assessment,
              "prescription_id": world.draft, "link_id": world.link,
              "station_id": people.station_a, "user_id": people.doctor, "token": world.token}
    rules = _post_rules(app)
    assert len(rules) >= 15
    problems = []
    for rule in rules:
        with app.test_request_context():
            url = url_for(rule.endpoint, **{a: values.get(a, 999_999) for a in rule.arguments})
        client = {"admin": admin, "kpi": admin, "auth": anonymous}.get(
            rule.endpoint.split(".")[0], doctor)
        response = client.post(url, data={"anything": "1"})
        if response.status_code != 400:
            problems.append(f"POST {url}: {response.status_code}")
    assert not problems, problems


def test_a_token_from_another_session_is_refused(app, people):
    first = app.test_client()
    token = csrf_token(first.get("/auth/login").get_data(as_text=True))
    second = app.test_client()
    second.get("/auth/login")
    response = second.post("/auth/login", data={"csrf_token": token, "username": "doctor",
                                                "password": "x"})
    assert response.status_code == 400


def test_the_csrf_error_page_explains_what_to_do(client):
    response = client.post("/auth/login", data={"username": "doctor", "password": "x"})
    assert response.status_code == 400
    assert "表单" in response.get_data(as_text=True) or "form" in response.get_data(as_text=True)
