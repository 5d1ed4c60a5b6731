"""Named queries and updates behind the admin pages."""

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from ..db import db
from ..models import MAX_ID, PROGRAM_ID, ImportBatch, ImportJob, Program, Report


@dataclass(frozen=True)
class Dashboard:
    active_programs: int
    open_reports: int
    recent_imports: list[ImportBatch]


def dashboard() -> Dashboard:
    """The counts on the admin home page and the latest imports."""
    active = select(func.count()).select_from(Program).where(Program.active)
    open_ = select(func.count()).select_from(Report).where(Report.resolved_at.is_(None))
    return Dashboard(
        active_programs=db.session.scalar(active) or 0,
        open_reports=db.session.scalar(open_) or 0,
        recent_imports=import_history(limit=5),
    )


def import_history(limit: int = 200) -> list[ImportBatch]:
    """Applied imports, newest first."""
    stmt = select(ImportBatch).order_by(ImportBatch.created_at.desc(), ImportBatch.id.desc())
    return list(db.session.scalars(stmt.limit(limit)))


def import_batch(batch_id: int) -> ImportBatch | None:
    return db.session.get(ImportBatch, batch_id) if 0 < batch_id <= MAX_ID else None


def mark_verified(program_id: str, today: dt.date | None = None) -> Program | None:
    """Set the program's last-verified date to today; None if there is no such program."""
    program = db.session.get(Program, program_id) if PROGRAM_ID.fullmatch(program_id) else None
    if program is None:
        return None
    program.verified_on = today or dt.date.today()
    db.session.commit()
    return program


def import_job(job_id: int) -> ImportJob | None:
    return db.session.get(ImportJob, job_id) if 0 < job_id <= MAX_ID else None
