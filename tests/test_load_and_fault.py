"""A few seconds of bench/load_and_fault.py: gunicorn, the import worker, traffic during an
import and a SIGKILLed import, on SQLite and PostgreSQL (CI runs the full minute)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import POSTGRES_URL

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_a_short_load_and_fault_run_passes(database, request):
    if database == "postgresql":
        request.getfixturevalue("postgres_url")  # skips (or fails in CI) without a server
    done = subprocess.run(
        [sys.executable, ROOT / "bench" / "load_and_fault.py", "--seconds", "4",
         "--rows", "600", "--database", database],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, "FINDER_TEST_POSTGRES_URL": POSTGRES_URL},
    )  # fmt: skip

    assert done.returncode == 0, done.stdout + done.stderr
    assert "FAILED" not in done.stdout
    assert "ok    the database holds generation 2 whole (3 was killed)" in done.stdout
    assert "requests served: " in done.stdout
