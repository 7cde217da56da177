"""Fixtures for the clinical rule set and the prescription: these tests read the real
``rules/default`` on purpose (their job is to check that content)."""

from __future__ import annotations

from pathlib import Path

import pytest

from prescribe.assistant import Assistant

RULES = Path(__file__).resolve().parents[2] / "rules" / "default"


@pytest.fixture(scope="session")
def rules_dir() -> Path:
    return RULES


@pytest.fixture(scope="session")
def assistant() -> Assistant:
    """The default rule set, loaded once (no fitness model: tier from standard grades)."""
    return Assistant.from_paths(RULES)
