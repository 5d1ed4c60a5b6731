"""A program's filterable values as bits in two integer columns of `program`, so that a search
filter is `(column & mask) != 0` on the program's own row: no join, no probe per row.

LAYOUT is the one place that says which (kind, value) is which bit: column -> the pairs of
its bits, bit 0 first. It is stored data, so it only grows: never reorder, rename or remove an
entry (a stored program's bits would then mean other values). A new value goes at the end of a
column with room (at most BITS_PER_COLUMN entries, so every value is a positive signed 64-bit
integer on SQLite and PostgreSQL), in a revision that calls `refill` for the programs already
stored. A value without a bit (one added to the vocabulary and not here) is still filtered,
by the feature table (finder/programs.py, `_matching`): the bits are a shortcut, never the
only record, which stays `program_feature`.

Kind "priced" is not a feature: its bits say which rate items (vocab.RATE_ITEMS) the program
publishes a price for, from `program_rate` (`priced`), so that a search with estimates reads
which levels a candidate prices from its row (finder/programs.py, `_priced_here`).

Written wherever a program's features or rates are: the importer (finder/importer/apply.py,
from the record), the ORM (a flush of a Program whose features or rates changed: admin edits,
tests' fixtures), bench/load.py, and revisions c3f8a1d2e5b7 and a5c7e2f9b1d4 (the priced
bits) for the programs stored before them (`refill`).
"""

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

BITS_PER_COLUMN = 63
# column -> its bits' (kind, value), bit 0 first. Append only (see above).
LAYOUT: dict[str, tuple[tuple[str, str], ...]] = {
    "filter_bits_1": (
        *(("care", v) for v in (
            "detox_inpatient", "detox_outpatient", "hospital_inpatient", "residential",
            "residential_short", "residential_long", "partial_hospitalization",
            "intensive_outpatient", "outpatient", "opioid_treatment_program",
        )),
        *(("payment", v) for v in (
            "cash", "private_insurance", "medicaid", "medicare", "tricare", "ihs_tribal",
            "state_financed", "sliding_fee", "payment_assistance", "free",
        )),
        *(("medication", v) for v in (
            "methadone", "buprenorphine", "naltrexone", "naltrexone_oral", "naltrexone_xr",
        )),
        *(("age", v) for v in ("adolescents", "young_adults", "adults", "seniors")),
        *(("special", v) for v in (
            "veterans", "pregnant_postpartum", "women", "men", "lgbtq", "criminal_justice",
            "co_occurring",
        )),
        *(("therapy", v) for v in (
            "cbt", "dbt", "contingency_management", "motivational_interviewing", "twelve_step",
            "trauma_informed", "family_therapy", "relapse_prevention", "peer_support",
        )),
    ),
    "filter_bits_2": (
        *(("language", v) for v in (
            "en", "es", "asl", "ar", "de", "el", "fa", "fr", "he", "hi", "hmn", "hop", "ht",
            "it", "ja", "ko", "lkt", "nv", "oj", "pl", "pt", "ru", "so", "tl", "vi", "ypk",
            "zh",
        )),
        *(("sign", v) for v in (
            "joint_commission", "carf", "ncqa", "coa", "hfap", "state_substance_use_agency",
            "state_mental_health", "state_health_department", "hospital_licensing",
            "samhsa_otp", "accepts_moud", "couples_counseling", "family_psychoeducation",
            "aftercare", "discharge_planning", "outcome_follow_up", "self_help",
            "transportation", "naloxone_education",
        )),
        # The rate items (vocab.RATE_ITEMS) the program publishes a price for: read from
        # `program_rate`, not `program_feature` (`priced`, `refill`).
        *(("priced", v) for v in (
            "detox_inpatient", "detox_outpatient", "hospital_inpatient", "residential",
            "residential_short", "residential_long", "partial_hospitalization",
            "intensive_outpatient", "outpatient", "opioid_treatment_program", "methadone",
            "buprenorphine", "naltrexone_xr",
        )),
    ),
}  # fmt: skip
COLUMNS = tuple(LAYOUT)


def _bits() -> dict[tuple[str, str], tuple[str, int]]:
    """(kind, value) -> (its column, its bit's value)."""
    return {
        pair: (column, 1 << n) for column, pairs in LAYOUT.items() for n, pair in enumerate(pairs)
    }


BIT = _bits()


def columns(features) -> dict[str, int]:
    """The bit columns of a program with these (kind, value) features."""
    found = dict.fromkeys(COLUMNS, 0)
    for pair in features:
        if (bit := BIT.get(pair)) is not None:
            found[bit[0]] |= bit[1]
    return found


def priced(items) -> tuple[tuple[str, str], ...]:
    """The ("priced", item) pairs of a program that publishes rates for these items, to be
    passed with its features to columns() or values()."""
    return tuple(("priced", item) for item in items)


def values(features) -> tuple[int, ...]:
    """columns(), as a tuple in the order of COLUMNS (for rows written as tuples)."""
    return tuple(columns(features).values())


def masks(alternatives) -> tuple[dict[str, int], tuple[tuple[str, tuple[str, ...]], ...]]:
    """One filter's alternatives ((kind, values) pairs, any of which matches) as the masks of
    the columns whose bits hold them, and the (kind, values) left that have no bit."""
    found: dict[str, int] = {}
    left = []
    for kind, accepted in alternatives:
        without = []
        for value in accepted:
            bit = BIT.get((kind, value))
            if bit is None:
                without.append(value)
            else:
                found[bit[0]] = found.get(bit[0], 0) | bit[1]
        if without:
            left.append((kind, tuple(without)))
    return found, tuple(left)


def refill(connection: sa.Connection, column_names=COLUMNS, ids=None) -> None:
    """Recompute the bit columns from `program_feature` and `program_rate` (every program, or
    those of `ids`), in one statement per column: a program's features are distinct, and so
    are its rates' items, so the sum of their bits is their OR. For a revision that adds a
    column or a bit, and for stored programs."""
    program = sa.table("program", sa.column("id"), *(sa.column(c) for c in column_names))
    feature = sa.table("program_feature", sa.column("program_id"), sa.column("kind"),
                       sa.column("value"))  # fmt: skip
    rate = sa.table("program_rate", sa.column("program_id"), sa.column("item"))

    def summed(own, pairs):
        """The sum of the bits of `pairs` ((bit number, condition)) over a program's rows."""
        if not pairs:
            return sa.literal(0, sa.BigInteger)
        bit = sa.case(*((condition, 1 << n) for n, condition in pairs), else_=0)
        total = sa.cast(sa.func.coalesce(sa.func.sum(bit), 0), sa.BigInteger)
        return sa.select(total).where(own).scalar_subquery()

    for name in column_names:
        pairs = list(enumerate(LAYOUT[name]))
        of_features = [
            (n, sa.and_(feature.c.kind == kind, feature.c.value == value))
            for n, (kind, value) in pairs
            if kind != "priced"
        ]
        of_rates = [(n, rate.c.item == value) for n, (kind, value) in pairs if kind == "priced"]
        total = summed(feature.c.program_id == program.c.id, of_features)
        if of_rates:
            total = total + summed(rate.c.program_id == program.c.id, of_rates)
        stmt = sa.update(program).values({name: total})
        if ids is not None:
            stmt = stmt.where(program.c.id.in_(list(ids)))
        connection.execute(stmt)


def keep_in_step(session_class=Session) -> None:
    """Before every flush, set the bit columns of each Program whose features or rates
    changed (added to or removed from its collection, or a ProgramFeature or ProgramRate
    added, changed or deleted on its own)."""
    if not event.contains(session_class, "before_flush", _before_flush):
        event.listen(session_class, "before_flush", _before_flush)


def _before_flush(session, context, instances) -> None:
    from .models import Program, ProgramFeature, ProgramRate

    touched: dict[int, Program] = {}
    for obj in (*session.new, *session.dirty):
        if isinstance(obj, Program) and ("features" in obj.__dict__ or "rates" in obj.__dict__):
            touched[id(obj)] = obj
    loose = [
        obj
        for obj in (*session.new, *session.dirty, *session.deleted)
        if isinstance(obj, (ProgramFeature, ProgramRate))
    ]
    with session.no_autoflush:
        for row in loose:
            owner = row.__dict__.get("program")
            if owner is None and row.program_id is not None:
                owner = session.get(Program, row.program_id)
            if owner is not None:
                touched[id(owner)] = owner
        if not touched:
            return
        deleted = set(session.deleted)
        new_features = [f for f in session.new if isinstance(f, ProgramFeature)]
        new_rates = [r for r in session.new if isinstance(r, ProgramRate)]
        for program in touched.values():
            if program in deleted:
                continue
            features = _held(program, program.features, new_features, deleted)
            rates = _held(program, program.rates, new_rates, deleted)
            pairs = [*((f.kind, f.value) for f in features), *priced(r.item for r in rates)]
            for name, value in columns(pairs).items():
                if getattr(program, name) != value:
                    setattr(program, name, value)


def _held(program, collection, added, deleted) -> set:
    """The rows that `program` will hold after the flush: its collection, less those
    deleted, with those `added` to the session on their own (by program or by program_id)."""
    held = {row for row in collection if row not in deleted}
    held.update(
        row for row in added if row.__dict__.get("program") is program
        or (row.program_id is not None and row.program_id == program.id)
    )  # fmt: skip
    return held
