"""The shipped demo directory: it loads, covers the country, and answers the headline search."""

import re

import pytest
from sqlalchemy import func, select

from finder.db import db
from finder.importer.demo import load_demo_if_empty
from finder.models import Program


@pytest.fixture
def demo(app):
    with app.app_context():
        added = load_demo_if_empty()
        assert load_demo_if_empty() == 0  # only into an empty database
    return added


def test_init_db_loads_the_demo_once_then_says_what_the_database_holds(runner, app):
    first = runner.invoke(args=["init-db"])
    again = runner.invoke(args=["init-db"])

    with app.app_context():
        total = db.session.scalar(select(func.count()).select_from(Program))
    assert first.exit_code == again.exit_code == 0 and total > 1000
    assert f"Loaded {total:,} demo programs" in first.output
    assert "Loaded" not in again.output
    assert f"The database holds {total:,} programs ({total:,} demo).\n" in again.output


def test_the_demo_directory_covers_every_state_with_fictional_listings(app, demo, client):
    assert demo >= 1000
    with app.app_context():
        states = db.session.scalars(select(Program.state).distinct()).all()
        phones = db.session.scalars(select(Program.phone)).all()
        sources = db.session.scalars(select(func.count()).where(Program.source != "demo")).one()
    assert len(set(states)) == 51 and sources == 0
    assert all(re.fullmatch(r"\d{3}-555-01\d\d( x\d+)?", phone) for phone in phones)


def test_medicaid_or_sliding_fee_within_10_miles_of_02139(client, demo):
    params = {"near": "02139", "radius": "10", "payment": "medicaid,sliding_fee", "per_page": "100"}
    body = client.get("/api/facilities", query_string=params).json
    results = body["results"]
    assert body["total"] == len(results) > 5
    assert all(r["distance_miles"] <= 10 for r in results)
    assert all({"medicaid", "sliding_fee"} & set(r["payments"]) for r in results)
    assert [r["distance_miles"] for r in results] == sorted(r["distance_miles"] for r in results)
    everything = client.get("/api/facilities", query_string={**params, "payment": ""}).json
    assert everything["total"] > body["total"]  # the filter really removed some
    page = client.get("/search", query_string=params).text
    assert re.findall(r'<h2><a href="/facilities/([^"]+)"', page) == [r["id"] for r in results]
    assert "Demo data:" in page
