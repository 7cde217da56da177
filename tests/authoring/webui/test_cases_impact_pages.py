"""Golden cases in the browser pages, "make this a test case", and impact analysis."""

from __future__ import annotations

import datetime as dt

from support import make_assessment, make_patient

from prescribe.authoring import editing
from web.extensions import db
from web.ruleset_authoring import operations as ops
from web.ruleset_authoring.tables import RulesetDraft

from .conftest import form_values

BASE = "/rulesets/mini"
VISIT = {"height_cm": 170.0, "weight_kg": 78.0, "resting_hr_bpm": 76, "sbp_mmhg": 166,
         "dbp_mmhg": 92, "conditions": ["I10"], "regularly_active": False,
         "symptoms_text": "上楼时胸闷"}


def cases_in_draft(app):
    with app.app_context():
        return {c["id"]: c for _f, c in editing.list_cases(
            db.session.query(RulesetDraft).one().files)}


def test_a_past_assessment_becomes_a_golden_case_without_identifying_data(app, people,
                                                                          as_user):
    with app.app_context():
        patient = make_patient(people.station_a, people.doctor, name="张建国",
                               record_no="R-7781", phone="13800138000")
        assessment = make_assessment(patient, people.doctor, day=dt.date(2026, 3, 2),
                                     values=VISIT)
    client = as_user("prescriber")
    page = client.text(f"{BASE}/draft/cases/new?assessment_id={assessment}")
    for secret in ("张建国", "R-7781", "13800138000", "胸闷", "1969"):
        assert secret not in page.split("<form", 1)[1]
    assert "chest_pain_ischaemic" in page
    assert "bp-sys-grade2" in page
    values = form_values(page, "case-form")
    values.pop("csrf_token")
    response = client.post(f"{BASE}/draft/cases/new", values)
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    (case,) = [c for cid, c in cases_in_draft(app).items() if cid.startswith("bp-sys-grade2")]
    assert case["given"]["age_years"] == 56.97
    assert case["expect"]["outcome"] == "prescription_pending_clearance"
    with app.app_context():
        from web.tables import AuditEvent

        viewed = db.session.query(AuditEvent).filter_by(object_type="assessment",
                                                        action="viewed").one()
        assert viewed.detail == "golden case drafted from it"


def test_another_stations_assessment_cannot_be_used(app, people, as_user):
    with app.app_context():
        patient = make_patient(people.station_b, people.other)
        assessment = make_assessment(patient, people.other, values=VISIT)
    response = as_user("prescriber").get(f"{BASE}/draft/cases/new?assessment_id={assessment}")
    assert response.status_code == 404


def test_a_case_with_bad_inputs_shows_the_problem_on_its_field(app, as_user):
    client = as_user("prescriber")
    url = f"{BASE}/draft/cases/healthy-adult"
    page = client.text(url)
    assert "sbp_mmhg: 112" in page
    response = client.post(url, {
        "case_id": "healthy-adult", "file": "cases/core.yaml", "title_zh": "健康成人",
        "title_en": "Healthy adult", "given": "sex: F\nage_years: 35\nsbp_mmhg: 400\n",
        "expect": "outcome: prescription\nintensity_kap: moderate\n", "note": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    given = page[page.index('id="given-msg"'):page.index('id="given-msg"') + 500]
    expect = page[page.index('id="expect-msg"'):page.index('id="expect-msg"') + 500]
    assert "given.sbp_mmhg" in given
    assert "intensity_kap" in expect
    assert cases_in_draft(app)["healthy-adult"]["given"]["sbp_mmhg"] == 112


def test_impact_page_counts_changed_assessments_by_pseudonym(app, people, as_user):
    client = as_user("prescriber")
    client.text(f"{BASE}/")  # the first visit publishes the shipped rule set
    with app.app_context():
        for sbp, name in ((162, "甲"), (163, "乙"), (150, "丙"), (172, "丁")):
            patient = make_patient(people.station_a, people.doctor, name=f"患者{name}")
            make_assessment(patient, people.doctor,
                            values={**VISIT, "sbp_mmhg": sbp, "symptoms_text": ""})
        draft = ops.get_draft(db.session, "mini")
        draft.files = editing.set_rule_value(
            editing.set_rule_value(draft.files, "bp-sys-grade2", "when.value", [165, 179]),
            "bp-sys-grade1", "when.value", [140, 164])
        db.session.commit()
    response = client.post(f"{BASE}/draft/impact", {"limit": "1000"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    summary = page[page.index('id="impact-summary"'):][:300]
    assert "2" in summary.split("</p>")[0]
    assert not any(f"患者{n}" in page for n in "甲乙丙丁")
    assert page.count('<div class="card">') == 2
    with app.app_context():
        assert "4 assessments, 2 changed" in [e.detail for e in ops.history(db.session, "mini")]
