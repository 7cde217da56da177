"""The programme indicators per district, station and school, from the database.

The district is every station of this installation (the administrator's view); a school's
row counts its students' records wherever they were made.

Each indicator is computed by ``prescribe.school.kpi`` (numerator, denominator, target;
missing values never count as a success). This module only loads the rows into frames,
one query per table, and reads the few values it needs out of the stored JSON with
vectorised regular expressions instead of decoding every document:

* residents at pass or better on the physique standard (target ≥ 95 %): each person's
  latest physique-standard assessment up to the end of the period;
* students at good or excellent (target ≥ 60 %): each student's latest student-standard
  assessment up to the end of the period;
* prescriptions issued in the period (one per series) and how many were signed;
* re-tests done among plans whose re-test date has come (by the end of the period, or
  today if that is earlier);
* average change of the total score between each person's first and latest test.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from prescribe.school import (
    Kpi,
    average_change,
    physique_pass_share,
    prescriptions_signed,
    retests_done,
    student_good_excellent_share,
)

from ..school.tables import School, SchoolClass, StudentAssessment
from ..tables import Assessment, Prescription, Station

SHARES = ("physique_pass_share", "student_good_excellent_share", "prescriptions_signed",
          "retests_done")
CHANGES = ("student_change", "physique_change")


@dataclass(frozen=True)
class Period:
    """``[start, end)``; either side open. ``as_of`` is the day re-tests are judged on."""

    start: dt.date | None
    end: dt.date | None

    @property
    def as_of(self) -> dt.date:
        today = dt.date.today()
        return min(self.end - dt.timedelta(days=1), today) if self.end else today


@dataclass
class Group:
    """One row of the dashboard: the district, a station or a school."""

    level: str  # district | station | school
    name: str
    station: str = ""
    kpis: dict[str, Kpi] = field(default_factory=dict)
    changes: dict[str, dict[str, Any]] = field(default_factory=dict)


def _extract(texts: pd.Series, key: str, pattern: str) -> pd.Series:
    return texts.astype("string").str.extract(rf'"{key}":\s*{pattern}', expand=False)


def load_tests(session: Session, end: dt.date | None) -> pd.DataFrame:
    """Every assessment up to ``end`` with its standard, grade, total and school."""
    query = (select(Assessment.id, Assessment.station_id, Assessment.patient_id,
                    Assessment.assessed_on, Assessment.standard, Assessment.scores_json,
                    SchoolClass.school_id)
             .outerjoin(StudentAssessment, StudentAssessment.assessment_id == Assessment.id)
             .outerjoin(SchoolClass, StudentAssessment.class_id == SchoolClass.id))
    if end is not None:
        query = query.where(Assessment.assessed_on < end)
    frame = pd.DataFrame(session.execute(query).all(),
                         columns=["assessment_id", "station_id", "person_id", "test_date",
                                  "standard", "scores_json", "school_id"])
    frame["grade"] = _extract(frame["scores_json"], "grade", r'"(\w+)"').fillna("")
    number = r"(-?\d+(?:\.\d+)?)"
    total = _extract(frame["scores_json"], "total_score", number).fillna(
        _extract(frame["scores_json"], "total_points", number))
    frame["total"] = pd.to_numeric(total, errors="coerce")
    return frame.drop(columns="scores_json")


def load_prescriptions(session: Session) -> pd.DataFrame:
    """One row per prescription series: first issued, first signed, latest re-test date.

    A series whose drafts were all withdrawn (superseded by corrected school results)
    without ever being signed is not work owed to anyone and is left out.
    """
    rows = session.execute(select(
        Prescription.series, Prescription.station_id, Prescription.patient_id,
        Prescription.version_no, Prescription.status, Prescription.created_at,
        Prescription.signed_at, Prescription.content_json)).all()
    frame = pd.DataFrame(rows, columns=["series", "station_id", "person_id", "version_no",
                                        "status", "issued_at", "signed_at", "content_json"])
    frame["retest_date"] = pd.to_datetime(_extract(
        frame["content_json"], "retest_date", r'"(\d{4}-\d{2}-\d{2})"'), errors="coerce")
    frame = frame.drop(columns="content_json").sort_values(["series", "version_no"])
    by = frame.groupby("series", sort=False)
    out = by.agg(station_id=("station_id", "first"), person_id=("person_id", "first"),
                 issued_at=("issued_at", "min"), signed_at=("signed_at", "min"),
                 retest_date=("retest_date", "last"),
                 withdrawn=("status", lambda s: bool((s == "superseded").all())))
    out = out[~(out["withdrawn"] & out["signed_at"].isna())].drop(columns="withdrawn")
    for col in ("issued_at", "signed_at"):
        out[col] = pd.to_datetime(out[col], utc=True).dt.tz_localize(None)
    return out.reset_index()


def _latest(tests: pd.DataFrame, standard: str) -> pd.DataFrame:
    part = tests[tests["standard"] == standard]
    return part.sort_values(["test_date", "assessment_id"]).drop_duplicates("person_id",
                                                                           keep="last")


def indicators(tests: pd.DataFrame, rx: pd.DataFrame, period: Period, name: str,
               level: str, station: str = "") -> Group:
    """Every indicator for one group's rows."""
    group = Group(level, name, station)
    group.kpis["physique_pass_share"] = physique_pass_share(_latest(tests, "physique"))
    group.kpis["student_good_excellent_share"] = student_good_excellent_share(
        _latest(tests, "student"))
    group.kpis["prescriptions_signed"] = prescriptions_signed(rx, start=period.start,
                                                              end=period.end)
    issued = rx[rx["issued_at"] >= pd.Timestamp(period.start)] if period.start else rx
    group.kpis["retests_done"] = retests_done(issued, tests, as_of=period.as_of)
    in_period = tests if period.start is None else tests[
        pd.to_datetime(tests["test_date"]) >= pd.Timestamp(period.start)]
    for key, standard in (("student_change", "student"), ("physique_change", "physique")):
        group.changes[key] = average_change(in_period[in_period["standard"] == standard],
                                            "total")
    return group


def dashboard(session: Session, period: Period) -> list[Group]:
    """The district first, then each station, then each school (ordered by name)."""
    tests = load_tests(session, period.end)
    rx = load_prescriptions(session)
    stations = dict(session.execute(select(Station.id, Station.name)).all())
    schools = session.execute(select(School.id, School.name, School.station_id)
                              .order_by(School.name)).all()
    groups = [indicators(tests, rx, period, "", "district")]
    for sid, sname in sorted(stations.items(), key=lambda kv: kv[1]):
        groups.append(indicators(tests[tests["station_id"] == sid],
                                 rx[rx["station_id"] == sid], period, sname, "station"))
    for school_id, school_name, station_id in schools:
        part = tests[tests["school_id"] == school_id]
        people = set(part["person_id"])
        groups.append(indicators(tests[tests["person_id"].isin(people)],
                                 rx[rx["person_id"].isin(people)], period, school_name,
                                 "school", stations.get(station_id, "")))
    return groups
