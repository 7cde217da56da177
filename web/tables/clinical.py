"""Patients and their assessments."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .accounts import Station, User
from .types import UTCDateTime, dump_json, load_json, utcnow


class Patient(db.Model):
    """A person seen at one station. ``record_no`` is the station's own record number
    (病历号/学籍号), never a national ID number."""

    __tablename__ = "patient"

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id"), index=True)
    record_no: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(100), index=True)
    sex: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[dt.date] = mapped_column(Date)
    phone: Mapped[str | None] = mapped_column(String(30), index=True)
    school_name: Mapped[str | None] = mapped_column(String(120))
    class_name: Mapped[str | None] = mapped_column(String(60))
    grade_code: Mapped[str | None] = mapped_column(String(2))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow,
                                                    onupdate=utcnow)
    lock_version: Mapped[int] = mapped_column(Integer, nullable=False)

    station: Mapped[Station] = relationship()
    created_by: Mapped[User] = relationship()
    assessments: Mapped[list[Assessment]] = relationship(
        back_populates="patient", order_by="Assessment.assessed_on",
        cascade="all, delete-orphan")

    __table_args__ = (UniqueConstraint("station_id", "record_no", name="uq_patient_record"),)
    __mapper_args__ = {"version_id_col": lock_version}

    def age_on(self, day: dt.date) -> float:
        """Exact age in years on ``day`` (days / 365.2425, as the scoring tables need)."""
        return (day - self.birth_date).days / 365.2425

    @property
    def is_student(self) -> bool:
        return bool(self.grade_code)


class Assessment(db.Model):
    """One visit's measurements, stored as vocabulary-named values (what the core parsed)."""

    __tablename__ = "assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id"), index=True)
    assessed_on: Mapped[dt.date] = mapped_column(Date)
    standard: Mapped[str | None] = mapped_column(String(20))
    values_json: Mapped[str] = mapped_column(Text)
    scores_json: Mapped[str | None] = mapped_column(Text)
    warnings_json: Mapped[str | None] = mapped_column(Text)
    # The clinician's own note (revision 2); never sent to the rule engine.
    notes: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow,
                                                    onupdate=utcnow)
    lock_version: Mapped[int] = mapped_column(Integer, nullable=False)

    patient: Mapped[Patient] = relationship(back_populates="assessments")
    created_by: Mapped[User] = relationship()

    __table_args__ = (Index("ix_assessment_patient_date", "patient_id", "assessed_on"),)
    __mapper_args__ = {"version_id_col": lock_version}

    @property
    def values(self) -> dict[str, Any]:
        return load_json(self.values_json, {})

    @values.setter
    def values(self, value: dict[str, Any]) -> None:
        self.values_json = dump_json(value)

    @property
    def scores(self) -> dict[str, Any]:
        return load_json(self.scores_json, {})

    @scores.setter
    def scores(self, value: dict[str, Any] | None) -> None:
        self.scores_json = None if value is None else dump_json(value)

    @property
    def warnings(self) -> list[dict[str, Any]]:
        return load_json(self.warnings_json, [])

    @warnings.setter
    def warnings(self, value: list[dict[str, Any]]) -> None:
        self.warnings_json = dump_json(value)
