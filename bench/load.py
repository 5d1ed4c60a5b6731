"""Benchmark databases: a scratch SQLite file or PostgreSQL database (dropped afterwards),
migrated, and filled straight from a generated CSV (bench/generate.py's native layout) with
plain multi-row inserts (COPY on PostgreSQL), not through the importer, which is measured on
its own. Rows go into the tables as the importer would leave them; the spatial index follows
by its triggers (SQLite, then packed in map order as after an import) or its index
(PostgreSQL)."""

import csv
import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from finder import create_app, filterbits, schema
from finder.db import db
from finder.geo import zip_info
from finder.models import Program, ProgramFeature, ProgramRate
from finder.vocab import RATE_ITEMS

LISTS = {"care_levels": "care", "medications": "medication", "payments": "payment",
         "carriers": "carrier", "ages": "age", "languages": "language",
         "special_programs": "special", "therapies": "therapy"}  # fmt: skip
CHUNK = 5000


def bench_app(url: str, instance: Path):
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench-" + "x" * 40,
            "UPLOAD_FOLDER": str(instance / "uploads"),
        }
    )


@contextmanager
def database(kind: str, folder: Path, postgres_url: str | None) -> Iterator[str]:
    """A URL to an empty database of that kind, gone afterwards."""
    if kind == "sqlite":
        path = folder / f"bench-{uuid.uuid4().hex[:8]}.sqlite"
        yield f"sqlite:///{path}"
        path.unlink(missing_ok=True)
        return
    name = f"finder_bench_{uuid.uuid4().hex[:12]}"
    server = sa.create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        server.dispose()


def _cents(text: str) -> tuple[int, int] | None:
    if not text:
        return None
    low, _, high = text.partition("-")
    return round(float(low) * 100), round(float(high or low) * 100)


def rows(path: Path) -> Iterator[tuple[dict, list[dict], list[dict]]]:
    """(program, features, rates) of each row of a generated native CSV."""
    now = dt.datetime(2026, 11, 1)
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            key = row["key"]
            approximate = row["latitude"] == ""
            if approximate:
                z = zip_info(row["zip"])
                lat, lon = z.latitude, z.longitude
            else:
                lat, lon = float(row["latitude"]), float(row["longitude"])
            program = {
                "id": key, "name": row["name"], "name2": row["name2"], "street": row["street"],
                "street2": row["street2"], "city": row["city"], "state": row["state"],
                "zip": row["zip"], "latitude": lat, "longitude": lon,
                "location_approximate": approximate, "phone": row["phone"],
                "intake_phone": row["intake_phone"], "website": row["website"],
                "beds": int(row["beds"]) if row["beds"] else None,
                "sliding_fee_schedule": row["sliding_fee_schedule"],
                "substance_use": row["substance_use"] != "no", "source": row["source"] or "demo",
                "verified_on": dt.date.fromisoformat(row["verified_on"]), "active": True,
                "import_id": None, "created_at": now, "updated_at": now,
            }  # fmt: skip
            features = [
                {"program_id": key, "kind": kind, "value": value}
                for column, kind in LISTS.items()
                for value in sorted({v.strip() for v in row[column].split(";") if v.strip()})
            ]
            rates = [
                {"program_id": key, "item": item, "low_cents": c[0], "high_cents": c[1]}
                for item in RATE_ITEMS
                if (c := _cents(row.get(f"rate_{item}", "")))
            ]
            pairs = [(f["kind"], f["value"]) for f in features]
            pairs += filterbits.priced(r["item"] for r in rates)
            program.update(filterbits.columns(pairs))
            yield program, features, rates


def fill(url: str, csv_path: Path, instance: Path) -> int:
    """Migrate the database and load the CSV's programs; return how many."""
    app = bench_app(url, instance)
    tables = [Program.__table__, ProgramFeature.__table__, ProgramRate.__table__]
    count = 0
    with app.app_context():
        schema.upgrade()
        with db.engine.begin() as conn:
            batch: list[list[dict]] = [[], [], []]
            for program, features, rates in rows(csv_path):
                batch[0].append(program)
                batch[1].extend(features)
                batch[2].extend(rates)
                count += 1
                if len(batch[0]) >= CHUNK:
                    _write(conn, tables, batch)
                    batch = [[], [], []]
            _write(conn, tables, batch)
            # What an import that writes many programs does once it has written them.
            schema.pack_spatial_index(conn)
            schema.refresh_statistics(conn)
        # On PostgreSQL, as autovacuum would soon after a load: statistics, and the visibility
        # map that lets a count read the index alone. (SQLite's ANALYZE is above, in the load's
        # transaction: on an AUTOCOMMIT connection finder.db's BEGIN left it uncommitted.)
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
        db.engine.dispose()
    return count


def _write(conn, tables, batch) -> None:
    for table, values in zip(tables, batch, strict=True):
        if not values:
            continue
        if conn.dialect.name == "postgresql":
            columns = list(values[0])
            cursor = conn.connection.driver_connection.cursor()
            with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
                for value in values:
                    copy.write_row([value[c] for c in columns])
        else:
            conn.execute(table.insert(), values)
