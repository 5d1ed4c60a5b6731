"""The whole benchmark in one run, on SQLite and PostgreSQL, written to bench/results/.

    .venv/bin/python bench/run.py --sizes 10k,100k            # about 20 minutes on 2 cores
    .venv/bin/python bench/run.py --sizes 1m --backends sqlite  # long
    .venv/bin/python bench/run.py --sizes 150 --backends sqlite --rounds 1 --seconds 1 \
        --cold-runs 1 --import-rows 60 --out /tmp/smoke      # the test suite's tiny run

For each backend and size: a synthetic national directory (bench/generate.py, seed 1) loaded
into a scratch database (dropped afterwards); search latency in-process and over HTTP against
gunicorn (median and p95 of a mix of urban and rural origins, 5 to 100 miles and any distance,
common filters, page 1 and a deep page); throughput of the search mix under gunicorn beside a
bare Flask endpoint in the same run; the HTML pages; estimates and sort=cost against plain
search; import rows per second (the CLI, `flask --app finder import`) beside a bare csv reader
plus one executemany; cold start to the first answer. PostgreSQL comes from
FINDER_BENCH_POSTGRES_URL (or FINDER_TEST_POSTGRES_URL); without it, SQLite only.
"""

import argparse
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

import generate  # noqa: E402
import imports  # noqa: E402
import load  # noqa: E402
import report  # noqa: E402
import serve  # noqa: E402

URBAN = ["10001", "60614", "94110", "02139", "77002"]  # NYC, Chicago, SF, Cambridge, Houston
RURAL = ["59301", "69201", "82901", "04730", "99701"]  # MT, NE, WY, ME, AK
SECRET = "bench-" + "k" * 58

# name -> (origins, query string after near=): the search mix, and the pairs the ratios need.
SEARCHES = {
    "25 mi, city": (URBAN, "radius=25"),
    "100 mi": (URBAN + RURAL, "radius=100"),
    "100 mi, payment": (URBAN + RURAL, "radius=100&payment=medicaid,sliding_fee"),
    "5 mi, care+medication": (URBAN, "radius=5&care=outpatient&medication=buprenorphine"),
    "10 mi, rural": (RURAL, "radius=10"),
    "any distance": (URBAN + RURAL, "radius=any"),
    "any distance, filters": (RURAL, "radius=any&setting=inpatient&payment=medicaid"),
    "any distance, page 10": (URBAN + RURAL, "radius=any&page=10"),
}
EXTRA = {
    "100 mi, estimates": (URBAN + RURAL, "radius=100&coverage=medicaid&fpg=101-125"),
    "100 mi, sort=cost": (URBAN + RURAL, "radius=100&coverage=cash&sort=cost"),
    "any distance, sort=cost": (URBAN + RURAL, "radius=any&coverage=cash&sort=cost"),
}
HTML = {"results page, 25 mi": (URBAN, "radius=25")}


def paths(searches: dict, prefix: str = "/api/facilities") -> dict[str, list[str]]:
    return {
        name: [f"{prefix}?near={origin}&{params}" for origin in origins]
        for name, (origins, params) in searches.items()
    }


def summary(seconds: list[float]) -> dict:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return {"median_ms": round(statistics.median(ms), 2), "p95_ms": round(p95, 2), "n": len(ms)}


def time_all(fetch, groups: dict[str, list[str]], rounds: int) -> dict:
    """Each group's paths `rounds` times over (after one untimed pass), as median and p95."""
    for group in groups.values():
        for path in group:
            fetch(path)
    timed: dict[str, list[float]] = {name: [] for name in groups}
    for _ in range(rounds):
        for name, group in groups.items():
            for path in group:
                timed[name].append(fetch(path))
    results = {name: summary(times) for name, times in timed.items()}
    for name, times in timed.items():
        # The sum of each path's median: a ratio of two queries run from the same origins
        # (report.py) is taken of these. The median of all of a pair's requests falls between
        # its urban and its rural origins' times, wherever these two clusters happen to meet.
        paths_of = len(groups[name])
        per_path = (times[k::paths_of] for k in range(paths_of))
        results[name]["sum_ms"] = round(sum(statistics.median(t) for t in per_path) * 1000, 2)
    mix = [t for name in SEARCHES if name in timed for t in timed[name]]
    if mix:
        results["search mix"] = summary(mix)
    return results


def in_process(app, groups: dict, rounds: int) -> dict:
    client = app.test_client()

    def fetch(path: str) -> float:
        start = time.perf_counter()
        response = client.get(path)
        elapsed = time.perf_counter() - start
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        return elapsed

    return time_all(fetch, groups, rounds)


def program_pages(app, count: int) -> list[str]:
    client = app.test_client()
    ids = []
    for origin in URBAN + RURAL:
        results = client.get(f"/api/facilities?near={origin}&radius=any&per_page=5").json
        ids += [r["id"] for r in results["results"]]
    return [f"/facilities/{i}" for i in ids[:count]]


def cold_start(url: str, instance: Path, runs: int) -> dict:
    """Process start (a new interpreter) to the first search answered, in a fresh process."""
    code = (
        "from finder import create_app\n"
        "app = create_app()\n"
        "r = app.test_client().get('/api/facilities?near=59301&radius=any')\n"
        "assert r.status_code == 200, r.status_code\n"
    )
    env = {**os.environ, "DATABASE_URL": url, "FINDER_SECRET_KEY": SECRET, "PYTHONPATH": str(ROOT)}
    env.pop("FINDER_READ_DATABASE_URL", None)
    times = []
    for _ in range(runs + 1):  # the first builds the ZIP table file in instance/ once
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], env=env, cwd=instance, check=True)
        times.append(time.perf_counter() - start)
    return {"first_ever_ms": round(times[0] * 1000), **summary(times[1:])}


def one_size(backend: str, size: int, args, folder: Path, pg_url: str | None) -> dict:
    csv_path = folder / f"national-{size}.csv"
    if not csv_path.exists():
        generate.write(str(csv_path), size, 1, "native", None)
    result: dict = {"programs": size}
    with load.database(backend, folder, pg_url) as url:
        start = time.perf_counter()
        load.fill(url, csv_path, folder)
        result["load_seconds"] = round(time.perf_counter() - start, 1)
        app = load.bench_app(url, folder)
        api = paths({**SEARCHES, **EXTRA})
        html = paths(HTML, "/search")
        with app.app_context():
            pages = program_pages(app, 10)
        rounds = args.rounds
        pair = {"api, 25 mi (HTML pair)": api["25 mi, city"]}
        result["in_process"] = in_process(
            app, {**api, **html, "program page": pages, **pair}, rounds
        )
        env = {"DATABASE_URL": url, "FINDER_SECRET_KEY": SECRET, "WEB_CONCURRENCY": "2"}
        mix = [p for name in SEARCHES for p in api[name]]
        with serve.gunicorn("wsgi:app", env) as port:
            fetch = lambda path: serve.timed_get(port, path)  # noqa: E731
            result["http"] = time_all(
                fetch, {**api, **html, "program page": pages}, max(1, rounds // 2)
            )
            result["throughput"] = serve.throughput(port, mix, args.seconds)
            result["throughput_html"] = serve.throughput(
                port, html["results page, 25 mi"] + pages, args.seconds
            )
        with serve.gunicorn("bare:app", {"WEB_CONCURRENCY": "2"}, chdir=BENCH) as port:
            result["throughput_bare"] = serve.throughput(port, ["/"], args.seconds)
        result["cold_start"] = cold_start(url, folder, args.cold_runs)
        dispose(app)
    return result


REGION = (42.3647, -71.1042, 25.0, 400)  # 400 programs within 25 miles of Cambridge, MA
REGION_SEARCHES = {
    "region, 25 mi": (["02139"], "radius=25"),
    "region, 10 mi + payment": (["02139", "02114"], "radius=10&payment=medicaid"),
    "region, 25 mi, page 5": (["02139"], "radius=25&page=5"),
}


def dispose(app) -> None:
    with app.app_context():
        load.db.engine.dispose()


def region_growth(backend: str, sizes: list[int], args, folder: Path, pg_url: str | None) -> dict:
    """The same searches inside a region whose programs stay fixed while the rest of the
    country grows (bench/generate.py --region): the cost must follow the matches, not the size."""
    figures = {}
    for size in sizes:
        csv_path = folder / f"region-{size}.csv"
        if not csv_path.exists():
            generate.write(str(csv_path), size, 1, "native", REGION)
        with load.database(backend, folder, pg_url) as url:
            load.fill(url, csv_path, folder)
            app = load.bench_app(url, folder)
            timed = in_process(app, paths(REGION_SEARCHES), args.rounds * 3)
            figures[str(size)] = {name: timed[name] for name in REGION_SEARCHES}
            dispose(app)
    return figures


def parse_sizes(text: str) -> list[int]:
    scale = {"k": 1000, "m": 1_000_000}
    return [int(float(s[:-1]) * scale[s[-1]]) if s[-1] in scale else int(s) for s in
            text.lower().split(",")]  # fmt: skip


def machine() -> dict:
    info = {"cores": os.cpu_count(), "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version, "platform": platform.platform()}  # fmt: skip
    return info


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=parse_sizes, default=parse_sizes("10k,100k"))
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--rounds", type=int, default=6, help="passes over each query group")
    parser.add_argument("--seconds", type=float, default=8, help="each throughput run")
    parser.add_argument("--cold-runs", type=int, default=5)
    parser.add_argument(
        "--import-rows", type=int, help="rows to import (default: the largest size)"
    )
    parser.add_argument("--no-region", action="store_true", help="skip the fixed-region runs")
    parser.add_argument("--out", type=Path, default=BENCH / "results")
    args = parser.parse_args(argv)
    pg_url = os.environ.get("FINDER_BENCH_POSTGRES_URL") or os.environ.get(
        "FINDER_TEST_POSTGRES_URL"
    )
    backends = [b for b in args.backends.split(",") if b == "sqlite" or pg_url]
    started = time.time()
    results = {"machine": machine(), "command": " ".join(sys.argv), "runs": {}}
    with tempfile.TemporaryDirectory(prefix="finder-bench-") as tmp:
        folder = Path(tmp)
        for backend in backends:
            for size in args.sizes:
                print(f"{backend}, {size} programs ...", file=sys.stderr, flush=True)
                run = one_size(backend, size, args, folder, pg_url)
                results["runs"].setdefault(backend, {})[str(size)] = run
            if not args.no_region and len(args.sizes) > 1:
                print(f"{backend}, fixed region ...", file=sys.stderr, flush=True)
                region = region_growth(backend, args.sizes, args, folder, pg_url)
                results.setdefault("region", {})[backend] = region
            rows = args.import_rows or max(args.sizes)
            print(f"{backend}, importing {rows} rows ...", file=sys.stderr, flush=True)
            results.setdefault("import", {})[backend] = imports.measure(
                backend, rows, folder, pg_url
            )
    results["seconds"] = round(time.time() - started)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "latest.json").write_text(json.dumps(results, indent=1) + "\n")
    (args.out / "latest.md").write_text(report.markdown(results))
    print(report.markdown(results))
    return results


if __name__ == "__main__":
    main()
