"""Drafting from the assistant, explaining, reviewing with overrides, signing, versions."""

from __future__ import annotations

import pytest

from .conftest import csrf_token, login
from .support import (
    field_errors,
    insert_prescription,
    make_assessment,
    make_patient,
    sample_prescription,
    tiny_assistant,
)


@pytest.fixture
def clinic_app(make_app):
    return make_app(ASSISTANT=tiny_assistant())


@pytest.fixture
def draft(app, people):
    """A draft in the contract's shape (no rule engine needed)."""
    with app.app_context():
        pid = make_patient(people.station_a, people.doctor)
        aid = make_assessment(pid, people.doctor)
        return insert_prescription(aid, people.doctor)


def _review_form(rx=None, **changes):
    """A review submission that keeps everything as drafted."""
    rx = rx or sample_prescription()
    data = {"intensity_cap": rx["intensity_cap"], "clearance_required": "y"}
    for comp in rx["components"]:
        t = comp["type"]
        data.update({f"{t}__days_lo": comp["days_per_week"][0],
                     f"{t}__days_hi": comp["days_per_week"][1],
                     f"{t}__min_lo": comp["minutes_per_session"][0],
                     f"{t}__min_hi": comp["minutes_per_session"][1],
                     f"{t}__int_lo": comp["intensity"][0], f"{t}__int_hi": comp["intensity"][1]})
    for item in rx["excluded"]:
        data[f"keep__{item['code']}"] = "y"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _row(app, model, ident):
    from web.extensions import db

    with app.app_context():
        item = db.session.get(model, ident)
        db.session.expunge(item)
        return item


def test_a_draft_from_the_assistant_shows_dose_outcome_and_why(clinic_app):
    from web.extensions import db
    from web.tables import Prescription

    from .support import make_people

    with clinic_app.app_context():
        people = make_people()
        pid = make_patient(people.station_a, people.doctor)
        aid = make_assessment(pid, people.doctor)
    doctor = login(clinic_app.test_client(), "doctor")
    response = doctor.post_form(f"/assessments/{aid}", {}, action=f"/prescriptions/draft/{aid}")
    assert response.status_code == 302
    again = doctor.post_form(f"/assessments/{aid}", {}, action=f"/prescriptions/draft/{aid}")
    assert again.headers["Location"] == response.headers["Location"]  # one draft, not two
    html = doctor.get(response.headers["Location"]).get_data(as_text=True)
    with clinic_app.app_context():
        rx = db.session.query(Prescription).one()
        assert rx.ruleset_name == "web-tests"
        assert rx.ruleset_version == "0.3.0"
        content = rx.content
    assert content["outcome"] == "prescription_pending_clearance"
    assert "待医学许可" in html                                   # outcome banner
    assert "血压2级：开始前需医学评估" in html
    assert "test fixture (ACSM 2004)" in html
    assert "t-bp-grade2" in html
    assert "168" in html
    target = content["components"][0]["target_hr_bpm"]
    assert f"{target[0]}–{target[1]}" in html                   # target heart rate
    assert "避免憋气用力" in html                                 # exclusion with reason
    assert "医生" in html                                         # referral


def test_the_model_tier_is_labelled_as_a_model_suggestion(app, people, draft, as_user):
    html = as_user("doctor").get(f"/prescriptions/{draft}").get_data(as_text=True)
    assert "模型建议" in html
    assert "71%" in html
    assert "fitness_tier-2026.11" in html


def test_an_abstaining_model_shows_its_reason(app, people, as_user):
    rx = sample_prescription()
    rx["fitness"] = {"tier": None, "probability": None, "source": "none", "items_used": [],
                     "model_version": "fitness_tier-2026.11",
                     "abstain_reason": {"zh": "测试项目不足", "en": "Too few test items"}}
    with app.app_context():
        aid = make_assessment(make_patient(people.station_a, people.doctor), people.doctor)
        rid = insert_prescription(aid, people.doctor, rx)
    html = as_user("doctor").get(f"/prescriptions/{rid}").get_data(as_text=True)
    assert "模型未给出建议" in html
    assert "测试项目不足" in html


def test_changes_within_bounds_are_saved_without_a_reason(app, people, draft, as_user):
    from web.tables import OverrideRecord, Prescription

    doctor = as_user("doctor")
    response = doctor.post_form(f"/prescriptions/{draft}/review", _review_form(
        aerobic__days_lo=4, aerobic__days_hi=5, aerobic__min_lo=30, aerobic__min_hi=40,
        lock_version=1))
    assert response.status_code == 302
    rx = _row(app, Prescription, draft)
    aerobic = rx.content["components"][0]
    assert aerobic["days_per_week"] == [4, 5]
    assert aerobic["minutes_per_session"] == [30, 40]
    assert rx.content["weekly_minutes"] == 120   # recomputed: 4 days × 30 min
    from web.extensions import db

    with app.app_context():
        assert db.session.query(OverrideRecord).count() == 0


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"aerobic__days_hi": 9}, "aerobic__days_hi", "1"),
    ({"aerobic__days_lo": 6, "aerobic__days_hi": 3}, "aerobic__days_lo", "1–7"),
    ({"aerobic__min_lo": 200, "aerobic__min_hi": 240}, "aerobic__min_lo", "5"),
    ({"aerobic__int_hi": "vigorous"}, "aerobic__int_hi", "上限"),
])
def test_values_outside_safe_bounds_are_refused_next_to_the_field(app, people, draft, as_user,
                                                                  change, field, message):
    response = as_user("doctor").post_form(f"/prescriptions/{draft}/review",
                                           _review_form(lock_version=1, **change))
    assert response.status_code == 400
    errors = field_errors(response.get_data(as_text=True), field)
    assert errors, errors
    assert message in errors[0], errors


def test_relaxing_a_safety_rule_needs_a_written_reason(app, people, draft, as_user):
    from web.tables import OverrideRecord, Prescription

    doctor = as_user("doctor")
    relaxed = _review_form(lock_version=1, intensity_cap="vigorous", clearance_required=None,
                           **{"keep__heavy_valsalva_lifting": None})
    refused = doctor.post_form(f"/prescriptions/{draft}/review", relaxed)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400
    for field in ("reason__intensity_cap", "reason__clearance",
                  "reason__excluded__heavy_valsalva_lifting"):
        assert field_errors(html, field), field
    assert _row(app, Prescription, draft).content["intensity_cap"] == "moderate"

    reasons = {"reason__intensity_cap": "运动平板试验阴性，心内科同意较大强度",
               "reason__clearance": "已于2026-02-20获心内科医学许可",
               "reason__excluded__heavy_valsalva_lifting": "血压已控制，康复科指导下进行"}
    saved = doctor.post_form(f"/prescriptions/{draft}/review", {**relaxed, **reasons})
    assert saved.status_code == 302
    rx = _row(app, Prescription, draft)
    assert rx.content["intensity_cap"] == "vigorous"
    assert rx.content["outcome"] == "prescription"       # no longer pending clearance
    assert rx.content["excluded"] == []
    assert rx.proposed["intensity_cap"] == "moderate"    # the assistant's draft is kept
    from web.extensions import db

    with app.app_context():
        records = {o.field: o for o in db.session.query(OverrideRecord)}
    assert set(records) == {"intensity_cap", "clearance", "excluded:heavy_valsalva_lifting"}
    assert records["intensity_cap"].rule_ids == "bp-grade2-clearance"
    assert records["clearance"].reason == reasons["reason__clearance"]
    page = doctor.get(f"/prescriptions/{draft}").get_data(as_text=True)
    assert reasons["reason__intensity_cap"] in page


def test_raising_intensity_recomputes_the_heart_rate_target(app, people, draft, as_user):
    from web.tables import Prescription

    form = _review_form(lock_version=1, intensity_cap="vigorous",
                        aerobic__int_lo="moderate", aerobic__int_hi="vigorous",
                        reason__intensity_cap="心肺运动试验后由心内科批准",
                        reason__component__aerobic__intensity="心肺运动试验后由心内科批准")
    response = as_user("doctor").post_form(f"/prescriptions/{draft}/review", form)
    assert response.status_code == 302
    aerobic = _row(app, Prescription, draft).content["components"][0]
    assert aerobic["intensity"] == ["moderate", "vigorous"]
    assert aerobic["hrr_percent"] == [40, 84]
    assert aerobic["rpe"] == [12, 17]
    # Karvonen with rest 72 and HRmax 168.17 (the draft's facts): the core's formula.
    from prescribe.prescription import karvonen

    assert aerobic["target_hr_bpm"] == [karvonen(72, 168.17, 0.40), karvonen(72, 168.17, 0.84)]
    assert aerobic["target_hr_bpm"] == [110, 153]


def test_a_heart_rate_target_that_cannot_be_recomputed_is_removed(app, people, as_user):
    from web.tables import Prescription

    rx = sample_prescription()
    rx["facts"]["hr_valid_marker"] = False  # e.g. a beta blocker was added to the facts
    with app.app_context():
        aid = make_assessment(make_patient(people.station_a, people.doctor), people.doctor)
        rid = insert_prescription(aid, people.doctor, rx)
    response = as_user("doctor").post_form(f"/prescriptions/{rid}/review", _review_form(
        lock_version=1, aerobic__int_lo="light", aerobic__int_hi="light"))
    assert response.status_code == 302
    aerobic = _row(app, Prescription, rid).content["components"][0]
    assert aerobic["target_hr_bpm"] is None
    assert aerobic["rpe"] == [9, 11]


def test_a_deferral_cannot_be_edited(app, people, as_user):
    rx = sample_prescription()
    rx.update(outcome="defer", components=[], deferrals=[{
        "rule_id": "t-stop-bp", "reason": {"zh": "静息血压过高", "en": "BP too high"},
        "action": {"zh": "休息后复测", "en": "Re-check after rest"}}])
    with app.app_context():
        aid = make_assessment(make_patient(people.station_a, people.doctor), people.doctor)
        rid = insert_prescription(aid, people.doctor, rx)
    doctor = as_user("doctor")
    assert doctor.get(f"/prescriptions/{rid}/review").status_code == 302
    html = doctor.get(f"/prescriptions/{rid}").get_data(as_text=True)
    assert "静息血压过高" in html
    assert "休息后复测" in html
    assert f"/prescriptions/{rid}/review" not in html


def test_signing_freezes_the_prescription_and_changes_make_a_new_version(app, people, draft,
                                                                         as_user):
    from web.tables import OverrideRecord, Prescription

    doctor = as_user("doctor")
    doctor.post_form(f"/prescriptions/{draft}/review", _review_form(
        lock_version=1, intensity_cap="vigorous", reason__intensity_cap="心内科已批准较大强度"))
    page = doctor.get(f"/prescriptions/{draft}").get_data(as_text=True)
    signed = doctor.client.post(f"/prescriptions/{draft}/sign", data={
        "csrf_token": csrf_token(page), "lock_version": "2"})
    assert signed.status_code == 302
    rx = _row(app, Prescription, draft)
    assert rx.status == "signed"
    assert rx.signed_by_id == people.doctor
    assert rx.signed_at
    assert doctor.get(f"/prescriptions/{draft}/review").status_code == 302  # read-only now

    page = doctor.get(f"/prescriptions/{draft}").get_data(as_text=True)
    response = doctor.client.post(f"/prescriptions/{draft}/new-version",
                                  data={"csrf_token": csrf_token(page)})
    new_id = int(response.headers["Location"].split("/")[2])
    new = _row(app, Prescription, new_id)
    assert (new.version_no, new.parent_id, new.status) == (2, draft, "draft")
    assert new.content["intensity_cap"] == "vigorous"
    from web.extensions import db

    with app.app_context():
        carried = db.session.query(OverrideRecord).filter_by(prescription_id=new_id).all()
        assert [o.field for o in carried] == ["intensity_cap"]
    page = doctor.get(f"/prescriptions/{new_id}").get_data(as_text=True)
    doctor.client.post(f"/prescriptions/{new_id}/sign", data={
        "csrf_token": csrf_token(page), "lock_version": str(new.lock_version)})
    assert _row(app, Prescription, draft).status == "superseded"
    assert _row(app, Prescription, new_id).status == "signed"


def test_flagged_items_must_be_acknowledged_before_signing(app, people, as_user):
    rx = sample_prescription()
    rx["needs_review"] = [{"code": "activity_status_missing", "rule_id": None,
                           "reason": {"zh": "未记录是否规律运动", "en": "Activity not recorded"}}]
    with app.app_context():
        aid = make_assessment(make_patient(people.station_a, people.doctor), people.doctor)
        rid = insert_prescription(aid, people.doctor, rx)
    from web.tables import Prescription

    doctor = as_user("doctor")
    page = doctor.get(f"/prescriptions/{rid}").get_data(as_text=True)
    assert "未记录是否规律运动" in page
    doctor.client.post(f"/prescriptions/{rid}/sign", data={"csrf_token": csrf_token(page),
                                                          "lock_version": "1"})
    assert _row(app, Prescription, rid).status == "draft"
    doctor.client.post(f"/prescriptions/{rid}/sign", data={
        "csrf_token": csrf_token(page), "lock_version": "1", "acknowledge": "y"})
    assert _row(app, Prescription, rid).status == "signed"


def test_two_clinicians_never_silently_overwrite_each_other(app, people, draft, as_user):
    from web.tables import Prescription

    doctor, prescriber = as_user("doctor"), as_user("prescriber")
    page_a = doctor.get(f"/prescriptions/{draft}/review").get_data(as_text=True)
    page_b = prescriber.get(f"/prescriptions/{draft}/review").get_data(as_text=True)
    first = doctor.client.post(f"/prescriptions/{draft}/review", data={
        **_review_form(lock_version=1, aerobic__days_lo=3, aerobic__days_hi=4),
        "csrf_token": csrf_token(page_a)})
    assert first.status_code == 302
    second = prescriber.client.post(f"/prescriptions/{draft}/review", data={
        **_review_form(lock_version=1, aerobic__min_lo=45, aerobic__min_hi=55),
        "csrf_token": csrf_token(page_b)})
    html = second.get_data(as_text=True)
    assert second.status_code == 409
    assert 'value="45"' in html
    assert 'value="55"' in html
    assert "对方已保存的当前值" in html                          # and the saved ones shown
    rx = _row(app, Prescription, draft)
    assert rx.content["components"][0]["days_per_week"] == [3, 4]
    assert rx.content["components"][0]["minutes_per_session"] == [30, 60]  # not overwritten
    # saving again from the refreshed form (new version number) works
    again = prescriber.client.post(f"/prescriptions/{draft}/review", data={
        **_review_form(lock_version=2, aerobic__days_lo=3, aerobic__days_hi=4,
                       aerobic__min_lo=45, aerobic__min_hi=55), "csrf_token": csrf_token(html)})
    assert again.status_code == 302


def test_the_clinician_confirms_or_corrects_the_tier(app, people, draft, as_user):
    import json

    from web.extensions import db
    from web.tables import TierReview

    doctor = as_user("doctor")
    response = doctor.post_form(f"/prescriptions/{draft}", {"confirmed_tier": "3"},
                                action=f"/prescriptions/{draft}/tier")
    assert response.status_code == 302
    with app.app_context():
        row = db.session.query(TierReview).one()
        assert (row.model_tier, row.confirmed_tier) == (2, 3)
        assert row.model_version == "fitness_tier-2026.11"
        assert row.station_id == people.station_a
        assert row.reviewer_id == people.doctor
        features = json.loads(row.features_json)
    assert features["grip_strength_kg"] == 38.5
    assert features["sex"] == "M"
    assert 56 < features["age_years"] < 58
    assert "王医生" in doctor.get(f"/prescriptions/{draft}").get_data(as_text=True)
