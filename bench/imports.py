"""Import speed: the importer's public entry (`flask --app finder import FILE`, dry run and
apply) on a fresh database, beside a bare baseline in the same run: a csv reader and one
executemany into a flat table of text columns. Each runs in a process of its own, so that its
peak memory (ru_maxrss) is its own.

    python bench/imports.py baseline DATABASE_URL FILE    # the baseline alone
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


def measure(backend: str, rows: int, folder: Path, pg_url: str | None) -> dict:
    """Rows per second and peak memory for the native layout and SAMHSA's, dry run and apply."""
    import generate
    import load

    results = {"rows": rows}
    layouts = [("native", rows), ("samhsa", min(rows, 100_000))]
    for layout, count in layouts:
        path = folder / f"import-{layout}-{count}.csv"
        if not path.exists():
            generate.write(str(path), count, 2, layout, None)
        figures = {"rows": count}
        with load.database(backend, folder, pg_url) as url:
            cli(url, folder, "db", "upgrade")  # a dry run needs a schema to compare with
            figures["dry_run"] = cli(url, folder, "import", str(path), "--dry-run")
            figures["apply"] = cli(url, folder, "import", str(path))
        with load.database(backend, folder, pg_url) as url:
            figures["baseline"] = baseline(url, path, folder)
        for step in ("dry_run", "apply", "baseline"):
            if figures[step]["ok"]:
                figures[step]["rows_per_s"] = round(count / figures[step]["seconds"])
        results[layout] = figures
    return results


def _baseline_main(url: str, path: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = list(reader)
    columns = ", ".join(f"c{i} TEXT" for i in range(len(header)))
    marks = ", ".join(["%s" if engine.dialect.name == "postgresql" else "?"] * len(header))
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE TABLE bench_flat ({columns})")
        conn.exec_driver_sql(f"INSERT INTO bench_flat VALUES ({marks})", [tuple(r) for r in rows])
    engine.dispose()


if __name__ == "__main__":
    if sys.argv[1:2] == ["baseline"]:
        _baseline_main(sys.argv[2], sys.argv[3])
