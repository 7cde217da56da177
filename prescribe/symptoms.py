"""Free-text symptoms → the nine ACSM warning-sign codes (domain.md §1.2).

Clinicians and patients write symptoms in Chinese or English ("活动后胸闷", "dizzy on
stairs"), or pick the codes. Screening hinges on *any* sign or symptom, so the mapper errs
towards recognising one: every chest discomfort counts as possibly ischaemic, as the ACSM
list asks. Two things keep it honest:

* **Negation.** "无胸痛" / "denies chest pain" is understood and yields no code. The usual
  Chinese clinical phrase "无明显诱因出现胸痛" (chest pain *without obvious cause*) is not a
  negation of the pain, nor are "无力" (weakness) and "无法" (unable to).
* **Nothing is dropped silently.** A fragment the lexicon does not recognise is returned by
  :func:`unmapped` so the assistant can route it to a clinician (``needs_review``), never
  treat it as "no symptoms".

Matching is by keyword: longest keyword first, so "夜间阵发性呼吸困难" is orthopnoea/PND,
not plain breathlessness. Text is split into clauses at punctuation and at "but"/"但", and a
negation cue earlier in the same clause negates the keyword ("无胸痛、心悸" negates both).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .vocabulary import ACSM_WARNING_SIGNS

LEXICON: dict[str, tuple[str, ...]] = {
    "chest_pain_ischaemic": (
        "胸痛", "胸闷", "胸口痛", "胸口疼", "胸口闷", "胸部不适", "胸部疼痛", "胸部压迫",
        "心前区痛", "心前区疼", "心前区不适", "心前区闷", "压榨感", "心绞痛", "下颌痛",
        "下巴痛", "左臂痛", "左上肢痛", "左肩臂痛", "颈部紧缩",
        "chest pain", "chest tightness", "chest discomfort", "chest pressure", "tight chest",
        "angina", "anginal", "jaw pain", "left arm pain", "pain radiating to the arm",
        "pain radiating to arm", "neck tightness",
    ),
    "dyspnoea_rest_or_mild_exertion": (
        "气短", "气促", "气急", "呼吸困难", "喘不上气", "喘不过气", "憋气", "上楼气喘",
        "活动后气喘", "静息时气喘", "呼吸急促", "走路就喘", "气喘",
        "shortness of breath", "short of breath", "breathless at rest", "dyspnoea", "dyspnea",
        "difficulty breathing", "breathless on mild exertion", "breathlessness at rest",
    ),
    "dizziness_or_syncope": (
        "头晕", "眩晕", "头昏", "晕厥", "昏厥", "晕倒", "黑蒙", "眼前发黑", "意识丧失",
        "晕过去", "昏倒",
        "dizzy", "dizziness", "light-headed", "lightheaded", "syncope", "faint", "fainted",
        "fainting", "passed out", "blackout", "black-out", "loss of consciousness", "vertigo",
    ),
    "orthopnoea_or_pnd": (
        "端坐呼吸", "不能平卧", "无法平卧", "平卧困难", "夜间阵发性呼吸困难", "夜间憋醒",
        "夜里憋醒", "高枕卧位", "垫高枕头",
        "orthopnoea", "orthopnea", "paroxysmal nocturnal dyspnoea",
        "paroxysmal nocturnal dyspnea", "cannot lie flat", "can't lie flat",
        "wakes up breathless", "breathless lying down", "breathless when lying flat",
    ),
    "ankle_oedema": (
        "脚踝水肿", "踝部水肿", "踝关节水肿", "下肢水肿", "下肢浮肿", "双下肢水肿", "脚肿",
        "腿肿", "脚踝肿", "双脚浮肿", "脚踝浮肿", "腿脚浮肿", "小腿水肿",
        "ankle swelling", "swollen ankles", "swollen ankle", "ankle oedema", "ankle edema",
        "leg swelling", "swollen legs", "pedal oedema", "pedal edema", "leg oedema", "leg edema",
    ),
    "palpitations_or_tachycardia": (
        "心慌", "心悸", "心跳快", "心跳加快", "心动过速", "心跳不规律", "心律不齐",
        "心跳漏跳", "早搏",
        "palpitations", "palpitation", "racing heart", "heart racing", "tachycardia",
        "pounding heart", "irregular heartbeat", "skipped beats",
    ),
    "intermittent_claudication": (
        "间歇性跛行", "走路腿痛", "走路腿疼", "走路小腿痛", "走路小腿疼", "行走后小腿疼",
        "行走后小腿痛", "跛行",
        "claudication", "calf pain when walking", "calf pain on walking",
        "leg pain on walking", "leg pain when walking",
    ),
    "known_heart_murmur": (
        "心脏杂音", "心杂音", "杂音",
        "heart murmur", "murmur",
    ),
    "unusual_fatigue_or_breathlessness": (
        "异常疲劳", "异常乏力", "乏力", "容易疲劳", "易疲劳", "疲乏", "疲倦",
        "日常活动后气喘", "日常活动就累", "体力下降",
        "unusual fatigue", "unusually tired", "fatigue", "tires easily", "tired easily",
        "exhaustion", "breathless with usual activities", "breathless doing usual activities",
    ),
}
"""Keywords per ACSM code (Chinese and English). Add a synonym here, with a test."""

NO_SYMPTOM_TEXTS = frozenset({"无", "没有", "否", "无症状", "无不适", "none", "no", "nil",
                              "no symptoms", "asymptomatic", "n/a"})

_ZH_NEGATIONS = ("无", "没有", "否认", "未见", "未诉", "未有", "不伴", "未出现")
_ZH_NOT_NEGATIONS = ("无明显诱因", "无诱因", "无明显原因", "无缘无故", "无力", "无法")
_EN_NEGATION = re.compile(r"\b(no|not|denies|denied|denying|without|negative for|never)\b")
_CLAUSE_SPLIT = re.compile(r"[，,。；;.!?！？\n]|\bbut\b|但是|但|\bhowever\b")
_CODE_SET = frozenset(ACSM_WARNING_SIGNS)


def _is_latin(word: str) -> bool:
    return word.isascii()


_KEYWORDS: tuple[tuple[str, str, re.Pattern[str] | None], ...] = tuple(sorted(
    ((word.casefold(), code,
      re.compile(r"(?<![a-z])" + re.escape(word.casefold()) + r"(?![a-z])")
      if _is_latin(word) else None)
     for code, words in LEXICON.items() for word in words),
    key=lambda k: -len(k[0]),
))


@dataclass(frozen=True)
class SymptomReading:
    """What the mapper understood: codes found, codes explicitly denied, and fragments of
    text it could not read (to be shown to a clinician)."""

    codes: tuple[str, ...]
    negated: tuple[str, ...]
    unmapped: tuple[str, ...]


def _negated(prefix: str) -> bool:
    for phrase in _ZH_NOT_NEGATIONS:
        prefix = prefix.replace(phrase, "")
    if any(cue in prefix for cue in _ZH_NEGATIONS):
        return True
    return bool(_EN_NEGATION.search(prefix))


def _read_clause(clause: str) -> tuple[set[str], set[str]]:
    """Return (present codes, denied codes) for one clause (already casefolded)."""
    present: set[str] = set()
    denied: set[str] = set()
    taken = [False] * len(clause)
    for word, code, pattern in _KEYWORDS:
        spans = ([m.span() for m in pattern.finditer(clause)] if pattern is not None
                 else [(m.start(), m.start() + len(word))
                       for m in re.finditer(re.escape(word), clause)])
        for start, end in spans:
            if any(taken[start:end]):
                continue  # inside a longer keyword already read
            for i in range(start, end):
                taken[i] = True
            (denied if _negated(clause[:start]) else present).add(code)
    return present, denied


def read_symptoms(texts: Iterable[str]) -> SymptomReading:
    """Read codes and free text; see the module docstring for the rules."""
    present: set[str] = set()
    denied: set[str] = set()
    unknown: list[str] = []
    for raw in texts:
        text = str(raw).strip()
        if not text:
            continue
        if text in _CODE_SET:
            present.add(text)
            continue
        if text.casefold() in NO_SYMPTOM_TEXTS:
            continue
        for clause in _CLAUSE_SPLIT.split(text.casefold()):
            clause = clause.strip(" 、:：()（）")
            if not clause or clause in NO_SYMPTOM_TEXTS:
                continue
            yes, no = _read_clause(clause)
            if not yes and not no:
                unknown.append(clause)
            present |= yes
            denied |= no - yes
    order = ACSM_WARNING_SIGNS
    return SymptomReading(
        codes=tuple(c for c in order if c in present),
        negated=tuple(c for c in order if c in denied and c not in present),
        unmapped=tuple(dict.fromkeys(unknown)),
    )


def map_symptoms(texts: Iterable[str]) -> tuple[str, ...]:
    """ACSM warning-sign codes present in ``texts`` (codes or zh/en free text), in the
    guideline's order. Denied symptoms ("无胸痛") give no code."""
    return read_symptoms(texts).codes


def unmapped(texts: Iterable[str]) -> tuple[str, ...]:
    """Fragments of ``texts`` that named no known symptom: a clinician must read them."""
    return read_symptoms(texts).unmapped


__all__ = ["LEXICON", "SymptomReading", "map_symptoms", "read_symptoms", "unmapped"]
