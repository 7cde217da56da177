"""Display labels for codes the core defines without bilingual labels.

Source strings are English; the Chinese comes from the zh catalogue. The core owns the
codes themselves (``prescribe.vocabulary``); a code missing here shows as the code.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

WARNING_SIGNS = {
    "chest_pain_ischaemic": _l("Chest pain or discomfort that may be ischaemic"),
    "dyspnoea_rest_or_mild_exertion": _l("Shortness of breath at rest or on mild exertion"),
    "dizziness_or_syncope": _l("Dizziness or fainting"),
    "orthopnoea_or_pnd": _l("Breathless lying flat or waking breathless at night"),
    "ankle_oedema": _l("Ankle swelling"),
    "palpitations_or_tachycardia": _l("Palpitations or racing heart"),
    "intermittent_claudication": _l("Calf pain on walking that eases with rest"),
    "known_heart_murmur": _l("Known heart murmur"),
    "unusual_fatigue_or_breathlessness": _l("Unusual fatigue or breathlessness in daily "
                                            "activities"),
}

RISK_FACTORS = {
    "smoking": _l("Smoking"),
    "family_history_cvd": _l("Family history of early heart disease"),
    "sedentary": _l("Physically inactive"),
    "obesity": _l("Obesity"),
    "hypertension": _l("Raised blood pressure"),
    "dyslipidaemia": _l("Abnormal blood lipids"),
    "prediabetes": _l("Prediabetes"),
    "age": _l("Age (men ≥ 45, women ≥ 55)"),
}

SEXES = {"M": _l("Male"), "F": _l("Female")}

ROLES = {"clinician": _l("Clinician"), "prescriber": _l("Prescriber"),
         "admin": _l("Administrator")}

STATION_KINDS = {"community": _l("Community health station"), "school": _l("School clinic")}

GRADE_CODES = {
    "11": _l("Primary 1"), "12": _l("Primary 2"), "13": _l("Primary 3"),
    "14": _l("Primary 4"), "15": _l("Primary 5"), "16": _l("Primary 6"),
    "21": _l("Junior middle 1"), "22": _l("Junior middle 2"), "23": _l("Junior middle 3"),
    "31": _l("Senior high 1"), "32": _l("Senior high 2"), "33": _l("Senior high 3"),
    "41": _l("University 1"), "42": _l("University 2"), "43": _l("University 3"),
    "44": _l("University 4"),
}

OUTCOMES = {
    "prescription": _l("Prescription"),
    "prescription_pending_clearance": _l("Pending medical clearance"),
    "defer": _l("Deferred: no exercise may start now"),
}

STATUSES = {"draft": _l("Draft"), "signed": _l("Signed"), "superseded": _l("Superseded")}

INTENSITIES = {
    "very_light": _l("Very light"), "light": _l("Light"), "moderate": _l("Moderate"),
    "vigorous": _l("Vigorous"), "near_maximal": _l("Near maximal"),
}
INTENSITY_ORDER = ("very_light", "light", "moderate", "vigorous", "near_maximal")

COMPONENTS = {
    "aerobic": _l("Aerobic"), "resistance": _l("Resistance"), "flexibility": _l("Flexibility"),
    "neuromotor_balance": _l("Balance and coordination"),
    "bone_strengthening": _l("Bone strengthening"), "outdoor_activity": _l("Outdoor activity"),
    "scoliosis_specific_exercise": _l("Scoliosis-specific exercise"),
    "posture_back_extensor": _l("Posture and back extensors"), "breathing": _l("Breathing"),
    "pelvic_floor": _l("Pelvic floor"),
}

GRADES = {"excellent": _l("Excellent"), "good": _l("Good"), "pass": _l("Pass"),
          "fail": _l("Fail")}

REFERRAL_TARGETS = {
    "physician": _l("Physician"), "cardiology": _l("Cardiology"),
    "emergency": _l("Emergency department"), "endocrinology": _l("Endocrinology"),
    "nephrology": _l("Nephrology"), "respiratory": _l("Respiratory medicine"),
    "pulmonary_rehabilitation": _l("Pulmonary rehabilitation"),
    "rehabilitation_medicine": _l("Rehabilitation medicine"),
    "physiotherapy": _l("Physiotherapy"), "geriatrics": _l("Geriatrics"),
    "falls_clinic": _l("Falls clinic"), "obstetrics": _l("Obstetrics"),
    "ophthalmology": _l("Ophthalmology"), "optometry": _l("Optometry"),
    "orthopaedics_spine": _l("Spine orthopaedics"),
}
URGENCIES = {"emergency": _l("Emergency"), "urgent": _l("Urgent"), "soon": _l("Soon"),
             "routine": _l("Routine")}


def show(table: dict[str, object], code: object) -> str:
    """The label for ``code``, or the code itself when the table has none."""
    if code is None:
        return ""
    return str(table.get(str(code), code))


YES = _l("Yes")
NO = _l("No")

FLAG_VALUES = {
    "underweight": _l("Underweight"), "normal": _l("Normal"), "overweight": _l("Overweight"),
    "obese": _l("Obese"), "negative": _l("Negative"), "observe": _l("Observe"),
    "positive": _l("Positive"), "refer": _l("Refer"), "myopia": _l("Suspected myopia"),
    "suspected": _l("Suspected"), "true": _l("Yes"), "false": _l("No"), "True": _l("Yes"),
    "False": _l("No"),
}

EXCLUSIONS = {
    "vigorous_intensity": _l("Vigorous-intensity exercise"),
    "heavy_valsalva_lifting": _l("Heavy lifting with breath-holding"),
    "high_impact_jumping": _l("High-impact jumping"),
    "loaded_spinal_flexion": _l("Loaded forward bending of the spine"),
    "spinal_twisting_under_load": _l("Twisting the spine under load"),
    "contact_sports": _l("Contact sports"),
    "scuba_diving": _l("Scuba diving"),
    "high_fall_risk_activities": _l("Activities with a high risk of falling"),
    "supine_after_first_trimester": _l("Lying on the back after the first trimester"),
}

AUDIT_ACTIONS = {
    "created": _l("created"), "updated": _l("changed"), "viewed": _l("viewed"),
    "signed": _l("signed"), "printed": _l("printed"), "shared": _l("shared"),
    "revoked": _l("withdrew"), "reviewed": _l("reviewed"), "deactivated": _l("deactivated"),
    "login": _l("logged in"), "logout": _l("logged out"), "locked": _l("locked"),
}
AUDIT_OBJECTS = {
    "patient": _l("Patient"), "assessment": _l("Assessment"),
    "prescription": _l("Prescription"), "share_link": _l("Share link"),
    "tier_review": _l("Tier review"), "user": _l("User"), "station": _l("Station"),
}


def override_field(field: str) -> str:
    """An override record's field key (``excluded:<code>`` …) in words."""
    from flask_babel import gettext as _

    if field == "intensity_cap":
        return _("Intensity cap")
    if field == "clearance":
        return _("Medical clearance")
    kind, _sep, rest = field.partition(":")
    if kind == "excluded":
        return _("Exclusion removed: %(what)s", what=show(EXCLUSIONS, rest))
    if kind == "component":
        return _("%(component)s intensity", component=show(COMPONENTS, rest.split(":")[0]))
    return field


def override_value(value: str) -> str:
    """Intensity levels in words; ``light–moderate`` ranges too; other values as stored."""
    if value == "none":
        return str(_l("none"))
    parts = value.split("–")
    if all(p in INTENSITIES for p in parts):
        return "–".join(str(INTENSITIES[p]) for p in parts)
    return value
