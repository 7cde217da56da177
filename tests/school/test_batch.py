"""``prescribe batch``: the pandas and Dask engines give identical results."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from prescribe.cli import main
from prescribe.school.batch import BatchConfig, Piece, plan_pieces, run_pandas
from prescribe.school.synthetic import synthetic_students


@pytest.fixture(scope="module")
def parquet_dir(tmp_path_factory):
    """Three files of 1,500 students each, in row groups of 400 (several per partition)."""
    root = tmp_path_factory.mktemp("students")
    for i in range(3):
        frame = synthetic_students(1500, seed=i, id_offset=i * 1500)
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False),
                       root / f"district{i}.parquet", row_group_size=400)
    return root


def test_pieces_combine_row_groups_and_never_cross_files(parquet_dir):
    pieces, table = plan_pieces(parquet_dir, 900)
    assert table is None
    first = [p for p in pieces if p.path.endswith("district0.parquet")]
    # row groups 400+400 fit in 900; then 400+300
    assert [(p.row_groups, p.offset, p.length) for p in first] == [
        ((0, 1), 0, 800), ((2, 3), 0, 700)]
    assert sum(p.length for p in pieces) == 4500


def test_a_row_group_larger_than_a_partition_is_sliced(parquet_dir):
    pieces, _ = plan_pieces(parquet_dir / "district1.parquet", 250)
    assert pieces[:2] == [Piece(str(parquet_dir / "district1.parquet"), (0,), 0, 250),
                          Piece(str(parquet_dir / "district1.parquet"), (0,), 250, 150)]


@pytest.mark.slow
def test_pandas_and_dask_engines_give_identical_results(parquet_dir, rules_dir, tmp_path,
                                                        test_date):
    from prescribe.school.batch_dask import run_dask

    rules = shutil.copytree(rules_dir, tmp_path / "rules")   # one rule set for both runs
    config = BatchConfig(rules_dir=str(rules), test_date=test_date)
    a = run_pandas(parquet_dir, tmp_path / "pandas.parquet", config, partition_rows=900,
                   progress=False)
    b = run_dask(parquet_dir, tmp_path / "dask", config, partition_rows=700, progress=False)
    assert b["partitions"] > 3
    assert len(list((tmp_path / "dask").glob("*.parquet"))) > 3
    left = pd.read_parquet(tmp_path / "pandas.parquet").sort_values("student_id")
    right = pd.read_parquet(tmp_path / "dask").sort_values("student_id")
    assert len(left) == 4500
    assert left["prescribed"].sum() > 1000
    pd.testing.assert_frame_equal(left.reset_index(drop=True), right.reset_index(drop=True))
    for key in ("rows", "grade", "weight_status", "flag_reason", "rx_outcome"):
        assert a[key] == b[key], key


def test_cli_runs_the_official_template_and_writes_a_summary(fixtures, rules_dir, tmp_path,
                                                             capsys):
    out = tmp_path / "school.parquet"
    code = main(["batch", str(fixtures / "school_2025.csv"), "-o", str(out), "--rules",
                 str(rules_dir), "--partition-rows", "500", "--no-progress",
                 "--test-date", "2025-10-15"])
    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    saved = json.loads((tmp_path / "school.parquet.summary.json").read_text(encoding="utf-8"))
    assert printed == saved
    assert saved["rows"] == 1200
    assert saved["partitions"] == 3
    assert saved["engine"] == "pandas"
    # the ten unreadable or impossible cells (sex 3, grade 17, height 17.0, a birth date
    # 2013-13-45 …) block their rows; the template-only checks (IDs) are the importer's
    assert saved["rows_with_input_errors"] == 10
    result = pd.read_parquet(out)
    blocked = result[result["input_errors"] > 0]
    assert (blocked["rx_outcome"] == "invalid_input").all()
    assert not blocked["prescribed"].any()
    assert result["student_id"].str.startswith("00").sum() == 12


def test_cli_refuses_to_overwrite(fixtures, tmp_path, capsys):
    out = tmp_path / "exists.parquet"
    out.write_bytes(b"")
    assert main(["batch", str(fixtures / "school_2025.csv"), "-o", str(out),
                 "--prescribe-for", "none"]) == 2
    assert "already exists" in capsys.readouterr().err


def test_cli_scheduler_needs_the_dask_engine(fixtures, tmp_path, capsys):
    assert main(["batch", str(fixtures / "school_2025.csv"), "-o", str(tmp_path / "o.parquet"),
                 "--prescribe-for", "none", "--scheduler", "tcp://127.0.0.1:8786"]) == 2
    assert "--engine dask" in capsys.readouterr().err


@pytest.mark.slow
def test_dask_engine_on_an_existing_scheduler(fixtures, tmp_path, test_date):
    from distributed import LocalCluster

    from prescribe.school.batch_dask import run_dask

    config = BatchConfig(rules_dir=None, prescribe_for="none", test_date=test_date)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                      dashboard_address=None) as cluster:
        got = run_dask(fixtures / "school_2025.csv", tmp_path / "out", config,
                       partition_rows=400, progress=False,
                       scheduler=cluster.scheduler_address)
    assert got["scheduler"] == cluster.scheduler_address
    assert got["rows"] == 1200
    assert got["partitions"] == 3
    assert len(pd.read_parquet(tmp_path / "out")) == 1200
