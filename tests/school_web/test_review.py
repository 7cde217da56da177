"""Flagged students, batch drafts and the class review queue."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select


def _queue(app, class_id):
    from web.extensions import db
    from web.school import operations
    from web.school.tables import SchoolClass

    with app.app_context():
        rows = operations.class_queue(db.session, db.session.get(SchoolClass, class_id))
        return [(r.result.student.student_no, r.prescription.id if r.prescription else None,
                 r.prescription.status if r.prescription else None, list(r.reasons),
                 r.result.flagged) for r in rows]


def test_batch_drafts_are_what_the_single_path_gives(app, imported, assistant):
    """The import drafts through Assistant.prescribe_frame; a clinician re-drafting one
    student from the stored assessment (parse_for → prescribe) must get the same plan."""
    from web.extensions import db
    from web.operations.assessments import parse_for
    from web.tables import Prescription

    keys = ("outcome", "intensity_cap", "clearance", "referrals", "components", "excluded",
            "needs_review", "precautions", "education", "weekly_minutes", "retest_date")
    derived = ("age_group", "bmi", "bmi_class", "screening_myopia", "atr_band",
               "scoliosis_screen_positive", "student_grade", "weakest_items", "fitness_tier")
    with app.app_context():
        drafts = db.session.scalars(select(Prescription).order_by(Prescription.id)).all()
        assert len(drafts) > 60
        for item in drafts:
            a = item.assessment
            single = assistant.prescribe(parse_for(a.patient, a.assessed_on, a.values))
            batch = item.content
            assert {k: batch.get(k) for k in keys} == {k: single.get(k) for k in keys}, \
                a.patient.record_no
            assert {k: batch["facts"].get(k) for k in derived} == {
                k: single["facts"].get(k) for k in derived}
            assert item.proposed == batch
            assert item.status == "draft"


def test_the_flagged_list_names_each_reason_and_filters_by_one(app, imported, as_user):
    from web.extensions import db
    from web.school.tables import StudentAssessment

    doctor = as_user("doctor")
    with app.app_context():
        results = db.session.scalars(select(StudentAssessment)).all()
        flagged = [r for r in results if r.flagged]
        myopic = [r for r in flagged if "screening_myopia" in r.reasons]
        names = {r.student.patient.name for r in flagged}
    assert 0 < len(myopic) < len(flagged) < len(results)
    page = doctor.get(f"/school/{imported.school}/flagged").get_data(as_text=True)
    assert f"共 {len(flagged)} 名学生" in page
    assert all(name in page for name in names)
    assert "筛查性近视" in page
    assert "超重" in page
    page = doctor.get(f"/school/{imported.school}/flagged?reason=screening_myopia")
    assert f"共 {len(myopic)} 名学生" in page.get_data(as_text=True)
    assert doctor.get(f"/school/{imported.school}/flagged?reason=bogus").status_code == 404


def test_the_queue_puts_flagged_and_safety_drafts_apart(app, imported, as_user):
    for class_id in imported.classes.values():
        rows = _queue(app, class_id)
        for _no, _rx, status, reasons, flagged in rows:
            assert status == "draft"
            assert bool(reasons) >= flagged  # every flagged student is reviewed alone
        assert any(not r[3] for r in rows)
        assert any(r[3] for r in rows)
    class_id = imported.classes["四年级2班"]
    page = as_user("doctor").get(f"/school/classes/{class_id}").get_data(as_text=True)
    routine = [r for r in _queue(app, class_id) if not r[3]]
    assert f"批准全部 {len(routine)} 份常规草稿" in page


def _approve(client, class_id, expected=None):
    url = f"/school/classes/{class_id}"
    page = client.get(url).get_data(as_text=True)
    if expected is None:
        expected = re.search(r'id="expected" name="expected" type="hidden" value="([^"]*)"',
                             page).group(1)
    return client.form(url, url + "/approve", {"expected": expected})


def test_approving_the_class_signs_every_routine_draft_and_nothing_else(app, imported,
                                                                        as_user):
    from web.extensions import db
    from web.tables import AuditEvent, Prescription

    class_id = imported.classes["初一1班"]
    before = _queue(app, class_id)
    response = _approve(as_user("prescriber"), class_id)
    assert response.status_code == 302
    after = {r[0]: r for r in _queue(app, class_id)}
    for no, rx, _status, reasons, _flagged in before:
        assert after[no][1] == rx
        assert after[no][2] == ("draft" if reasons else "signed")
    with app.app_context():
        signed = db.session.scalars(select(Prescription).where(
            Prescription.status == "signed")).all()
        assert {p.signed_by.username for p in signed} == {"prescriber"}
        events = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "signed")).all()
        assert len(events) == len(signed) == sum(not r[3] for r in before)
    # nothing left to approve: a second click changes nothing
    again = _approve(as_user("doctor"), class_id, expected="")
    assert again.status_code == 302
    assert {r[0]: r[2] for r in _queue(app, class_id)} == {k: v[2] for k, v in after.items()}


def test_a_queue_that_changed_since_it_was_opened_signs_nothing(app, imported, as_user):
    class_id = imported.classes["四年级2班"]
    doctor = as_user("doctor")
    page = doctor.get(f"/school/classes/{class_id}").get_data(as_text=True)
    expected = re.search(r'name="expected" type="hidden" value="([^"]*)"', page).group(1)
    pairs = expected.split(",")
    for stale in (",".join(pairs[1:]),                                   # one draft unseen
                  ",".join([pairs[0].split(":")[0] + ":99", *pairs[1:]])):  # edited since
        response = _approve(doctor, class_id, expected=stale)
        assert response.status_code == 302
        assert all(r[2] == "draft" for r in _queue(app, class_id))
        assert "未签署任何处方" in doctor.get(response.headers["Location"]).get_data(
            as_text=True)
    assert _approve(doctor, class_id, expected="12:x").status_code == 400


def _review_form(page: str) -> dict[str, str]:
    """The review form's fields as the browser would send them unchanged."""
    data = {name: value for name, value in re.findall(
        r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page) if name != "csrf_token"}
    data = {k: v for k, v in data.items() if not k.startswith("keep__")}
    for tag in re.findall(r'<input[^>]*name="keep__[^"]+"[^>]*>', page):
        if " checked" in tag:  # a kept exclusion is a ticked box
            data[re.search(r'name="([^"]+)"', tag).group(1)] = "y"
    for name in re.findall(r'<select[^>]*name="([^"]+)"', page):
        block = re.search(rf'<select[^>]*name="{name}".*?</select>', page, re.S).group(0)
        chosen = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" '
                           r'selected', block)
        data[name] = next(g for g in chosen.groups() if g is not None) if chosen else ""
    return data


@pytest.mark.parametrize("reason", ["", "专科医生评估后同意较大强度"])
def test_a_flagged_draft_is_reviewed_with_the_adult_override_rules(app, imported, as_user,
                                                                   reason):
    """Raising a flagged student's aerobic intensity above the assistant's proposal is an
    override: without a written reason it is refused, with one it is recorded (the single
    prescription review of the adult flow), and the draft can then be signed."""
    from web.extensions import db
    from web.school.tables import StudentAssessment
    from web.tables import OverrideRecord, Prescription

    with app.app_context():
        flagged = {r.assessment_id for r in db.session.scalars(select(StudentAssessment))
                   if r.flagged}
        item = next(p for p in db.session.scalars(select(Prescription))
                    if p.assessment_id in flagged and any(
                        c["type"] == "aerobic" and c["intensity"][-1] != "near_maximal"
                        for c in p.content["components"]))
        rx_id = item.id
    doctor = as_user("doctor")
    url = f"/prescriptions/{rx_id}/review"
    data = _review_form(doctor.get(url).get_data(as_text=True))
    assert "aerobic__int_hi" in data
    data["aerobic__int_hi"] = "near_maximal"
    data["reason__component__aerobic__intensity"] = reason
    response = doctor.form(url, url, data)
    with app.app_context():
        overrides = db.session.scalars(select(OverrideRecord)).all()
        content = db.session.get(Prescription, rx_id).content
    if not reason:
        assert response.status_code == 400
        assert "请填写放宽理由" in response.get_data(as_text=True)
        assert overrides == []
        assert content == item.content
        return
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    assert [(o.field, o.reason) for o in overrides] == [
        ("component:aerobic:intensity", reason)]
    aerobic = next(c for c in content["components"] if c["type"] == "aerobic")
    assert aerobic["intensity"][-1] == "near_maximal"
    page = doctor.get(f"/prescriptions/{rx_id}").get_data(as_text=True)
    lock = re.search(r'name="lock_version" type="hidden" value="(\d+)"', page).group(1)
    doctor.form(f"/prescriptions/{rx_id}", f"/prescriptions/{rx_id}/sign",
                {"lock_version": lock, "acknowledge": "y"})
    with app.app_context():
        assert db.session.get(Prescription, rx_id).status == "signed"
