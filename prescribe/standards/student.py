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
from .frames import bit_names, column, female, int_array, labels
from .lookup import Blocks, LevelTable, build_level_tables, tenths
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
    """Key per row: grade group × 2 + (1 for F); grade codes and sex must be validated."""
    codes, grades = pd.factorize(clean["grade_code"])
    groups = np.array([tables.group_of_code[g] for g in grades], dtype=np.int64)[codes]
    return groups * 2 + female(clean)


def score_students(clean: pd.DataFrame, tables: StudentTables) -> pd.DataFrame:
    """Score validated rows (sex ``M``/``F``, canonical grade codes, numeric items).

    Rows are sorted by key once; every key's rows then form one contiguous block scored
    with that key's ladders and weights as scalars, and the results are put back in the
    input order at the end.
    """
    n = len(clean)
    blocks = Blocks.of(student_keys(clean, tables), tables.n_keys)
    order = blocks.order
    col = {name: column(clean, name)[order] for name in
           ("height_cm", "weight_kg", *tables.items)}
    metres = col["height_cm"] / 100.0
    bmi_t = tenths(col["weight_kg"] / (metres * metres))
    bmi_cat = np.full(n, -1, dtype=np.int64)
    scores = {name: np.full(n, np.nan) for name in ("bmi", *tables.items)}
    hundredths = np.zeros(n, dtype=np.int64)
    missing = np.zeros(n, dtype=np.int64)
    bonus = np.zeros(n, dtype=np.int64)
    for key in range(tables.n_keys):
        rows = slice(blocks.bounds[key], blocks.bounds[key + 1])
        if rows.start == rows.stop:
            continue
        weights = tables.weights[key]
        bmi = bmi_t[rows]
        cat = np.searchsorted(tables.bmi_lower[key, 1:], bmi, side="right")
        bmi_cat[rows] = np.where(np.isnan(bmi), -1, cat)
        scores["bmi"][rows] = np.where(np.isnan(bmi), np.nan, tables.bmi_scores[key, cat])
        for j, name in enumerate(("bmi", *tables.items)):
            got = scores[name][rows] if j == 0 else tables.levels[name].block_score(
                key, col[name][rows])
            scores[name][rows] = got
            if weights[j]:
                present = ~np.isnan(got)
                hundredths[rows] += np.where(present, got, 0).astype(np.int64) * weights[j]
                missing[rows] |= np.where(present, 0, 1 << j)
        for name, table in tables.bonus.items():
            if table.applies[key]:
                got = table.block_score(key, col[name][rows])
                bonus[rows] += np.where(np.isnan(got), 0, got).astype(np.int64)
    bonus = np.minimum(bonus, tables.bonus_cap)
    total = hundredths + 100 * bonus
    complete = missing == 0
    grade = np.searchsorted(np.asarray(tables.grade_cuts), (total + 5) // 10, side="right")
    no_grade = len(tables.grade_labels)
    sorted_out: dict[str, object] = {
        "bmi": bmi_t / 10.0,
        "bmi_category": bmi_cat,
        **{f"score_{name}": scores[name] for name in ("bmi", *tables.items)},
        "bonus_points": bonus,
        "total_score": np.where(complete, total / 100.0, np.nan),
        "grade": np.where(complete, grade, no_grade),
        "missing_items": missing,
    }
    out: dict[str, object] = {}
    for name, values in sorted_out.items():
        back = np.empty_like(values)
        back[order] = values
        out[name] = back
    out["bmi_category"] = pd.Categorical.from_codes(out["bmi_category"], BMI_CATEGORIES)
    for name in ("bmi", *tables.items):
        out[f"score_{name}"] = int_array(out[f"score_{name}"])
    out["bonus_points"] = pd.array(out["bonus_points"], dtype="Int64")
    out["grade"] = labels(out["grade"], (*tables.grade_labels, ""))
    out["missing_items"] = bit_names(out["missing_items"], ("bmi", *tables.items))
    out["standard_edition"] = labels(np.zeros(n, dtype=np.int64), (tables.edition,))
    return pd.DataFrame(out, index=clean.index, copy=False)
