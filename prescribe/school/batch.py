"""City-scale batch runs of the school pipeline, on pandas or on Dask, with one result.

Both engines cut the input into the same **pieces** (≤ ``partition_rows`` rows, never
crossing a Parquet file; row groups are combined or sliced to fit), run the same pandas
function on each (``run_chunk`` → ``pipeline.run_pipeline``) and write the same
fixed-schema Parquet. Because the pipeline is row-local, the two outputs hold the same
rows with the same values (a test compares them sorted by 学籍号).

* ``run_pandas``: pieces one after the other in this process, the next piece read and the
  previous one written by two I/O threads meanwhile (memory ≈ three pieces), a tqdm bar,
  one Parquet file.
* ``run_dask``: pieces as Dask partitions (``dd.from_map`` over the pieces, then
  ``map_partitions(run_chunk)``) on a ``distributed`` cluster — a local one by default
  (one worker process with two threads: two cores, one copy of the rule set), or an
  existing scheduler by address (workers must see the same paths) — written with
  ``to_parquet`` as a directory of part files; memory per worker ≈ partition size ×
  threads. Dask's progress bar follows the tasks.

The summary (counts of grades, weight status, flags, outcomes; rows/s; peak memory) is
built from per-piece counts, so it never needs the whole result in memory.
"""

from __future__ import annotations

import datetime as dt
import json
import resource
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import PrescribeError
from ..tabular import header_code, read_table
from .pipeline import run_pipeline
from .screening import FLAG_REASONS

DEFAULT_PARTITION_ROWS = 100_000
COUNTED = ("grade", "weight_status", "screening_myopia", "scoliosis_screen_positive",
           "flagged", "prescribed", "rx_outcome")
COUNTS_META = pd.DataFrame({"key": pd.Series(dtype="string"),
                            "value": pd.Series(dtype="string"), "n": pd.Series(dtype="int64")})


class BatchError(PrescribeError):
    """The batch cannot start: unreadable input, no rows, an output that exists."""

    exit_code = 2


@dataclass(frozen=True)
class BatchConfig:
    """Everything a worker needs to process a piece; small and picklable."""

    rules_dir: str | None
    model_dir: str | None = None
    prescribe_for: str = "flagged"
    test_date: dt.date | None = None
    prescriptions: bool = False


@dataclass(frozen=True)
class Piece:
    """Rows ``offset … offset+length`` of the given row groups of one Parquet file, or of
    the in-memory table (``path`` None)."""

    path: str | None
    row_groups: tuple[int, ...]
    offset: int
    length: int


@lru_cache(maxsize=4)
def _assistant(rules_dir: str, model_dir: str | None) -> Any:
    from ..assistant import Assistant

    return Assistant.from_paths(rules_dir, model_dir)


def run_chunk(frame: pd.DataFrame, config: BatchConfig) -> pd.DataFrame:
    """The pipeline on one piece (the function both engines run)."""
    assistant = _assistant(config.rules_dir, config.model_dir) if config.rules_dir else None
    return run_pipeline(frame.reset_index(drop=True), assistant,
                        prescribe_for=config.prescribe_for, on=config.test_date,
                        prescriptions=config.prescriptions)


def _vocabulary_names(frame: pd.DataFrame) -> pd.DataFrame:
    """Template or Chinese headers → vocabulary names (Parquet exports from other tools)."""
    mapping = {c: header_code(c) or c for c in frame.columns}
    return frame.rename(columns=mapping) if any(k != v for k, v in mapping.items()) else frame


def _parquet_files(source: Path) -> list[Path]:
    files = sorted(source.rglob("*.parquet")) if source.is_dir() else [source]
    if not files:
        raise BatchError(f"{source}: no .parquet files in this directory")
    return files


def plan_pieces(source: Path, partition_rows: int) -> tuple[list[Piece], pd.DataFrame | None]:
    """Cut the input into pieces; a CSV/XLSX/XLS table is read here (school-sized)."""
    if partition_rows < 1:
        raise BatchError("--partition-rows must be at least 1")
    if not source.exists():
        raise BatchError(f"{source}: no such file or directory")
    if source.is_dir() or source.suffix.lower() == ".parquet":
        pieces: list[Piece] = []
        for path in _parquet_files(source):
            meta = pq.ParquetFile(path).metadata
            group: list[int] = []
            rows = 0
            for g in range(meta.num_row_groups):
                n = meta.row_group(g).num_rows
                if group and rows + n > partition_rows:
                    pieces += _slices(str(path), tuple(group), rows, partition_rows)
                    group, rows = [], 0
                group.append(g)
                rows += n
            if group:
                pieces += _slices(str(path), tuple(group), rows, partition_rows)
        return pieces, None
    table = _vocabulary_names(read_table(source)).reset_index(drop=True)
    return _slices(None, (), len(table), partition_rows), table


def _slices(path: str | None, groups: tuple[int, ...], rows: int, size: int) -> list[Piece]:
    return [Piece(path, groups, start, min(size, rows - start))
            for start in range(0, rows, size)] or []


def read_piece(piece: Piece, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """The rows of one piece as a pandas frame with vocabulary column names."""
    if piece.path is None:
        return table.iloc[piece.offset: piece.offset + piece.length].reset_index(drop=True)
    data = pq.ParquetFile(piece.path).read_row_groups(list(piece.row_groups))
    frame = data.slice(piece.offset, piece.length).to_pandas()
    return _vocabulary_names(frame)


def chunk_counts(out: pd.DataFrame) -> pd.DataFrame:
    """Counts of one processed piece, in long form, for the summary."""
    rows = [("rows", "", len(out)), ("rows_with_input_errors", "",
                                     int((out["input_errors"] > 0).sum()))]
    for col in COUNTED:  # counted per distinct value, as text ("missing" for none)
        if col in out.columns:
            counts = out[col].value_counts(dropna=False)
            rows += [(col, "missing" if pd.isna(k) else str(k), int(v))
                     for k, v in counts.items()]
    # a reason counts every row whose ';'-joined reasons contain it: look at each distinct
    # combination once
    combos = out["flag_reasons"].fillna("").value_counts()
    rows += [("flag_reason", r, int(sum(v for k, v in combos.items() if r in k)))
             for r in FLAG_REASONS]
    frame = pd.DataFrame(rows, columns=["key", "value", "n"])
    return frame.astype({"key": "string", "value": "string", "n": "int64"})


def summarise(counts: pd.DataFrame, **facts: Any) -> dict[str, Any]:
    """Merge per-piece counts into the summary dict (JSON-ready)."""
    total = counts.groupby(["key", "value"], sort=True)["n"].sum()
    out: dict[str, Any] = dict(facts)
    out["rows"] = int(total.get(("rows", ""), 0))
    out["rows_with_input_errors"] = int(total.get(("rows_with_input_errors", ""), 0))
    for key in (*COUNTED, "flag_reason"):
        if key in total.index.get_level_values(0):
            out[key] = {str(v): int(n) for v, n in total[key].items()}
    return out


def _peak_rss_mb() -> dict[str, float]:
    """Peak resident memory of this process and of its largest finished child (MB)."""
    to_mb = 1 / 1024  # Linux reports kilobytes
    return {"this_process": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * to_mb, 1),
            "largest_child": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
                                   * to_mb, 1)}


def _timed(run: Callable[[], tuple[pd.DataFrame, dict]]) -> tuple[pd.DataFrame, dict]:
    start, cpu = time.perf_counter(), time.process_time()
    counts, extra = run()
    wall = time.perf_counter() - start
    extra.update(elapsed_s=round(wall, 3), cpu_s_this_process=round(time.process_time() - cpu, 3))
    return counts, extra


def run_pandas(source: Path, output: Path, config: BatchConfig, *,
               partition_rows: int = DEFAULT_PARTITION_ROWS, progress: bool = True
               ) -> dict[str, Any]:
    """Process piece by piece in this process; write one Parquet file ``output``.

    The pipeline runs on one piece at a time in this thread; two I/O threads read the next
    Parquet piece and write the previous result meanwhile (Arrow releases the GIL for
    both), so the file work overlaps the computing. The threads only touch Arrow data and
    frames no other thread holds (pandas objects are not thread-safe): a piece read from
    Parquet is a fresh frame, a result is converted to Arrow here before it is handed over,
    and pieces of an in-memory table (CSV/XLSX) are sliced here. At most three pieces are
    in memory — being read, processed and written — and writes stay in piece order.
    """
    pieces, table = plan_pieces(source, partition_rows)
    if not pieces:
        raise BatchError(f"{source}: no rows")

    def run() -> tuple[pd.DataFrame, dict]:
        from tqdm import tqdm

        parts: list[pd.DataFrame] = []
        writer: pq.ParquetWriter | None = None

        def write(arrow: pa.Table) -> None:
            nonlocal writer
            if writer is None:
                writer = pq.ParquetWriter(output, arrow.schema)
            writer.write_table(arrow.cast(writer.schema))

        bar = tqdm(total=sum(p.length for p in pieces), unit="students", disable=not progress,
                   desc="score→screen→prescribe")
        io = ThreadPoolExecutor(max_workers=2, thread_name_prefix="prescribe-batch-io")

        def read_ahead(piece: Piece) -> Future | None:
            return io.submit(read_piece, piece) if table is None else None

        try:
            reading = read_ahead(pieces[0])
            writing: Future | None = None
            for k, piece in enumerate(pieces):
                frame = reading.result() if reading is not None else read_piece(piece, table)
                if k + 1 < len(pieces):
                    reading = read_ahead(pieces[k + 1])
                out = run_chunk(frame, config)
                parts.append(chunk_counts(out))
                arrow = pa.Table.from_pandas(out, preserve_index=False)
                if writing is not None:
                    writing.result()  # one write at a time, in piece order
                writing = io.submit(write, arrow)
                bar.update(piece.length)
            if writing is not None:
                writing.result()
        finally:
            io.shutdown(wait=True)  # every piece computed so far is written
            bar.close()
            if writer is not None:
                writer.close()
        return pd.concat(parts, ignore_index=True), {}

    counts, extra = _timed(run)
    return _finish(counts, extra, "pandas", source, output, config, len(pieces))


def _finish(counts: pd.DataFrame, extra: dict, engine: str, source: Path, output: Path,
            config: BatchConfig, n_pieces: int) -> dict[str, Any]:
    summary = summarise(counts, engine=engine, input=str(source), output=str(output),
                        partitions=n_pieces, config=_jsonable(asdict(config)), **extra)
    summary["students_per_s"] = round(summary["rows"] / max(extra["elapsed_s"], 1e-9))
    summary["peak_rss_mb"] = _peak_rss_mb()
    summary["ruleset"] = _ruleset(config)
    return summary


def _jsonable(data: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in data.items()}


def _ruleset(config: BatchConfig) -> dict[str, Any] | None:
    if not config.rules_dir:
        return None
    rs = _assistant(config.rules_dir, config.model_dir).ruleset
    return {"name": rs.name, "version": rs.version, "hash": rs.hash}


def summary_path(output: Path) -> Path:
    """Where the summary JSON goes: beside the output (``out.parquet.summary.json``)."""
    return output.with_name(output.name + ".summary.json")


def write_summary(summary: dict[str, Any], output: Path) -> Path:
    path = summary_path(output)
    path.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def iter_output(output: Path) -> Iterator[pd.DataFrame]:
    """Read a batch result back (file or part-file directory), piece by piece."""
    for path in _parquet_files(output):
        yield pq.read_table(path).to_pandas()
