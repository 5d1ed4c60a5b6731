"""CPU time per request under gunicorn: bench/bare.py's constant JSON beside the search mix
of bench/run.py, served by one or more finder checkouts (before and after a change),
interleaved round by round. Each server runs with the project's gunicorn.conf.py (2 workers);
its CPU is read from /proc (master and workers, utime + stime) around a load of `--seconds`,
and the load generator's own CPU (bench/serve.py's threads, this process) beside it.

On a shared machine requests per second move with the neighbours' load; CPU per request
does not, and under saturation the throughput ratio is about the inverse ratio of CPU per
request (server plus load generator).

    python bench/cpu_per_request.py --url sqlite:////tmp/tput/bench.sqlite \
        --seconds 4 --rounds 3 /work/main /work/wt-tput

The database is one bench/load.py made (see docs/search-speed.md, "Throughput"). Linux only.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import run  # noqa: E402
import serve  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def start(app: str, chdir: Path, env: dict) -> tuple[subprocess.Popen, int]:
    port = serve.free_port()
    command = [sys.executable, "-m", "gunicorn", "-c", str(serve.ROOT / "gunicorn.conf.py"),
               "--bind", f"127.0.0.1:{port}", "--chdir", str(chdir), app]  # fmt: skip
    # Started in the checkout: `python -m` puts the working directory first on sys.path, so
    # started elsewhere in a checkout, every server would import that checkout's finder.
    process = subprocess.Popen(command, cwd=chdir, env={**os.environ, **env},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 60
    while True:
        try:
            serve.get(port, "/healthz" if app == "wsgi:app" else "/")
            return process, port
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"{app} in {chdir} did not start") from None
            time.sleep(0.1)


def cpu_seconds(master: int) -> float:
    workers = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True)
    total = 0
    for pid in [str(master), *workers.stdout.split()]:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / TICK


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("roots", nargs="+", type=Path, help="finder checkouts to serve")
    parser.add_argument("--url", required=True, help="the directory's database URL")
    parser.add_argument("--seconds", type=float, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    api = run.paths(run.SEARCHES)
    mix = [p for name in run.SEARCHES for p in api[name]]
    env = {"DATABASE_URL": args.url, "FINDER_SECRET_KEY": run.SECRET, "WEB_CONCURRENCY": "2"}
    servers = {"bare": (*start("bare:app", BENCH, {"WEB_CONCURRENCY": "2"}), ["/"])}
    try:
        for root in args.roots:
            servers[str(root)] = (*start("wsgi:app", root, {**env, "PYTHONPATH": str(root)}), mix)
        for _, port, paths in servers.values():
            serve.throughput(port, paths, 1)
        figures: dict[str, list] = {name: [] for name in servers}
        for i in range(args.rounds):
            names = list(servers)[1:]
            for name in ["bare", *(names if i % 2 == 0 else names[::-1])]:
                process, port, paths = servers[name]
                server, client = cpu_seconds(process.pid), time.process_time()
                result = serve.throughput(port, paths, args.seconds)
                server = (cpu_seconds(process.pid) - server) * 1000 / result["requests"]
                client = (time.process_time() - client) * 1000 / result["requests"]
                figures[name].append((server, client, result["rps"], result["failed"]))
                print(f"round {i} {name}: {result['rps']:.0f} rps, {result['failed']} failed, "
                      f"server {server:.3f} ms CPU/request, load generator {client:.3f}",
                      flush=True)  # fmt: skip
    finally:
        for process, _, _ in servers.values():
            process.terminate()
            process.wait(timeout=30)
    bare_total = sum(statistics.median(f[k] for f in figures["bare"]) for k in (0, 1))
    summary = {}
    for name, rows in figures.items():
        server = statistics.median(r[0] for r in rows)
        client = statistics.median(r[1] for r in rows)
        summary[name] = {
            "server_ms": round(server, 3), "generator_ms": round(client, 3),
            "bare_over_this": round(bare_total / (server + client), 4),
            "rps": round(statistics.median(r[2] for r in rows)),
            "failed": sum(r[3] for r in rows),
        }  # fmt: skip
        print(f"{name}: server {server:.3f} ms CPU/request, load generator {client:.3f}; "
              f"bare's CPU per request / this {bare_total / (server + client):.1%}; "
              f"{summary[name]['rps']} rps (median), {summary[name]['failed']} failed")  # fmt: skip
    return summary


if __name__ == "__main__":
    main()
