"""A tiny run of the whole benchmark (bench/run.py), so that it keeps working: every figure
the report needs is measured and the Markdown table checks every target."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_a_tiny_benchmark_run_writes_every_figure(tmp_path):
    command = [sys.executable, str(ROOT / "bench" / "run.py"), "--sizes", "150",
               "--backends", "sqlite", "--rounds", "1", "--seconds", "1", "--cold-runs", "1",
               "--import-rows", "60", "--out", str(tmp_path)]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True, timeout=300)

    results = json.loads((tmp_path / "latest.json").read_text())
    run = results["runs"]["sqlite"]["150"]
    assert results["machine"]["cores"] == os.cpu_count()
    assert {"search mix", "any distance, page 10", "100 mi, sort=cost", "program page"} <= set(
        run["in_process"]
    )
    assert run["http"]["search mix"]["p95_ms"] >= run["http"]["search mix"]["median_ms"] > 0
    assert run["throughput"]["failed"] == 0 and run["throughput_bare"]["rps"] > 0
    assert run["cold_start"]["n"] == 1
    imported = results["import"]["sqlite"]
    assert imported["native"]["apply"]["ok"] and imported["samhsa"]["apply"]["ok"]
    assert imported["native"]["baseline"]["rows_per_s"] > 0
    table = (tmp_path / "latest.md").read_text()
    assert "| 25 mi from a city, p95 ≤ 10 ms |" in table
    assert "| import native ≥ 25,000 rows/s applied (60 rows) |" in table


def test_the_estimates_pair_runs_on_a_tiny_directory(tmp_path):
    """bench/estimates.py: the ratio of estimates to search alone, and its row counts."""
    db = tmp_path / "tiny.sqlite"
    script = [sys.executable, str(ROOT / "bench" / "estimates.py"), "--db", str(db)]
    timed = subprocess.run(
        [*script, "--size", "150", "--rounds", "1"], check=True, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    assert "cpu: plain" in timed.stdout and "x\n" in timed.stdout
    counted = subprocess.run(
        [*script, "--count"], check=True, capture_output=True, text=True, timeout=300
    )
    assert counted.stdout.startswith("plain: ") and "estimates: " in counted.stdout
