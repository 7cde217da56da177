"""Malformed plan data is refused with every problem named by its path."""

from __future__ import annotations

import pytest

from web.printing import PlanContextError, render_plan_pdf


def test_valid_context_has_no_problems(make_context, hypertensive_rx, beta_blocker_rx,
                                       deferred_rx, youth_rx):
    for rx in (hypertensive_rx, beta_blocker_rx, deferred_rx, youth_rx):
        assert make_context(rx).problems() == []


def test_every_problem_is_reported_with_its_field(app_ctx, make_context, hypertensive_rx):
    rx = hypertensive_rx
    rx["outcome"] = "maybe"
    rx["components"][0]["days_per_week"] = [5, 9]
    rx["components"][0]["rpe"] = [13, 12]
    rx["components"][0]["target_hr_bpm"] = "111-129"
    rx["components"][1]["intensity"] = ["moderate", "hard"]
    rx["components"][1]["activities"][0]["met"] = -1
    rx["precautions"][0]["text"] = {"fr": "attention"}
    rx["retest_date"] = "next spring"
    ctx = make_context(rx, lang="fr", patient_age_years=-3, qr_url="plans/p/abc",
                       progress=[{"date": "2026-03-01", "total": 20},
                                 {"date": "2025-01-01", "total": "high"}])
    with pytest.raises(PlanContextError) as caught:
        render_plan_pdf(ctx)
    problems = caught.value.problems
    expected = [
        "lang", "patient_age_years", "qr_url", "prescription.outcome",
        "prescription.components[0].days_per_week", "prescription.components[0].rpe",
        "prescription.components[0].target_hr_bpm", "prescription.components[1].intensity",
        "prescription.components[1].activities[0].met", "prescription.precautions[0].text",
        "prescription.retest_date", "progress[1].total", "progress: points must be ordered",
    ]
    for field in expected:
        assert any(p.startswith(field) for p in problems), (field, problems)
    assert len(problems) == len(expected)
    assert str(len(expected)) in str(caught.value)


def test_prescription_must_be_a_mapping(make_context):
    assert make_context(["not", "a", "dict"]).problems() == [
        "prescription: must be the prescription JSON object"]


def test_draft_and_student_flags(make_context, youth_rx):
    ctx = make_context(youth_rx, signed_at=None, school_name="东湖小学")
    assert ctx.is_draft
    assert ctx.is_student
    assert not make_context(youth_rx).is_draft
