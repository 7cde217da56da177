"""Logging in and out: Argon2 passwords, throttling in the database, CSRF, languages."""

from __future__ import annotations

import datetime as dt

import pytest

from .conftest import csrf_token, login
from .support import PASSWORD


def _try(client, username, password):
    page = client.get("/auth/login")
    return client.post("/auth/login", data={
        "csrf_token": csrf_token(page.get_data(as_text=True)), "username": username,
        "password": password})


def test_passwords_are_stored_as_argon2id_hashes(app, people):
    from web.extensions import db
    from web.tables import User

    with app.app_context():
        stored = db.session.get(User, people.doctor).password_hash
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_login_with_the_right_password_opens_the_patient_list(app, people, client):
    response = _try(client, "doctor", PASSWORD)
    assert response.status_code == 302
    assert client.get("/").headers["Location"].endswith("/patients/")


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(app, people, client):
    wrong = _try(client, "doctor", "not-the-password1")
    unknown = _try(client, "nobody", "not-the-password1")
    assert wrong.status_code == unknown.status_code == 200
    assert "Wrong username or password" in wrong.get_data(as_text=True) or \
        "用户名或密码错误" in wrong.get_data(as_text=True)
    assert wrong.get_data(as_text=True).count("error") == unknown.get_data(as_text=True).count(
        "error")


def test_five_failures_lock_the_username_from_that_address(app, people, client):
    for _ in range(5):
        assert _try(client, "doctor", "wrong-password-1").status_code == 200
    locked = _try(client, "doctor", PASSWORD)
    assert locked.status_code == 429
    # another address is not locked out
    other = app.test_client()
    page = other.get("/auth/login", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    response = other.post("/auth/login", environ_base={"REMOTE_ADDR": "10.0.0.9"}, data={
        "csrf_token": csrf_token(page.get_data(as_text=True)), "username": "doctor",
        "password": PASSWORD})
    assert response.status_code == 302


def test_the_lock_is_kept_in_the_database_for_every_worker(make_app, people, tmp_path):
    """A second app on the same database (another worker process) sees the lock."""
    app2 = make_app()  # same tmp_path database as the `app` fixture
    first = app2.test_client()
    for _ in range(5):
        _try(first, "doctor", "wrong-password-1")
    second_worker = make_app().test_client()
    assert _try(second_worker, "doctor", PASSWORD).status_code == 429


def test_the_lock_ends_after_the_window(app, people):
    from web.extensions import db
    from web.operations import accounts
    from web.tables import utcnow

    window = dt.timedelta(minutes=15)
    start = utcnow() - dt.timedelta(minutes=20)
    with app.app_context():
        for i in range(5):
            accounts.authenticate(db.session, "doctor", "bad-password-1", "1.2.3.4",
                                  max_failures=5, window=window,
                                  now=start + dt.timedelta(seconds=i))
        with pytest.raises(accounts.LoginLockedError):
            accounts.authenticate(db.session, "doctor", PASSWORD, "1.2.3.4", max_failures=5,
                                  window=window, now=start + dt.timedelta(minutes=1))
        user = accounts.authenticate(db.session, "doctor", PASSWORD, "1.2.3.4",
                                     max_failures=5, window=window, now=utcnow())
        assert user is not None


def test_a_deactivated_account_cannot_log_in(app, people, client):
    from web.extensions import db
    from web.tables import User

    with app.app_context():
        db.session.get(User, people.doctor).active = False
        db.session.commit()
    assert _try(client, "doctor", PASSWORD).status_code == 200
    assert client.get("/patients/").status_code == 302


def test_a_new_password_ends_existing_sessions(app, people, as_user):
    doctor = as_user("doctor")
    assert doctor.get("/patients/").status_code == 200
    admin = as_user("admin")
    response = admin.post_form(f"/admin/users/{people.doctor}/edit", {
        "display_name": "王医生", "role": "clinician", "station_id": people.station_a,
        "language": "zh", "active": "y", "password": "brand-new-pass-7"})
    assert response.status_code == 302
    assert doctor.get("/patients/").status_code == 302  # back to the login page


def test_logout_needs_a_post_with_a_csrf_token(app, people, as_user):
    doctor = as_user("doctor")
    assert doctor.client.get("/auth/logout").status_code == 405
    assert doctor.client.post("/auth/logout").status_code == 400
    response = doctor.post_form("/patients/", {}, action="/auth/logout")
    assert response.status_code == 302
    assert doctor.get("/patients/").status_code == 302


def test_login_redirects_only_to_pages_on_this_site(app, people, client):
    page = client.get("/auth/login?next=https://evil.example/x")
    response = client.post("/auth/login", data={
        "csrf_token": csrf_token(page.get_data(as_text=True)), "username": "doctor",
        "password": PASSWORD, "next": "https://evil.example/x"})
    assert response.headers["Location"] == "/"
    client2 = app.test_client()
    page = client2.get("/auth/login")
    response = client2.post("/auth/login", data={
        "csrf_token": csrf_token(page.get_data(as_text=True)), "username": "doctor",
        "password": PASSWORD, "next": "/patients/new"})
    assert response.headers["Location"] == "/patients/new"


def test_language_choice_is_stored_on_the_user(app, people, as_user):
    doctor = as_user("doctor")
    assert "患者" in doctor.get("/patients/").get_data(as_text=True)
    doctor.post_form("/patients/", {"lang": "en", "next": "/patients/"},
                     action="/auth/language")
    assert "Patients" in doctor.get("/patients/").get_data(as_text=True)
    again = login(app.test_client(), "doctor")  # a new session keeps the choice
    html = again.get("/patients/").get_data(as_text=True)
    assert "Patients" in html
    assert 'lang="en"' in html


def test_chinese_is_the_default_language(client):
    html = client.get("/auth/login").get_data(as_text=True)
    assert 'lang="zh-CN"' in html
    assert "登录" in html
