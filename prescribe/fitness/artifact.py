"""Saving and loading the model artifact: skops file + JSON sidecar, checked on load.

skops persistence does not run arbitrary code on load, but it still asks which non-default
types to trust. We never pass "trust everything": the types the file asks for must all be
on ``ALLOWED_TYPES``, a list written here by hand. Before anything is deserialised,
``load_artifact`` checks the sidecar against the installed libraries, the code that will run
the model, and the artifact's bytes, and refuses (``ModelArtifactError``) listing every
mismatch: scikit-learn documents that loading across versions is unsupported, a changed
code version means the features may be computed differently from training, and a changed
hash means the file is not the one that was evaluated.
"""

from __future__ import annotations

import hashlib
import json
import platform
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import sklearn
import skops
import skops.io as sio
from sklearn.pipeline import Pipeline

from ..errors import ModelArtifactError
from .data import MODEL_COLUMNS, file_sha256

ARTIFACT_FILE = "model.skops"
SIDECAR_FILE = "model.json"
SIDECAR_SCHEMA = 1
CODE_DIR = Path(__file__).resolve().parent

ALLOWED_TYPES = frozenset({
    # Our own estimators (prescribe/fitness/features.py, boundaries.py, augment.py): plain attributes only.
    "prescribe.fitness.features.DerivedMeasures",
    "prescribe.fitness.features.GroupedPercentileScorer",
    "prescribe.fitness.augment.ItemMaskingClassifier",
    "prescribe.fitness.boundaries.ClassBoundaryScorer",
    # scikit-learn internals of the calibrated gradient boosting that skops does not trust
    # by default (its default list covers Pipeline, the estimators and numpy types).
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",  # only with calibration_method="sigmoid"
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
    "sklearn.model_selection._split.StratifiedKFold",  # the calibration folds (a parameter)
})
"""Every type the fitness artifact may contain beyond skops' defaults (reviewed by hand)."""


def code_version() -> str:
    """Hash of the ``prescribe/fitness`` sources: the code that computes the features."""
    digest = hashlib.sha256()
    for path in sorted(CODE_DIR.glob("*.py")):
        digest.update(path.name.encode() + b"\0")
        digest.update(path.read_bytes().replace(b"\r\n", b"\n"))
    return digest.hexdigest()


def library_versions() -> dict[str, str]:
    return {
        "python": platform.python_version(),
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "skops": skops.__version__,
    }


def save_artifact(pipeline: Pipeline, out_dir: str | Path, metadata: dict[str, Any]) -> dict:
    """Write ``model.skops`` and ``model.json`` into ``out_dir``; return the sidecar.

    Refuses to write an artifact that would need a type outside ``ALLOWED_TYPES`` to load,
    so an unreviewed type is caught when training rather than at a station.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tmp = out / (ARTIFACT_FILE + ".tmp")
    sio.dump(pipeline, tmp, compression=8)
    extra = sorted(set(sio.get_untrusted_types(file=tmp)) - ALLOWED_TYPES)
    if extra:
        tmp.unlink()
        raise ModelArtifactError("the fitted pipeline contains types outside the allow-list "
                                 f"({', '.join(extra)}); review them and extend ALLOWED_TYPES")
    tmp.replace(out / ARTIFACT_FILE)
    sidecar = {
        "schema": SIDECAR_SCHEMA,
        **metadata,
        "libraries": library_versions(),
        "features": list(MODEL_COLUMNS),
        "code_version": code_version(),
        "artifact_file": ARTIFACT_FILE,
        "artifact_sha256": file_sha256(out / ARTIFACT_FILE),
    }
    (out / SIDECAR_FILE).write_text(json.dumps(sidecar, indent=2, ensure_ascii=False) + "\n",
                                    encoding="utf-8")
    return sidecar


def read_sidecar(model_dir: str | Path) -> dict:
    path = Path(model_dir) / SIDECAR_FILE
    if not path.is_file():
        raise ModelArtifactError(f"{path}: no model sidecar (train one with `prescribe model train`)")
    try:
        sidecar = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelArtifactError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(sidecar, dict):
        raise ModelArtifactError(f"{path}: not a JSON object")
    return sidecar


def check_artifact(model_dir: str | Path, sidecar: dict) -> list[str]:
    """Every reason not to load this artifact (empty when it may be loaded)."""
    folder = Path(model_dir)
    artifact = folder / ARTIFACT_FILE
    problems = []
    required = ("libraries", "features", "classes", "code_version", "artifact_sha256")
    problems += [f"sidecar lacks `{k}`" for k in required if k not in sidecar]
    if problems:
        return problems
    built = sidecar["libraries"].get("sklearn")
    if built != sklearn.__version__:
        problems.append(f"built with scikit-learn {built}, installed {sklearn.__version__} "
                        "(loading across versions is unsupported; retrain or install that version)")
    if sidecar["code_version"] != code_version():
        problems.append("built by other prescribe/fitness code (code version "
                        f"{str(sidecar['code_version'])[:12]}…, running {code_version()[:12]}…); retrain")
    if list(sidecar["features"]) != list(MODEL_COLUMNS):
        problems.append(f"expects features {sidecar['features']}, this code gives {list(MODEL_COLUMNS)}")
    if not artifact.is_file():
        problems.append(f"{artifact} is missing")
    elif file_sha256(artifact) != sidecar["artifact_sha256"]:
        problems.append(f"{artifact.name} does not match the sha256 in {SIDECAR_FILE}: "
                        "the file was changed after training (tampered or corrupted)")
    return problems


def load_artifact(model_dir: str | Path) -> tuple[Pipeline, dict]:
    """Load and return (pipeline, sidecar), or raise ``ModelArtifactError`` with every reason."""
    folder = Path(model_dir)
    sidecar = read_sidecar(folder)
    problems = check_artifact(folder, sidecar)
    if not problems:
        asked = sio.get_untrusted_types(file=folder / ARTIFACT_FILE)
        extra = sorted(set(asked) - ALLOWED_TYPES)
        if extra:
            problems.append("the artifact asks to trust types outside the allow-list: "
                            + ", ".join(extra))
    if problems:
        raise ModelArtifactError(f"refusing to load the model in {folder}:\n"
                                 + "\n".join(f"  - {p}" for p in problems))
    pipeline = sio.load(folder / ARTIFACT_FILE, trusted=asked)
    if not isinstance(pipeline, Pipeline):
        raise ModelArtifactError(f"{folder / ARTIFACT_FILE} does not hold a scikit-learn Pipeline")
    return pipeline, sidecar
