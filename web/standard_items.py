"""Which physique-test items the assessment form shows for a person.

The item lists follow the scoring tables the standards area implements:
《国家学生体质健康标准（2014年修订）》 item weights by grade group (domain.md §5.4) and the
《国民体质测定标准（2003年版）》 overall-grade item lists for pre-school children 3–6,
adults 20–39 and 40–59, and older adults 60–69 (../shared/standards/physique_overall_
grades.csv). This module only decides which inputs to *show*; all scoring is done by
``prescribe.standards``.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

ANTHROPOMETRY = ("height_cm", "weight_kg", "waist_cm", "body_fat_pct")

_PRIMARY_1_2 = ("vital_capacity_ml", "run_50m_s", "sit_and_reach_cm", "rope_skip_1min_count")
_PRIMARY_3_4 = (*_PRIMARY_1_2, "sit_up_1min_count")
_PRIMARY_5_6 = (*_PRIMARY_3_4, "shuttle_run_50mx8_s")
_SECONDARY = ("vital_capacity_ml", "run_50m_s", "sit_and_reach_cm", "standing_long_jump_cm")
_SECONDARY_M = (*_SECONDARY, "pull_up_count", "run_1000m_s")
_SECONDARY_F = (*_SECONDARY, "sit_up_1min_count", "run_800m_s")

_CHILD = ("shuttle_run_10m_s", "standing_long_jump_cm", "tennis_ball_throw_m",
          "double_leg_continuous_jump_s", "sit_and_reach_cm", "balance_beam_walk_s")
_ADULT_40 = ("vital_capacity_ml", "step_test_index", "grip_strength_kg", "sit_and_reach_cm",
             "choice_reaction_time_s", "one_leg_stand_eyes_closed_s")
_ADULT_20_M = (*_ADULT_40, "push_up_count", "vertical_jump_cm")
_ADULT_20_F = (*_ADULT_40, "sit_up_1min_count", "vertical_jump_cm")
# 30-s chair stand is not a scored item of the 2003 standard; it is recorded for older
# adults because falls-risk rules read it (domain.md §4.13).
_OLDER = ("vital_capacity_ml", "grip_strength_kg", "sit_and_reach_cm",
          "choice_reaction_time_s", "one_leg_stand_eyes_closed_s", "chair_stand_30s_count")
_UNSCORED = ("grip_strength_kg", "sit_and_reach_cm", "push_up_count", "sit_up_1min_count",
             "chair_stand_30s_count")


@dataclass(frozen=True)
class StandardGroup:
    """A person's place in the national standards: which items to test and how to score."""

    key: str
    standard: str | None  # "student" | "physique" | None (recorded, not scored)
    items: tuple[str, ...]
    youth: bool  # school-screening fields (vision, spine) apply

    @property
    def title(self) -> str:
        return str(GROUP_TITLES[self.key])


GROUP_TITLES = {
    "student_primary_1_2": _l("Student, primary grades 1–2"),
    "student_primary_3_4": _l("Student, primary grades 3–4"),
    "student_primary_5_6": _l("Student, primary grades 5–6"),
    "student_secondary": _l("Student, secondary school or university"),
    "child_3_6": _l("Pre-school child (3–6 years)"),
    "adult_20_39": _l("Adult (20–39 years)"),
    "adult_40_59": _l("Adult (40–59 years)"),
    "older_60_69": _l("Older adult (60–69 years)"),
    "unscored": _l("No national standard applies: values are recorded, not scored"),
}


def standard_group(age_years: float, sex: str, grade_code: str | None) -> StandardGroup:
    """Pick the standard by grade code for students, else by age (and sex for two items)."""
    youth = age_years < 19
    if grade_code:
        code = int(grade_code)
        if code in (11, 12):
            return StandardGroup("student_primary_1_2", "student", _PRIMARY_1_2, True)
        if code in (13, 14):
            return StandardGroup("student_primary_3_4", "student", _PRIMARY_3_4, True)
        if code in (15, 16):
            return StandardGroup("student_primary_5_6", "student", _PRIMARY_5_6, True)
        items = _SECONDARY_M if sex == "M" else _SECONDARY_F
        return StandardGroup("student_secondary", "student", items, youth)
    if 3 <= age_years < 7:
        return StandardGroup("child_3_6", "physique", _CHILD, True)
    if 20 <= age_years < 40:
        return StandardGroup("adult_20_39", "physique",
                             _ADULT_20_M if sex == "M" else _ADULT_20_F, False)
    if 40 <= age_years < 60:
        return StandardGroup("adult_40_59", "physique", _ADULT_40, False)
    if 60 <= age_years < 70:
        return StandardGroup("older_60_69", "physique", _OLDER, False)
    return StandardGroup("unscored", None, _OLDER if age_years >= 70 else _UNSCORED, youth)
