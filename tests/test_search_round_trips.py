"""A results page takes a few round trips to the database, whatever it shows (issue 16: each
is about a millisecond on PostgreSQL), and the ways of finding a page's candidates for an
estimate give the same page: one read of every match near the origin, the candidates read
on their own, or read from the prices when few are published. On SQLite and PostgreSQL."""

import datetime as dt
import random

import pytest
import sqlalchemy as sa
from geopy.distance import great_circle
from werkzeug.datastructures import MultiDict

from finder import programs
from finder.db import db
from finder.fit import LEVEL_ORDER, fitter
from finder.geo import distances_from
from finder.search import read_query

CAMBRIDGE = (42.3647, -71.1042)
LEVELS = ["outpatient", "intensive_outpatient", "residential_long", "detox_inpatient"]
TODAY = dt.date(2026, 11, 2)


@pytest.fixture
def directory(add_program):
    """70 programs within 30 miles of Cambridge, MA: some priced at a few shared prices (one
    at a level it does not offer), some taking Medicaid, some with a sliding fee."""
    rng = random.Random(16)
    for n in range(70):
        point = great_circle(miles=rng.uniform(0, 30)).destination(CAMBRIDGE, rng.uniform(0, 360))
        care = rng.sample(LEVELS, rng.randint(1, 2))
        rates = {}
        if rng.random() < 0.5:
            rates[care[0]] = rng.choice([15000, 20000, (10000, 30000)])
        if n % 9 == 0:
            rates["residential_short"] = 90000  # priced, not offered
        add_program(
            name=f"Program {n % 23}",  # names repeat: the order falls back to the id
            latitude=point.latitude,
            longitude=point.longitude,
            care_levels=care,
            payments=rng.sample(["cash", "medicaid", "sliding_fee", "private_insurance"], 2),
            rates=rates,
        )


@pytest.fixture
def statements():
    """The statements run, but for transaction control (BEGIN, COMMIT, ROLLBACK, SET)."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("SET ", "BEGIN", "COMMIT", "ROLLBACK")):
            seen.append(statement)

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", record)
    yield seen
    sa.event.remove(sa.engine.Engine, "before_cursor_execute", record)


def run(client, statements, **params) -> int:
    client.get("/api/facilities", query_string={"near": "02139", **params})  # compiled once
    statements.clear()
    response = client.get("/api/facilities", query_string={"near": "02139", **params})
    assert response.status_code == 200, response.json
    assert response.json["results"]
    return len(statements)


@pytest.mark.parametrize(
    "params, postgresql, sqlite",
    [
        # the count (on PostgreSQL with the boxes that narrow the first read; SQLite's
        # R*Tree counts them apart, in process), the box, the page
        ({"radius": "25", "per_page": "10"}, 3, 4),
        # the count, one box for the page and the candidates, the page with their levels
        ({"radius": "25", "per_page": "10", "coverage": "medicaid"}, 3, 4),
        # ... and the candidates loaded to rank them by cost, then the rest of the page
        ({"radius": "25", "per_page": "10", "coverage": "cash", "sort": "cost"}, 4, 5),
        # filters: nothing to narrow
        ({"radius": "25", "per_page": "10", "payment": "medicaid"}, 3, 3),
    ],
)
def test_a_results_page_takes_few_round_trips(
    app, client, directory, statements, params, postgresql, sqlite
):
    limit = postgresql if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql") else sqlite
    assert run(client, statements, **params) <= limit


def test_the_page_and_its_candidates_come_from_one_read(client, directory, statements):
    """A distance sort with a coverage reads no box of its own for the candidates."""
    plain = run(client, statements, radius="25", per_page="10")
    assert run(client, statements, radius="25", per_page="10", coverage="medicaid") == plain


def page(app, **params):
    with app.test_request_context():
        query = read_query(MultiDict({"near": "02139", **params}))
        found = programs.programs_near(query, fitter(query, TODAY))
        return (
            found.total,
            found.level,
            [(h.program.id, round(h.distance_miles, 9), h.fit, h.cost_ranked) for h in found.hits],
        )


SEARCHES = [
    {"radius": "10", "coverage": "medicaid", "per_page": "5"},
    {"radius": "25", "coverage": "cash", "per_page": "5", "page": "2"},
    {"radius": "25", "coverage": "medicaid", "sort": "cost", "per_page": "5"},
    {"radius": "any", "coverage": "cash", "fpg": "101-125", "per_page": "8"},
    {"radius": "any", "coverage": "cash", "sort": "cost", "per_page": "8", "page": "2"},
    {"radius": "30", "coverage": "private_insurance", "care": "outpatient", "per_page": "5"},
    {"radius": "30", "fpg": "0-100", "sort": "cost", "per_page": "4"},
]


@pytest.mark.parametrize("params", SEARCHES)
def test_every_way_of_reading_the_candidates_gives_the_same_page(
    app, directory, monkeypatch, params
):
    monkeypatch.setattr(programs, "COST_SORTED", 6)
    ways = {}
    for cap, few in [(programs.NEARBY_CAP, 10**6), (1, 10**6), (1, 0)]:
        monkeypatch.setattr(programs, "NEARBY_CAP", cap)
        monkeypatch.setattr(programs, "FEW_PRICED", few)
        ways[(cap, few)] = page(app, **params)
    first = next(iter(ways.values()))
    assert first[2]
    assert all(way == first for way in ways.values()), ways


@pytest.mark.parametrize("params", [s for s in SEARCHES if "sort" not in s])
def test_the_page_is_the_nearest_and_its_level_what_the_nearest_priced_price(
    app, directory, monkeypatch, params
):
    """Worked out by hand from every program: the page's programs, nearest first (then name
    and id), and its level, the least intensive that a candidate offers and prices."""
    from finder.models import Program

    monkeypatch.setattr(programs, "COST_SORTED", 6)
    total, level, hits = page(app, **params)
    with app.app_context():
        query = read_query(MultiDict({"near": "02139", **params}))
        miles = distances_from(query.origin)
        everything = db.session.scalars(sa.select(Program)).all()
        chosen = [lvl for lvl in LEVEL_ORDER if lvl in (params.get("care") or lvl)]
        matching = [
            (miles(p.latitude, p.longitude), p.name, p.id, p)
            for p in everything
            if "care" not in params or params["care"] in p.tokens("care")
        ]
        if query.radius is not None:
            matching = [m for m in matching if m[0] <= query.radius + 1e-9]
        matching.sort(key=lambda m: m[:3])
        priced = [m[3] for m in matching if any(r.item in chosen for r in m[3].rates)][:6]
        levels = {r.item for p in priced for r in p.rates if r.item in p.tokens("care")}
        start = (query.page - 1) * query.per_page
        window = matching[start : start + query.per_page]
    assert total == len(matching)
    assert [h[0] for h in hits] == [m[2] for m in window]
    assert level == next((lvl for lvl in chosen if lvl in levels), None)


@pytest.mark.parametrize("cost_sorted, level", [(6, "residential_long"), (7, "outpatient")])
def test_a_distance_sort_reads_on_until_the_least_intensive_level_is_known(
    app, add_program, monkeypatch, cost_sorted, level
):
    """A distance sort stops reading once the page is read and one of the nearest priced
    programs offers and prices the least intensive level: before that, a farther candidate
    may still lower the page's level; past the COST_SORTED nearest priced, none may."""
    monkeypatch.setattr(programs, "COST_SORTED", cost_sorted)
    for n in range(14):  # a mile apart, due north; the seventh priced one prices outpatient
        point = great_circle(miles=1 + n).destination(CAMBRIDGE, 0)
        priced = n % 2 == 0
        cheap = priced and n // 2 == 6
        add_program(
            latitude=point.latitude,
            longitude=point.longitude,
            care_levels=["outpatient", "residential_long"],
            rates=({"outpatient": 9000} if cheap else {"residential_long": 50000})
            if priced
            else {},
        )
    ways = set()
    for cap, few in [(programs.NEARBY_CAP, 10**6), (1, 10**6), (1, 0)]:
        monkeypatch.setattr(programs, "NEARBY_CAP", cap)
        monkeypatch.setattr(programs, "FEW_PRICED", few)
        for per_page in ("2", "5", "12"):
            total, found, hits = page(app, radius="50", coverage="cash", per_page=per_page)
            assert total == 14 and found == level
            ways.add(tuple(hits[:2]))
    assert len(ways) == 1


def test_a_page_reads_one_snapshot_without_a_round_trip_of_its_own(app, client, directory):
    """PostgreSQL: a read's transaction is REPEATABLE READ from its BEGIN, with no SET
    TRANSACTION of its own; a write's is the server's default, READ COMMITTED, even on a
    connection a read used before."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("PostgreSQL's isolation levels")
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement.lstrip().upper())

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", record)
    try:
        assert client.get("/api/facilities?near=02139&radius=25").status_code == 200
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", record)
    assert seen and not [s for s in seen if s.startswith("SET ")]
    for method, level in [("GET", "repeatable read"), ("POST", "read committed"),
                          ("GET", "repeatable read")]:  # fmt: skip
        with app.test_request_context("/", method=method):
            shown = db.session.execute(sa.text("SHOW transaction_isolation")).scalar()
            db.session.remove()
        assert shown == level, method
