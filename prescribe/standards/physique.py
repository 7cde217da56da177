"""国民体质测定标准 (2003 edition): compiled tables and the vectorised scorer.

Decisions (also in ``tables/PROVENANCE.md``):

* Age band: children 3–6 in half-year groups by exact age (calendar months / 12 when
  computed from dates), adults 20–59 in 5-year bands and older adults 60–69 by completed
  years; every band includes its lower bound and excludes its upper bound.
* Height-for-weight (身高标准体重): height and weight are rounded half up to 0.1 (their
  recording resolution); the height row is the whole centimetre of the rounded height
  (row 168 covers 168.0–168.9 cm) and the weight band is the one whose inclusive 0.1 kg
  bounds hold the rounded weight. A height outside the printed rows is unscored.
* Items score 1–5; a result worse than the 1-point limit scores nothing. Any required item
  missing (``missing_items``) or unscored (``unscored_items``) leaves ``total_points`` and
  ``grade`` empty, as the standard gives such a person no overall grade.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from ..errors import StandardsError
from ..vocabulary import ITEM_CODES
from .frames import band_index_rows, bit_names, column, female, int_array, labels
from .lookup import Blocks, LevelTable, build_level_tables, tenths
from .student import SEXES
from .tables import load_table

HW_SCORES = (1, 3, 5, 3, 1)
HW_CATEGORIES = ("light_1", "light_3", "normal_5", "heavy_3", "heavy_1")


@dataclass(frozen=True)
class PhysiqueTables:
    """One edition of the physique standard, keyed by age band × 2 + sex."""

    edition: str
    band_starts: np.ndarray
    band_ends: np.ndarray
    band_labels: tuple[str, ...]
    items: tuple[str, ...]
    levels: dict[str, LevelTable]
    required: np.ndarray
    hw_key: np.ndarray
    hw_hmin: np.ndarray
    hw_rows: np.ndarray
    hw_lower: np.ndarray
    max_rows: int
    grade_cuts: np.ndarray
    grade_labels: tuple[str, ...] = ("fail", "pass", "good", "excellent")

    def band_of(self, age: np.ndarray) -> np.ndarray:
        """Band index per age; -1 where the edition has no band for that age."""
        idx = np.searchsorted(self.band_starts, age, side="right") - 1
        inside = (idx >= 0) & (age < self.band_ends[np.maximum(idx, 0)])
        return np.where(inside, idx, -1)

    def covered_ages(self) -> str:
        spans, start, end = [], self.band_starts[0], self.band_ends[0]
        for lo, hi in zip(self.band_starts[1:], self.band_ends[1:], strict=True):
            if lo != end:
                spans.append(f"{start:g}–<{end:g}")
                start = lo
            end = hi
        spans.append(f"{start:g}–<{end:g}")
        return ", ".join(spans) + " y"


def _label(population: str, lo: float, hi: float) -> str:
    return f"{lo:.1f}-{hi:.1f}" if population == "child" else f"{lo:g}-{hi - 1:g}"


@lru_cache(maxsize=8)
def compile_physique(edition: str) -> PhysiqueTables:
    scores = load_table(edition, "item_scores")
    bands = (scores[["population", "age_min", "age_max"]].drop_duplicates()
             .sort_values("age_min").reset_index(drop=True))
    starts, ends = bands["age_min"].to_numpy(float), bands["age_max"].to_numpy(float)
    if (starts[1:] < ends[:-1]).any():
        raise StandardsError(f"{edition}__item_scores.csv: age bands overlap")
    key_of = {(p, lo, hi, s): i * 2 + j for i, (p, lo, hi) in enumerate(bands.itertuples(
        index=False)) for j, s in enumerate(SEXES)}
    n_keys = len(bands) * 2
    levels = build_level_tables(scores, key_of, ["population", "age_min", "age_max", "sex"],
                                n_keys, below=np.nan, table=f"{edition}__item_scores.csv")
    items = tuple(sorted(levels, key=lambda n: ITEM_CODES.index(n) if n in ITEM_CODES else -1))
    names = ("height_weight", *items)
    required = np.zeros((n_keys, len(names)), dtype=bool)
    for rec in load_table(edition, "items").itertuples(index=False):
        key = key_of.get((rec.population, rec.age_min, rec.age_max, rec.sex))
        if key is None or rec.item not in names:
            raise StandardsError(f"{edition}__items.csv: {rec.item!r} for {rec.population} "
                                 f"{rec.age_min:g}-{rec.age_max:g} has no score table")
        required[key, names.index(rec.item)] = True
    hw = _compile_height_weight(edition, bands)
    return PhysiqueTables(edition, starts, ends,
                          tuple(_label(p, lo, hi) for p, lo, hi in bands.itertuples(index=False)),
                          items, levels, required, *hw,
                          grade_cuts=_compile_grades(edition, bands))


def _containing(frame: pd.DataFrame, population: str, lo: float, hi: float) -> pd.DataFrame:
    return frame[frame["population"].eq(population) & frame["age_min"].le(lo)
                 & frame["age_max"].ge(hi)]


def _compile_height_weight(edition: str, bands: pd.DataFrame) -> tuple:
    table = load_table(edition, "height_weight")
    hw_bands = table[["population", "age_min", "age_max"]].drop_duplicates().reset_index(drop=True)
    groups = [(b, s) for b in hw_bands.itertuples(index=False) for s in SEXES]
    max_rows = int(table.groupby(["population", "age_min", "sex"])["height_min_cm"].nunique().max())
    lower = np.full((len(groups) * max_rows, 5), np.inf)
    hmin = np.zeros(len(groups), dtype=np.int64)
    nrows = np.zeros(len(groups), dtype=np.int64)
    for g, (band, sex) in enumerate(groups):
        rows = table[table["population"].eq(band.population) & table["age_min"].eq(band.age_min)
                     & table["sex"].eq(sex)]
        heights = np.sort(rows["height_min_cm"].unique())
        if len(heights) == 0 or (np.diff(heights) != 1).any():
            raise StandardsError(f"{edition}__height_weight.csv: height rows of "
                                 f"{band.population} {sex} are not whole consecutive cm")
        hmin[g], nrows[g] = int(heights[0]), len(heights)
        for r, cm in enumerate(heights):
            cells = rows[rows["height_min_cm"].eq(cm)].set_index("category").reindex(
                list(HW_CATEGORIES))
            lo = np.round(cells["weight_min_kg"].to_numpy() * 10)
            hi = np.round(cells["weight_max_kg"].to_numpy() * 10)
            if not (np.isnan(lo[0]) and np.isnan(hi[4]) and (lo[1:] == hi[:-1] + 1).all()
                    and tuple(cells["score"]) == HW_SCORES):
                raise StandardsError(f"{edition}__height_weight.csv: weight bands of "
                                     f"{band.population} {sex} {cm} cm do not tile at 0.1 kg")
            lower[g * max_rows + r] = np.concatenate([[-np.inf], lo[1:]])
    hw_key = np.zeros(len(bands) * 2, dtype=np.int64)
    for i, band in enumerate(bands.itertuples(index=False)):
        match = _containing(hw_bands, band.population, band.age_min, band.age_max)
        if len(match) != 1:
            raise StandardsError(f"{edition}__height_weight.csv: no single table for "
                                 f"{band.population} {band.age_min:g}-{band.age_max:g}")
        for j in range(2):
            hw_key[i * 2 + j] = int(match.index[0]) * 2 + j
    return hw_key, hmin, nrows, lower, max_rows


def _compile_grades(edition: str, bands: pd.DataFrame) -> np.ndarray:
    grades = load_table(edition, "grades")
    cuts = np.zeros((len(bands) * 2, 3), dtype=np.int64)
    for i, band in enumerate(bands.itertuples(index=False)):
        rows = _containing(grades, band.population, band.age_min, band.age_max).set_index(
            "grade").reindex(["fail", "pass", "good", "excellent"])
        lo, hi = rows["total_min"].to_numpy(), rows["total_max"].to_numpy()
        if np.isnan(lo).any() or not (lo[1:] == hi[:-1] + 1).all():
            raise StandardsError(f"{edition}__grades.csv: grades for {band.population} "
                                 f"{band.age_min:g}-{band.age_max:g} missing or not contiguous")
        cuts[i * 2] = cuts[i * 2 + 1] = lo[1:].astype(np.int64)
    return cuts


def hw_score(tables: PhysiqueTables, keys: np.ndarray, height_t: np.ndarray,
             weight_t: np.ndarray) -> np.ndarray:
    """Height-for-weight points from integer tenths of height and weight (NaN: unscored)."""
    hwk = tables.hw_key[keys]
    row = np.floor(height_t / 10.0) - tables.hw_hmin[hwk]
    inside = (row >= 0) & (row < tables.hw_rows[hwk]) & ~np.isnan(weight_t)
    flat = hwk * tables.max_rows + np.where(inside, row, 0).astype(np.int64)
    band = band_index_rows(tables.hw_lower, flat, weight_t)
    return np.where(inside, np.asarray(HW_SCORES, dtype=float)[band], np.nan)


def score_physique(clean: pd.DataFrame, tables: PhysiqueTables) -> pd.DataFrame:
    """Score validated rows (sex ``M``/``F``, ``age_years`` inside a band, numeric items)."""
    band = tables.band_of(column(clean, "age_years"))
    if (band < 0).any():
        raise StandardsError("score_physique got ages outside the edition's bands; validate first")
    keys = band * 2 + female(clean)
    blocks = Blocks.of(keys, len(tables.band_labels) * 2)
    height, weight = column(clean, "height_cm"), column(clean, "weight_kg")
    height_m = height / 100.0
    required = tables.required[keys]
    hw = hw_score(tables, keys, tenths(height), tenths(weight))
    given = ~np.isnan(height) & ~np.isnan(weight)
    missing = np.where(~given & required[:, 0], 1, 0).astype(np.int64)
    unscored = np.where(given & np.isnan(hw) & required[:, 0], 1, 0).astype(np.int64)
    total = np.where(np.isnan(hw), 0, hw)
    out: dict[str, object] = {
        "bmi": tenths(weight / (height_m * height_m)) / 10.0,
        "age_band": labels(band, tables.band_labels),
        "score_height_weight": int_array(np.where(required[:, 0], hw, np.nan)),
    }
    for j, item in enumerate(tables.items, start=1):
        values = column(clean, item)
        score = np.where(required[:, j], tables.levels[item].score(values, blocks), np.nan)
        missing |= np.where(np.isnan(values) & required[:, j], 1 << j, 0)
        unscored |= np.where(~np.isnan(values) & np.isnan(score) & required[:, j], 1 << j, 0)
        total += np.where(np.isnan(score), 0, score)
        out[f"score_{item}"] = int_array(score)
    complete = (missing == 0) & (unscored == 0)
    points = total.astype(np.int64)
    grade_idx = (points[:, None] >= tables.grade_cuts[keys]).sum(axis=1)
    names = ("height_weight", *tables.items)
    out["total_points"] = pd.arrays.IntegerArray(points, ~complete)
    out["grade"] = labels(np.where(complete, grade_idx, len(tables.grade_labels)),
                          (*tables.grade_labels, ""))
    out["missing_items"] = bit_names(missing, names)
    out["unscored_items"] = bit_names(unscored, names)
    out["standard_edition"] = labels(np.zeros(len(clean), dtype=np.int64), (tables.edition,))
    return pd.DataFrame(out, index=clean.index, copy=False)
