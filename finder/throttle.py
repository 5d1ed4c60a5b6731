"""Count events per key in a sliding window, in storage every gunicorn worker shares.

The database holds the counts by default; Redis does when REDIS_URL is configured. Login
failures and problem reports are throttled through the same interface. Keys name an email or
an IP address, so they are stored only as keyed hashes.

A guarded attempt is counted before it is made (`reserve`): counting and adding are one atomic
step per key, so parallel requests cannot all slip under the limit before any is counted.
"""

import datetime as dt
import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from flask import current_app
from sqlalchemy import delete, func, select
from werkzeug.exceptions import ServiceUnavailable

from .db import db
from .models import ThrottleHit, utcnow


class StoreUnavailable(ServiceUnavailable):
    description = (
        "This form cannot be sent right now: a service it depends on is not answering. "
        "Please try again in a few minutes."
    )


class Store(Protocol):
    def reserve(
        self, key: str, at: dt.datetime, window: dt.timedelta, limit: int
    ) -> tuple[str | None, list[dt.datetime]]:
        """Atomically: count the key's events within the window and add one at `at` unless
        there are `limit` already. Returns (the new event's id or None, the counted times)."""

    def release(self, key: str, event: str) -> None: ...
    def add(self, key: str, at: dt.datetime, window: dt.timedelta) -> None: ...
    def since(self, key: str, start: dt.datetime) -> list[dt.datetime]: ...
    def clear(self, key: str) -> None: ...


class DatabaseStore:
    """One row per event in the throttle_hit table; every write prunes expired rows."""

    RETENTION = dt.timedelta(days=1)  # longer than any window

    def reserve(self, key, at, window, limit):
        self._lock(key)
        self._prune(at, window)
        times = self.since(key, at - window)
        if len(times) >= limit:
            db.session.commit()
            return None, times
        hit = ThrottleHit(key=key, at=at)
        db.session.add(hit)
        db.session.flush()
        event = str(hit.id)
        db.session.commit()
        return event, [*times, at]

    def release(self, key: str, event: str) -> None:
        db.session.execute(
            delete(ThrottleHit).where(ThrottleHit.key == key, ThrottleHit.id == int(event))
        )
        db.session.commit()

    def add(self, key: str, at: dt.datetime, window: dt.timedelta) -> None:
        self._prune(at, window)
        db.session.add(ThrottleHit(key=key, at=at))
        db.session.commit()

    def since(self, key: str, start: dt.datetime) -> list[dt.datetime]:
        stmt = select(ThrottleHit.at).where(ThrottleHit.key == key, ThrottleHit.at >= start)
        return sorted(db.session.scalars(stmt))

    def clear(self, key: str) -> None:
        db.session.execute(delete(ThrottleHit).where(ThrottleHit.key == key))
        db.session.commit()

    def _lock(self, key: str) -> None:
        """Hold the key until commit. PostgreSQL: a transaction-level advisory lock on the
        key's hash. SQLite: the DELETE of _prune, the transaction's first write, takes the
        database's write lock until commit."""
        if db.session.get_bind().dialect.name == "postgresql":
            digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
            lock_id = int.from_bytes(digest, "big", signed=True)
            db.session.execute(select(func.pg_advisory_xact_lock(lock_id)))

    def _prune(self, at: dt.datetime, window: dt.timedelta) -> None:
        oldest = at - max(window, self.RETENTION)
        db.session.execute(delete(ThrottleHit).where(ThrottleHit.at < oldest))


# KEYS[1]: the sorted set; ARGV: now (seconds), window (seconds), limit, a new member.
_RESERVE = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. (ARGV[1] - ARGV[2]))
local scores = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
if #scores / 2 >= tonumber(ARGV[3]) then
  return {0, scores}
end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('EXPIRE', KEYS[1], math.ceil(tonumber(ARGV[2])) + 1)
return {1, scores}
"""


class RedisStore:
    """A sorted set per key, scored by time, expiring with its window. Every call that fails
    to reach Redis raises StoreUnavailable (a 503), not a stack trace."""

    def __init__(self, client, prefix: str = "finder:throttle:"):
        self.client = client
        self.prefix = prefix
        self._reserve = client.register_script(_RESERVE)

    def reserve(self, key, at, window, limit):
        member = uuid.uuid4().hex
        args = [_seconds(at), window.total_seconds(), limit, member]
        added, scores = self._call(self._reserve, keys=[self.prefix + key], args=args)
        times = [_time(float(s)) for s in scores[1::2]]
        return (member, [*times, at]) if added else (None, times)

    def release(self, key: str, event: str) -> None:
        self._call(self.client.zrem, self.prefix + key, event)

    def add(self, key: str, at: dt.datetime, window: dt.timedelta) -> None:
        name, score = self.prefix + key, _seconds(at)
        pipe = self.client.pipeline()
        pipe.zremrangebyscore(name, "-inf", f"({score - window.total_seconds()}")
        pipe.zadd(name, {uuid.uuid4().hex: score})
        pipe.expire(name, int(window.total_seconds()) + 1)
        self._call(pipe.execute)

    def since(self, key: str, start: dt.datetime) -> list[dt.datetime]:
        name = self.prefix + key
        scores = self._call(
            self.client.zrangebyscore, name, _seconds(start), "+inf", withscores=True
        )
        return [_time(s) for _, s in scores]

    def clear(self, key: str) -> None:
        self._call(self.client.delete, self.prefix + key)

    def _call(self, method, *args, **kwargs):
        import redis

        try:
            return method(*args, **kwargs)
        except redis.RedisError as exc:
            current_app.logger.warning("The throttle store is unavailable: %s", type(exc).__name__)
            raise StoreUnavailable() from None


def _seconds(at: dt.datetime) -> float:
    return at.replace(tzinfo=dt.UTC).timestamp()


def _time(seconds: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.UTC).replace(tzinfo=None)


@dataclass
class Reservation:
    """Attempts counted under keys; `wait_seconds` > 0 when refused instead (nothing counted).
    `release()` un-counts them: for an attempt that turned out not to be a failure."""

    wait_seconds: int
    undo: list[Callable[[], None]] = field(default_factory=list)

    def release(self) -> None:
        for undo in self.undo:
            undo()


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

    def reserve(self, key: str) -> Reservation:
        """Count an attempt under `key` now, unless the key is at its limit (then nothing is
        counted and the reservation says how long to wait)."""
        now, stored = self.clock(), self.stored_key(key)
        event, times = self.store.reserve(stored, now, self.window, self.limit)
        if event is None:
            return Reservation(self._wait(times, now))
        return Reservation(0, [lambda: self.store.release(stored, event)])

    def wait_seconds(self, *keys: str) -> int:
        """How long until every key is below its limit again (0: not throttled now)."""
        now = self.clock()
        return max(
            (
                self._wait(self.store.since(self.stored_key(k), now - self.window), now)
                for k in keys
            ),
            default=0,
        )

    def hit(self, *keys: str) -> None:
        now = self.clock()
        for key in keys:
            self.store.add(self.stored_key(key), now, self.window)

    def reset(self, key: str) -> None:
        self.store.clear(self.stored_key(key))

    def _wait(self, times: list[dt.datetime], now: dt.datetime) -> int:
        times = sorted(times)
        if len(times) < self.limit:
            return 0
        frees_at = times[len(times) - self.limit] + self.window
        return max(0, int(-(-(frees_at - now).total_seconds() // 1)))


def reserve_all(*attempts: tuple[Throttle, str]) -> Reservation:
    """Count one attempt under every (throttle, key), or under none if any key is at its
    limit: then the reservation says how long to wait."""
    held = []
    for limiter, key in attempts:
        reservation = limiter.reserve(key)
        if reservation.wait_seconds:
            for earlier in held:
                earlier.release()
            return reservation
        held.append(reservation)
    return Reservation(0, [undo for reservation in held for undo in reservation.undo])


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
