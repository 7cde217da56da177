"""Grades and weakest items, column-wise: the same as a per-child sort and as the scorer."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prescribe.assistant import Assistant
from prescribe.engine.columns import CatCol
from prescribe.engine.grades import _weakest_column, weakest_codes
from prescribe.school.synthetic import synthetic_students
from prescribe.standards import score_frame
from prescribe.vocabulary import ITEM_CODES

SCORED = ("run_50m_s", "sit_and_reach_cm", "vital_capacity_ml", "sit_up_1min_count",
          "rope_skip_1min_count", "pull_up_count")
SCORE = st.one_of(st.none(), st.sampled_from([0, 10, 40, 59, 60, 61, 78, 100]))


def naive_weakest(row: dict[str, float | None], below: float) -> tuple[str, ...]:
    """The definition, child by child: items below a pass, lowest first, ties in vocabulary
    order, at most three."""
    weak = sorted((score, ITEM_CODES.index(item)) for item, score in row.items()
                  if score is not None and score < below)
    return tuple(ITEM_CODES[j] for _, j in weak[:3])


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.fixed_dictionaries({item: SCORE for item in SCORED}),
                     min_size=1, max_size=60))
def test_weakest_items_match_a_per_child_sort(rows):
    frame = pd.DataFrame({f"score_{item}": pd.array([r[item] for r in rows], dtype="Int64")
                          for item in SCORED})
    frame["score_bmi"] = pd.array([50] * len(rows), dtype="Int64")  # not a test item
    got = _weakest_column(weakest_codes(frame, 60)).decoded()
    assert got == [naive_weakest(r, 60) for r in rows]


def test_physique_points_use_their_own_pass_mark():
    frame = pd.DataFrame({"score_grip_strength_kg": [1.0, 3.0, np.nan],
                          "score_sit_and_reach_cm": [2.0, 2.0, 1.0]})
    got = _weakest_column(weakest_codes(frame, 3)).decoded()
    assert got == [("grip_strength_kg", "sit_and_reach_cm"), ("sit_and_reach_cm",),
                   ("sit_and_reach_cm",)]


def test_ungraded_rows_have_no_weakest_items():
    codes = np.array([-1, 0, -1])
    assert _weakest_column(codes).decoded() == [None, (), None]


@pytest.mark.parametrize("seed", range(20))
def test_catcol_from_codes_lays_out_levels_like_from_values(seed):
    rng = np.random.default_rng(seed)
    levels = ["pass", None, "fail", "pass", (), ("run_50m_s",)][: rng.integers(1, 7)]
    codes = rng.integers(-1, len(levels), rng.integers(0, 40))
    got = CatCol.from_codes(codes, levels)
    want = CatCol.from_values([None if c < 0 else levels[c] for c in codes])
    assert got.levels == want.levels
    assert got.codes.tolist() == want.codes.tolist()


def test_student_grades_equal_the_standard_and_the_single_path(project_root):
    assistant = Assistant.from_paths(project_root / "rules" / "default")
    pupils = synthetic_students(300, seed=5).drop(columns=["birth_date", "test_date"])
    pupils["age_years"] = np.round(np.linspace(6.2, 17.8, len(pupils)), 2)
    batch, bad, _ = assistant.decide_frame(pupils, on_invalid="mark")
    assert not bad.any()
    standard = score_frame(pupils, "student")
    facts = batch.facts_before
    grades = facts.get("student_grade").decoded()
    assert grades == [g or None for g in standard["grade"].astype(object)]
    for i in (0, 17, 123, 299):  # and each row as the single-record path sees it
        record = {k: v for k, v in pupils.iloc[i].items() if pd.notna(v)}
        single = assistant.facts(record)
        assert single.get("student_grade") == grades[i]
        assert single.get("weakest_items") == facts.row(i).get("weakest_items")
