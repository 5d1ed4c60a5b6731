"""The synthetic national directories of bench/generate.py import cleanly, in both layouts."""

import csv
import sys
from pathlib import Path

import pytest
from geopy.distance import great_circle

from finder.importer import import_file

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import generate  # noqa: E402

CAMBRIDGE = (42.3647, -71.1042)
REGION = (*CAMBRIDGE, 25.0, 40)


def rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("layout", ["native", "samhsa"])
def test_a_generated_directory_imports_without_errors(app, tmp_path, layout):
    path = tmp_path / f"{layout}.csv"
    assert generate.write(str(path), 300, 5, layout, None) == 300
    with app.app_context():
        result = import_file(str(path), fmt=layout, actor="test", dry_run=True)
    assert result.errors == []
    assert result.summary.added == 300


def test_the_same_seed_writes_the_same_bytes_and_another_seed_does_not(tmp_path):
    paths = [tmp_path / name for name in ("a.csv", "b.csv", "c.csv")]
    for path, seed in zip(paths, (3, 3, 4), strict=True):
        generate.write(str(path), 200, seed, "native", None)
    assert paths[0].read_bytes() == paths[1].read_bytes() != paths[2].read_bytes()


def test_programs_are_fictional_and_follow_population(tmp_path):
    path = tmp_path / "n.csv"
    generate.write(str(path), 2000, 1, "native", None)
    listed = rows(path)
    assert {r["source"] for r in listed} == {"demo"}
    assert all(r["name"].startswith("Demo: ") and "-555-01" in r["phone"] for r in listed)
    by_state = {s: sum(r["state"] == s for r in listed) for s in ("CA", "TX", "WY", "VT")}
    assert by_state["CA"] > by_state["TX"] > 10 * max(by_state["WY"], by_state["VT"])


def test_a_fixed_region_holds_the_same_programs_at_every_size(tmp_path):
    def inside(path):
        return {
            r["key"]: r["name"]
            for r in rows(path)
            if r["latitude"]
            and great_circle(CAMBRIDGE, (r["latitude"], r["longitude"])).miles <= 25
        }

    small, large = tmp_path / "small.csv", tmp_path / "large.csv"
    generate.write(str(small), 100, 1, "native", REGION)
    generate.write(str(large), 1500, 1, "native", REGION)
    assert inside(small) == inside(large)
    assert 30 <= len(inside(small)) <= 40
    assert all(key.startswith("gen-r") for key in inside(large))
