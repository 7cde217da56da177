"""``retests_done`` when nobody in a group has been tested by the cut-off date.

A new class whose first re-test is due but not yet held is the normal case at the start
of a term; the dashboard must show 0 / n, not crash (it used to compare a float column
with dates because the per-person "latest test" map came back empty).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from prescribe.school.kpi import retests_done

RX = pd.DataFrame({
    "person_id": ["S01", "S02", "S03"],
    "issued_at": ["2025-09-08", "2025-09-08", "2025-09-10"],
    "retest_date": ["2026-03-02", "2026-03-02", "2026-09-01"]})


@pytest.mark.parametrize("tests", [
    # the only tests are after the cut-off
    pd.DataFrame({"person_id": ["S01", "S02"],
                  "test_date": [dt.date(2026, 4, 20), dt.date(2026, 4, 21)]}),
    # no tests at all, as an empty frame from the database
    pd.DataFrame({"person_id": pd.Series([], dtype="string"),
                  "test_date": pd.Series([], dtype="object")}),
    # tests only of students of another class
    pd.DataFrame({"person_id": ["X99"], "test_date": ["2026-03-05"]}),
], ids=["after-cut-off", "empty", "other-people"])
def test_no_test_by_the_cut_off_counts_zero_done(tests):
    kpi = retests_done(RX, tests, as_of=dt.date(2026, 3, 31))
    assert (kpi.numerator, kpi.denominator) == (0, 2)  # S03 is not due yet
    assert kpi.value == 0.0


def test_a_retest_in_time_still_counts_beside_missing_ones():
    tests = pd.DataFrame({"person_id": ["S01", "S02"],
                          "test_date": ["2026-03-03", "2026-04-20"]})
    kpi = retests_done(RX, tests, as_of=dt.date(2026, 3, 31))
    assert (kpi.numerator, kpi.denominator) == (1, 2)
