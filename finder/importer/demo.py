"""The fictional demo directory (data/programs.csv): loaded into an empty database, removable
from any; and what the database holds, by source."""

from flask import current_app
from sqlalchemy import delete, func, select

from ..db import db
from ..models import Program, ProgramFeature, ProgramPhone, ProgramRate, Report
from . import import_file

DEMO_SOURCE = "demo"


def load_demo_if_empty() -> int:
    """Load the demo directory into an empty database; return how many programs were added."""
    if db.session.scalar(select(func.count()).select_from(Program)):
        return 0
    result = import_file(current_app.config["DEMO_DATA"], fmt="native", actor="init-db")
    return result.summary.added


def remove_demo() -> int:
    """Delete the demo programs with their features, prices, phones and reports (SQLite
    enforces no foreign keys here, so nothing is left to a cascade); return how many went."""
    demo_ids = select(Program.id).where(Program.source == DEMO_SOURCE)
    for model in (Report, ProgramFeature, ProgramRate, ProgramPhone):
        db.session.execute(delete(model).where(model.program_id.in_(demo_ids)))
    removed = db.session.execute(delete(Program).where(Program.source == DEMO_SOURCE)).rowcount
    db.session.commit()
    return removed


def holdings() -> str:
    """What the database holds, in a sentence: "The database holds 1,298 programs (1,298 demo)."."""
    counts = db.session.execute(
        select(Program.source, func.count()).group_by(Program.source).order_by(Program.source)
    ).all()
    total = sum(n for _, n in counts)
    if not total:
        return "The database holds no programs yet."
    by_source = ", ".join(f"{n:,} {source}" for source, n in counts)
    return f"The database holds {total:,} program{'' if total == 1 else 's'} ({by_source})."
