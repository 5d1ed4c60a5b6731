"""Compare checked records with the directory: which are new, changed or unchanged, and
which programs a complete source no longer lists. Only reads, so it runs outside the write
transaction (apply.py writes what it finds)."""

from dataclasses import dataclass, field

from sqlalchemy import select

from ..db import db
from ..models import Program
from ..vocab import FEATURE_KINDS, RATE_ITEMS, default_phones
from .fields import dollars
from .native import phone_entry
from .records import ProgramRecord
from .result import Change
from .spool import CHANGED, NEW, UNCHANGED, Records

SCALARS = (
    ("name", "name2", "street", "street2", "city", "state", "zip", "latitude", "longitude")
    + ("location_approximate", "phone", "intake_phone", "website", "beds")
    + ("sliding_fee_schedule", "substance_use", "source", "telehealth")
)
SAMPLE_SIZE = 20  # changes shown per action in a preview
_IN_CHUNK = 500  # ids per IN (...) query, well under SQLite's variable limit


@dataclass
class Plan:
    """What writing the records would do. The records themselves wait in `records` (on disk),
    each marked new, changed or unchanged."""

    records: Records | None = None
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    deactivate: list[str] = field(default_factory=list)  # program ids
    sample: list[Change] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # the file's sources, for the batch
    shown: dict[str, int] = field(default_factory=dict)  # sample changes per action


def plan(records: Records, protected: set[str], complete_source: bool) -> Plan:
    """Mark records new, changed or unchanged, comparing _IN_CHUNK at a time; with
    complete_source, find programs of the file's sources, in its states, that it no longer
    lists (except `protected` keys)."""
    result = Plan(records=records, sources=sorted(records.sources))
    records.reset()
    # A first import into an empty directory has nothing to compare with: no query per chunk.
    anything = db.session.execute(select(Program.id).limit(1)).first() is not None
    for chunk in records.keyed_chunks(_IN_CHUNK):
        stored = _load([key for _, key, _ in chunk]) if anything else {}
        actions = []
        for _, key, data in chunk:
            program = stored.get(key)
            if program is None:
                result.new += 1
                actions.append(NEW)
                if result.shown.get("add", 0) < SAMPLE_SIZE:  # unpacked only to be shown
                    _sample(result, Change(key, records.unpack(data).name, "add"))
                continue
            record = records.unpack(data)
            if diff := differences(program, record):
                result.changed += 1
                actions.append(CHANGED)
                shown = tuple(
                    (name, _show(before), _show(after)) for name, (before, after) in diff.items()
                )
                _sample(result, Change(record.key, record.name, "change", shown))
            else:
                result.unchanged += 1
                actions.append(UNCHANGED)
        records.mark(_runs([n for n, _, _ in chunk], actions))
    if complete_source:
        covered = records.covered
        stale = select(Program.id, Program.name, Program.source, Program.state).where(
            Program.active.is_(True),
            Program.source.in_(sorted({s for s, _ in covered})),
            Program.state.in_(sorted({s for _, s in covered})),
        )
        found = db.session.execute(stale.execution_options(yield_per=_IN_CHUNK))
        for partition in found.partitions():
            chunk = [
                p for p in partition if (p.source, p.state) in covered and p.id not in protected
            ]
            listed = records.listed([p.id for p in chunk]) if chunk else set()
            for program in chunk:
                if program.id not in listed:
                    result.deactivate.append(program.id)
                    _sample(result, Change(program.id, program.name, "deactivate"))
    return result


def _runs(numbers: list[int], actions: list[int]) -> list[tuple[int, int, int]]:
    """(action, first, last) for each run of records in a chunk (in order, every record of
    the chunk listed) given the same action; unchanged ones need no mark (reset did it)."""
    runs: list[list[int]] = []
    for n, action in zip(numbers, actions, strict=True):
        if runs and runs[-1][0] == action:
            runs[-1][2] = n
        else:
            runs.append([action, n, n])
    return [(action, first, last) for action, first, last in runs if action != UNCHANGED]


def differences(program: "Program | _Stored", record: ProgramRecord) -> dict[str, tuple]:
    """Field -> (stored, file) for every field where the file would change the program."""
    diff = {}
    for name in SCALARS:
        if getattr(program, name) != getattr(record, name):
            diff[name] = (getattr(program, name), getattr(record, name))
    if record.verified_on and program.verified_on != record.verified_on:
        diff["verified_on"] = (program.verified_on, record.verified_on)
    if not program.active:
        diff["active"] = (False, True)
    stored_phones, wanted_phones = _stored_phones(program), phones_of(record)
    if stored_phones != wanted_phones:
        diff["phones"] = tuple(
            tuple(phone_entry(*phone) for phone in phones)
            for phones in (stored_phones, wanted_phones)
        )
    stored_features, wanted_features = _by_kind(program.features), _by_kind(record.features)
    if stored_features != wanted_features:
        for kind in FEATURE_KINDS:
            stored, wanted = stored_features.get(kind, ()), wanted_features.get(kind, ())
            if stored != wanted:
                diff[kind] = (stored, wanted)
    stored_rates = {r.item: (r.low_cents, r.high_cents) for r in program.rates}
    wanted_rates = {item: (low, high) for item, low, high in record.rates}
    for item in RATE_ITEMS:
        if stored_rates.get(item) != wanted_rates.get(item):
            diff[f"rate_{item}"] = (stored_rates.get(item), wanted_rates.get(item))
    return diff


def _by_kind(features) -> dict[str, tuple[str, ...]]:
    """(kind, value) pairs as kind -> its sorted values."""
    grouped: dict[str, list[str]] = {}
    for kind, value in sorted(features):
        grouped.setdefault(kind, []).append(value)
    return {kind: tuple(values) for kind, values in grouped.items()}


def phones_of(record: ProgramRecord) -> tuple[tuple[str, str, str], ...]:
    """The record's phones, or (from a parser that lists none) its phone and intake_phone."""
    return record.phones or default_phones(record.phone, record.intake_phone)


def _stored_phones(program: "Program | _Stored") -> tuple[tuple[str, str, str], ...]:
    """A program's phones; one stored without any has its phone and intake_phone (as shown)."""
    stored = tuple((p.kind, p.number, p.label) for p in program.phones)
    return stored or default_phones(program.phone, program.intake_phone)


class _Stored:
    """A stored program's values, read as plain rows for comparing (building ORM objects for
    a whole directory costs more time and memory than the comparison itself)."""

    def __init__(self, row):
        self.__dict__.update(row)
        self.features: list[tuple[str, str]] = []
        self.rates: list[_Rate] = []
        self.phones: list[_Phone] = []


@dataclass(frozen=True)
class _Rate:
    item: str
    low_cents: int
    high_cents: int


@dataclass(frozen=True)
class _Phone:
    kind: str
    number: str
    label: str


_COMPARED = [Program.__table__.c[name] for name in ("id", "verified_on", "active", *SCALARS)]


def _load(keys: list[str]) -> dict[str, _Stored]:
    """The stored programs of these keys, with their features, rates and phones (plain rows:
    Core statements on the session's connection, no ORM loading)."""
    connection = db.session.connection()
    programs = Program.__table__.c
    found = {
        row["id"]: _Stored(row)
        for row in connection.execute(select(*_COMPARED).where(programs.id.in_(keys))).mappings()
    }
    # The attribute rows are many (some 17 per program) and plain: read with the driver.
    cursor = connection.connection.dbapi_connection.cursor()
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    marks = ", ".join([mark] * len(keys))
    cursor.execute(
        f"SELECT program_id, kind, value FROM program_feature WHERE program_id IN ({marks})", keys
    )
    for program_id, kind, value in cursor:
        found[program_id].features.append((kind, value))
    cursor.execute(
        "SELECT program_id, item, low_cents, high_cents FROM program_rate"
        f" WHERE program_id IN ({marks})",
        keys,
    )
    for program_id, item, low, high in cursor:
        found[program_id].rates.append(_Rate(item, low, high))
    cursor.execute(
        "SELECT program_id, kind, number, label FROM program_phone"
        f" WHERE program_id IN ({marks}) ORDER BY program_id, position",
        keys,
    )
    for program_id, kind, number, label in cursor:
        found[program_id].phones.append(_Phone(kind, number, label))
    cursor.close()
    return found


def _sample(todo: Plan, change: Change) -> None:
    shown = todo.shown.get(change.action, 0)
    if shown < SAMPLE_SIZE:
        todo.sample.append(change)
        todo.shown[change.action] = shown + 1


def _show(value) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, int) for v in value):
        return dollars(*value)
    if isinstance(value, tuple):
        return "; ".join(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
