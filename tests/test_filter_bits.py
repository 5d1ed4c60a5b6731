"""Filter bits (finder/filterbits.py): every writer of a program's features keeps its bit
columns in step, and a search filtered by the bits finds exactly what the feature table
finds (the same pages, the same totals), for values with a bit and values without."""

import csv
import random
from pathlib import Path

import pytest
from geopy.distance import great_circle
from sqlalchemy import select, update

from finder import filterbits, vocab
from finder.db import db
from finder.importer import import_file
from finder.models import Program, ProgramFeature, ProgramRate
from finder.search import FILTERS

DEMO = Path(__file__).resolve().parents[1] / "data" / "programs.csv"
CAMBRIDGE = (42.3647, -71.1042)
KINDS = {"care": "care_levels", "payment": "payments", "medication": "medications",
         "age": "ages", "language": "languages", "special": "specials",
         "therapy": "therapies", "sign": "signs"}  # fmt: skip


def stored_against_features() -> dict[str, tuple[dict, dict]]:
    """Each program whose stored bits differ from the bits of its features and of the items
    it prices (kind "priced"): id -> (stored, wanted)."""
    features: dict[str, list] = {}
    for program_id, kind, value in db.session.execute(
        select(ProgramFeature.program_id, ProgramFeature.kind, ProgramFeature.value)
    ):
        features.setdefault(program_id, []).append((kind, value))
    for program_id, item in db.session.execute(select(ProgramRate.program_id, ProgramRate.item)):
        features.setdefault(program_id, []).extend(filterbits.priced([item]))
    wrong = {}
    columns = [getattr(Program, c) for c in filterbits.COLUMNS]
    for program_id, *bits in db.session.execute(select(Program.id, *columns)):
        stored = dict(zip(filterbits.COLUMNS, bits, strict=True))
        wanted = filterbits.columns(features.get(program_id, ()))
        if stored != wanted:
            wrong[program_id] = (stored, wanted)
    return wrong


def test_every_value_a_search_filters_by_has_one_bit_of_its_own():
    pairs = [pair for pairs in filterbits.LAYOUT.values() for pair in pairs]
    assert len(pairs) == len(set(pairs))
    assert all(len(p) <= filterbits.BITS_PER_COLUMN for p in filterbits.LAYOUT.values())
    for name, (kind, _) in FILTERS.items():
        if kind is not None:
            stored = vocab.FEATURE_KINDS[kind]
            assert {(kind, v) for v in stored} <= set(filterbits.BIT), name
    for _, _, alternatives in vocab.SIGNS.values():
        for kind, values in alternatives:
            assert {(kind, v) for v in values} <= set(filterbits.BIT)


def test_the_importer_writes_the_bits_of_new_and_changed_programs(app, tmp_path):
    with app.app_context():
        import_file(DEMO, actor="a")
        assert db.session.scalar(select(Program.id).where(Program.filter_bits_1 != 0))
        assert stored_against_features() == {}
        with open(DEMO, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        rows[0]["payments"], rows[0]["languages"] = "medicaid;free", "es;so"
        rows[1]["care_levels"], rows[1]["signs"] = "residential_long", "carf;aftercare"
        edited = tmp_path / "edited.csv"
        with open(edited, "w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        result = import_file(edited, actor="a")
        assert result.summary.changed == 2
        db.session.expire_all()
        assert stored_against_features() == {}
        changed = db.session.get(Program, rows[1]["key"])
        care = sum(bit for (kind, _), (_, bit) in filterbits.BIT.items() if kind == "care")
        assert changed.filter_bits_1 & care == filterbits.BIT[("care", "residential_long")][1]


def test_orm_writes_keep_the_bits(app, add_program):
    key = add_program(payments=["medicaid"], languages=["es"], signs=["carf"])
    with app.app_context():
        assert stored_against_features() == {}
        program = db.session.get(Program, key)
        program.set_tokens("payment", ["cash", "free"])
        program.set_tokens("language", [])
        db.session.commit()
        assert stored_against_features() == {}
        db.session.add(ProgramFeature(program_id=key, kind="therapy", value="cbt"))
        db.session.commit()
        assert stored_against_features() == {}
        gone = db.session.get(ProgramFeature, (key, "payment", "cash"))
        db.session.delete(gone)
        db.session.commit()
        db.session.expire_all()
        assert stored_against_features() == {}


def test_refill_recomputes_every_program_from_its_features(app, add_program):
    for n in range(3):
        add_program(payments=["medicaid", "cash"][: n + 1], signs=["aftercare"])
    with app.app_context():
        db.session.execute(update(Program).values(filter_bits_1=0, filter_bits_2=12345))
        assert len(stored_against_features()) == 3
        filterbits.refill(db.session.connection())
        db.session.commit()
        assert stored_against_features() == {}


def random_directory(add_program, rng: random.Random, count: int) -> None:
    for _ in range(count):
        tokens = {
            name: rng.sample(sorted(vocab.FEATURE_KINDS[kind]), rng.choice((0, 1, 1, 2, 3)))
            for kind, name in KINDS.items()
        }
        # Mostly within 120 miles of Cambridge (some at the same place: ties), a few far.
        miles = rng.choice((0, 0.5, 3, 8, 20, 60, 120, 1500)) * rng.random()
        place = great_circle(miles=miles).destination(CAMBRIDGE, rng.uniform(0, 360))
        add_program(
            latitude=place.latitude,
            longitude=place.longitude,
            name=f"Program {rng.randrange(8)}",
            telehealth=rng.random() < 0.3,
            substance_use=rng.random() < 0.95,
            **tokens,
        )


def random_query(rng: random.Random) -> dict:
    params = {
        "near": "02139",
        "radius": rng.choice(("5", "25", "100", "any")),
        "per_page": rng.choice(("5", "10")),
        "page": rng.choice(("1", "1", "2", "3")),
    }
    for name in rng.sample(sorted(FILTERS), rng.choice((1, 1, 2, 3))):
        allowed = sorted(FILTERS[name][1])
        params[name] = ",".join(rng.sample(allowed, rng.choice((1, 1, 2))))
    if rng.random() < 0.2:
        params["telehealth"] = "true"
    if rng.random() < 0.2:
        params["sort"], params["coverage"] = "cost", rng.choice(sorted(vocab.PAYMENTS))
    return params


def answer(client, params) -> tuple:
    response = client.get("/api/facilities", query_string=params)
    assert response.status_code == 200, params
    found = response.get_json()
    return found["total"], [(r["id"], r["distance_miles"]) for r in found["results"]]


def same_pages_each_way(client, add_program, rng: random.Random, *other_ways) -> None:
    """60 random searches over a random directory of 140 programs give the same pages and
    totals after each of `other_ways(rng)` switches search to another path as before."""
    random_directory(add_program, rng, 140)
    queries = [random_query(rng) for _ in range(60)]
    first = [answer(client, q) for q in queries]
    assert any(total for total, _ in first)
    for other_way in other_ways:
        other_way(rng)
        assert [answer(client, q) for q in queries] == first


@pytest.mark.parametrize("seed", [1, 2])
def test_bits_and_the_feature_table_give_the_same_pages(app, client, add_program, monkeypatch,
                                                        seed):  # fmt: skip
    def no_bits(rng):
        # Every filter reads program_feature (EXISTS, or index ranges anywhere).
        monkeypatch.setattr(filterbits, "BIT", {})

    def half_the_bits(rng):
        # As a value added to the vocabulary but not to LAYOUT: one filter reads both the
        # bits and the feature table.
        pairs = sorted(filterbits._bits().items())
        monkeypatch.setattr(filterbits, "BIT", dict(rng.sample(pairs, len(pairs) // 2)))

    same_pages_each_way(client, add_program, random.Random(seed), no_bits, half_the_bits)
