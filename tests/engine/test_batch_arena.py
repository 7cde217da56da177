"""Tables of changing size reuse one set of mask buffers and still decide every row right."""

from __future__ import annotations

import numpy as np

from prescribe.engine import load_ruleset
from prescribe.engine.batch import decide_frame
from prescribe.engine.columns import FactFrame
from prescribe.engine.evaluate import Engine
from prescribe.engine.inputs import kinds_of

from .engine_kit import clinical_rules, files


def _records(n: int, seed: int) -> list[dict]:
    rng = np.random.default_rng(seed)
    groups = ["youth_6_17", "adult_18_64", "older_65_plus"]
    out = []
    for _ in range(n):
        rec = {"age_years": float(rng.integers(6, 90)), "age_group": groups[rng.integers(0, 3)],
               "sbp_mmhg": float(rng.integers(90, 200)), "dbp_mmhg": float(rng.integers(50, 120)),
               "regularly_active": bool(rng.random() < 0.5),
               "conditions": ("hypertension",) if rng.random() < 0.3 else ()}
        if rng.random() < 0.2:
            del rec["sbp_mmhg"]
        out.append(rec)
    return out


def test_pieces_of_every_size_share_one_arena_per_thread():
    engine = Engine(load_ruleset(files(clinical_rules())))
    kinds = kinds_of(engine.registry)
    for n, chunk_rows, seed in ((700, 4096, 1), (300, 4096, 2), (1200, 4096, 3), (50, 4096, 4),
                                (900, 128, 5)):
        records = _records(n, seed)
        batch = decide_frame(engine, FactFrame.from_records(records, kinds), chunk_rows=chunk_rows)
        assert [batch.decision(i) is engine.decide(rec) for i, rec in enumerate(records)] \
            == [True] * n
    arena = engine.__dict__["_batch_arenas"].arena  # the one set of buffers this thread holds
    assert arena.rows == 1200
