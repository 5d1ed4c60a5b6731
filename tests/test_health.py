"""/healthz: whether the database answers, with no cookie, and out of the access logs."""

import logging
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from finder import create_app
from finder.health import SkipHealthChecks

ROOT = Path(__file__).resolve().parents[1]


def test_healthz_is_ok_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200 and response.json == {"status": "ok"}
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:////nonexistent-folder/finder.sqlite",
        "postgresql+psycopg://postgres@127.0.0.1:9/finder?connect_timeout=5",  # nothing listens
    ],
    ids=["sqlite", "postgresql"],
)
def test_healthz_is_503_when_the_database_does_not_answer(url):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})

    response = app.test_client().get("/healthz")

    assert response.status_code == 503 and response.json == {"status": "unavailable"}
    assert "Set-Cookie" not in response.headers


def werkzeug_record(request_line: str) -> logging.LogRecord:
    return logging.LogRecord(
        "werkzeug", logging.INFO, __file__, 1, '%s - - [%s] "%s" %s %s',
        ("127.0.0.1", "now", request_line, "200", "-"), None,
    )  # fmt: skip


def gunicorn_record(path: str) -> logging.LogRecord:
    atoms = {"h": "127.0.0.1", "m": "GET", "U": path, "H": "HTTP/1.1", "s": "200"}
    return logging.LogRecord(
        "gunicorn.access", logging.INFO, __file__, 1, '%(h)s "%(m)s %(U)s %(H)s" %(s)s',
        (atoms,), None,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("record", "logged"),
    [
        (werkzeug_record("GET /healthz HTTP/1.1"), False),
        (werkzeug_record("HEAD /healthz?probe=1 HTTP/1.1"), False),
        (werkzeug_record("GET /healthzone HTTP/1.1"), True),
        (werkzeug_record("GET /search?near=02139 HTTP/1.1"), True),
        (gunicorn_record("/healthz"), False),
        (gunicorn_record("/"), True),
    ],
)
def test_the_access_logs_skip_health_checks(app, record, logged):
    assert SkipHealthChecks().filter(record) is logged
    for name in ("werkzeug", "gunicorn.access"):
        assert any(isinstance(f, SkipHealthChecks) for f in logging.getLogger(name).filters)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> bytes:
    """The body of a 2xx answer (anything else raises)."""
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


def wait_for(url: str) -> None:
    for _ in range(300):
        try:
            get(url)
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"nothing answered at {url}")


@pytest.mark.slow
def test_gunicorn_serves_healthz_and_logs_only_the_other_requests(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "FINDER_"))}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'finder.sqlite'}"
    flask = [sys.executable, "-m", "flask", "--app", "finder"]
    subprocess.run(
        [*flask, "init-db", "--empty"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", "2", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz")
        assert get(f"http://127.0.0.1:{port}/healthz") == b'{"status":"ok"}\n'
        assert b"1-800-662-4357" in get(f"http://127.0.0.1:{port}/")
    finally:
        server.terminate()
        log = server.communicate(timeout=30)[0]
    assert '"GET / HTTP/1.1" 200' in log
    assert "/healthz" not in log
