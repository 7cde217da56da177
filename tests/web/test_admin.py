"""Administration pages: stations, users, the audit log."""

from __future__ import annotations

from .support import field_errors, make_world


def test_an_administrator_adds_a_station_and_a_user_who_can_then_log_in(app, people, as_user):
    from web.extensions import db
    from web.tables import Station, User

    from .conftest import login

    admin = as_user("admin")
    assert admin.post_form("/admin/stations/new", {"name": "丰台社区卫生服务站",
                                                   "kind": "community"}).status_code == 302
    with app.app_context():
        station = db.session.query(Station).filter_by(name="丰台社区卫生服务站").one()
    response = admin.post_form("/admin/users/new", {
        "username": "nurse.li", "display_name": "李护士", "role": "clinician",
        "station_id": station.id, "language": "en", "password": "ward-round-2026"})
    assert response.status_code == 302
    assert "李护士" in admin.get("/admin/users").get_data(as_text=True)
    nurse = login(app.test_client(), "nurse.li", "ward-round-2026")
    assert "Patients" in nurse.get("/patients/").get_data(as_text=True)  # language kept
    with app.app_context():
        assert db.session.query(User).filter_by(username="nurse.li").one().station_id == \
            station.id


def test_a_weak_password_or_taken_username_is_refused_at_the_field(app, people, as_user):
    admin = as_user("admin")
    weak = admin.post_form("/admin/users/new", {
        "username": "x1", "display_name": "X", "role": "clinician",
        "station_id": people.station_a, "language": "zh", "password": "abcdefghij"})
    assert field_errors(weak.get_data(as_text=True), "password")
    taken = admin.post_form("/admin/users/new", {
        "username": "doctor", "display_name": "X", "role": "clinician",
        "station_id": people.station_a, "language": "zh", "password": "good-pass-123"})
    assert field_errors(taken.get_data(as_text=True), "username")


def test_an_administrator_cannot_lock_themself_out(app, people, as_user):
    admin = as_user("admin")
    response = admin.post_form(f"/admin/users/{people.admin}/edit", {
        "username": "admin", "display_name": "赵管理员", "role": "clinician",
        "station_id": people.station_a, "language": "zh", "active": "y", "password": ""})
    assert field_errors(response.get_data(as_text=True), "role")


def test_the_audit_log_lists_events_and_filters_by_record_type(app, people, as_user):
    with app.app_context():
        world = make_world(people)
    as_user("doctor").get(f"/prescriptions/{world.signed}")
    admin = as_user("admin")
    html = admin.get("/admin/audit?object_type=prescription").get_data(as_text=True)
    assert "签署" in html or "signed" in html
    assert "查看" in html or "viewed" in html
    assert "用户 #" not in html  # filtered to prescriptions
    assert "张建国" not in html  # no patient names in the audit page
