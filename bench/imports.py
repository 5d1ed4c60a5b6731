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


def _run(command: list[str], env: dict) -> dict:
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        env={**os.environ, **env},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    error = process.stderr.read().decode(errors="replace")[-500:]
    process.stderr.close()
    process.returncode = os.waitstatus_to_exitcode(status)
    return {
        "seconds": round(seconds, 2),
        "peak_mb": round(usage.ru_maxrss / 1024),
        "ok": process.returncode == 0,
        **({} if process.returncode == 0 else {"error": error}),
    }


def cli(url: str, path: Path, *options: str) -> dict:
    env = {"DATABASE_URL": url, "FINDER_SECRET_KEY": SECRET, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "flask", "--app", "finder", "import", str(path), *options]
    return _run(command, env)


def baseline(url: str, path: Path) -> dict:
    return _run([sys.executable, str(BENCH / "imports.py"), "baseline", url, str(path)], {})


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
            figures["dry_run"] = cli(url, path, "--dry-run")
            figures["apply"] = cli(url, path)
        with load.database(backend, folder, pg_url) as url:
            figures["baseline"] = baseline(url, path)
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
