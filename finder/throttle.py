"""Count events per key in a sliding window, in storage every gunicorn worker shares.

The database holds the counts by default; Redis does when REDIS_URL is configured. Login
failures and problem reports are throttled through the same interface. Keys name an email or
an IP address, so they are stored only as keyed hashes.
"""

import datetime as dt
import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from flask import current_app
from sqlalchemy import delete, select

from .db import db
from .models import ThrottleHit, utcnow


class Store(Protocol):
    def add(self, key: str, at: dt.datetime, window: dt.timedelta) -> None: ...
    def since(self, key: str, start: dt.datetime) -> list[dt.datetime]: ...
    def clear(self, key: str) -> None: ...


class DatabaseStore:
    """One row per event in the login_failure table; every hit prunes expired rows."""

    RETENTION = dt.timedelta(days=1)  # longer than any window

    def add(self, key: str, at: dt.datetime, window: dt.timedelta) -> None:
        oldest = at - max(window, self.RETENTION)
        db.session.execute(delete(ThrottleHit).where(ThrottleHit.at < oldest))
        db.session.add(ThrottleHit(key=key, at=at))
        db.session.commit()

    def since(self, key: str, start: dt.datetime) -> list[dt.datetime]:
        stmt = select(ThrottleHit.at).where(ThrottleHit.key == key, ThrottleHit.at >= start)
        return sorted(db.session.scalars(stmt))

    def clear(self, key: str) -> None:
        db.session.execute(delete(ThrottleHit).where(ThrottleHit.key == key))
        db.session.commit()


class RedisStore:
    """A sorted set per key, scored by time, expiring with its window."""

    def __init__(self, client, prefix: str = "finder:throttle:"):
        self.client = client
        self.prefix = prefix

    def add(self, key: str, at: dt.datetime, window: dt.timedelta) -> None:
        name, score = self.prefix + key, _seconds(at)
        pipe = self.client.pipeline()
        pipe.zremrangebyscore(name, "-inf", f"({score - window.total_seconds()}")
        pipe.zadd(name, {uuid.uuid4().hex: score})
        pipe.expire(name, int(window.total_seconds()) + 1)
        pipe.execute()

    def since(self, key: str, start: dt.datetime) -> list[dt.datetime]:
        name = self.prefix + key
        scores = self.client.zrangebyscore(name, _seconds(start), "+inf", withscores=True)
        return [dt.datetime.fromtimestamp(s, dt.UTC).replace(tzinfo=None) for _, s in scores]

    def clear(self, key: str) -> None:
        self.client.delete(self.prefix + key)


def _seconds(at: dt.datetime) -> float:
    return at.replace(tzinfo=dt.UTC).timestamp()


@dataclass
class Throttle:
    """At most `limit` events per key within `window`; `clock` gives naive UTC times."""

    store: Store
    limit: int
    window: dt.timedelta
    secret: bytes = b""
    clock: Callable[[], dt.datetime] = utcnow

    def stored_key(self, key: str) -> str:
        digest = hashlib.blake2b(key.encode(), key=self.secret[:64], digest_size=20)
        return digest.hexdigest()

    def wait_seconds(self, *keys: str) -> int:
        """How long until every key is below its limit again (0: not throttled now)."""
        now = self.clock()
        wait = 0.0
        for key in keys:
            times = self.store.since(self.stored_key(key), now - self.window)
            if len(times) >= self.limit:
                frees_at = times[len(times) - self.limit] + self.window
                wait = max(wait, (frees_at - now).total_seconds())
        return int(-(-wait // 1))

    def hit(self, *keys: str) -> None:
        now = self.clock()
        for key in keys:
            self.store.add(self.stored_key(key), now, self.window)

    def reset(self, key: str) -> None:
        self.store.clear(self.stored_key(key))


def store() -> Store:
    """The app's shared store: Redis when REDIS_URL is set, else the database."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return DatabaseStore()
    cached = current_app.extensions.get("finder.throttle")
    if cached is None:
        import redis

        prefix = current_app.config.get("THROTTLE_KEY_PREFIX", "finder:throttle:")
        client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        cached = RedisStore(client, prefix)
        current_app.extensions["finder.throttle"] = cached
    return cached


def throttle(limit: int, window_seconds: int) -> Throttle:
    secret = hashlib.sha256(str(current_app.config["SECRET_KEY"]).encode()).digest()
    return Throttle(store(), limit, dt.timedelta(seconds=window_seconds), secret)
