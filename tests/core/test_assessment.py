import pytest

from prescribe.assessment import parse_assessment, validate_frame
from prescribe.errors import AssessmentError


def test_every_problem_is_reported_at_once():
    with pytest.raises(AssessmentError) as info:
        parse_assessment({"height_cm": 17, "grip_strength_kg": -1, "age_years": 190, "sbp": 150})
    fields = {p.field for p in info.value.problems}
    assert fields == {"height_cm", "grip_strength_kg", "age_years", "sbp"}


def test_unusual_value_is_a_warning_not_an_error():
    a = parse_assessment({"age_years": 40, "sbp_mmhg": 230, "dbp_mmhg": 100})
    assert a.get("sbp_mmhg") == 230
    assert [w.field for w in a.warnings] == ["sbp_mmhg"]


def test_diastolic_at_or_above_systolic_is_rejected():
    with pytest.raises(AssessmentError) as info:
        parse_assessment({"sbp_mmhg": 120, "dbp_mmhg": 120})
    assert info.value.problems[0].field == "dbp_mmhg"


def test_sex_aliases_and_age_from_dates():
    a = parse_assessment({"sex": "女", "birth_date": "2010-03-01", "test_date": "2024-09-01"})
    assert a.get("sex") == "F"
    assert a.get("age_years") == pytest.approx(14.5, abs=0.01)


def test_batch_reports_row_and_column():
    import pandas as pd

    df = pd.DataFrame({"height_cm": [170, 17, "abc"], "weight_kg": [60, 55, 50]})
    clean, problems = validate_frame(df)
    assert [(p.row, p.field) for p in problems] == [(3, "height_cm"), (4, "height_cm")]
    assert clean["height_cm"].isna().tolist() == [False, True, True]
