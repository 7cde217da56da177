"""Golden cases: clinician-written inputs with the expected prescription, stored beside the
rules (``cases/*.yaml``) and run against the real Assistant output.

A failing case says which case, which expectation, what was expected and what came out,
so the person who edited a rule sees at once what their change did. Coverage lists the
rules that no case fires: a rule nobody has seen fire has never been checked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..assessment import parse_assessment
from ..errors import AssessmentError, PrescribeError, RuleProblem
from ..vocabulary import VARIABLES
from .conditions import suggest
from .registry import LEVEL_RANK, Registry

CASE_KEYS = ("id", "title", "given", "expect", "note")
LIST_EXPECTATIONS = {
    # expectation: (prescription key, item key, include?)
    "components_include": ("components", "type", True),
    "components_exclude": ("components", "type", False),
    "excluded_include": ("excluded", "code", True),
    "excluded_exclude": ("excluded", "code", False),
    "referrals_include": ("referrals", "to", True),
    "referrals_exclude": ("referrals", "to", False),
    "precautions_include": ("precautions", "code", True),
    "education_include": ("education", "code", True),
    "needs_review_include": ("needs_review", "code", True),
    "fired_include": ("fired", None, True),
    "fired_exclude": ("fired", None, False),
}
EXPECT_KEYS = ("outcome", "clearance", "intensity_cap", "intensity_cap_at_most",
               *LIST_EXPECTATIONS, "target_hr_bpm", "weekly_minutes_at_least", "needs_review")
OUTCOMES = ("defer", "prescription_pending_clearance", "prescription")
INPUT_NAMES = tuple(v.name for v in VARIABLES if not v.derived)


@dataclass(frozen=True)
class Case:
    id: str
    title: Mapping[str, str]
    given: Mapping[str, Any]
    expect: Mapping[str, Any]
    file: str
    note: str | None = None

    def to_data(self) -> dict:
        from .yamlio import Flow
        out: dict[str, Any] = {"id": self.id, "title": Flow(self.title), "given": Flow(self.given),
                               "expect": dict(self.expect)}
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class CaseFailure:
    case_id: str
    file: str
    expectation: str
    expected: Any
    actual: Any

    def __str__(self) -> str:
        return (f"{self.file} case `{self.case_id}` [{self.expectation}]: "
                f"expected {self.expected!r}, got {self.actual!r}")


@dataclass
class CaseReport:
    total: int = 0
    passed: int = 0
    failures: list[CaseFailure] = field(default_factory=list)
    uncovered: list[str] = field(default_factory=list)  # enabled rules no case fires
    fired_counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failures


# --------------------------------------------------------------------------- parsing
def parse_case_file(file: str, doc: Any, registry: Registry, rule_ids: Mapping[str, str],
                    problems: list[RuleProblem]) -> list[Case]:
    if not isinstance(doc, Mapping) or set(doc) != {"cases"} or not isinstance(doc["cases"], list):
        problems.append(RuleProblem(file, None, None, "a case file holds exactly one key, `cases:`, "
                                                      "with a list of cases"))
        return []
    out = []
    for i, raw in enumerate(doc["cases"]):
        case = _parse_case(file, i, raw, rule_ids, problems)
        if case is not None:
            out.append(case)
    return out


def _parse_case(file: str, index: int, raw: Any, rule_ids: Mapping[str, str],
                problems: list[RuleProblem]) -> Case | None:
    if not isinstance(raw, Mapping):
        problems.append(RuleProblem(file, f"#{index + 1}", None, "a case must be a mapping"))
        return None
    cid = raw.get("id")
    label = cid if isinstance(cid, str) and cid else f"#{index + 1}"
    before = len(problems)

    def bad(fld: str | None, msg: str, hint: str | None = None) -> None:
        problems.append(RuleProblem(file, label, fld, msg, hint))

    for key in raw:
        if key not in CASE_KEYS:
            bad(str(key), f"unknown key `{key}`", suggest(key, CASE_KEYS))
    if not isinstance(cid, str) or not cid:
        bad("id", "`id` is required")
    title = raw.get("title")
    if not isinstance(title, Mapping) or not all(isinstance(title.get(k), str) and title[k].strip()
                                                 for k in ("zh", "en")):
        bad("title", "`title` needs {zh: ..., en: ...}")
    given = raw.get("given")
    if not isinstance(given, Mapping) or not given:
        bad("given", "`given` needs the assessment inputs")
    else:
        try:
            parse_assessment(given)
        except AssessmentError as exc:
            for p in exc.problems:
                if p.severity == "error":
                    hint = suggest(p.field, INPUT_NAMES) if p.field not in INPUT_NAMES else None
                    bad(f"given.{p.field}", f"{p.message} ({p.value!r})", hint)
    expect = raw.get("expect")
    if not isinstance(expect, Mapping) or not expect:
        bad("expect", "`expect` needs at least one expectation")
    else:
        _check_expect(expect, rule_ids, bad)
    if len(problems) > before:
        return None
    return Case(cid, dict(title), dict(given), dict(expect), file, raw.get("note"))


def _check_expect(expect: Mapping, rule_ids: Mapping[str, str], bad) -> None:
    for key, value in expect.items():
        fld = f"expect.{key}"
        if key not in EXPECT_KEYS:
            bad(fld, f"unknown expectation `{key}`", suggest(key, EXPECT_KEYS))
        elif key == "outcome" and value not in OUTCOMES:
            bad(fld, f"unknown outcome `{value}` (allowed: {', '.join(OUTCOMES)})", suggest(value, OUTCOMES))
        elif key in ("intensity_cap", "intensity_cap_at_most") and value is not None and value not in LEVEL_RANK:
            bad(fld, f"unknown intensity level `{value}`", suggest(value, LEVEL_RANK))
        elif key in LIST_EXPECTATIONS:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                bad(fld, "needs a list of codes")
            elif key.startswith("fired_"):
                for rid in value:
                    if rid not in rule_ids:
                        bad(fld, f"unknown rule id `{rid}`", suggest(rid, rule_ids))
        elif key == "clearance" and not (isinstance(value, Mapping) and set(value) <= {"required", "before"}):
            bad(fld, "`clearance` is {required: true|false, before: any|vigorous|null}")
        elif key == "target_hr_bpm" and not (isinstance(value, Mapping) and all(
                v is None or (isinstance(v, list) and len(v) == 2) for v in value.values())):
            bad(fld, "`target_hr_bpm` maps a component type to [lo, hi] or null")
        elif key == "weekly_minutes_at_least" and (isinstance(value, bool) or not isinstance(value, int | float)):
            bad(fld, "needs a number of minutes")
        elif key == "needs_review" and not isinstance(value, bool):
            bad(fld, "needs true or false")


# --------------------------------------------------------------------------- running
def _codes(items: Iterable[Any], key: str | None) -> list[str]:
    out = []
    for item in items or ():
        out.append(item.get(key) if key and isinstance(item, Mapping) else item)
    return out


def _fired(result: Mapping) -> list[str]:
    if "fired" in result:
        return list(result["fired"])
    return [t.get("rule_id") for t in result.get("trace", ())]


def _component(result: Mapping, ctype: str) -> Mapping | None:
    for comp in result.get("components", ()):
        if comp.get("type") == ctype:
            return comp
    return None


def _hr_range(value: Any) -> tuple[float, float] | None:
    if value is None:
        return None
    if isinstance(value, Mapping):
        return (value.get("lo", value.get("min")), value.get("hi", value.get("max")))
    return (value[0], value[1])


def _weekly_min(result: Mapping) -> float | None:
    wm = result.get("weekly_minutes")
    if isinstance(wm, Mapping):
        wm = wm.get("min", wm.get("moderate_equivalent"))
    if isinstance(wm, list | tuple):
        wm = wm[0] if wm else None
    return wm


def check_case(case: Case, result: Mapping) -> list[CaseFailure]:
    """Compare one prescription with a case's expectations; one failure per broken expectation."""
    fails: list[CaseFailure] = []

    def fail(key: str, expected: Any, actual: Any) -> None:
        fails.append(CaseFailure(case.id, case.file, key, expected, actual))

    for key, want in case.expect.items():
        if key == "outcome":
            if result.get("outcome") != want:
                fail(key, want, result.get("outcome"))
        elif key == "clearance":
            got = result.get("clearance") or {}
            for sub, val in want.items():
                if got.get(sub) != val:
                    fail(f"clearance.{sub}", val, got.get(sub))
        elif key == "intensity_cap":
            if result.get("intensity_cap") != want:
                fail(key, want, result.get("intensity_cap"))
        elif key == "intensity_cap_at_most":
            cap = result.get("intensity_cap")
            if cap is None or LEVEL_RANK[cap] > LEVEL_RANK[want]:
                fail(key, want, cap)
        elif key in LIST_EXPECTATIONS:
            src, item_key, include = LIST_EXPECTATIONS[key]
            have = _fired(result) if src == "fired" else _codes(result.get(src, ()), item_key)
            wrong = [c for c in want if (c in have) != include]
            if wrong:
                fail(key, want, have)
        elif key == "target_hr_bpm":
            for ctype, bounds in want.items():
                comp = _component(result, ctype)
                got = _hr_range(comp.get("target_hr_bpm")) if comp else None
                if bounds is None:
                    if got is not None:
                        fail(f"target_hr_bpm.{ctype}", None, list(got))
                elif got is None or got[0] < bounds[0] or got[1] > bounds[1]:
                    fail(f"target_hr_bpm.{ctype}", bounds, None if got is None else list(got))
        elif key == "weekly_minutes_at_least":
            got = _weekly_min(result)
            if got is None or got < want:
                fail(key, want, got)
        elif key == "needs_review":
            got = bool(result.get("needs_review"))
            if got != want:
                fail(key, want, _codes(result.get("needs_review", ()), "code"))
    return fails


def run_cases(assistant: Any, cases: Iterable[Case] | None = None) -> CaseReport:
    """Run cases (default: all of the assistant's rule set) and report failures and coverage."""
    ruleset = assistant.ruleset
    cases = list(ruleset.cases if cases is None else cases)
    report = CaseReport(total=len(cases), fired_counts={r.id: 0 for r in ruleset.enabled_rules})
    for case in cases:
        try:
            result = assistant.prescribe(case.given)
        except PrescribeError as exc:
            report.failures.append(CaseFailure(case.id, case.file, "given", "a prescription", str(exc)))
            continue
        for rid in set(_fired(result)):
            if rid in report.fired_counts:
                report.fired_counts[rid] += 1
        fails = check_case(case, result)
        report.failures.extend(fails)
        report.passed += not fails
    report.uncovered = [rid for rid, n in report.fired_counts.items() if n == 0]
    return report
