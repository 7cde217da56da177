"""The administrators' dashboard on a seeded database whose numbers are known by hand."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import uuid

import pytest
from sqlalchemy import select

UTC = dt.UTC


def _patient(station, user, name, born=dt.date(1970, 5, 1)):
    from web.extensions import db
    from web.tables import Patient

    p = Patient(station_id=station, record_no=f"R{uuid.uuid4().hex[:8]}", name=name, sex="F",
                birth_date=born, created_by_id=user, lock_version=1)
    db.session.add(p)
    db.session.flush()
    return p


def _test(patient, user, day, grade, points):
    """A physique-standard assessment as ``record_assessment`` stores it."""
    from web.extensions import db
    from web.tables import Assessment

    scores = {"group": "adult_40_59", "standard": "physique",
              "result": {"grade": grade, "total_points": points}, "flags": {}}
    a = Assessment(patient_id=patient.id, station_id=patient.station_id, assessed_on=day,
                   standard="physique", values_json="{}", scores_json=json.dumps(scores),
                   created_by_id=user, lock_version=1)
    db.session.add(a)
    db.session.flush()
    return a


def _plan(assessment, user, issued, retest, signed):
    from web.extensions import db
    from web.tables import Prescription

    content = json.dumps({"outcome": "prescription", "retest_date": retest.isoformat()})
    db.session.add(Prescription(
        patient_id=assessment.patient_id, station_id=assessment.station_id,
        assessment_id=assessment.id, series=uuid.uuid4().hex, version_no=1,
        status="signed" if signed else "draft", outcome="prescription",
        proposed_json=content, content_json=content, ruleset_name="default",
        ruleset_version="1", ruleset_hash="h", created_by_id=user,
        created_at=dt.datetime.combine(issued, dt.time(9), UTC),
        signed_at=dt.datetime.combine(issued, dt.time(10), UTC) if signed else None,
        lock_version=1))


@pytest.fixture
def seeded(app, people, imported, as_user):
    """Station B (community): 21 residents, 18 at pass or better, 2 failing, 1 ungraded;
    4 signed plans issued 2025-12-01 and due 2026-03-01, 3 of them re-tested (+3, +1 and
    −2 total points). Station A: the imported two-class school, one class approved."""
    from web.extensions import db

    class_id = imported.classes["初一1班"]
    doctor = as_user("doctor")
    url = f"/school/classes/{class_id}"
    expected = re.search(r'name="expected" type="hidden" value="([^"]*)"',
                         doctor.get(url).get_data(as_text=True)).group(1)
    doctor.form(url, url + "/approve", {"expected": expected})
    with app.app_context():
        grades = ["good"] * 6 + ["pass"] * 12 + ["fail"] * 2 + [""]
        residents = []
        for i, grade in enumerate(grades):
            p = _patient(people.station_b, people.other, f"居民{i}")
            residents.append((p, _test(p, people.other, dt.date(2025, 11, 20), grade, 20)))
        for (p, first), later in zip(residents[:3], (23, 21, 18), strict=True):
            _plan(first, people.other, dt.date(2025, 12, 1), dt.date(2026, 3, 1), True)
            _test(p, people.other, dt.date(2026, 3, 5), "pass", later)
        _plan(residents[3][1], people.other, dt.date(2025, 12, 1), dt.date(2026, 3, 1), True)
        db.session.commit()
    return imported


def _rows(response):
    text = response.get_data(as_text=True).lstrip("\ufeff")
    return {(r["level"], r["name"]): r for r in csv.DictReader(io.StringIO(text))}


def _school_numbers(app):
    from web.extensions import db
    from web.school.tables import StudentAssessment
    from web.tables import Prescription

    with app.app_context():
        results = db.session.scalars(select(StudentAssessment)).all()
        graded = [r for r in results if r.grade]
        good = [r for r in graded if r.grade in ("good", "excellent")]
        plans = db.session.scalars(select(Prescription).where(
            Prescription.station_id == results[0].station_id)).all()
        return len(good), len(graded), sum(p.status == "signed" for p in plans), len(plans)


def test_the_indicators_per_district_station_and_school(app, seeded, as_user):
    admin = as_user("admin")
    rows = _rows(admin.get("/kpi/export.csv"))
    good, graded, signed, issued = _school_numbers(app)
    assert 0 < signed < issued
    b = rows[("station", "朝阳社区卫生服务站")]
    assert (b["physique_pass_share_numerator"], b["physique_pass_share_denominator"]) == (
        "18", "20")
    assert b["physique_pass_share_value"] == "0.9000"
    assert b["physique_pass_share_met"] == "False"
    assert (b["prescriptions_signed_numerator"], b["prescriptions_signed_denominator"]) == (
        "4", "4")
    assert (b["retests_done_numerator"], b["retests_done_denominator"]) == ("3", "4")
    assert (b["physique_change_people"], b["physique_change_mean"]) == ("3", "0.67")
    assert b["student_good_excellent_share_denominator"] == "0"
    a = rows[("station", "实验学校卫生室")]
    school = rows[("school", "实验学校")]
    for row in (a, school):
        assert (row["student_good_excellent_share_numerator"],
                row["student_good_excellent_share_denominator"]) == (str(good), str(graded))
        assert (row["prescriptions_signed_numerator"],
                row["prescriptions_signed_denominator"]) == (str(signed), str(issued))
        assert row["student_good_excellent_share_target"] == "0.6"
    district = rows[("district", "")]
    assert district["prescriptions_signed_denominator"] == str(issued + 4)
    assert district["physique_pass_share_denominator"] == "20"
    assert district["retests_done_numerator"] == "3"


def test_the_period_limits_what_was_issued_and_tested(app, seeded, as_user):
    admin = as_user("admin")
    rows = _rows(admin.get("/kpi/export.csv?start=2025-11-01&end=2025-12-31"))
    b = rows[("station", "朝阳社区卫生服务站")]
    assert b["prescriptions_signed_denominator"] == "4"      # issued 2025-12-01
    assert b["physique_change_people"] == "0"                 # re-tests fall after the end
    assert rows[("station", "实验学校卫生室")]["prescriptions_signed_denominator"] == "0"
    bad = admin.get("/kpi/?start=2026-13-01")
    assert bad.status_code == 400
    assert "不是日期" in bad.get_data(as_text=True)
    assert admin.get("/kpi/export.csv?start=2026-02-01&end=2026-01-01").status_code == 400


def test_the_dashboard_page_shows_targets_and_charts(app, seeded, as_user):
    page = as_user("admin").get("/kpi/").get_data(as_text=True)
    assert page.count("<svg") == 4
    assert "目标 95%" in page
    assert "目标 60%" in page
    assert "90.0%" in page
    assert "18/20" in page
    assert "未达目标" in page
