"""Dates as schools and stations write them, and age in completed calendar months.

Templates write 2015-03-04, 2015/3/4, 2015.03.04, 20150304 or 2015年3月4日; Excel may hand
over a datetime. Age for the age-banded standards is counted in completed calendar months
(a birthday starts the new year or half-year), never days / 365.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

DATE_PATTERN = r"^\s*(\d{4})\s*[-/.年]?\s*(\d{1,2})\s*[-/.月]?\s*(\d{1,2})\s*日?(?:[ T].*)?$"


def parse_dates(values: pd.Series) -> pd.Series:
    """Dates as written in templates (2015-03-04, 2015/3/4, 20150304, Excel datetimes)."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    parts = values.astype(str).str.extract(DATE_PATTERN).astype(float)
    return pd.to_datetime(pd.DataFrame({"year": parts[0], "month": parts[1], "day": parts[2]}),
                          errors="coerce")


def parse_date_one(value: Any) -> tuple[int, int, int] | None:
    """Scalar twin of :func:`parse_dates`: (year, month, day) or None."""
    got = parse_dates(pd.Series([value], dtype=object))
    stamp = got.iloc[0]
    return None if pd.isna(stamp) else (stamp.year, stamp.month, stamp.day)


def age_in_months(birth: pd.Series, test: pd.Series) -> pd.Series:
    """Completed calendar months from birth to test date."""
    return ((test.dt.year - birth.dt.year) * 12 + (test.dt.month - birth.dt.month)
            - (test.dt.day < birth.dt.day).astype(int))
