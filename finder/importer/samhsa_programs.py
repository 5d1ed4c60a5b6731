"""A SAMHSA site's rows as programs: which rows make one program (name2), how they merge
(votes, every phone, coordinates), and what their codes mean (samhsa_codes.csv)."""

import csv
import datetime as dt
import functools
import hashlib
import itertools
import marshal
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

from ..geo import Place, distances_from
from . import fields, spool
from .memo import Memo
from .records import Parsed, ProgramRecord, Row

SCOPES = ("su", "mh", "program", "site")
# Merged field -> the column a disagreement is reported under.
MERGED = {
    "name": "name1",
    "name2": "name2",
    "street": "street1",
    "street2": "street2",
    "city": "city",
    "state": "state",
    "zip": "zip",
    "phone": "phone",
    "intake_phone": "intake1",
    "website": "website",
    "location": "latitude",
}
# Two name2 spellings name one program from this rapidfuzz ratio up ("Centet"/"Center" is 92).
SAME_NAME2 = 90
# Rows of one program placed further apart than this are a warning (a quarter mile).
MAX_SPREAD_MILES = 0.25


@dataclass(frozen=True)
class Mapping:
    kind: str  # a key of vocab.FEATURE_KINDS, or "flag" for a field of the program (telehealth)
    token: str
    only_without: frozenset[str]
    rows: str  # one of SCOPES: which rows of a program the code is read from


@functools.cache
def code_table() -> dict[str, list[Mapping]]:
    """Every known code -> what it means for us (an empty list: known, not used)."""
    table: dict[str, list[Mapping]] = {}
    with open(Path(__file__).with_name("samhsa_codes.csv"), newline="", encoding="utf-8") as f:
        for line in csv.DictReader(f):
            meanings = table.setdefault(line["code"], [])
            if line["kind"]:
                without = frozenset(line["only_without"].split())
                meanings.append(Mapping(line["kind"], line["token"], without, line["rows"]))
    return table


@functools.lru_cache(maxsize=4096)  # a site's id is asked for by each of its rows
def program_id(name: str, street: str, city: str, zip_code: str, name2: str = "") -> str:
    """The short URL-safe id of a program: a hash of its site's normalised name1 + street1 +
    city + ZIP, and of its name2 when it is not the site's main program."""
    parts = (name, street, city, zip_code) + ((name2,) if name2 else ())
    key = "|".join(normalise(part) for part in parts)
    # The first 12 characters of the digest in base 32 (RFC 4648, lower case): its first 60
    # bits, 5 at a time (base64.b32encode of the whole digest, in Python, cost 40 times more).
    top = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8]) >> 4
    return "s-" + "".join(_BASE32[(top >> shift) & 31] for shift in range(55, -1, -5))


_BASE32 = "abcdefghijklmnopqrstuvwxyz234567"


def normalise(value: str) -> str:
    """Casefold, drop apostrophes (St. Mary's = ST MARYS); other punctuation separates words."""
    if value.isascii():  # nearly every value: the same in one pass (NFKC leaves ASCII as it is)
        return " ".join(value.lower().translate(_ASCII_FOLD).split())
    value = _APOSTROPHES.sub("", unicodedata.normalize("NFKC", value).casefold())
    return " ".join(_PUNCTUATION.sub(" ", value).split())


_APOSTROPHES = re.compile(r"['\u2019`]")
_PUNCTUATION = re.compile(r"[^\w\s]|_")
# The two patterns' work on ASCII as one table: apostrophes dropped, punctuation a space.
_ASCII_FOLD = {
    n: None if _APOSTROPHES.match(chr(n)) else " "
    for n in range(128)
    if _APOSTROPHES.match(chr(n)) or _PUNCTUATION.match(chr(n))
}


@dataclass(frozen=True)
class SiteRow:
    line: int
    ok: bool
    su_type: bool  # type_facility is SU (or SA)
    sa_flag: bool
    values: dict
    codes: frozenset[str]
    key: tuple[str, str, str, str]  # name1, street1, city, ZIP as the row spells them
    phones: tuple[tuple[str, str, str], ...]  # (kind, number, label)
    filled: int  # non-blank descriptive cells

    @property
    def name2(self) -> str:
        return normalise(self.values["name2"])


class SiteSpool:
    """A file's site rows grouped by site on disk (the rows of one site may be far apart in
    the file): sites() yields each site's rows in line order, sites in the order they first
    appear, holding one site at a time."""

    def __init__(self):
        self._db = spool.connect()
        self._db.execute(
            "CREATE TABLE site_row (first INTEGER, line INTEGER, site TEXT, data BLOB)"
        )
        self._first: dict[str, int] = {}  # site id -> its first line
        self._buffer: list[tuple[int, int, str, bytes]] = []

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self._db.close()

    def add(self, site: str, row: SiteRow) -> None:
        first = self._first.setdefault(site, row.line)
        values = dict(row.values)
        self._buffer.append((first, row.line, site, marshal.dumps((
            row.line, row.ok, row.su_type, row.sa_flag, values, row.codes, row.key, row.phones,
            row.filled,
        ))))  # fmt: skip
        if len(self._buffer) >= 1000:
            self._flush()

    def _flush(self) -> None:
        self._db.executemany("INSERT INTO site_row VALUES (?, ?, ?, ?)", self._buffer)
        self._buffer = []

    def sites(self):
        """(site id, its rows) for each site."""
        self._flush()
        self._first.clear()
        rows: list[SiteRow] = []
        current = site = None
        for first, line_site, data in self._db.execute(
            "SELECT first, site, data FROM site_row ORDER BY first, line"
        ):
            if first != current and rows:
                yield site, rows
                rows = []
            current, site = first, line_site
            rows.append(SiteRow(*marshal.loads(data)))
        if rows:
            yield site, rows


def _rank(row: SiteRow) -> tuple[int, int, int]:
    # The most complete row first: most descriptive cells, then most codes, then the earliest.
    return (-row.filled, -len(row.codes), row.line)


def split(rows: list[SiteRow], site: str | None = None) -> list[tuple[str, list[SiteRow]]]:
    """A site's rows as programs: (id, rows in line order), the site's main program first.

    Substance-use rows whose name2 differ are different programs; a blank name2 joins the
    group of the site's tie-break row (its most complete substance-use row), which keeps the
    site's id; a mental-health row joins the substance-use row of the same name2, or else
    makes a program of its own. Without substance-use rows, the mental-health rows split alike.
    site, when known, is the site's id (program_id of the rows' key).
    """
    ranked = sorted(rows, key=_rank)
    anchors = [r for r in ranked if r.su_type] or ranked
    groups: list[list[SiteRow]] = [[anchors[0]]]
    for row in anchors[1:] + [r for r in ranked if r not in anchors]:
        if not row.name2:
            groups[0].append(row)
            continue
        group = next((g for g in groups if any(_same_name2(row, r) for r in g)), None)
        if group is None:
            groups.append([row])
        else:
            group.append(row)
    ids = [site or program_id(*anchors[0].key)]  # site: program_id of every row's key
    ids += [program_id(*g[0].key, name2=g[0].values["name2"]) for g in groups[1:]]
    return [(key, sorted(g, key=lambda r: r.line)) for key, g in zip(ids, groups, strict=True)]


def _same_name2(row: SiteRow, other: SiteRow) -> bool:
    return bool(other.name2) and fuzz.ratio(row.name2, other.name2) >= SAME_NAME2


def merge(
    key: str,
    rows: list[SiteRow],
    site_rows: list[SiteRow],
    parsed: Parsed,
    verified_on: dt.date | None,
    memo: Memo | None = None,
) -> ProgramRecord | None:
    """One program from its rows (in line order); None when it cannot be placed. memo
    remembers clean answers across the file's programs."""
    memo = memo or Memo()
    first = rows[0]
    tie_breaker = min(rows, key=lambda r: (not r.su_type, _rank(r)))
    merged = {}
    for name, column in MERGED.items():
        if len(rows) == 1:  # most programs: one row, nothing to vote on
            merged[name] = first.values[name]
            continue
        values = [r.values[name] for r in rows]
        merged[name] = _vote(values, tie_breaker.values[name])
        if len(set(values)) > 1:
            lines = ", ".join(str(r.line) for r in rows)
            shown = "; ".join(sorted({_show(v) for v in values}))
            parsed.warn(
                first.line,
                column,
                f"the {len(rows)} rows of this program (lines {lines}) disagree ({shown}); "
                f"using {_show(merged[name])}",
            )
    row = Row(first.line, {})
    _check_spread(row, rows)
    merged["street"] = fields.street_shown(row, "street1", merged["street"])
    memo.check(fields.city_matches_zip, row, "city", merged["city"], merged["zip"])
    location, approximate = merged.pop("location"), False
    if location is None:
        location, approximate = fields.zip_centroid(row, "latitude", merged["zip"]), True
    parsed.problems.extend(row.problems)
    if location is None:
        return None
    found = _meanings(rows, site_rows)
    return ProgramRecord(
        key=key,
        line=first.line,
        latitude=location[0],
        longitude=location[1],
        location_approximate=approximate,
        substance_use=any(r.su_type or r.sa_flag for r in rows),
        source="samhsa",
        verified_on=verified_on,
        telehealth=("flag", "telehealth") in found,
        phones=_phones(rows, tie_breaker, merged["phone"], merged["intake_phone"]),
        features=tuple(sorted(f for f in found if f[0] != "flag")),
        **merged,
    )


def _vote(values: list, tie_breaker):
    """The value most rows agree on (blank cells do not vote); ties go to the tie breaker."""
    counts = Counter(v for v in values if v)
    if not counts:
        return values[0]
    best = max(counts.values())
    leaders = [v for v, n in counts.items() if n == best]
    return tie_breaker if tie_breaker in leaders else leaders[0]


def _show(value) -> str:
    if isinstance(value, tuple):
        return f"{value[0]}, {value[1]}"
    return f"'{value}'" if value else "blank"


def _check_spread(row: Row, rows: list[SiteRow]) -> None:
    placed = [r for r in rows if r.values["location"] is not None]
    for a, b in itertools.combinations(placed, 2):
        (lat, lon), (lat2, lon2) = a.values["location"], b.values["location"]
        miles = distances_from(Place(lat, lon, ""))(lat2, lon2)
        if miles > MAX_SPREAD_MILES:
            row.warn("latitude", f"lines {a.line} and {b.line} of this program place it "
                     f"{miles:.2f} miles apart; check where it is")  # fmt: skip


def _phones(rows, tie_breaker, phone: str, intake_phone: str) -> tuple[tuple[str, str, str], ...]:
    """Every number of every row, once, main numbers first: the voted main and intake numbers
    lead their kind; a kind's later numbers from other rows are marked as alternates."""
    ordered = [tie_breaker] + [r for r in rows if r is not tie_breaker]
    found = [p for r in ordered for p in r.phones]
    leading = [("main", phone), ("intake", intake_phone)]
    found.sort(
        key=lambda p: (("main", "intake", "hotline").index(p[0]), (p[0], p[1]) not in leading)
    )
    phones, seen, labels = [], set(), set()
    for kind, number, label in found:
        digits = re.sub(r"\D", "", number)
        if digits in seen:
            continue
        seen.add(digits)
        phones.append((kind, number, f"{label} (alternate)" if label in labels else label))
        labels.add(label)
    return tuple(phones)


def _meanings(rows: list[SiteRow], site_rows: list[SiteRow]) -> set[tuple[str, str]]:
    """(kind, token) pairs the codes give, each read from the rows its table line names."""
    scopes = {
        "su": frozenset().union(*(r.codes for r in rows if r.su_type)),
        "mh": frozenset().union(*(r.codes for r in rows if not r.su_type)),
        "program": frozenset().union(*(r.codes for r in rows)),
        "site": frozenset().union(*(r.codes for r in site_rows)),
    }
    table = code_table()
    return {
        (m.kind, m.token)
        for code in scopes["site"]
        for m in table[code]
        if code in scopes[m.rows] and not (m.only_without & scopes[m.rows])
    }
