"""Login throttling: locks per account and address and per address, only a slowdown per
account; counted atomically in the database or in Redis."""

import datetime as dt
import os
import socket
import threading
import time
import uuid

import pytest
from sqlalchemy import func, select
from test_admin import EMAIL, hidden_fields, log_in, make_admin
from test_reports import reports

import finder.auth
from finder.db import db
from finder.models import ThrottleHit
from finder.throttle import DatabaseStore, RedisStore, Throttle

REDIS_URL = os.environ.get("FINDER_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
WRONG = "not the password at all"


def client_at(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def fail(client, times: int, email: str = EMAIL):
    for _ in range(times):
        response = log_in(client, email=email, password=WRONG)
        assert "Email or password is incorrect." in response.text


def age_failures(app, delta: dt.timedelta) -> None:
    """Move every stored failure back in time (in Python: SQLite has no datetime arithmetic)."""
    with app.app_context():
        for failure in db.session.scalars(select(ThrottleHit)):
            failure.at -= delta
        db.session.commit()


def test_five_failures_refuse_even_the_right_password(app, client):
    make_admin(app)
    fail(client, 5)
    response = log_in(client)
    assert response.status_code == 429
    assert "Too many attempts; try again in 15 minutes." in response.text
    assert client.get("/admin/").location.startswith("/admin/login")


def test_four_failures_still_let_the_admin_in(app, client):
    make_admin(app)
    fail(client, 4)
    assert log_in(client).location == "/admin/"


@pytest.fixture
def pauses(monkeypatch):
    """The slowdowns asked for, in seconds (without waiting for them)."""
    asked = []
    monkeypatch.setattr(finder.auth, "slow_down", asked.append)
    return asked


def test_failures_elsewhere_slow_the_account_down_but_never_lock_it(app, pauses):
    make_admin(app)
    for n in range(8):
        fail(client_at(app, f"192.0.2.{n}"), 1, email=EMAIL.upper())
    assert pauses == [2, 2, 2]  # from the 6th failure on, each attempt waits
    assert log_in(client_at(app, "198.51.100.7")).location == "/admin/"
    assert pauses == [2, 2, 2, 2]
    assert log_in(client_at(app, "198.51.100.7")).location == "/admin/"
    assert pauses == [2, 2, 2, 2]  # the success cleared the account's count


def test_five_failures_from_one_address_do_not_lock_the_admin_out_of_another(app, pauses):
    make_admin(app)
    attacker = client_at(app, "192.0.2.1")
    fail(attacker, 5)
    assert log_in(attacker).status_code == 429
    assert log_in(client_at(app, "198.51.100.7")).location == "/admin/"


def test_the_address_is_throttled_whatever_the_account(app):
    make_admin(app)
    guesser = client_at(app, "192.0.2.1")
    for n in range(20):
        fail(guesser, 1, email=f"someone{n}@example.org")
    assert log_in(guesser).status_code == 429
    assert log_in(client_at(app, "198.51.100.7")).location == "/admin/"


def wrong_passwords_in_parallel(app, monkeypatch, attempts: int = 20) -> tuple[list, list]:
    """`attempts` wrong passwords for one account from one address, all at once; returns
    the password checks made and the status codes answered."""
    checked, statuses = [], []
    real_check = finder.auth.check_password_hash

    def slow_check(stored, password):
        checked.append(password)
        time.sleep(0.05)  # widen the window between counting and checking
        return real_check(stored, password)

    monkeypatch.setattr(finder.auth, "check_password_hash", slow_check)
    page = hidden_fields(app.test_client().get("/admin/login").text)
    start = threading.Barrier(attempts)

    def attempt():
        data = {**page, "email": EMAIL, "password": WRONG}
        client = client_at(app, "192.0.2.50")
        start.wait()
        statuses.append(client.post("/admin/login", data=data).status_code)

    threads = [threading.Thread(target=attempt) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return checked, statuses


def test_twenty_parallel_wrong_passwords_get_five_checks(app, monkeypatch):
    make_admin(app)
    checked, statuses = wrong_passwords_in_parallel(app, monkeypatch)
    assert len(checked) == 5
    assert sorted(statuses) == [200] * 5 + [429] * 15


def test_twenty_parallel_wrong_passwords_get_five_checks_with_redis(app, monkeypatch, redis_client):
    redis, prefix = redis_client
    app.config.update(REDIS_URL=REDIS_URL, THROTTLE_KEY_PREFIX=prefix)
    make_admin(app)
    checked, statuses = wrong_passwords_in_parallel(app, monkeypatch)
    assert len(checked) == 5
    assert sorted(statuses) == [200] * 5 + [429] * 15


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_with_redis_down_login_and_reports_answer_503(app, client, add_program):
    pytest.importorskip("redis")
    app.config["REDIS_URL"] = f"redis://127.0.0.1:{closed_port()}/0"
    make_admin(app)
    response = log_in(client)
    assert response.status_code == 503
    assert "try again in a few minutes" in response.text
    assert "Set-Cookie" not in response.headers
    program_id = add_program()
    page = client.get(f"/facilities/{program_id}/report")
    data = {**hidden_fields(page.text), "kind": "closed"}
    report = client.post(f"/facilities/{program_id}/report", data=data)
    assert report.status_code == 503 and "try again in a few minutes" in report.text
    assert reports(app) == []


def test_a_success_resets_the_accounts_count(app):
    make_admin(app)
    first, second = client_at(app, "192.0.2.1"), client_at(app, "192.0.2.2")
    fail(first, 4)
    assert log_in(first).location == "/admin/"
    fail(second, 4)  # 8 failures for the account, but only 4 since the success
    assert log_in(second).location == "/admin/"


def test_the_refusal_ends_when_the_window_passes(app, client):
    make_admin(app)
    fail(client, 5)
    assert log_in(client).status_code == 429
    age_failures(app, dt.timedelta(minutes=14, seconds=50))
    assert "try again in 1 minute." in log_in(client).text
    age_failures(app, dt.timedelta(seconds=10))
    assert log_in(client).location == "/admin/"


def test_the_message_counts_down_the_minutes(app, client):
    make_admin(app)
    fail(client, 5)
    age_failures(app, dt.timedelta(minutes=13, seconds=30))
    assert "try again in 2 minutes." in log_in(client).text


def test_failures_are_stored_in_the_database_without_emails_or_addresses(app, client):
    make_admin(app)
    fail(client, 2)
    with app.app_context():
        keys = db.session.scalars(select(ThrottleHit.key)).all()
    # account and address, address, account: twice each
    assert len(keys) == 6 and len(set(keys)) == 3
    assert not any("example.org" in key or "127.0.0.1" in key for key in keys)


def test_stored_failures_are_forgotten_after_a_day(app, client):
    make_admin(app)
    fail(client, 1, email="someone@example.org")
    age_failures(app, dt.timedelta(days=1, seconds=1))
    fail(client, 1, email="someone.else@example.org")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ThrottleHit)) == 3


@pytest.fixture
def redis_client():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as exc:
        if os.environ.get("FINDER_REQUIRE_SERVICES") == "1":
            pytest.fail(f"Redis is required (FINDER_REQUIRE_SERVICES=1) but {exc}")
        pytest.skip(f"Redis not available: {exc}")
    prefix = f"finder-test:{uuid.uuid4().hex}:"
    yield client, prefix
    for key in client.scan_iter(match=prefix + "*"):
        client.delete(key)
    client.close()


def test_with_redis_configured_failures_are_counted_in_redis(app, client, redis_client):
    redis, prefix = redis_client
    app.config.update(REDIS_URL=REDIS_URL, THROTTLE_KEY_PREFIX=prefix)
    make_admin(app)
    fail(client, 5)
    assert log_in(client).status_code == 429
    keys = list(redis.scan_iter(match=prefix + "*"))
    assert len(keys) == 3  # account and address, address, account: as keyed hashes
    assert [redis.zcard(key) for key in keys] == [5, 5, 5]
    assert all(0 < redis.ttl(key) <= 15 * 60 + 1 for key in keys)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ThrottleHit)) == 0


class Clock:
    def __init__(self):
        self.now = dt.datetime(2026, 3, 1, 12, 0)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture(params=["database", "redis"])
def store(request, app):
    if request.param == "redis":
        redis, prefix = request.getfixturevalue("redis_client")
        yield RedisStore(redis, prefix)
        return
    with app.app_context():
        yield DatabaseStore()


def test_a_store_counts_within_a_sliding_window(store):
    clock = Clock()
    throttle = Throttle(store, limit=3, window=dt.timedelta(minutes=10), clock=clock)
    for minutes in (0, 2, 4):
        clock.now = dt.datetime(2026, 3, 1, 12, minutes)
        assert throttle.wait_seconds("k") == 0
        throttle.hit("k")
    assert throttle.wait_seconds("k") == 6 * 60  # the 12:00 hit leaves the window at 12:10
    assert throttle.wait_seconds("other") == 0
    clock.now = dt.datetime(2026, 3, 1, 12, 10)
    assert throttle.wait_seconds("k") == 0
    throttle.hit("k")
    assert throttle.wait_seconds("k") == 2 * 60
    throttle.reset("k")
    assert throttle.wait_seconds("k") == 0


def test_a_store_reserves_up_to_the_limit_and_a_release_frees_a_place(store):
    clock = Clock()
    throttle = Throttle(store, limit=2, window=dt.timedelta(minutes=10), clock=clock)
    first = throttle.reserve("k")
    clock.now = dt.datetime(2026, 3, 1, 12, 3)
    second = throttle.reserve("k")
    assert (first.wait_seconds, second.wait_seconds) == (0, 0)
    assert throttle.reserve("k").wait_seconds == 7 * 60  # refused: nothing counted
    assert throttle.reserve("other").wait_seconds == 0
    second.release()
    assert throttle.reserve("k").wait_seconds == 0
    assert throttle.reserve("k").wait_seconds == 7 * 60
    clock.now = dt.datetime(2026, 3, 1, 12, 10)
    assert throttle.reserve("k").wait_seconds == 0  # the 12:00 attempt left the window
