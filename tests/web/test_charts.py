"""The progress chart: inline SVG drawn on the server."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from web.charts import comparable_points, progress_chart

POINTS = [
    {"date": "2025-09-01", "grade": "pass", "total": 18, "standard": "physique",
     "scores": {"vital_capacity_ml": 3, "grip_strength_kg": 2}},
    {"date": "2026-01-10", "grade": "good", "total": 22, "standard": "physique",
     "scores": {"vital_capacity_ml": 4, "grip_strength_kg": 3}},
    {"date": "2026-05-02", "grade": "good", "total": 24, "standard": "physique",
     "scores": {"vital_capacity_ml": 4, "grip_strength_kg": 4}},
]
SVG = "{http://www.w3.org/2000/svg}"


def test_one_assessment_draws_no_chart(app):
    with app.test_request_context():
        assert progress_chart(POINTS[:1]) is None


def test_the_chart_has_a_line_per_item_and_the_grade_under_each_date(app):
    with app.test_request_context():
        svg = str(progress_chart(POINTS))
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    lines = root.findall(f"{SVG}polyline")
    assert len(lines) == 2
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"2025-09-01", "2026-01-10", "2026-05-02"} <= set(texts)
    assert texts.count("良好") == 2
    assert "及格" in texts
    # the grip line climbs: later points are drawn higher (smaller y)
    grip = [line for line in lines if line.get("stroke")][1].get("points").split()
    ys = [float(p.split(",")[1]) for p in grip]
    assert ys[0] > ys[-1]
    titles = [t.text for t in root.iter(f"{SVG}title")]
    assert any("2026-05-02: 4" in (t or "") for t in titles)


def test_scores_from_different_standards_are_not_mixed():
    child = {**POINTS[0], "standard": "student", "scores": {"run_50m_s": 76}}
    assert comparable_points([child, *POINTS[1:]]) == POINTS[1:]


def test_text_is_escaped(app):
    odd = [{**p, "scores": {"<script>": 3}} for p in POINTS]
    with app.test_request_context():
        assert "<script>" not in str(progress_chart(odd))
