"""Reading the project's standard tables (``tables/*.csv``) and the editions registry.

Each edition of a standard is a set of files ``<edition>__<table>.csv`` listed in
``editions.csv``; the code never names an edition except through that registry, so a new
edition with the same table layout is added as data files alone (and made the default by
its ``default`` column). Tables are read once per process (``lru_cache``): scoring a
million rows must not re-read CSV files.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ..errors import StandardsError

TABLES_DIR = Path(__file__).resolve().with_name("tables")

STANDARD_KINDS = ("student", "physique", "youth_bmi", "adult_weight", "myopia", "scoliosis")


@dataclass(frozen=True)
class Edition:
    """One edition of one standard, as listed in ``editions.csv``."""

    edition: str
    standard: str
    title_zh: str
    title_en: str
    year: int
    default: bool
    scope: str


@lru_cache(maxsize=1)
def editions() -> dict[str, Edition]:
    """Every edition in the registry, keyed by edition id."""
    frame = _read_csv(TABLES_DIR / "editions.csv")
    out: dict[str, Edition] = {}
    for rec in frame.itertuples(index=False):
        if rec.standard not in STANDARD_KINDS:
            raise StandardsError(f"editions.csv: unknown standard {rec.standard!r} for "
                                 f"{rec.edition!r} (known: {', '.join(STANDARD_KINDS)})")
        out[rec.edition] = Edition(rec.edition, rec.standard, rec.title_zh, rec.title_en,
                                   int(rec.year), str(rec.default).lower() == "yes", rec.scope)
    for kind in STANDARD_KINDS:
        defaults = [e.edition for e in out.values() if e.standard == kind and e.default]
        if len(defaults) != 1:
            raise StandardsError(f"editions.csv: standard {kind!r} needs exactly one default "
                                 f"edition, found {defaults or 'none'}")
    return out


def default_edition(standard: str) -> str:
    """The edition id used when a caller does not ask for one."""
    for ed in editions().values():
        if ed.standard == standard and ed.default:
            return ed.edition
    raise StandardsError(f"unknown standard {standard!r}; known: {', '.join(STANDARD_KINDS)}")


def resolve_edition(standard: str, edition: str | None) -> str:
    """Check that ``edition`` belongs to ``standard`` (default edition when ``None``)."""
    if edition is None:
        return default_edition(standard)
    known = editions()
    if edition not in known or known[edition].standard != standard:
        choices = sorted(e.edition for e in known.values() if e.standard == standard)
        raise StandardsError(f"no edition {edition!r} of the {standard} standard; "
                             f"available: {', '.join(choices)}")
    return edition


@lru_cache(maxsize=64)
def load_table(edition: str, name: str) -> pd.DataFrame:
    """Read ``<edition>__<name>.csv``; callers must not modify the cached frame."""
    return _read_csv(TABLES_DIR / f"{edition}__{name}.csv")


def _read_csv(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise StandardsError(f"standard table {path.name} is missing from {path.parent}")
    return pd.read_csv(path, dtype={"grade_code": str, "sex": str}, keep_default_na=True)
