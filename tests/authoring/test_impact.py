"""Impact replay: counts of changed prescriptions on a seeded table whose answer is known."""

import numpy as np
import pandas as pd
import pytest

from prescribe.assistant import Assistant
from prescribe.authoring import editing
from prescribe.authoring.impact import FIELDS, impact_analysis, pseudonym, recent
from prescribe.engine import load_ruleset

KEY = b"station-secret"


def seeded_assessments(n: int = 600, seed: int = 7) -> pd.DataFrame:
    """Adults 18–80 with systolic 95–199 mmHg; three rows carry impossible values."""
    rng = np.random.default_rng(seed)
    sbp = rng.integers(95, 200, n)
    frame = pd.DataFrame({
        "assessment_id": np.arange(1000, 1000 + n),
        "name": [f"患者{i}" for i in range(n)],   # identifying: must never reach the report
        "phone": "13800138000",
        "test_date": pd.date_range("2024-01-01", periods=n, freq="D").strftime("%Y-%m-%d"),
        "sex": rng.choice(["M", "F"], n),
        "age_years": rng.uniform(18, 80, n).round(1),
        "sbp_mmhg": sbp,
        "dbp_mmhg": np.minimum(rng.integers(60, 100, n), sbp - 20),
        "resting_hr_bpm": rng.integers(55, 95, n),
        "conditions": rng.choice(["", "I10"], n, p=[0.7, 0.3]),
    })
    frame.loc[frame.index.isin([5, 50, 500]), "sbp_mmhg"] = 400
    return frame


@pytest.fixture
def published(mini_files):
    return Assistant(load_ruleset(mini_files))


@pytest.fixture
def draft(mini_files):
    """Grade 2 now starts at 165 mmHg: readings of 160–164 move to grade 1."""
    files = editing.set_rule_value(mini_files, "bp-sys-grade2", "when.value", [165, 179])
    files = editing.set_rule_value(files, "bp-sys-grade1", "when.value", [140, 164])
    files = editing.add_case(files, {
        "id": "sbp-162", "title": {"zh": "收缩压162", "en": "Systolic 162"},
        "given": {"sex": "F", "age_years": 60, "sbp_mmhg": 162, "dbp_mmhg": 88},
        "expect": {"outcome": "prescription"}})
    return Assistant(load_ruleset(files))


def test_counts_match_the_rows_whose_band_moved(published, draft):
    frame = seeded_assessments()
    report = impact_analysis(published, draft, frame, key=KEY, limit=None)
    valid = frame["sbp_mmhg"] != 400
    moved = valid & frame["sbp_mmhg"].between(160, 164)
    k = int(moved.sum())
    assert k > 10  # the seed gives a meaningful number of moved rows
    rows = report.assessments
    assert (rows.rows_compared, rows.rows_invalid, rows.rows_changed) == (597, 3, k)
    assert rows.field_counts == {"outcome": k, "clearance": k, "intensity_cap": k,
                                 "components": k, "exclusions": 0, "referrals": k,
                                 "needs_review": 0}
    expected_ids = {pseudonym(KEY, i) for i in frame.loc[moved, "assessment_id"]}
    assert set(rows.changes["id"]) == expected_ids
    assert report.notes == ["3 assessment(s) have invalid inputs and were not compared"]


def test_each_affected_row_shows_its_fields_before_and_after(published, draft):
    report = impact_analysis(published, draft, seeded_assessments(), key=KEY, limit=None)
    first = report.side_by_side(limit=1)[0]
    by_field = {f["field"]: (f["before"], f["after"]) for f in first["fields"]}
    assert by_field["outcome"] == ("prescription_pending_clearance", "prescription")
    assert by_field["clearance"] == ("required before any", "not required")
    assert by_field["intensity_cap"] == ("moderate", "none")
    assert by_field["referrals"] == ("physician (soon)", "")
    before, after = by_field["components"]
    assert "aerobic 3–5 d/wk × 30–60 min, moderate, 40–59% HRR" in before  # clamped to the cap
    assert "aerobic 3–5 d/wk × 30–60 min, moderate–vigorous, 40–70% HRR" in after
    assert [f["field"] for f in first["fields"]] == [f for f in FIELDS if f in by_field]


def test_rows_are_named_only_by_keyed_pseudonyms(published, draft):
    frame = seeded_assessments()
    report = impact_analysis(published, draft, frame, key=KEY, limit=None)
    shown = repr(report.side_by_side()) + report.assessments.changes.to_csv()
    assert "患者" not in shown
    assert "13800138000" not in shown
    assert not any(str(i) in set(report.assessments.changes["id"])
                   for i in frame["assessment_id"])
    other = impact_analysis(published, draft, frame, key=b"another-station", limit=None)
    assert set(other.assessments.changes["id"]).isdisjoint(report.assessments.changes["id"])


def test_golden_cases_are_replayed_too(published, draft):
    report = impact_analysis(published, draft, seeded_assessments(20), key=KEY, limit=None)
    assert report.cases.rows_compared == 4
    assert report.cases.rows_changed == 1
    assert set(report.cases.changes["id"]) == {"sbp-162"}  # case ids are not patients


def test_only_the_most_recent_assessments_are_replayed_by_default(published, draft):
    frame = seeded_assessments(1500).sample(frac=1, random_state=3)  # stored out of order
    newest = recent(frame, 1000)
    assert len(newest) == 1000
    assert newest["test_date"].min() == sorted(frame["test_date"])[500]
    report = impact_analysis(published, draft, frame, key=KEY)
    assert report.assessments.rows_compared + report.assessments.rows_invalid == 1000


def test_an_unchanged_draft_changes_nothing(published, mini_files):
    same = Assistant(load_ruleset(mini_files))
    report = impact_analysis(published, same, seeded_assessments(), key=KEY, limit=None)
    assert report.assessments.rows_changed == 0
    assert report.assessments.changes.empty
    assert report.cases.rows_changed == 0


def test_bad_calls_are_refused_with_the_reason(published, draft):
    with pytest.raises(ValueError, match="secret key"):
        impact_analysis(published, draft, seeded_assessments(5), key=b"")
    with pytest.raises(ValueError, match="no `record_id` column"):
        impact_analysis(published, draft, seeded_assessments(5), key=KEY, id_column="record_id")
