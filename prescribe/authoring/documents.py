"""A rule set's files as round-trip YAML documents, for editing without losing comments.

Prescribers and reviewers read the rule files as text (diffs, the read-only view, code
review), and the files carry comments that explain clinical choices. Editing through
``yaml.safe_load`` + ``yaml.safe_dump`` would drop every comment and reflow every file on
the first web edit, so editing goes through ruamel's round-trip loader instead: only the
touched node changes, and files that were not touched are returned byte for byte.

Paths address a node inside one rule or case: ``when.any[0].value[1]``, ``priority``,
``then[2].cap_intensity.level``. The same notation is used in problem reports.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from difflib import get_close_matches
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString
from ruamel.yaml.util import load_yaml_guess_indent

from ..errors import RulebookError, RuleProblem

_FastLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RESOLVER = yaml.resolver.Resolver()
RULESET_FILE = "ruleset.yaml"
CASES_DIR = "cases/"
_SAFE_NAME = re.compile(r"^(cases/)?[a-z0-9][a-z0-9_\-]*\.yaml$")
_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
PathPart = str | int


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap lines people wrote; new content is styled short
    yaml.allow_unicode = True
    return yaml


def is_case_file(name: str) -> bool:
    return name.startswith(CASES_DIR)


def is_rule_file(name: str) -> bool:
    return name != RULESET_FILE and not is_case_file(name)


def check_file_name(name: str) -> None:
    """Refuse names that are not plain ``x.yaml`` / ``cases/x.yaml`` (no folders, no ``..``)."""
    if not _SAFE_NAME.match(name):
        raise RulebookError([RuleProblem(name, None, "file", "file names must look like "
                                         "`hypertension.yaml` or `cases/hypertension.yaml` "
                                         "(lower case, digits, - and _)")])


def parse_path(path: str) -> list[PathPart]:
    """Split ``when.any[0].value`` into ``["when", "any", 0, "value"]``."""
    parts: list[PathPart] = []
    pos = 0
    for match in _TOKEN.finditer(path):
        gap = path[pos:match.start()]
        if gap not in ("", "."):
            break
        parts.append(match.group(1) if match.group(1) is not None else int(match.group(2)))
        pos = match.end()
    if not parts or pos != len(path) or path.startswith(".") or path.endswith("."):
        raise ValueError(f"not a field path: {path!r} (expected e.g. when.any[0].value)")
    return parts


def format_path(parts: list[PathPart]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def to_plain(node: Any) -> Any:
    """Turn ruamel's commented containers and scalar subclasses into builtin values."""
    if isinstance(node, Mapping):
        return {str(k): to_plain(v) for k, v in node.items()}
    if isinstance(node, list | tuple):
        return [to_plain(v) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    return node


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def styled(value: Any) -> Any:
    """Build commented containers for new content, written the way the rule files are.

    Short mappings of scalars (a condition leaf, a zh/en text, effect parameters) and
    lists of scalars are written in flow style, ``{fact: sbp_mmhg, op: '>=', value: 160}``,
    so an added rule reads like its hand-written neighbours.
    """
    if isinstance(value, Mapping):
        out = CommentedMap()
        for key, item in value.items():
            out[str(key)] = styled(item)
        flat = all(_is_scalar(v) or (isinstance(v, list | tuple) and all(map(_is_scalar, v)))
                   or (isinstance(v, Mapping) and all(map(_is_scalar, v.values())))
                   for v in value.values())
        if flat and len(repr(to_plain(value))) <= 90:
            out.fa.set_flow_style()
        return out
    if isinstance(value, list | tuple):
        seq = CommentedSeq(styled(v) for v in value)
        if all(map(_is_scalar, value)):
            seq.fa.set_flow_style()
        return seq
    if isinstance(value, str) and _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) \
            != "tag:yaml.org,2002:str":
        # The engine reads YAML 1.1, where a plain `no`, `on` or `1:30` is not text.
        return DoubleQuotedScalarString(value)
    return to_plain(value)


class RuleSetDocument:
    """The editable documents of one rule set (``{filename: text}``).

    Files are parsed for editing only when touched (round-trip parsing is slow: a whole
    default rule set takes over a second), while finding a rule or listing ids uses a fast
    read-only parse. A file whose YAML does not parse raises ``RulebookError`` naming the
    file, line and column when it is used; ``check_syntax`` checks every file at once.
    """

    def __init__(self, files: Mapping[str, str]):
        self._texts = {name: text.replace("\r\n", "\n") for name, text in files.items()}
        self._docs: dict[str, Any] = {}
        self._plain: dict[str, Any] = {}
        self._indent: dict[str, tuple[int, int]] = {}
        self._dirty: set[str] = set()

    @property
    def names(self) -> list[str]:
        return sorted(self._texts.keys() | self._docs.keys())

    def check_syntax(self) -> None:
        """Raise ``RulebookError`` listing every file whose YAML does not parse."""
        problems = []
        for name in self.names:
            try:
                self.plain(name)
            except RulebookError as exc:
                problems.extend(exc.problems)
        if problems:
            raise RulebookError(problems)

    def plain(self, name: str) -> Any:
        """A file's content as builtin data (fast, read-only)."""
        if name in self._docs:
            return to_plain(self._docs[name])
        if name not in self._plain:
            try:
                self._plain[name] = yaml.load(self._texts[name], Loader=_FastLoader)
            except yaml.YAMLError as exc:
                raise RulebookError([_syntax_problem(name, exc)]) from None
        return self._plain[name]

    def doc(self, name: str) -> Any:
        """A file's round-trip document, for editing (parsed on first use)."""
        if name not in self._docs:
            text = self._texts[name]
            try:
                data, indent, block_seq = load_yaml_guess_indent(text, yaml=_yaml())
            except YAMLError as exc:
                raise RulebookError([_syntax_problem(name, exc)]) from None
            block_seq = block_seq if block_seq is not None else 2
            self._indent[name] = (indent or block_seq + 2, block_seq)
            self._docs[name] = data if data is not None else CommentedMap()
            self._plain.pop(name, None)
        return self._docs[name]

    def create(self, name: str, key: str) -> CommentedMap:
        """Add a new file holding an empty ``key:`` list (``rules`` or ``cases``)."""
        check_file_name(name)
        doc = CommentedMap([(key, CommentedSeq())])
        self._docs[name] = doc
        self._indent[name] = (4, 2)
        self._dirty.add(name)
        return doc

    def touch(self, name: str) -> None:
        self._dirty.add(name)

    def _item_files(self, key: str) -> list[str]:
        want_cases = key == "cases"
        return [n for n in self.names if n != RULESET_FILE and is_case_file(n) == want_cases]

    def entries(self, key: str) -> Iterator[tuple[str, int, dict[str, Any]]]:
        """Yield ``(file, index, item as plain data)`` for every rule (``key="rules"``) or case."""
        for name in self._item_files(key):
            data = self.plain(name)
            items = data.get(key) if isinstance(data, Mapping) else None
            if isinstance(items, list):
                for index, item in enumerate(items):
                    yield name, index, item

    def locate(self, key: str, item_id: str) -> tuple[str, int, Any]:
        """Find a rule or case by id and return ``(file, index, editable node)``; the error
        suggests the closest existing id."""
        ids = []
        for name, index, item in self.entries(key):
            current = item.get("id") if isinstance(item, Mapping) else None
            if current == item_id:
                return name, index, self.doc(name)[key][index]
            ids.append(str(current))
        hint = get_close_matches(item_id, ids, n=1)
        what = "rule" if key == "rules" else "golden case"
        raise RulebookError([RuleProblem("", item_id, "id", f"no {what} with this id",
                                         hint[0] if hint else None)])

    def ids(self, key: str) -> set[str]:
        return {str(item.get("id")) for _, _, item in self.entries(key)
                if isinstance(item, Mapping)}

    def to_files(self) -> dict[str, str]:
        """Texts of every file: untouched files verbatim, edited ones re-serialised."""
        out = {}
        for name in self.names:
            if name in self._dirty or name not in self._texts:
                indent, block_seq = self._indent[name]
                dumper = _yaml()
                dumper.indent(mapping=indent - block_seq if indent > block_seq else indent,
                              sequence=indent, offset=block_seq)
                buffer = io.StringIO()
                dumper.dump(self._docs[name], buffer)
                out[name] = buffer.getvalue()
            else:
                out[name] = self._texts[name]
        return out


def _syntax_problem(name: str, exc: Exception) -> RuleProblem:
    mark = getattr(exc, "problem_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
    return RuleProblem(name, None, where, f"not valid YAML: {getattr(exc, 'problem', None) or exc}")


def get_at(node: Any, parts: list[PathPart]) -> Any:
    for part in parts:
        node = node[part]
    return node


def set_at(root: Any, parts: list[PathPart], value: Any, *, file: str, item_id: str) -> None:
    """Set the node at ``parts``; an existing mapping may gain a new key, lists may not grow."""
    node = root
    for depth, part in enumerate(parts[:-1]):
        node = _step(node, part, parts[: depth + 1], file, item_id)
    last = parts[-1]
    where = format_path(parts)
    if isinstance(last, int):
        if not isinstance(node, list) or not -len(node) <= last < len(node):
            raise RulebookError([RuleProblem(file, item_id, where, "no such list position")])
    elif not isinstance(node, Mapping):
        raise RulebookError([RuleProblem(file, item_id, where, "the parent is not a mapping")])
    node[last] = styled(value)


def _step(node: Any, part: PathPart, upto: list[PathPart], file: str, item_id: str) -> Any:
    where = format_path(upto)
    if isinstance(part, int):
        if isinstance(node, list) and -len(node) <= part < len(node):
            return node[part]
        raise RulebookError([RuleProblem(file, item_id, where, "no such list position")])
    if isinstance(node, Mapping) and part in node:
        return node[part]
    keys = list(node) if isinstance(node, Mapping) else []
    hint = get_close_matches(str(part), [str(k) for k in keys], n=1)
    raise RulebookError([RuleProblem(file, item_id, where, "no such field",
                                     hint[0] if hint else None)])
