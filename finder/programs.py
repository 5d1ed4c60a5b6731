"""Named queries over the directory."""

import dataclasses
import datetime as dt
import functools
import heapq
import math
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exists, func, select

from . import filterbits, vocab
from .db import db
from .estimator import ProgramRate as Rate
from .estimator.text import N_
from .geo import EARTH_RADIUS_MILES, bounding_box, distances_from
from .models import PROGRAM_ID, Program, ProgramFeature, ProgramPhone, ProgramRate
from .replica import reader
from .search import Query

# A results page's candidates: this many of the nearest programs that publish a price. Every
# estimate on the page is for the least intensive care level one of them prices; sort=cost
# ranks those that take the searcher's coverage by what they would pay, and every other match
# follows, nearest first (docs/api.md, the results page).
COST_SORTED = 50
# When no more than this many prices of care are published anywhere (a directory from
# SAMHSA's export publishes none), a page's candidates are found among those programs at
# once: a box widened until it held COST_SORTED of them would read every match in the radius.
FEW_PRICED = 1000
# The first box a nearest-first search reads, and how much wider each next one may be: a
# city's page fills from the first, a rural one within a few (an empty box costs little).
FIRST_REACH_MILES = 4
MIN_WIDEN, MAX_WIDEN = 1.3, 4.0
# A first box is narrowed until it holds no more than twice this many times the page.
DENSE = 3
# A program exactly at the radius is inside; allow for floating-point noise.
EPSILON = 1e-9

# SQLite's R*Tree of program locations (migrations: 5e1b7a93c2d4), kept by triggers; its
# auxiliary columns copy the program's filter columns (e4a9b1c7d3f2), so that a box whose
# filters are all bits is tested in the tree and reads `program` only for its matches.
_RTREE = sa.table(
    "program_rtree",
    sa.column("id"),
    sa.column("min_lat"),
    sa.column("max_lat"),
    sa.column("min_lon"),
    sa.column("max_lon"),
    sa.column("min_searchable"),
    sa.column("max_searchable"),
    *(sa.column(name) for name in filterbits.COLUMNS),
    sa.column("telehealth"),
)
# Whether a filtered search tests its bits in the R*Tree (SQLite) and sizes its first box by
# the filter's share of the count: bench/filters.py turns it off to measure the path before.
TREE_FILTERS = True
# The R*Tree's points are 32-bit floats (within a metre of the truth): a count trusts them
# this far inside the circle, and checks the programs' own coordinates near its edge.
MARGIN_MILES = 0.01


@dataclass(frozen=True)
class Listing:
    """What a search result shows of a program, read as plain rows rather than ORM objects:
    its columns (LISTING_COLUMNS, in this order), its values of each multi-valued attribute
    (sorted) and its published rates. Reads like a Program: tokens(), rate(), is_demo."""

    id: str
    name: str
    street: str
    city: str
    state: str
    zip: str
    latitude: float
    longitude: float
    location_approximate: bool
    phone: str
    intake_phone: str
    website: str
    telehealth: bool
    verified_on: dt.date | None
    imported_on: dt.date | None
    source: str
    sliding_fee_schedule: str
    substance_use: bool
    values: dict[str, list[str]]
    rates: tuple[Rate, ...]

    def tokens(self, kind: str) -> list[str]:
        return list(self.values.get(kind, ()))

    def rate(self, item: str) -> Rate | None:
        return next((r for r in self.rates if r.item == item), None)

    @property
    def is_demo(self) -> bool:
        return self.source == "demo"


LISTING_COLUMNS = tuple(
    getattr(Program, f.name) for f in dataclasses.fields(Listing)[: -len(("values", "rates"))]
)


@dataclass(frozen=True)
class Hit:
    program: Listing
    distance_miles: float
    fit: Any = None  # finder.fit.Fit when the searcher gave coverage or household
    # sort=cost: True for a hit ranked by cost (takes the coverage, priced at the page's
    # level), False for one that follows, nearest first; None for a distance sort.
    cost_ranked: bool | None = None


@dataclass(frozen=True)
class ResultPage:
    query: Query
    total: int
    hits: list[Hit]
    # The care level every estimate on the page is for (finder.fit), named on the page; None
    # when the search asks for no estimate or no candidate prices a level it may estimate.
    level: str | None = None

    @property
    def pages(self) -> int:
        return -(-self.total // self.query.per_page)

    @property
    def cost_sorted(self) -> int:
        """How many of the nearest priced programs sort=cost ranks by cost."""
        return COST_SORTED


def _rows() -> sa.Connection:
    """The connection of the session for directory reads (finder.replica): search statements
    are Core selects of plain rows and need none of the session's ORM handling."""
    return reader().connection()


# A search's statements are built once per shape (the parts of its query they are made of:
# the filters, telehealth, TREE_FILTERS, the database's dialect) and per number of boxes;
# every number in them (a box's corners, a circle's) is a bound parameter. Building a
# SQLAlchemy statement and its cache key costs more than SQLite's own work for a small box
# (about 0.3 ms a statement: docs/search-speed.md, "Statements built once").
Shape = tuple


def _shape(query: Query) -> Shape:
    """What a query's statements are built from: (telehealth, feature sets, TREE_FILTERS,
    dialect)."""
    return (query.telehealth, tuple(query.feature_sets()), TREE_FILTERS, _rows().dialect.name)


def clear_statements() -> None:
    """Forget the statements built so far (for a benchmark that changes filterbits.BIT)."""
    for built in (_matching_of, _tree_filters_of, _box_read, _plain_count, _shared_count,
                  _shared_tree, _searchable_count):  # fmt: skip
        built.cache_clear()


def _matching(query: Query, everywhere: bool = False) -> tuple:
    """_matching_of the query's shape."""
    return _matching_of(_shape(query), everywhere)


@functools.lru_cache(maxsize=512)
def _matching_of(shape: Shape, everywhere: bool = False) -> tuple:
    """Conditions for a searchable program matching every filter (OR within one, AND across).

    A filter's values that have a bit (finder/filterbits.py) are read from the program's own
    row, `(filter_bits_N & mask) != 0`; a value without one is looked up in `program_feature`:
    within a box each candidate is probed (EXISTS); `everywhere` (no box: most programs are
    candidates) takes its program ids from the index on (kind, value, program_id) in one
    range scan instead."""
    telehealth, feature_sets, *_ = shape
    conditions = [Program.active, Program.substance_use]  # _shared: these two first
    if telehealth:
        conditions.append(Program.telehealth)
    for alternatives in feature_sets:
        masks, left = filterbits.masks(alternatives)
        either = [getattr(Program, column).bitwise_and(mask) != 0 for column, mask in masks.items()]
        having = [
            sa.and_(ProgramFeature.kind == kind, ProgramFeature.value.in_(values))
            for kind, values in left
        ]
        if having and everywhere:
            # One range scan of the index per alternative (an OR inside one subquery could
            # leave SQLite scanning the table).
            either += [Program.id.in_(select(ProgramFeature.program_id).where(h)) for h in having]
        elif having:
            either.append(exists().where(ProgramFeature.program_id == Program.id, sa.or_(*having)))
        conditions.append(sa.or_(*either))
    return tuple(conditions)


def _tree_filters(query: Query) -> tuple | None:
    """_tree_filters_of the query's shape."""
    return _tree_filters_of(_shape(query))


@functools.lru_cache(maxsize=512)
def _tree_filters_of(shape: Shape) -> tuple | None:
    """The query's conditions on a searchable program as conditions on the R*Tree's copies of
    its columns; None when a filter has a value without a bit (read from program_feature)."""
    telehealth, feature_sets, *_ = shape
    conditions = [_RTREE.c.min_searchable >= 1]
    if telehealth:
        conditions.append(_RTREE.c.telehealth != 0)
    for alternatives in feature_sets:
        masks, left = filterbits.masks(alternatives)
        if left or not masks:
            return None
        either = [_RTREE.c[column].bitwise_and(mask) != 0 for column, mask in masks.items()]
        conditions.append(sa.or_(*either))
    return tuple(conditions)


def _in_tree(box: tuple[float, float, float, float]) -> list:
    south, north, west, east = box
    # The R*Tree stores 32-bit floats rounded outwards; the exact check is the distance.
    return [
        _RTREE.c.max_lat >= south,
        _RTREE.c.min_lat <= north,
        _RTREE.c.max_lon >= west,
        _RTREE.c.min_lon <= east,
    ]


Box = tuple[float, float, float, float]  # south, north, west, east
_CORNERS = ("south", "north", "west", "east")


def _bound(count: int) -> list[tuple]:
    """`count` boxes whose corners are bound parameters, b0_south ... (_box_values)."""
    return [
        tuple(sa.bindparam(f"b{k}_{corner}", type_=sa.Float) for corner in _CORNERS)
        for k in range(count)
    ]


def _box_values(boxes: list[Box]) -> dict[str, float]:
    """The values of _bound(len(boxes))'s parameters."""
    return {
        f"b{k}_{corner}": value
        for k, box in enumerate(boxes)
        for corner, value in zip(_CORNERS, box, strict=True)
    }


def _boxes(origin, miles: float) -> list[Box] | None:
    """Boxes that together hold the circle: one, or two on either side of the antimeridian,
    or a band of every longitude around a pole inside the circle; None: the whole globe."""
    box = bounding_box(origin, miles)
    if box is not None:
        return [box]
    angle = miles / EARTH_RADIUS_MILES
    if angle >= math.pi / 2:
        return None
    reach = math.degrees(angle) + 0.001
    south, north = max(-90.0, origin.latitude - reach), min(90.0, origin.latitude + reach)
    cos_lat = math.cos(math.radians(origin.latitude))
    if math.sin(angle) >= cos_lat:  # a pole is inside the circle
        return [(south, north, -180.0, 180.0)]
    dlon = math.degrees(math.asin(math.sin(angle) / cos_lat)) + 0.001
    west, east = origin.longitude - dlon, origin.longitude + dlon
    if east - west >= 360:
        return [(south, north, -180.0, 180.0)]
    if west < -180:
        return [(south, north, west + 360, 180.0), (south, north, -180.0, east)]
    if east > 180:
        return [(south, north, west, 180.0), (south, north, -180.0, east - 360)]
    return [(south, north, west, east)]


def _inside(boxes: list, dialect: str, tree: tuple | None = None):
    """A condition for a program inside one of the boxes (their corners numbers or bound
    parameters: _bound), in the form the database's spatial index answers: SQLite's R*Tree,
    PostgreSQL's GiST on point(longitude, latitude). `tree` (_tree_filters): more conditions
    SQLite tests in the R*Tree (on its copies of the filter columns), so that only the
    programs that pass them are read."""
    if dialect == "sqlite":
        in_tree = [select(_RTREE.c.id).where(*_in_tree(box), *(tree or ())) for box in boxes]
        return sa.literal_column("program.rowid").in_(
            in_tree[0] if len(in_tree) == 1 else sa.union_all(*in_tree)
        )
    if dialect == "postgresql":
        corner, point = func.point, func.point(Program.longitude, Program.latitude)
        return sa.or_(
            *(
                point.op("<@", is_comparison=True)(func.box(corner(w, s), corner(e, n)))
                for s, n, w, e in boxes
            )
        )
    return sa.or_(
        *(
            sa.and_(Program.latitude.between(s, n), Program.longitude.between(w, e))
            for s, n, w, e in boxes
        )
    )


def _within(
    query: Query, reach: float | None, prices: tuple | None = None, here: tuple | None = None
) -> tuple[list, bool]:
    """(distance, name, id, *columns) of every match within `reach` miles (None: anywhere),
    and whether that read the whole directory (no box helps: the circle covers a
    hemisphere). The columns are _priced_here(*here)'s; with `prices` (care levels) only
    programs that publish a price for one of them match. On SQLite the query's filters,
    when all are bits, are tested in the R*Tree too (_tree_filters)."""
    boxes = _boxes(query.origin, reach) if reach is not None else None
    stmt = _box_read(_shape(query), None if boxes is None else len(boxes), prices, here)
    values = {} if boxes is None else _box_values(boxes)
    miles = distances_from(query.origin)
    found = []
    for lat, lon, *row in _rows().execute(stmt, values).all():
        distance = miles(lat, lon)
        if reach is None or distance <= reach + EPSILON:
            found.append((distance, *row))
    return found, boxes is None


@functools.lru_cache(maxsize=512)
def _box_read(shape: Shape, boxes: int | None, prices: tuple | None, here: tuple | None):
    """_within's statement for a shape and a number of boxes (None: no box), built once."""
    columns = _priced_here(*here) if here is not None else ()
    stmt = select(Program.latitude, Program.longitude, Program.name, Program.id, *columns)
    stmt = stmt.where(*_matching_of(shape), *((_prices(prices),) if prices else ()))
    if boxes is None:
        return stmt
    telehealth, feature_sets, tree_filters, dialect = shape
    filtered = feature_sets or telehealth
    tree = _tree_filters_of(shape) if filtered and tree_filters else None
    return stmt.where(_inside(_bound(boxes), dialect, tree))


def _nearest(
    query: Query,
    want: int,
    matches: int | None = None,
    held: tuple = (),
    share: float | None = None,
) -> list:
    """The first `want` matches within the query's radius, nearest first (then name, id), as
    (distance, name, id).

    Reads a box around the origin that widens until it holds `want` matches or covers the
    radius: the work grows with the page asked for, not with the directory. `matches`, how
    many match within the radius, sizes the first box (as if they were spread evenly);
    `held` (Tally.held) narrows it without a query; `share` (Tally.share) sizes a filtered
    search's first box by the searchable programs it holds."""
    reach = _first_reach(query, want, matches, held, share)
    found, _ = _widen(query, reach, lambda f: len(f) / want)
    return heapq.nsmallest(want, found)


def _first_reach(
    query: Query, want: int, matches: int | None, held: tuple, share: float | None = None
) -> float | None:
    """The reach of the first box that _nearest reads (see there). A filtered search with
    `share` (what part of the searchable programs match) at any distance sizes its box by the
    spatial index's count of searchable programs, as one without filters does, for `want`
    divided by the share: a rare filter reads a wide first box, not many boxes that widen step
    by step, and a city's centre narrows it. Within a radius the first box is sized by the
    filtered count already (and counting boxes would be a statement more)."""
    radius = query.radius
    if matches is not None and matches <= want:
        reach = radius
    elif matches is not None and radius is not None:
        reach = max(FIRST_REACH_MILES / 4, min(radius, 1.3 * radius * math.sqrt(want / matches)))
    else:
        reach = FIRST_REACH_MILES if radius is None else min(radius, FIRST_REACH_MILES)
    filtered = query.filters or query.telehealth
    # Without filters, SQLite counts a box in a few of the R*Tree's nodes, so an any-distance
    # box is sized both ways; PostgreSQL counts rows of its GiST index, and a rural origin's
    # widened boxes made a search at 100,000 programs four times slower (bench/run.py): it
    # only narrows, by the nested counts or a box counted at the city's centre.
    sized = TREE_FILTERS and _rows().dialect.name == "sqlite"
    if not filtered and radius is None and sized and (matches is None or matches > want):
        reach = _sized(query.origin, reach, radius, want)  # the share of every program: 1
    elif not filtered and (matches is None or matches > want):
        reach = _narrowed(query.origin, reach, want, held)
    elif share and TREE_FILTERS and radius is None and matches is not None and matches > want:
        reach = _sized(query.origin, reach, radius, want / share)
    return reach


def _sized(origin, reach: float | None, radius: float | None, need: float) -> float | None:
    """A first reach whose box holds between about twice `need` and 2 * DENSE * `need`
    searchable programs (counted by the spatial index, a few steps at most), within the
    radius: narrowed in a dense place, widened in a sparse one (up to MAX_WIDEN squared a
    step: a count reads no program)."""
    for _ in range(4):
        boxes = _boxes(origin, reach) if reach is not None else None
        if boxes is None:
            return reach
        held = sum(_searchable_in(box) for box in boxes)
        if held > 2 * DENSE * need:
            reach *= math.sqrt(DENSE * need / held)
        elif held < 2 * need and reach != radius:
            reach *= min(MAX_WIDEN**2, math.sqrt(2 * need / held)) if held else MAX_WIDEN**2
            if radius is not None:
                reach = min(radius, reach)
        else:
            return reach
    return reach


def _widen(
    query: Query,
    reach: float | None,
    fill: Callable,
    prices: tuple | None = None,
    here: tuple | None = None,
) -> tuple[list, float | None]:
    """Every match within a reach that widens from `reach` until `fill(found)` is at least 1
    or it is the query's radius: (the matches, unsorted, the reach). `prices` and `here`:
    _within's."""
    radius = query.radius
    while True:
        found, everywhere = _within(query, reach, prices, here)
        if everywhere and reach != radius:
            # No box this wide: read every match once, within the radius.
            found, _ = _within(query, radius, prices, here)
            reach = radius
        filled = fill(found)
        if reach == radius or filled >= 1:
            return found, reach
        # Widen by what this box held, as if its matches were spread evenly (and a little
        # more): a box nearly full grows a little, an empty one a lot.
        grow = MAX_WIDEN if not filled else 1.2 * math.sqrt(1 / filled)
        reach *= min(MAX_WIDEN, max(MIN_WIDEN, grow))
        if radius is not None:
            reach = min(radius, reach)


def _narrowed(origin, reach: float | None, want: int, held: tuple = ()) -> float | None:
    """A first reach whose box holds about DENSE * want searchable programs, not many times
    that: a city's centre is denser than its radius on average, and every row a box yields
    is a distance computed here. The spatial index counts a box without reading a program,
    but not by filters: a filtered search keeps the box its count sized (narrowed on the
    count of every program, it would widen again, a query per step).

    `held` (Tally.held: nested boxes counted with the total, widest first) answers without
    a query: the reach as it is if the smallest counted box around it holds few enough, else
    the widest counted box inside it that does (or the narrowest of them all)."""
    if held and reach is not None:
        limit = 2 * DENSE * want
        around = [n for r, n in held if r >= reach]
        if around and around[-1] <= limit:
            return reach
        inside = [r for r, n in held if r < reach and n <= limit]
        return inside[0] if inside else min(reach, held[-1][0])
    for _ in range(3):
        boxes = _boxes(origin, reach) if reach is not None else None
        if boxes is None:
            return reach
        held = sum(_searchable_in(box) for box in boxes)
        if held <= 2 * DENSE * want:
            return reach
        reach *= math.sqrt(DENSE * want / held)
    return reach


def _searchable_in(box: Box) -> int:
    """How many searchable programs the box holds, from the spatial index alone."""
    rows = _rows()
    return rows.scalar(_searchable_count(rows.dialect.name), _box_values([box]))


@functools.lru_cache(maxsize=8)
def _searchable_count(dialect: str):
    """_searchable_in's statement, built once: the box's corners are bound (_bound)."""
    (box,) = _bound(1)
    if dialect == "sqlite":
        stmt = select(func.count()).select_from(_RTREE)
        return stmt.where(*_in_tree(box), _RTREE.c.min_searchable >= 1)
    stmt = select(func.count()).select_from(Program)
    return stmt.where(Program.active, Program.substance_use, _inside([box], dialect))


def _count(query: Query, radius: float | None) -> int:
    """How many programs match the query's filters within the radius (None: anywhere), counted
    by the database: the box from the spatial index, the circle by the haversine formula."""
    return _tally(query, radius).total


# The reaches (fractions of the radius) whose boxes a PostgreSQL count without filters
# counts beside its total, for _narrowed: each a round trip fewer (SQLite's R*Tree counts a
# box in a few nodes, in process).
NESTED = tuple(0.5**k for k in range(7))


@dataclass(frozen=True)
class Tally:
    """A count's answers: the total, and how many searchable programs some nested boxes
    hold, as (reach, count) widest first (empty where they were not counted)."""

    total: int
    held: tuple[tuple[float, int], ...] = ()
    # A filtered count's share of the searchable programs in its area (both counted in one
    # pass), for _first_reach; None without filters.
    share: float | None = None


def _tally(query: Query, radius: float | None) -> Tally:
    """_count in one statement, with the nested boxes' counts on PostgreSQL (NESTED)."""
    boxes = _boxes(query.origin, radius) if radius is not None else None
    rows = _rows()
    unfiltered = not query.filters and not query.telehealth
    if boxes is not None and unfiltered and rows.dialect.name == "sqlite":
        # The boxes do not overlap (they meet at the antimeridian, each side keeping its own).
        return Tally(sum(_count_in_tree(query.origin, radius, box) for box in boxes))
    if boxes is not None and unfiltered and rows.dialect.name == "postgresql":
        nested = [(radius * f, bounding_box(query.origin, radius * f)) for f in NESTED]
        if all(box is not None for _, box in nested):
            values = _within_values(query.origin, radius, "r")
            values.update(zip(("r_bs", "r_bn", "r_bw", "r_be"), boxes[0], strict=True))
            for k, (_, box) in enumerate(nested):
                values.update(zip((f"s{k}", f"n{k}", f"w{k}", f"e{k}"), box, strict=True))
            total, *counts = rows.execute(_nested_count(), values).one()
            held = tuple((r, n) for (r, _), n in zip(nested, counts, strict=True))
            return Tally(total, held)
    if TREE_FILTERS and not unfiltered and _tree_filters(query) is not None:
        return _shared(query, radius, boxes)
    stmt = _plain_count(_shape(query), None if boxes is None else len(boxes))
    if boxes is None:
        return Tally(rows.scalar(stmt))
    values = _within_values(query.origin, radius, "r") | _box_values(boxes)
    return Tally(rows.scalar(stmt, values))


@functools.lru_cache(maxsize=512)
def _plain_count(shape: Shape, boxes: int | None):
    """_tally's count of the matches in `boxes` boxes (None: anywhere) and the circle "r",
    built once."""
    stmt = select(func.count()).select_from(Program).where(*_matching_of(shape, boxes is None))
    return _in_circle(stmt, shape, boxes)


def _in_circle(stmt, shape: Shape, boxes: int | None):
    """A count's statement kept to `boxes` bound boxes (_bound) and the circle "r"
    (_within_values); as it is without boxes (anywhere)."""
    if boxes is None:
        return stmt
    circle = _within_miles(Program.latitude, Program.longitude, "r")
    return stmt.where(_inside(_bound(boxes), shape[3]), circle)


def _shared(query: Query, radius: float | None, boxes: list[Box] | None) -> Tally:
    """A count whose filters are all bits, beside the count of every searchable program in
    the same area, in one pass: on SQLite within a radius from the R*Tree (its copies of the
    filter columns; a program's own row only near the circle's edge), else from the rows
    the count reads anyway (the count's index at any distance)."""
    rows = _rows()
    if boxes is not None and rows.dialect.name == "sqlite":
        stmt = _shared_tree(_shape(query))
        values = _within_values(query.origin, radius - MARGIN_MILES, "inner")
        values.update(_within_values(query.origin, radius + MARGIN_MILES, "outer"))
        values.update(_within_values(query.origin, radius, "exact"))
        total = searchable = 0
        for box in boxes:  # they do not overlap (see _tally)
            values.update(zip(_CORNERS, box, strict=True))
            matched, every = rows.execute(stmt, values).one()
            total, searchable = total + matched, searchable + every
    else:
        stmt = _shared_count(_shape(query), None if boxes is None else len(boxes))
        values = {}
        if boxes is not None:
            values = _within_values(query.origin, radius, "r") | _box_values(boxes)
        total, searchable = rows.execute(stmt, values).one()
    return Tally(total, (), total / searchable if searchable else None)


@functools.lru_cache(maxsize=512)
def _shared_tree(shape: Shape):
    """_shared's statement on SQLite within a radius, built once: _tree_count's, counting
    the matches and every searchable program."""
    tree = _tree_filters_of(shape)
    return _tree_count().with_only_columns(func.count().filter(sa.and_(*tree[1:])), func.count())


@functools.lru_cache(maxsize=512)
def _shared_count(shape: Shape, boxes: int | None):
    """_shared's statement from the program rows, built once: the matches and every
    searchable program in `boxes` boxes and the circle "r" (None: anywhere)."""
    conditions = _matching_of(shape, boxes is None)
    stmt = select(func.count().filter(sa.and_(*conditions[2:])), func.count())
    return _in_circle(stmt.select_from(Program).where(*conditions[:2]), shape, boxes)


@functools.cache
def _nested_count():
    """_tally's statement on PostgreSQL without filters, built once: the circle's count, and
    each NESTED box's searchable programs, in one pass over the radius's box."""
    number = functools.partial(sa.bindparam, type_=sa.Float)
    lat, lon, corner = Program.latitude, Program.longitude, func.point
    outer = func.box(corner(number("r_bw"), number("r_bs")), corner(number("r_be"), number("r_bn")))
    counts = [
        func.count().filter(_within_miles(lat, lon, "r")),
        *(
            func.count().filter(
                lat.between(number(f"s{k}"), number(f"n{k}")),
                lon.between(number(f"w{k}"), number(f"e{k}")),
            )
            for k in range(len(NESTED))
        ),
    ]
    stmt = select(*counts).select_from(Program)
    return stmt.where(
        Program.active,
        Program.substance_use,
        func.point(lon, lat).op("<@", is_comparison=True)(outer),
    )


def _count_in_tree(origin, radius: float, box: Box) -> int:
    """A count without filters from SQLite's R*Tree in one pass: a point well inside the
    circle counts as it stands in the tree; one near the edge by its program's exact place."""
    values = dict(zip(_CORNERS, box, strict=True))
    values.update(_within_values(origin, radius - MARGIN_MILES, "inner"))
    values.update(_within_values(origin, radius + MARGIN_MILES, "outer"))
    values.update(_within_values(origin, radius, "exact"))
    return _rows().scalar(_tree_count(), values)


@functools.cache
def _tree_count():
    """_count_in_tree's statement, built once: its numbers are bound parameters."""
    lat, lon, number = _RTREE.c.min_lat, _RTREE.c.min_lon, functools.partial(sa.bindparam)
    exactly_inside = exists().where(
        sa.literal_column("program.rowid") == _RTREE.c.id,
        Program.active,
        Program.substance_use,
        _within_miles(Program.latitude, Program.longitude, "exact"),
    )
    box = tuple(number(corner) for corner in _CORNERS)
    stmt = select(func.count()).select_from(_RTREE)
    return stmt.where(
        *_in_tree(box),
        _RTREE.c.min_searchable >= 1,
        sa.or_(
            _within_miles(lat, lon, "inner"),
            sa.and_(_within_miles(lat, lon, "outer"), exactly_inside),
        ),
    )


def _within_miles(latitude, longitude, name: str):
    """A condition for a point at most some miles (great-circle) from the origin: the
    haversine of the arc against the haversine of the radius, so that nothing but sin and cos
    runs per row, and not even those inside a smaller box that the circle surely holds. Its
    numbers are bound parameters `name`_* (_within_values): the statement has one shape for
    every origin and radius, so that SQLAlchemy builds its SQL once."""

    def number(key: str):
        return sa.bindparam(f"{name}_{key}", type_=sa.Float)

    radians = math.pi / 180
    half_lat = func.sin((latitude * radians - number("lat1")) * 0.5)
    half_lon = func.sin((longitude * radians - number("lon1")) * 0.5)
    cos_lat2 = func.cos(latitude * radians)
    haversine = half_lat * half_lat + number("cos_lat1") * cos_lat2 * half_lon * half_lon
    inner = sa.and_(
        latitude.between(number("south"), number("north")),
        longitude.between(number("west"), number("east")),
    )
    return sa.or_(inner, haversine <= number("limit"))


def _within_values(origin, radius: float, name: str) -> dict[str, float]:
    """The bound parameters of _within_miles(..., name) for a circle of `radius` miles. The
    allowance (EPSILON) is far wider than the two formulas' rounding."""
    lat1, lon1 = math.radians(origin.latitude), math.radians(origin.longitude)
    cos_lat1 = math.cos(lat1)
    arc = (radius + EPSILON) / EARTH_RADIUS_MILES
    # A haversine is at most 1: a limit of 2 holds every point (the circle covers the globe).
    limit = math.sin(arc / 2) ** 2 if arc < math.pi else 2.0
    box = (1.0, 0.0, 1.0, 0.0)  # an empty box: no point is surely inside without the formula
    if cos_lat1 >= 1e-6 and limit / (2 * cos_lat1) < 1:
        # hav(d) <= hav(dlat) + cos(lat1) hav(dlon): with each term at most half the limit,
        # the point is inside. 0.999 keeps that true through rounding.
        dlat = math.degrees(2 * math.asin(math.sqrt(limit / 2))) * 0.999
        dlon = math.degrees(2 * math.asin(math.sqrt(limit / (2 * cos_lat1)))) * 0.999
        box = (
            origin.latitude - dlat,
            origin.latitude + dlat,
            origin.longitude - dlon,
            origin.longitude + dlon,
        )
    keys = ("lat1", "lon1", "cos_lat1", "limit", "south", "north", "west", "east")
    return {
        f"{name}_{k}": v for k, v in zip(keys, (lat1, lon1, cos_lat1, limit, *box), strict=True)
    }


# _load's aggregates: a program's features as kind US value, RS between them; its rates as
# item US low US high. The counts beside them tell a value holding a separator (the importer
# refuses only NUL): such a page is read again by _load_apart.
US, RS = "\x1f", "\x1e"


@functools.cache
def _listings(levels: bool = False):
    """_load's statement, built once: each program's columns, and its features and rates
    aggregated into one string each (with their counts), in one round trip; with `levels`,
    also the candidates' priced levels (_levels_of)."""
    feature, rate = ProgramFeature.program_id == Program.id, ProgramRate.program_id == Program.id

    def text(column):
        return sa.cast(column, sa.String)

    features = func.aggregate_strings(ProgramFeature.kind + US + ProgramFeature.value, RS)
    rates = func.aggregate_strings(
        ProgramRate.item + US + text(ProgramRate.low_cents) + US + text(ProgramRate.high_cents),
        RS,
    )
    return select(
        *LISTING_COLUMNS,
        select(features).where(feature).scalar_subquery(),
        select(func.count()).where(feature).scalar_subquery(),
        select(rates).where(rate).scalar_subquery(),
        select(func.count()).where(rate).scalar_subquery(),
        *((_levels_of(),) if levels else ()),
    ).where(Program.id.in_(sa.bindparam("ids", expanding=True)))


def _load(ids: list[str]) -> dict[str, Listing]:
    """The programs to show, for reading only: one query of plain rows, no ORM objects."""
    return _load_levels(ids)[0]


def _load_levels(ids: list[str], of: list[str] | None = None) -> tuple[dict[str, Listing], set]:
    """_load, and (with `of`, the ids of a page's candidates) the care levels that those
    programs offer and price, read in the same round trip (_priced_levels)."""
    if not ids:
        return {}, _priced_levels(of or [])
    found, levels = {}, set()
    width = len(LISTING_COLUMNS)
    stmt, values = (_listings(True), {"ids": ids, "of": of}) if of else (_listings(), {"ids": ids})
    for row in _rows().execute(stmt, values).all():
        columns, (features, feature_count, rates, rate_count) = row[:width], row[width:][:4]
        if of and row[-1]:
            levels = set(row[-1].split(RS))
        entries = features.split(RS) if features else []
        priced = rates.split(RS) if rates else []
        if len(entries) != feature_count or len(priced) != rate_count:
            return _load_apart(ids), _priced_levels(of or [])
        values_of: dict[str, list[str]] = {}
        for entry in entries:
            kind, _, value = entry.partition(US)
            values_of.setdefault(kind, []).append(value)
        for listed in values_of.values():
            listed.sort()
        found[row[0]] = Listing(
            *columns,
            values=values_of,
            rates=tuple(
                Rate(item, int(low), int(high))
                for item, low, high in sorted(r.split(US) for r in priced)
            ),
        )
    return found, levels


def _load_apart(ids: list[str]) -> dict[str, Listing]:
    """_load in three queries, for a page where a value holds one of _load's separators."""
    rows = _rows()
    values: dict[str, dict[str, list[str]]] = {i: {} for i in ids}
    features = select(ProgramFeature.program_id, ProgramFeature.kind, ProgramFeature.value)
    features = features.where(ProgramFeature.program_id.in_(ids)).order_by(ProgramFeature.value)
    for program_id, kind, value in rows.execute(features):
        values[program_id].setdefault(kind, []).append(value)
    rates: dict[str, list[Rate]] = {i: [] for i in ids}
    stmt = select(ProgramRate.program_id, ProgramRate.item, ProgramRate.low_cents,
                  ProgramRate.high_cents).where(ProgramRate.program_id.in_(ids))  # fmt: skip
    for program_id, item, low, high in rows.execute(stmt):
        rates[program_id].append(Rate(item, low, high))
    listings = select(*LISTING_COLUMNS).where(Program.id.in_(ids))
    return {
        row[0]: Listing(*row, values=values[row[0]], rates=tuple(rates[row[0]]))
        for row in rows.execute(listings)
    }


@functools.cache
def _priced_probe(levels: tuple[str, ...]):
    """How many prices of `levels` (those a page may estimate) are published, counted to
    FEW_PRICED + 1 at most; built once per set of levels."""
    priced_ids = select(ProgramRate.program_id).where(ProgramRate.item.in_(levels))
    limited = priced_ids.limit(FEW_PRICED + 1).subquery()
    return select(func.count()).select_from(limited)


def _offered():
    """A condition on a ProgramRate row: its program offers that care level."""
    return exists().where(
        ProgramFeature.program_id == ProgramRate.program_id,
        ProgramFeature.kind == "care",
        ProgramFeature.value == ProgramRate.item,
    )


def _levels_priced():
    """A column of a program row: the care levels it offers and prices (RS between them),
    read with its candidate row rather than in a query of their own."""
    items = func.aggregate_strings(ProgramRate.item, RS)
    return select(items).where(ProgramRate.program_id == Program.id, _offered()).scalar_subquery()


def _levels_of():
    """A column of _load's statement (built once there), the same in every row: the care
    levels that any of the programs `of` (a page's candidates) offers and prices, RS
    between them."""
    items = func.aggregate_strings(ProgramRate.item, RS)
    of = ProgramRate.program_id.in_(sa.bindparam("of", expanding=True))
    return select(items).where(of, _offered()).scalar_subquery()


def _priced_levels(ids: list[str]) -> set[str]:
    """The care levels that at least one of these programs offers and prices."""
    if not ids:
        return set()
    stmt = select(ProgramRate.item).where(ProgramRate.program_id.in_(ids), _offered()).distinct()
    return set(_rows().scalars(stmt))


# A read for both a page and its candidates stops widening for the candidates once it holds
# this many matches (few of them priced): the candidates are then read on their own.
NEARBY_CAP = 8 * COST_SORTED


@dataclass(frozen=True)
class Nearby:
    """Every match within a reach, nearest first, as (distance, name, id); `complete`: the
    reach is the radius, so these are all the matches."""

    found: list
    complete: bool

    def first(self, n: int) -> list | None:
        """The first n matches, or None when this read holds too few to know them."""
        return self.found[:n] if self.complete or len(self.found) >= n else None


def _candidates(
    query: Query, fit, tally: Tally, want: int, level_only: bool = False
) -> tuple[list, Any, Any]:
    """The page's candidates for an estimate: the COST_SORTED nearest matches (within the
    radius) that publish a price for a care level the page may estimate, as (distance, name,
    id); the care levels they offer and price, or None when these are to be read with the
    programs that _load reads next (_load_levels); and the Nearby matches that the same read
    found. Bounded: a results page never estimates every program in its radius.

    One read for the page and its candidates: every match in a box that widens until it
    holds the page and COST_SORTED priced programs, each with the levels it prices and its
    care bits (_priced_here), so that the levels the candidates offer and price come from
    that read too. When it holds few of them (none among the page's matches, or fewer than
    COST_SORTED among NEARBY_CAP), the rest are read on their own: from the prices at once
    when few are published anywhere (at most FEW_PRICED: a directory from SAMHSA's export
    publishes none), else by a box of priced programs widened from there.

    `level_only` (a distance sort: the candidates only choose the page's level): the read
    stops as soon as it holds the page and a candidate that offers and prices the first of
    `levels` (the least intensive: no farther candidate can change the page's level), and
    its first box is sized for the page alone, as a plain search's is. The candidates and
    levels returned are then those nearest ones (a part of the COST_SORTED), whose least
    intensive level is the page's all the same."""
    levels = tuple(fit.levels)
    care, bits, prices = _care_bits(levels), _priced_bits(levels), _prices_any(levels)
    # The page's level is known from the nearest candidates once one of them offers and
    # prices the least intensive level (it needs the care bits: _offered_of).
    early = level_only and care is not None

    def fill(found: list) -> float:
        priced = sum(1 for r in found if prices(r[3]))
        if len(found) > NEARBY_CAP or (priced == 0 and len(found) >= want):
            return len(found) / want
        known = early and priced and len(found) >= want
        if known and _least_known(found, levels, care, bits, prices):
            return 1.0
        return min(len(found) / want, priced / COST_SORTED)

    first = want if early else max(want, COST_SORTED)
    reach = _first_reach(query, first, tally.total, tally.held)
    found, reach = _widen(query, reach, fill, here=(levels, care, bits))
    found.sort()
    complete = reach == query.radius
    nearby = Nearby([r[:3] for r in found], complete)
    priced = [r for r in found if prices(r[3])][:COST_SORTED]
    nearest = [r[:3] for r in priced]
    if len(nearest) == COST_SORTED or complete:
        return nearest, _offered_of(priced, levels, care, bits), nearby
    if early and priced:
        offered = _offered_of(priced, levels, care, bits)
        if levels[0] in offered:
            return nearest, offered, nearby
    held = _rows().scalar(_priced_probe(levels))
    if held == 0:
        return [], set(), nearby
    if held <= FEW_PRICED:
        nearest, offered = _few_priced(query, fit)
        return nearest, offered, nearby
    # Many matches and few of them priced: the rest of the candidates on their own.
    grow = MAX_WIDEN if not nearest else 1.2 * math.sqrt(COST_SORTED / len(nearest))
    reach *= min(MAX_WIDEN, max(MIN_WIDEN, grow))
    reach = reach if query.radius is None else min(query.radius, reach)
    more, _ = _widen(query, reach, lambda f: len(f) / COST_SORTED, prices=levels)
    return heapq.nsmallest(COST_SORTED, more), None, nearby


def _least_known(
    found: list, levels: tuple[str, ...], care: tuple, bits: tuple | None, prices: Callable
) -> bool:
    """Whether one of the COST_SORTED nearest priced rows of `found` (unsorted rows with
    _priced_here's columns, care bits included) offers and prices the first of `levels`."""
    priced = [r for r in found if prices(r[3])]
    if len(priced) > COST_SORTED:
        priced = heapq.nsmallest(COST_SORTED, priced)
    if bits is None:
        return levels[0] in _offered_of(priced, levels, care, bits)
    (column, offer), (_, price) = care[0], bits[0]
    at = 4 + sorted({c for c, _ in care}).index(column)  # _priced_here's columns
    return any(r[3] & price and r[at] & offer for r in priced)


def _care_bits(levels: tuple[str, ...]) -> tuple | None:
    """Each level's care bit (finder/filterbits.py) as (column, bit), in the order of
    `levels`; None when one of them has none (its offer is then read from the features)."""
    bits = tuple(filterbits.BIT.get(("care", lvl)) for lvl in levels)
    return None if None in bits else bits


@functools.cache
def _prices(levels: tuple[str, ...]):
    """A condition on a program row, built once per set of levels: it publishes a price for
    one of `levels`."""
    return exists().where(ProgramRate.program_id == Program.id, ProgramRate.item.in_(levels))


@functools.cache
def _priced_here(levels: tuple[str, ...], care: tuple | None, bits: tuple | None) -> tuple:
    """Columns of a box's program rows, built once per set of levels: which of `levels` the
    program prices, and the filter bits that say which care levels it offers (`care`:
    _care_bits; _offered_of). The first is its priced bits of `levels` (`bits`:
    _priced_bits; a `&` on the row, no probe of `program_rate`); without them, every item it
    prices (RS between them; None: none), one range of the rates' primary key per row
    (_prices_any keeps those of `levels`). Without care bits, only whether it prices one of
    `levels` (the levels offered and priced are then read with the candidates:
    _load_levels)."""
    if care is None:
        return (_prices(levels).label("priced"),)
    offered = tuple(getattr(Program, c) for c in sorted({c for c, _ in care}))
    if bits is not None:
        column = getattr(Program, bits[0][0])
        mask = functools.reduce(operator.or_, (bit for _, bit in bits))
        return (column.op("&")(sa.literal(mask, sa.BigInteger)).label("priced"), *offered)
    items = func.aggregate_strings(ProgramRate.item, RS)
    priced = select(items).where(ProgramRate.program_id == Program.id).scalar_subquery()
    return (priced.label("priced"), *offered)


def _priced_bits(levels: tuple[str, ...]) -> tuple | None:
    """Each level's priced bit (finder/filterbits.py, kind "priced": the program publishes a
    price for it) as (column, bit), in the order of `levels`; None when one of them has none
    or they are not all in one column."""
    bits = tuple(filterbits.BIT.get(("priced", lvl)) for lvl in levels)
    if not bits or None in bits or len({c for c, _ in bits}) != 1:
        return None
    return bits


def _prices_any(levels: tuple[str, ...]) -> Callable[[Any], bool]:
    """Whether a row's first _priced_here column says it prices one of `levels`: the flag or
    the priced bits (nonzero), or its items (worked out once per distinct string)."""
    wanted, seen = set(levels), {}

    def prices(value) -> bool:
        if not isinstance(value, str):
            return bool(value)
        found = seen.get(value)
        if found is None:
            found = seen[value] = not wanted.isdisjoint(value.split(RS))
        return found

    return prices


def _offered_of(
    candidates: list, levels: tuple[str, ...], care: tuple | None, bits: tuple | None
) -> set | None:
    """The levels of `levels` that the candidates (rows with _priced_here's columns) offer
    and price, as _levels_of reads them (of those, page_level looks at `levels` only): a
    level is offered when its care bit is set. None without care bits (the levels are then
    read with the programs)."""
    if care is None:
        return None
    columns, bit_of = sorted({c for c, _ in care}), dict(zip(levels, care, strict=True))
    found = set()
    for _, _, _, items, *offered in candidates:
        held = dict(zip(columns, offered, strict=True))
        if bits is not None:  # `items`: the priced bits of `levels` (_priced_here)
            priced = [lvl for lvl, (_, bit) in zip(levels, bits, strict=True) if items & bit]
        else:
            priced = items.split(RS)
        for lvl in priced:
            if lvl in bit_of and held[bit_of[lvl][0]] & bit_of[lvl][1]:
                found.add(lvl)
    return found


def _few_priced(query: Query, fit) -> tuple[list, set[str]]:
    """_candidates read from the prices to the programs, when few are published (the planner
    would otherwise read every searchable program and look each one up among the prices),
    with the levels each offers and prices."""
    priced_ids = select(ProgramRate.program_id).where(ProgramRate.item.in_(fit.levels))
    priced_list = priced_ids.distinct().subquery()
    stmt = select(Program.latitude, Program.longitude, Program.name, Program.id, _levels_priced())
    stmt = stmt.select_from(priced_list.join(Program, Program.id == priced_list.c.program_id))
    miles, radius = distances_from(query.origin), query.radius
    found = []
    for lat, lon, *row in _rows().execute(stmt.where(*_matching(query))).all():
        distance = miles(lat, lon)
        if radius is None or distance <= radius + EPSILON:
            found.append((distance, *row))
    nearest = heapq.nsmallest(COST_SORTED, found)
    levels = {lvl for *_, lvls in nearest if lvls for lvl in lvls.split(RS)}
    return [(d, name, i) for d, name, i, _ in nearest], levels


def _cost_ranked(
    query: Query,
    fit: Callable,
    levels: set[str] | None,
    candidates: list,
    want: int,
    tally: Tally,
    nearby: Nearby | None,
) -> tuple[list, set[str], dict, dict, str | None]:
    """The first `want` matches for sort=cost: the candidates that take the searcher's
    coverage (any, without one) and have an estimate at the page's level, cheapest first,
    then nearest; then every other match, nearest first. Also the ids ranked by cost, the
    candidates loaded and their fits, and the page's level (`levels`: the candidates' priced
    levels, or None to read them with the candidates)."""
    ids = [i for *_, i in candidates]
    loaded: dict[str, Listing] = {}
    if levels is None:
        loaded, levels = _load_levels(ids, ids)
    level = fit.page_level(levels)
    if level is not None and not loaded:
        loaded = _load(ids)
    fits = {i: fit(p, level) for i, p in loaded.items()} if level is not None else {}
    head = sorted(
        (
            r
            for r in candidates
            if r[2] in fits and fits[r[2]].has_estimate and fits[r[2]].accepts is not False
        ),
        key=lambda r: (fits[r[2]].cost_key, r),
    )
    ranked = {i for *_, i in head}
    if len(head) >= want:
        return head[:want], ranked, fits, loaded, level
    rest = nearby.first(want + len(head)) if nearby is not None else None
    if rest is None:
        rest = _nearest(
            query, want + len(head), matches=tally.total, held=tally.held, share=tally.share
        )
    rest = [r for r in rest if r[2] not in ranked][: want - len(head)]
    return head + rest, ranked, fits, loaded, level


def programs_near(query: Query, fit: Callable | None = None) -> ResultPage:
    """One page of the programs within the query's radius, nearest first (then by name, id).

    With `fit` (finder.fit.Fitter) each hit carries its fit, every estimate at the page's one
    care level (ResultPage.level: the least intensive that the COST_SORTED nearest priced
    programs price, of the levels chosen if any), whatever the sort; sort=cost puts those of
    them that take the coverage first, cheapest first (see _cost_ranked).

    Round trips: the count (with the nested boxes that narrow the first read on PostgreSQL,
    and with a coverage the probe of how many prices there are); the box (widened if it
    holds too few: with a coverage, one read for the page and its candidates); the page's
    programs (with the candidates' priced levels). tests/test_search_round_trips.py counts
    them.
    """
    start = (query.page - 1) * query.per_page
    want = start + query.per_page
    estimating = fit is not None and fit.estimates
    tally = _tally(query, query.radius)
    total = tally.total
    if total <= start:
        return ResultPage(query, total, [])
    level, candidates, levels, nearby = None, [], set(), None
    if estimating:
        candidates, levels, nearby = _candidates(
            query, fit, tally, want, level_only=query.sort != "cost"
        )
    fits: dict = {}
    loaded: dict[str, Listing] = {}
    by_cost: set[str] = set()
    if fit is not None and query.sort == "cost":
        ranked, by_cost, fits, loaded, level = _cost_ranked(
            query, fit, levels, candidates, want, tally, nearby
        )
    else:
        ranked = nearby.first(want) if nearby is not None else None
        if ranked is None:
            ranked = _nearest(query, want, matches=total, held=tally.held, share=tally.share)
    window = ranked[start:want]
    # Only the page shown is loaded and, without sort=cost, estimated.
    missing = [i for *_, i in window if i not in loaded]
    if query.sort != "cost" and levels is None:
        shown, levels = _load_levels(missing, [i for *_, i in candidates])
        loaded.update(shown)
    else:
        loaded.update(_load(missing))
    if estimating and query.sort != "cost":
        level = fit.page_level(levels)
    if fit is not None:
        fits.update({i: fit(loaded[i], level) for *_, i in window if i not in fits})
    hits = [
        Hit(loaded[i], miles, fits.get(i), (i in by_cost) if query.sort == "cost" else None)
        for miles, _, i in window
    ]
    return ResultPage(query, total, hits, level)


def count_near(query: Query, radius: float | None) -> int:
    """How many programs match the query's filters within another radius."""
    return _count(query, radius)


# Why a mental-health-only program (substance_use False) has no cost estimate.
NO_ESTIMATE = N_(
    "The source lists no substance-use treatment at this program (mental-health care only), "
    "so there is no cost estimate for it."
)


def program(program_id: str) -> Program | None:
    """An active program by its key (None, without a query, for one no program can have)."""
    if not PROGRAM_ID.fullmatch(program_id):
        return None
    found = reader().get(Program, program_id)
    return found if found is not None and found.active else None


@dataclass(frozen=True)
class Phone:
    number: str
    kind: str  # vocab.PHONE_KINDS
    label: str  # what the number is, in words


def phones(program: Program) -> list[Phone]:
    """Every number of a program, in the order shown (main first), each saying what it is. A
    program stored without its list falls back to its phone and intake phone."""
    if program.phones:
        return [
            Phone(p.number, p.kind, p.label or vocab.PHONE_KINDS.get(p.kind, p.kind))
            for p in program.phones
        ]
    return [
        Phone(number, kind, label)
        for kind, number, label in vocab.default_phones(program.phone, program.intake_phone)
    ]


def phones_of(ids: list[str]) -> dict[str, list[Phone]]:
    """Every number of each of these programs (search results are plain rows without their
    phones), in one query; a program stored without its list has none here: see
    listing_phones."""
    found: dict[str, list[Phone]] = {i: [] for i in ids}
    if not ids:
        return found
    stmt = select(ProgramPhone.program_id, ProgramPhone.number, ProgramPhone.kind,
                  ProgramPhone.label).where(ProgramPhone.program_id.in_(ids))  # fmt: skip
    for program_id, number, kind, label in _rows().execute(stmt.order_by(ProgramPhone.position)):
        found[program_id].append(Phone(number, kind, label or vocab.PHONE_KINDS.get(kind, kind)))
    return found


def listing_phones(page: ResultPage) -> dict[str, list[Phone]]:
    """Every number of each program on a results page, main first, each saying what it is;
    a program stored without its list falls back to its phone and intake phone."""
    found = phones_of([hit.program.id for hit in page.hits])
    for hit in page.hits:
        if not found[hit.program.id]:
            p = hit.program
            found[p.id] = [
                Phone(number, kind, label)
                for kind, number, label in vocab.default_phones(p.phone, p.intake_phone)
            ]
    return found


# A printed or shared list holds at most this many programs of a search.
LIST_LIMIT = 50


def printable(query: Query, fit: Callable[[Listing], Any] | None = None) -> ResultPage:
    """The programs of a search for its printable list: the page asked for, at most
    LIST_LIMIT programs, starting at (or just before) the first program of that page."""
    if query.per_page > LIST_LIMIT:
        start = (query.page - 1) * query.per_page
        query = dataclasses.replace(query, per_page=LIST_LIMIT, page=start // LIST_LIMIT + 1)
    return programs_near(query, fit)


def demo_data_present() -> bool:
    return db.session.scalar(select(exists().where(Program.source == "demo"))) or False
