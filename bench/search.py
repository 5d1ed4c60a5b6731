"""Search at national scale: how the bounding box and great-circle distance pay off.

Run: .venv/bin/python bench/search.py [PROGRAMS]   (default 25,000, about the national size)

Builds a throwaway SQLite directory of PROGRAMS programs at random real ZIP centroids, then
times searches. Prints ratios measured in the same run (absolute times vary on shared machines).
"""

import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

from geopy.distance import geodesic, great_circle
from werkzeug.datastructures import MultiDict

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from finder import create_app, schema  # noqa: E402
from finder.db import db  # noqa: E402
from finder.fit import fitter  # noqa: E402
from finder.geo import _zip_table  # noqa: E402
from finder.models import Program, ProgramRate  # noqa: E402
from finder.programs import programs_near  # noqa: E402
from finder.search import read_query  # noqa: E402


def best_of(runs: int, fn) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def build(count: int) -> None:
    rng = random.Random(7)
    zips = list(_zip_table().values())
    for n in range(count):
        z = rng.choice(zips)
        program = Program(
            id=f"b-{n}", name=f"Bench {n}", city=z.city, state=z.state, zip=z.zip,
            latitude=z.latitude, longitude=z.longitude, source="bench", verified_on=dt.date.today(),
        )  # fmt: skip
        program.set_tokens(
            "care", rng.sample(["outpatient", "residential_long", "detox_inpatient"], 2)
        )
        program.set_tokens("payment", rng.sample(["cash", "medicaid", "sliding_fee", "free"], 2))
        if n % 2:
            program.rates.append(ProgramRate(item="outpatient", low_cents=15000, high_cents=15000))
        db.session.add(program)
    db.session.commit()


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 25_000
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite"})
        with app.app_context():
            schema.upgrade()
            build(count)
            searches = {
                "10 miles": MultiDict({"near": "02139", "radius": "10"}),
                "100 miles + payment": MultiDict(
                    {"near": "02139", "radius": "100", "payment": "medicaid,sliding_fee"}
                ),
                "100 miles, cost sort": MultiDict(
                    {"near": "02139", "radius": "100", "coverage": "cash", "sort": "cost"}
                ),
                "any distance": MultiDict({"near": "02139", "radius": "any"}),
            }

            def search(args):
                query = read_query(args)
                return programs_near(query, fitter(query, dt.date.today()))

            timings = {
                name: best_of(5, lambda a=args: search(a)) for name, args in searches.items()
            }
    base = timings["any distance"]
    print(f"{count} programs; best of 5 runs each")
    for name, seconds in timings.items():
        print(
            f"  {name:22s} {seconds * 1000:8.1f} ms   {seconds / base:5.2f} x the any-distance scan"
        )
    a, b = (42.3647, -71.1042), (34.05, -118.24)
    gc = best_of(3, lambda: [great_circle(a, b).miles for _ in range(20_000)])
    geo = best_of(3, lambda: [geodesic(a, b).miles for _ in range(20_000)])
    print(f"geodesic / great-circle time per distance: {geo / gc:.1f} x")


if __name__ == "__main__":
    main()
