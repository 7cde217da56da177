"""Progress chart and QR code, outside the PDF."""

from __future__ import annotations

import io

import numpy as np
import pytest
import segno
from PIL import Image

from web.printing.charts import has_chart, progress_chart, progress_figure, score_axis_limit
from web.printing.qr import qr_png

POINTS = [
    {"date": "2024-10-12", "grade": "pass", "total": 66.4,
     "scores": {"bmi": 60, "run_50m_s": 66, "sit_and_reach_cm": 78}},
    {"date": "2025-10-09", "grade": "good", "total": 81.0,
     "scores": {"bmi": 80, "run_50m_s": 76, "sit_and_reach_cm": 80}},
]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_chart_png_at_print_resolution(app_ctx, lang):
    png = progress_chart(POINTS, lang)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.size[0] == pytest.approx(180 / 25.4 * 300, abs=2)
    assert image.convert("L").getextrema()[0] < 50  # black line and bars are drawn


def test_chart_labels_are_translated_and_cjk_renders(app_ctx):
    fig = progress_figure(POINTS, "zh")
    texts = [t.get_text() for ax in fig.axes for t in [ax.title, *ax.get_yticklabels()]]
    assert "历次测试总分" in texts
    assert "坐位体前屈" in texts
    assert "50米跑" in texts
    annotations = [c.get_text() for c in fig.axes[0].texts]
    assert annotations == ["66.4\n及格", "81\n良好"]


def test_chart_svg(app_ctx):
    svg = progress_chart(POINTS, "en", fmt="svg")
    assert svg.lstrip().startswith(b"<?xml")
    assert b"<svg" in svg
    with pytest.raises(ValueError, match="format"):
        progress_chart(POINTS, "en", fmt="gif")


def test_chart_needs_two_scored_points(app_ctx):
    one = [POINTS[0], {**POINTS[1], "total": None}]
    assert not has_chart(one)
    assert has_chart(POINTS)
    with pytest.raises(ValueError, match="two points"):
        progress_chart(one, "zh")


def test_score_axis_fits_both_standards():
    assert score_axis_limit(4) == pytest.approx(5.6)
    assert score_axis_limit(80) == 108
    assert score_axis_limit(120) == pytest.approx(132)


def test_qr_png_is_one_bit_with_quiet_zone():
    url = "https://plans.example-station.cn/p/kQ7vX2mN9sLw4RtY"
    image = Image.open(io.BytesIO(qr_png(url)))
    modules = segno.make(url, error="m", micro=False).symbol_size(scale=1, border=4)[0]
    assert image.size == (modules * 8, modules * 8)
    pixels = np.asarray(image.convert("L"))
    assert set(np.unique(pixels)) == {0, 255}
    assert (pixels[:32, :32] == 255).all()  # 4-module white border
