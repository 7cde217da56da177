"""Every bilingual ``{zh, en}`` text on the clinician's prescription page follows the
user's language: component titles, talk test, notes, progression, activities.

The rule files give each component its own ``label`` (e.g. 有氧运动 / Aerobic) and
youth plans carry notes and talk-test texts; an English-speaking clinician must not be
shown the Chinese ones, and a Chinese one not the English.
"""

from __future__ import annotations

import copy

import pytest

from .support import insert_prescription, make_assessment, make_patient, sample_prescription

ZH = ["有氧运动", "抗阻(力量)训练", "能说完整的句子，但唱不了歌", "每天累计至少60分钟",
      "从每天30–40分钟开始", "快走", "8–10个动作"]
EN = ["Aerobic exercise", "Resistance (strength) training",
      "you can speak in full sentences but cannot sing", "At least 60 minutes of MVPA",
      "start with 30–40 minutes", "Brisk walking", "8–10 exercises"]


def _labelled_rx() -> dict:
    """The sample plan with the bilingual fields the default rule set emits."""
    rx = sample_prescription()
    aerobic, resistance = rx["components"]
    aerobic["label"] = {"zh": ZH[0], "en": EN[0]}
    aerobic["talk_test"] = {"zh": ZH[2], "en": EN[2]}
    aerobic["note"] = {"zh": ZH[3], "en": EN[3]}
    aerobic["progression"] = [{"weeks": [1, 4], "note": {"zh": ZH[4], "en": EN[4]}}]
    resistance["label"] = {"zh": ZH[1], "en": EN[1]}
    return copy.deepcopy(rx)


@pytest.mark.parametrize(("lang", "shown", "hidden"), [("en", EN, ZH), ("zh", ZH, EN)])
def test_component_texts_follow_the_users_language(app, people, as_user, lang, shown, hidden):
    with app.app_context():
        aid = make_assessment(make_patient(people.station_a, people.doctor), people.doctor)
        rid = insert_prescription(aid, people.doctor, _labelled_rx())
    doctor = as_user("doctor")
    doctor.post_form("/patients/", {"lang": lang}, action="/auth/language")
    html = doctor.get(f"/prescriptions/{rid}").get_data(as_text=True)
    missing = [text for text in shown if text not in html]
    leaked = [text for text in hidden if text in html]
    assert missing == []
    assert leaked == []


@pytest.mark.parametrize(("lang", "shown", "hidden"), [
    ("en", ["Brisk walking", "跳房子", "Rope skipping"], ["快走", "跳绳"]),
    ("zh", ["快走", "跳房子", "跳绳"], ["Brisk walking", "Rope skipping"]),
])
def test_activity_names_fall_back_only_when_missing(app, people, as_user, lang, shown,
                                                   hidden):
    """A local rule set may name an activity in Chinese only: show that, not a blank."""
    rx = _labelled_rx()
    rx["components"][0]["activities"] = [
        {"code": "brisk_walking", "name_zh": "快走", "name_en": "Brisk walking", "met": 4.3},
        {"code": "hopscotch", "name_zh": "跳房子", "name_en": None, "met": 5.0},
        {"code": "rope_skipping_slow", "name_zh": "跳绳", "name_en": "Rope skipping",
         "met": 7.1},
    ]
    with app.app_context():
        aid = make_assessment(make_patient(people.station_a, people.doctor), people.doctor)
        rid = insert_prescription(aid, people.doctor, rx)
    doctor = as_user("doctor")
    doctor.post_form("/patients/", {"lang": lang}, action="/auth/language")
    html = doctor.get(f"/prescriptions/{rid}").get_data(as_text=True)
    activities = html.split("Activities" if lang == "en" else "推荐活动", 1)[1].split("</dd>", 1)[0]
    assert [name for name in shown if name not in activities] == []
    assert [name for name in hidden if name in activities] == []
