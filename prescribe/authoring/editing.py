"""Edits a prescriber makes to a rule set, as pure functions on ``{filename: text}``.

Every operation takes the files of a draft and returns the new files, or raises
``RulebookError`` listing every problem with its file, rule (or case) id and field path.
Each result goes through the engine's loader (the same code that will evaluate the rules),
so a draft can never hold something the engine would refuse (the loader also refuses a
golden case that names a rule id which no longer exists, so deleting a rule cannot
silently orphan a case).

Rule ids are stable forever (printed prescriptions cite them): operations never rename a
rule; ``duplicate_rule`` gives the copy a new id.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from typing import Any

from ..errors import RulebookError, RuleProblem
from .documents import (
    RULESET_FILE,
    RuleSetDocument,
    check_file_name,
    is_case_file,
    is_rule_file,
    parse_path,
    set_at,
    styled,
    to_plain,
)

Files = Mapping[str, str]
Validator = Callable[[Files], object]
_ID = re.compile(r"^[a-z0-9][a-z0-9\-_.]*$")


def engine_loader(files: Files) -> object:
    """Load ``files`` with the rule engine; raises ``RulebookError`` with every problem."""
    from ..engine import load_ruleset

    return load_ruleset(dict(files))


def validate(files: Files, loader: Validator = engine_loader) -> dict[str, str]:
    """Check a whole rule set; return the files unchanged or raise with every problem."""
    doc = RuleSetDocument(files)
    doc.check_syntax()  # YAML syntax errors, with line and column, come first
    try:
        loader(files)
    except RulebookError as exc:
        raise RulebookError(without_echoes(exc.problems, doc.ids("rules"))) from None
    return dict(files)


def without_echoes(problems: list[RuleProblem], rule_ids: set[str]) -> list[RuleProblem]:
    """Drop "case names unknown rule X" when rule X is in the files but has problems itself:
    the prescriber fixes the rule; the case is fine and would only distract."""
    broken = {p.rule_id for p in problems if p.rule_id in rule_ids}
    return [p for p in problems
            if not (p.field or "").startswith("expect.fired_")
            or not any(f"`{rule_id}`" in p.message for rule_id in broken)] or problems


def _finish(doc: RuleSetDocument, loader: Validator | None) -> dict[str, str]:
    files = doc.to_files()
    return validate(files, loader) if loader is not None else files


def _check_new_id(doc: RuleSetDocument, key: str, item_id: Any) -> None:
    what = "rule" if key == "rules" else "golden case"
    if not isinstance(item_id, str) or not _ID.match(item_id):
        raise RulebookError([RuleProblem("", str(item_id), "id", f"a {what} id uses lower-case "
                                         "letters, digits, '-', '_' and '.'")])
    if item_id in doc.ids(key):
        raise RulebookError([RuleProblem("", item_id, "id", f"another {what} already has "
                                         "this id")])


# --- rules ------------------------------------------------------------------------------

def set_rule_value(files: Files, rule_id: str, path: str, value: Any, *,
                   loader: Validator | None = engine_loader) -> dict[str, str]:
    """Set one field of a rule, e.g. a threshold: ``("bp-grade2", "when.any[0].value", [165, 179])``."""
    doc = RuleSetDocument(files)
    name, _, rule = doc.locate("rules", rule_id)
    parts = _parse(path, name, rule_id)
    if parts[0] == "id":
        raise RulebookError([RuleProblem(name, rule_id, "id", "rule ids never change "
                                         "(prescriptions cite them); duplicate the rule instead")])
    set_at(rule, parts, value, file=name, item_id=rule_id)
    doc.touch(name)
    return _finish(doc, loader)


def replace_rule(files: Files, rule_id: str, rule: Mapping[str, Any], *,
                 loader: Validator | None = engine_loader) -> dict[str, str]:
    """Replace a whole rule with the structured form's version; the id must stay the same."""
    doc = RuleSetDocument(files)
    name, index, _ = doc.locate("rules", rule_id)
    if rule.get("id") != rule_id:
        raise RulebookError([RuleProblem(name, rule_id, "id", "rule ids never change "
                                         "(prescriptions cite them); duplicate the rule instead")])
    doc.doc(name)["rules"][index] = styled(to_plain(rule))
    doc.touch(name)
    return _finish(doc, loader)


def add_rule(files: Files, rule: Mapping[str, Any], *, file: str, after: str | None = None,
             loader: Validator | None = engine_loader) -> dict[str, str]:
    """Add a new rule to ``file`` (created if new), at the end or right after rule ``after``."""
    doc = RuleSetDocument(files)
    _check_new_id(doc, "rules", rule.get("id"))
    check_file_name(file)
    if not is_rule_file(file):
        raise RulebookError([RuleProblem(file, str(rule.get("id")), "file",
                                         "rules go in a rule file, not ruleset.yaml or cases/")])
    position = None
    if after is not None:
        file, index, _ = doc.locate("rules", after)
        position = index + 1
    if file not in doc.names:
        doc.create(file, "rules")
    items = doc.doc(file).setdefault("rules", [])
    new = styled(to_plain(rule))
    items.insert(len(items) if position is None else position, new)
    doc.touch(file)
    return _finish(doc, loader)


def duplicate_rule(files: Files, rule_id: str, *, new_id: str | None = None,
                   loader: Validator | None = engine_loader) -> tuple[dict[str, str], str]:
    """Copy a rule under a new id, placed after the original; returns ``(files, new_id)``.

    Without ``new_id`` the copy is called ``<id>-copy`` (then ``-copy-2`` …).
    """
    doc = RuleSetDocument(files)
    name, _, rule = doc.locate("rules", rule_id)
    if new_id is None:
        taken = doc.ids("rules")
        new_id, n = f"{rule_id}-copy", 2
        while new_id in taken:
            new_id, n = f"{rule_id}-copy-{n}", n + 1
    copied = copy.deepcopy(to_plain(rule))
    copied["id"] = new_id
    return add_rule(files, copied, file=name, after=rule_id, loader=loader), new_id


def set_rule_enabled(files: Files, rule_id: str, enabled: bool, *,
                     loader: Validator | None = engine_loader) -> dict[str, str]:
    """Disable (or re-enable) a rule; a disabled rule stays in the file and keeps its id."""
    return set_rule_value(files, rule_id, "enabled", bool(enabled), loader=loader)


def delete_rule(files: Files, rule_id: str, *,
                loader: Validator | None = engine_loader) -> dict[str, str]:
    """Remove a rule. Golden cases that still name it are reported as problems."""
    doc = RuleSetDocument(files)
    name, index, _ = doc.locate("rules", rule_id)
    del doc.doc(name)["rules"][index]
    doc.touch(name)
    return _finish(doc, loader)


def get_rule(files: Files, rule_id: str) -> tuple[str, dict[str, Any]]:
    """Return ``(file, rule as plain data)`` for the structured editor."""
    name, _, rule = RuleSetDocument(files).locate("rules", rule_id)
    return name, to_plain(rule)


def list_rules(files: Files) -> list[tuple[str, dict[str, Any]]]:
    """Every rule as ``(file, plain data)``, in file order."""
    return [(name, to_plain(rule)) for name, _, rule in RuleSetDocument(files).entries("rules")]


# --- golden cases -----------------------------------------------------------------------

def add_case(files: Files, case: Mapping[str, Any], *, file: str = "cases/authored.yaml",
             loader: Validator | None = engine_loader) -> dict[str, str]:
    """Add a golden case to ``file`` under ``cases/`` (created if new)."""
    doc = RuleSetDocument(files)
    _check_new_id(doc, "cases", case.get("id"))
    check_file_name(file)
    if not is_case_file(file):
        raise RulebookError([RuleProblem(file, str(case.get("id")), "file",
                                         "golden cases go in a file under cases/")])
    if file not in doc.names:
        doc.create(file, "cases")
    doc.doc(file).setdefault("cases", []).append(styled(to_plain(case)))
    doc.touch(file)
    return _finish(doc, loader)


def replace_case(files: Files, case_id: str, case: Mapping[str, Any], *,
                 loader: Validator | None = engine_loader) -> dict[str, str]:
    """Replace a golden case; giving it a new id is allowed if the id is free."""
    doc = RuleSetDocument(files)
    name, index, _ = doc.locate("cases", case_id)
    if case.get("id") != case_id:
        _check_new_id(doc, "cases", case.get("id"))
    doc.doc(name)["cases"][index] = styled(to_plain(case))
    doc.touch(name)
    return _finish(doc, loader)


def set_case_value(files: Files, case_id: str, path: str, value: Any, *,
                   loader: Validator | None = engine_loader) -> dict[str, str]:
    """Set one field of a golden case, e.g. ``expect.intensity_cap``."""
    doc = RuleSetDocument(files)
    name, _, case = doc.locate("cases", case_id)
    set_at(case, _parse(path, name, case_id), value, file=name, item_id=case_id)
    doc.touch(name)
    return _finish(doc, loader)


def delete_case(files: Files, case_id: str, *,
                loader: Validator | None = engine_loader) -> dict[str, str]:
    doc = RuleSetDocument(files)
    name, index, _ = doc.locate("cases", case_id)
    del doc.doc(name)["cases"][index]
    doc.touch(name)
    return _finish(doc, loader)


def list_cases(files: Files) -> list[tuple[str, dict[str, Any]]]:
    return [(name, to_plain(case)) for name, _, case in RuleSetDocument(files).entries("cases")]


# --- rule-set metadata ------------------------------------------------------------------

def set_ruleset_field(files: Files, key: str, value: Any, *,
                      loader: Validator | None = engine_loader) -> dict[str, str]:
    """Set ``description`` or ``screening_profile`` in ruleset.yaml.

    ``version`` and ``changelog`` are written only by publishing (``versions.py``), so a
    draft can never pose as a published version.
    """
    if key in ("version", "changelog", "name"):
        raise RulebookError([RuleProblem(RULESET_FILE, None, key, "set by publishing, not by "
                                         "editing")])
    doc = RuleSetDocument(files)
    if RULESET_FILE not in doc.names:
        raise RulebookError([RuleProblem(RULESET_FILE, None, None, "the rule set has no "
                                         "ruleset.yaml")])
    doc.doc(RULESET_FILE)[key] = styled(value)
    doc.touch(RULESET_FILE)
    return _finish(doc, loader)


def _parse(path: str, file: str, item_id: str) -> list:
    try:
        return parse_path(path)
    except ValueError as exc:
        raise RulebookError([RuleProblem(file, item_id, path, str(exc))]) from None
