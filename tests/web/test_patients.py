"""Patients: register, search, list with pages, edit with optimistic locking."""

from __future__ import annotations

import datetime as dt

from .support import field_errors, make_assessment, make_patient

NEW = {"record_no": "JM0042", "name": "刘桂兰", "sex": "F", "birth_date": "1958-09-23",
       "phone": "13911112222", "school_name": "", "class_name": "", "grade_code": ""}


def test_a_clinician_registers_a_patient_at_their_station(app, people, as_user):
    doctor = as_user("doctor")
    response = doctor.post_form("/patients/new", NEW)
    assert response.status_code == 302
    html = doctor.get(response.headers["Location"]).get_data(as_text=True)
    assert "刘桂兰" in html
    assert "JM0042" in html
    from web.extensions import db
    from web.tables import AuditEvent, Patient

    with app.app_context():
        patient = db.session.query(Patient).one()
        assert patient.station_id == people.station_a
        actions = {(e.action, e.object_type) for e in db.session.query(AuditEvent)}
        assert ("created", "patient") in actions
        assert ("viewed", "patient") in actions


def test_every_problem_in_the_form_is_shown_next_to_its_field(app, people, as_user):
    response = as_user("doctor").post_form("/patients/new", {
        **NEW, "record_no": "", "name": "", "sex": "", "birth_date": "2031-01-01",
        "phone": "phone: 123"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for field in ("record_no", "name", "sex", "birth_date", "phone"):
        assert field_errors(html, field), field


def test_a_record_number_is_unique_within_a_station_only(app, people, as_user):
    with app.app_context():
        make_patient(people.station_b, people.other, record_no="JM0042")
    doctor = as_user("doctor")
    assert doctor.post_form("/patients/new", NEW).status_code == 302
    again = doctor.post_form("/patients/new", {**NEW, "name": "另一人"})
    assert again.status_code == 200
    assert field_errors(again.get_data(as_text=True), "record_no")


def test_search_finds_by_name_record_number_and_phone(app, people, as_user):
    with app.app_context():
        make_patient(people.station_a, people.doctor, name="周海涛", record_no="JM7001",
                     phone="13700001111")
        make_patient(people.station_a, people.doctor, name="吴春梅", record_no="JM7002",
                     phone="13600002222")
    doctor = as_user("doctor")
    for query, found, absent in (("海涛", "周海涛", "吴春梅"), ("JM7002", "吴春梅", "周海涛"),
                                 ("0000222", "吴春梅", "周海涛")):
        html = doctor.get(f"/patients/?q={query}").get_data(as_text=True)
        assert found in html, query
        assert absent not in html, query


def test_the_list_is_paginated(make_app):
    app = make_app(PATIENTS_PER_PAGE=5)
    from .conftest import login
    from .support import make_people

    with app.app_context():
        people = make_people()
        for i in range(12):
            make_patient(people.station_a, people.doctor, name=f"患者{i:02d}",
                         record_no=f"P{i:03d}")
    doctor = login(app.test_client(), "doctor")
    first = doctor.get("/patients/").get_data(as_text=True)
    third = doctor.get("/patients/?page=3").get_data(as_text=True)
    assert first.count('href="/patients/') >= 5
    assert "患者00" in first
    assert "患者05" not in first
    assert "患者10" in third
    assert "患者11" in third
    assert "患者00" not in third
    assert 'rel="next"' in first
    assert 'rel="next"' not in third


def test_editing_keeps_the_users_values_when_someone_saved_first(app, people, as_user):
    with app.app_context():
        pid = make_patient(people.station_a, people.doctor, name="郭国华", record_no="JM5000")
    doctor, prescriber = as_user("doctor"), as_user("prescriber")
    form_a = doctor.get(f"/patients/{pid}/edit").get_data(as_text=True)
    form_b = prescriber.get(f"/patients/{pid}/edit").get_data(as_text=True)
    from .conftest import csrf_token

    base = {**NEW, "record_no": "JM5000", "name": "郭国华", "sex": "M",
            "birth_date": "1961-02-03", "lock_version": "1"}
    saved = doctor.client.post(f"/patients/{pid}/edit", data={
        **base, "phone": "13500000001", "csrf_token": csrf_token(form_a)})
    assert saved.status_code == 302
    stale = prescriber.client.post(f"/patients/{pid}/edit", data={
        **base, "phone": "13500000002", "csrf_token": csrf_token(form_b)})
    html = stale.get_data(as_text=True)
    assert stale.status_code == 200
    assert "13500000002" in html  # the typed value is still in the form
    from web.extensions import db
    from web.tables import Patient

    with app.app_context():
        assert db.session.get(Patient, pid).phone == "13500000001"  # not overwritten


def test_the_patient_page_lists_history_and_shows_the_progress_chart(app, people, as_user):
    with app.app_context():
        pid = make_patient(people.station_a, people.doctor, birth_date=dt.date(1969, 3, 14))
        make_assessment(pid, people.doctor, day=dt.date(2025, 9, 1))
        values = {"height_cm": 172.0, "weight_kg": 79.0, "vital_capacity_ml": 3400,
                  "grip_strength_kg": 41.0, "sit_and_reach_cm": 7.0, "step_test_index": 58.0,
                  "choice_reaction_time_s": 0.55, "one_leg_stand_eyes_closed_s": 14}
        make_assessment(pid, people.doctor, day=dt.date(2026, 3, 2), values=values)
    html = as_user("doctor").get(f"/patients/{pid}").get_data(as_text=True)
    assert "<svg" in html
    assert 'role="img"' in html
    assert html.count("/assessments/") >= 2
