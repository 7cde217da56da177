"""国家学生体质健康标准 (2014 revision): compiled tables and the vectorised scorer.

Decisions (also in ``tables/PROVENANCE.md``):

* BMI = weight / height² (m), rounded half up to 0.1 before it is matched against the
  grade's inclusive bands (the bands are printed at 0.1 kg/m²).
* Item results are compared with the thresholds as given (no rounding): a 50 m time of
  9.05 s is slower than the 9.0 s level.
* Total = Σ(item score × weight %) / 100 + bonus (bonus capped at the edition's
  ``bonus_cap_total``). It is computed in integer hundredths, so the total is exact and
  ``total_score`` is reported unrounded. The grade is read from the total rounded half up
  to one decimal, as the standard reports totals: 89.95 → 90.0 → excellent.
* A student missing any item required for their grade and sex gets no total and no grade
  (not a fail); ``missing_items`` names the items.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from ..errors import StandardsError
from ..tabular import TEMPLATE_HEADERS
from .lookup import LevelTable, build_level_tables, tenths
from .tables import load_table

SEXES = ("M", "F")
BMI_CATEGORIES = ("underweight", "normal", "overweight", "obese")


@dataclass(frozen=True)
class StudentTables:
    """One edition of the student standard, compiled for lookup by key = group × 2 + sex."""

    edition: str
    groups: tuple[str, ...]
    group_of_code: dict[str, int]
    items: tuple[str, ...]
    levels: dict[str, LevelTable]
    weights: np.ndarray
    bmi_lower: np.ndarray
    bmi_scores: np.ndarray
    bonus: dict[str, LevelTable]
    bonus_cap: int
    grade_cuts: tuple[int, ...]
    grade_labels: tuple[str, ...]

    @property
    def n_keys(self) -> int:
        return len(self.groups) * 2

    def required(self, key: int) -> list[str]:
        """Items (``bmi`` first) that count towards the total for this key."""
        return [name for j, name in enumerate(("bmi", *self.items)) if self.weights[key, j]]


@lru_cache(maxsize=8)
def compile_student(edition: str) -> StudentTables:
    codes = load_table(edition, "grade_codes")
    groups = tuple(dict.fromkeys(codes["grade_group"]))
    group_of_code = {str(c): groups.index(g) for c, g in zip(codes["grade_code"],
                                                             codes["grade_group"], strict=True)}
    key_of = {(g, s): i * 2 + j for i, g in enumerate(groups) for j, s in enumerate(SEXES)}
    n_keys = len(groups) * 2
    table = f"{edition}__item_scores.csv"
    levels = build_level_tables(load_table(edition, "item_scores"), key_of,
                                ["grade_group", "sex"], n_keys, below=0.0, table=table)
    template_order = list(TEMPLATE_HEADERS.values())
    items = tuple(sorted(levels, key=template_order.index))

    weights = np.zeros((n_keys, len(items) + 1), dtype=np.int64)
    for rec in load_table(edition, "weights").itertuples(index=False):
        names = ("bmi", *items)
        if rec.item not in names or (rec.grade_group, rec.sex) not in key_of:
            raise StandardsError(f"{edition}__weights.csv: no score table for {rec.item!r} "
                                 f"in {rec.grade_group}/{rec.sex}")
        key = key_of[(rec.grade_group, rec.sex)]
        if rec.item != "bmi" and not levels[rec.item].applies[key]:
            raise StandardsError(f"{edition}__weights.csv: {rec.item!r} weighted for "
                                 f"{rec.grade_group}/{rec.sex} but has no score levels there")
        weights[key, names.index(rec.item)] = int(rec.weight_pct)
    bad = [k for k in range(n_keys) if weights[k].sum() != 100]
    if bad:
        raise StandardsError(f"{edition}__weights.csv: weights do not sum to 100 for keys {bad}")

    bmi_lower, bmi_scores = _compile_bmi(edition, key_of, n_keys)
    bonus = build_level_tables(load_table(edition, "bonus").rename(
        columns={"bonus_points": "score"}), key_of, ["grade_group", "sex"], n_keys, below=0.0,
        table=f"{edition}__bonus.csv")
    rules = dict(zip(load_table(edition, "rules")["rule"],
                     load_table(edition, "rules")["value"], strict=True))
    grades = load_table(edition, "grades").sort_values("total_min", na_position="first")
    if grades["total_min"].isna().sum() != 1:
        raise StandardsError(f"{edition}__grades.csv: exactly one grade needs no minimum")
    cuts = tuple(int(round(v * 10)) for v in grades["total_min"].dropna())
    return StudentTables(edition, groups, group_of_code, items, levels, weights, bmi_lower,
                         bmi_scores, bonus, int(rules["bonus_cap_total"]), cuts,
                         tuple(grades["grade"]))


def _compile_bmi(edition: str, key_of: dict, n_keys: int) -> tuple[np.ndarray, np.ndarray]:
    """BMI bands as integer-tenths lower bounds; checks they tile the line at 0.1."""
    lower = np.full((n_keys, 4), np.nan)
    scores = np.full((n_keys, 4), np.nan)
    for (group, sex), rows in load_table(edition, "bmi_bands").groupby(["grade_group", "sex"]):
        rows = rows.set_index("category").reindex(list(BMI_CATEGORIES))
        lo = np.round(rows["bmi_min"].to_numpy() * 10)
        hi = np.round(rows["bmi_max"].to_numpy() * 10)
        if not (np.isnan(lo[0]) and np.isnan(hi[3]) and (lo[1:] == hi[:-1] + 1).all()):
            raise StandardsError(f"{edition}__bmi_bands.csv: bands of {group}/{sex} do not "
                                 "tile the BMI line at 0.1")
        key = key_of[(group, sex)]
        lower[key] = np.concatenate([[-np.inf], lo[1:]])
        scores[key] = rows["score"].to_numpy(dtype=float)
    if np.isnan(scores).any():
        raise StandardsError(f"{edition}__bmi_bands.csv: some grade/sex has no BMI bands")
    return lower, scores


def student_keys(clean: pd.DataFrame, tables: StudentTables) -> np.ndarray:
    groups = clean["grade_code"].map(tables.group_of_code).to_numpy(dtype=np.int64)
    return groups * 2 + clean["sex"].eq("F").to_numpy(dtype=np.int64)


def _column(clean: pd.DataFrame, name: str) -> np.ndarray:
    if name not in clean:
        return np.full(len(clean), np.nan)
    return clean[name].to_numpy(dtype=float, na_value=np.nan)


def score_students(clean: pd.DataFrame, tables: StudentTables) -> pd.DataFrame:
    """Score validated rows (sex ``M``/``F``, canonical grade codes, numeric items)."""
    n = len(clean)
    keys = student_keys(clean, tables)
    height = _column(clean, "height_cm") / 100.0
    bmi_t = tenths(_column(clean, "weight_kg") / (height * height))
    bmi_cat = band_index_rows(tables.bmi_lower, keys, bmi_t)
    bmi_score = np.where(np.isnan(bmi_t), np.nan, tables.bmi_scores[keys, bmi_cat])
    weights = tables.weights[keys]
    hundredths = np.where(np.isnan(bmi_score), 0, bmi_score) * weights[:, 0]
    missing_bits = np.where(np.isnan(bmi_score) & (weights[:, 0] > 0), 1, 0).astype(np.int64)
    out: dict[str, object] = {
        "bmi": bmi_t / 10.0,
        "bmi_category": pd.Categorical.from_codes(np.where(np.isnan(bmi_t), -1, bmi_cat),
                                                  BMI_CATEGORIES),
        "score_bmi": _int_array(bmi_score),
    }
    for j, item in enumerate(tables.items, start=1):
        values = _column(clean, item)
        score = tables.levels[item].score(values, keys)
        present = ~np.isnan(score)
        hundredths += np.where(present, score, 0) * weights[:, j]
        missing_bits |= np.where(~present & (weights[:, j] > 0), 1 << j, 0)
        out[f"score_{item}"] = _int_array(score)
    bonus = np.zeros(n, dtype=np.int64)
    for item, table in tables.bonus.items():
        got = table.score(_column(clean, item), keys)
        bonus += np.where(np.isnan(got), 0, got).astype(np.int64)
    bonus = np.minimum(bonus, tables.bonus_cap)
    total = hundredths.astype(np.int64) + 100 * bonus
    complete = missing_bits == 0
    grade_idx = np.searchsorted(np.asarray(tables.grade_cuts), (total + 5) // 10, side="right")
    out["bonus_points"] = pd.array(bonus, dtype="Int64")
    out["total_score"] = np.where(complete, total / 100.0, np.nan)
    out["grade"] = np.where(complete, np.asarray(tables.grade_labels)[grade_idx], "")
    out["missing_items"] = _bit_names(missing_bits, ("bmi", *tables.items))
    out["standard_edition"] = tables.edition
    return pd.DataFrame(out, index=clean.index)


def band_index_rows(lower: np.ndarray, keys: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Per-row band index for per-key lower bounds (first column -inf); 0 for NaN."""
    reached = np.zeros(len(values), dtype=np.int64)
    for col in range(1, lower.shape[1]):
        reached += values >= np.take(lower[:, col], keys)
    return reached


def _int_array(values: np.ndarray) -> pd.api.extensions.ExtensionArray:
    mask = np.isnan(values)
    return pd.arrays.IntegerArray(np.where(mask, 0, values).astype(np.int64), mask)


def _bit_names(bits: np.ndarray, names: tuple[str, ...]) -> np.ndarray:
    """Turn per-row bit masks into ';'-joined names via the few distinct patterns."""
    patterns, inverse = np.unique(bits, return_inverse=True)
    labels = np.array([";".join(n for j, n in enumerate(names) if p >> j & 1)
                       for p in patterns.tolist()], dtype=object)
    return labels[inverse]

