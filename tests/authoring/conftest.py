"""A small, clinically plausible rule set built per test (files as ``{name: text}``).

Blood-pressure bands tile systolic pressure 60–260 mmHg (domain.md §1.6), a hard stop
defers exercise above 200 mmHg, adults and youths get their baselines (§3.1, §3.3) and
hypertension adds its modifier (§4.1). Three golden cases guard it.
"""

from __future__ import annotations

import pytest

RULESET = """\
name: mini
version: "1.0"
description: Small rule set for authoring tests
screening_profile: CN2025
changelog:
  - {version: "1.0", date: "2025-03-01", author: 王医生, note: first version}
"""

HARD_STOPS = """\
# Hard stops for today (domain.md §1.5)
rules:
  - id: bp-severe-defer
    title: {zh: 静息血压>200/110：今日不运动, en: "Resting BP > 200/110: no exercise today"}
    source: "AHA 2013 exercise standards relative contraindication; domain.md §1.6"
    priority: 900
    kind: hard_stop
    when:
      any:
        - {fact: sbp_mmhg, op: ">", value: 200}
        - {fact: dbp_mmhg, op: ">", value: 110}
    then:
      - defer:
          reason: {zh: 静息血压过高, en: Resting blood pressure is too high}
          action: {zh: 休息后复测并就医, en: Re-measure after rest and see a physician}
      - refer: {to: physician, urgency: urgent, reason: {zh: 血压过高, en: Very high blood pressure}}
"""

SCREENING = """\
# Systolic BP bands (domain.md §1.6): the linter checks they tile 60–260 mmHg.
rules:
  - id: bp-sys-below-140
    title: {zh: 收缩压<140, en: "Systolic BP < 140"}
    source: "中国高血压防治指南 [CN-HTN]; domain.md §1.6"
    priority: 700
    kind: screening
    band: bp_systolic
    band_fact: sbp_mmhg
    band_range: [60, 260]
    when: {fact: sbp_mmhg, op: "<", value: 140}
    then:
      - education: {code: bp_check_yearly, text: {zh: 每年测量血压, en: Check blood pressure yearly}}
  - id: bp-sys-grade1
    title: {zh: 收缩压140–159：1级, en: "Systolic BP 140–159: grade 1"}
    source: "ACSM hypertension 2015 [ACSM-HTN-2015]; domain.md §1.6"
    priority: 700
    kind: screening
    band: bp_systolic
    band_fact: sbp_mmhg
    band_range: [60, 260]
    when: {fact: sbp_mmhg, op: between, value: [140, 159]}
    then:
      - precaution: {code: bp_before_after, text: {zh: 运动前后测血压, en: Measure BP before and after exercise}}
  - id: bp-sys-grade2
    title: {zh: 收缩压160–179：需医学评估, en: "Systolic BP 160–179: clearance first"}
    source: "ACSM position stand 2004 [ACSM-HTN-2004]; domain.md §1.6"
    priority: 710
    kind: screening
    band: bp_systolic
    band_fact: sbp_mmhg
    band_range: [60, 260]
    when: {fact: sbp_mmhg, op: between, value: [160, 179]}
    then:
      - require_clearance: {before: any, reason: {zh: 血压2级, en: Grade 2 blood pressure}}
      - cap_intensity: {level: moderate, reason: {zh: 血压2级, en: Grade 2 blood pressure}}
      - refer: {to: physician, urgency: soon, reason: {zh: 血压2级, en: Grade 2 blood pressure}}
  - id: bp-sys-grade3
    title: {zh: 收缩压≥180：需医学评估, en: "Systolic BP >= 180: clearance first"}
    source: "ACSM hypertension guidance; domain.md §1.6"
    priority: 720
    kind: screening
    band: bp_systolic
    band_fact: sbp_mmhg
    band_range: [60, 260]
    when: {fact: sbp_mmhg, op: ">=", value: 180}
    then:
      - require_clearance: {before: any, reason: {zh: 血压3级, en: Grade 3 blood pressure}}
      - cap_intensity: {level: light, reason: {zh: 血压3级, en: Grade 3 blood pressure}}
      - refer: {to: physician, urgency: urgent, reason: {zh: 血压3级, en: Grade 3 blood pressure}}
"""

BASELINES = """\
rules:
  - id: adult-baseline
    title: {zh: 成人基础处方, en: Adult baseline}
    source: "WHO 2020; 中国人群身体活动指南 2021; domain.md §3.1"
    priority: 100
    kind: baseline
    when: {fact: age_years, op: ">=", value: 18}
    then:
      - component: {type: aerobic, days_per_week: [3, 5], minutes_per_session: [30, 60], intensity: [moderate, vigorous], hrr_percent: [40, 70]}
      - component: {type: resistance, days_per_week: [2, 3], minutes_per_session: [20, 30], intensity: [moderate, moderate]}
  - id: youth-baseline
    title: {zh: 儿童青少年基础处方, en: Youth baseline}
    source: "WHO 2020 (5–17 y); domain.md §3.3"
    priority: 100
    kind: baseline
    when: {fact: age_years, op: "<", value: 18}
    then:
      - component: {type: aerobic, days_per_week: [7, 7], minutes_per_session: [60, 90], intensity: [moderate, vigorous]}
"""

CONDITIONS = """\
rules:
  - id: htn-modifier
    title: {zh: 高血压：避免憋气用力, en: "Hypertension: avoid breath-holding"}
    source: "ACSM hypertension 2015 [ACSM-HTN-2015]; domain.md §4.1"
    priority: 300
    kind: condition
    when: {fact: conditions, op: has, value: hypertension}
    then:
      - exclude: {code: heavy_valsalva_lifting, reason: {zh: 避免憋气, en: Avoid the Valsalva manoeuvre}}
"""

CASES = """\
cases:
  - id: htn-grade2
    title: {zh: 高血压2级未治疗, en: Untreated grade 2 hypertension}
    given: {sex: M, age_years: 56, sbp_mmhg: 168, dbp_mmhg: 96, resting_hr_bpm: 72, conditions: [hypertension], regularly_active: false}
    expect:
      outcome: prescription_pending_clearance
      clearance: {required: true, before: any}
      intensity_cap: moderate
      components_include: [aerobic, resistance]
      excluded_include: [heavy_valsalva_lifting]
      referrals_include: [physician]
      fired_include: [bp-sys-grade2, htn-modifier]
  - id: healthy-adult
    title: {zh: 健康成人, en: Healthy adult}
    given: {sex: F, age_years: 35, sbp_mmhg: 112, dbp_mmhg: 70, resting_hr_bpm: 64, regularly_active: true}
    expect:
      outcome: prescription
      clearance: {required: false}
      components_include: [aerobic, resistance]
      fired_include: [adult-baseline, bp-sys-below-140]
  - id: severe-bp-defer
    title: {zh: 血压过高今日不运动, en: Severe BP defers today}
    given: {sex: M, age_years: 62, sbp_mmhg: 210, dbp_mmhg: 100}
    expect:
      outcome: defer
      referrals_include: [physician]
"""


def make_files(**overrides: str) -> dict[str, str]:
    files = {"ruleset.yaml": RULESET, "hard_stops.yaml": HARD_STOPS,
             "screening.yaml": SCREENING, "baselines.yaml": BASELINES,
             "conditions.yaml": CONDITIONS, "cases/core.yaml": CASES}
    files.update(overrides)
    return files


@pytest.fixture
def mini_files() -> dict[str, str]:
    return make_files()


@pytest.fixture
def mini_dir(tmp_path, mini_files):
    """The same rule set written to a folder, as rules/<name>/ is on disk."""
    for name, text in mini_files.items():
        path = tmp_path / "mini" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path / "mini"
