"""gunicorn as production runs it (gunicorn.conf.py, wsgi:app): what its responses say."""

import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def gunicorn(tmp_path):
    """The base URL of gunicorn serving wsgi:app with gunicorn.conf.py on a free port. Its log
    goes to a file, never a pipe nobody reads; at the end it gets gunicorn's own graceful
    timeout (30 s) and more before it is killed: a loaded CI machine is slow to stop it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FINDER_", "FLASK_"))}
    env.update(FINDER_SECRET_KEY="k" * 40, DATABASE_URL=f"sqlite:///{tmp_path / 'f.sqlite'}")
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "-b", "127.0.0.1:0"]
    log = tmp_path / "gunicorn.log"
    with log.open("w") as stderr:
        server = subprocess.Popen([*command, "wsgi:app"], cwd=ROOT, env=env, stderr=stderr)
    try:
        deadline = time.monotonic() + 120
        while not (match := re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", log.read_text())):
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail("gunicorn did not start:\n" + log.read_text()[-2000:])
            time.sleep(0.1)
        yield match.group(1)
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
            pytest.fail("gunicorn did not stop within 60 s of SIGTERM:\n" + log.read_text()[-2000:])


@pytest.mark.slow
def test_responses_name_no_server_software_and_isolate_the_window(gunicorn):
    with urllib.request.urlopen(gunicorn + "/static/finder.css", timeout=30) as response:
        assert response.status == 200
        headers = response.headers
    assert "gunicorn" not in headers.get("Server", "").lower()
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
