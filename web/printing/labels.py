"""Words for the codes a prescription carries, in the language being printed.

Codes (component types, intensity levels, referral targets, exclusions) are stable keys
from the rule files; patients read words. Each table is built inside a function so
gettext runs under the locale forced by the render function. An unknown code prints in
a readable form rather than disappearing: a new rule's code must still reach the patient.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from babel.dates import format_date, get_day_names
from flask_babel import gettext as _

from prescribe.vocabulary import BY_NAME


def pick(value: Any, lang: str) -> str:
    """The ``lang`` text of a ``{zh, en}`` mapping (else the other one), or a plain text."""
    if value is None:
        return ""
    if isinstance(value, Mapping):
        other = "en" if lang == "zh" else "zh"
        return str(value.get(lang) or value.get(other) or "").strip()
    return str(value).strip()


def colon(lang: str) -> str:
    return "：" if lang == "zh" else ": "


def clause_separator(lang: str) -> str:
    return "；" if lang == "zh" else "; "


def list_separator(lang: str) -> str:
    return "、" if lang == "zh" else "; "


def parenthesise(text: str, lang: str) -> str:
    """" (text)" in English, "（text）" in Chinese (full-width, no space)."""
    return f"（{text}）" if lang == "zh" else f" ({text})"


def sentence(text: str, lang: str) -> str:
    """Capitalise an English label that starts a line; Chinese has no case."""
    return text[:1].upper() + text[1:] if lang == "en" else text



def humanise(code: str) -> str:
    return code.replace("_", " ").strip().capitalize()


def component_name(kind: str) -> str:
    names = {
        "aerobic": _("Aerobic exercise"),
        "resistance": _("Strength (resistance) exercise"),
        "flexibility": _("Flexibility (stretching)"),
        "neuromotor_balance": _("Balance and coordination"),
        "bone_strengthening": _("Bone-strengthening activity"),
        "outdoor_activity": _("Outdoor time"),
        "scoliosis_specific_exercise": _("Scoliosis-specific exercise"),
        "posture_back_extensor": _("Posture and back-muscle exercise"),
        "breathing": _("Breathing exercise"),
        "pelvic_floor": _("Pelvic-floor exercise"),
    }
    return names.get(kind, humanise(kind))


def component_short(kind: str) -> str:
    """A name short enough for the weekly-schedule grid."""
    names = {
        "aerobic": _("Aerobic"),
        "resistance": _("Strength"),
        "flexibility": _("Stretching"),
        "neuromotor_balance": _("Balance"),
        "bone_strengthening": _("Bone-strengthening"),
        "outdoor_activity": _("Outdoors"),
        "scoliosis_specific_exercise": _("Scoliosis exercise"),
        "posture_back_extensor": _("Posture"),
        "breathing": _("Breathing"),
        "pelvic_floor": _("Pelvic floor"),
    }
    return names.get(kind, humanise(kind))


def intensity_name(level: str) -> str:
    names = {
        "very_light": _("very light"),
        "light": _("light"),
        "moderate": _("moderate"),
        "vigorous": _("vigorous"),
        "near_maximal": _("near-maximal"),
    }
    return names.get(level, humanise(level))


def talk_test(level: str) -> str:
    """The talk test for a level (domain.md §2.3): usable without any device."""
    tests = {
        "very_light": _("you can easily sing"),
        "light": _("you can talk and sing"),
        "moderate": _("you can talk in full sentences but cannot sing"),
        "vigorous": _("you can say only a few words before pausing for breath"),
        "near_maximal": _("you cannot talk"),
    }
    return tests.get(level, "")


def referral_target(to: str) -> str:
    names = {
        "physician": _("your family doctor"),
        "cardiology": _("cardiology"),
        "emergency": _("the emergency department"),
        "endocrinology": _("endocrinology"),
        "nephrology": _("nephrology"),
        "respiratory": _("respiratory medicine"),
        "pulmonary_rehabilitation": _("pulmonary rehabilitation"),
        "rehabilitation_medicine": _("rehabilitation medicine"),
        "physiotherapy": _("physiotherapy"),
        "geriatrics": _("geriatrics"),
        "falls_clinic": _("a falls clinic"),
        "obstetrics": _("obstetrics"),
        "ophthalmology": _("ophthalmology (eye clinic)"),
        "optometry": _("optometry (eye test and glasses)"),
        "orthopaedics_spine": _("orthopaedics (spine clinic)"),
    }
    return names.get(to, humanise(to))


def urgency_name(urgency: str | None) -> str:
    names = {
        "emergency": _("now: emergency"),
        "urgent": _("urgently"),
        "soon": _("soon"),
        "routine": _("routine appointment"),
    }
    return names.get(urgency or "", "")


def exclusion_name(code: str) -> str:
    names = {
        "vigorous_intensity": _("Vigorous-intensity exercise"),
        "heavy_valsalva_lifting": _("Heavy lifting while holding your breath"),
        "high_impact_jumping": _("High-impact jumping"),
        "loaded_spinal_flexion": _("Bending the spine forward under load"),
        "spinal_twisting_under_load": _("Twisting the spine under load"),
        "contact_sports": _("Contact sports"),
        "scuba_diving": _("Scuba diving"),
        "high_fall_risk_activities": _("Activities with a high risk of falling"),
        "supine_after_first_trimester": _("Exercise lying on your back after the first trimester"),
    }
    return names.get(code, humanise(code))


def sex_name(sex: str) -> str:
    return {"M": _("male"), "F": _("female")}.get(sex, sex)


def grade_name(grade: str | None) -> str:
    names = {
        "excellent": _("excellent"),
        "good": _("good"),
        "pass": _("pass"),
        "fail": _("fail"),
    }
    return names.get(grade or "", grade or "")


def item_name(item: str, lang: str) -> str:
    """A test item's label from the project vocabulary ("bmi" and totals handled too)."""
    if item == "bmi":
        return "BMI"
    if item == "height_weight":  # physique standard: weight-for-height score
        return _("Weight for height")
    variable = BY_NAME.get(item)
    return variable.label(lang) if variable else humanise(item)


def weekday_names(lang: str) -> list[str]:
    """Monday-first short day names (周一 … 周日 / Mon … Sun)."""
    names = get_day_names("abbreviated", locale=lang)
    return [names[i] for i in range(7)]


def long_date(value: date, lang: str) -> str:
    return format_date(value, format="long", locale=lang)


def date_time(value: datetime, lang: str) -> str:
    """Date and local time as the web app stored it (it passes station-local times)."""
    return f"{long_date(value.date(), lang)} {value:%H:%M}"
