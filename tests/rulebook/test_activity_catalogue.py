"""The activity catalogue: MET values from domain.md §6 and the flags exclusions use."""

from __future__ import annotations

import pytest

from prescribe import activities as cat
from prescribe.engine.registry import COMPONENT_TYPES, EXCLUSION_CODES


@pytest.mark.parametrize(("code", "met", "band"), [
    ("tai_chi", 3.3, "moderate"),
    ("tai_chi_seated", 1.5, "very_light"),
    ("tai_chi_yang_vigorous", 6.0, "vigorous"),
    ("baduanjin", 2.9, "light"),
    ("square_dance_gentle", 5.5, "moderate"),
    ("square_dance_aerobic", 7.3, "vigorous"),
    ("walking_brisk", 4.8, "moderate"),
    ("walking_slow", 2.8, "light"),
    ("jogging", 7.5, "vigorous"),
    ("running_10kmh", 9.3, "near_maximal"),
    ("rope_skipping_moderate", 11.8, "near_maximal"),
    ("yoga_hatha", 2.3, "light"),
])
def test_met_values_and_bands_follow_the_compendium(code, met, band):
    act = cat.get(code)
    assert act.met == met
    assert act.band == band


@pytest.mark.parametrize(("met", "band"), [(1.9, "very_light"), (2.0, "light"), (2.9, "light"),
                                           (3.0, "moderate"), (5.9, "moderate"), (6.0, "vigorous"),
                                           (8.7, "vigorous"), (8.8, "near_maximal")])
def test_band_boundaries(met, band):
    assert cat.band_of(met) == band


def test_every_activity_is_sourced_and_serves_known_components():
    for act in cat.CATALOGUE:
        assert act.source
        assert act.serves, act.code
        assert set(act.serves) <= set(COMPONENT_TYPES), act.code
        assert act.flags <= set(cat.FLAGS), act.code
        assert act.band in cat.LEVELS
        if act.met is not None:
            assert act.band == cat.band_of(act.met) or act.code == "tai_chi_yang_vigorous"


def test_exclusion_codes_exist_in_the_engine_registry():
    assert set(cat.EXCLUSION_FLAGS) <= set(EXCLUSION_CODES)


@pytest.mark.parametrize(("code", "exclusion"), [
    ("rope_skipping_slow", "high_impact_jumping"),
    ("basketball", "contact_sports"),
    ("calisthenics_moderate", "loaded_spinal_flexion"),
    ("yoga_hatha", "supine_after_first_trimester"),
    ("hiking", "high_fall_risk_activities"),
    ("swimming_leisure", "swimming_unsupervised"),
])
def test_exclusions_forbid_flagged_activities(code, exclusion):
    assert cat.forbidding_exclusion(cat.get(code), {exclusion}, None) == exclusion


def test_cap_and_vigorous_exclusion_drop_hard_activities():
    jog = cat.get("jogging")
    assert cat.forbidding_exclusion(jog, set(), "moderate") == "intensity_cap"
    assert cat.forbidding_exclusion(jog, {"vigorous_intensity"}, None) == "vigorous_intensity"
    assert cat.forbidding_exclusion(cat.get("tai_chi"), {"high_impact_jumping"}, "moderate") is None


@pytest.mark.parametrize(("age", "value", "kind"), [(5.9, 4.8, "MET"), (8, 4.6, "METy"),
                                                    (11, 5.0, "METy"), (14, 5.3, "METy"),
                                                    (17, 5.5, "METy"), (30, 4.8, "MET")])
def test_youth_mety_by_age_group(age, value, kind):
    assert cat.met_for(cat.get("walking_brisk"), age) == (value, kind)


def test_unknown_activity_suggests_the_closest():
    with pytest.raises(KeyError, match="did you mean 'tai_chi'"):
        cat.get("taichi")
