"""Print: the PDF comes from web.printing with the patient's data, an embedded CJK font,
and, for a signed plan, a QR code pointing at a share link."""

from __future__ import annotations

import io

import pytest

from .conftest import csrf_token
from .support import make_world

pytest.importorskip("web.printing", reason="the printed plan (web.printing) is not built")
pypdf = pytest.importorskip("pypdf")


def _fonts(reader) -> list[dict]:
    fonts = []
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            fonts.append(target.get("/FontDescriptor", {}))
    return fonts


def test_printing_a_signed_plan_returns_the_pdf_with_a_share_link(app, people, as_user):
    from web.extensions import db
    from web.tables import AuditEvent, ShareLink

    with app.app_context():
        world = make_world(people)
    doctor = as_user("doctor")
    page = doctor.get(f"/prescriptions/{world.signed}").get_data(as_text=True)
    response = doctor.client.post(f"/prescriptions/{world.signed}/print",
                                  data={"csrf_token": csrf_token(page), "lang": "zh"})
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    text = "".join(p.extract_text() for p in reader.pages).replace("\x00", "")
    assert "张建国" in text
    assert "运动" in text
    descriptors = [d for d in _fonts(reader) if d]
    assert any(("/FontFile2" in d or "/FontFile3" in d or "/FontFile" in d)
               for d in descriptors), "no embedded font"
    with app.app_context():
        assert db.session.query(AuditEvent).filter_by(action="printed").count() == 1
        assert db.session.query(ShareLink).count() == 1  # the existing link is reused


def test_a_draft_prints_in_english_without_a_share_link(app, people, as_user):
    from web.extensions import db
    from web.tables import ShareLink

    with app.app_context():
        world = make_world(people)
    doctor = as_user("doctor")
    page = doctor.get(f"/prescriptions/{world.draft}").get_data(as_text=True)
    response = doctor.client.post(f"/prescriptions/{world.draft}/print",
                                  data={"csrf_token": csrf_token(page), "lang": "en"})
    assert response.status_code == 200
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.data)).pages)
    text = text.replace("\x00", "")
    assert "DRAFT" in text.upper()
    with app.app_context():
        assert db.session.query(ShareLink).count() == 1  # only make_world's link
