"""The public facade: assessment in, prescription out — for one person or a whole table.

``Assistant`` ties the pieces together in the order the domain brief gives (domain.md §0):
validate the input, derive facts (standards, screening flags, the fitness tier), run the
rules, combine safety-first, then let ``prescribe.prescription`` turn the decision into
numbers a person can follow. The single and the batch path give identical results.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .assessment import Assessment, parse_assessment
from .engine import ENGINE_VERSION
from .engine.batch import BatchDecision, decide_frame, gc_paused
from .engine.evaluate import Engine
from .engine.facts import derive_facts
from .engine.inputs import frame_inputs, kinds_of, record_frame
from .engine.loader import load_ruleset
from .engine.ruleset import Ruleset
from .errors import AssessmentError

FRAME_COLUMNS = ("outcome", "intensity_cap", "clearance_required", "clearance_before", "referrals",
                 "components", "excluded", "needs_review", "fired", "target_hr_lo", "target_hr_hi",
                 "input_errors", "prescription")
DECISION_COLUMNS = FRAME_COLUMNS[1:9]
YOUTH_GROUPS = ("preschool_3_6", "youth_6_17")


class Assistant:
    """A loaded rule set (and optionally a fitness model), ready to prescribe."""

    def __init__(self, ruleset: Ruleset, model: Any = None):
        self.ruleset = ruleset
        self.model = model
        self.engine = Engine(ruleset)
        self._kinds = kinds_of(ruleset.registry)

    @classmethod
    def from_paths(cls, rules_dir: str | Path, model_dir: str | Path | None = None) -> Assistant:
        """Load the rule set (every problem at once) and, if given, the fitness model."""
        model = None
        if model_dir is not None:
            from .fitness import load_model

            model = load_model(model_dir)
        return cls(load_ruleset(rules_dir), model)

    @property
    def provenance(self) -> dict[str, Any]:
        """What produced a prescription: pinned so any plan can be re-derived."""
        from .standards import EDITIONS

        return {
            "ruleset": {"name": self.ruleset.name, "version": self.ruleset.version,
                        "hash": self.ruleset.hash},
            "standards": sorted(set(EDITIONS.values())),
            "model_version": getattr(self.model, "version", None),
            "engine_version": ENGINE_VERSION,
        }

    # ----------------------------------------------------------------- one person
    def facts(self, data: Mapping[str, Any] | Assessment) -> dict[str, Any]:
        """Inputs plus derived facts for one record (before any rule's ``set``)."""
        assessment = data if isinstance(data, Assessment) else parse_assessment(data)
        ff = record_frame(assessment, self._kinds)
        derive_facts(ff, self.ruleset.screening_profile, self.model)
        return ff.row(0)

    def decide(self, data: Mapping[str, Any] | Assessment) -> tuple[dict[str, Any], dict[str, Any]]:
        """(Decision with trace, facts after the rules' ``set`` effects) for one record."""
        decision, after = self.engine.decide_traced(self.facts(data))
        return decision, dict(after)

    def prescribe(self, data: Mapping[str, Any] | Assessment, *,
                  generated_at: str | None = None) -> dict[str, Any]:
        """The prescription JSON for one assessment; raises ``AssessmentError`` on bad input."""
        decision, facts = self.decide(data)
        return self._build(decision, facts, generated_at)

    def _build(self, decision: dict, facts: dict, generated_at: str | None) -> dict[str, Any]:
        provenance = self.provenance
        provenance["generated_at"] = generated_at or _now()
        try:
            from .prescription import build_prescription
        except ImportError:  # pragma: no cover - the clinical-content area provides it
            return _fallback_prescription(decision, facts, provenance)
        return build_prescription(decision, facts, provenance)

    # ----------------------------------------------------------------- a table
    def decide_frame(self, df: pd.DataFrame, *, on_invalid: str = "raise",
                     student_scores: pd.DataFrame | None = None
                     ) -> tuple[BatchDecision, np.ndarray, list]:
        """(BatchDecision, rows-with-errors mask, problems) for a table of assessments.

        ``student_scores``: the 2014 student standard's result for the same rows (same
        order), when the caller has it already (the school pipeline scores every child
        while screening); the engine then does not score them again. Same facts either
        way; see ``prescribe.engine.grades.derive_grades`` for the contract.
        """
        if on_invalid not in ("raise", "mark"):
            raise ValueError("on_invalid is 'raise' or 'mark'")
        ff, problems, bad = frame_inputs(df, self._kinds)
        if on_invalid == "raise" and any(p.severity == "error" for p in problems):
            raise AssessmentError(problems)
        derive_facts(ff, self.ruleset.screening_profile, self.model,
                     student_scores=student_scores)
        return decide_frame(self.engine, ff), bad, problems

    def prescribe_frame(self, df: pd.DataFrame, *, on_invalid: str = "raise",
                        prescriptions: bool = True, generated_at: str | None = None,
                        student_scores: pd.DataFrame | None = None) -> pd.DataFrame:
        """One row per input row (same index) with JSON-able decision columns.

        ``on_invalid="raise"`` refuses a table with any invalid row (listing every
        problem); ``"mark"`` keeps going and marks those rows ``invalid_input`` with their
        messages in ``input_errors``. ``prescriptions=False`` skips the per-row
        prescription JSON (the decision columns stay vectorised). ``student_scores``: as
        for :meth:`decide_frame` (scores the caller already has; same result).
        """
        with gc_paused():
            return self._prescribe_frame(df, on_invalid, prescriptions, generated_at,
                                         student_scores)

    def _prescribe_frame(self, df: pd.DataFrame, on_invalid: str, prescriptions: bool,
                         generated_at: str | None, student_scores: pd.DataFrame | None
                         ) -> pd.DataFrame:
        bd, bad, problems = self.decide_frame(df, on_invalid=on_invalid,
                                              student_scores=student_scores)
        out = pd.DataFrame(index=df.index)
        out["outcome"] = np.where(bad, "invalid_input", bd.column("outcome"))
        out["intensity_cap"] = _per_pattern(bd, lambda d: d["intensity_cap"])
        out["clearance_required"] = _per_pattern(bd, lambda d: d["clearance"]["required"])
        out["clearance_before"] = _per_pattern(bd, lambda d: d["clearance"]["before"])
        out["referrals"] = _per_pattern(bd, lambda d: [r["to"] for r in d["referrals"]])
        # while deferred no exercise may start: the prescription lists no components either
        out["components"] = _per_pattern(bd, lambda d: [] if d["outcome"] == "defer"
                                         else [c["type"] for c in d["components"]])
        out["excluded"] = _per_pattern(bd, lambda d: [e["code"] for e in d["excluded"]])
        out["needs_review"] = _per_pattern(bd, lambda d: [r["code"] for r in d["needs_review"]])
        out["fired"] = _per_pattern(bd, lambda d: list(d["fired"]))
        out["target_hr_lo"], out["target_hr_hi"] = target_hr_columns(bd)
        errors = np.empty(len(df), dtype=object)
        for p in problems:  # one entry per problem, not per row
            rows = range(len(df)) if p.row is None else (p.row - 2,)
            for i in rows:
                errors[i] = [*(errors[i] or []), str(p)]
        out["input_errors"] = errors
        if bad.any():
            for col in DECISION_COLUMNS:
                out.loc[bad, col] = None
            out.loc[bad, ["target_hr_lo", "target_hr_hi"]] = np.nan
        if prescriptions:
            stamp = generated_at or _now()
            after = bd.facts.rows()
            out["prescription"] = [None if bad[i] else self._build(bd.traced(i), after[i], stamp)
                                   for i in range(len(df))]
        return out


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _per_pattern(bd: BatchDecision, fn) -> np.ndarray:
    values = np.empty(len(bd.patterns), dtype=object)
    values[:] = [fn(p) for p in bd.patterns] if bd.patterns else []
    return values[bd.inverse]


def target_hr_columns(bd: BatchDecision) -> tuple[np.ndarray, np.ndarray]:
    """The aerobic target heart rate (lo, hi) per row, vectorised (Karvonen); NaN for none.

    Same rule as ``prescription.build_prescription``: only for adults whose heart rate is a
    valid marker and whose resting rate is known, for an aerobic component not at
    very-light intensity and not deferred; the percentages come per pattern from
    ``hrr_percent_for`` and the bpm from ``karvonen`` on whole columns.
    """
    from .prescription import hrr_percent_for, karvonen

    lo_pct = np.full(len(bd.patterns), np.nan)
    hi_pct = np.full(len(bd.patterns), np.nan)
    for k, d in enumerate(bd.patterns):
        aerobic = next((c for c in d["components"] if c["type"] == "aerobic"), None)
        if d["outcome"] != "defer" and aerobic and aerobic["intensity"][0] != "very_light":
            lo_pct[k], hi_pct[k] = hrr_percent_for(list(aerobic["intensity"]), aerobic.get("hrr_percent"))
    lo_pct, hi_pct = lo_pct[bd.inverse], hi_pct[bd.inverse]
    facts = bd.facts
    rest = facts.num("resting_hr_bpm")
    hr_max = facts.num("hr_max_bpm")
    group = facts.get("age_group")
    youth = np.array([g in YOUTH_GROUPS for g in group.levels] + [False])[group.codes] | (
        facts.num("age_years") < 18)
    ok = (facts.num("hr_valid_marker") == 1.0) & (hr_max > rest) & ~youth & ~np.isnan(lo_pct)
    lo = np.where(ok, karvonen(rest, hr_max, lo_pct / 100), np.nan)
    hi = np.where(ok, karvonen(rest, hr_max, hi_pct / 100), np.nan)
    return lo, hi


def _fallback_prescription(decision: dict, facts: dict, provenance: dict) -> dict[str, Any]:
    """The decision in the prescription's shape, for when ``prescription.py`` is absent."""
    from .engine.trace import json_value

    return {**decision, "facts": {k: json_value(v) for k, v in facts.items()},
            "provenance": provenance}
