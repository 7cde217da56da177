"""Prescriptions with their versions, override records, share links and tier reviews."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    inspect,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .accounts import User
from .clinical import Assessment, Patient
from .types import UTCDateTime, dump_json, load_json, utcnow

STATUSES = ("draft", "signed", "superseded")


class ImmutableRecordError(RuntimeError):
    """A signed prescription was about to be changed; a new version must be made instead."""


class Prescription(db.Model):
    """One version of a patient's prescription.

    ``proposed_json`` is what the assistant drafted and never changes; ``content_json`` is
    the reviewed plan. Signing freezes a version; a later change starts version n + 1 in
    the same ``series`` and the signed one becomes ``superseded`` when the new one is signed.
    ``lock_version`` is SQLAlchemy's version counter, echoed in forms for optimistic locking.
    """

    __tablename__ = "prescription"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id"), index=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id"), index=True)
    series: Mapped[str] = mapped_column(String(32), index=True)
    version_no: Mapped[int] = mapped_column(Integer)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("prescription.id"))
    status: Mapped[str] = mapped_column(String(12), default="draft")
    outcome: Mapped[str] = mapped_column(String(40))
    proposed_json: Mapped[str] = mapped_column(Text)
    content_json: Mapped[str] = mapped_column(Text)
    ruleset_name: Mapped[str] = mapped_column(String(80))
    ruleset_version: Mapped[str] = mapped_column(String(40))
    ruleset_hash: Mapped[str] = mapped_column(String(80))
    model_version: Mapped[str | None] = mapped_column(String(80))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow,
                                                    onupdate=utcnow)
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    signed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    lock_version: Mapped[int] = mapped_column(Integer, nullable=False)

    patient: Mapped[Patient] = relationship()
    assessment: Mapped[Assessment] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    signed_by: Mapped[User | None] = relationship(foreign_keys=[signed_by_id])
    overrides: Mapped[list[OverrideRecord]] = relationship(
        back_populates="prescription", order_by="OverrideRecord.id")

    __table_args__ = (
        UniqueConstraint("series", "version_no", name="uq_prescription_series_version"),
        CheckConstraint("status IN ('draft', 'signed', 'superseded')", name="status"),
    )
    __mapper_args__ = {"version_id_col": lock_version}

    @property
    def content(self) -> dict[str, Any]:
        return load_json(self.content_json, {})

    @content.setter
    def content(self, value: dict[str, Any]) -> None:
        self.content_json = dump_json(value)
        self.outcome = str(value.get("outcome", ""))

    @property
    def proposed(self) -> dict[str, Any]:
        return load_json(self.proposed_json, {})

    @property
    def is_editable(self) -> bool:
        return self.status == "draft"


# Columns a signed version may still change: superseding it, and SQLAlchemy's counters.
_SIGNED_MUTABLE = {"status", "lock_version", "updated_at", "updated_by_id"}


@event.listens_for(Prescription, "before_update")
def _refuse_changes_to_signed(mapper: Any, connection: Any, target: Prescription) -> None:
    """Signed versions are immutable: only ``signed → superseded`` is allowed."""
    state = inspect(target)
    status_hist = state.attrs.status.history
    before = (status_hist.deleted or status_hist.unchanged or [None])[0]
    if before not in ("signed", "superseded"):
        return
    changed = {a.key for a in state.attrs if a.history.has_changes()}
    if changed - _SIGNED_MUTABLE or (
        "status" in changed and not (before == "signed" and target.status == "superseded")
    ):
        raise ImmutableRecordError(
            f"prescription {target.id} is {before}; changes need a new version")


class OverrideRecord(db.Model):
    """A clinician relaxed something a safety rule set, with the written reason."""

    __tablename__ = "override_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    prescription_id: Mapped[int] = mapped_column(ForeignKey("prescription.id"), index=True)
    field: Mapped[str] = mapped_column(String(80))
    rule_ids: Mapped[str] = mapped_column(String(400), default="")
    old_value: Mapped[str] = mapped_column(Text)
    new_value: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    prescription: Mapped[Prescription] = relationship(back_populates="overrides")
    user: Mapped[User] = relationship()


class ShareLink(db.Model):
    """A read-only, expiring, revocable link to one signed prescription (the plan's QR)."""

    __tablename__ = "share_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    prescription_id: Mapped[int] = mapped_column(ForeignKey("prescription.id"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    prescription: Mapped[Prescription] = relationship()

    def is_valid(self, now: dt.datetime | None = None) -> bool:
        now = now or utcnow()
        return self.revoked_at is None and self.expires_at > now


class TierReview(db.Model):
    """A clinician's confirmation or correction of the model's fitness tier.

    The schema is a contract with model retraining (docs/ARCHITECTURE.md "Tier reviews"):
    ``web/fitness_reviews.py`` reads these columns by name with SQLAlchemy Core.
    """

    __tablename__ = "tier_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(Integer, index=True)
    assessment_id: Mapped[int] = mapped_column(Integer, index=True)
    prescription_id: Mapped[int | None] = mapped_column(Integer)
    reviewer_id: Mapped[int] = mapped_column(Integer)
    model_version: Mapped[str] = mapped_column(String(80))
    model_tier: Mapped[int | None] = mapped_column(Integer)
    confirmed_tier: Mapped[int] = mapped_column(Integer)
    features_json: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (
        CheckConstraint("confirmed_tier BETWEEN 1 AND 4", name="confirmed_tier"),
    )
