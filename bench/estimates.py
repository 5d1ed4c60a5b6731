"""Per-result estimates against search alone (issue 16's 1.3x target), in process, on SQLite
or any database at `--url`: bench/run.py's "100 mi" and "100 mi, estimates" at its ten
origins, interleaved request by request (the order of the pair alternating by round), so
that both share the machine's load.

    .venv/bin/python bench/estimates.py --size 100k --rounds 40            # builds the directory
    .venv/bin/python bench/estimates.py --db /tmp/d100k.sqlite --rounds 40  # reuses one
    .venv/bin/python bench/estimates.py --db /tmp/d100k.sqlite --count      # rows, statements
    .venv/bin/python bench/estimates.py --url postgresql+psycopg://.../db --fill  # load it once
    .venv/bin/python bench/estimates.py --url postgresql+psycopg://.../db --rounds 40

Prints each query's median CPU time (`time.process_time`) and wall time per request and the
ratios: of the medians over every request (as bench/run.py takes them), and of the sums of
each origin's median. To compare two revisions, run this file of each tree in turn on one
`--db` (the same directory: bench/load.py's, seed 1), several times alternately.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

import generate  # noqa: E402
import load  # noqa: E402
from run import EXTRA, SEARCHES, parse_sizes, paths  # noqa: E402

PAIR = {"plain": SEARCHES["100 mi"], "estimates": EXTRA["100 mi, estimates"]}


def counted(app, client, groups: dict) -> None:
    """Rows read by the box reads (a distance computed for each) and statements, a request."""
    import sqlalchemy as sa

    from finder import programs
    from finder.db import db

    seen = {"rows": 0, "statements": 0}
    distances = programs.distances_from

    def counting(origin):
        miles = distances(origin)

        def each(lat, lon):
            seen["rows"] += 1
            return miles(lat, lon)

        return each

    programs.distances_from = counting
    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", lambda *a: seen.update(
            statements=seen["statements"] + 1))  # fmt: skip
    for name, group in groups.items():
        seen.update(rows=0, statements=0)
        for path in group:
            client.get(path)
        n = len(group)
        print(f"{name}: {seen['rows'] / n:.1f} rows, {seen['statements'] / n:.1f} statements")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a directory loaded by bench/load.py")
    parser.add_argument("--url", help="an empty database to --fill, or one filled before")
    parser.add_argument("--fill", action="store_true", help="load --url first")
    parser.add_argument("--size", type=parse_sizes, default=parse_sizes("100k"))
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--count", action="store_true", help="rows and statements only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="finder-estimates-") as tmp:
        folder = Path(tmp)
        db = args.db or folder / "bench.sqlite"
        url = args.url or f"sqlite:///{db}"
        if args.fill or (args.url is None and not db.exists()):
            csv_path = folder / "national.csv"
            generate.write(str(csv_path), args.size[0], 1, "native", None)
            load.fill(url, csv_path, folder)
        app = load.bench_app(url, folder)
        client = app.test_client()
        groups = paths(PAIR)
        for group in groups.values():
            for path in group:
                assert client.get(path).status_code == 200
        if args.count:
            counted(app, client, groups)
            return
        cpu = {name: [] for name in groups}
        wall = {name: [] for name in groups}
        origin = {name: {} for name in groups}
        for n in range(args.rounds):
            for i in range(len(groups["plain"])):
                for name in ("plain", "estimates") if n % 2 else ("estimates", "plain"):
                    start, clock = time.process_time(), time.perf_counter()
                    client.get(groups[name][i])
                    spent = time.process_time() - start
                    wall[name].append(time.perf_counter() - clock)
                    cpu[name].append(spent)
                    origin[name].setdefault(i, []).append(spent)
    times = {"cpu": cpu, "wall": wall}
    med = {kind: {name: statistics.median(t[name]) for name in t} for kind, t in times.items()}
    sums = {name: sum(statistics.median(t) for t in origin[name].values()) for name in origin}
    for kind in ("cpu", "wall"):
        plain, estimates = med[kind]["plain"], med[kind]["estimates"]
        print(f"{kind}: plain {plain * 1000:.2f} ms, estimates {estimates * 1000:.2f} ms, "
              f"{estimates / plain:.3f}x")  # fmt: skip
    print(f"cpu, sum of each origin's median: {sums['estimates'] / sums['plain']:.3f}x")


if __name__ == "__main__":
    main()
