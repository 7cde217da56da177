"""The assessment form: generated from the vocabulary, per standard; validated twice (form
ranges, then the core); scores, grades and flags shown once saved."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from .support import field_errors, insert_prescription, make_assessment, make_patient

ADULT_FORM = {"assessed_on": "2026-03-02", "height_cm": "172", "weight_kg": "81.5",
              "waist_cm": "94", "vital_capacity_ml": "3100", "grip_strength_kg": "38.5",
              "sit_and_reach_cm": "4.5", "step_test_index": "52",
              "choice_reaction_time_s": "0.62", "one_leg_stand_eyes_closed_s": "9",
              "resting_hr_bpm": "72", "sbp_mmhg": "168", "dbp_mmhg": "96",
              "regularly_active": "false", "conditions": ["I10"], "medications": ["C07"],
              "symptoms": ["dizziness_or_syncope"], "symptoms_text": "上楼时偶有胸闷"}


def _patient(app, people, **kw) -> int:
    with app.app_context():
        return make_patient(people.station_a, people.doctor, **kw)


def _ids(html: str) -> set[str]:
    import re

    return set(re.findall(r'<input[^>]* id="([a-z0-9_]+)"', html)) | set(
        re.findall(r'<select[^>]* id="([a-z0-9_]+)"', html))


@pytest.mark.parametrize(("born", "sex", "grade", "shown", "hidden"), [
    (dt.date(1969, 3, 14), "M", None, {"step_test_index", "grip_strength_kg"},
     {"push_up_count", "run_50m_s", "uncorrected_va_left"}),
    (dt.date(1992, 5, 1), "M", None, {"push_up_count", "vertical_jump_cm"}, {"sit_up_1min_count"}),
    (dt.date(1992, 5, 1), "F", None, {"sit_up_1min_count"}, {"push_up_count"}),
    (dt.date(1961, 1, 1), "F", None, {"chair_stand_30s_count", "one_leg_stand_eyes_closed_s"},
     {"step_test_index"}),
    (dt.date(2021, 6, 1), "F", None, {"shuttle_run_10m_s", "balance_beam_walk_s",
                                      "uncorrected_va_left"}, {"vital_capacity_ml"}),
    (dt.date(2014, 9, 1), "M", "16", {"shuttle_run_50mx8_s", "rope_skip_1min_count", "atr_deg",
                                      "cobb_deg", "spherical_equivalent_d"},
     {"pull_up_count", "grip_strength_kg"}),
    (dt.date(2012, 9, 1), "M", "21", {"pull_up_count", "run_1000m_s", "standing_long_jump_cm"},
     {"run_800m_s", "rope_skip_1min_count"}),
    (dt.date(2012, 9, 1), "F", "21", {"sit_up_1min_count", "run_800m_s"}, {"pull_up_count"}),
])
def test_the_form_shows_the_items_of_the_persons_standard(app, people, as_user, born, sex,
                                                          grade, shown, hidden):
    pid = _patient(app, people, birth_date=born, sex=sex, grade_code=grade)
    html = as_user("doctor").get(f"/assessments/new/{pid}").get_data(as_text=True)
    ids = _ids(html)
    assert shown <= ids, shown - ids
    assert not hidden & ids, hidden & ids
    assert {"sbp_mmhg", "height_cm"} <= ids


def test_labels_and_units_come_from_the_vocabulary_in_the_users_language(app, people,
                                                                          as_user):
    pid = _patient(app, people)
    doctor = as_user("doctor")
    zh = doctor.get(f"/assessments/new/{pid}").get_data(as_text=True)
    assert "收缩压 (mmHg)" in zh
    assert "握力 (kg)" in zh
    doctor.post_form("/patients/", {"lang": "en"}, action="/auth/language")
    en = doctor.get(f"/assessments/new/{pid}").get_data(as_text=True)
    assert "Systolic blood pressure (mmHg)" in en
    assert "Grip strength (kg)" in en


def test_impossible_values_are_refused_next_to_the_field_in_the_users_language(app, people,
                                                                              as_user):
    pid = _patient(app, people)
    doctor = as_user("doctor")
    response = doctor.post_form(f"/assessments/new/{pid}", {
        **ADULT_FORM, "sbp_mmhg": "300", "resting_hr_bpm": "seventy"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert any("60" in e and "260" in e for e in field_errors(html, "sbp_mmhg"))
    assert field_errors(html, "resting_hr_bpm")
    assert "300" in html  # the typed value stays in the field
    assert "必须在" in field_errors(html, "sbp_mmhg")[0]


def test_the_core_re_validates_and_its_problems_land_on_the_fields(app, people, as_user):
    pid = _patient(app, people)
    response = as_user("doctor").post_form(f"/assessments/new/{pid}", {
        **ADULT_FORM, "sbp_mmhg": "120", "dbp_mmhg": "130"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert field_errors(html, "dbp_mmhg") == ["舒张压必须低于收缩压 (允许：&lt; 120)"] or \
        field_errors(html, "dbp_mmhg")


def test_a_code_not_in_the_list_is_refused(app, people, as_user):
    pid = _patient(app, people)
    response = as_user("doctor").post_form(f"/assessments/new/{pid}", {
        **ADULT_FORM, "conditions": ["I10", "Z99.9-not-a-code"]})
    assert response.status_code == 400


def test_saving_shows_scores_grade_and_flags_at_once(app, people, as_user):
    pytest.importorskip("prescribe.standards", reason="standards scoring not built")
    pid = _patient(app, people)
    doctor = as_user("doctor")
    response = doctor.post_form(f"/assessments/new/{pid}", ADULT_FORM)
    assert response.status_code == 302
    html = doctor.get(response.headers["Location"]).get_data(as_text=True)
    from web.extensions import db
    from web.tables import Assessment

    with app.app_context():
        item = db.session.query(Assessment).one()
        result = item.scores["result"]
        assert item.standard == "physique"
        assert item.values["conditions"] == ["I10"]
        assert item.values["regularly_active"] is False
        assert "feeling_unwell" not in item.values  # "not asked" stays missing
    assert result["grade"] in ("excellent", "good", "pass", "fail")
    assert f">{result['total_points']}<" in html
    assert "BMI" in html
    assert "27.5" in html
    assert "国民体质测定标准" in html or "physique-2003" in html


def test_a_students_screening_flags_are_shown(app, people, as_user):
    pytest.importorskip("prescribe.standards", reason="standards scoring not built")
    pid = _patient(app, people, birth_date=dt.date(2014, 9, 1), grade_code="16",
                   school_name="海淀实验小学", class_name="3班")
    form = {"assessed_on": "2026-10-10", "height_cm": "152", "weight_kg": "45",
            "vital_capacity_ml": "2100", "run_50m_s": "8.9", "sit_and_reach_cm": "6",
            "rope_skip_1min_count": "120", "sit_up_1min_count": "30",
            "shuttle_run_50mx8_s": "110", "uncorrected_va_left": "4.7",
            "uncorrected_va_right": "4.8", "spherical_equivalent_d": "-1.25", "atr_deg": "6",
            "regularly_active": "true"}
    doctor = as_user("doctor")
    response = doctor.post_form(f"/assessments/new/{pid}", form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    from web.extensions import db
    from web.tables import Assessment

    with app.app_context():
        scores = db.session.query(Assessment).one().scores
    assert scores["standard"] == "student"
    assert scores["result"]["total_score"] is not None
    assert scores["flags"]["screening_myopia"] is True
    assert scores["flags"]["atr_band"] == "observe"


def test_the_code_lists_carry_their_synonyms_for_the_filter(app, people, as_user):
    pid = _patient(app, people)
    html = as_user("doctor").get(f"/assessments/new/{pid}").get_data(as_text=True)
    assert 'class="code-filter"' in html
    assert "high blood pressure" in html
    assert "原发性高血压" in html
    assert "美托洛尔" in html or "metoprolol" in html


def test_an_assessment_can_be_corrected_until_a_prescription_is_drafted(app, people, as_user):
    with app.app_context():
        pid = make_patient(people.station_a, people.doctor)
        aid = make_assessment(pid, people.doctor)
    doctor = as_user("doctor")
    page = doctor.get(f"/assessments/{aid}/edit").get_data(as_text=True)
    assert 'value="168' in page  # stored values are in the form
    response = doctor.post_form(f"/assessments/{aid}/edit", {
        **ADULT_FORM, "sbp_mmhg": "158", "lock_version": "1"})
    assert response.status_code == 302
    from web.extensions import db
    from web.tables import Assessment

    with app.app_context():
        assert db.session.get(Assessment, aid).values["sbp_mmhg"] == 158
        insert_prescription(aid, people.doctor)
    refused = doctor.get(f"/assessments/{aid}/edit")
    assert refused.status_code == 302


def test_unusual_values_are_kept_with_a_warning(app, people, as_user):
    pid = _patient(app, people)
    doctor = as_user("doctor")
    response = doctor.post_form(f"/assessments/new/{pid}", {**ADULT_FORM, "sbp_mmhg": "230",
                                                            "dbp_mmhg": "96"})
    assert response.status_code == 302
    from web.extensions import db
    from web.tables import Assessment

    with app.app_context():
        warnings = db.session.query(Assessment).one().warnings
    assert [w["field"] for w in warnings] == ["sbp_mmhg"]
    html = doctor.get(response.headers["Location"]).get_data(as_text=True)
    assert "230" in html


def test_stored_values_are_plain_json_under_vocabulary_names(app, people):
    with app.app_context():
        pid = make_patient(people.station_a, people.doctor)
        aid = make_assessment(pid, people.doctor)
        from web.extensions import db
        from web.tables import Assessment

        raw = db.session.get(Assessment, aid).values_json
    data = json.loads(raw)
    from prescribe.vocabulary import BY_NAME

    assert set(data) <= set(BY_NAME)


def test_a_stale_assessment_edit_keeps_the_entries_and_overwrites_nothing(app, people,
                                                                          as_user):
    from web.extensions import db
    from web.tables import Assessment

    from .conftest import csrf_token

    with app.app_context():
        aid = make_assessment(make_patient(people.station_a, people.doctor), people.doctor)
    doctor, prescriber = as_user("doctor"), as_user("prescriber")
    page_a = doctor.get(f"/assessments/{aid}/edit").get_data(as_text=True)
    page_b = prescriber.get(f"/assessments/{aid}/edit").get_data(as_text=True)
    first = doctor.client.post(f"/assessments/{aid}/edit", data={
        **ADULT_FORM, "sbp_mmhg": "150", "lock_version": "1", "csrf_token": csrf_token(page_a)})
    assert first.status_code == 302
    second = prescriber.client.post(f"/assessments/{aid}/edit", data={
        **ADULT_FORM, "sbp_mmhg": "144", "lock_version": "1", "csrf_token": csrf_token(page_b)})
    assert second.status_code == 409
    assert 'value="144' in second.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Assessment, aid).values["sbp_mmhg"] == 150


def test_a_value_that_is_not_a_number_gets_one_message(app, people, as_user):
    pid = _patient(app, people)
    response = as_user("doctor").post_form(f"/assessments/new/{pid}", {
        **ADULT_FORM, "resting_hr_bpm": "seventy"})
    assert len(field_errors(response.get_data(as_text=True), "resting_hr_bpm")) == 1
