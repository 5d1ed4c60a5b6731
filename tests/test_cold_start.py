"""A new process answers its first search without loading what only the command line, the
admin's imports or the optional street-address geocoder need (how fast is bench/run.py's to
say: docs/search-speed.md)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIRST_SEARCH = """
import json, sys
from finder import create_app
app = create_app()
response = app.test_client().get("/api/facilities?near=59301&radius=any")
loaded = [m for m in sys.modules if m.split(".")[0] in {"alembic", "flask_migrate", "geopy",
          "rapidfuzz"} or m.startswith(("finder.importer", "finder.schema"))]
print(json.dumps({"status": response.status_code, "total": response.json["total"],
                  "loaded": sorted(loaded)}))
"""


def first_search(database_url: str, **env) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, "FINDER_SECRET_KEY": "k" * 40, **env}
    run = subprocess.run(
        [sys.executable, "-c", FIRST_SEARCH], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_a_new_process_searches_without_the_importer_alembic_or_geopy(database_url):
    first = first_search(database_url)
    assert first["status"] == 200 and first["total"] == 0
    assert first["loaded"] == []


@pytest.mark.parametrize("command", [["db", "current"], ["init-db", "--empty"], ["export", "-"]])
def test_the_commands_that_need_them_still_load_them(database_url, command):
    env = {**os.environ, "DATABASE_URL": database_url, "FINDER_SECRET_KEY": "k" * 40}
    run = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "finder", *command],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    if command[0] == "db":
        assert "(head)" in run.stdout
    if command[0] == "init-db":
        assert "The database schema is up to date" in run.stdout
    if command[0] == "export":
        assert run.stdout.startswith("key,name,")
