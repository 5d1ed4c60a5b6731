"""Where a file's checked records wait between checking, comparing and writing: a private
temporary SQLite file (deleted when closed), so that a file of a million rows is never held in
memory. Records keep the order they were added in; each carries the action the plan gave it."""

import datetime as dt
import marshal
import sqlite3
import weakref
from collections.abc import Iterator

from .records import ProgramRecord

# What the plan decided for a record.
UNCHANGED, NEW, CHANGED = 0, 1, 2
_BUFFER = 1000  # records held before they are written to the file
_BITS = 1 << 24  # the bitmap of keys seen: 2 MB


# A record is kept as its own __dict__ (the verified date as its ordinal): marshal makes the
# dict again in C, and the record takes it as it is, without __init__ (a frozen dataclass's
# __init__ sets each field through object.__setattr__) and without a field-by-field copy.
def _pack(record: ProgramRecord) -> bytes:
    values = record.__dict__
    if values["verified_on"] is not None:
        values = {**values, "verified_on": values["verified_on"].toordinal()}
    return marshal.dumps(values)


def _unpack(data: bytes) -> ProgramRecord:
    values = marshal.loads(data)
    if values["verified_on"] is not None:
        values["verified_on"] = dt.date.fromordinal(values["verified_on"])
    record = object.__new__(ProgramRecord)
    object.__setattr__(record, "__dict__", values)
    return record


def connect() -> sqlite3.Connection:
    """A private temporary on-disk database (SQLite deletes it when the connection closes),
    inside one transaction that is never committed: nothing else reads it, and a statement
    outside a transaction is a transaction of its own (an executemany of 1,000 records was
    1,000 of them: the check of 100,000 rows spent 1.6 s more writing its records)."""
    conn = sqlite3.connect("", isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-8000")  # 8 MB of pages; the rest stays on disk
    conn.execute("BEGIN")
    return conn


class Records:
    """A file's valid records, on disk. Behaves as a read-only sequence of ProgramRecord."""

    def __init__(self):
        self._db = connect()
        # Closed by close(), or when the records are dropped (a caller that only reads them).
        self._close = weakref.finalize(self, self._db.close)
        self._db.execute(
            "CREATE TABLE rec (n INTEGER PRIMARY KEY, key TEXT, action INTEGER DEFAULT 0,"
            " data BLOB)"
        )
        # WITHOUT ROWID: the key's own B-tree holds the row (one tree to fill, not two).
        self._db.execute(
            "CREATE TABLE seen (key TEXT PRIMARY KEY, line INTEGER, n INTEGER) WITHOUT ROWID"
        )
        self._buffer: list[tuple[int, str, bytes]] = []
        self._seen: dict[str, tuple[int, int | None]] = {}  # key -> (line, number), to write
        self._bitmap = bytearray(_BITS // 8)
        self._next = 1
        self._count = 0
        self._indexed = False
        self.sources: set[str] = set()
        self.covered: set[tuple[str, str]] = set()  # (source, state) pairs of the records
        self.undated = 0  # records without a verified date

    # Filling
    def append(self, record: ProgramRecord) -> int:
        """Keep a record; returns its number."""
        n = self._next
        self._next += 1
        self._buffer.append((n, record.key, _pack(record)))
        self._count += 1
        self.undated += record.verified_on is None
        self.sources.add(record.source)
        self.covered.add((record.source, record.state))
        if len(self._buffer) >= _BUFFER:
            self._flush()
        return n

    def claim(self, key: str, line: int, record: ProgramRecord | None) -> int | None:
        """Note that `key` is on this line, keeping its record (if any) when the key is new:
        returns None, or the line where the key was first seen (the record is not kept).
        The keys seen are on disk; in memory, a fixed bitmap of their hashes says which key
        may have been seen (about one in sixteen at a million keys), and only those are
        looked up."""
        bit = hash(key) & (_BITS - 1)
        byte, mask = bit >> 3, 1 << (bit & 7)
        if self._bitmap[byte] & mask:
            pending = self._seen.get(key)
            if pending is not None:
                return pending[0]
            found = self._db.execute("SELECT line FROM seen WHERE key = ?", (key,)).fetchone()
            if found is not None:
                return found[0]
        else:
            self._bitmap[byte] |= mask
        self._seen[key] = (line, self._next if record is not None else None)
        if record is not None:
            self.append(record)
        elif len(self._seen) >= _BUFFER:
            self._flush()
        return None

    def discard(self, key: str) -> None:
        """Drop the record of `key` kept by claim(), if there is one."""
        self._flush()
        found = self._db.execute("SELECT n FROM seen WHERE key = ?", (key,)).fetchone()
        if found and found[0] is not None:
            (data,) = self._db.execute("SELECT data FROM rec WHERE n = ?", found).fetchone()
            self.undated -= _unpack(data).verified_on is None
            self._db.execute("DELETE FROM rec WHERE n = ?", found)
            self._db.execute("UPDATE seen SET n = NULL WHERE key = ?", (key,))
            self._count -= 1

    def _flush(self) -> None:
        if self._buffer:
            self._db.executemany("INSERT INTO rec (n, key, data) VALUES (?, ?, ?)", self._buffer)
            self._buffer = []
        if self._seen:
            self._db.executemany(
                "INSERT INTO seen (key, line, n) VALUES (?, ?, ?)",
                [(key, line, n) for key, (line, n) in self._seen.items()],
            )
            self._seen = {}

    # Reading
    def chunks(self, size: int, actions: tuple[int, ...] | None = None, *, by_key: bool = False):
        """Lists of (number, record), `size` at a time, in order (only these actions); by_key,
        in the order of their keys rather than the file's."""
        self._flush()
        where = ""
        if actions is not None:
            where = f" AND action IN ({', '.join(str(int(a)) for a in actions)})"
        order = "n"
        if by_key:
            self._index_keys()
            order = "key"
        last: int | str = "" if by_key else 0
        while True:
            rows = self._db.execute(
                f"SELECT n, data, {order} FROM rec WHERE {order} > ?{where} ORDER BY {order}"
                " LIMIT ?",
                (last, size),
            ).fetchall()
            if not rows:
                return
            last = rows[-1][2]
            yield [(n, _unpack(data)) for n, data, _ in rows]

    def keyed_chunks(self, size: int):
        """Lists of (number, key, packed record), `size` at a time, in order: a record is
        unpacked (`unpack`) only when it is needed (comparing a new record costs no unpacking)."""
        self._flush()
        last = 0
        while True:
            rows = self._db.execute(
                "SELECT n, key, data FROM rec WHERE n > ? ORDER BY n LIMIT ?", (last, size)
            ).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield rows

    unpack = staticmethod(_unpack)

    def mark(self, runs: list[tuple[int, int, int]]) -> None:
        """Set the plan's action of runs of records: [(action, first number, last number), ...]
        (a run holds every record numbered from its first to its last)."""
        self._db.executemany("UPDATE rec SET action = ? WHERE n BETWEEN ? AND ?", runs)

    def reset(self) -> None:
        self._flush()
        self._db.execute("UPDATE rec SET action = 0 WHERE action != 0")

    def listed(self, keys: list[str]) -> set[str]:
        """Which of these keys have a record."""
        self._index_keys()
        marks = ", ".join("?" * len(keys))
        return {k for (k,) in self._db.execute(f"SELECT key FROM rec WHERE key IN ({marks})", keys)}

    def _index_keys(self) -> None:
        self._flush()
        if not self._indexed:
            self._db.execute("CREATE INDEX rec_key ON rec (key)")
            self._indexed = True

    def close(self) -> None:
        self._close()

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[ProgramRecord]:
        for chunk in self.chunks(_BUFFER):
            for _, record in chunk:
                yield record

    def __getitem__(self, index):
        return list(self)[index]

    def __eq__(self, other) -> bool:
        return list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<Records: {self._count}>"
