""""Make this a test case" from a real past assessment, with the current rules."""

from prescribe.assistant import Assistant
from prescribe.authoring import editing
from prescribe.authoring.casegen import case_from_assessment
from prescribe.authoring.gate import run_gate
from prescribe.engine import load_ruleset

VISIT = {
    "assessment_id": 4711, "name": "李四", "person_id": "P-88231", "phone": "13912345678",
    "sex": "M", "birth_date": "1969-04-02", "test_date": "2025-04-28",
    "sbp_mmhg": 166, "dbp_mmhg": 94, "resting_hr_bpm": 78,
    "conditions": "高血压", "regularly_active": False,
    "symptoms_text": "李四自述爬三楼时胸闷",
}


def test_a_past_assessment_becomes_a_case_that_passes_today(mini_files):
    assistant = Assistant(load_ruleset(mini_files))
    draft = case_from_assessment(assistant, VISIT, taken_ids={"htn-grade2"}, shift_days=45)
    case = draft.case
    assert set(draft.removed) >= {"assessment_id", "name", "person_id", "phone",
                                  "symptoms_text"}
    assert "李四" not in repr(case)
    assert "13912345678" not in repr(case)
    assert case["given"]["age_years"] == 56.07
    assert case["given"]["test_date"] == "2025-03-14"
    assert case["given"]["symptoms"] == ["chest_pain_ischaemic"]  # the code, not the words
    assert case["expect"]["outcome"] == "prescription_pending_clearance"
    assert case["expect"]["intensity_cap"] == "moderate"
    assert "bp-sys-grade2" in case["expect"]["fired_include"]
    assert "heavy_valsalva_lifting" in case["expect"]["excluded_include"]
    assert draft.notes == ()
    files = editing.add_case(mini_files, case)
    result = run_gate(files)
    assert result.passed, result.summary()
    assert result.cases_total == 4


def test_the_prescriber_can_correct_the_expectation_before_saving(mini_files):
    assistant = Assistant(load_ruleset(mini_files))
    case = case_from_assessment(assistant, VISIT, case_id="visit-4711").case
    case["expect"]["intensity_cap"] = "light"  # the prescriber says grade 2 should be light
    files = editing.add_case(mini_files, case)
    result = run_gate(files)
    assert not result.passed
    assert [(f.case_id, f.expectation) for f in result.case_failures] == [
        ("visit-4711", "intensity_cap")]


def test_a_difference_caused_by_de_identification_is_pointed_out(mini_files):
    # an unrecognised complaint sends the visit to review; its words cannot enter the case
    assistant = Assistant(load_ruleset(mini_files))
    visit = {**VISIT, "symptoms_text": "胸闷，另有左膝旧伤"}
    draft = case_from_assessment(assistant, visit, case_id="visit-knee")
    assert "左膝" not in repr(draft.case)
    assert draft.notes == ("needs_review differs after de-identification (True → False): "
                           "check this case's inputs",)
