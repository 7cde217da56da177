"""What a printed plan needs: the prescription plus who, where and when.

``PlanContext`` is the contract between the web app (which owns patients, stations,
signatures and share links) and the printer. It is plain data so the web app can build it
from its database rows and tests can build it by hand. It is checked when a render
function runs, so a class PDF reports the problems of every student at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from .validation import is_number, parse_day, prescription_problems, progress_problems

LANGS = ("zh", "en")
SEXES = ("M", "F")


@dataclass(frozen=True)
class PlanContext:
    """Everything printed on one patient's (or one student's) plan.

    ``patient_ref`` is the station's record number, never a national ID: the plan leaves
    the clinic. ``signed_at`` is ``None`` for an unsigned draft, which prints a DRAFT
    watermark on every page. ``progress`` holds earlier test results, oldest first, each
    ``{date, grade, total, scores: {item: score}}``; two or more points print a chart.
    ``qr_expires_on`` (optional) is when the share link behind ``qr_url`` stops working,
    printed under the QR code so a patient knows the online copy is temporary.
    """

    lang: str
    station_name: str
    clinician_name: str
    patient_name: str
    patient_sex: str
    patient_age_years: float
    patient_ref: str
    issued_on: date
    prescription: Mapping[str, Any]
    signed_at: datetime | None = None
    version: int = 1
    qr_url: str | None = None
    progress: list[Mapping[str, Any]] = field(default_factory=list)
    school_name: str | None = None
    class_name: str | None = None
    qr_expires_on: date | None = None

    @property
    def is_draft(self) -> bool:
        """An unsigned plan is a draft: it must not be mistaken for the final plan."""
        return self.signed_at is None

    @property
    def is_student(self) -> bool:
        return bool(self.school_name or self.class_name)

    def problems(self, where: str = "") -> list[str]:
        """Every problem in this context, each prefixed with its field path."""
        p = where
        out: list[str] = []
        if self.lang not in LANGS:
            out.append(f"{p}lang: {self.lang!r} is not one of {', '.join(LANGS)}")
        for name in ("station_name", "clinician_name", "patient_name", "patient_ref"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                out.append(f"{p}{name}: must be a non-empty text")
        if self.patient_sex not in SEXES:
            out.append(f"{p}patient_sex: {self.patient_sex!r} is not one of M, F")
        age = self.patient_age_years
        if not is_number(age) or not 0 < float(age) < 120:
            out.append(f"{p}patient_age_years: must be a number of years between 0 and 120")
        if not isinstance(self.issued_on, date):
            out.append(f"{p}issued_on: must be a date")
        if self.signed_at is not None and not isinstance(self.signed_at, datetime):
            out.append(f"{p}signed_at: must be a datetime or None")
        if isinstance(self.version, bool) or not isinstance(self.version, int) or self.version < 1:
            out.append(f"{p}version: must be a whole number ≥ 1")
        if self.qr_url is not None and not (
            isinstance(self.qr_url, str) and self.qr_url.startswith(("https://", "http://"))
        ):
            out.append(f"{p}qr_url: must be an absolute http(s) URL or None")
        if self.qr_expires_on is not None and not isinstance(self.qr_expires_on, date):
            out.append(f"{p}qr_expires_on: must be a date or None")
        for name in ("school_name", "class_name"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, str):
                out.append(f"{p}{name}: must be a text or None")
        out += prescription_problems(self.prescription, f"{p}prescription")
        out += progress_problems(self.progress, f"{p}progress")
        return out


def progress_dates(progress: list[Mapping[str, Any]]) -> list[date]:
    """The progress points' dates as ``date`` objects (already validated)."""
    return [parse_day(point["date"]) for point in progress]
