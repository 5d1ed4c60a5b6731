"""Priced bits (finder/filterbits.py, kind "priced"): a program's `filter_bits_2` says which
rate items it publishes a price for, in step with its rates whoever writes them (the ORM, an
import), and a search with estimates that reads them finds the pages the rates give."""

import csv
from pathlib import Path

from sqlalchemy import select

from finder import filterbits, programs, vocab
from finder.db import db
from finder.importer import import_file
from finder.models import Program, ProgramRate

DEMO = Path(__file__).resolve().parents[1] / "data" / "programs.csv"


def priced_items(key: str) -> set[str]:
    """The items whose priced bit the program's stored row has set."""
    db.session.expire_all()
    program = db.session.get(Program, key)
    held = {"filter_bits_1": program.filter_bits_1, "filter_bits_2": program.filter_bits_2}
    return {
        value
        for (kind, value), (column, bit) in filterbits.BIT.items()
        if kind == "priced" and held[column] & bit
    }


def test_a_programs_priced_bits_follow_its_rates_through_the_orm(app, add_program):
    key = add_program(care_levels=["outpatient", "residential"], rates={"outpatient": 9000})
    with app.app_context():
        assert priced_items(key) == {"outpatient"}
        program = db.session.get(Program, key)
        program.rates.append(ProgramRate(item="residential", low_cents=50000, high_cents=60000))
        db.session.commit()
        assert priced_items(key) == {"outpatient", "residential"}
        # A rate added on its own, by the program's id.
        db.session.add(ProgramRate(program_id=key, item="methadone", low_cents=1, high_cents=2))
        db.session.commit()
        assert priced_items(key) == {"outpatient", "residential", "methadone"}
        # A changed price is still a price: the bits stay as they are.
        db.session.get(ProgramRate, (key, "outpatient")).low_cents = 8000
        db.session.commit()
        assert priced_items(key) == {"outpatient", "residential", "methadone"}
        db.session.delete(db.session.get(ProgramRate, (key, "methadone")))
        db.session.commit()
        assert priced_items(key) == {"outpatient", "residential"}
        program = db.session.get(Program, key)
        program.rates.clear()
        db.session.commit()
        assert priced_items(key) == set()
        # The features' bits were never touched by the rates.
        assert filterbits.BIT[("care", "residential")][1] & program.filter_bits_1


def test_a_programs_priced_bits_follow_its_rates_through_an_import(app, tmp_path):
    with open(DEMO, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows[:3]:
        for item in vocab.RATE_ITEMS:
            row[f"rate_{item}"] = ""
    rows[0]["rate_outpatient"] = "90"
    rows[1]["rate_residential"], rows[1]["rate_methadone"] = "400-500", "15"

    def imported(name: str):
        path = tmp_path / name
        with open(path, "w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        return import_file(path, actor="a")

    with app.app_context():
        imported("first.csv")
        first, second, third = (row["key"] for row in rows[:3])
        assert priced_items(first) == {"outpatient"}
        assert priced_items(second) == {"residential", "methadone"}
        assert priced_items(third) == set()
        rows[0]["rate_outpatient"] = ""  # removed
        rows[1]["rate_methadone"] = "20"  # changed
        rows[2]["rate_detox_inpatient"] = "700"  # added
        assert imported("second.csv").summary.changed == 3
        assert priced_items(first) == set()
        assert priced_items(second) == {"residential", "methadone"}
        assert priced_items(third) == {"detox_inpatient"}
        # Every program's stored bits are those of its features and rates.
        rated: dict[str, set] = {key: set() for key in db.session.scalars(select(Program.id))}
        for key, item in db.session.execute(select(ProgramRate.program_id, ProgramRate.item)):
            rated[key].add(item)
        assert any(rated[row["key"]] for row in rows[3:])
        assert {key: priced_items(key) for key in rated} == rated


def test_a_search_with_estimates_gives_the_same_page_from_the_bits_as_from_the_rates(
    client, add_program, monkeypatch
):
    # Outpatient is offered by some and priced by others, never both at once: the page's
    # level is the least intensive one a candidate offers and prices, intensive outpatient.
    for n in range(12):
        add_program(
            care_levels=["outpatient", "intensive_outpatient"] if n % 2 else ["residential"],
            rates={"intensive_outpatient": 9000 + 700 * n} if n % 2 else {"outpatient": 5000},
            latitude=42.3647 + n * 0.01,
        )
    searches = ["near=02139&radius=25&coverage=cash", "near=02139&radius=25&coverage=cash"
                "&sort=cost", "near=02139&radius=25&coverage=medicaid&fpg=101-125"]  # fmt: skip
    through_bits = [client.get(f"/api/facilities?{q}").get_json() for q in searches]
    assert [page["estimate_level"] for page in through_bits] == ["intensive_outpatient"] * 3
    assert any(r.get("estimate") for page in through_bits for r in page["results"])
    # The way from before the priced bits: each row's rates, aggregated.
    monkeypatch.setattr(programs, "_priced_bits", lambda levels: None)
    through_rates = [client.get(f"/api/facilities?{q}").get_json() for q in searches]
    assert through_rates == through_bits
