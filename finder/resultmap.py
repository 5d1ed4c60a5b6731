"""The map of a results page, laid out for a server-rendered SVG: no tiles, no third party.

The origin sits at the centre with north up, and each program at its true bearing and
great-circle distance from it (an azimuthal equidistant projection centred on the origin), so
that a ring is exactly a distance. Numbers match the list's."""

import math
from collections.abc import Iterable
from dataclasses import dataclass

from .geo import Place, round_miles

SIZE = 320  # viewBox units; drawn about as many pixels wide on a 360 px phone
CENTRE = SIZE / 2
PLOT = 136  # the outer ring's radius, leaving room for the edge's markers and labels
MARKER_HEIGHT = 22
DIGIT_WIDTH = 8  # of a 13-unit bold number
# Two markers closer than this (as a share of their reach) are pushed apart; a little overlap
# is still legible, and keeps a crowd near its true place.
SPACING = 0.9
NUDGE_ROUNDS = 60
ORIGIN_WIDTH = 12  # the origin's dot, which no marker covers
# A marker moved further than this from its place is joined to it by a thin line.
LEADER_MIN = 4.0
# The outer ring for "any distance": the farthest program, rounded up to one of these.
NICE_MILES = (1, 2, 5, 10, 15, 25, 50, 100, 150, 250, 500, 1000, 1500, 2500, 5000, 12500)
COMPASS = (
    "north", "north-east", "east", "south-east", "south", "south-west", "west", "north-west",
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
    x: float  # the marker's centre, after any nudge
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
    per_mile = PLOT / scale
    placed = []
    for i, spot in enumerate(spots):
        degrees = bearing(origin, spot.latitude, spot.longitude)
        beyond = spot.miles > scale * (1 + 1e-9)
        reach = min(spot.miles, scale) * per_mile
        x = CENTRE + reach * math.sin(math.radians(degrees))
        y = CENTRE - reach * math.cos(math.radians(degrees))
        number = first_number + i
        placed.append(
            {
                "number": number,
                "name": spot.name,
                "anchor": (x, y),
                "beyond": beyond,
                "width": max(MARKER_HEIGHT, 8 + DIGIT_WIDTH * len(str(number))),
                "miles": str(round_miles(spot.miles)),
                "direction": direction(degrees),
            }
        )
    centres = _spread([p["anchor"] for p in placed], [p["width"] for p in placed])
    markers = []
    for p, (x, y) in zip(placed, centres, strict=True):
        ax, ay = p["anchor"]
        markers.append(
            Marker(
                number=p["number"],
                name=p["name"],
                x=round(x, 1),
                y=round(y, 1),
                width=p["width"],
                anchor_x=round(ax, 1),
                anchor_y=round(ay, 1),
                moved=math.hypot(x - ax, y - ay) > LEADER_MIN,
                beyond=p["beyond"],
                miles=p["miles"],
                direction=p["direction"],
            )
        )
    rings = tuple(
        Ring(round(r, 1), ring_label(miles), round(CENTRE + r + 14, 1))
        for r, miles in ((PLOT, scale), (PLOT / 2, scale / 2))
    )
    return ResultMap(SIZE, CENTRE, rings, tuple(markers), scale)


def _spread(points: list[tuple[float, float]], widths: list[int]) -> list[tuple[float, float]]:
    """Markers pushed apart until none covers another (or the origin) by more than a little,
    each moving as little as it can; markers on one spot fan out around it. Kept inside the
    drawing."""
    # The origin takes part as a marker that never moves (the last one).
    xs = [x for x, _ in points] + [CENTRE]
    ys = [y for _, y in points] + [CENTRE]
    widths = [*widths, ORIGIN_WIDTH]
    n = len(points)
    for _ in range(NUDGE_ROUNDS):
        moved = False
        for i in range(n):
            for j in range(i + 1, n + 1):
                need = SPACING * (max(widths[i], widths[j]) + MARKER_HEIGHT) / 2
                dx, dy = xs[j] - xs[i], ys[j] - ys[i]
                apart = math.hypot(dx, dy)
                if apart >= need:
                    continue
                if apart < 1e-6:
                    # The same spot: fan out by the golden angle, a different way for each.
                    angle = (i + j) * 2.399963
                    dx, dy, apart = math.sin(angle), -math.cos(angle), 1.0
                push = (need - apart) / (1 if j == n else 2) + 0.01
                xs[i] -= dx / apart * push
                ys[i] -= dy / apart * push
                if j < n:
                    xs[j] += dx / apart * push
                    ys[j] += dy / apart * push
                moved = True
        for k in range(n):
            half = widths[k] / 2
            xs[k] = min(SIZE - half, max(half, xs[k]))
            ys[k] = min(SIZE - MARKER_HEIGHT / 2, max(MARKER_HEIGHT / 2, ys[k]))
        if not moved:
            break
    return list(zip(xs[:n], ys[:n], strict=True))
