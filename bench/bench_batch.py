"""City-scale batch: 1,000,000 synthetic students end to end, pandas and Dask engines.

    .venv/bin/python bench/bench_batch.py [--rows 1000000] [--work DIR] [--write]

Generates a Parquet directory of synthetic students (``prescribe.school.synthetic``; five
files, row groups of 25,000) and snapshots the ``prescribe`` package and ``rules/default``
into the scratch folder (others edit the tree while the bench runs; every run must use the
same code and rules), then runs ``prescribe batch`` as a child process for each
configuration and samples the resident memory of the whole process tree (the CLI and,
for Dask, its workers) every 50 ms with psutil: the peak is what the machine had to
hold. Configurations:

* pandas, score + screen only (``--prescribe-for none``): the vectorised standards part;
* pandas, score + screen + rules for the flagged students (the default run);
* Dask (local cluster, one worker with two threads) at two partition sizes, to show
  memory following the partition size rather than the input size;
* Dask with two single-threaded worker processes (both cores busy).

It checks that the pandas and Dask outputs are identical (sorted by 学籍号) and, with
``--write``, replaces the ``## City-scale batch`` section of ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd
import psutil
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from prescribe.school.synthetic import synthetic_students  # noqa: E402

FILES = 5
ROW_GROUP = 25_000
SECTION = "## City-scale batch"
BEFORE = ("60,728/s wall and 77,942 per CPU-second (score + screen + rules, pandas) before "
          "the performance round of issue #7 §5")
STAGE_ROWS = 100_000

# Run in a child process on the code snapshot: CPU milliseconds of each step of the pandas
# path on one piece (the best of three), to show where the remaining time goes.
STAGES = r"""
import datetime as dt, io, json, sys, time
from pathlib import Path
import numpy as np, pyarrow as pa, pyarrow.parquet as pq
from prescribe.assistant import Assistant
from prescribe.engine.batch import decide_frame
from prescribe.engine.facts import derive_facts
from prescribe.engine.inputs import frame_inputs
from prescribe.school import pipeline
from prescribe.school.batch import chunk_counts, plan_pieces, read_piece
from prescribe.school.screening import screen_students

source, rules, rows = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
piece = plan_pieces(source, rows)[0][0]
on = dt.date(2025, 10, 15)
best = {}

def timed(name, fn):
    start = time.process_time()
    out = fn()
    spent = (time.process_time() - start) * 1000
    best[name] = min(best.get(name, spent), spent)
    return out

for _ in range(3):
    timed("load the rule set (once per run)", lambda: Assistant.from_paths(rules))
assistant = Assistant.from_paths(rules)  # one, as in a run: its decisions cache stays warm
for _ in range(3):
    frame = timed("read the piece (I/O thread)", lambda: read_piece(piece))
    screened = timed("score + screen", lambda: screen_students(frame, on=on))
    chosen = screened["flagged"].to_numpy(bool) & ~(screened["input_errors"].to_numpy() > 0)
    drafted = screened[chosen]
    inputs = pipeline.engine_inputs(drafted)
    scores = pipeline.student_scores(drafted)
    ff, problems, bad = timed("rules: parse engine inputs", lambda: frame_inputs(inputs, assistant._kinds))
    timed("rules: derive facts", lambda: derive_facts(ff, assistant.ruleset.screening_profile, assistant.model, student_scores=scores))
    timed("rules: decide (vectorised rules)", lambda: decide_frame(assistant.engine, ff))
    rx = timed("rules, total (the three above + the decision columns of prescribe_frame)", lambda: assistant.prescribe_frame(inputs, on_invalid="mark", prescriptions=False, student_scores=scores))
    out = timed("rx_ columns + fixed dtypes", lambda: pipeline.canonical(pipeline._attach(screened.copy(deep=False), rx, chosen, np.zeros(len(screened), bool))))
    timed("summary counts", lambda: chunk_counts(out))
    timed("Arrow + Parquet write (I/O thread)", lambda: pq.write_table(pa.Table.from_pandas(out, preserve_index=False), io.BytesIO()))
print(json.dumps({"rows": piece.length, "drafted": int(chosen.sum()), "ms": best}))
"""


def make_input(rows: int, folder: Path) -> float:
    """Write ``rows`` students as FILES Parquet files; return seconds taken."""
    start = time.perf_counter()
    folder.mkdir(parents=True, exist_ok=True)
    per = -(-rows // FILES)
    for i in range(FILES):
        n = min(per, rows - i * per)
        if n <= 0:
            break
        frame = synthetic_students(n, seed=1000 + i, id_offset=i * per)
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False),
                       folder / f"students_{i:02d}.parquet", row_group_size=ROW_GROUP)
    return time.perf_counter() - start


class TreeMemory:
    """Peak summed RSS and total CPU seconds of a process and all its descendants,
    sampled in a thread (CPU per pid is the last value seen before the process ended)."""

    def __init__(self, pid: int, every: float = 0.05):
        self.root = psutil.Process(pid)
        self.every = every
        self.peak = 0
        self.cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            total = 0
            try:
                procs = [self.root, *self.root.children(recursive=True)]
            except psutil.Error:
                procs = []
            for p in procs:
                try:
                    total += p.memory_info().rss
                    t = p.cpu_times()
                    self.cpu[p.pid] = t.user + t.system
                except psutil.Error:
                    continue
            self.peak = max(self.peak, total)
            time.sleep(self.every)

    @property
    def cpu_seconds(self) -> float:
        return sum(self.cpu.values())

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def run_cli(args: list[str], code: Path) -> dict:
    """Run ``prescribe batch`` (from the code snapshot) in a child process; return its
    summary plus the process tree's peak memory and CPU seconds."""
    cmd = [sys.executable, "-m", "prescribe", "batch", *args, "--no-progress"]
    start = time.perf_counter()
    load = os.getloadavg()[0]
    proc = subprocess.Popen(cmd, cwd=code, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONPATH": str(code)})
    with TreeMemory(proc.pid) as mem:
        out, err = proc.communicate()
    wall = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err[-3000:]}")
    summary = json.loads(out)
    if summary["rows_with_input_errors"]:
        raise SystemExit(f"{' '.join(args)}: synthetic rows reported input errors; the code "
                         "snapshot is broken")
    summary["peak_tree_rss_mb"] = round(mem.peak / 2**20)
    summary["tree_cpu_s"] = round(mem.cpu_seconds, 1)
    summary["students_per_cpu_s"] = round(summary["rows"] / max(mem.cpu_seconds, 1e-9))
    summary["wall_with_startup_s"] = round(wall, 2)
    summary["load_before"] = round(load, 1)
    return summary


def stage_profile(data: Path, rules: Path, code: Path) -> dict:
    """CPU ms per step of the pandas path on one piece of ``STAGE_ROWS`` students."""
    proc = subprocess.run([sys.executable, "-c", STAGES, str(data), str(rules), str(STAGE_ROWS)],
                          cwd=code, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(code)})
    if proc.returncode:
        raise SystemExit(f"stage profile failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout)


def identical(a: Path, b: Path) -> bool:
    left = pd.read_parquet(a).sort_values("student_id").reset_index(drop=True)
    right = pd.read_parquet(b).sort_values("student_id").reset_index(drop=True)
    try:
        pd.testing.assert_frame_equal(left, right)
    except AssertionError:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--work", type=Path, help="scratch folder (default: a temp dir)")
    parser.add_argument("--partitions", type=int, nargs=2, default=(25_000, 200_000),
                        metavar=("SMALL", "LARGE"), help="the two Dask partition sizes")
    parser.add_argument("--write", action="store_true", help="update bench/README.md")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench_batch_"))
    data = work / "students"
    gen_s = make_input(args.rows, data) if not data.exists() else 0.0
    code, rules = work / "code", work / "rules"
    if not code.exists():
        shutil.copytree(ROOT / "prescribe", code / "prescribe",
                        ignore=shutil.ignore_patterns("__pycache__"))
    if not rules.exists():
        shutil.copytree(ROOT / "rules" / "default", rules)
    common = [str(data), "--test-date", "2025-10-15", "--rules", str(rules)]
    small, large = args.partitions
    runs = {
        "pandas, score + screen": run_cli([*common, "-o", str(work / "screen.parquet"),
                                           "--prescribe-for", "none"], code),
        "pandas, score + screen + rules": run_cli([*common, "-o", str(work / "pandas.parquet"),
                                                   "--partition-rows", "100000"], code),
        f"dask, partitions of {small:,}": run_cli([*common, "-o", str(work / "dask_small"),
                                                   "--engine", "dask", "--partition-rows",
                                                   str(small)], code),
        f"dask, partitions of {large:,}": run_cli([*common, "-o", str(work / "dask_large"),
                                                   "--engine", "dask", "--partition-rows",
                                                   str(large)], code),
        f"dask, 2 worker processes, partitions of {small:,}": run_cli(
            [*common, "-o", str(work / "dask_procs"), "--engine", "dask", "--workers", "2",
             "--partition-rows", str(small)], code),
    }
    same = all(identical(work / "pandas.parquet", work / name)
               for name in ("dask_small", "dask_large", "dask_procs"))
    stages = stage_profile(data, rules, code)
    result = {"rows": args.rows, "generate_s": round(gen_s, 1), "identical": same,
              "machine": f"{platform.processor() or platform.machine()}, "
                         f"{psutil.cpu_count()} cores, Python {platform.python_version()}",
              "ruleset": runs["pandas, score + screen + rules"]["ruleset"],
              "runs": {name: {k: s[k] for k in ("elapsed_s", "tree_cpu_s", "students_per_s",
                                                "students_per_cpu_s", "peak_tree_rss_mb",
                                                "partitions", "prescribed", "load_before")}
                       for name, s in runs.items()},
              "stages": stages}
    print(json.dumps(result, ensure_ascii=False, indent=2))
    if args.write:
        write_readme(result)


def write_readme(result: dict) -> None:
    lines = [SECTION, "",
             f"`python bench/bench_batch.py --write` — {result['machine']}; "
             f"{result['rows']:,} synthetic students (`prescribe.school.synthetic`, Parquet "
             f"directory of {FILES} files, row groups of {ROW_GROUP:,}) through "
             "`prescribe batch`; memory = peak summed RSS of the process tree (CLI + Dask "
             "workers) sampled every 50 ms; CPU s = user + system seconds of that tree "
             "(interpreter start included). The machine is shared: wall-clock figures move "
             "with the load average shown, CPU figures much less. Pandas and Dask outputs "
             f"identical (sorted by 学籍号): **{'yes' if result['identical'] else 'NO'}**. "
             f"Rule set {result['ruleset']['name']} {result['ruleset']['version']} "
             f"(`{result['ruleset']['hash'][:12]}`).", "",
             "| run | partitions | wall s | students/s (wall) | CPU s | students per CPU s | "
             "drafted | peak memory (MB) | load avg before |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, r in result["runs"].items():
        drafted = r["prescribed"].get("True", 0)
        lines.append(f"| {name} | {r['partitions']} | {r['elapsed_s']:.1f} | "
                     f"{r['students_per_s']:,} | {r['tree_cpu_s']:.1f} | "
                     f"{r['students_per_cpu_s']:,} | {drafted:,} | "
                     f"{r['peak_tree_rss_mb']:,} | {r['load_before']} |")
    runs = result["runs"]
    screen, full = runs["pandas, score + screen"], runs["pandas, score + screen + rules"]
    dask = {name.removeprefix("dask, "): r for name, r in runs.items()
            if name.startswith("dask, partitions")}
    met = "met" if full["students_per_s"] >= 100_000 else "not met"
    rules_cpu = full["tree_cpu_s"] - screen["tree_cpu_s"]
    lines += ["", f"Target ≥ 100,000 students/s for score + screen + rules on the pandas "
              f"path: **{met}** ({full['students_per_s']:,}/s wall, "
              f"{full['students_per_cpu_s']:,} per CPU-second; {BEFORE}). Score + screen "
              f"alone run at {screen['students_per_cpu_s']:,} per CPU-second; the rules step "
              f"(engine inputs, fact derivation, decisions for the "
              f"{full['prescribed'].get('True', 0):,} flagged students, `rx_` columns) adds "
              f"{rules_cpu:.1f} CPU-seconds ({rules_cpu / full['tree_cpu_s']:.0%} of the full "
              "run). What made the difference: the engine takes the screening's standard "
              "scores instead of scoring every child again (`student_scores`); weakest items, "
              "grades, fitness tiers, sex look-ups and flags are whole-column operations; text "
              "columns are built with one Arrow `take` per column; the engine keeps one set of "
              "mask buffers per thread (it kept one per distinct piece size, so memory grew "
              "with the number of pieces); and the pandas engine reads the next piece and "
              "writes the previous one on two I/O threads while it computes (wall time can "
              "be below CPU time). Dask memory follows the partition "
              "size, not the input: "
              + ", ".join(f"{name} → {r['peak_tree_rss_mb']:,} MB"
                          for name, r in dask.items())
              + "; small partitions cost CPU (the engine's per-pattern work repeats in "
              "every partition). On this 2-core machine the pandas engine is the faster "
              "choice; Dask is for inputs larger than memory or a real cluster."]
    stages = result["stages"]
    lines += ["", f"Where the time goes — CPU ms per step on one piece of {stages['rows']:,} "
              f"students ({stages['drafted']:,} drafted), best of three, in one process:", "",
              "| step | CPU ms |", "|---|---:|"]
    lines += [f"| {step} | {ms:,.0f} |" for step, ms in stages["ms"].items()]
    readme = ROOT / "bench" / "README.md"
    text = readme.read_text(encoding="utf-8") if readme.exists() else "# Benchmarks\n"
    head, sep, tail = text.partition(SECTION)
    rest = tail.split("\n## ", 1)[1] if sep and "\n## " in tail else ""
    body = "\n".join(lines) + "\n"
    new = head.rstrip("\n") + "\n\n" + body + (f"\n## {rest}" if rest else "")
    readme.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    main()
