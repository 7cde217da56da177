"""The publish gate: a draft goes live only if the engine loads it, the linter finds no
error and every golden case passes.

The result names exactly what blocks publication (which lint problem in which rule and
field, which golden case and which of its expectations, what was expected and what came
out) so a prescriber can fix the draft in one pass. Lint warnings and rules no case
exercises are reported but do not block unless the deployment asks for full coverage.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import RulebookError, RuleProblem
from .documents import RuleSetDocument
from .editing import without_echoes

Files = Mapping[str, str]


@dataclass(frozen=True)
class GateResult:
    """Everything the gate found; ``passed`` is the publish decision."""

    name: str = ""
    version: str = ""
    hash: str = ""
    load_problems: tuple[RuleProblem, ...] = ()
    lint_blocking: tuple[RuleProblem, ...] = ()
    lint_warnings: tuple[RuleProblem, ...] = ()
    case_failures: tuple[Any, ...] = ()  # engine.cases.CaseFailure
    cases_total: int = 0
    cases_passed: int = 0
    uncovered_rules: tuple[str, ...] = ()
    require_coverage: bool = False
    failed_case_ids: tuple[str, ...] = field(default=())

    @property
    def coverage_blocks(self) -> bool:
        return self.require_coverage and bool(self.uncovered_rules)

    @property
    def passed(self) -> bool:
        return not (self.load_problems or self.lint_blocking or self.case_failures
                    or self.coverage_blocks)

    def blocking_lines(self) -> list[str]:
        """One line per blocking finding, in the order a prescriber should fix them."""
        lines = [f"load: {p}" for p in self.load_problems]
        lines += [f"lint: {p}" for p in self.lint_blocking]
        lines += [f"case: {f}" for f in self.case_failures]
        if self.coverage_blocks:
            lines += [f"coverage: no golden case fires rule `{r}`" for r in self.uncovered_rules]
        return lines

    def summary(self) -> str:
        if self.passed:
            return (f"{self.name} {self.version}: ready to publish — {self.cases_passed}/"
                    f"{self.cases_total} golden cases pass, no blocking lint problems")
        lines = self.blocking_lines()
        return f"{self.name} {self.version}: blocked by {len(lines)} problem(s):\n" + \
            "\n".join(f"  - {line}" for line in lines)


def run_gate(files: Files, *, model: Any = None, require_coverage: bool = False) -> GateResult:
    """Load, lint and test a draft (``{filename: text}``) and decide whether it may go live.

    ``model`` is the fitness model the clinic runs with, so cases see the same tiers.
    """
    from ..assistant import Assistant
    from ..engine import load_ruleset
    from ..engine.cases import run_cases
    from ..engine.lint import lint_ruleset

    try:
        ruleset = load_ruleset(dict(files))
    except RulebookError as exc:
        try:
            problems = without_echoes(exc.problems, RuleSetDocument(files).ids("rules"))
        except RulebookError:  # YAML that does not parse: the loader's report says where
            problems = exc.problems
        return GateResult(load_problems=tuple(problems), require_coverage=require_coverage)
    findings = lint_ruleset(ruleset)
    report = run_cases(Assistant(ruleset, model))
    failed = tuple(dict.fromkeys(f.case_id for f in report.failures))
    return GateResult(
        name=ruleset.name, version=ruleset.version, hash=ruleset.hash,
        lint_blocking=tuple(p for p in findings if p.severity == "error"),
        lint_warnings=tuple(p for p in findings if p.severity != "error"),
        case_failures=tuple(report.failures), cases_total=report.total,
        cases_passed=report.passed, uncovered_rules=tuple(report.uncovered),
        require_coverage=require_coverage, failed_case_ids=failed)
