"""The rule engine: rule files in, a safety-first combined decision out.

``load_ruleset`` reads and checks a rule set; ``Engine`` compiles it for the single-record
path; ``decide_frame`` is the vectorised batch path with identical results;
``lint_ruleset`` and ``run_cases`` are the publishing gates. The clinical content lives in
``rules/``; this package knows no clinical thresholds of its own beyond the fact
derivations documented in ``facts.py``.
"""

from __future__ import annotations

from .loader import load_ruleset
from .registry import FactSpec, Registry, default_registry
from .ruleset import Rule, Ruleset, dump_ruleset

ENGINE_VERSION = "1.0.0"


def __getattr__(name: str):
    """Heavier parts load on first use (the CLI's ``--help`` stays fast)."""
    if name == "Engine":
        from .evaluate import Engine
        return Engine
    if name in ("decide_frame", "BatchDecision"):
        from . import batch
        return getattr(batch, name)
    if name == "lint_ruleset":
        from .lint import lint_ruleset
        return lint_ruleset
    if name == "run_cases":
        from .cases import run_cases
        return run_cases
    raise AttributeError(name)


__all__ = ["ENGINE_VERSION", "BatchDecision", "Engine", "FactSpec", "Registry", "Rule", "Ruleset",
           "decide_frame", "default_registry", "dump_ruleset", "lint_ruleset", "load_ruleset",
           "run_cases"]
