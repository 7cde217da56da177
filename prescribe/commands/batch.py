"""``prescribe batch INPUT -o OUTPUT [--engine pandas|dask] …``: a city's students at once.

Runs score → screen → prescribe over a whole file (CSV/XLSX/XLS in the official template
or vocabulary columns, a Parquet file, or a directory of Parquet files) and writes the
results as Parquet — one file with ``--engine pandas`` (default), a directory of part
files with ``--engine dask`` — plus a summary JSON beside it
(``OUTPUT.summary.json``), which is also printed. Both engines give identical rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from ..school.batch import DEFAULT_PARTITION_ROWS, BatchConfig, BatchError, write_summary

DEFAULT_RULES = Path("rules/default")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "batch", help="score, screen and prescribe a whole file of students (pandas or Dask)",
        description=__doc__.split("\n\n")[1])
    parser.add_argument("input", type=Path,
                        help="CSV/XLSX/XLS, a .parquet file or a directory of .parquet files")
    parser.add_argument("-o", "--output", type=Path, required=True,
                        help="Parquet file (pandas) or directory (dask); must not exist")
    parser.add_argument("--engine", choices=("pandas", "dask"), default="pandas")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="Dask scheduler address (tcp://host:8786); default: a local "
                             "cluster")
    parser.add_argument("--workers", type=int, default=0,
                        help="local Dask worker processes (0 = one in-process worker with "
                             "two threads)")
    parser.add_argument("--memory-limit", help="per-worker memory limit, e.g. 2GB (Dask)")
    parser.add_argument("--partition-rows", type=int, default=DEFAULT_PARTITION_ROWS,
                        metavar="N", help=f"rows per chunk/partition (default "
                                          f"{DEFAULT_PARTITION_ROWS:,})")
    parser.add_argument("--rules", type=Path, default=DEFAULT_RULES,
                        help="rule-set directory (default rules/default)")
    parser.add_argument("--model", type=Path, help="fitness-model directory (optional)")
    parser.add_argument("--prescribe-for", choices=("flagged", "all", "none"),
                        default="flagged", help="which students get a draft prescription")
    parser.add_argument("--prescriptions", action="store_true",
                        help="also store the full prescription JSON per student (slow)")
    parser.add_argument("--test-date", type=dt.date.fromisoformat,
                        help="test date for rows without 测试日期 (default today)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    output: Path = args.output
    if output.exists():
        raise BatchError(f"{output}: already exists; choose a new output path")
    if args.prescribe_for != "none" and not args.rules.is_dir():
        raise BatchError(f"{args.rules}: rule-set directory not found (use --rules, or "
                         "--prescribe-for none)")
    config = BatchConfig(
        rules_dir=str(args.rules) if args.prescribe_for != "none" else None,
        model_dir=str(args.model) if args.model else None,
        prescribe_for=args.prescribe_for, test_date=args.test_date or dt.date.today(),
        prescriptions=args.prescriptions)
    if args.engine == "dask":
        from ..school.batch_dask import run_dask

        summary = run_dask(args.input, output, config, partition_rows=args.partition_rows,
                           progress=not args.no_progress, scheduler=args.scheduler,
                           workers=args.workers, memory_limit=args.memory_limit)
    else:
        if args.scheduler or args.workers:
            raise BatchError("--scheduler and --workers need --engine dask")
        from ..school.batch import run_pandas

        summary = run_pandas(args.input, output, config, partition_rows=args.partition_rows,
                             progress=not args.no_progress)
    path = write_summary(summary, output)
    json.dump(summary, sys.stdout, ensure_ascii=False, indent=2)
    print(f"\nsummary written to {path}", file=sys.stderr)
    return 0
