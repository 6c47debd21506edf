"""A small slice of the scale benchmarks runs: profile statements load, every filter is
timed and planned, and every report kind and format builds over them (no timing is
checked: the benchmarks print figures, they assert nothing)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import lrs_scale  # noqa: E402
import report_bench  # noqa: E402


def test_lrs_scale_and_report_bench_run_on_a_small_store(tmp_path: Path, capsys) -> None:
    url = f"sqlite:///{tmp_path / 'lrs.sqlite3'}"
    [figures] = lrs_scale.main(["--statements", "300", "--step", "100", "--db", url])
    assert figures["count"] >= 300
    assert set(figures["get"]) == set(lrs_scale.filters({"agent": ["x"], "activity": ["y"],
                                                         "registration": ["z"], "stored": [1]},
                                                        lrs_scale.random.Random(1)))
    out = capsys.readouterr().out
    assert "SEARCH statements USING INTEGER PRIMARY KEY" in out
    report_bench.main(["--statements", "300", "--db", url, "--formats", "json,csv"])
    out = capsys.readouterr().out
    assert "floor: full scan" in out
    assert "Error" not in out and "the child died" not in out
