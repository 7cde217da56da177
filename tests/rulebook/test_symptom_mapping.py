"""Free-text symptoms → the nine ACSM warning-sign codes, in Chinese and English."""

from __future__ import annotations

import pytest

from prescribe.symptoms import LEXICON, map_symptoms, read_symptoms, unmapped
from prescribe.vocabulary import ACSM_WARNING_SIGNS


@pytest.mark.parametrize(("text", "code"), [
    ("活动后胸闷", "chest_pain_ischaemic"),
    ("左臂痛", "chest_pain_ischaemic"),
    ("chest tightness when walking uphill", "chest_pain_ischaemic"),
    ("爬楼梯气短", "dyspnoea_rest_or_mild_exertion"),
    ("short of breath at rest", "dyspnoea_rest_or_mild_exertion"),
    ("上周晕倒一次", "dizziness_or_syncope"),
    ("feels light-headed", "dizziness_or_syncope"),
    ("夜间阵发性呼吸困难", "orthopnoea_or_pnd"),     # longest keyword wins over 呼吸困难
    ("无法平卧", "orthopnoea_or_pnd"),                # 无法 is not a negation
    ("脚踝肿", "ankle_oedema"),
    ("swollen ankles", "ankle_oedema"),
    ("心慌", "palpitations_or_tachycardia"),
    ("heart racing", "palpitations_or_tachycardia"),
    ("间歇性跛行", "intermittent_claudication"),
    ("calf pain when walking", "intermittent_claudication"),
    ("心脏杂音", "known_heart_murmur"),
    ("日常活动后气喘", "unusual_fatigue_or_breathlessness"),
    ("unusually tired", "unusual_fatigue_or_breathlessness"),
])
def test_text_maps_to_code(text, code):
    assert map_symptoms([text]) == (code,)


@pytest.mark.parametrize("text", ["无胸痛", "否认胸痛", "denies chest pain", "no palpitations",
                                  "without dizziness", "无症状", "none"])
def test_denied_symptoms_give_no_code(text):
    reading = read_symptoms([text])
    assert reading.codes == ()
    assert reading.unmapped == ()


def test_negation_covers_a_list_but_not_the_next_clause():
    reading = read_symptoms(["无胸痛、心悸，偶有头晕"])
    assert reading.codes == ("dizziness_or_syncope",)
    assert reading.negated == ("chest_pain_ischaemic", "palpitations_or_tachycardia")


def test_without_obvious_cause_is_not_a_negation():
    assert map_symptoms(["无明显诱因出现胸痛"]) == ("chest_pain_ischaemic",)
    assert map_symptoms(["四肢无力伴胸闷"]) == ("chest_pain_ischaemic",)


def test_but_starts_a_new_clause():
    assert map_symptoms(["denies chest pain but reports dizziness"]) == ("dizziness_or_syncope",)


def test_codes_pass_through_in_guideline_order():
    assert map_symptoms(["known_heart_murmur", "chest_pain_ischaemic", "chest_pain_ischaemic"]) == (
        "chest_pain_ischaemic", "known_heart_murmur")


def test_unread_fragments_are_returned_for_a_clinician():
    texts = ["膝盖上下楼偶尔响", "心慌；腰有点酸"]
    assert map_symptoms(texts) == ("palpitations_or_tachycardia",)
    assert unmapped(texts) == ("膝盖上下楼偶尔响", "腰有点酸")


def test_knee_swelling_is_not_ankle_oedema():
    assert map_symptoms(["膝关节水肿"]) == ()
    assert unmapped(["膝关节水肿"]) == ("膝关节水肿",)


def test_every_code_has_chinese_and_english_keywords():
    assert set(LEXICON) == set(ACSM_WARNING_SIGNS)
    for code, words in LEXICON.items():
        assert any(not w.isascii() for w in words), code
        assert any(w.isascii() for w in words), code
