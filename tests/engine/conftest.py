"""Fixtures of the engine tests; the rule-building helpers live in ``engine_kit.py``."""

from __future__ import annotations

from pathlib import Path

import pytest

from .engine_kit import files, write


@pytest.fixture
def make_rules(tmp_path):
    """Write a rule set to a temporary folder and return the folder."""
    def _make(rules, cases=None, header=None) -> Path:
        return write(tmp_path / "rs", files(rules, cases, header))
    return _make
