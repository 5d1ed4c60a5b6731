"""Write the directory in our own format, safe to open in a spreadsheet."""

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..db import db
from ..models import Program
from ..vocab import RATE_ITEMS
from .fields import dollars, neutralise
from .native import COLUMNS, TOKEN_COLUMNS, phone_entry


def export_rows() -> Iterator[str]:
    """The active programs in our CSV format, one line of text at a time (header first).

    Needs an app context while it runs (in a view: stream_with_context)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(cells) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([neutralise(cell) for cell in cells])
        return buffer.getvalue()

    yield line(COLUMNS)
    query = (
        select(Program)
        .where(Program.active.is_(True))
        .order_by(Program.id)
        .options(selectinload(Program.phones))
    )
    for program in db.session.scalars(query.execution_options(yield_per=500)):
        cells = _cells(program)
        yield line(cells[column] for column in COLUMNS)


def export_csv(target: str | Path | TextIO) -> int:
    """Write the export to a path or an open text stream; return how many programs."""
    if isinstance(target, str | Path):
        with open(target, "w", newline="", encoding="utf-8") as stream:
            return export_csv(stream)
    count = -1
    for text in export_rows():
        target.write(text)
        count += 1
    return count


def _cells(program: Program) -> dict[str, str]:
    rates = {r.item: dollars(r.low_cents, r.high_cents) for r in program.rates}
    cells = {
        "key": program.id,
        "verified_on": _day(program.verified_on),
        "imported_on": _day(program.imported_on),
        "telehealth": "yes" if program.telehealth else "no",
        # None stored: left empty, so that import builds them from phone and intake_phone.
        "phones": "; ".join(phone_entry(p.kind, p.number, p.label) for p in program.phones),
        "beds": "" if program.beds is None else str(program.beds),
        "substance_use": "yes" if program.substance_use else "no",
        # An approximate location is the ZIP's centre: left blank, import finds it again.
        "latitude": "" if program.location_approximate else repr(program.latitude),
        "longitude": "" if program.location_approximate else repr(program.longitude),
    }
    for name in ("name", "name2", "street", "street2", "city", "state", "zip", "phone"):
        cells[name] = getattr(program, name)
    for name in ("intake_phone", "website", "sliding_fee_schedule", "source"):
        cells[name] = getattr(program, name)
    for column, kind in TOKEN_COLUMNS.items():
        cells[column] = ";".join(program.tokens(kind))
    for item in RATE_ITEMS:
        cells[f"rate_{item}"] = rates.get(item, "")
    return cells


def _day(day) -> str:
    return day.isoformat() if day else ""
