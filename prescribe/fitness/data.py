"""The model's inputs and its training data, in vocabulary names.

Everything that crosses into the fitness model passes through here, so the pipeline sees
one numeric layout (``MODEL_COLUMNS``) whatever the source: a training file with the
dataset's own column names, a batch of assessments, or clinicians' reviews stored as JSON.
Sex is the only text input; it is coded ``sex_male`` (1/0) here because the pipeline is
numeric, and everything fitted (the reference tables, the learner) lives in the pipeline.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..assessment import SEX_ALIASES, validate_frame
from ..errors import AssessmentError, InputProblem
from ..vocabulary import BY_NAME

ITEMS: tuple[str, ...] = (
    "grip_strength_kg",
    "sit_and_reach_cm",
    "sit_up_1min_count",
    "standing_long_jump_cm",
)
"""The measured performance items. "Items used" and "withheld" always refer to these."""

INPUTS: tuple[str, ...] = (
    "age_years", "sex", "height_cm", "weight_kg", "body_fat_pct", "sbp_mmhg", "dbp_mmhg",
    *ITEMS,
)
"""What a caller gives, in vocabulary names; any of them may be missing."""

MODEL_COLUMNS: tuple[str, ...] = tuple("sex_male" if c == "sex" else c for c in INPUTS)
"""The ordered columns the fitted pipeline takes (recorded in the sidecar)."""

TIERS: tuple[int, ...] = (1, 2, 3, 4)
CLASS_TO_TIER = {"A": 1, "B": 2, "C": 3, "D": 4}

# Column names of the two published forms of the KSPO body-performance file.
CLEAN_RENAMES = {
    "grip_kg": "grip_strength_kg",
    "situps_count": "sit_up_1min_count",
    "broad_jump_cm": "standing_long_jump_cm",
    "systolic_mmhg": "sbp_mmhg",
    "diastolic_mmhg": "dbp_mmhg",
    "fitness_class": "label",
}
RAW_RENAMES = {
    "age": "age_years",
    "gender": "sex",
    "body fat_%": "body_fat_pct",
    "diastolic": "dbp_mmhg",
    "systolic": "sbp_mmhg",
    "gripForce": "grip_strength_kg",
    "sit and bend forward_cm": "sit_and_reach_cm",
    "sit-ups counts": "sit_up_1min_count",
    "broad jump_cm": "standing_long_jump_cm",
    "class": "label",
}
DEFAULT_FILE = "body_performance_clean_train.csv"


class TrainingDataError(AssessmentError):
    """The training file is unusable; every problem is listed with its line and column."""


@dataclass(frozen=True)
class TrainingData:
    """Labelled rows in vocabulary names, with what was done to them on the way in."""

    frame: pd.DataFrame  # INPUTS columns, sex as "M"/"F"
    tiers: np.ndarray  # int tiers 1..4, aligned with frame
    source: str
    sha256: str  # of the file's bytes
    blanked: dict[str, int] = field(default_factory=dict)  # impossible values set missing
    dropped_duplicates: int = 0

    def __len__(self) -> int:
        return len(self.frame)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def frame_sha256(frame: pd.DataFrame, tiers: np.ndarray, recipe: str = "") -> str:
    """Hash of the exact rows a model was fitted on (inputs + labels, order included) and of
    ``recipe`` (configuration and code version), so it names one training run."""
    buf = frame.assign(tier=tiers).to_csv(index=False, float_format="%.6g", lineterminator="\n")
    return hashlib.sha256((recipe + "\n" + buf).encode()).hexdigest()


def resolve_data_path(path: str | Path) -> Path:
    """Accept the data file itself or the folder holding the clean body-performance file."""
    p = Path(path)
    if p.is_dir():
        p = p / DEFAULT_FILE
    if not p.is_file():
        raise TrainingDataError([InputProblem("--data", str(path), "no such file",
                                              allowed=f"a CSV file or a folder with {DEFAULT_FILE}")])
    return p


def read_body_performance(path: str | Path) -> TrainingData:
    """Read the KSPO body-performance CSV (clean or raw form) into vocabulary names.

    Class A (best) … D becomes tier 1 … 4. Values outside the vocabulary's impossible-value
    limits are set missing and counted (the clean file already did this for its obvious
    entry errors); rows flagged as exact duplicates are dropped so that a person cannot sit
    in a training fold and the test fold at once. A bad label or an unusable column stops
    with every problem listed.
    """
    p = resolve_data_path(path)
    raw = pd.read_csv(p)
    renames = RAW_RENAMES if "gender" in raw.columns else CLEAN_RENAMES
    df = raw.rename(columns=renames)
    missing = [c for c in (*INPUTS, "label") if c not in df.columns]
    if missing:
        raise TrainingDataError([InputProblem(c, None, "column missing from the training file",
                                              allowed=", ".join(sorted(raw.columns)))
                                 for c in missing])
    dropped = 0
    if "exact_duplicate_of_earlier_row" in df.columns:
        dup = df["exact_duplicate_of_earlier_row"].fillna(0).astype(int) == 1
        dropped = int(dup.sum())
        df = df.loc[~dup]
    lines = df.index.to_numpy() + 2  # 1-based file line under the header
    label = df["label"].astype(str).str.strip().str.upper()
    tiers = label.map(CLASS_TO_TIER)
    problems = [InputProblem("label", df["label"].iat[i], "not a fitness class", int(lines[i]),
                             "A | B | C | D") for i in np.flatnonzero(tiers.isna().to_numpy())]
    sex = df["sex"].astype(str).str.strip().map(SEX_ALIASES)
    problems += [InputProblem("sex", df["sex"].iat[i], "not an allowed value", int(lines[i]), "M | F")
                 for i in np.flatnonzero(sex.isna().to_numpy())]
    if problems:
        raise TrainingDataError(problems[:50])
    numeric = df[[c for c in INPUTS if c != "sex"]].apply(pd.to_numeric, errors="coerce")
    blanked = {}
    for col in numeric.columns:
        var = BY_NAME[col]
        bad = (numeric[col] < var.lo) | (numeric[col] > var.hi)
        if bad.any():
            blanked[col] = int(bad.sum())
            numeric.loc[bad, col] = np.nan
    frame = numeric.assign(sex=sex.to_numpy())[list(INPUTS)].reset_index(drop=True)
    return TrainingData(frame, tiers.to_numpy(dtype=int), p.name, file_sha256(p), blanked, dropped)


def encode_inputs(df: pd.DataFrame, *, first_row: int = 2) -> tuple[pd.DataFrame, list[InputProblem]]:
    """Turn a frame in vocabulary names into the pipeline's numeric ``MODEL_COLUMNS``.

    Absent columns are all-missing; columns the model does not use are ignored. Every
    impossible value (vocabulary limits), non-number and unknown sex is returned as a
    problem with its row (``first_row`` = line of the first data row) and column, and the
    offending value is set missing, so the caller decides whether to refuse the batch.
    """
    given = [c for c in INPUTS if c in df.columns and c != "sex"]
    clean, problems = validate_frame(df[given].reset_index(drop=True), first_row=first_row)
    out = pd.DataFrame(index=range(len(df)))
    for col in MODEL_COLUMNS:
        if col == "sex_male":
            continue
        out[col] = clean[col].astype(float) if col in clean else np.nan
    if "sex" in df.columns:
        raw = df["sex"].reset_index(drop=True)
        text = raw.astype("string").str.strip()
        text = text.str.removesuffix(".0")
        coded = text.map(SEX_ALIASES)
        absent = raw.isna() | (text == "")
        bad = ~absent & coded.isna()
        problems += [InputProblem("sex", raw.iat[i], "not an allowed value", int(i + first_row),
                                  "M | F") for i in np.flatnonzero(bad.to_numpy())]
        out["sex_male"] = coded.map({"M": 1.0, "F": 0.0}).astype(float)
    else:
        out["sex_male"] = np.nan
    problems.sort(key=lambda p: (p.row or 0, INPUTS.index(p.field) if p.field in INPUTS else 99))
    return out[list(MODEL_COLUMNS)], problems


def training_inputs(data: TrainingData) -> pd.DataFrame:
    """The pipeline input for a training set (its values were checked on reading)."""
    frame, _ = encode_inputs(data.frame)
    return frame


def parse_features_json(texts: pd.Series, *, ids: pd.Series | None = None) -> pd.DataFrame:
    """Parse stored feature dictionaries (one JSON object per review) into a frame.

    All rows are parsed in one ``read_json`` call; only when that fails are rows parsed one
    by one to name every broken row (by its id when given).
    """
    if texts.empty:
        return pd.DataFrame(columns=list(INPUTS))
    try:
        frame = pd.read_json(io.StringIO("\n".join(texts.astype(str))), lines=True, dtype=False)
        if len(frame) != len(texts):
            raise ValueError("row count changed")
    except ValueError:
        problems = []
        labels = ids if ids is not None else pd.Series(range(1, len(texts) + 1))
        for label, text in zip(labels, texts, strict=True):
            try:
                ok = isinstance(json.loads(text), dict)
            except (TypeError, ValueError):
                ok = False
            if not ok:
                problems.append(InputProblem("features_json", str(text)[:40],
                                             "not a JSON object", int(label)))
        raise AssessmentError(problems or [InputProblem("features_json", None,
                                                        "could not be read as JSON objects")]) from None
    return frame.reset_index(drop=True)
