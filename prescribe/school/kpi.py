"""Programme KPIs as pure functions over the frames the web app already holds.

The targets come from policy, not from us: the 2030 youth plan asks for at least 60 % of
students at good or excellent (达标优良率) on the 2014 student standard, and the national
fitness plan counts residents at pass-or-better on the physique standard (target 95 %).
Each function returns a :class:`Kpi` carrying numerator and denominator, so a dashboard can
show "312 / 520" beside the percentage and nobody has to trust a bare ratio. Missing
values never count as a success: a student without a grade is left out of the
denominator and reported in ``excluded``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

STUDENT_GOOD_EXCELLENT_TARGET = 0.60
PHYSIQUE_PASS_TARGET = 0.95
GRADES = ("excellent", "good", "pass", "fail")


@dataclass(frozen=True)
class Kpi:
    """One indicator: ``value`` = numerator / denominator (None when nothing to count)."""

    name: str
    numerator: int
    denominator: int
    value: float | None
    target: float | None = None
    excluded: int = 0

    @property
    def met(self) -> bool | None:
        """Whether the target is reached; None without a target or without data."""
        if self.target is None or self.value is None:
            return None
        return self.value >= self.target

    def to_dict(self) -> dict:
        return {**asdict(self), "met": self.met}


def _share(name: str, hits: pd.Series, counted: pd.Series, target: float | None) -> Kpi:
    num = int((hits & counted).sum())
    den = int(counted.sum())
    return Kpi(name, num, den, (num / den) if den else None, target,
               excluded=int((~counted).sum()))


def _grade_column(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        raise KeyError(f"column {column!r} is missing (have: {', '.join(map(str, frame.columns))})")
    grade = frame[column].astype("string").str.strip().str.lower()
    unknown = grade.notna() & (grade != "") & ~grade.isin(GRADES)
    if unknown.any():
        bad = sorted(set(grade[unknown]))
        raise ValueError(f"column {column!r} holds unknown grade(s) {bad}; "
                         f"expected {' | '.join(GRADES)}")
    return grade


def student_good_excellent_share(frame: pd.DataFrame, grade_column: str = "grade") -> Kpi:
    """Share of graded students at good or excellent on the 2014 student standard (≥ 60 %)."""
    grade = _grade_column(frame, grade_column)
    counted = grade.isin(GRADES).fillna(False)
    hits = grade.isin(("excellent", "good")).fillna(False)
    return _share("student_good_excellent_share", hits, counted, STUDENT_GOOD_EXCELLENT_TARGET)


def physique_pass_share(frame: pd.DataFrame, grade_column: str = "grade") -> Kpi:
    """Share of graded residents at pass or better on the physique standard (≥ 95 %).

    A person with an unscored item has no overall grade under the 2003 standard; such rows
    are excluded rather than counted as failures, and the count is kept in ``excluded``.
    """
    grade = _grade_column(frame, grade_column)
    counted = grade.isin(GRADES).fillna(False)
    hits = grade.isin(("excellent", "good", "pass")).fillna(False)
    return _share("physique_pass_share", hits, counted, PHYSIQUE_PASS_TARGET)


def _in_period(when: pd.Series, start: dt.date | None, end: dt.date | None) -> pd.Series:
    stamp = pd.to_datetime(when, errors="coerce")
    keep = stamp.notna()
    if start is not None:
        keep &= stamp >= pd.Timestamp(start)
    if end is not None:
        keep &= stamp < pd.Timestamp(end)
    return keep


def prescriptions_signed(prescriptions: pd.DataFrame, *, issued_column: str = "issued_at",
                         signed_column: str = "signed_at", start: dt.date | None = None,
                         end: dt.date | None = None) -> Kpi:
    """Prescriptions issued in [start, end) and how many of them a clinician has signed.

    The numerator is signed ones, the denominator all issued ones: an unsigned draft is
    work the station still owes the patient.
    """
    issued = _in_period(prescriptions[issued_column], start, end)
    signed = pd.to_datetime(prescriptions[signed_column], errors="coerce").notna()
    return Kpi("prescriptions_signed", int((issued & signed).sum()), int(issued.sum()),
               float((issued & signed).sum() / issued.sum()) if issued.any() else None)


def retests_done(prescriptions: pd.DataFrame, tests: pd.DataFrame, *, as_of: dt.date,
                 person_column: str = "person_id", issued_column: str = "issued_at",
                 retest_column: str = "retest_date", test_date_column: str = "test_date") -> Kpi:
    """Re-tests done among prescriptions whose re-test date has come by ``as_of``.

    A re-test counts when the same person has any test dated after the prescription was
    issued and on or before ``as_of`` (an early re-test still counts: it was done). Only the
    latest prescription per person is considered, so one person is one denominator unit.
    """
    rx = prescriptions[[person_column, issued_column, retest_column]].copy()
    rx[issued_column] = pd.to_datetime(rx[issued_column], errors="coerce")
    rx[retest_column] = pd.to_datetime(rx[retest_column], errors="coerce")
    rx = rx.dropna(subset=[issued_column]).sort_values(issued_column)
    rx = rx.drop_duplicates(person_column, keep="last")
    due = rx[rx[retest_column] <= pd.Timestamp(as_of)]
    t = tests[[person_column, test_date_column]].copy()
    t[test_date_column] = pd.to_datetime(t[test_date_column], errors="coerce")
    t = t[t[test_date_column] <= pd.Timestamp(as_of)]
    last_test = t.groupby(person_column)[test_date_column].max()
    # reindex, not map(): with no test by ``as_of`` map() tries to build a float column from
    # an empty date series and raises; reindex keeps the date dtype and gives NaT instead.
    latest = pd.Series(pd.to_datetime(last_test).reindex(due[person_column].to_numpy())
                       .to_numpy(), index=due.index)
    done = (latest > due[issued_column]).fillna(False)
    return Kpi("retests_done", int(done.sum()), len(due),
               float(done.mean()) if len(due) else None)


def average_change(tests: pd.DataFrame, value_column: str, *, person_column: str = "person_id",
                   date_column: str = "test_date") -> dict:
    """Mean change of ``value_column`` from each person's first to latest test.

    People with a single test carry no change and are not counted. Returns
    ``{n_people, mean_change, median_change, improved, worsened, unchanged}``; for items
    where lower is better (run times) the caller reads a negative change as improvement.
    """
    t = tests[[person_column, date_column, value_column]].copy()
    t[date_column] = pd.to_datetime(t[date_column], errors="coerce")
    t[value_column] = pd.to_numeric(t[value_column], errors="coerce")
    t = t.dropna().sort_values([person_column, date_column], kind="stable")
    grouped = t.groupby(person_column)[value_column]
    change = (grouped.last() - grouped.first())[grouped.size() >= 2]
    if change.empty:
        return {"n_people": 0, "mean_change": None, "median_change": None,
                "improved": 0, "worsened": 0, "unchanged": 0}
    values = change.to_numpy(dtype=float)
    return {"n_people": int(values.size), "mean_change": float(np.mean(values)),
            "median_change": float(np.median(values)), "improved": int((values > 0).sum()),
            "worsened": int((values < 0).sum()), "unchanged": int((values == 0).sum())}
