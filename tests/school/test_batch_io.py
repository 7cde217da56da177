"""The pandas engine's overlapped reading and writing, and the per-piece counts."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from prescribe.school import batch
from prescribe.school.batch import BatchConfig, chunk_counts, run_chunk, run_pandas
from prescribe.school.screening import FLAG_REASONS
from prescribe.school.synthetic import synthetic_students


@pytest.fixture(scope="module")
def parquet_file(tmp_path_factory) -> tuple:
    frame = synthetic_students(2_000, seed=31)
    path = tmp_path_factory.mktemp("io") / "pupils.parquet"
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path,
                   row_group_size=250)
    return path, frame


def test_pieces_are_written_in_order_and_equal_one_pass(parquet_file, rules_dir, tmp_path,
                                                        test_date):
    path, frame = parquet_file
    config = BatchConfig(str(rules_dir), test_date=test_date)
    summary = run_pandas(path, tmp_path / "out.parquet", config, partition_rows=300,
                         progress=False)
    got = pq.read_table(tmp_path / "out.parquet").to_pandas()
    whole = run_chunk(frame, config)
    dates = {c: whole[c].dtype for c in ("birth_date", "test_date")}  # Parquet keeps ms
    pd.testing.assert_frame_equal(got.astype(dates), whole)  # same rows, order and values
    assert summary["partitions"] == 8
    assert summary["rows"] == 2_000


def test_a_failing_piece_stops_the_run_with_its_error(parquet_file, rules_dir, tmp_path,
                                                      test_date, monkeypatch):
    path, _ = parquet_file
    real = batch.run_chunk
    seen: list[int] = []

    def fail_third(frame, config):
        seen.append(len(frame))
        if len(seen) == 3:
            raise RuntimeError("piece 3 broke")
        return real(frame, config)

    monkeypatch.setattr(batch, "run_chunk", fail_third)
    with pytest.raises(RuntimeError, match="piece 3 broke"):
        run_pandas(path, tmp_path / "out.parquet", BatchConfig(str(rules_dir), test_date=test_date),
                   partition_rows=500, progress=False)
    assert len(seen) == 3
    written = pq.read_table(tmp_path / "out.parquet")  # closed cleanly: the first two pieces
    assert written.num_rows == 1_000


def test_counts_are_those_of_every_row(parquet_file, rules_dir, test_date):
    _, frame = parquet_file
    out = run_chunk(frame.head(700), BatchConfig(str(rules_dir), test_date=test_date))
    counts = chunk_counts(out)
    got = {(k, v): n for k, v, n in counts.itertuples(index=False)}
    for col in batch.COUNTED:  # the definition: each row's value as text, "missing" if none
        text = out[col].astype("string").fillna("missing")
        for value, n in text.value_counts().items():
            assert got[(col, value)] == n
    reasons = out["flag_reasons"].fillna("")
    for reason in FLAG_REASONS:
        assert got[("flag_reason", reason)] == reasons.str.contains(reason, regex=False).sum()
    assert got[("rows", "")] == 700
