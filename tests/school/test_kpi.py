"""Programme KPIs: numerator, denominator, target — missing never counts as success."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from prescribe.school import (
    average_change,
    physique_pass_share,
    prescriptions_signed,
    retests_done,
    student_good_excellent_share,
)


def test_good_excellent_share_against_the_plan_target():
    frame = pd.DataFrame({"grade": ["excellent", "good", "good", "pass", "fail", "", None]})
    kpi = student_good_excellent_share(frame)
    assert (kpi.numerator, kpi.denominator, kpi.excluded) == (3, 5, 2)
    assert kpi.value == pytest.approx(0.6)
    assert kpi.target == 0.6
    assert kpi.met is True


def test_physique_pass_share_excludes_people_without_a_grade():
    frame = pd.DataFrame({"grade": ["pass"] * 18 + ["fail", "", "good"]})
    kpi = physique_pass_share(frame)
    assert (kpi.numerator, kpi.denominator, kpi.excluded) == (19, 20, 1)
    assert kpi.value == pytest.approx(0.95)
    assert kpi.met is True
    assert kpi.to_dict()["met"] is True


def test_unknown_grade_words_are_refused():
    with pytest.raises(ValueError, match="unknown grade"):
        physique_pass_share(pd.DataFrame({"grade": ["pass", "合格"]}))


def test_no_data_gives_no_value_not_zero():
    kpi = student_good_excellent_share(pd.DataFrame({"grade": ["", None]}))
    assert kpi.value is None
    assert kpi.met is None


def test_prescriptions_signed_within_a_period():
    rx = pd.DataFrame({
        "issued_at": ["2025-09-01", "2025-09-20", "2025-10-02", "2025-08-30"],
        "signed_at": ["2025-09-02", None, "2025-10-02", "2025-08-30"]})
    kpi = prescriptions_signed(rx, start=dt.date(2025, 9, 1), end=dt.date(2025, 11, 1))
    assert (kpi.numerator, kpi.denominator) == (2, 3)


def test_retests_done_among_those_due():
    rx = pd.DataFrame({
        "person_id": ["A", "B", "C", "D", "A"],
        "issued_at": ["2025-03-01", "2025-03-01", "2025-03-01", "2025-09-01", "2024-09-01"],
        "retest_date": ["2025-09-01", "2025-09-01", "2025-09-01", "2026-03-01", "2025-03-01"]})
    tests = pd.DataFrame({
        "person_id": ["A", "A", "B", "C", "C"],
        "test_date": ["2025-03-01", "2025-09-10", "2025-03-01", "2025-02-01", "2025-11-01"]})
    kpi = retests_done(rx, tests, as_of=dt.date(2025, 10, 1))
    # due by 1 Oct: A, B, C (D's re-test is not due); only A was tested again since
    assert (kpi.numerator, kpi.denominator) == (1, 3)


def test_average_change_from_first_to_latest_test():
    tests = pd.DataFrame({
        "person_id": ["A", "A", "A", "B", "B", "C"],
        "test_date": ["2024-10-01", "2025-03-01", "2025-10-01", "2024-10-01", "2025-10-01",
                      "2025-10-01"],
        "total_score": [60.0, 65.0, 70.0, 80.0, 75.0, 90.0]})
    got = average_change(tests, "total_score")
    assert got == {"n_people": 2, "mean_change": 2.5, "median_change": 2.5, "improved": 1,
                   "worsened": 1, "unchanged": 0}
    assert average_change(tests[tests.person_id == "C"], "total_score")["n_people"] == 0
