"""Filtered search two ways in one run: the search latency part of bench/run.py alone
(in-process), each round once each way. `--compare bits` (the default): finder.filterbits'
bits against none at all (every filter then reads program_feature, as before the bits).
`--compare tree`: the bits tested in the spatial index (finder.programs.TREE_FILTERS, with a
first box sized by the filter's share) against the bits read from each program's row.
`--compare gist` (PostgreSQL): the GiST index of revision e4a9b1c7d3f2 (INCLUDE the bits,
telehealth, name and id) against the one before it, made again (and vacuumed) between sides.

    .venv/bin/python bench/filters.py --size 100k --backends sqlite,postgresql --rounds 5
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

import generate  # noqa: E402
import load  # noqa: E402
import run  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from finder import filterbits, programs  # noqa: E402

GIST = (
    "CREATE INDEX ix_program_location ON program USING gist (point(longitude, latitude))"
    " INCLUDE (latitude, longitude, active, substance_use{more})"
)


def _gist(url: str, more: str):
    def make():
        engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.exec_driver_sql("DROP INDEX ix_program_location")
            conn.exec_driver_sql(GIST.format(more=more))
            conn.exec_driver_sql("VACUUM ANALYZE program")
        engine.dispose()

    return make


def _sides(compare: str, url: str) -> dict:
    """side -> a function that sets the code path: the first side is the path before, the
    second the code as it runs."""
    bits = dict(filterbits.BIT)
    if compare == "gist":
        wide = ", filter_bits_1, filter_bits_2, telehealth, name, id"
        return {"gist before": _gist(url, ""), "gist": _gist(url, wide)}

    def features():
        filterbits.BIT, programs.TREE_FILTERS = {}, False
        programs.clear_statements()  # built with the bits before

    def rows():
        filterbits.BIT, programs.TREE_FILTERS = bits, False
        programs.clear_statements()  # built with the bits before

    def tree():
        filterbits.BIT, programs.TREE_FILTERS = bits, True
        programs.clear_statements()  # built with the bits before

    if compare == "bits":
        return {"features": features, "bits": rows}
    return {"rows": rows, "tree": tree}


def measure(
    backend: str,
    size: int,
    rounds: int,
    folder: Path,
    pg_url: str | None,
    clock=time.perf_counter,
    compare: str = "bits",
) -> dict:
    """side -> search -> summary (median, p95), the two sides alternating round by round."""
    csv_path = folder / f"national-{size}.csv"
    if not csv_path.exists():
        generate.write(str(csv_path), size, 1, "native", None)
    groups = run.paths(run.SEARCHES)
    saved = (dict(filterbits.BIT), programs.TREE_FILTERS)
    with load.database(backend, folder, pg_url) as url:
        sides = _sides(compare, url)
        timed: dict[str, dict[str, list]] = {side: {name: [] for name in groups} for side in sides}
        load.fill(url, csv_path, folder)
        app = load.bench_app(url, folder)
        client = app.test_client()

        def fetch(path: str) -> float:
            start = clock()
            response = client.get(path)
            elapsed = clock() - start
            if response.status_code != 200:
                raise RuntimeError(f"{path} answered {response.status_code}")
            return elapsed

        for warm in (True, *([False] * rounds)):
            for side, choose in sides.items():
                choose()
                for name, paths in groups.items():
                    for path in paths:
                        elapsed = fetch(path)
                        if not warm:
                            timed[side][name].append(elapsed)
        filterbits.BIT, programs.TREE_FILTERS = saved  # as the code runs
        run.dispose(app)
    results = {}
    for side, by_name in timed.items():
        results[side] = {name: run.summary(times) for name, times in by_name.items()}
        results[side]["search mix"] = run.summary([t for ts in by_name.values() for t in ts])
    return results


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="100k")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="this process's CPU time rather than the wall clock (steadier on a busy machine;"
        " on PostgreSQL it leaves out the server's work)",
    )
    parser.add_argument("--compare", choices=("bits", "tree", "gist"), default="bits")
    parser.add_argument("--folder", default=None, help="keeps the generated CSV between runs")
    args = parser.parse_args(argv)
    size = run.parse_sizes(args.size)[0]
    pg_url = os.environ.get("FINDER_BENCH_POSTGRES_URL") or os.environ.get(
        "FINDER_TEST_POSTGRES_URL"
    )
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(args.folder or scratch)
        folder.mkdir(parents=True, exist_ok=True)
        for backend in args.backends.split(","):
            clock = time.process_time if args.cpu else time.perf_counter
            timed = measure(backend, size, args.rounds, folder, pg_url, clock, args.compare)
            what = "CPU" if args.cpu else "wall-clock"
            first, second = timed
            print(f"\n{backend}, {size:,} programs: {what} median / p95 ms ({first} -> {second})")
            for name in timed[second]:
                before, after = timed[first][name], timed[second][name]
                m0, p0, m1, p1 = (f[k] for f in (before, after) for k in ("median_ms", "p95_ms"))
                print(f"| {name} | {m0:.1f} / {p0:.1f} | {m1:.1f} / {p1:.1f} | {m1 / m0:.2f}x |")


if __name__ == "__main__":
    main()
