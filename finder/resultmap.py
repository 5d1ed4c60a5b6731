"""The map of a results page, laid out for a server-rendered SVG: no tiles, no third party.

The origin sits at the centre with north up, and each program at its true bearing and
great-circle distance from it (an azimuthal equidistant projection centred on the origin), so
that a ring is exactly a distance. Numbers match the list's."""

import math
from collections.abc import Iterable
from dataclasses import dataclass

from .estimator.text import N_
from .geo import Place, round_miles

SIZE = 320  # viewBox units; drawn about as many pixels wide on a 360 px phone
CENTRE = SIZE / 2
PLOT = 136  # the outer ring's radius, leaving room for the edge's markers and labels
MARKER_HEIGHT = 22
# The centres a marker may have, top to bottom, inside the drawing.
LOW_Y, HIGH_Y = MARKER_HEIGHT / 2, SIZE - MARKER_HEIGHT / 2
DIGIT_WIDTH = 8  # of a 13-unit bold number
# Markers are kept this far apart (drawing units), the width of their outline.
GAP = 2
# A crowded marker looks for room on circles this far apart (half a marker: nearer ones
# cannot hold it where the last did not).
SEARCH_STEP = 12
SEARCH_RINGS = 10  # out to 120 units: a marker with no room that near is drawn at its place
# Only a page's first markers are moved out of a crowd (a page of the usual 20 always is): a
# page of 100 dense results (per_page=100, in the URL only) would spend most of its time here.
SPREAD_AT_MOST = 40
ORIGIN_WIDTH = 12  # the origin's dot, which no marker covers
LABEL_CHAR_WIDTH = 8  # of a ring's 12-unit label
FIXED_HEIGHT = 14  # of the origin's dot and a ring's label, as boxes kept clear
# A marker moved further than this from its place is joined to it by a thin line.
LEADER_MIN = 4.0
# The outer ring for "any distance": the farthest program, rounded up to one of these.
NICE_MILES = (1, 2, 5, 10, 15, 25, 50, 100, 150, 250, 500, 1000, 1500, 2500, 5000, 12500)
# Words (N_): the page shows them with `say`, in its language.
COMPASS = (
    N_("north"), N_("north-east"), N_("east"), N_("south-east"),
    N_("south"), N_("south-west"), N_("west"), N_("north-west"),
)  # fmt: skip


@dataclass(frozen=True)
class Spot:
    """A program to place: its name, its point and its distance from the origin in miles."""

    name: str
    latitude: float
    longitude: float
    miles: float


@dataclass(frozen=True)
class Ring:
    radius: float
    label: str
    label_y: float


@dataclass(frozen=True)
class Marker:
    number: int
    name: str
    x: float  # the marker's centre, moved out of a crowd if need be
    y: float
    width: float  # a circle for one or two digits, a pill for more
    anchor_x: float  # the program's own place on the map
    anchor_y: float
    moved: bool  # drawn away from its place (a crowd), joined to it by a line
    beyond: bool  # farther than the outer ring: drawn on its edge
    miles: str  # "2.3", as the list shows it
    direction: str  # "north-east"

    @property
    def left(self) -> float:
        return round(self.x - self.width / 2, 1)

    @property
    def top(self) -> float:
        return round(self.y - MARKER_HEIGHT / 2, 1)


@dataclass(frozen=True)
class ResultMap:
    size: int
    centre: float
    rings: tuple[Ring, ...]
    markers: tuple[Marker, ...]
    scale_miles: float  # the outer ring's distance
    marker_height: int = MARKER_HEIGHT

    @property
    def view_box(self) -> str:
        return f"0 0 {self.size} {self.size}"


def bearing(origin: Place, latitude: float, longitude: float) -> float:
    """The initial great-circle bearing from the origin to a point, degrees clockwise from
    north in [0, 360)."""
    lat1, lat2 = math.radians(origin.latitude), math.radians(latitude)
    dlon = math.radians(longitude - origin.longitude)
    y = math.sin(dlon) * math.cos(lat2)
    x = math.cos(lat1) * math.sin(lat2) - math.sin(lat1) * math.cos(lat2) * math.cos(dlon)
    return math.degrees(math.atan2(y, x)) % 360


def direction(degrees: float) -> str:
    """A bearing as one of the eight compass words."""
    return COMPASS[round(degrees / 45) % 8]


def outer_miles(radius: float | None, spots: list[Spot]) -> float:
    """The outer ring's distance: the search radius, or for any distance the farthest
    program rounded up to a round number (1 mile at least)."""
    if radius is not None:
        return float(radius)
    farthest = max((s.miles for s in spots), default=0.0)
    return float(next((m for m in NICE_MILES if m >= farthest), math.ceil(farthest)))


def ring_label(miles: float) -> str:
    return f"{miles:g} mi"


def result_map(
    origin: Place, radius: float | None, spots: Iterable[Spot], first_number: int = 1
) -> ResultMap:
    """The map of one page of results: rings at the radius and half of it, and each program's
    marker numbered from `first_number` (the list's number of the page's first program)."""
    spots = list(spots)
    scale = outer_miles(radius, spots)
    rings = tuple(
        Ring(round(r, 1), ring_label(miles), round(CENTRE + r + 14, 1))
        for r, miles in ((PLOT, scale), (PLOT / 2, scale / 2))
    )
    numbers = range(first_number, first_number + len(spots))
    widths = [max(MARKER_HEIGHT, 8 + DIGIT_WIDTH * len(str(n))) for n in numbers]
    bearings = [bearing(origin, s.latitude, s.longitude) for s in spots]
    anchors = []
    for spot, degrees in zip(spots, bearings, strict=True):
        reach = min(spot.miles, scale) * PLOT / scale
        angle = math.radians(degrees)
        anchors.append((CENTRE + reach * math.sin(angle), CENTRE - reach * math.cos(angle)))
    # No marker covers the origin's dot or a ring's label.
    kept_clear = [(CENTRE, CENTRE, ORIGIN_WIDTH)] + [
        (CENTRE, ring.label_y - 4, LABEL_CHAR_WIDTH * len(ring.label)) for ring in rings
    ]
    centres = _spread(anchors, widths, kept_clear)
    markers = tuple(
        Marker(
            number=number,
            name=spot.name,
            x=round(x, 1),
            y=round(y, 1),
            width=width,
            anchor_x=round(ax, 1),
            anchor_y=round(ay, 1),
            moved=math.hypot(x - ax, y - ay) > LEADER_MIN,
            beyond=spot.miles > scale * (1 + 1e-9),
            miles=str(round_miles(spot.miles)),
            direction=direction(degrees),
        )
        for number, spot, width, degrees, (ax, ay), (x, y) in zip(
            numbers, spots, widths, bearings, anchors, centres, strict=True
        )
    )
    return ResultMap(SIZE, CENTRE, rings, markers, scale)


def _spread(
    points: list[tuple[float, float]], widths: list[int], fixed: list[tuple[float, float, float]]
) -> list[tuple[float, float]]:
    """Where to draw each marker so that none covers another or a fixed box (x, y, width: the
    origin's dot, a ring's label): in the list's order, each at its own place when that is
    free, else at the nearest free spot around it (outward from the origin first), inside the
    drawing."""
    taken = _Boxes()
    for x, y, width in fixed:
        taken.add(x, y, width, FIXED_HEIGHT)
    centres = []
    for index, ((x, y), width) in enumerate(zip(points, widths, strict=True)):
        if index >= SPREAD_AT_MOST:
            centres.append((x, y))
            continue
        spot = (x, y)  # no room left anywhere: drawn at its place
        low_x, high_x = width / 2, SIZE - width / 2
        for cx, cy in _around(x, y):
            inside = low_x <= cx <= high_x and LOW_Y <= cy <= HIGH_Y
            if inside and not taken.covers(cx, cy, width, MARKER_HEIGHT):
                spot = (cx, cy)
                break
        taken.add(*spot, width, MARKER_HEIGHT)
        centres.append(spot)
    return centres


def _around(x: float, y: float):
    """Spots at growing distances around (x, y), the first of each circle pointing away from
    the origin, then alternately either side of that."""
    yield x, y
    outward = math.atan2(x - CENTRE, CENTRE - y) if (x, y) != (CENTRE, CENTRE) else 0.0
    for offsets in _RING_OFFSETS:
        count = len(offsets)
        start = round(outward / (2 * math.pi) * count)
        for k in range(count):
            dx, dy = offsets[(start + (k + 1) // 2 * (1 if k % 2 else -1)) % count]
            yield x + dx, y + dy


# Each search circle's spots as offsets (dx, dy) clockwise from north, worked out once: a
# crowded page tries hundreds of spots per marker, and trigonometry for each cost a page of
# 100 dense results a fifth of a second.
_RING_OFFSETS = tuple(
    tuple(
        (ring * SEARCH_STEP * math.sin(2 * math.pi * k / count),
         -ring * SEARCH_STEP * math.cos(2 * math.pi * k / count))
        for k in range(count)
    )
    for ring in range(1, SEARCH_RINGS + 1)
    for count in (max(8, int(2 * math.pi * ring)),)
)  # fmt: skip


class _Boxes:
    """Boxes drawn so far (centre, width, height), filed by the grid cells they touch, so that
    a spot is checked against its neighbours only."""

    CELL = 32

    def __init__(self):
        self.cells: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}

    def _cells(self, x: float, y: float, width: float, height: float):
        half_w, half_h = width / 2 + GAP, height / 2 + GAP
        for i in range(int((x - half_w) // self.CELL), int((x + half_w) // self.CELL) + 1):
            for j in range(int((y - half_h) // self.CELL), int((y + half_h) // self.CELL) + 1):
                yield i, j

    def add(self, x: float, y: float, width: float, height: float) -> None:
        for cell in self._cells(x, y, width, height):
            self.cells.setdefault(cell, []).append((x, y, width, height))

    def covers(self, x: float, y: float, width: float, height: float) -> bool:
        """Whether a box here would cover (or come within GAP of) one drawn already."""
        # _cells and the test written out: a crowded page asks this thousands of times.
        half_w, half_h, cell, cells = width / 2 + GAP, height / 2 + GAP, self.CELL, self.cells
        for i in range(int((x - half_w) // cell), int((x + half_w) // cell) + 1):
            for j in range(int((y - half_h) // cell), int((y + half_h) // cell) + 1):
                for bx, by, bwidth, bheight in cells.get((i, j), ()):
                    if abs(x - bx) < half_w + bwidth / 2 and abs(y - by) < half_h + bheight / 2:
                        return True
        return False
