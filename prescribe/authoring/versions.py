"""Published versions of a rule set: numbering, content hash, changelog, roll-back and diff.

Every printed plan names the rule-set version and hash that produced it, so a published
version is immutable and its files carry their own identity: publishing writes the new
``version`` and a changelog entry into ``ruleset.yaml`` before the hash is taken. Rolling
back never rewrites history: it republishes an earlier version's rules and cases as a
*new* version whose changelog keeps every entry and says what it rolled back to.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import RulebookError, RuleProblem
from .documents import RULESET_FILE, RuleSetDocument, styled

Files = Mapping[str, str]
_LAST_NUMBER = re.compile(r"(\d+)(?!.*\d)")


def content_hash(files: Files) -> str:
    """SHA-256 over every file name and text, independent of dict order and line endings."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(files[name].replace("\r\n", "\n").encode("utf-8") + b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class ChangelogEntry:
    version: str
    date: str
    author: str
    note: str


def read_meta(files: Files) -> dict[str, Any]:
    """``name``, ``version`` and ``changelog`` (as ``ChangelogEntry`` list) of a rule set."""
    doc = RuleSetDocument({RULESET_FILE: files[RULESET_FILE]}) if RULESET_FILE in files else None
    if doc is None:
        raise RulebookError([RuleProblem(RULESET_FILE, None, None, "missing: every rule set "
                                         "needs a ruleset.yaml")])
    meta = doc.plain(RULESET_FILE) or {}
    entries = [ChangelogEntry(str(e.get("version", "")), str(e.get("date", "")),
                              str(e.get("author", "")), str(e.get("note", "")))
               for e in meta.get("changelog") or [] if isinstance(e, Mapping)]
    return {"name": str(meta.get("name", "")), "version": str(meta.get("version", "")),
            "changelog": entries}


def next_version(current: str | None) -> str:
    """The version after ``current``: its last number goes up by one (``1.4`` → ``1.5``,
    ``2025.2`` → ``2025.3``); no number yet gives ``1``."""
    if not current:
        return "1"
    match = _LAST_NUMBER.search(current)
    if match is None:
        return f"{current}.1"
    return current[:match.start()] + str(int(match.group(1)) + 1) + current[match.end():]


def _stamp(files: Files, *, version: str, history_from: Files, entry: dict[str, Any]
           ) -> dict[str, str]:
    """Write ``version`` and the changelog of ``history_from`` plus ``entry`` into ``files``.

    The earlier entries are copied as nodes, so their wording and layout stay as written.
    """
    doc = RuleSetDocument(files)
    meta = doc.doc(RULESET_FILE)
    source = RuleSetDocument({RULESET_FILE: history_from[RULESET_FILE]}).doc(RULESET_FILE)
    history = copy.deepcopy(source.get("changelog"))
    if not isinstance(history, list):
        history = styled([])
    history.append(styled(entry))
    meta["version"] = version
    meta["changelog"] = history
    doc.touch(RULESET_FILE)
    return doc.to_files()


def stamp_publication(draft: Files, *, published: Files | None, author: str, note: str,
                      on: dt.date) -> tuple[dict[str, str], str]:
    """The files to publish: ``draft`` with the next version and a changelog entry.

    The version follows the published one, so two publications can never share a number;
    the changelog is the published one's plus the new entry (a draft cannot edit history).
    On a first publication (``published=None``) the draft's own version is used, and files
    whose changelog already has an entry for it (a rule set shipped in ``rules/``) are
    published as they are. Returns ``(files, version)``.
    """
    if not note.strip():
        raise RulebookError([RuleProblem(RULESET_FILE, None, "changelog.note", "say what "
                                         "changed and why: the changelog is the audit trail")])
    base_files = draft if published is None else published
    base = read_meta(base_files)
    if published is None:
        version = base["version"] or "1"
        if any(entry.version == version for entry in base["changelog"]):
            return dict(draft), version
    else:
        version = next_version(base["version"])
    entry = {"version": version, "date": on.isoformat(), "author": author,
             "note": note.strip()}
    return _stamp(draft, version=version, history_from=base_files, entry=entry), version


def rollback_files(target: Files, *, current: Files, author: str, note: str,
                   on: dt.date) -> tuple[dict[str, str], str]:
    """Republish ``target`` (an earlier version's files) as the version after ``current``.

    The rules and cases are exactly the target's; the changelog is the current one plus
    an entry naming the version rolled back to, so history stays complete.
    """
    target_version = read_meta(target)["version"]
    reason = f"roll back to version {target_version}" + (f": {note.strip()}" if note.strip()
                                                         else "")
    return stamp_publication(target, published=current, author=author, note=reason, on=on)


# --- table-shaped diff -------------------------------------------------------------------

@dataclass(frozen=True)
class DiffRow:
    """One changed cell: a rule/case added or removed, or one field that changed."""

    kind: str          # rule | case | ruleset
    item_id: str
    change: str        # added | removed | changed | moved
    field: str | None  # field path inside the rule/case, e.g. when.any[0].value
    before: Any
    after: Any
    file: str


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Leaves by path; a list of scalars (``[160, 179]``) is one cell, as a prescriber reads it."""
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(_flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return out or {prefix: {}}
    if isinstance(value, list) and any(isinstance(v, Mapping | list) for v in value):
        out = {}
        for index, item in enumerate(value):
            out.update(_flatten(item, f"{prefix}[{index}]"))
        return out or {prefix: []}
    return {prefix: value}


def _items(files: Files, key: str) -> dict[str, tuple[str, dict[str, Any]]]:
    return {str(item.get("id")): (name, item)
            for name, _, item in RuleSetDocument(files).entries(key)}


def _diff_items(kind: str, old: dict, new: dict) -> list[DiffRow]:
    rows: list[DiffRow] = []
    for item_id in sorted(old.keys() | new.keys()):
        if item_id not in new:
            rows.append(DiffRow(kind, item_id, "removed", None, old[item_id][1], None,
                                old[item_id][0]))
        elif item_id not in old:
            rows.append(DiffRow(kind, item_id, "added", None, None, new[item_id][1],
                                new[item_id][0]))
        else:
            (old_file, before), (new_file, after) = old[item_id], new[item_id]
            if old_file != new_file:
                rows.append(DiffRow(kind, item_id, "moved", "file", old_file, new_file, new_file))
            flat_old, flat_new = _flatten(before), _flatten(after)
            for path in sorted(flat_old.keys() | flat_new.keys()):
                a, b = flat_old.get(path), flat_new.get(path)
                if a != b:
                    rows.append(DiffRow(kind, item_id, "changed", path, a, b, new_file))
    return rows


def diff_versions(old: Files, new: Files) -> list[DiffRow]:
    """Rules and golden cases added, removed, moved or changed (one row per changed field),
    plus changed rule-set settings; version and changelog are left out (they always change)."""
    rows = _diff_items("rule", _items(old, "rules"), _items(new, "rules"))
    rows += _diff_items("case", _items(old, "cases"), _items(new, "cases"))
    meta_old = {k: v for k, v in _meta(old).items() if k not in ("version", "changelog")}
    meta_new = {k: v for k, v in _meta(new).items() if k not in ("version", "changelog")}
    for key in sorted(meta_old.keys() | meta_new.keys()):
        if meta_old.get(key) != meta_new.get(key):
            rows.append(DiffRow("ruleset", meta_new.get("name") or meta_old.get("name") or "",
                                "changed", key, meta_old.get(key), meta_new.get(key),
                                RULESET_FILE))
    return rows


def _meta(files: Files) -> dict[str, Any]:
    if RULESET_FILE not in files:
        return {}
    return RuleSetDocument({RULESET_FILE: files[RULESET_FILE]}).plain(RULESET_FILE) or {}


def summarize_diff(rows: list[DiffRow]) -> str:
    """A one-line suggestion for the changelog note, e.g. ``changed bp-grade2 (when.any[0].value)``."""
    parts = []
    for change in ("added", "removed"):
        ids = [r.item_id for r in rows if r.change == change]
        if ids:
            parts.append(f"{change} {', '.join(ids)}")
    changed: dict[str, list[str]] = {}
    for row in rows:
        if row.change in ("changed", "moved"):
            changed.setdefault(row.item_id, []).append(row.field or "")
    for item_id, fields in changed.items():
        parts.append(f"changed {item_id} ({', '.join(fields[:3])}"
                     f"{', …' if len(fields) > 3 else ''})")
    return "; ".join(parts)
