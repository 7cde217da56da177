"""The vectorised batch path gives exactly the single-record results (property tests)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prescribe.engine import load_ruleset
from prescribe.engine.batch import decide_frame
from prescribe.engine.columns import FactFrame
from prescribe.engine.evaluate import Engine
from prescribe.engine.inputs import kinds_of

from .engine_kit import baseline_rules, cap, clinical_rules, files, leaf, rule

RULES = clinical_rules()

NUM = lambda lo, hi, step: st.one_of(st.none(), st.integers(int(lo / step), int(hi / step)).map(  # noqa: E731
    lambda k: round(k * step, 4)))
RECORD = st.fixed_dictionaries({
    "age_years": NUM(3, 110, 0.5),
    "age_group": st.one_of(st.none(), st.sampled_from(["preschool_3_6", "youth_6_17", "adult_18_64",
                                                       "older_65_plus"])),
    "sex": st.one_of(st.none(), st.sampled_from(["M", "F"])),
    "sbp_mmhg": NUM(60, 260, 1), "dbp_mmhg": NUM(30, 160, 1), "waist_cm": NUM(30, 200, 0.5),
    "bmi_class": st.one_of(st.none(), st.sampled_from(["underweight", "normal", "overweight", "obese"])),
    "regularly_active": st.one_of(st.none(), st.booleans()),
    "acute_illness": st.one_of(st.none(), st.booleans()),
    "screening_disease": st.booleans(), "known_cmr_disease": st.booleans(),
    "hr_valid_marker": st.one_of(st.none(), st.booleans()),
    "conditions": st.lists(st.sampled_from(["hypertension", "copd", "atrial_fibrillation", "type2_diabetes"]),
                           unique=True, max_size=3).map(tuple),
})


@pytest.fixture(scope="module")
def engine():
    return Engine(load_ruleset(files(RULES)))


def _clean(rec):
    return {k: v for k, v in rec.items() if v is not None}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.data_too_large])
@given(records=st.lists(RECORD, min_size=50, max_size=250))
def test_batch_and_single_paths_give_identical_decisions(engine, records):
    records = [_clean(r) for r in records]
    ff = FactFrame.from_records(records, kinds_of(engine.registry))
    batch = decide_frame(engine, ff, chunk_rows=64)  # several chunks
    for i, rec in enumerate(records):
        single, after = engine.decide_traced(rec)
        assert batch.traced(i) == single
        assert batch.decision(i) is engine.decide(rec)
        assert batch.facts.row(i) == dict(after)


def test_thousands_of_random_records_agree(engine):
    rng = np.random.default_rng(7)
    n = 5000
    sample = lambda values, p_missing=0.1: [None if rng.random() < p_missing else values[i]  # noqa: E731
                                            for i in rng.integers(0, len(values), n)]
    records = [_clean(dict(zip(cols, vals, strict=True))) for vals in zip(*(
        sample([float(a) / 2 for a in range(6, 221)]), sample(["preschool_3_6", "youth_6_17", "adult_18_64",
                                                             "older_65_plus"]),
        sample(["M", "F"]), sample([float(x) for x in range(60, 261)]), sample([float(x) for x in range(30, 161)]),
        sample([True, False], 0.3), sample([True, False], 0.05), sample([True, False], 0),
        sample([(), ("copd",), ("atrial_fibrillation", "hypertension"), ("type2_diabetes",)], 0)),
        strict=True) for cols in [("age_years", "age_group", "sex", "sbp_mmhg", "dbp_mmhg", "regularly_active",
                                   "acute_illness", "screening_disease", "conditions")]]
    batch = decide_frame(engine, FactFrame.from_records(records, kinds_of(engine.registry)))
    assert batch.n == n
    mismatched = [i for i, rec in enumerate(records) if batch.decision(i) is not engine.decide(rec)]
    assert mismatched == []
    outcomes = set(batch.column("outcome"))
    assert outcomes == {"defer", "prescription", "prescription_pending_clearance"}
    assert len(batch.patterns) > 20


def test_wide_keys_over_64_rules_and_empty_frames():
    many = baseline_rules() + [rule(f"r{i:03d}", leaf("sbp_mmhg", ">=", 100 + i), [cap("moderate")], 50)
                               for i in range(80)]
    engine = Engine(load_ruleset(files(many)))
    records = [{"sbp_mmhg": float(s), "age_group": "adult_18_64"} for s in range(95, 200, 3)] + [{}]
    batch = decide_frame(engine, FactFrame.from_records(records, kinds_of(engine.registry)))
    for i, rec in enumerate(records):
        assert batch.decision(i) is engine.decide(rec)
    empty = decide_frame(engine, FactFrame.from_records([], kinds_of(engine.registry)))
    assert empty.n == 0
    assert empty.patterns == []
