"""The read-only share link behind the QR code: no login, one prescription, expiring,
revocable."""

from __future__ import annotations

import datetime as dt

from .conftest import csrf_token
from .support import make_world


def test_the_link_shows_the_plan_without_login_and_links_nowhere_else(app, people, client):
    with app.app_context():
        world = make_world(people)
    response = client.get(f"/p/{world.token}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "张建国" in html
    assert "快走" in html
    assert "/patients/" not in html
    assert "/assessments/" not in html
    assert "孙丽娟" not in html  # another patient (another station)
    assert "Why" not in html
    assert "为什么" not in html
    assert response.headers["Referrer-Policy"] == "same-origin"
    from web.extensions import db
    from web.tables import AuditEvent

    with app.app_context():
        event = db.session.query(AuditEvent).filter_by(action="viewed",
                                                       object_type="prescription").one()
        assert event.user_id is None
        assert "share link" in event.detail


def test_an_unknown_token_is_404_and_a_withdrawn_one_is_410(app, people, client, as_user):
    with app.app_context():
        world = make_world(people)
    assert client.get("/p/" + "A" * 43).status_code == 404
    doctor = as_user("doctor")
    page = doctor.get(f"/prescriptions/{world.signed}").get_data(as_text=True)
    assert f"/p/{world.token}" in page
    doctor.client.post(f"/prescriptions/share-links/{world.link}/revoke",
                       data={"csrf_token": csrf_token(page)})
    gone = client.get(f"/p/{world.token}")
    assert gone.status_code == 410
    assert "张建国" not in gone.get_data(as_text=True)


def test_an_expired_link_is_410(app, people, client):
    from web.extensions import db
    from web.tables import ShareLink, utcnow

    with app.app_context():
        world = make_world(people)
        db.session.get(ShareLink, world.link).expires_at = utcnow() - dt.timedelta(minutes=1)
        db.session.commit()
    assert client.get(f"/p/{world.token}").status_code == 410


def test_expiry_follows_the_configured_number_of_days(make_app):
    from web.extensions import db
    from web.tables import ShareLink

    from .support import make_people

    app = make_app(SHARE_LINK_DAYS=30)
    from .conftest import login

    with app.app_context():
        world = make_world(make_people())
    doctor = login(app.test_client(), "doctor")
    doctor.post_form(f"/prescriptions/{world.signed}", {},
                     action=f"/prescriptions/{world.signed}/share")
    with app.app_context():
        newest = db.session.query(ShareLink).order_by(ShareLink.id.desc()).first()
        assert (newest.expires_at - newest.created_at).days == 30


def test_a_superseded_plan_says_a_newer_version_exists(app, people, client):
    from web.extensions import db
    from web.operations.prescriptions import sign_prescription, start_new_version
    from web.tables import Prescription, User

    with app.app_context():
        world = make_world(people)
        doctor = db.session.get(User, people.doctor)
        new = start_new_version(db.session, doctor, db.session.get(Prescription, world.signed))
        sign_prescription(db.session, doctor, new, new.lock_version, False)
        db.session.commit()
    html = client.get(f"/p/{world.token}").get_data(as_text=True)
    assert "新版本" in html
