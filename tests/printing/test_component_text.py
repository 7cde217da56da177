"""Wording of one component's FITT-VP rows (no PDF needed)."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from web.printing.components import (
    activities_text,
    component_rows,
    phase_text,
    pulse_count_10s,
    weeks_text,
)


@pytest.mark.parametrize(("bpm", "count"), [((111, 129), (19, 21)), ((120, 150), (20, 25)),
                                            ((100, 101), (17, 16))])
def test_ten_second_count_is_rounded_inwards(bpm, count):
    assert pulse_count_10s(bpm) == count


def test_weeks_and_phases(app_ctx):
    with force_locale("zh"):
        assert weeks_text([1, 4]) == "第1–4周"
        assert weeks_text([9, None]) == "第9周起"
        assert weeks_text([3, 3]) == "第3周"
        # a note that already names its weeks is not prefixed twice
        assert phase_text({"weeks": [1, 4], "note": {"zh": "第1–4周：慢慢开始", "en": "x"}},
                          "zh") == "第1–4周：慢慢开始"
        assert phase_text({"weeks": [5, None], "note": {"zh": "加量", "en": "x"}},
                          "zh") == "第5周起：加量"
    with force_locale("en"):
        assert weeks_text([9, None]) == "From week 9"
        assert phase_text({"weeks": [1, 2], "note": {"zh": "x", "en": "Go slow"}},
                          "en") == "Weeks 1–2: Go slow"


def test_activities_keep_the_met_kind():
    acts = [{"code": "rope", "name_zh": "跳绳", "name_en": "Rope skipping", "met": 7.2,
             "met_kind": "METy"},
            {"code": "walk", "name_zh": "快走", "name_en": "Brisk walking", "met": None}]
    assert activities_text(acts, "zh") == "跳绳（7.2 METy）、快走"
    assert activities_text(acts, "en") == "Rope skipping (7.2 METy); Brisk walking"


def test_rows_without_content_are_left_out(app_ctx, hypertensive_rx):
    flexibility = hypertensive_rx["components"][2]
    with force_locale("en"):
        labels = [label for label, _ in component_rows(flexibility, {}, "en")]
    assert labels == ["How often", "How long", "How hard", "Sets and repetitions",
                      "What to do", "Progression"]
