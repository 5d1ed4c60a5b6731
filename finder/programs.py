"""Named queries over the directory."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, select

from .db import db
from .geo import bounding_box, distance_miles
from .models import PROGRAM_ID, Program, ProgramFeature, ProgramRate
from .search import Query


@dataclass(frozen=True)
class Hit:
    program: Program
    distance_miles: float
    fit: Any = None  # finder.fit.Fit when the searcher gave coverage or household


@dataclass(frozen=True)
class ResultPage:
    query: Query
    total: int
    hits: list[Hit]

    @property
    def pages(self) -> int:
        return -(-self.total // self.query.per_page)


def _candidates(query: Query, radius: float | None):
    """(id, name, latitude, longitude) of searchable programs matching every filter, inside
    the bounding box of the radius."""
    stmt = select(Program.id, Program.name, Program.latitude, Program.longitude).where(
        Program.active, Program.substance_use
    )
    for kind, values in query.feature_sets():
        stmt = stmt.where(
            exists().where(
                ProgramFeature.program_id == Program.id,
                ProgramFeature.kind == kind,
                ProgramFeature.value.in_(values),
            )
        )
    box = bounding_box(query.origin, radius) if radius is not None else None
    if box is not None:
        south, north, west, east = box
        stmt = stmt.where(Program.latitude.between(south, north))
        stmt = stmt.where(Program.longitude.between(west, east))
    return db.session.execute(stmt)


def _ranked(query: Query, radius: float | None) -> list[tuple[float, str, str]]:
    """(distance, name, id) of every match within the radius (inclusive), nearest first."""
    ranked = []
    for program_id, name, lat, lon in _candidates(query, radius):
        miles = distance_miles(query.origin, lat, lon)
        # A program exactly at the radius is inside; allow for floating-point noise.
        if radius is None or miles <= radius + 1e-9:
            ranked.append((miles, name, program_id))
    ranked.sort()
    return ranked


def _load(ids: list[str]) -> dict[str, Program]:
    return {p.id: p for p in db.session.scalars(select(Program).where(Program.id.in_(ids)))}


def programs_near(query: Query, fit: Callable[[Program], Any] | None = None) -> ResultPage:
    """One page of the programs within the query's radius, nearest first (then by name, id).

    With `fit` (program -> finder.fit.Fit) each hit carries its fit; sort=cost orders by
    what the searcher would pay, programs without an estimate last, then by distance.
    """
    ranked = _ranked(query, query.radius)
    start = (query.page - 1) * query.per_page
    fits = {}
    if fit is not None and query.sort == "cost":
        # Only a program that publishes a price can have an estimate: cost those alone.
        priced = set(db.session.scalars(select(ProgramRate.program_id).distinct()))
        fits = {i: fit(p) for i, p in _load([i for *_, i in ranked if i in priced]).items()}
        ranked.sort(key=lambda r: (fits[r[2]].cost_key if r[2] in fits else (1, 0), r))
    window = ranked[start : start + query.per_page]
    loaded = _load([i for *_, i in window])
    if fit is not None:
        fits.update({i: fit(p) for i, p in loaded.items() if i not in fits})
    hits = [Hit(loaded[i], miles, fits.get(i)) for miles, _, i in window]
    return ResultPage(query, len(ranked), hits)


def count_near(query: Query, radius: float | None) -> int:
    """How many programs match the query's filters within another radius."""
    return len(_ranked(query, radius))


def program(program_id: str) -> Program | None:
    """An active program by its key (None, without a query, for one no program can have)."""
    if not PROGRAM_ID.fullmatch(program_id):
        return None
    found = db.session.get(Program, program_id)
    return found if found is not None and found.active else None


def demo_data_present() -> bool:
    return db.session.scalar(select(exists().where(Program.source == "demo"))) or False
