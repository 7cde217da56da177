"""Schools, classes, students and their yearly test results, linked to the clinical tables.

A student IS a patient of the station (``Student.patient_id``): the clinician pages, the
prescription review and the printed plan work on students unchanged. The school tables
add what only the school package needs:

* ``School`` and ``SchoolClass`` (one row per class per school year: 初一1班 of 2025 is
  not the same children as 初一1班 of 2026);
* ``Student``: the 学籍号 as TEXT (``student_no``; leading zeros are part of the number),
  unique per station, plus the template's own fields (民族代码, 家庭住址);
* ``StudentAssessment``: one per student per school year, pointing at the clinical
  ``Assessment`` that holds the values, with the screening result kept beside it so
  class queues, school reports and KPIs read one table instead of re-scoring;
* ``SchoolImport``: one uploaded set of files (who, when, which files with their hashes,
  what was created or left unchanged).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..tables import Assessment, Patient, Station, User
from ..tables.types import UTCDateTime, load_json, utcnow


class School(db.Model):
    """A school served by a station (a school clinic serves one; a community station may
    serve several)."""

    __tablename__ = "school"

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    station: Mapped[Station] = relationship()

    __table_args__ = (UniqueConstraint("station_id", "name", name="uq_school_station_name"),)


class SchoolClass(db.Model):
    """One class in one school year, keyed as the template keys it: 年级编号 + 班级编号."""

    __tablename__ = "school_class"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id"), index=True)
    school_year: Mapped[int] = mapped_column(Integer)
    grade_code: Mapped[str] = mapped_column(String(2))
    class_code: Mapped[str] = mapped_column(String(20))
    class_name: Mapped[str | None] = mapped_column(String(60))

    school: Mapped[School] = relationship()

    __table_args__ = (UniqueConstraint("school_id", "school_year", "grade_code", "class_code",
                                       name="uq_school_class_key"),)

    @property
    def label(self) -> str:
        return self.class_name or f"{self.grade_code}-{self.class_code}"


class Student(db.Model):
    """A pupil: the station's patient record plus the template's student fields."""

    __tablename__ = "student"

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), unique=True)
    student_no: Mapped[str] = mapped_column(String(40))
    ethnicity_code: Mapped[str | None] = mapped_column(String(4))
    address: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    patient: Mapped[Patient] = relationship()
    school: Mapped[School] = relationship()

    __table_args__ = (UniqueConstraint("station_id", "student_no", name="uq_student_number"),)


class SchoolImport(db.Model):
    """One confirmed upload: the files (names and SHA-256), the test day and the counts."""

    __tablename__ = "school_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    test_date: Mapped[dt.date] = mapped_column(Date)
    school_year: Mapped[int] = mapped_column(Integer)
    files_json: Mapped[str] = mapped_column(Text)
    draft_scope: Mapped[str] = mapped_column(String(10))
    n_rows: Mapped[int] = mapped_column(Integer)
    n_new_students: Mapped[int] = mapped_column(Integer)
    n_new_assessments: Mapped[int] = mapped_column(Integer)
    n_corrected: Mapped[int] = mapped_column(Integer)
    n_unchanged: Mapped[int] = mapped_column(Integer)
    n_drafts: Mapped[int] = mapped_column(Integer)

    school: Mapped[School] = relationship()
    created_by: Mapped[User] = relationship()

    @property
    def files(self) -> list[dict[str, Any]]:
        return load_json(self.files_json, [])


class StudentAssessment(db.Model):
    """A student's result for one school year and what the screening made of it.

    ``values_hash`` fingerprints the imported values: re-importing the same file finds the
    same hash and changes nothing; a corrected value gives a new assessment.
    """

    __tablename__ = "student_assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("student.id"), index=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("school_class.id"), index=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), unique=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("school_import.id"), index=True)
    school_year: Mapped[int] = mapped_column(Integer)
    tested_on: Mapped[dt.date] = mapped_column(Date)
    values_hash: Mapped[str] = mapped_column(String(20))
    total_score: Mapped[float | None] = mapped_column(Float)
    grade: Mapped[str | None] = mapped_column(String(10))
    bmi: Mapped[float | None] = mapped_column(Float)
    weight_status: Mapped[str | None] = mapped_column(String(12))
    screening_myopia: Mapped[bool | None] = mapped_column(Boolean)
    atr_band: Mapped[str | None] = mapped_column(String(12))
    scoliosis_positive: Mapped[bool | None] = mapped_column(Boolean)
    flagged: Mapped[bool] = mapped_column(Boolean)
    flag_reasons: Mapped[str] = mapped_column(String(80), default="")
    failing_items: Mapped[str] = mapped_column(String(200), default="")
    extra_json: Mapped[str | None] = mapped_column(Text)

    student: Mapped[Student] = relationship()
    school_class: Mapped[SchoolClass] = relationship()
    assessment: Mapped[Assessment] = relationship()

    __table_args__ = (
        UniqueConstraint("student_id", "school_year", name="uq_student_assessment_year"),
        Index("ix_student_assessment_year_class", "school_year", "class_id"),
    )

    @property
    def reasons(self) -> list[str]:
        return [r for r in (self.flag_reasons or "").split(";") if r]
