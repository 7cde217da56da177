"""The operations layer on every database (SQLite always, PostgreSQL when reachable):
optimistic locking under real concurrency, immutable signed versions, login throttling,
share links, tier reviews and the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest

from .support import (
    PASSWORD,
    insert_prescription,
    make_assessment,
    make_patient,
    make_people,
    sample_prescription,
)


@pytest.fixture
def db_app(make_app, db_url):
    app = make_app(db_url)
    with app.app_context():
        people = make_people()
    return app, people


def _edit(days=(3, 4), **kw):
    from web.review import ComponentEdit, ReviewEdit

    rx = sample_prescription()
    comps = [ComponentEdit(c["type"], tuple(c["days_per_week"]),
                           tuple(c["minutes_per_session"]), tuple(c["intensity"]))
             for c in rx["components"]]
    comps[0] = ComponentEdit("aerobic", days, (30, 60), ("light", "moderate"))
    defaults = {"intensity_cap": "moderate", "clearance_required": True,
                "kept_exclusions": {"heavy_valsalva_lifting"}}
    return ReviewEdit(components=comps, **{**defaults, **kw})


def test_a_concurrent_save_is_detected_even_between_check_and_write(db_app):
    """Two sessions read version 1; the second one's UPDATE finds the row changed."""
    from sqlalchemy.orm import Session

    from web.extensions import db
    from web.operations import StaleEditError
    from web.operations.prescriptions import review_draft
    from web.tables import Prescription, User

    app, people = db_app
    with app.app_context():
        rid = insert_prescription(make_assessment(make_patient(people.station_a,
                                                               people.doctor), people.doctor),
                                  people.doctor)
        with Session(db.engine) as first, Session(db.engine) as second:
            rx1, rx2 = first.get(Prescription, rid), second.get(Prescription, rid)
            assert rx1.lock_version == rx2.lock_version == 1
            review_draft(first, first.get(User, people.doctor), rx1, _edit((3, 4)), 1)
            first.commit()
            with pytest.raises(StaleEditError):
                review_draft(second, second.get(User, people.prescriber), rx2, _edit((5, 6)), 1)
            second.rollback()
        stored = db.session.get(Prescription, rid)
        assert stored.content["components"][0]["days_per_week"] == [3, 4]
        assert stored.lock_version == 2


def test_a_signed_version_cannot_be_changed_even_by_code(db_app):
    from web.extensions import db
    from web.operations.prescriptions import sign_prescription
    from web.tables import ImmutableRecordError, Prescription, User

    app, people = db_app
    with app.app_context():
        rid = insert_prescription(make_assessment(make_patient(people.station_a,
                                                               people.doctor), people.doctor),
                                  people.doctor)
        rx = db.session.get(Prescription, rid)
        sign_prescription(db.session, db.session.get(User, people.doctor), rx, 1, False)
        db.session.commit()
        rx.content = {**rx.content, "intensity_cap": "vigorous"}
        with pytest.raises(ImmutableRecordError):
            db.session.flush()
        db.session.rollback()
        rx = db.session.get(Prescription, rid)
        rx.status = "draft"
        with pytest.raises(ImmutableRecordError):
            db.session.flush()
        db.session.rollback()


def test_versions_of_a_series_are_numbered_and_superseded(db_app):
    from web.extensions import db
    from web.operations.prescriptions import sign_prescription, start_new_version
    from web.tables import Prescription, User

    app, people = db_app
    with app.app_context():
        doctor = db.session.get(User, people.doctor)
        rid = insert_prescription(make_assessment(make_patient(people.station_a,
                                                               people.doctor), people.doctor),
                                  people.doctor)
        v1 = db.session.get(Prescription, rid)
        sign_prescription(db.session, doctor, v1, v1.lock_version, False)
        v2 = start_new_version(db.session, doctor, v1)
        assert start_new_version(db.session, doctor, v1).id == v2.id  # one open draft
        sign_prescription(db.session, doctor, v2, v2.lock_version, False)
        v3 = start_new_version(db.session, doctor, v2)
        db.session.commit()
        rows = db.session.query(Prescription).order_by(Prescription.version_no).all()
        assert [(r.version_no, r.status) for r in rows] == [
            (1, "superseded"), (2, "signed"), (3, "draft")]
        assert v3.parent_id == v2.id
        assert v3.series == v1.series


def test_login_throttling_counts_failures_in_the_database(db_app):
    from web.extensions import db
    from web.operations import accounts

    app, _ = db_app
    window = dt.timedelta(minutes=15)
    with app.app_context():
        for _ in range(5):
            assert accounts.authenticate(db.session, "doctor", "nope-nope-1", "10.1.1.1",
                                         max_failures=5, window=window) is None
        db.session.commit()
        with pytest.raises(accounts.LoginLockedError):
            accounts.authenticate(db.session, "doctor", PASSWORD, "10.1.1.1", max_failures=5,
                                  window=window)
        assert accounts.authenticate(db.session, "doctor", PASSWORD, "10.1.1.2",
                                     max_failures=5, window=window) is not None


def test_a_success_resets_the_failure_count(db_app):
    from web.extensions import db
    from web.operations import accounts

    app, _ = db_app
    window = dt.timedelta(minutes=15)
    with app.app_context():
        for _ in range(4):
            accounts.authenticate(db.session, "doctor", "nope-nope-1", "10.1.1.1",
                                  max_failures=5, window=window)
        assert accounts.authenticate(db.session, "doctor", PASSWORD, "10.1.1.1",
                                     max_failures=5, window=window)
        for _ in range(4):
            accounts.authenticate(db.session, "doctor", "nope-nope-1", "10.1.1.1",
                                  max_failures=5, window=window)
        assert accounts.authenticate(db.session, "doctor", PASSWORD, "10.1.1.1",
                                     max_failures=5, window=window)


def test_share_links_expire_and_can_be_withdrawn(db_app):
    from web.extensions import db
    from web.operations import OperationError, sharing
    from web.operations.prescriptions import sign_prescription
    from web.tables import Prescription, User, utcnow

    app, people = db_app
    with app.app_context():
        doctor = db.session.get(User, people.doctor)
        rid = insert_prescription(make_assessment(make_patient(people.station_a,
                                                               people.doctor), people.doctor),
                                  people.doctor)
        rx = db.session.get(Prescription, rid)
        with pytest.raises(OperationError):
            sharing.create_share_link(db.session, doctor, rx, days=90)  # drafts are not shared
        sign_prescription(db.session, doctor, rx, 1, False)
        link = sharing.create_share_link(db.session, doctor, rx, days=90)
        db.session.commit()
        assert len(link.token) >= 43  # 32 random bytes, URL-safe
        assert sharing.resolve_token(db.session, link.token).id == link.id
        later = utcnow() + dt.timedelta(days=91)
        assert sharing.resolve_token(db.session, link.token, now=later) is None
        sharing.revoke_share_link(db.session, doctor, link)
        db.session.commit()
        assert sharing.resolve_token(db.session, link.token) is None
        assert sharing.resolve_token(db.session, link.token[:-1] + "x") is None


def test_tier_reviews_are_readable_with_the_contract_columns(db_app):
    """Model retraining reads tier_review by column name with SQLAlchemy Core."""
    import json

    from sqlalchemy import MetaData, Table, select

    from web.extensions import db
    from web.operations.prescriptions import record_tier_review
    from web.tables import Prescription, User

    app, people = db_app
    with app.app_context():
        rid = insert_prescription(make_assessment(make_patient(people.station_a,
                                                               people.doctor), people.doctor),
                                  people.doctor)
        record_tier_review(db.session, db.session.get(User, people.doctor),
                           db.session.get(Prescription, rid), 1)
        db.session.commit()
        table = Table("tier_review", MetaData(), autoload_with=db.engine)
        assert {c.name for c in table.columns} == {
            "id", "station_id", "assessment_id", "prescription_id", "reviewer_id",
            "model_version", "model_tier", "confirmed_tier", "features_json", "created_at"}
        with db.engine.connect() as conn:
            row = conn.execute(select(table)).mappings().one()
    assert row["confirmed_tier"] == 1
    assert row["model_tier"] == 2
    assert json.loads(row["features_json"])["vital_capacity_ml"] == 3100


def test_the_audit_trail_records_who_did_what(db_app):
    from web.extensions import db
    from web.operations.prescriptions import review_draft, sign_prescription
    from web.tables import AuditEvent, Prescription, User

    app, people = db_app
    with app.app_context():
        doctor = db.session.get(User, people.doctor)
        rid = insert_prescription(make_assessment(make_patient(people.station_a,
                                                               people.doctor), people.doctor),
                                  people.doctor)
        rx = db.session.get(Prescription, rid)
        review_draft(db.session, doctor, rx, _edit(), 1)
        sign_prescription(db.session, doctor, rx, rx.lock_version, False)
        db.session.commit()
        events = [(e.action, e.object_type, e.user_id) for e in
                  db.session.query(AuditEvent).order_by(AuditEvent.id)]
    assert ("created", "assessment", people.doctor) in events
    assert ("updated", "prescription", people.doctor) in events
    assert ("signed", "prescription", people.doctor) in events
