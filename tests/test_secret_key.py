"""No known key ever signs a session: a configured key, or one generated once per instance."""

import os
import stat
import threading
import time

import pytest
from test_admin import cookie_signed_with, make_admin

from finder import create_app


def test_without_a_configured_key_one_is_generated_and_kept_private(make_app, tmp_path):
    key_file = tmp_path / "instance" / "secret_key"
    key_file.parent.mkdir()
    first = make_app(SECRET_KEY=None, SECRET_KEY_FILE=str(key_file))
    second = make_app(SECRET_KEY=None, SECRET_KEY_FILE=str(key_file))

    assert first.secret_key not in (None, "", "dev")
    assert len(first.secret_key) >= 32
    assert second.secret_key == first.secret_key == key_file.read_text().strip()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert sorted(p.name for p in key_file.parent.iterdir()) == ["secret_key"]


def test_a_cookie_signed_with_dev_is_refused(make_app, tmp_path):
    app = make_app(SECRET_KEY=None, SECRET_KEY_FILE=str(tmp_path / "secret_key"))
    make_admin(app)
    now = int(time.time())
    forged = {"admin_id": 1, "generation": 0, "login_at": now, "seen_at": now}
    client = app.test_client()
    client.set_cookie("session", cookie_signed_with("dev", forged))
    for url in ("/admin/", "/admin/export.csv", "/admin/reports"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.location.startswith("/admin/login"), url


def test_workers_starting_together_share_one_key(tmp_path):
    from finder.secret_key import instance_key

    path = tmp_path / "secret_key"
    start = threading.Barrier(16)
    keys = []

    def worker():
        start.wait()
        keys.append(instance_key(path))

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(keys) == 16 and len(set(keys)) == 1
    assert keys[0] == path.read_text().strip()
    assert os.listdir(tmp_path) == ["secret_key"]  # no temporary file left behind


def test_an_unusable_key_file_is_refused_not_used(tmp_path):
    from finder.secret_key import instance_key

    path = tmp_path / "secret_key"
    path.write_text("dev\n")
    with pytest.raises(RuntimeError, match="delete it"):
        instance_key(path)


@pytest.mark.parametrize("key", ["dev", "changeme", "x" * 31, "12345678901234567890123456789012"])
def test_a_guessable_configured_key_is_refused(monkeypatch, tmp_path, key):
    monkeypatch.setenv("FINDER_SECRET_KEY", key)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'finder.sqlite'}")
    with pytest.raises(RuntimeError, match="at least 32 characters"):
        create_app()


def test_a_long_random_configured_key_is_used(monkeypatch, tmp_path):
    monkeypatch.setenv("FINDER_SECRET_KEY", "k" * 20 + "3Fq9-zT2_bLw8xRv0nYs")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'finder.sqlite'}")
    assert create_app().secret_key == "k" * 20 + "3Fq9-zT2_bLw8xRv0nYs"
