"""gunicorn as production runs it (gunicorn.conf.py, wsgi:app): what its responses say."""

import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def gunicorn(tmp_path):
    """The base URL of gunicorn serving wsgi:app with gunicorn.conf.py on a free port."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FINDER_", "FLASK_"))}
    env.update(FINDER_SECRET_KEY="k" * 40, DATABASE_URL=f"sqlite:///{tmp_path / 'f.sqlite'}")
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "-b", "127.0.0.1:0"]
    server = subprocess.Popen(
        [*command, "wsgi:app"], cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True
    )
    try:
        for line in server.stderr:
            if match := re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", line):
                yield match.group(1)
                break
        else:
            pytest.fail("gunicorn did not start")
    finally:
        server.terminate()
        server.wait(timeout=30)
        server.stderr.close()


@pytest.mark.slow
def test_responses_name_no_server_software_and_isolate_the_window(gunicorn):
    with urllib.request.urlopen(gunicorn + "/static/finder.css", timeout=30) as response:
        assert response.status == 200
        headers = response.headers
    assert "gunicorn" not in headers.get("Server", "").lower()
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
