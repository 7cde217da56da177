"""Loading a rule set: YAML files (a directory, or ``{filename: text}`` from the web app's
database) → a checked, frozen :class:`Ruleset`.

Every problem in every file is collected and raised at once as ``RulebookError``, each
naming the file, the rule id, the field and, for a typo, the closest valid name. Rules are
data: nothing in a file is ever executed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from ..errors import RulebookError, RuleProblem
from . import cases as case_format
from .conditions import parse_condition, suggest
from .effects import Effect, parse_effect
from .registry import Registry, default_registry
from .ruleset import (
    MODIFIER_KINDS,
    RULESET_FILE,
    Rule,
    Ruleset,
    dump_ruleset,
    ruleset_hash,
    with_hash,
)
from .yamlio import load_yaml, yaml_error_message

KINDS = ("hard_stop", "screening", "baseline", "condition", "youth")
PROFILES = ("CN2025", "ACSM2015")
RULE_KEYS = ("id", "title", "source", "priority", "kind", "band", "band_fact", "band_range",
             "enabled", "review_if_missing", "note", "when", "then")
RULESET_KEYS = ("name", "version", "description", "screening_profile", "changelog",
                "required_facts")
CHANGELOG_KEYS = ("version", "date", "author", "note")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


# --------------------------------------------------------------------------- reading files
def _read_sources(source: str | Path | Mapping[str, str]) -> dict[str, str]:
    if isinstance(source, Mapping):
        return {str(k).replace("\\", "/"): str(v) for k, v in source.items()}
    root = Path(source)
    if not root.is_dir():
        raise RulebookError([RuleProblem(str(root), None, None, "rule set folder not found")])
    files = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and path.suffix in (".yaml", ".yml") and _is_rule_path(rel):
            files[rel] = path.read_text(encoding="utf-8")
    return files


def _is_rule_path(rel: str) -> bool:
    parts = rel.split("/")
    return len(parts) == 1 or (len(parts) == 2 and parts[0] == "cases")


def load_ruleset(source: str | Path | Mapping[str, str], registry: Registry | None = None) -> Ruleset:
    """Load and check a rule set from a folder or a ``{filename: text}`` mapping.

    Raises ``RulebookError`` listing every problem found in every file.
    """
    registry = registry or default_registry()
    texts = _read_sources(source)
    problems: list[RuleProblem] = []
    docs: dict[str, Any] = {}
    for name, text in sorted(texts.items()):
        if not _is_rule_path(name) or not name.endswith((".yaml", ".yml")):
            continue
        try:
            docs[name] = load_yaml(text)
        except yaml.YAMLError as exc:
            problems.append(RuleProblem(name, None, None, f"not valid YAML: {yaml_error_message(exc)}"))
    header = _parse_header(docs.pop(RULESET_FILE, None), registry, problems)
    rules: list[Rule] = []
    raw_cases: list[tuple[str, Any]] = []
    seen: dict[str, str] = {}
    rule_files = []
    for name, doc in docs.items():
        if name.startswith("cases/"):
            raw_cases.append((name, doc))
            continue
        rule_files.append(name)
        for rule in _parse_rule_file(name, doc, registry, problems):
            if rule.id in seen:
                problems.append(RuleProblem(name, rule.id, "id",
                                            f"duplicate rule id (also in {seen[rule.id]})"))
                continue
            seen[rule.id] = name
            rules.append(rule)
    cases = []
    case_ids: dict[str, str] = {}
    for name, doc in raw_cases:
        for case in case_format.parse_case_file(name, doc, registry, seen, problems):
            if case.id in case_ids:
                problems.append(RuleProblem(name, case.id, "id",
                                            f"duplicate case id (also in {case_ids[case.id]})"))
                continue
            case_ids[case.id] = name
            cases.append(case)
    if problems:
        raise RulebookError(problems)
    rules.sort(key=lambda r: (-r.priority, r.id))
    ruleset = Ruleset(rules=tuple(rules), cases=tuple(cases), files=tuple(rule_files),
                      registry=registry, **header)
    return with_hash(ruleset)


def _parse_header(doc: Any, registry: Registry, problems: list[RuleProblem]) -> dict:
    out = {"name": "", "version": "", "description": "", "screening_profile": "CN2025",
           "changelog": (), "required_facts": ()}

    def bad(fld: str | None, msg: str, hint: str | None = None) -> None:
        problems.append(RuleProblem(RULESET_FILE, None, fld, msg, hint))

    if doc is None:
        bad(None, "missing ruleset.yaml (name, version, description, screening_profile, changelog)")
        return out
    if not isinstance(doc, Mapping):
        bad(None, "ruleset.yaml must be a mapping")
        return out
    for key in doc:
        if key not in RULESET_KEYS:
            bad(str(key), f"unknown key `{key}`", suggest(key, RULESET_KEYS))
    for key in ("name", "description"):
        if not isinstance(doc.get(key), str) or not doc[key].strip():
            bad(key, f"`{key}` is required text")
        else:
            out[key] = doc[key].strip()
    version = doc.get("version")
    if isinstance(version, bool) or not isinstance(version, str | int) or str(version).strip() == "":
        bad("version", f"`version` must be text such as \"1.2.0\" (quote it), got {version!r}")
    else:
        out["version"] = str(version)
    profile = doc.get("screening_profile", "CN2025")
    if profile not in PROFILES:
        bad("screening_profile", f"unknown screening profile `{profile}` (allowed: {', '.join(PROFILES)})",
            suggest(profile, PROFILES))
    else:
        out["screening_profile"] = profile
    out["changelog"] = _parse_changelog(doc.get("changelog"), bad)
    req = doc.get("required_facts", [])
    if not isinstance(req, list) or not all(isinstance(f, str) for f in req):
        bad("required_facts", "`required_facts` is a list of fact names")
    else:
        for f in req:
            if f not in registry.facts:
                bad("required_facts", f"unknown fact `{f}`", suggest(f, registry.facts))
        out["required_facts"] = tuple(req)
    return out


def _parse_changelog(raw: Any, bad) -> tuple:
    if not isinstance(raw, list) or not raw:
        bad("changelog", "`changelog` needs at least one entry {version, date, author, note}")
        return ()
    entries = []
    for i, entry in enumerate(raw):
        if not isinstance(entry, Mapping):
            bad(f"changelog[{i}]", "a changelog entry is a mapping {version, date, author, note}")
            continue
        for key in entry:
            if key not in CHANGELOG_KEYS:
                bad(f"changelog[{i}].{key}", f"unknown key `{key}`", suggest(key, CHANGELOG_KEYS))
        missing = [k for k in CHANGELOG_KEYS if entry.get(k) in (None, "")]
        if missing:
            bad(f"changelog[{i}]", f"missing {', '.join(missing)}")
            continue
        entries.append({k: str(entry[k]) for k in CHANGELOG_KEYS})  # dates become ISO text
    return tuple(entries)


def _parse_rule_file(name: str, doc: Any, registry: Registry, problems: list[RuleProblem]) -> list[Rule]:
    if not isinstance(doc, Mapping) or set(doc) != {"rules"} or not isinstance(doc["rules"], list):
        problems.append(RuleProblem(name, None, None, "a rule file holds exactly one key, `rules:`, "
                                                      "with a list of rules"))
        return []
    out = []
    for i, raw in enumerate(doc["rules"]):
        rule = _parse_rule(name, i, raw, registry, problems)
        if rule is not None:
            out.append(rule)
    return out


def _parse_rule(file: str, index: int, raw: Any, registry: Registry, problems: list[RuleProblem]) -> Rule | None:
    if not isinstance(raw, Mapping):
        problems.append(RuleProblem(file, f"#{index + 1}", None, "a rule must be a mapping"))
        return None
    rid = raw.get("id")
    label = rid if isinstance(rid, str) and rid else f"#{index + 1}"
    before = len(problems)

    def bad(fld: str | None, msg: str, hint: str | None = None) -> None:
        problems.append(RuleProblem(file, label, fld, msg, hint))

    for key in raw:
        if key not in RULE_KEYS:
            bad(str(key), f"unknown key `{key}`", suggest(key, RULE_KEYS))
    if not isinstance(rid, str) or not ID_RE.match(rid):
        bad("id", f"`id` is required: lower-case letters, digits, '-', '_', '.' (got {rid!r})")
    title = _text(raw.get("title"), "title", bad)
    source = raw.get("source")
    if not isinstance(source, str) or not source.strip():
        bad("source", "`source` is required: the guideline and section behind the rule")
    priority = raw.get("priority")
    if isinstance(priority, bool) or not isinstance(priority, int) or not 0 <= priority <= 1000:
        bad("priority", f"`priority` is a whole number 0–1000 (higher runs first), got {priority!r}")
    kind = raw.get("kind")
    if kind not in KINDS:
        bad("kind", f"unknown kind `{kind}` (allowed: {', '.join(KINDS)})", suggest(kind, KINDS))
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        bad("enabled", "`enabled` is true or false")
    band, band_fact, band_range = _band(raw, registry, bad)
    review = raw.get("review_if_missing", [])
    if not isinstance(review, list) or not all(isinstance(f, str) for f in review):
        bad("review_if_missing", "`review_if_missing` is a list of fact names")
        review = []
    for f in review:
        if f not in registry.facts:
            bad("review_if_missing", f"unknown fact `{f}`", suggest(f, registry.facts))
    note = raw.get("note")
    if note is not None and not isinstance(note, str):
        bad("note", "`note` is text")
    when = None
    if "when" not in raw:
        bad("when", "`when` is required (use `when: {all: []}` for a rule that always applies)")
    else:
        when = parse_condition(raw["when"], registry, lambda f, m, s: bad(f, m, s), "when")
    then = raw.get("then")
    effects: list[Effect] = []
    if not isinstance(then, list) or not then:
        bad("then", "`then` needs a list of at least one effect")
    else:
        for i, item in enumerate(then):
            eff = parse_effect(item, registry, lambda f, m, s: bad(f, m, s), f"then[{i}]")
            if eff is not None:
                effects.append(eff)
    if len(problems) > before:
        return None
    return Rule(rid, title, source.strip(), priority, kind, when, tuple(effects), file, band,
                band_fact, band_range, enabled, tuple(review), note)


def _text(v: Any, fld: str, bad) -> dict | None:
    if not isinstance(v, Mapping):
        bad(fld, f"`{fld}` needs {{zh: ..., en: ...}}")
        return None
    missing = [lang for lang in ("zh", "en") if not isinstance(v.get(lang), str) or not v[lang].strip()]
    if missing:
        bad(fld, f"`{fld}` is missing its {' and '.join(missing)} text")
        return None
    return {"zh": v["zh"].strip(), "en": v["en"].strip()}


def _band(raw: Mapping, registry: Registry, bad) -> tuple:
    band, fact, rng = raw.get("band"), raw.get("band_fact"), raw.get("band_range")
    if band is not None and (not isinstance(band, str) or not ID_RE.match(band)):
        bad("band", f"`band` is a table name in lower_snake_case, got {band!r}")
        band = None
    if fact is not None:
        spec = registry.facts.get(fact) if isinstance(fact, str) else None
        if spec is None:
            bad("band_fact", f"unknown fact `{fact}`", suggest(fact, registry.facts))
            fact = None
        elif not spec.numeric:
            bad("band_fact", f"`{fact}` is not numeric; a band tiles a numeric fact")
            fact = None
    if rng is not None:
        ok = isinstance(rng, list) and len(rng) == 2 and all(
            isinstance(x, int | float) and not isinstance(x, bool) for x in rng) and rng[0] < rng[1]
        if not ok:
            bad("band_range", f"`band_range` is [lo, hi] with lo < hi, got {rng!r}")
            rng = None
        else:
            rng = (rng[0], rng[1])
    if band is None and (fact is not None or rng is not None):
        bad("band", "`band_fact` / `band_range` need a `band` name")
    return band, fact, rng


__all__ = ["KINDS", "MODIFIER_KINDS", "PROFILES", "Rule", "Ruleset", "dump_ruleset", "load_ruleset",
           "ruleset_hash"]
