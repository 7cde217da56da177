"""Impact replay: what would change for whom if the draft rule set were published.

The draft and the published rule set are both run over the same recent assessments (and
over every golden case) with the batch engine. The batch engine already groups rows that
fire the same rules into one shared decision ("pattern"), so the comparison is done once
per distinct *(published pattern, draft pattern)* pair and broadcast back to the rows with
numpy: 10,000 assessments cost two batch runs plus a comparison of a few hundred pairs.

Rows are named by a keyed hash of their id (HMAC-SHA-256 with a secret the caller holds),
so the report can be shown, exported and discussed without naming a patient, while the
station that holds the key can still find the record to review it.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import pandas as pd

from ..vocabulary import BY_NAME

FIELDS = ("outcome", "clearance", "intensity_cap", "components", "exclusions", "referrals",
          "needs_review")
"""The parts of a prescription whose change the report counts, in display order."""
DEFAULT_LIMIT = 1000


class BatchAssistant(Protocol):
    ruleset: Any

    def decide_frame(self, df: pd.DataFrame, *, on_invalid: str = "raise") -> tuple: ...


def _range(pair: Any, unit: str = "") -> str:
    if pair is None:
        return ""
    lo, hi = pair
    return (f"{lo:g}" if isinstance(lo, int | float) else str(lo)) + (
        "" if lo == hi else "–" + (f"{hi:g}" if isinstance(hi, int | float) else str(hi))) + unit


def _component(c: Mapping[str, Any]) -> str:
    text = (f"{c['type']} {_range(c.get('days_per_week'), ' d/wk')} × "
            f"{_range(c.get('minutes_per_session'), ' min')}, {_range(c.get('intensity'))}")
    if c.get("hrr_percent"):
        text += f", {_range(c['hrr_percent'], '% HRR')}"
    if c.get("weekly_minutes"):
        text += f", {_range(c['weekly_minutes'], ' min/wk')}"
    return text


def summarize(decision: Mapping[str, Any]) -> dict[str, str]:
    """Each compared field of one Decision as short, order-independent text."""
    clearance = decision.get("clearance") or {}
    return {
        "outcome": str(decision.get("outcome")),
        "clearance": (f"required before {clearance.get('before')}" if clearance.get("required")
                      else "not required"),
        "intensity_cap": str(decision.get("intensity_cap") or "none"),
        "components": "; ".join(sorted(_component(c) for c in decision.get("components", ()))),
        "exclusions": ", ".join(sorted({e["code"] for e in decision.get("excluded", ())})),
        "referrals": ", ".join(sorted({f"{r['to']} ({r['urgency']})"
                                       for r in decision.get("referrals", ())})),
        "needs_review": ", ".join(sorted({str(r.get("code")) for r in
                                          decision.get("needs_review", ())})),
    }


def pseudonym(key: bytes, record_id: Any) -> str:
    """A stable 16-hex-digit pseudonym for a record id under ``key`` (HMAC-SHA-256)."""
    return hmac.new(key, str(record_id).encode("utf-8"), hashlib.sha256).hexdigest()[:16]


@dataclass
class Comparison:
    """Which rows changed in which fields, with before/after text (one row per change)."""

    rows_compared: int
    rows_invalid: int
    rows_changed: int
    field_counts: dict[str, int]
    changes: pd.DataFrame  # id, field, before, after


@dataclass
class ImpactReport:
    published_version: str
    draft_version: str
    assessments: Comparison
    cases: Comparison
    seconds: float
    notes: list[str] = field(default_factory=list)

    def side_by_side(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Affected assessments, each with its changed fields before and after."""
        out: list[dict[str, Any]] = []
        for rid, group in self.assessments.changes.groupby("id", sort=False):
            out.append({"id": rid, "fields": group[["field", "before", "after"]]
                        .to_dict("records")})
            if limit is not None and len(out) >= limit:
                break
        return out


def _inputs(frame: pd.DataFrame) -> pd.DataFrame:
    """Only the assessment inputs: names, record numbers and the like never reach the engine."""
    keep = [c for c in frame.columns if c in BY_NAME and not BY_NAME[c].derived]
    return frame[keep].reset_index(drop=True)


def compare_frames(published: BatchAssistant, draft: BatchAssistant, frame: pd.DataFrame,
                   ids: np.ndarray) -> Comparison:
    """Run both rule sets over ``frame`` and list every changed field of every row."""
    inputs = _inputs(frame)
    n = len(inputs)
    if n == 0:
        return Comparison(0, 0, 0, dict.fromkeys(FIELDS, 0),
                          pd.DataFrame(columns=["id", "field", "before", "after"]))
    bd_old, bad_old, _ = published.decide_frame(inputs, on_invalid="mark")
    bd_new, bad_new, _ = draft.decide_frame(inputs, on_invalid="mark")
    invalid = np.asarray(bad_old) | np.asarray(bad_new)
    old_text = np.array([[s[f] for f in FIELDS] for s in map(summarize, bd_old.patterns)],
                        dtype=object).reshape(-1, len(FIELDS))
    new_text = np.array([[s[f] for f in FIELDS] for s in map(summarize, bd_new.patterns)],
                        dtype=object).reshape(-1, len(FIELDS))
    pair = bd_old.inverse.astype(np.int64) * max(len(bd_new.patterns), 1) + bd_new.inverse
    pairs, inverse = np.unique(pair, return_inverse=True)
    p_old, p_new = np.divmod(pairs, max(len(bd_new.patterns), 1))
    changed_pairs = old_text[p_old] != new_text[p_new]          # pairs × fields
    changed = changed_pairs[inverse.reshape(-1)] & ~invalid[:, None]  # rows × fields
    rows, cols = np.nonzero(changed)
    before = old_text[bd_old.inverse[rows], cols]
    after = new_text[bd_new.inverse[rows], cols]
    changes = pd.DataFrame({"id": ids[rows], "field": np.asarray(FIELDS, dtype=object)[cols],
                            "before": before, "after": after})
    return Comparison(rows_compared=int(n - invalid.sum()), rows_invalid=int(invalid.sum()),
                      rows_changed=int(changed.any(axis=1).sum()),
                      field_counts={f: int(c) for f, c in zip(FIELDS, changed.sum(axis=0),
                                                              strict=True)},
                      changes=changes)


def recent(frame: pd.DataFrame, limit: int | None = DEFAULT_LIMIT,
           order_column: str | None = "test_date") -> pd.DataFrame:
    """The last ``limit`` assessments by ``order_column`` (file order when it is absent)."""
    if order_column and order_column in frame.columns:
        frame = frame.sort_values(order_column, kind="stable")
    return frame if limit is None else frame.tail(limit)


def cases_frame(cases: Iterable[Any]) -> tuple[pd.DataFrame, np.ndarray]:
    """Golden cases' inputs as a table, with the case ids as row ids."""
    cases = list(cases)
    frame = pd.DataFrame([dict(c.given) for c in cases])
    return frame, np.array([c.id for c in cases], dtype=object)


def impact_analysis(published: BatchAssistant, draft: BatchAssistant,
                    assessments: pd.DataFrame, *, key: bytes, id_column: str = "assessment_id",
                    limit: int | None = DEFAULT_LIMIT, order_column: str | None = "test_date",
                    ) -> ImpactReport:
    """Replay the draft against the published rules over recent assessments and all cases.

    ``assessments`` holds one row per assessment with vocabulary columns plus
    ``id_column``; other columns (names, phone numbers) are ignored. Rows are identified in
    the report only by ``pseudonym(key, id)``. Golden cases are those of the draft.
    """
    if not key:
        raise ValueError("impact analysis needs a secret key to pseudonymise record ids")
    if id_column not in assessments.columns:
        raise ValueError(f"the assessments table has no `{id_column}` column "
                         f"(columns: {', '.join(map(str, assessments.columns))})")
    start = time.perf_counter()
    rows = recent(assessments, limit, order_column)
    ids = rows[id_column].map(lambda v: pseudonym(key, v)).to_numpy(dtype=object)
    on_rows = compare_frames(published, draft, rows, ids)
    frame, case_ids = cases_frame(draft.ruleset.cases)
    on_cases = compare_frames(published, draft, frame, case_ids)
    notes = []
    if on_rows.rows_invalid:
        notes.append(f"{on_rows.rows_invalid} assessment(s) have invalid inputs and were "
                     "not compared")
    return ImpactReport(published.ruleset.version, draft.ruleset.version, on_rows, on_cases,
                        time.perf_counter() - start, notes)
