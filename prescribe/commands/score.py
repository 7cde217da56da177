"""``prescribe score INPUT --standard student|physique [-o OUTPUT] [--skip-invalid]``.

Reads CSV/XLSX/XLS (the official student template's Chinese headers included), scores
every row against the national standard and writes every input column as it was written
plus the result columns. Invalid input is all-or-nothing by default: every problem is
listed with its file line and column and nothing is written (exit 2). ``--skip-invalid``
scores the valid rows and writes the problems to ``<OUTPUT stem>.errors.csv`` (to stderr
when the output goes to stdout).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import pandas as pd

from ..errors import InputProblem
from ..tabular import (
    TableError,
    normalise,
    problem_table,
    read_raw,
    with_raw_values,
    write_table,
)

OUTPUT_TYPES = (".csv", ".xlsx")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "score", help="score fitness-test results against a national standard",
        description=__doc__.split("\n\n")[1])
    parser.add_argument("input", type=Path, help="CSV, XLSX or XLS file, one person per row")
    parser.add_argument("--standard", required=True, choices=("student", "physique"),
                        help="student = 国家学生体质健康标准 2014; physique = 国民体质测定标准 2003")
    parser.add_argument("-o", "--output", type=Path,
                        help="result file (.csv or .xlsx); CSV on stdout when omitted")
    parser.add_argument("--skip-invalid", action="store_true",
                        help="score the valid rows and report the others in *.errors.csv")
    parser.add_argument("--edition", help="edition id (default: the current one)")
    parser.set_defaults(func=run)


def _describe(p: InputProblem, headers: dict[str, str]) -> str:
    column = headers.get(p.field, p.field)
    named = column if column == p.field else f"{column} ({p.field})"
    value = "" if p.value is None else f" {p.value!r}:"
    allowed = f" (allowed: {p.allowed})" if p.allowed else ""
    return f"line {p.row}, column {named}:{value} {p.message}{allowed}"


def run(args: argparse.Namespace) -> int:
    from ..standards import prepare_frame, score_prepared
    from ..standards.inputs import rows_with_errors

    out_path: Path | None = args.output
    if out_path is not None:
        if out_path.suffix.lower() not in OUTPUT_TYPES:
            raise TableError(f"{out_path.name}: output must be .csv or .xlsx")
        if out_path.resolve() == args.input.resolve():
            raise TableError("the output would overwrite the input file; choose another name")
    raw = read_raw(args.input)
    frame = normalise(raw)
    headers: dict[str, str] = frame.attrs["source_columns"]
    for header, guess in frame.attrs["unrecognised"].items():
        hint = f"; did you mean {guess!r}?" if guess else ""
        print(f"warning: column {header!r} is not a known item and is passed through{hint}",
              file=sys.stderr)
    if frame.empty:
        raise TableError(f"{args.input.name}: no data rows below the header")

    clean, problems = prepare_frame(frame, args.standard, edition=args.edition)
    errors = with_raw_values([p for p in problems if p.severity == "error"], raw, headers)
    if errors and not args.skip_invalid:
        for p in errors:
            print(_describe(p, headers), file=sys.stderr)
        bad_rows = int(rows_with_errors(frame, errors).sum())
        print(f"error: {len(errors)} problem(s) in {bad_rows} row(s); nothing written "
              "(fix them, or use --skip-invalid to score the valid rows)", file=sys.stderr)
        return 2

    valid = ~rows_with_errors(frame, errors)
    results = score_prepared(clean[valid], args.standard, edition=args.edition)
    passthrough = raw.loc[valid, [c for c in raw.columns if c not in results.columns]]
    table = pd.concat([passthrough, results], axis=1)
    if out_path is None:
        try:
            table.to_csv(sys.stdout, index=False)
        except BrokenPipeError:  # piped into `head`: the reader has what it wanted
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0
    else:
        write_table(table, out_path)
    if errors:
        report = problem_table(errors, headers)
        if out_path is None:
            for p in errors:
                print(_describe(p, headers), file=sys.stderr)
        else:
            report_path = out_path.with_name(out_path.stem + ".errors.csv")
            write_table(report, report_path)
            print(f"{len(errors)} problem(s); {int((~valid).sum())} row(s) skipped, listed in "
                  f"{report_path}", file=sys.stderr)
    return 0
