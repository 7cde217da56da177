"""Testing, publishing (blocked and passed), roll-back, upload/download, cases, impact."""

from __future__ import annotations

import io
import zipfile

import pytest
import yaml

from prescribe.authoring import editing
from web.clinic import get_clinic
from web.extensions import db
from web.ruleset_authoring import current_assistant
from web.ruleset_authoring import operations as ops
from web.ruleset_authoring.tables import ImmutableVersionError, RulesetDraft, RulesetVersion

BASE = "/rulesets/mini"


def edit_draft(app, change):
    """Change the draft's files directly (the form path is tested in test_editing_pages)."""
    with app.app_context():
        draft = ops.get_draft(db.session, "mini")
        draft.files = change(draft.files)
        db.session.commit()


def versions(app):
    with app.app_context():
        return [(v.number, v.version, v.kind) for v in ops.all_versions(db.session, "mini")]


def test_publication_blocked_by_a_failing_golden_case_names_case_and_expectation(app,
                                                                                  as_user):
    client = as_user("prescriber")
    client.text(f"{BASE}/")
    edit_draft(app, lambda f: editing.set_rule_value(
        f, "bp-sys-grade2", "then[1].cap_intensity.level", "vigorous"))
    response = client.post(f"{BASE}/draft/publish", {"note": "relax the grade-2 cap"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    table = page[page.index('class="case-failures"'):]
    assert "htn-grade2" in table
    assert "intensity_cap" in table
    assert "&#39;moderate&#39;" in table or "moderate" in table
    assert versions(app) == [(1, "1.0", "seed")]
    with app.app_context():
        assert "publication blocked by the gate" in [e.detail for e in
                                                     ops.history(db.session, "mini")]


def test_publication_blocked_by_a_planted_band_gap(app, as_user):
    client = as_user("prescriber")
    client.text(f"{BASE}/")
    edit_draft(app, lambda f: editing.set_rule_value(f, "bp-sys-grade1", "when.value",
                                                     [141, 159]))
    response = client.post(f"{BASE}/draft/publish", {"note": "grade 1 from 141"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'class="lint-error"' in page
    assert "no rule covers 140" in page
    assert versions(app) == [(1, "1.0", "seed")]


def test_publishing_makes_the_next_prescriptions_use_the_new_version(app, as_user):
    client = as_user("prescriber")
    client.text(f"{BASE}/")
    edit_draft(app, lambda f: editing.set_rule_value(
        editing.set_rule_value(f, "bp-sys-grade2", "when.value", [165, 179]),
        "bp-sys-grade1", "when.value", [140, 164]))
    test_page = client.post(f"{BASE}/", {}, action=f"{BASE}/draft/test").get_data(as_text=True)
    assert "The gate passes" in test_page or "通过" in test_page
    response = client.post(f"{BASE}/draft/publish", {"note": "grade 2 from 165 mmHg"})
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    assert versions(app) == [(2, "1.1", "publish"), (1, "1.0", "seed")]
    with app.app_context():
        published = ops.current_version(db.session, "mini")
        meta = yaml.safe_load(published.files["ruleset.yaml"])
        assert meta["changelog"][-1]["note"] == "grade 2 from 165 mmHg"
        assert meta["changelog"][-1]["author"] == "李运动处方师"
        assistant = current_assistant(db.session)
        assert (assistant.ruleset.version, assistant.ruleset.hash) == (
            "1.1", published.content_hash)
        assert get_clinic().assistant is assistant
        rx = assistant.prescribe({"sex": "M", "age_years": 56, "sbp_mmhg": 162,
                                  "dbp_mmhg": 88})
        assert rx["outcome"] == "prescription"
        assert rx["provenance"]["ruleset"]["version"] == "1.1"
        draft = db.session.query(RulesetDraft).one()
        assert draft.base_version_id == published.id
        assert [e.action for e in ops.history(db.session, "mini")][:2] == ["published",
                                                                           "tested"]


def test_roll_back_republishes_the_old_rules_as_a_new_version(app, as_user):
    client = as_user("prescriber")
    client.text(f"{BASE}/")
    edit_draft(app, lambda f: editing.set_rule_value(
        editing.set_rule_value(f, "bp-sys-grade2", "when.value", [165, 179]),
        "bp-sys-grade1", "when.value", [140, 164]))
    client.post(f"{BASE}/draft/publish", {"note": "grade 2 from 165"})
    response = client.post(f"{BASE}/", {"note": "station asked for the old threshold"},
                           action=f"{BASE}/versions/1/rollback")
    assert response.status_code == 302
    assert versions(app)[0] == (3, "1.2", "rollback")
    with app.app_context():
        v1, v3 = (ops.get_version(db.session, "mini", n) for n in (1, 3))
        assert v3.files["screening.yaml"] == v1.files["screening.yaml"]
        assert v3.rolled_back_to == 1
        assert current_assistant(db.session).ruleset.version == "1.2"
        assert db.session.query(RulesetDraft).one().base_version_id == v3.id


def test_published_versions_are_immutable(app, as_user):
    as_user("prescriber").text(f"{BASE}/")
    with app.app_context():
        version = db.session.query(RulesetVersion).one()
        version.note = "rewritten history"
        with pytest.raises(ImmutableVersionError, match="publish a new version"):
            db.session.flush()
        db.session.rollback()


def test_download_and_upload_round_trip_through_the_same_checks(app, as_user):
    client = as_user("prescriber")
    data = client.get(f"{BASE}/versions/1/download").data
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert "mini/ruleset.yaml" in names
    assert "mini/cases/core.yaml" in names
    # a prescriber edits a threshold offline and uploads the archive
    files = {n.split("/", 1)[1]: zipfile.ZipFile(io.BytesIO(data)).read(n).decode()
             for n in names}
    files["screening.yaml"] = files["screening.yaml"].replace("[160, 179]", "[160, 180]")
    files["screening.yaml"] = files["screening.yaml"].replace('op: ">=", value: 180',
                                                              'op: ">", value: 180')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(f"mini/{name}", text)
    response = client.post(f"{BASE}/draft/upload",
                           {"archive": (io.BytesIO(buffer.getvalue()), "mini.zip")},
                           content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    with app.app_context():
        assert "[160, 180]" in db.session.query(RulesetDraft).one().files["screening.yaml"]


def test_a_bad_upload_lists_every_problem_and_keeps_the_draft(app, as_user):
    client = as_user("prescriber")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mini/ruleset.yaml", "name: mini\nversion: '9'\n")
        archive.writestr("mini/../evil.yaml", "rules: []\n")
        archive.writestr("mini/x.yaml", "rules:\n  - id: a\n    kind: screening\n")
    response = client.post(f"{BASE}/draft/upload",
                           {"archive": (io.BytesIO(buffer.getvalue()), "mini.zip")},
                           content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert "不是规则集文件" in page  # zh: "not a rule-set file"
    response = client.post(f"{BASE}/draft/upload", {"archive": (io.BytesIO(
        b"not a zip"), "mini.zip")}, content_type="multipart/form-data")
    assert "不是 ZIP 文件" in response.get_data(as_text=True)
