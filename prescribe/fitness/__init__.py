"""The light fitness-tier model: an advisory tier 1 (fittest) … 4 for adults.

Public API (docs/ARCHITECTURE.md "Fitness model API"): ``load_model(dir)`` returns a
``FitnessModel`` with ``predict_frame(df)``, ``predict_record(mapping)`` and ``version``;
loading refuses a tampered artifact or one built with other library or code versions.
Training, evaluation and retraining live in the submodules and the ``prescribe model``
commands.
"""

from .model import ABSTAIN_REASONS, OUTPUT_COLUMNS, FitnessModel, load_model

__all__ = ["ABSTAIN_REASONS", "OUTPUT_COLUMNS", "FitnessModel", "load_model"]
