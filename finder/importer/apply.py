"""Compare checked records with the database, and write the difference in one transaction."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select

from ..db import db
from ..models import ImportBatch, Program, ProgramFeature, ProgramRate, utcnow
from ..vocab import FEATURE_KINDS, RATE_ITEMS
from .fields import dollars
from .records import ProgramRecord
from .result import Change

SCALARS = (
    ("name", "name2", "street", "street2", "city", "state", "zip", "latitude", "longitude")
    + ("location_approximate", "phone", "intake_phone", "website", "beds")
    + ("sliding_fee_schedule", "substance_use", "source")
)
SAMPLE_SIZE = 20  # changes shown per action in a preview
FLUSH_EVERY = 200
_IN_CHUNK = 500  # ids per IN (...) query, well under SQLite's variable limit


@dataclass
class Plan:
    """What writing the records would do."""

    new: list[ProgramRecord] = field(default_factory=list)
    changed: list[tuple[ProgramRecord, Program, dict]] = field(default_factory=list)
    unchanged: int = 0
    deactivate: list[Program] = field(default_factory=list)
    sample: list[Change] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # the file's sources, for the batch


def plan(records: list[ProgramRecord], protected: set[str], complete_source: bool) -> Plan:
    """Sort records into new, changed and unchanged; with complete_source, find programs of
    the file's sources, in its states, that it no longer lists (except `protected` keys)."""
    result = Plan(sources=sorted({r.source for r in records}))
    existing = _load([r.key for r in records])
    for record in records:
        program = existing.get(record.key)
        if program is None:
            result.new.append(record)
            _sample(result, Change(record.key, record.name, "add"))
        elif diff := differences(program, record):
            result.changed.append((record, program, diff))
            shown = tuple(
                (name, _show(before), _show(after)) for name, (before, after) in diff.items()
            )
            _sample(result, Change(record.key, record.name, "change", shown))
        else:
            result.unchanged += 1
    if complete_source:
        listed = {r.key for r in records} | protected
        covered = {(r.source, r.state) for r in records}
        stale = select(Program).where(
            Program.active.is_(True),
            Program.source.in_(sorted({s for s, _ in covered})),
            Program.state.in_(sorted({s for _, s in covered})),
        )
        for program in db.session.scalars(stale):
            if program.id not in listed and (program.source, program.state) in covered:
                result.deactivate.append(program)
                _sample(result, Change(program.id, program.name, "deactivate"))
    return result


def differences(program: Program, record: ProgramRecord) -> dict[str, tuple]:
    """Field -> (stored, file) for every field where the file would change the program."""
    diff = {}
    for name in SCALARS:
        if getattr(program, name) != getattr(record, name):
            diff[name] = (getattr(program, name), getattr(record, name))
    if record.verified_on and program.verified_on != record.verified_on:
        diff["verified_on"] = (program.verified_on, record.verified_on)
    if not program.active:
        diff["active"] = (False, True)
    for kind in FEATURE_KINDS:
        stored = tuple(program.tokens(kind))
        wanted = tuple(v for k, v in record.features if k == kind)
        if stored != wanted:
            diff[kind] = (stored, wanted)
    stored_rates = {r.item: (r.low_cents, r.high_cents) for r in program.rates}
    wanted_rates = {item: (low, high) for item, low, high in record.rates}
    for item in RATE_ITEMS:
        if stored_rates.get(item) != wanted_rates.get(item):
            diff[f"rate_{item}"] = (stored_rates.get(item), wanted_rates.get(item))
    return diff


def write(
    todo: Plan,
    batch: ImportBatch,
    today: dt.date,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Add the batch and every change to the session, flushing as it goes (no commit)."""
    session = db.session
    session.add(batch)
    session.flush()
    total = len(todo.new) + len(todo.changed) + len(todo.deactivate)
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if done % FLUSH_EVERY == 0 or done == total:
            session.flush()
            if progress is not None:
                progress(done, total)

    for record in todo.new:
        session.add(_new_program(record, batch.id, today))
        step()
    for record, program, diff in todo.changed:
        _update(program, record, diff, batch.id)
        step()
    for program in todo.deactivate:
        program.active = False
        program.import_id = batch.id
        program.updated_at = utcnow()
        step()
    session.flush()


def _load(keys: list[str]) -> dict[str, Program]:
    found = {}
    for start in range(0, len(keys), _IN_CHUNK):
        chunk = keys[start : start + _IN_CHUNK]
        found.update(
            (p.id, p) for p in db.session.scalars(select(Program).where(Program.id.in_(chunk)))
        )
    return found


def _new_program(record: ProgramRecord, import_id: int, today: dt.date) -> Program:
    program = Program(
        id=record.key,
        verified_on=record.verified_on or today,
        active=True,
        import_id=import_id,
        **{name: getattr(record, name) for name in SCALARS},
    )
    program.features = [ProgramFeature(kind=k, value=v) for k, v in record.features]
    program.rates = [ProgramRate(item=i, low_cents=lo, high_cents=hi) for i, lo, hi in record.rates]
    return program


def _update(program: Program, record: ProgramRecord, diff: dict, import_id: int) -> None:
    for name in SCALARS + ("verified_on",):
        if name in diff:
            setattr(program, name, getattr(record, name))
    wanted = set(record.features)
    current = {(f.kind, f.value): f for f in program.features}
    for pair in current.keys() - wanted:
        program.features.remove(current[pair])
    for kind, value in sorted(wanted - current.keys()):
        program.features.append(ProgramFeature(kind=kind, value=value))
    rates = {r.item: r for r in program.rates}
    wanted_rates = {item: (low, high) for item, low, high in record.rates}
    for item, rate in rates.items():
        if item not in wanted_rates:
            program.rates.remove(rate)
    for item, (low, high) in wanted_rates.items():
        if item in rates:
            rates[item].low_cents, rates[item].high_cents = low, high
        else:
            program.rates.append(ProgramRate(item=item, low_cents=low, high_cents=high))
    program.active = True
    program.import_id = import_id
    program.updated_at = utcnow()


def _sample(todo: Plan, change: Change) -> None:
    if sum(c.action == change.action for c in todo.sample) < SAMPLE_SIZE:
        todo.sample.append(change)


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
