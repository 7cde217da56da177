"""The Dask engine of ``prescribe batch`` (optional extra: ``pip install .[dask]``).

The same pieces and the same pandas function as the pandas engine (``batch.run_chunk``),
laid out as a Dask graph: ``dd.from_map(read_piece, pieces)`` →
``map_partitions(run_chunk)`` → ``to_parquet`` (a directory of part files) plus a small
per-partition counts frame for the summary. Both are computed in one ``client.compute``
so every partition is processed once. Memory per worker is bounded by the partition size
(× threads per worker), not by the input: the bench shows it with two partition sizes.

The cluster is a ``distributed.LocalCluster`` by default: ``workers=0`` (the default) is one
in-process worker with two threads (``processes=False``: one copy of the rule set, cheap
to start, enough for a 2-core machine); ``workers=N`` starts N single-threaded worker
processes. ``scheduler="tcp://host:8786"`` uses an existing cluster instead, whose
workers must see the input, output and rules paths.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from .batch import (
    COUNTS_META,
    BatchConfig,
    BatchError,
    _finish,
    _timed,
    chunk_counts,
    plan_pieces,
    read_piece,
    run_chunk,
)


def _cluster(scheduler: str | None, workers: int, memory_limit: str | None):
    from distributed import Client, LocalCluster

    if scheduler:
        return contextlib.nullcontext(), Client(scheduler)
    if workers > 0:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               memory_limit=memory_limit or "auto", dashboard_address=None)
    else:
        cluster = LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                               memory_limit=memory_limit or "auto", dashboard_address=None)
    return cluster, Client(cluster)


def run_dask(source: Path, output: Path, config: BatchConfig, *,
             partition_rows: int = 100_000, progress: bool = True,
             scheduler: str | None = None, workers: int = 0,
             memory_limit: str | None = None) -> dict[str, Any]:
    """Process the input as Dask partitions; write the Parquet directory ``output``."""
    try:
        import dask.dataframe as dd
    except ImportError as exc:  # the dask extra is optional
        raise BatchError("the Dask engine needs the dask extra: pip install "
                         "'prescribe-assistant[dask]'") from exc
    pieces, table = plan_pieces(source, partition_rows)
    if not pieces:
        raise BatchError(f"{source}: no rows")
    sample = read_piece(pieces[0], table).head(64)
    out_meta = run_chunk(sample, config).iloc[:0]
    schema = pa.Schema.from_pandas(out_meta, preserve_index=False)

    def run() -> tuple[pd.DataFrame, dict]:
        from distributed import progress as dask_progress

        cluster, client = _cluster(scheduler, workers, memory_limit)
        with cluster, client:
            if table is not None:  # a school table already in memory: scatter it once
                raw = dd.from_pandas(table, chunksize=partition_rows, sort=False)
            else:
                raw = dd.from_map(read_piece, pieces, meta=sample.iloc[:0],
                                  enforce_metadata=False)
            processed = raw.map_partitions(run_chunk, config, meta=out_meta)
            write = processed.to_parquet(str(output), write_index=False, compute=False,
                                         schema=schema, overwrite=False)
            counts = processed.map_partitions(chunk_counts, meta=COUNTS_META)
            futures = client.compute([write, counts])
            if progress:  # the text bar writes to stdout, which carries the summary
                with contextlib.redirect_stdout(sys.stderr):
                    dask_progress(futures)
            _, counted = client.gather(futures)
            n_workers = len(client.scheduler_info()["workers"])
        return counted, {"workers": n_workers, "scheduler": scheduler or "local"}

    counts, extra = _timed(run)
    return _finish(counts, extra, "dask", source, output, config, len(pieces))
