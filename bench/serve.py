"""gunicorn under load for the benchmark: start the app (or the bare endpoint) with the
project's gunicorn.conf.py, time requests one by one, and measure requests per second with wrk
(or, where wrk is missing, a pure-Python load generator of a few threads)."""

import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(app: str, env: dict, chdir: Path = ROOT):
    """gunicorn serving `app` ("wsgi:app", "bare:app") on a free port; yields the port."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
               "--bind", f"127.0.0.1:{port}", "--chdir", str(chdir), app]  # fmt: skip
    process = subprocess.Popen(
        command, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get(port, "/healthz" if app == "wsgi:app" else "/")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(process.stderr.read().decode()[-2000:]) from None
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def get(port: int, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def timed_get(port: int, path: str) -> float:
    start = time.perf_counter()
    status = get(port, path)
    elapsed = time.perf_counter() - start
    if status != 200:
        raise RuntimeError(f"{path} answered {status}")
    return elapsed


def throughput(port: int, paths: list[str], seconds: float, connections: int = 8) -> dict:
    """Requests per second and failures (non-2xx, socket errors) over `seconds`."""
    if shutil.which("wrk"):
        return _wrk(port, paths, seconds, connections)
    return _threads(port, paths, seconds, connections)


LUA = """
paths = {%s}
i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
"""


def _wrk(port: int, paths: list[str], seconds: float, connections: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA % ", ".join(f'"{p}"' for p in paths))
    try:
        out = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s",
             "-s", script.name,
             f"http://127.0.0.1:{port}"],  # fmt: skip
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    finally:
        os.unlink(script.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    failed = (int(non_2xx.group(1)) if non_2xx else 0) + (
        sum(int(n) for n in errors.groups()) if errors else 0
    )
    return {"rps": rps, "requests": total, "failed": failed, "tool": "wrk"}


def _threads(port: int, paths: list[str], seconds: float, connections: int) -> dict:
    counts = {"ok": 0, "failed": 0}
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker(offset: int) -> None:
        n = offset
        while time.monotonic() < stop:
            try:
                ok = get(port, paths[n % len(paths)]) == 200
            except OSError:
                ok = False
            with lock:
                counts["ok" if ok else "failed"] += 1
            n += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    total = counts["ok"] + counts["failed"]
    return {"rps": total / elapsed, "requests": total, "failed": counts["failed"], "tool": "python"}
