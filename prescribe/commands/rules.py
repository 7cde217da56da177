"""``prescribe rules lint [DIR]`` and ``prescribe rules test [DIR]`` (DIR: rules/default).

``lint`` loads the rule set (every loading problem, with file, rule, field and a
suggestion) and, when it loads, lints it: unreachable and shadowed rules, gaps and overlaps
in band tables, modifiers that would relax a plan. ``test`` runs the golden cases against
the real Assistant output and reports each failing expectation and the rules no case fires.
Both exit 0 when clean and 2 on problems (info lines such as disabled rules do not count).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path

from ..errors import RulebookError, RuleProblem

DEFAULT_DIR = Path("rules/default")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("rules", help="check a rule set: lint it, run its golden cases",
                                   description=__doc__.split("\n\n")[1])
    sub = parser.add_subparsers(dest="rules_command", metavar="ACTION")
    lint = sub.add_parser("lint", help="load and lint a rule set")
    lint.add_argument("dir", nargs="?", type=Path, default=DEFAULT_DIR, help="rule set folder")
    lint.set_defaults(func=run_lint)
    test = sub.add_parser("test", help="run a rule set's golden cases, with rule coverage")
    test.add_argument("dir", nargs="?", type=Path, default=DEFAULT_DIR, help="rule set folder")
    test.add_argument("--model", type=Path, help="fitness model folder (default: none)")
    test.add_argument("--require-coverage", action="store_true",
                      help="also fail when an enabled rule is fired by no case")
    test.set_defaults(func=run_test)
    parser.set_defaults(func=lambda args: parser.print_help() or 1)


def format_problem(p: RuleProblem) -> str:
    where = p.file + (f" rule `{p.rule_id}`" if p.rule_id else "")
    fld = f" [{p.field}]" if p.field else ""
    hint = f" — did you mean `{p.suggestion}`?" if p.suggestion else ""
    return f"{p.severity:7s} {where}{fld}: {p.message}{hint}"


def _print(problems: Iterable[RuleProblem]) -> None:
    for p in problems:
        print(format_problem(p))


def _load(path: Path):
    from ..engine import load_ruleset

    try:
        return load_ruleset(path), []
    except RulebookError as exc:
        return None, exc.problems


def run_lint(args: argparse.Namespace) -> int:
    from ..engine.lint import lint_ruleset

    ruleset, problems = _load(args.dir)
    if ruleset is None:
        _print(problems)
        print(f"{len(problems)} problem(s): the rule set does not load", file=sys.stderr)
        return 2
    findings = lint_ruleset(ruleset)
    _print(findings)
    count = {s: sum(p.severity == s for p in findings) for s in ("error", "warning", "info")}
    print(f"{ruleset.name} {ruleset.version} ({len(ruleset.rules)} rules, hash {ruleset.hash[:12]}): "
          f"{count['error']} error(s), {count['warning']} warning(s), {count['info']} info",
          file=sys.stderr)
    return 2 if count["error"] or count["warning"] else 0


def run_test(args: argparse.Namespace) -> int:
    from ..assistant import Assistant
    from ..engine.cases import run_cases

    ruleset, problems = _load(args.dir)
    if ruleset is None:
        _print(problems)
        print(f"{len(problems)} problem(s): the rule set does not load", file=sys.stderr)
        return 2
    model = None
    if args.model is not None:
        from ..fitness import load_model

        model = load_model(args.model)
    report = run_cases(Assistant(ruleset, model))
    for failure in report.failures:
        print(f"FAIL    {failure}")
    enabled = len(report.fired_counts)
    covered = enabled - len(report.uncovered)
    for rid in report.uncovered:
        rule = ruleset.rule(rid)
        print(f"uncovered {rule.file} rule `{rid}`: no case fires it")
    print(f"{report.passed}/{report.total} case(s) passed; rule coverage {covered}/{enabled}",
          file=sys.stderr)
    if report.total == 0:
        print("no golden cases in cases/*.yaml", file=sys.stderr)
        return 2
    failed = bool(report.failures) or (args.require_coverage and bool(report.uncovered))
    return 2 if failed else 0
