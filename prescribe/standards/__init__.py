"""Exact scoring against the Chinese national fitness standards, and screening flags.

* ``score_record(record, "student" | "physique")`` and ``score_frame(df, ...)`` score the
  国家学生体质健康标准 (2014) or the 国民体质测定标准 (2003); the frame path is vectorised
  and gives the same results as the record path. Both raise ``AssessmentError`` listing
  every input problem; ``prepare_frame`` + ``score_prepared`` let a batch keep its valid
  rows instead.
* ``bmi_class_youth`` (WS/T 586-2018), ``bmi_class_adult`` and ``central_obesity``
  (WS/T 428-2013), ``screening_myopia`` and ``atr_band``, each with a ``*_frame`` twin.
* ``EDITIONS[standard]`` is the edition id a result records in ``standard_edition``.

Tables live in ``tables/`` (one file set per edition, see ``tables/PROVENANCE.md``) and are
read once per process.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pandas as pd

from ..errors import AssessmentError, InputProblem, StandardsError
from . import inputs
from .physique import compile_physique, score_physique
from .records import score_physique_one, score_student_one
from .screening import (
    atr_band,
    atr_band_frame,
    atr_screen_positive,
    screening_myopia,
    screening_myopia_frame,
)
from .student import compile_student, score_students
from .tables import STANDARD_KINDS, default_edition, editions, resolve_edition
from .weight import (
    bmi_class_adult,
    bmi_class_adult_frame,
    bmi_class_youth,
    bmi_class_youth_frame,
    central_obesity,
    central_obesity_frame,
)

SCORED_STANDARDS = ("student", "physique")


class _Editions(Mapping[str, str]):
    """Standard kind → default edition id, read lazily from ``tables/editions.csv``."""

    def __getitem__(self, standard: str) -> str:
        if standard not in STANDARD_KINDS:
            raise KeyError(standard)
        return default_edition(standard)

    def __iter__(self) -> Iterator[str]:
        return iter(STANDARD_KINDS)

    def __len__(self) -> int:
        return len(STANDARD_KINDS)


EDITIONS: Mapping[str, str] = _Editions()


def edition_title(edition: str, lang: str = "zh") -> str:
    """The edition's full title, for printed plans and provenance blocks."""
    ed = editions()[edition]
    return ed.title_zh if lang.startswith("zh") else ed.title_en


def _check_standard(standard: str, edition: str | None) -> str:
    if standard not in SCORED_STANDARDS:
        raise StandardsError(f"unknown standard {standard!r}; use one of "
                             f"{', '.join(SCORED_STANDARDS)}")
    return resolve_edition(standard, edition)


def prepare_frame(df: pd.DataFrame, standard: str, *, edition: str | None = None
                  ) -> tuple[pd.DataFrame, list[InputProblem]]:
    """Clean what ``standard`` reads from ``df``; return (clean frame, every problem)."""
    return inputs.prepare_frame(df, standard, _check_standard(standard, edition))


def score_prepared(clean: pd.DataFrame, standard: str, *, edition: str | None = None
                   ) -> pd.DataFrame:
    """Score rows already cleaned by :func:`prepare_frame` (drop rows with errors first)."""
    ed = _check_standard(standard, edition)
    if standard == "student":
        return score_students(clean, compile_student(ed))
    return score_physique(clean, compile_physique(ed))


def score_frame(df: pd.DataFrame, standard: str, *, edition: str | None = None) -> pd.DataFrame:
    """Score every row; result columns only, same index as ``df``.

    Raises ``AssessmentError`` listing every problem (row = file line when the index is
    named ``line``) if any row is invalid.
    """
    clean, problems = prepare_frame(df, standard, edition=edition)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise AssessmentError(errors)
    return score_prepared(clean, standard, edition=edition)


def score_record(record: Mapping[str, Any], standard: str, *, edition: str | None = None
                 ) -> dict[str, Any]:
    """Score one record; the dict has the frame's columns (``None`` where empty)."""
    ed = _check_standard(standard, edition)
    values = inputs.prepare_record(record, standard, ed)
    if standard == "student":
        return score_student_one(values, compile_student(ed))
    return score_physique_one(values, compile_physique(ed))


__all__ = [
    "EDITIONS",
    "SCORED_STANDARDS",
    "atr_band",
    "atr_band_frame",
    "atr_screen_positive",
    "bmi_class_adult",
    "bmi_class_adult_frame",
    "bmi_class_youth",
    "bmi_class_youth_frame",
    "central_obesity",
    "central_obesity_frame",
    "edition_title",
    "prepare_frame",
    "score_frame",
    "score_prepared",
    "score_record",
    "screening_myopia",
    "screening_myopia_frame",
]
