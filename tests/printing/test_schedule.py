"""The suggested week stays inside the prescription and keeps strength days apart."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from web.printing.schedule import (
    NON_CONSECUTIVE,
    plan_week,
    session_minutes,
    sessions_per_week,
)


def comp(kind, days, minutes, weekly=None):
    return {"type": kind, "days_per_week": days, "minutes_per_session": minutes,
            "weekly_minutes": weekly}


def test_thirty_minutes_on_five_days_reaches_150():
    aerobic = comp("aerobic", [3, 7], [20, 60], [150, 300])
    assert sessions_per_week(aerobic) == 5
    assert session_minutes(aerobic, 5) == (30, 60)


def test_weekly_minimum_raises_session_length_within_the_range():
    obesity = comp("aerobic", [5, 7], [30, 60], [250, 300])
    days = sessions_per_week(obesity)
    assert days == 7
    lo, hi = session_minutes(obesity, days)
    assert (lo, hi) == (40, 60)
    assert lo * days >= 250


def test_session_length_never_exceeds_the_prescribed_maximum():
    tight = comp("aerobic", [3, 3], [20, 30], [150, 150])
    assert sessions_per_week(tight) == 3
    assert session_minutes(tight, 3) == (30, 30)


def test_without_weekly_target_the_fewest_prescribed_days():
    assert sessions_per_week(comp("resistance", [2, 3], [20, 30])) == 2


def test_strength_days_are_apart_and_off_the_busiest_days():
    week = plan_week([comp("aerobic", [3, 3], [30, 60]), comp("resistance", [2, 2], [20, 30]),
                      comp("flexibility", [2, 2], [10, 15])])
    aerobic, strength, stretch = week
    assert aerobic.days == (0, 2, 4)
    assert not set(strength.days) & set(aerobic.days)
    assert all(b - a >= 2 for a, b in zip(strength.days, strength.days[1:], strict=False))
    assert set(stretch.days) <= set(aerobic.days) | set(strength.days)


def test_daily_components_fill_the_week():
    week = plan_week([comp("outdoor_activity", [7, 7], [120, 120], [840, 840])])
    assert week[0].days == tuple(range(7))
    assert week[0].minutes == (120, 120)


component = st.builds(
    lambda kind, d0, dspan, m0, mspan, weekly: comp(
        kind, [d0, min(7, d0 + dspan)], [m0, m0 + mspan],
        None if weekly is None else [weekly, weekly + 60]),
    kind=st.sampled_from(["aerobic", "resistance", "flexibility", "neuromotor_balance",
                          "bone_strengthening", "outdoor_activity"]),
    d0=st.integers(1, 7), dspan=st.integers(0, 4), m0=st.integers(5, 90),
    mspan=st.integers(0, 60), weekly=st.one_of(st.none(), st.integers(30, 600)),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(component, min_size=1, max_size=5))
def test_any_prescription_week_stays_in_range(components):
    week = plan_week(components)
    assert [w.kind for w in week] == [c["type"] for c in components]
    for item, c in zip(week, components, strict=True):
        d_lo, d_hi = c["days_per_week"]
        m_lo, m_hi = c["minutes_per_session"]
        assert d_lo <= len(item.days) <= d_hi
        assert len(set(item.days)) == len(item.days)
        assert all(0 <= d <= 6 for d in item.days)
        assert m_lo <= item.minutes[0] <= item.minutes[1] == m_hi
        if item.kind in NON_CONSECUTIVE and len(item.days) <= 4:
            assert all(b - a >= 2 for a, b in zip(item.days, item.days[1:], strict=False))
