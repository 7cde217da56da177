"""The Assistant facade: one assessment or a table in, prescriptions out, identical."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from prescribe.assistant import Assistant
from prescribe.engine import ENGINE_VERSION, load_ruleset
from prescribe.errors import AssessmentError

from .engine_kit import clinical_rules, files


@pytest.fixture(scope="module")
def assistant():
    return Assistant(load_ruleset(files(clinical_rules())))


def random_table(n: int, seed: int) -> pd.DataFrame:
    """Assessments as a clinic's spreadsheet holds them: text, blanks, Chinese words."""
    rng = np.random.default_rng(seed)

    def pick(values, p_blank=0.15):
        out = np.array(values, dtype=object)[rng.integers(0, len(values), n)]
        out[rng.random(n) < p_blank] = None
        return out

    age = np.round(rng.uniform(19, 90, n), 1).astype(object)
    age[rng.random(n) < 0.05] = None
    return pd.DataFrame({
        "person_id": [f"P{i:04d}" for i in range(n)],
        "sex": pick(["M", "F", "男", "女"], 0.05),
        "age_years": age,
        "height_cm": pick([150.0, 158.5, 165.0, 172.0, 180.5]),
        "weight_kg": pick([48.0, 60.5, 72.0, 85.0, 101.5]),
        "waist_cm": pick([70.0, 85.0, 90.0, 104.0], 0.3),
        "sbp_mmhg": pick([112, 128, 145, 159, 160, 172, 179, 180, 204]),
        "dbp_mmhg": pick([60, 75, 88, 95, 99]),
        "resting_hr_bpm": pick([55, 64, 72, 88, 101]),
        "conditions": pick(["高血压", "I10;E11", "慢阻肺", "房颤", "COPD, hypertension"], 0.5),
        "medications": pick(["美托洛尔", "insulin", "二甲双胍"], 0.7),
        "regularly_active": pick(["是", "否", "yes", "no", True], 0.3),
        "acute_illness": pick(["否", "是"], 0.6),
        "symptoms_text": pick(["活动后胸痛", "无不适", "头晕"], 0.8),
    })


def _records(df: pd.DataFrame) -> list[dict]:
    return [{k: v for k, v in row.items() if v is not None and not (isinstance(v, float) and np.isnan(v))}
            for row in df.to_dict("records")]


def test_prescribe_gives_the_prescription_json_with_provenance(assistant):
    out = assistant.prescribe({"sex": "M", "age_years": 56, "sbp_mmhg": 168, "dbp_mmhg": 96,
                               "resting_hr_bpm": 72, "conditions": ["hypertension"],
                               "regularly_active": False})
    assert out["outcome"] == "prescription_pending_clearance"
    assert out["intensity_cap"] == "moderate"
    assert [r["to"] for r in out["referrals"]] == ["physician"]
    assert "bp-grade2" in out["fired"]
    prov = out["provenance"]
    assert prov["ruleset"] == {"name": "test-rules", "version": "0.1.0", "hash": assistant.ruleset.hash}
    assert prov["engine_version"] == ENGINE_VERSION
    assert any(ed.startswith("student") for ed in prov["standards"])
    assert prov["generated_at"]
    assert next(t for t in out["trace"] if t["rule_id"] == "bp-grade2")["facts"] == {"sbp_mmhg": 168.0}


def test_bad_input_is_refused_with_every_problem(assistant):
    with pytest.raises(AssessmentError) as err:
        assistant.prescribe({"sbp": 150, "age_years": 200})
    assert {p.field for p in err.value.problems} == {"sbp", "age_years"}
    with pytest.raises(AssessmentError):
        assistant.prescribe({"age_years": 40, "screening_profile": "WHO"})


def test_a_table_gives_exactly_the_single_record_prescriptions(assistant):
    df = random_table(120, seed=3)
    out = assistant.prescribe_frame(df, generated_at="2025-01-01T00:00:00+00:00")
    assert list(out.index) == list(df.index)
    for i, rec in enumerate(_records(df)):
        single = assistant.prescribe(rec, generated_at="2025-01-01T00:00:00+00:00")
        assert out["prescription"].iloc[i] == single, rec
        assert out["outcome"].iloc[i] == single["outcome"]
        assert list(out["fired"].iloc[i]) == single["fired"]
        assert list(out["components"].iloc[i]) == [c["type"] for c in single["components"]]
        aerobic = next((c for c in single["components"] if c["type"] == "aerobic"), None)
        target = aerobic and aerobic["target_hr_bpm"]
        lo, hi = out["target_hr_lo"].iloc[i], out["target_hr_hi"].iloc[i]
        assert (target is None and np.isnan(lo)) or target == [lo, hi]
    assert set(out["outcome"]) == {"defer", "prescription", "prescription_pending_clearance"}


def test_a_table_with_bad_rows_is_refused_or_marked(assistant):
    df = pd.DataFrame({"age_years": [45, 300, 50], "sbp_mmhg": [120, 130, "high"],
                       "sex": ["M", "X", "F"]})
    with pytest.raises(AssessmentError) as err:
        assistant.prescribe_frame(df)
    assert sorted((p.row, p.field) for p in err.value.problems) == [(3, "age_years"), (3, "sex"), (4, "sbp_mmhg")]
    out = assistant.prescribe_frame(df, on_invalid="mark")
    assert list(out["outcome"]) == ["prescription", "invalid_input", "invalid_input"]
    assert out["input_errors"].iloc[0] is None
    assert any("sbp_mmhg" in m for m in out["input_errors"].iloc[2])
    assert out["prescription"].iloc[1] is None


def test_an_unknown_column_is_an_error_with_a_suggestion(assistant):
    with pytest.raises(AssessmentError) as err:
        assistant.prescribe_frame(pd.DataFrame({"age_years": [40], "sbp": [150]}))
    assert err.value.problems[0].field == "sbp"
    assert "sbp_mmhg" in err.value.problems[0].allowed


def test_birth_dates_give_the_same_age_as_a_single_record(assistant):
    df = pd.DataFrame({"sex": ["F", "M"], "birth_date": ["1960-02-29", "2000/07/01"],
                       "test_date": ["2025-02-28", "20250630"], "sbp_mmhg": [150, 120]})
    out = assistant.prescribe_frame(df, generated_at="t")
    for i, rec in enumerate(_records(df)):
        assert out["prescription"].iloc[i]["facts"]["age_years"] == assistant.prescribe(rec)["facts"]["age_years"]
    assert out["prescription"].iloc[0]["facts"]["age_years"] == 65.0


def test_the_default_rule_set_prescribes_when_present(project_root):
    rules = project_root / "rules" / "default"
    if not (rules / "ruleset.yaml").is_file():
        pytest.skip("rules/default is not there yet")
    assistant = Assistant.from_paths(rules)
    out = assistant.prescribe({"sex": "F", "age_years": 45, "sbp_mmhg": 125, "dbp_mmhg": 80,
                               "resting_hr_bpm": 70, "regularly_active": True})
    assert out["outcome"] in ("prescription", "prescription_pending_clearance", "defer")
    assert out["provenance"]["ruleset"]["hash"] == assistant.ruleset.hash
