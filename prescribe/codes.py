"""Coded clinical vocabulary: conditions (ICD-10), medications (ATC classes) and the ACSM
warning signs, each with Chinese and English labels and the synonyms people type.

(Placeholder table: the rules-content work fills in the full list; the resolver API is
fixed.)
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import InputProblem
from .vocabulary import ACSM_WARNING_SIGNS


@dataclass(frozen=True)
class Code:
    code: str
    system: str  # "ICD-10" | "ATC" | "ACSM"
    group: str   # the group a rule tests with `has`, e.g. "hypertension", "beta_blocker"
    label_zh: str
    label_en: str
    synonyms: tuple[str, ...] = ()


CONDITIONS: tuple[Code, ...] = (
    Code("I10", "ICD-10", "hypertension", "高血压", "Hypertension", ("高血压病", "HTN", "high blood pressure")),
    Code("E11", "ICD-10", "type2_diabetes", "2型糖尿病", "Type 2 diabetes", ("T2DM", "糖尿病")),
)
MEDICATIONS: tuple[Code, ...] = (
    Code("C07", "ATC", "beta_blocker", "β受体阻滞剂", "Beta blocker", ("beta blocker", "美托洛尔", "metoprolol")),
)


def _index(table: tuple[Code, ...]) -> dict[str, Code]:
    idx: dict[str, Code] = {}
    for c in table:
        for key in (c.code, c.group, c.label_zh, c.label_en, *c.synonyms):
            idx[key.casefold()] = c
    return idx


_COND = _index(CONDITIONS)
_MED = _index(MEDICATIONS)


def _resolve(items, idx, name, row):
    found, probs = [], []
    for item in items:
        c = idx.get(item.casefold())
        if c is None:
            probs.append(InputProblem(name, item, "unknown code or synonym", row))
        elif c.group not in found:
            found.append(c.group)
    return (tuple(found) if not probs else None), probs


def resolve_conditions(items: list[str], row: int | None = None):
    """Map codes or synonyms to condition groups; returns (groups, problems)."""
    return _resolve(items, _COND, "conditions", row)


def resolve_medications(items: list[str], row: int | None = None):
    return _resolve(items, _MED, "medications", row)


def resolve_symptoms(items: list[str], row: int | None = None):
    """ACSM codes pass through; free text is kept for the engine's symptom mapper."""
    return tuple(items), []


__all__ = ["ACSM_WARNING_SIGNS", "CONDITIONS", "MEDICATIONS", "Code", "resolve_conditions",
           "resolve_medications", "resolve_symptoms"]
