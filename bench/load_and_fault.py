"""Load and faults: gunicorn with several workers and the import worker on loopback, on a fresh
database, under mixed traffic, while

  (a) a large generated directory is imported over the old one by the CLI, and commits;
  (b) on PostgreSQL, the app's backends are killed (pg_terminate_backend, found by the
      application_name the web servers set), then the database is made unreachable for a few
      seconds (a loopback proxy of our own is cut) and comes back;
  (c) a second import is SIGKILLed while it writes.

    python bench/load_and_fault.py                       # 60 s on SQLite, then on PostgreSQL
    python bench/load_and_fault.py --seconds 15 --database sqlite --rows 5000

Checks: no gunicorn worker crashed or timed out, no 5xx but 503s during the outage, every
search answer lists programs of one generation of the directory (each file marks its names),
and the database holds the old directory or the new one, never a part. Prints requests served,
failures and the recovery time; exits 1 when a check fails. PostgreSQL is the server of
FINDER_TEST_POSTGRES_URL (a schema of our own, dropped at the end).
"""

import argparse
import collections
import csv
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from proxy import Proxy  # noqa: E402

POSTGRES_URL = os.environ.get(
    "FINDER_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
BIN = Path(sys.executable).parent
REGION = "42.3647,-71.1042,25,400"  # 400 programs around Cambridge, MA, whatever the size
MARK = re.compile(r" ~g(\d)$")
OUTAGE_SECONDS = 3
KEEP = os.environ.get("FINDER_LOAD_KEEP") == "1"  # keep the logs and files, to read them
GRACE_SECONDS = 10  # after the database is back: a request begun during the outage may end


def generation(name: str) -> int:
    found = MARK.search(name)
    return int(found.group(1)) if found else 1


def directories(rows: int, folder: Path) -> list[Path]:
    """Three generations of one generated directory: the same programs, names marked ~g2, ~g3."""
    first = folder / "g1.csv"
    subprocess.run(
        [sys.executable, ROOT / "bench" / "generate.py", str(rows), first, "--region", REGION],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    made = [first]
    for n in (2, 3):
        path = folder / f"g{n}.csv"
        with (
            open(first, newline="", encoding="utf-8") as src,
            open(path, "w", newline="", encoding="utf-8") as out,
        ):
            reader = csv.DictReader(src)
            writer = csv.DictWriter(out, reader.fieldnames)
            writer.writeheader()
            for row in reader:
                row["name"] = f"{row['name']} ~g{n}"
                writer.writerow(row)
        made.append(path)
    return made


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Load:
    """Threads sending searches (HTML and JSON), program pages and estimates until stopped."""

    def __init__(self, base: str, ids: list[str], threads: int):
        self.base, self.ids = base, ids
        self.results: list[tuple[float, str, int]] = []  # (time, kind, status)
        self.mixes = 0
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [
            threading.Thread(target=self._run, args=(random.Random(n),), daemon=True)
            for n in range(threads)
        ]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join()

    def _run(self, rng: random.Random) -> None:
        while not self.stopping.is_set():
            kind = rng.random()
            program = rng.choice(self.ids)
            if kind < 0.4:
                kind, request = "api-search", "/api/facilities?near=02139&radius=25&per_page=50"
            elif kind < 0.6:
                kind, request = "search", "/search?near=Cambridge,+MA&radius=25"
            elif kind < 0.8:
                kind, request = "program", f"/facilities/{program}"
            else:
                body = {
                    "start_date": time.strftime("%Y-%m-%d"),
                    "program": "outpatient",
                    "days": 90,
                    "household": {"size": 2, "annual_income": 30000, "state": "MA"},
                    "facility_id": program,
                }
                kind, request = (
                    "estimate",
                    urllib.request.Request(
                        self.base + "/api/estimate",
                        data=json.dumps(body).encode(),
                        headers={"Content-Type": "application/json"},
                    ),
                )
            if isinstance(request, str):
                request = self.base + request
            status, body = self._send(request)
            if kind == "api-search" and status == 200:
                names = [r["name"] for r in json.loads(body)["results"]]
                if len({generation(n) for n in names}) > 1:
                    with self.lock:
                        self.mixes += 1
            with self.lock:
                self.results.append((time.monotonic(), kind, status))

    @staticmethod
    def _send(request) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()
        except OSError:
            return 0, b""  # no answer at all: counted as a failure


def start(args: list, env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip


def flask(*args: str) -> list:
    return [BIN / "flask", "--app", "finder", *args]


def run_one(database: str, seconds: float, rows: int, files: list[Path], work: Path) -> bool:
    print(f"== {database}: {seconds:.0f} s of load, {rows:,} programs a generation")
    tag = uuid.uuid4().hex[:10]
    schema = None
    if database == "sqlite":
        url = f"sqlite:///{work / f'load-{tag}.sqlite'}"
    else:
        schema = f"finder_load_{tag}"
        admin = sa.create_engine(POSTGRES_URL)
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    engine = sa.create_engine(url)
    web_name = f"finder-load-web-{tag}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "FINDER_SECRET_KEY": "load-" + uuid.uuid4().hex * 2,
        "PYTHONUNBUFFERED": "1",
    }
    proxy = None
    procs: list[subprocess.Popen] = []
    ok = True
    try:
        subprocess.run(flask("init-db", "--empty"), cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        subprocess.run(flask("import", str(files[0])), cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        web_url = url
        if database == "postgresql":
            parts = sa.make_url(url)
            proxy = Proxy(parts.host, parts.port)
            web_url = parts.set(port=proxy.port).render_as_string(hide_password=False)
        options = {"hide_parameters": True}
        if database == "postgresql":
            options["connect_args"] = {"application_name": web_name}
        web_env = env | {
            "DATABASE_URL": web_url,
            "FINDER_SQLALCHEMY_ENGINE_OPTIONS": json.dumps(options),
        }
        port = free_port()
        web_log, worker_log = work / f"gunicorn-{tag}.log", work / f"worker-{tag}.log"
        gunicorn = start(
            [BIN / "gunicorn", "-c", "gunicorn.conf.py", "--workers", "4", "--timeout", "30",
             "--bind", f"127.0.0.1:{port}", "wsgi:app"], web_env, web_log,
        )  # fmt: skip
        procs.append(gunicorn)
        procs.append(start(flask("worker"), env, worker_log))
        base = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        with engine.connect() as conn:
            ids = conn.execute(sa.text("SELECT id FROM program WHERE id LIKE 'gen-r%'")).scalars()
            ids = list(ids)
        batches_before = _count(engine, "import_batch")

        load = Load(base, ids, threads=6)
        began = time.monotonic()
        load.start()
        windows = []  # (start, end) when 503s are allowed
        recovery = restored = None

        # (a) a whole new generation, imported while the load runs
        time.sleep(seconds * 0.05)
        imported = subprocess.run(flask("import", str(files[1])), cwd=ROOT, env=env,
                                  capture_output=True, text=True)  # fmt: skip
        ok &= _check("the import of generation 2 committed", imported.returncode == 0)
        after_import = time.monotonic()

        if database == "postgresql":
            # (b) the web servers' backends killed, then the database unreachable
            _sleep_until(began + seconds * 0.4)
            # A request whose backend dies answers 503 as soon as the kill lands, before this
            # statement returns: its window opens when the kill is sent.
            killing = time.monotonic()
            with engine.begin() as conn:
                killed = conn.scalar(
                    sa.text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        "WHERE application_name = :name"
                    ),
                    {"name": web_name},
                )
            windows.append((killing, time.monotonic() + 2))
            print(f"killed {killed} backends of the web servers")
            _sleep_until(began + seconds * 0.5)
            cut = time.monotonic()
            proxy.cut()
            time.sleep(OUTAGE_SECONDS)
            proxy.restore()
            restored = time.monotonic()
            windows.append((cut, restored + GRACE_SECONDS))
            while time.monotonic() < restored + 30:
                with load.lock:
                    good = [t for t, kind, s in load.results if t > restored and s == 200]
                if good:
                    recovery = min(good) - restored
                    break
                time.sleep(0.05)

        # (c) an import SIGKILLed while it writes: the database stays at generation 2
        _sleep_until(began + seconds * 0.65)
        killed_import = subprocess.Popen(
            flask("import", str(files[2])), cwd=ROOT, env=env, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, start_new_session=True,
        )  # fmt: skip
        for line in killed_import.stdout:
            if line.startswith("written "):
                break
        os.kill(killed_import.pid, signal.SIGKILL)
        killed_import.wait()
        print(f"import of generation 3 SIGKILLed at: {line.strip()}")

        _sleep_until(began + seconds)
        load.stop()
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=60)

        # the checks
        by_generation = _generations(engine)
        ok &= _check(
            "the database holds generation 2 whole (3 was killed)",
            by_generation == {2: rows},
            str(by_generation),
        )
        ok &= _check(
            "one import batch more (the killed one left none)",
            _count(engine, "import_batch") == batches_before + 1,
        )
        log = web_log.read_text()
        crashes = re.findall(r"WORKER TIMEOUT|Worker \(pid:\d+\) (?:exited|was sent)[^\n]*", log)
        ok &= _check("no gunicorn worker crashed or timed out", not crashes, "; ".join(crashes))
        ok &= _check("no search saw two generations at once", load.mixes == 0, f"{load.mixes}")
        statuses = collections.Counter(s for _, _, s in load.results)
        failures = [
            (t, kind, s)
            for t, kind, s in load.results
            if (s >= 500 or s == 0) and not (s == 503 and any(a <= t <= b for a, b in windows))
        ]
        outage = sum(1 for _, _, s in load.results if s == 503) - sum(
            1 for _, _, s in failures if s == 503
        )
        ok &= _check("no 5xx but 503s during the outage", not failures, str(failures[:5]))
        elapsed = time.monotonic() - began
        print(
            f"requests served: {len(load.results):,} in {elapsed:.0f} s "
            f"({len(load.results) / elapsed:.1f}/s); statuses {dict(sorted(statuses.items()))}; "
            f"failures {len(failures)}; 503s during the outage {outage}; "
            f"generation 2 import took {after_import - began - seconds * 0.05:.1f} s"
            + (f"; recovery after the outage {recovery:.2f} s" if recovery is not None else "")
        )
        if restored is not None:
            late = sum(1 for t, _, s in load.results if s == 503 and t > restored + 1)
            print(f"503s later than 1 s after the database was back: {late}")
        if database == "postgresql":
            ok &= _check("the app recovered by itself", recovery is not None)
    finally:
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=30)
        if proxy is not None:
            proxy.close()
        engine.dispose()
        if schema is not None:
            with admin.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    return ok


def _sleep_until(moment: float) -> None:
    time.sleep(max(0.0, moment - time.monotonic()))


def _count(engine, table: str) -> int:
    with engine.connect() as conn:
        return conn.scalar(sa.text(f"SELECT count(*) FROM {table}"))


def _generations(engine) -> dict[int, int]:
    with engine.connect() as conn:
        names = conn.execute(sa.text("SELECT name FROM program")).scalars()
        return dict(collections.Counter(generation(n) for n in names))


def _check(what: str, passed: bool, detail: str = "") -> bool:
    print(
        ("ok    " if passed else "FAILED ")
        + what
        + (f": {detail}" if detail and not passed else "")
    )
    return passed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--rows", type=int, default=20_000, help="programs a generation")
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    work = Path(tempfile.mkdtemp(prefix="finder-load-"))
    try:
        files = directories(args.rows, work)
        results = [run_one(db, args.seconds, args.rows, files, work) for db in databases]
    finally:
        if KEEP:
            print(f"logs and files kept in {work}")
        else:
            shutil.rmtree(work)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
