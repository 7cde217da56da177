"""Benchmark: scoring student records against the 2014 standard, vectorised vs one by one.

    python bench/bench_scoring.py                 # 1,000,000 records, loop sample 2,000
    python bench/bench_scoring.py --write         # also update bench/README.md "## Scoring"
    python bench/bench_scoring.py --rows 100000   # smaller run

The vectorised pass (``score_frame``: validation + scoring, one call) runs in a child
process so that its peak memory (``ru_maxrss``) is its own: it includes the synthetic
frame itself. The per-record loop (``score_record`` on dicts) runs on a sample of the same
records, and the two results are compared on that sample.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import re
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from prescribe.standards import score_frame, score_record  # noqa: E402
from prescribe.standards.tables import load_table  # noqa: E402
from prescribe.vocabulary import BY_NAME  # noqa: E402

GRADE_CODES = np.array(["11", "12", "13", "14", "15", "16", "21", "22", "23", "31", "32", "33",
                        "41", "42", "43", "44"])
GROUPS = {"11": "G1", "12": "G2", "13": "G3", "14": "G4", "15": "G5", "16": "G6", "21": "G7",
          "22": "G8", "23": "G9", "31": "G10", "32": "G11", "33": "G12", "41": "U12",
          "42": "U12", "43": "U34", "44": "U34"}


def synthetic_students(n: int, seed: int = 2014) -> pd.DataFrame:
    """Records spread over every grade code and sex, each item drawn around its real ladder."""
    rng = np.random.default_rng(seed)
    grade = GRADE_CODES[rng.integers(0, len(GRADE_CODES), n)]
    sex = np.where(rng.random(n) < 0.5, "M", "F")
    height = rng.normal(150, 15, n).clip(105, 195).round(1)
    weight = (rng.normal(19.5, 3.5, n).clip(12, 38) * (height / 100) ** 2).round(1)
    frame = {"student_id": np.char.zfill(np.arange(n).astype(str), 10), "grade_code": grade,
             "sex": sex, "height_cm": height, "weight_kg": weight}
    scores = load_table("student-2014", "item_scores")
    group = pd.Series(grade).map(GROUPS).to_numpy()
    for item, rows in scores.groupby("item"):
        lo_hi = rows.groupby(["grade_group", "sex"])["threshold"].agg(["min", "max"])
        keys = pd.MultiIndex.from_arrays([group, sex])
        lo = lo_hi["min"].reindex(keys).to_numpy()
        hi = lo_hi["max"].reindex(keys).to_numpy()
        span = hi - lo
        values = lo - 0.1 * span + rng.random(n) * 1.2 * span
        var = BY_NAME[item]
        values = values.round(0 if var.kind == "count" or (var.resolution or 0) >= 1 else 1)
        values = values.clip(var.lo, var.hi)
        values[rng.random(n) < 0.02] = np.nan  # a few absentees: no grade for them
        frame[item] = values
    return pd.DataFrame(frame)


def _vectorised(n: int, out: mp.Queue) -> None:
    frame = synthetic_students(n)
    start = time.perf_counter()
    result = score_frame(frame, "student")
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.put({"seconds": seconds, "peak_mb": peak_mb,
             "graded": int((result["grade"] != "").sum()),
             "grades": result["grade"].value_counts().to_dict()})


def run(n: int, sample: int) -> dict:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    child = ctx.Process(target=_vectorised, args=(n, queue))
    child.start()
    vec = queue.get()
    child.join()

    frame = synthetic_students(sample, seed=7)
    records = [{k: v for k, v in r.items() if v == v} for r in frame.to_dict("records")]
    start = time.perf_counter()
    loop = [score_record(r, "student") for r in records]
    loop_seconds = time.perf_counter() - start
    check = score_frame(frame, "student")
    same = all(check["grade"].iat[i] == r["grade"] and
               (pd.isna(check["total_score"].iat[i]) if r["total_score"] is None
                else check["total_score"].iat[i] == r["total_score"])
               for i, r in enumerate(loop))
    vec_rate = n / vec["seconds"]
    loop_rate = sample / loop_seconds
    return {"rows": n, "vector_seconds": round(vec["seconds"], 2),
            "vector_rows_per_s": round(vec_rate), "peak_mb": round(vec["peak_mb"]),
            "graded": vec["graded"], "grades": vec["grades"], "loop_rows": sample,
            "loop_seconds": round(loop_seconds, 2), "loop_rows_per_s": round(loop_rate),
            "speedup": round(vec_rate / loop_rate, 1), "loop_matches_frame": same}


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        text = Path("/proc/cpuinfo").read_text()
        cpu = re.search(r"model name\s*:\s*(.+)", text).group(1).strip()
    except (OSError, AttributeError):
        pass
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{cpu}, {mp.cpu_count()} cores (load average {load} during the run: the machine "
            f"is shared), Python {platform.python_version()}, numpy {np.__version__}, "
            f"pandas {pd.__version__}")


def readme_section(r: dict) -> str:
    return f"""## Scoring

`python bench/bench_scoring.py --write` scores synthetic student records (every grade
code 11–44, both sexes, every item drawn around its real score ladder, 2 % absentees)
against the 2014 student standard. The vectorised pass is one `score_frame` call
(validation included) in a child process; its peak RSS includes the input frame. The
loop calls `score_record` per record on a sample and must agree with the frame.

| records | seconds | records/s | peak memory |
|---:|---:|---:|---:|
| {r['rows']:,} (vectorised) | {r['vector_seconds']} | {r['vector_rows_per_s']:,} | {r['peak_mb']:,} MB |
| {r['loop_rows']:,} (per-record loop) | {r['loop_seconds']} | {r['loop_rows_per_s']:,} | — |

Vectorised / loop: **{r['speedup']}×**; loop results identical to the frame:
{'yes' if r['loop_matches_frame'] else 'NO'}. Graded {r['graded']:,} of {r['rows']:,}
(the rest miss an item). Target: 1M records < 10 s, < 3 GB.
Machine: {machine()}.
"""


def write_readme(section: str) -> None:
    path = ROOT / "bench" / "README.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    pattern = re.compile(r"^## Scoring\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=2_000)
    parser.add_argument("--write", action="store_true", help="update bench/README.md")
    args = parser.parse_args(argv)
    result = run(args.rows, args.sample)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    if args.write:
        write_readme(readme_section(result))
    return 0 if result["loop_matches_frame"] else 1


if __name__ == "__main__":
    sys.exit(main())
