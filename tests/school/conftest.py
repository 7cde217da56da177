"""Fixtures of the school package: the generated school files (see fixtures/make_fixtures.py)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TEST_DATE = dt.date(2025, 10, 15)


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def test_date() -> dt.date:
    """The day the fixture school was tested (ages are taken on this day)."""
    return TEST_DATE


@pytest.fixture(scope="session")
def planted() -> list[dict]:
    """The problems make_fixtures.py planted in school_2025.csv/.xlsx (line, header)."""
    return json.loads((FIXTURES / "planted.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def school_preview():
    from prescribe.school import preview_import

    return preview_import([FIXTURES / "school_2025.csv", FIXTURES / "vision_2025.csv",
                           FIXTURES / "scoliosis_2025.xlsx"],
                          known_ids=["G851505464215025234", "G669426209607290826"],
                          test_date=TEST_DATE)


@pytest.fixture(scope="session")
def rules_dir(project_root: Path) -> Path:
    path = project_root / "rules" / "default"
    if not (path / "ruleset.yaml").is_file():
        pytest.skip("the default rule set is not in this tree")
    return path


@pytest.fixture(scope="session")
def assistant(rules_dir: Path):
    from prescribe.assistant import Assistant

    return Assistant.from_paths(rules_dir)
