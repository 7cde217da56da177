"""Drafting, reviewing, signing and versioning prescriptions; tier reviews."""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from .. import review
from ..tables import Assessment, OverrideRecord, Prescription, TierReview, User, utcnow
from . import InvalidInputError, OperationError, StaleEditError, audit
from .assessments import parse_for

logger = logging.getLogger(__name__)


def draft_prescription(session: Session, actor: User, assessment: Assessment,
                       assistant: Any) -> Prescription:
    """Ask the assistant for a prescription from ``assessment`` and keep it as a draft.

    An open draft for the same assessment is returned instead of drafting twice.
    """
    existing = session.scalar(select(Prescription).where(
        Prescription.assessment_id == assessment.id, Prescription.status == "draft"))
    if existing is not None:
        return existing
    parsed = parse_for(assessment.patient, assessment.assessed_on, assessment.values)
    proposed = assistant.prescribe(parsed)
    provenance = proposed.get("provenance", {})
    ruleset = provenance.get("ruleset", {})
    item = Prescription(
        patient_id=assessment.patient_id, station_id=assessment.station_id,
        assessment_id=assessment.id, series=uuid.uuid4().hex, version_no=1, status="draft",
        proposed_json=json.dumps(proposed, ensure_ascii=False, sort_keys=True, default=str),
        ruleset_name=str(ruleset.get("name", "")), ruleset_version=str(ruleset.get("version", "")),
        ruleset_hash=str(ruleset.get("hash", "")),
        model_version=provenance.get("model_version") or None, created_by_id=actor.id)
    item.content = proposed
    session.add(item)
    session.flush()
    audit.record(session, actor, "created", "prescription", item.id,
                 station_id=item.station_id, detail="version 1")
    logger.info("prescription %s drafted from assessment %s (outcome %s)", item.id,
                assessment.id, item.outcome)
    return item


def recorded_overrides(item: Prescription) -> dict[str, str]:
    return {o.field: o.new_value for o in item.overrides}


def review_draft(session: Session, actor: User, item: Prescription, edit: review.ReviewEdit,
                 expected_version: int) -> list[review.Relaxation]:
    """Save the clinician's changes to a draft; returns the overrides recorded.

    :raise StaleEditError: someone saved the draft after this form was opened.
    :raise InvalidInputError: a bound is broken or an override lacks its reason.

    After ``StaleEditError`` the caller must roll the session back.
    """
    if not item.is_editable:
        raise OperationError("a signed prescription cannot be changed; start a new version")
    if item.lock_version != expected_version:
        raise StaleEditError("this draft was saved by someone else after you opened it")
    proposed = item.proposed
    problems = review.check_edit(proposed, edit)
    found = review.relaxations(proposed, edit)
    problems += review.missing_reasons(found, edit, recorded_overrides(item))
    if problems:
        raise InvalidInputError(problems)
    item.content = review.apply_edit(proposed, item.content, edit)
    item.updated_by_id = actor.id
    already = recorded_overrides(item)
    new = [r for r in found if already.get(r.field) != r.new_value]
    for relax in new:
        session.add(OverrideRecord(
            prescription_id=item.id, field=relax.field, rule_ids=",".join(relax.rule_ids),
            old_value=relax.old_value, new_value=relax.new_value,
            reason=edit.reasons[relax.field].strip(), user_id=actor.id))
    try:
        session.flush()
    except StaleDataError as exc:  # a concurrent commit between our read and this write
        raise StaleEditError("this draft was saved by someone else after you opened it") from exc
    audit.record(session, actor, "updated", "prescription", item.id, station_id=item.station_id,
                 detail=f"version {item.version_no}; {len(new)} override(s)")
    return new


def sign_prescription(session: Session, actor: User, item: Prescription,
                      expected_version: int, acknowledged_review: bool) -> Prescription:
    """Approve a draft: it becomes immutable; the series' previous signed version is
    superseded. Items the assistant flagged for review must be acknowledged first."""
    if item.status != "draft":
        raise OperationError("only a draft can be signed")
    if item.lock_version != expected_version:
        raise StaleEditError("this draft was saved by someone else after you opened it")
    if item.content.get("needs_review") and not acknowledged_review:
        raise OperationError("confirm that you reviewed the flagged items", "acknowledge")
    actor_id, now = actor.id, utcnow()
    # One flush for the whole transition: an autoflush half-way (e.g. on loading an expired
    # attribute) would write "signed" first and then trip the immutability guard.
    with session.no_autoflush:
        previous = session.scalars(select(Prescription).where(
            Prescription.series == item.series, Prescription.status == "signed")).all()
        for old in previous:
            old.status = "superseded"
        item.status = "signed"
        item.signed_by_id = actor_id
        item.signed_at = now
        item.updated_by_id = actor_id
    try:
        session.flush()
    except StaleDataError as exc:
        raise StaleEditError("this draft was saved by someone else after you opened it") from exc
    audit.record(session, actor, "signed", "prescription", item.id, station_id=item.station_id,
                 detail=f"version {item.version_no}")
    logger.info("prescription %s signed (version %s)", item.id, item.version_no)
    return item


def start_new_version(session: Session, actor: User, item: Prescription) -> Prescription:
    """A signed prescription is changed by drafting version n + 1 (overrides carried over)."""
    if item.status == "draft":
        return item
    open_draft = session.scalar(select(Prescription).where(
        Prescription.series == item.series, Prescription.status == "draft"))
    if open_draft is not None:
        return open_draft
    latest = session.scalar(select(Prescription).where(Prescription.series == item.series)
                            .order_by(Prescription.version_no.desc()).limit(1))
    new = Prescription(
        patient_id=item.patient_id, station_id=item.station_id,
        assessment_id=item.assessment_id, series=item.series,
        version_no=latest.version_no + 1, parent_id=latest.id, status="draft",
        proposed_json=item.proposed_json, ruleset_name=item.ruleset_name,
        ruleset_version=item.ruleset_version, ruleset_hash=item.ruleset_hash,
        model_version=item.model_version, created_by_id=actor.id)
    new.content = latest.content
    session.add(new)
    session.flush()
    for old in latest.overrides:
        session.add(OverrideRecord(prescription_id=new.id, field=old.field,
                                   rule_ids=old.rule_ids, old_value=old.old_value,
                                   new_value=old.new_value, reason=old.reason,
                                   user_id=old.user_id, created_at=old.created_at))
    session.flush()
    audit.record(session, actor, "created", "prescription", new.id, station_id=new.station_id,
                 detail=f"version {new.version_no} of prescription {latest.id}")
    return new


MODEL_FEATURES = ("age_years", "sex", "height_cm", "weight_kg", "body_fat_pct", "waist_cm",
                  "sbp_mmhg", "dbp_mmhg", "resting_hr_bpm", "vital_capacity_ml",
                  "grip_strength_kg", "sit_and_reach_cm", "sit_up_1min_count",
                  "push_up_count", "standing_long_jump_cm", "vertical_jump_cm",
                  "step_test_index", "one_leg_stand_eyes_closed_s", "choice_reaction_time_s")


def record_tier_review(session: Session, actor: User, item: Prescription,
                       confirmed_tier: int) -> TierReview:
    """Store the clinician's confirmation or correction of the fitness tier.

    ``features_json`` holds the assessment's values under vocabulary names, so model
    retraining can use the reviewed tier as a label (ARCHITECTURE "Tier reviews").
    """
    if confirmed_tier not in (1, 2, 3, 4):
        raise OperationError("the tier must be 1, 2, 3 or 4", "confirmed_tier")
    fitness = item.content.get("fitness") or {}
    parsed = parse_for(item.assessment.patient, item.assessment.assessed_on,
                       item.assessment.values).to_dict()
    features = {k: parsed[k] for k in MODEL_FEATURES if parsed.get(k) is not None}
    row = TierReview(
        station_id=item.station_id, assessment_id=item.assessment_id, prescription_id=item.id,
        reviewer_id=actor.id,
        model_version=str(fitness.get("model_version") or item.model_version or "none"),
        model_tier=fitness.get("tier") if fitness.get("source") == "model" else None,
        confirmed_tier=confirmed_tier,
        features_json=json.dumps(features, ensure_ascii=False, sort_keys=True))
    session.add(row)
    session.flush()
    audit.record(session, actor, "reviewed", "tier_review", row.id, station_id=item.station_id,
                 detail=f"prescription {item.id}")
    return row
