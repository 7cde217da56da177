"""No patient data in the application's logs, whatever the log level."""

from __future__ import annotations

import logging

from .support import make_world

NAME = "欧阳秀英"
PHONE = "13987654321"


def test_a_whole_clinical_flow_logs_no_names_or_values(app, people, as_user, caplog,
                                                       monkeypatch):
    monkeypatch.setattr("web.plans.render_pdf", lambda item, lang, link: b"%PDF-1.7 stub")
    caplog.set_level(logging.DEBUG)  # the most talkative setting an operator could choose
    with app.app_context():
        make_world(people)
    doctor = as_user("doctor")
    created = doctor.post_form("/patients/new", {
        "record_no": "JM9001", "name": NAME, "sex": "F", "birth_date": "1957-04-18",
        "phone": PHONE})
    pid = int(created.headers["Location"].rstrip("/").split("/")[-1])
    saved = doctor.post_form(f"/assessments/new/{pid}", {
        "assessed_on": "2026-03-02", "height_cm": "157.3", "weight_kg": "66.4",
        "sbp_mmhg": "187", "dbp_mmhg": "97", "resting_hr_bpm": "77",
        "grip_strength_kg": "19.7", "conditions": ["E11"], "symptoms_text": "夜间阵发性呼吸困难"})
    assert saved.status_code == 302
    doctor.get(saved.headers["Location"])
    doctor.get(f"/patients/?q={NAME}")
    doctor.post_form(f"/assessments/new/{pid}", {"assessed_on": "2026-03-02",
                                                  "sbp_mmhg": "999"})
    logged = "\n".join(f"{r.name} {r.getMessage()} {r.args!r}" for r in caplog.records)
    for secret in (NAME, PHONE, "157.3", "66.4", "187", "19.7", "夜间阵发性呼吸困难", "999"):
        assert secret not in logged, f"{secret!r} appeared in the logs"
    assert any(r.name.startswith("web.") for r in caplog.records), "no app log at all?"


def test_sql_is_not_echoed_and_parameters_are_hidden(app):
    from web.extensions import db

    assert app.config["SQLALCHEMY_ECHO"] is False
    assert logging.getLogger("sqlalchemy.engine").level == logging.WARNING
    with app.app_context():
        assert db.engine.hide_parameters is True
