"""Fixtures for the fitness-model tests.

Tests that train read the real KSPO sample from ``../shared`` (skipped without it) and use a
tiny configuration so the folder stays fast; the shipped-artifact tests need only
``models/fitness_tier``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from prescribe.fitness.data import read_body_performance
from prescribe.fitness.release import train_release
from prescribe.fitness.training import TrainingConfig

TINY = TrainingConfig(n_copies=1, calibration_folds=3, learning_rate=0.2, max_iter=25)


@pytest.fixture(scope="session")
def tiny_config() -> TrainingConfig:
    return TINY


@pytest.fixture(scope="session")
def bp_file(shared_dir: Path) -> Path:
    return shared_dir / "data" / "body_performance" / "body_performance_clean_train.csv"


@pytest.fixture(scope="session")
def sample_split(bp_file: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two disjoint stratified samples of the clean file: a training sample and spare rows."""
    full = pd.read_csv(bp_file)
    rng = np.random.default_rng(7)
    order = rng.permutation(len(full))
    picked = full.iloc[order]
    train = picked.groupby("fitness_class", group_keys=False).head(300)
    spare = picked.drop(train.index).groupby("fitness_class", group_keys=False).head(200)
    return train.sort_index(), spare.sort_index()


@pytest.fixture(scope="session")
def sample_file(sample_split, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("data") / "bp_sample.csv"
    sample_split[0].to_csv(path, index=False)
    return path


@pytest.fixture(scope="session")
def sample_data(sample_file):
    return read_body_performance(sample_file)


@pytest.fixture(scope="session")
def tiny_model_dir(sample_data, tmp_path_factory) -> Path:
    """A model trained on 1,200 real rows (2-fold CV for the card), saved like the real one."""
    out = tmp_path_factory.mktemp("models") / "tiny_tier"
    train_release(sample_data, out, TINY, folds=2)
    return out


@pytest.fixture
def model_copy(tiny_model_dir, tmp_path) -> Path:
    """A private copy of the tiny model that a test may change or retrain."""
    return Path(shutil.copytree(tiny_model_dir, tmp_path / "tiny_tier"))
