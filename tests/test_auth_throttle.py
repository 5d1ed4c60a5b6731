"""Login throttling per account and per client, in the database or in Redis."""

import datetime as dt
import os
import uuid

import pytest
from sqlalchemy import func, select
from test_admin import EMAIL, log_in, make_admin

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


def test_the_account_is_throttled_whatever_the_client(app):
    make_admin(app)
    for n in range(5):
        fail(client_at(app, f"192.0.2.{n}"), 1, email=EMAIL.upper())
    response = log_in(client_at(app, "198.51.100.7"))
    assert response.status_code == 429


def test_the_client_is_throttled_whatever_the_account(app):
    make_admin(app)
    guesser = client_at(app, "192.0.2.1")
    for n in range(5):
        fail(guesser, 1, email=f"someone{n}@example.org")
    assert log_in(guesser).status_code == 429
    assert log_in(client_at(app, "198.51.100.7")).location == "/admin/"


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
    assert len(keys) == 4 and len(set(keys)) == 2  # the account and the client, twice each
    assert not any("example.org" in key or "127.0.0.1" in key for key in keys)


def test_stored_failures_are_forgotten_after_a_day(app, client):
    make_admin(app)
    fail(client, 1, email="someone@example.org")
    age_failures(app, dt.timedelta(days=1, seconds=1))
    fail(client, 1, email="someone.else@example.org")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ThrottleHit)) == 2


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
    assert len(keys) == 2  # the account and the client, stored as keyed hashes
    assert [redis.zcard(key) for key in keys] == [5, 5]
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
