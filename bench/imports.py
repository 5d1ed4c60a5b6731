"""Import speed: the importer's public entry (`flask --app finder import FILE`) beside a bare
baseline in the same run: a csv reader and one executemany into a flat table of text columns
(the reader streams into the driver's executemany, so that the baseline's memory stays flat
too). Each runs in a process of its own, so that its peak memory (VmHWM) is its own.

measure() times, for our format at min(rows, 100k) rows and SAMHSA's at min(rows, 100k): a dry
run on an empty directory, the apply, and a dry run of the same file again over the full
directory (every program compared, none changed); and when rows is above 100k, our format at
`rows` (the 1M file: peak memory under MAX_PEAK_MB) apply and dry run the same way.

    python bench/imports.py baseline DATABASE_URL FILE    # the baseline alone
    python bench/imports.py measure sqlite 100000 /tmp/folder [POSTGRES_URL]   # one backend
"""

import csv
import os
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SECRET = "bench-" + "i" * 58


# Runs a module as `python -m` would, then writes its peak resident memory (VmHWM: this
# process's own, not the forked benchmark's that ru_maxrss would report) to PEAK_FILE.
PEAK = """
import atexit, os, runpy, sys
def peak():
    with open('/proc/self/status') as f:
        kb = next(line.split()[1] for line in f if line.startswith('VmHWM'))
    with open(os.environ['PEAK_FILE'], 'w') as f:
        f.write(kb)
atexit.register(peak)
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name='__main__') if sys.argv[0].endswith('.py') else \
    runpy.run_module(sys.argv[0], run_name='__main__', alter_sys=True)
"""


def _run(arguments: list[str], env: dict, folder: Path) -> dict:
    peak_file = folder / "peak.txt"
    peak_file.unlink(missing_ok=True)
    start = time.perf_counter()
    process = subprocess.run(
        [sys.executable, "-c", PEAK, *arguments],
        env={**os.environ, **env, "PEAK_FILE": str(peak_file)},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    seconds = time.perf_counter() - start
    ok = process.returncode == 0
    peak = int(peak_file.read_text()) // 1024 if peak_file.exists() else None
    return {
        "seconds": round(seconds, 2),
        "peak_mb": peak,
        "ok": ok,
        **({} if ok else {"error": process.stderr.decode(errors="replace")[-500:]}),
    }


def cli(url: str, folder: Path, *arguments: str) -> dict:
    env = {"DATABASE_URL": url, "FINDER_SECRET_KEY": SECRET, "PYTHONPATH": str(ROOT)}
    return _run(["flask", "--app", "finder", *arguments], env, folder)


def baseline(url: str, path: Path, folder: Path) -> dict:
    return _run([str(BENCH / "imports.py"), "baseline", url, str(path)], {}, folder)


SMALL = 100_000  # rows of the rows-per-second targets
MAX_PEAK_MB = 300  # the large native file's target
FLOORS = {"native": 25_000, "samhsa": 10_000}  # rows per second applied


def measure(backend: str, rows: int, folder: Path, pg_url: str | None) -> dict:
    """Rows per second and peak memory for the native layout and SAMHSA's (dry run, apply,
    dry run again over the applied directory), and for the native layout at `rows` when that
    is more than SMALL."""
    results = {"rows": rows}
    runs = [("native", min(rows, SMALL)), ("samhsa", min(rows, SMALL))]
    if rows > SMALL:
        runs.append(("native_large", rows))
    for name, count in runs:
        results[name] = one(backend, name.split("_")[0], count, folder, pg_url)
    return results


def one(backend: str, layout: str, count: int, folder: Path, pg_url: str | None) -> dict:
    import generate
    import load

    path = folder / f"import-{layout}-{count}.csv"
    if not path.exists():
        generate.write(str(path), count, 2, layout, None)
    figures = {"rows": count}
    with load.database(backend, folder, pg_url) as url:
        cli(url, folder, "db", "upgrade")  # a dry run needs a schema to compare with
        figures["dry_run"] = cli(url, folder, "import", str(path), "--dry-run")
        figures["apply"] = cli(url, folder, "import", str(path))
        figures["dry_run_again"] = cli(url, folder, "import", str(path), "--dry-run")
    with load.database(backend, folder, pg_url) as url:
        figures["baseline"] = baseline(url, path, folder)
    for step in ("dry_run", "apply", "dry_run_again", "baseline"):
        if figures[step]["ok"]:
            figures[step]["rows_per_s"] = round(count / figures[step]["seconds"])
    return figures


def targets(figures_by_layout: dict) -> list[tuple[str, str, bool]]:
    """(target, figure, met) rows for the report."""
    out = []
    for name in ("native", "samhsa", "native_large"):
        figures = figures_by_layout.get(name)
        if figures is None:
            continue
        layout = name.split("_")[0]
        applied = figures["apply"].get("rows_per_s")
        base = figures["baseline"].get("rows_per_s")
        ratio = f"{base / applied:.1f}x" if applied and base else "–"
        again = figures.get("dry_run_again", {}).get("rows_per_s")
        figure = (
            f"{applied or 'failed'} rows/s (dry run {figures['dry_run'].get('rows_per_s')}, "
            f"again over the full directory {again}), baseline {base}: it takes {ratio} the "
            f"baseline's time; peak {figures['apply']['peak_mb']} MB "
            f"(dry run again {figures.get('dry_run_again', {}).get('peak_mb')}, "
            f"baseline {figures['baseline']['peak_mb']})"
        )
        if name == "native_large":
            peak = max(figures[s]["peak_mb"] or 0 for s in ("dry_run", "apply", "dry_run_again"))
            out.append((f"import native, {figures['rows']:,} rows: peak < {MAX_PEAK_MB} MB",
                        figure, bool(figures["apply"]["ok"] and peak < MAX_PEAK_MB)))  # fmt: skip
        else:
            floor = FLOORS[layout]
            out.append((f"import {layout} ≥ {floor:,} rows/s applied ({figures['rows']:,} rows)",
                        figure, bool(applied and applied >= floor)))  # fmt: skip
    return out


def _baseline_main(url: str, path: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        columns = ", ".join(f"c{i} TEXT" for i in range(len(header)))
        marks = ", ".join(["%s" if engine.dialect.name == "postgresql" else "?"] * len(header))
        with engine.begin() as conn:
            conn.exec_driver_sql(f"CREATE TABLE bench_flat ({columns})")
            cursor = conn.connection.dbapi_connection.cursor()
            cursor.executemany(f"INSERT INTO bench_flat VALUES ({marks})", map(tuple, reader))
    engine.dispose()


if __name__ == "__main__":
    if sys.argv[1:2] == ["baseline"]:
        _baseline_main(sys.argv[2], sys.argv[3])
    elif sys.argv[1:2] == ["measure"]:
        import json

        sys.path.insert(0, str(BENCH))
        found = measure(
            sys.argv[2], int(sys.argv[3]), Path(sys.argv[4]), (sys.argv[5:6] or [None])[0]
        )
        print(json.dumps(found, indent=1))
        for row in targets(found):
            print(" | ".join(str(v) for v in row))
