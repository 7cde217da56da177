"""Authoring pages: access, seeding, structured editing, gate, publication, roll-back."""

from __future__ import annotations

from web.extensions import db
from web.ruleset_authoring import operations as ops

BASE = "/rulesets/mini"


def test_only_prescribers_open_the_authoring_pages(app, as_user):
    assert app.test_client().get("/rulesets/").status_code == 302  # login first
    assert as_user("doctor").get("/rulesets/").status_code == 403
    assert as_user("admin").get("/rulesets/").status_code == 403
    page = as_user("prescriber").text("/rulesets/")
    assert "mini" in page


def test_first_visit_seeds_the_shipped_rule_set_as_version_1(app, as_user):
    as_user("prescriber").text("/rulesets/")
    with app.app_context():
        version = ops.current_version(db.session, "mini")
        assert (version.number, version.version, version.kind) == (1, "1.0", "seed")
        events = ops.history(db.session, "mini")
        assert [e.action for e in events] == ["seeded"]


def test_every_page_renders_for_a_prescriber(app, as_user):
    client = as_user("prescriber")
    for url in ("/rulesets/", f"{BASE}/", f"{BASE}/draft/rules", f"{BASE}/draft/cases",
                f"{BASE}/draft/text", f"{BASE}/versions/1/", f"{BASE}/draft/rules/bp-sys-grade2",
                f"{BASE}/draft/rules/new", f"{BASE}/draft/cases/htn-grade2",
                f"{BASE}/draft/cases/new", f"{BASE}/draft/publish", f"{BASE}/draft/impact",
                f"{BASE}/draft/upload", f"{BASE}/diff?from=1&to=draft"):
        page = client.text(url)
        assert "</html>" in page
