"""Vision and scoliosis screening sheets: clean them, one row per student, ready to join.

Vision (儿童青少年近视防控适宜技术指南; MOE vision upload since 2021):

* uncorrected VA per eye on the 5-point scale, 3.0–5.3. The MOE upload codes "below 3.0"
  as 0; such an eye is kept as missing VA with ``va_below_3_<eye>`` set, which the
  screening reads as VA < 5.0 (certainly true) without inventing a number.
* spherical equivalent per eye, given directly or computed as sphere + cylinder / 2.
* ``spherical_equivalent_d`` (the vocabulary's single SE) is the **more myopic eye** (the
  lower SE): screening myopia asks whether either eye is myopic, so the worse eye decides
  (domain.md §5.1; ``prescribe.standards.screening``). When one eye's SE is missing, the
  other decides only if it is itself myopic; otherwise the SE stays unknown, because the
  missing eye could be the myopic one.

Scoliosis (GB/T 16133-2014 forward-bend screening with a scoliometer): the angle of trunk
rotation per region (部位 胸段/胸腰段/腰段), long (one row per region) or wide (one column
per region) or a single ATR per student. ``atr_deg`` is the largest angle over the
regions; ``atr_region`` names the region(s) reaching it when that angle is screen-positive
(≥ 5°), since a region is only worth naming where there is a sign.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..vocabulary import BY_NAME
from .columns import REGIONS, SCOLIOSIS_LOOKUP, VISION_LOOKUP, WIDE_ATR, normalise_header
from .problems import Problems

VA = BY_NAME["uncorrected_va_left"]
SE = BY_NAME["spherical_equivalent_d"]
ATR = BY_NAME["atr_deg"]
ATR_POSITIVE_DEG = 5.0
REGION_ORDER = ("thoracic", "thoracolumbar", "lumbar")


def screening_columns(headers: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Map raw headers to vision and scoliosis column names (header → name)."""
    vision, spine = {}, {}
    for h in headers:
        key = normalise_header(h)
        if key in VISION_LOOKUP:
            vision[h] = VISION_LOOKUP[key]
        elif key in SCOLIOSIS_LOOKUP:
            spine[h] = SCOLIOSIS_LOOKUP[key]
    return vision, spine


def _number(raw: pd.Series, name: str, lo: float, hi: float, allowed: str,
            out: Problems, *, zero_ok: bool = False) -> pd.Series:
    num = pd.to_numeric(raw, errors="coerce").astype(float)
    for line, value in raw[raw.notna() & num.isna()].items():
        out.add(int(line), name, value, "not a number", allowed=allowed)
    bad = (num < lo) | (num > hi)
    if zero_ok:
        bad &= num != 0
    for line, value in raw[bad.fillna(False)].items():
        out.add(int(line), name, value, "impossible value", allowed=allowed)
    return num.where(~bad)


def clean_vision(raw: pd.DataFrame, names: dict[str, str], out: Problems) -> pd.DataFrame:
    """Vision columns of one sheet (index = file line) → cleaned per-eye values and SE."""
    got = raw[list(names)].rename(columns=names)
    clean = pd.DataFrame(index=raw.index)
    for eye in ("left", "right"):
        va_name = f"uncorrected_va_{eye}"
        if va_name in got:
            va = _number(got[va_name], va_name, VA.lo, VA.hi, f"{VA.allowed}, or 0 for "
                         "below 3.0 (MOE code)", out, zero_ok=True)
            below = va == 0
            for line in va.index[below.fillna(False)]:
                out.add(int(line), va_name, "0", "below 3.0 (MOE code 0): kept as poor "
                        "vision without a number", severity="warning")
            clean[va_name] = va.where(~below)
            clean[f"va_below_3_{eye}"] = below.astype("boolean").where(va.notna())
        se = _eye_se(got, eye, out)
        if se is not None:
            clean[f"se_{eye}_d"] = se
        if f"axis_{eye}_deg" in got:  # kept for the record; SE does not need the axis
            clean[f"axis_{eye}_deg"] = _number(got[f"axis_{eye}_deg"], f"axis_{eye}_deg",
                                               0, 180, "0–180°", out)
    if "se_left_d" in clean or "se_right_d" in clean:
        clean["spherical_equivalent_d"] = more_myopic(
            clean.get("se_left_d", pd.Series(np.nan, index=clean.index)),
            clean.get("se_right_d", pd.Series(np.nan, index=clean.index)))
    return clean


def _eye_se(got: pd.DataFrame, eye: str, out: Problems) -> pd.Series | None:
    allowed = SE.allowed
    se = (_number(got[f"se_{eye}_d"], f"se_{eye}_d", SE.lo, SE.hi, allowed, out)
          if f"se_{eye}_d" in got else None)
    if f"sphere_{eye}_d" in got:
        sphere = _number(got[f"sphere_{eye}_d"], f"sphere_{eye}_d", SE.lo, SE.hi, allowed, out)
        cyl = (_number(got[f"cyl_{eye}_d"], f"cyl_{eye}_d", -10, 10, "-10–10 D", out)
               if f"cyl_{eye}_d" in got else pd.Series(0.0, index=got.index))
        computed = sphere + cyl / 2
        se = computed if se is None else se.fillna(computed)
    return se


def more_myopic(left: pd.Series, right: pd.Series) -> pd.Series:
    """The worse eye's SE; unknown when a missing eye could be the worse one."""
    both = np.fmin(left, right).where(left.notna() & right.notna())
    one = left.fillna(right).where(left.isna() ^ right.isna())
    decisive = one.where(one <= SE_MYOPIC_AT)
    return both.fillna(decisive)


SE_MYOPIC_AT = -0.5
"""SE at or below which an eye counts as myopic (``standards`` myopia criteria)."""


def clean_scoliosis(raw: pd.DataFrame, names: dict[str, str], ids: pd.Series,
                    out: Problems) -> pd.DataFrame:
    """Scoliosis columns → one row per student: ``atr_deg`` (max) and ``atr_region``.

    Returns a frame indexed by 学籍号 with ``source_line`` (first line of the student).
    """
    got = raw[list(names)].rename(columns=names)
    allowed = ATR.allowed
    if "atr_region" in got and "atr_deg" in got:
        region = got["atr_region"].astype("string").str.strip()
        code = region.map(lambda r: REGIONS.get(normalise_header(r)) if pd.notna(r) else None)
        for line, value in region[region.notna() & code.isna()].items():
            out.add(int(line), "atr_region", value, "unknown region",
                    allowed="胸段 | 胸腰段 | 腰段")
        long = pd.DataFrame({"student_id": ids, "region": code,
                             "atr": _number(got["atr_deg"], "atr_deg", ATR.lo, ATR.hi,
                                            allowed, out)})
        twice = long["student_id"].notna() & long["region"].notna() & long.duplicated(
            ["student_id", "region"], keep="first")
        for line in long.index[twice.to_numpy()]:
            out.add(int(line), "atr_region", region[line],
                    "this region is already recorded for this student")
        long = long[~twice]
    else:
        wide = {name: WIDE_ATR.get(name, "unspecified") for name in got.columns
                if name in WIDE_ATR or name == "atr_deg"}
        parts = [pd.DataFrame({"student_id": ids, "region": region,
                               "atr": _number(got[name], name, ATR.lo, ATR.hi, allowed, out)})
                 for name, region in wide.items()]
        long = pd.concat(parts) if parts else pd.DataFrame(columns=["student_id", "region",
                                                                     "atr"])
    return _per_student(long)


def _per_student(long: pd.DataFrame) -> pd.DataFrame:
    long = long[long["student_id"].notna()].copy()
    long["line"] = long.index.to_numpy()
    grouped = long.groupby("student_id", sort=False)
    top = grouped["atr"].transform("max")
    at_top = long[long["atr"].eq(top) & (long["atr"] >= ATR_POSITIVE_DEG)]
    rank = {r: i for i, r in enumerate(REGION_ORDER)}
    at_top = at_top.assign(rank=at_top["region"].map(rank)).sort_values("rank", kind="stable")
    regions = at_top.groupby("student_id", sort=False)["region"].agg(
        lambda r: ";".join(dict.fromkeys(r.dropna())))
    result = pd.DataFrame({"atr_deg": grouped["atr"].max(),
                           "source_line": grouped["line"].min()})
    result["atr_region"] = regions.reindex(result.index).astype("string")
    return result
