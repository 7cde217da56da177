"""The condition builder: a rule's ``when`` tree as rows a prescriber edits in a form.

The tree is shown in pre-order, one row per node, with its depth: a group row (``all``,
``any``, ``not``) owns the rows below it that are one level deeper. Rows carry the text a
person typed (``160, 179``); turning them back into the tree parses each value by its
fact's kind, so "not a number" is reported on the row it belongs to, and each row knows
its engine path (``when.any[0]``) so the loader's problems land next to the right row.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from prescribe.engine import default_registry
from prescribe.engine.conditions import OPS, OPS_BY_KIND, ORDER_OPS

GROUPS = ("all", "any", "not")
NODES = (*GROUPS, "leaf")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_SPLIT = re.compile(r"\s*[,，;；、]\s*")
TRUE_WORDS = {"true", "yes", "是", "1"}
FALSE_WORDS = {"false", "no", "否", "0"}


@dataclass
class ConditionRow:
    depth: int
    node: str = "leaf"
    fact: str = ""
    op: str = ""
    value: str = ""
    path: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)

    def add_error(self, part: str, message: str) -> None:
        self.errors.setdefault(part, []).append(message)


def value_text(value: Any) -> str:
    """A condition value as a person types it: ``[160, 179]`` → ``160, 179``."""
    if isinstance(value, list | tuple):
        return ", ".join(value_text(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return "" if value is None else str(value)


def rows_from_condition(cond: Mapping[str, Any] | None, depth: int = 0) -> list[ConditionRow]:
    """Pre-order rows of a condition tree (``None`` gives an empty ``all`` group)."""
    if not cond:
        return [ConditionRow(depth, "all")]
    if "fact" in cond:
        return [ConditionRow(depth, "leaf", str(cond.get("fact", "")), str(cond.get("op", "")),
                             value_text(cond.get("value")))]
    (node, inner), = cond.items()
    rows = [ConditionRow(depth, str(node))]
    children = [inner] if node == "not" else list(inner or [])
    for child in children:
        rows += rows_from_condition(child, depth + 1)
    return rows


def fact_help(fact: str) -> str:
    """What a value of this fact looks like: unit, possible range, allowed values."""
    from prescribe.vocabulary import BY_NAME

    spec = default_registry().facts.get(fact)
    if spec is None:
        return ""
    if spec.numeric:
        lo = "" if spec.lo is None else f"{spec.lo:g}"
        hi = "" if spec.hi is None else f"{spec.hi:g}"
        unit = BY_NAME[fact].unit if fact in BY_NAME else ""
        step = _(", step %(step)s", step=f"{spec.resolution:g}") if spec.resolution else ""
        return f"{lo}–{hi} {unit}".strip() + step
    if spec.kind == "enum":
        return " | ".join(spec.choices)
    if spec.kind == "list":
        return ", ".join(spec.items or ()) if spec.items else _("codes")
    return spec.kind


def fact_choices(lang: str = "zh") -> list[tuple[str, str]]:
    """Every fact a rule may test, labelled ``name — label (unit)``, inputs first."""
    from prescribe.vocabulary import BY_NAME

    out = []
    for name, spec in default_registry().facts.items():
        var = BY_NAME.get(name)
        unit = f" ({var.unit})" if var is not None and var.unit else ""
        label = spec.label_zh if lang == "zh" else spec.label_en
        out.append((name, f"{name} — {label}{unit}"))
    return sorted(out, key=lambda pair: (default_registry().facts[pair[0]].derived, pair[0]))


def ops_for(fact: str) -> tuple[str, ...]:
    spec = default_registry().facts.get(fact)
    if spec is None:
        return OPS
    return OPS_BY_KIND[spec.kind] + (ORDER_OPS if spec.ordered else ())


def _scalar(text: str, spec: Any) -> tuple[Any, str | None]:
    if spec is not None and spec.numeric:
        if not _NUMBER.fullmatch(text):
            return None, _("“%(text)s” is not a number", text=text)
        return (float(text) if "." in text else int(text)), None
    if spec is not None and spec.kind == "bool":
        word = text.lower()
        if word in TRUE_WORDS | FALSE_WORDS:
            return word in TRUE_WORDS, None
        return None, _("answer true or false")
    return text, None


def parse_value(fact: str, op: str, text: str) -> tuple[Any, str | None]:
    """The typed value of a leaf, or an error message for the row's value field."""
    spec = default_registry().facts.get(fact)
    text = text.strip()
    if op == "missing":
        word = text.lower() or "true"
        if word not in TRUE_WORDS | FALSE_WORDS:
            return None, _("`missing` takes true or false")
        return word in TRUE_WORDS, None
    if text == "":
        return None, _("enter a value")
    if op in ("between", "in"):
        if op == "between" and spec is not None and spec.numeric:
            parts = _NUMBER.findall(text)
            if len(parts) != 2 or _NUMBER.sub("", text).strip(" ,，–~至-") != "":
                return None, _("between takes two numbers, e.g. 160, 179")
        else:
            parts = [p for p in _SPLIT.split(text) if p]
        values = []
        for part in parts:
            value, error = _scalar(part, spec)
            if error:
                return None, error
            values.append(value)
        if op == "between" and len(values) != 2:
            return None, _("between takes two values, e.g. 160, 179")
        return values, None
    return _scalar(text, spec)


def condition_from_rows(rows: list[ConditionRow], base: str = "when"
                        ) -> tuple[dict[str, Any] | None, bool]:
    """Build the ``when`` tree from rows, setting each row's path and value errors.

    Returns ``(tree, ok)``; ``ok`` is false when a row has an error of its own (the tree
    is still built, with the raw text, so every other problem can be reported too).
    """
    if not rows:
        return {"all": []}, True
    ok = True

    def build(i: int, path: str) -> tuple[dict[str, Any], int]:
        nonlocal ok
        row = rows[i]
        row.path = path
        if row.node == "leaf":
            value, error = parse_value(row.fact, row.op, row.value)
            if error:
                row.add_error("value", error)
                ok = False
                value = row.value
            return {"fact": row.fact, "op": row.op, "value": value}, i + 1
        children, j = [], i + 1
        while j < len(rows) and rows[j].depth > row.depth:
            child_path = f"{path}.not" if row.node == "not" else f"{path}.{row.node}[{len(children)}]"
            child, j = build(j, child_path)
            children.append(child)
        if row.node == "not":
            if len(children) != 1:
                row.add_error("node", _("`not` holds exactly one condition"))
                ok = False
            return {"not": children[0] if children else {"all": []}}, j
        return {row.node: children}, j

    tree, end = build(0, base)
    for extra in rows[end:]:  # rows after the root's subtree: only from a bad depth
        extra.add_error("node", _("outside the rule's condition: indent it under a group"))
        ok = False
    return tree, ok


def _subtree_end(rows: list[ConditionRow], index: int) -> int:
    end = index + 1
    while end < len(rows) and rows[end].depth > rows[index].depth:
        end += 1
    return end


def add_child(rows: list[ConditionRow], index: int, node: str = "leaf") -> None:
    """Append a new leaf or group as the last child of group ``index``."""
    parent = rows[index]
    if parent.node == "leaf":
        raise ValueError("only a group (all / any / not) can hold conditions")
    rows.insert(_subtree_end(rows, index), ConditionRow(parent.depth + 1, node))


def remove(rows: list[ConditionRow], index: int) -> None:
    """Remove a row and everything under it (the root group stays)."""
    if index == 0:
        rows[1:] = []
        return
    del rows[index:_subtree_end(rows, index)]


def wrap(rows: list[ConditionRow], index: int, node: str = "all") -> None:
    """Put row ``index`` (and what it holds) inside a new group and add an empty leaf next
    to it: how a single condition becomes "this and that"."""
    end = _subtree_end(rows, index)
    for row in rows[index:end]:
        row.depth += 1
    rows.insert(end, ConditionRow(rows[index].depth, "leaf"))
    rows.insert(index, ConditionRow(rows[index].depth - 1, node))
