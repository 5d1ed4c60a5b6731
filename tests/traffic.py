"""Drive the app in-process with a family's traffic, for the crash regression tests.

    python tests/traffic.py DATABASE_URL reproducer N [T]  # the crash report's loop, N requests
    python tests/traffic.py DATABASE_URL mixed N [T]       # searches of every kind, program
                                                           # pages, estimates and the API

T, when given, is the collector's generation-0 threshold (gc.set_threshold): a low one makes
collections, and so the 3.11 crash without its guard, come sooner.

Run in a subprocess (tests/test_no_crash.py), so that a crash of the interpreter fails a test
instead of killing the test run. Prints one line, "ok <status counts>", and exits 0 when every
request got an expected status; a 5xx is exit 1; a crash is a signal.
"""

import collections
import datetime as dt
import gc
import random
import sys

from flask import Flask
from sqlalchemy import select

from finder import create_app, geo
from finder.db import db
from finder.models import Program

REPRODUCER = "/search?near=02139&radius=any&per_page=50"
PLACES = ["02139", "02139-4307", "Cambridge, MA", "42.3647, -71.1042", "10001", "Boston, MA",
          "59718", "99501", "96813", "00000", "Nowhere, ZZ"]  # fmt: skip
RADII = ["5", "10", "25", "50", "100", "500", "any", "", "0", "abc"]
FILTERS = {
    "setting": ["inpatient", "outpatient"],
    "care": ["outpatient", "intensive_outpatient", "residential_long", "detox_inpatient",
             "opioid_treatment_program"],
    "payment": ["medicaid", "medicare", "sliding_fee", "private_insurance", "free", "cash"],
    "medication": ["methadone", "buprenorphine", "naltrexone", "naltrexone_xr"],
    "age": ["adolescents", "adults", "seniors"],
    "language": ["es", "zh", "asl"],
    "special": ["veterans", "women", "co_occurring"],
}  # fmt: skip
COVERAGE = ["", "medicaid", "medicare", "private_insurance", "tricare", "cash", "sliding_fee"]


def search_params(rng: random.Random) -> dict:
    params = {"near": rng.choice(PLACES), "radius": rng.choice(RADII)}
    for name, values in rng.sample(sorted(FILTERS.items()), rng.randint(0, 3)):
        params[name] = ",".join(rng.sample(values, rng.randint(1, 2)))
    if rng.random() < 0.4:
        params["coverage"] = rng.choice(COVERAGE)
        if params["coverage"] == "private_insurance" and rng.random() < 0.5:
            params.update(deductible="3000", coinsurance="0.2", oop_max="9000")
        if rng.random() < 0.3:
            params["fpg"] = rng.choice(["0-100", "126-150", "201+"])
        params["sort"] = rng.choice(["distance", "cost"])
    params["page"] = str(rng.choice([1, 1, 1, 2, 3, 40]))
    params["per_page"] = str(rng.choice([5, 20, 50, 100]))
    return params


def estimate_form(rng: random.Random, program_id: str | None) -> dict:
    form = {
        "program": rng.choice(["outpatient", "inpatient", "iop", "stepped"]),
        "days": str(rng.choice([30, 90, 180])),
        "start_date": (dt.date.today() + dt.timedelta(days=rng.randint(0, 300))).isoformat(),
        "insurance": rng.choice(["none", "commercial", "medicaid", "medicare"]),
        "deductible": "2500",
        "coinsurance": "20",
        "oop_max": "8000",
        "household_size": "3",
        "income": str(rng.choice([15000, 40000, 90000])),
        "state": "MA",
    }
    if program_id is not None and rng.random() < 0.5:
        form["facility"] = program_id
        form.pop("program")
    return form


def estimate_json(rng: random.Random, program_id: str | None) -> dict:
    body = {
        "start_date": dt.date.today().isoformat(),
        "program": rng.choice(["outpatient", "inpatient", "iop", "stepped"]),
        "days": rng.choice([30, 90, 200]),
        "household": {"size": 2, "annual_income": 30000, "state": "MA"},
    }
    if rng.random() < 0.5:
        body["insurance"] = {"type": "commercial", "deductible": 5000, "coinsurance": 0.2,
                             "oop_max": 9200}  # fmt: skip
    if program_id is not None and rng.random() < 0.3:
        body["facility_id"] = program_id
    return body


def mixed(app: Flask, count: int, seed: int = 7) -> collections.Counter:
    rng = random.Random(seed)
    with app.app_context():
        ids = list(db.session.scalars(select(Program.id).order_by(Program.id)))
    client = app.test_client()
    statuses: collections.Counter = collections.Counter()
    for _ in range(count):
        program_id = rng.choice(ids) if ids else None
        kind = rng.random()
        if kind < 0.35:
            response = client.get("/search", query_string=search_params(rng))
        elif kind < 0.5:
            response = client.get("/api/facilities", query_string=search_params(rng))
        elif kind < 0.65:
            response = client.get(f"/facilities/{program_id or 'none'}")
        elif kind < 0.7:
            response = client.get(f"/api/facilities/{program_id or 'none'}")
        elif kind < 0.8:
            response = client.post("/estimate", data=estimate_form(rng, program_id))
        elif kind < 0.87:
            response = client.post("/api/estimate", json=estimate_json(rng, program_id))
        elif kind < 0.93:
            household = {**search_params(rng), "household_size": "4", "income": "52000"}
            response = client.post("/search", data=household)
        else:
            response = client.get(
                rng.choice(["/", "/estimate", f"/estimate?facility={program_id}"])
            )
        statuses[response.status_code] += 1
    return statuses


def reproducer(app: Flask, count: int) -> collections.Counter:
    client = app.test_client()
    return collections.Counter(client.get(REPRODUCER).status_code for _ in range(count))


def main(url: str, scenario: str, count: int, gen0_threshold: int | None = None) -> int:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "traffic"})
    geo.load_tables()
    if gen0_threshold is not None:
        gc.set_threshold(gen0_threshold)
    statuses = {"reproducer": reproducer, "mixed": mixed}[scenario](app, count)
    print("ok" if not any(s >= 500 for s in statuses) else "failed", dict(sorted(statuses.items())))
    return 1 if any(s >= 500 for s in statuses) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], *map(int, sys.argv[3:])))
