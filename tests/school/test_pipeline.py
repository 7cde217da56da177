"""score → screen → prescribe: the flagged children get a draft, with a fixed schema."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from prescribe.school import run_pipeline
from prescribe.school.pipeline import engine_inputs
from prescribe.school.screening import screen_students
from prescribe.school.synthetic import synthetic_students


@pytest.fixture(scope="module")
def cohort() -> pd.DataFrame:
    return synthetic_students(400, seed=11)


@pytest.fixture(scope="module")
def drafted(cohort, assistant) -> pd.DataFrame:
    return run_pipeline(cohort, assistant)


def test_only_flagged_children_are_drafted(drafted):
    assert (drafted["prescribed"] == drafted["flagged"]).all()
    assert drafted.loc[~drafted["prescribed"], "rx_outcome"].isna().all()
    assert drafted.loc[drafted["prescribed"], "rx_outcome"].notna().all()


def test_drafts_are_the_engines_own_decisions(cohort, drafted, assistant):
    screened = screen_students(cohort)
    flagged = screened[screened["flagged"]]
    direct = assistant.prescribe_frame(engine_inputs(flagged), on_invalid="mark",
                                       prescriptions=False)
    got = drafted[drafted["prescribed"]]
    assert got["rx_outcome"].tolist() == direct["outcome"].tolist()
    assert got["rx_referrals"].tolist() == [";".join(r) for r in direct["referrals"]]
    assert got["rx_fired"].tolist() == [";".join(r) for r in direct["fired"]]


def test_screening_myopia_is_referred_to_eye_care(drafted):
    myopic = drafted[drafted["screening_myopia"].fillna(False) & drafted["prescribed"]]
    assert len(myopic) > 50
    assert myopic["rx_referrals"].str.contains("ophthalmology|optometry").all()


def test_a_row_with_an_input_error_is_never_drafted(cohort, assistant):
    frame = cohort.head(20).astype({"weight_kg": object}).copy()
    frame.loc[3, "weight_kg"] = "abc"
    got = run_pipeline(frame, assistant, prescribe_for="all")
    assert got.loc[3, "rx_outcome"] == "invalid_input"
    assert not got.loc[3, "prescribed"]
    assert got.drop(index=3)["prescribed"].all()


def test_prescribe_for_none_and_all(cohort, assistant):
    none = run_pipeline(cohort.head(30), assistant, prescribe_for="none")
    assert not none["prescribed"].any()
    assert none["rx_outcome"].isna().all()
    everyone = run_pipeline(cohort.head(30), assistant, prescribe_for="all")
    assert everyone["prescribed"].all()
    with pytest.raises(ValueError, match="prescribe_for"):
        run_pipeline(cohort.head(3), assistant, prescribe_for="some")


def test_every_chunk_has_the_same_parquet_schema(cohort, assistant):
    screened = screen_students(cohort)
    calm = cohort[~screened["flagged"].to_numpy()].head(5)   # nobody drafted here
    busy = cohort[screened["flagged"].to_numpy()].head(5)
    schemas = [pa.Schema.from_pandas(run_pipeline(part, assistant), preserve_index=False)
               for part in (calm, busy)]
    assert schemas[0].equals(schemas[1])


def test_full_prescriptions_on_request(cohort, assistant):
    got = run_pipeline(cohort.head(10), assistant, prescriptions=True)
    drafted = got[got["prescribed"]]
    assert drafted["rx_prescription"].str.startswith("{").all()
    assert got.loc[~got["prescribed"], "rx_prescription"].isna().all()
    assert np.isfinite(got["total_score"].dropna()).all()
