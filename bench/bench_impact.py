"""Benchmark: impact replay of a draft rule set over 1,000 and 10,000 assessments.

A prescriber presses "impact analysis" and waits; this measures how long. The draft is a
realistic edit of the default rule set (the systolic grade-2 band starts at 165 instead of
160 mmHg, grade 1 widened to match, so the band still tiles). The assessments are the
real adult fitness-test records in ``../shared/data/body_performance`` (age, sex, height,
weight, body fat, blood pressure, grip, sit-and-reach, sit-ups, jump; 10,714 rows), read
from the path given with ``--data``; without it a seeded synthetic table of the same
shape is used and the section says so.

    python bench/bench_impact.py [--data CSV] [--write]

``--write`` replaces the ``## Impact analysis`` section of bench/README.md (other
sections are left alone).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from prescribe.assistant import Assistant  # noqa: E402
from prescribe.authoring import editing  # noqa: E402
from prescribe.authoring.impact import impact_analysis  # noqa: E402
from prescribe.engine import load_ruleset  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "body_performance" / \
    "body_performance_clean_train.csv"
COLUMNS = {"age_years": "age_years", "sex": "sex", "height_cm": "height_cm",
           "weight_kg": "weight_kg", "body_fat_pct": "body_fat_pct",
           "systolic_mmhg": "sbp_mmhg", "diastolic_mmhg": "dbp_mmhg",
           "grip_kg": "grip_strength_kg", "sit_and_reach_cm": "sit_and_reach_cm",
           "situps_count": "sit_up_1min_count", "broad_jump_cm": "standing_long_jump_cm"}
SECTION = "## Impact analysis"
REPEATS = 3


def load_assessments(path: Path | None) -> tuple[pd.DataFrame, str]:
    if path is not None and path.is_file():
        raw = pd.read_csv(path)
        frame = raw[list(COLUMNS)].rename(columns=COLUMNS)
        frame.insert(0, "assessment_id", raw["row_id"].astype(str))
        return frame, f"real adult fitness-test records ({path.name}, {len(frame):,} rows)"
    rng = np.random.default_rng(2025)
    n = 10_714
    sbp = rng.normal(130, 15, n).round().clip(80, 220)
    frame = pd.DataFrame({
        "assessment_id": np.arange(n).astype(str), "age_years": rng.uniform(20, 65, n).round(),
        "sex": rng.choice(["M", "F"], n), "height_cm": rng.normal(168, 8, n).round(1),
        "weight_kg": rng.normal(67, 11, n).round(1).clip(38, 140),
        "body_fat_pct": rng.normal(23, 7, n).round(1).clip(5, 50), "sbp_mmhg": sbp,
        "dbp_mmhg": np.minimum((sbp * 0.6 + rng.normal(0, 8, n)).round(), sbp - 15)})
    return frame, f"seeded synthetic adults ({n:,} rows; the shared data was not found)"


def read_rules(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(folder.rglob("*.yaml"))}


def make_draft(files: dict[str, str]) -> dict[str, str]:
    files = editing.set_rule_value(files, "bp-sys-grade2", "when.value", [165, 179])
    return editing.set_rule_value(files, "bp-sys-grade1", "when.value", [140, 164])


def timed(published, draft, frame, limit) -> tuple[float, object]:
    runs = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        report = impact_analysis(published, draft, frame, key=b"bench", limit=limit,
                                 order_column=None)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--rules", type=Path, default=ROOT / "rules" / "default")
    parser.add_argument("--write", action="store_true", help="update bench/README.md")
    args = parser.parse_args(argv)

    files = read_rules(args.rules)
    published = Assistant(load_ruleset(files))
    draft = Assistant(load_ruleset(make_draft(files)))
    frame, source = load_assessments(args.data)
    lines = [SECTION, "",
             f"`python bench/bench_impact.py --write` — {os.cpu_count()} CPU cores, "
             f"Python {platform.python_version()}, median of {REPEATS} runs. Draft: "
             "`bp-sys-grade2` starts at 165 mmHg (was 160), `bp-sys-grade1` widened to 164. "
             f"Published: `rules/default` {published.ruleset.version} "
             f"({len(published.ruleset.rules)} rules, {len(published.ruleset.cases)} golden "
             f"cases, replayed in every run). Data: {source}.", "",
             "| assessments | seconds | assessments/s | compared | invalid input | changed "
             "| outcome | clearance | intensity cap | components | referrals |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for limit in (1_000, 10_000):
        seconds, report = timed(published, draft, frame, limit)
        a = report.assessments
        c = a.field_counts
        lines.append(f"| {limit:,} | {seconds:.2f} | {limit / seconds:,.0f} | "
                     f"{a.rows_compared:,} | {a.rows_invalid:,} | {a.rows_changed:,} | "
                     f"{c['outcome']} | {c['clearance']} | {c['intensity_cap']} | "
                     f"{c['components']} | {c['referrals']} |")
    lines += ["", "Both rule sets run through the batch engine (`Assistant.decide_frame`); "
              "rows sharing a (published, draft) decision pattern are compared once and the "
              "result broadcast with numpy, so the comparison itself is a few milliseconds. "
              "Rows with invalid input (e.g. diastolic ≥ systolic) are counted, not compared.",
              ""]
    text = "\n".join(lines)
    print(text)
    if args.write:
        write_section(ROOT / "bench" / "README.md", text)
    return 0


def write_section(readme: Path, section: str) -> None:
    """Replace this benchmark's section in the README, keeping every other section."""
    old = readme.read_text(encoding="utf-8") if readme.exists() else "# Benchmarks\n\n"
    start = old.find(SECTION)
    if start < 0:
        new = old.rstrip("\n") + "\n\n" + section
    else:
        end = old.find("\n## ", start + len(SECTION))
        new = old[:start] + section + ("" if end < 0 else old[end + 1:])
    readme.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
