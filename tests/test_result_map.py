"""The results map's geometry: north up, each program at its bearing and distance, the list's
numbers. Pure: no app, no database."""

import math

import pytest
from geopy.distance import great_circle
from hypothesis import given
from hypothesis import strategies as st

from finder.geo import Place, distances_from
from finder.resultmap import MARKER_HEIGHT, PLOT, SIZE, Spot, direction, result_map

CAMBRIDGE = Place(42.3647, -71.1042, "Cambridge, MA")


def spot_at(miles, bearing, name="P", origin=CAMBRIDGE):
    """A program `miles` from the origin on `bearing`, with the distance a search gives it."""
    p = great_circle(miles=miles).destination((origin.latitude, origin.longitude), bearing)
    return Spot(name, p.latitude, p.longitude, distances_from(origin)(p.latitude, p.longitude))


def polar(drawn, marker):
    """(bearing in degrees clockwise from north, distance in drawing units) of a marker's own
    place, read off the drawing with screen y pointing down."""
    dx, dy = marker.anchor_x - drawn.centre, drawn.centre - marker.anchor_y
    return math.degrees(math.atan2(dx, dy)) % 360, math.hypot(dx, dy)


def box(marker):
    return marker.x, marker.y, marker.width, MARKER_HEIGHT


def overlap(marker, other) -> bool:
    """Whether a marker covers a box (x, y, width, height around its centre)."""
    x, y, width, height = other
    return (
        abs(marker.x - x) < (marker.width + width) / 2 - 0.2
        and abs(marker.y - y) < (MARKER_HEIGHT + height) / 2 - 0.2
    )


@pytest.mark.parametrize(
    "bearing, sign_x, sign_y",
    [(0, 0, -1), (90, 1, 0), (180, 0, 1), (270, -1, 0)],
    ids=["north is up", "east is right", "south is down", "west is left"],
)
def test_north_is_up_and_east_is_right(bearing, sign_x, sign_y):
    drawn = result_map(CAMBRIDGE, 10, [spot_at(6, bearing)])
    (m,) = drawn.markers

    def sign(offset):
        return 0 if abs(offset) < 0.5 else math.copysign(1, offset)

    assert (sign(m.x - drawn.centre), sign(m.y - drawn.centre)) == (sign_x, sign_y)


@pytest.mark.parametrize("bearing", [10, 45, 100, 135, 200, 225, 300, 359])
@pytest.mark.parametrize("miles", [0.7, 2.5, 7.4, 9.9])
def test_a_program_sits_at_its_bearing_and_distance_to_scale(bearing, miles):
    drawn = result_map(CAMBRIDGE, 10, [spot_at(miles, bearing)])
    angle, reach = polar(drawn, drawn.markers[0])
    assert angle == pytest.approx(bearing, abs=0.5)
    assert reach == pytest.approx(PLOT * miles / 10, abs=0.2)


def test_rings_are_drawn_at_the_radius_and_half_of_it():
    drawn = result_map(CAMBRIDGE, 10, [spot_at(5, 30)])
    assert [(r.label, r.radius) for r in drawn.rings] == [("10 mi", PLOT), ("5 mi", PLOT / 2)]
    angle, reach = polar(drawn, drawn.markers[0])
    assert reach == pytest.approx(drawn.rings[1].radius, abs=0.2)  # 5 miles: on the inner ring
    half = result_map(CAMBRIDGE, 25, [spot_at(5, 30)]).rings
    assert [r.label for r in half] == ["25 mi", "12.5 mi"]


def test_markers_carry_the_lists_numbers_on_a_later_page():
    spots = [spot_at(m, 40 * m, name=f"P{m}") for m in (1, 2, 3)]
    drawn = result_map(CAMBRIDGE, 10, spots, first_number=21)
    assert [(m.number, m.name) for m in drawn.markers] == [(21, "P1"), (22, "P2"), (23, "P3")]


def test_at_any_distance_the_farthest_program_sets_a_round_outer_ring():
    spots = [spot_at(3, 0), spot_at(37, 90), spot_at(12, 200)]
    drawn = result_map(CAMBRIDGE, None, spots)
    assert drawn.scale_miles == 50
    assert [r.label for r in drawn.rings] == ["50 mi", "25 mi"]
    reaches = [polar(drawn, m)[1] for m in drawn.markers]
    assert reaches == pytest.approx([PLOT * 3 / 50, PLOT * 37 / 50, PLOT * 12 / 50], abs=0.2)
    assert not any(m.beyond for m in drawn.markers)


def test_a_program_at_the_origin_gives_a_one_mile_map():
    drawn = result_map(CAMBRIDGE, None, [Spot("Here", 42.3647, -71.1042, 0.0)])
    assert drawn.scale_miles == 1
    (m,) = drawn.markers
    assert (m.anchor_x, m.anchor_y) == (drawn.centre, drawn.centre)
    # Drawn beside the origin's dot, not over it, and joined to its place by a line.
    assert not overlap(m, (drawn.centre, drawn.centre, 12, 12))
    assert m.moved


def test_a_program_beyond_the_outer_ring_sits_on_its_edge():
    drawn = result_map(CAMBRIDGE, 10, [spot_at(30, 135), spot_at(4, 135)])
    far, near = drawn.markers
    angle, reach = polar(drawn, far)
    assert far.beyond and not near.beyond
    assert reach == pytest.approx(PLOT, abs=0.2)
    assert angle == pytest.approx(135, abs=0.5)
    assert far.miles == "30.0"  # the description keeps its true distance


def test_programs_on_one_spot_are_fanned_out_not_stacked():
    same = spot_at(5, 60)
    drawn = result_map(CAMBRIDGE, 10, [same, same, same])
    centres = {(m.x, m.y) for m in drawn.markers}
    assert len(centres) == 3
    assert not any(overlap(a, box(b)) for a in drawn.markers for b in drawn.markers if a is not b)
    # Each keeps its place on the map (a line joins a moved marker to it).
    assert {(m.anchor_x, m.anchor_y) for m in drawn.markers} == {
        (drawn.markers[0].anchor_x, drawn.markers[0].anchor_y)
    }
    assert sum(m.moved for m in drawn.markers) >= 2


def test_a_lone_program_is_not_moved():
    (m,) = result_map(CAMBRIDGE, 25, [spot_at(11, 250)]).markers
    assert (m.x, m.y) == (m.anchor_x, m.anchor_y) and not m.moved


def test_long_numbers_get_a_wider_marker():
    drawn = result_map(CAMBRIDGE, 10, [spot_at(2, 0), spot_at(8, 180)], first_number=99)
    assert drawn.markers[0].width < drawn.markers[1].width  # 99, then 100


@pytest.mark.parametrize(
    "bearing, word",
    [(0, "north"), (44, "north-east"), (90, "east"), (160, "south"), (200, "south"),
     (226, "south-west"), (290, "west"), (337.4, "north-west"), (350, "north")],
)  # fmt: skip
def test_directions_in_words(bearing, word):
    assert direction(bearing) == word


def test_a_description_names_distance_and_direction():
    (m,) = result_map(CAMBRIDGE, 10, [spot_at(2.3, 45, name="Harbor Light")]).markers
    assert (m.name, m.miles, m.direction) == ("Harbor Light", "2.3", "north-east")


@given(
    st.lists(st.tuples(st.floats(0, 60), st.floats(0, 359.99)), min_size=1, max_size=25),
    st.sampled_from([5, 10, 25, 50, None]),
    st.integers(1, 10_000),
)
def test_every_marker_stays_inside_the_drawing_and_numbers_run_on(places, radius, first):
    spots = [spot_at(miles, bearing) for miles, bearing in places]
    drawn = result_map(CAMBRIDGE, radius, spots, first_number=first)
    assert [m.number for m in drawn.markers] == list(range(first, first + len(spots)))
    for m in drawn.markers:
        assert m.left >= 0 and m.left + m.width <= SIZE
        assert m.top >= 0 and m.top + drawn.marker_height <= SIZE
        assert math.hypot(m.anchor_x - drawn.centre, m.anchor_y - drawn.centre) <= PLOT + 0.1
    # A page's worth of markers never hide one another, however they crowd.
    assert not any(overlap(a, box(b)) for a in drawn.markers for b in drawn.markers if a is not b)
