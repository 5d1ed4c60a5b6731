"""One cell at a time: money, ZIP codes, websites, schedules, coordinates (no DB)."""

import re

import pytest
import zipcodes
from hypothesis import given
from hypothesis import strategies as st

from finder.importer import fields
from finder.importer.records import Row
from finder.vocab import STATES


def check(function, value, *args):
    row = Row(7, {"cell": value})
    return function(row, "cell", *args), [(p.level, p.message) for p in row.problems]


@pytest.mark.parametrize(
    ("value", "cents"),
    [
        ("650", (65000, 65000)),
        ("650.00", (65000, 65000)),
        ("650.5", (65050, 65050)),
        ("$1,250.50", (125050, 125050)),
        ("450-750", (45000, 75000)),
        ("450 - 750", (45000, 75000)),
        ("0", (0, 0)),
        ("", None),
    ],
)
def test_money_is_read_as_cents(value, cents):
    assert check(fields.money, value) == (cents, [])


@pytest.mark.parametrize("value", ["cheap", "-5", "750-450", "1-2-3", "12.345", "1e3", "2000000"])
def test_a_rate_that_is_not_money_is_an_error(value):
    cents, problems = check(fields.money, value)
    assert cents is None
    assert [level for level, _ in problems] == ["error"]


@pytest.mark.parametrize(("value", "zip5"), [("02139", "02139"), ("02139-4307", "02139")])
def test_zip_codes_keep_leading_zeros_and_accept_zip_plus_4(value, zip5):
    assert check(fields.zip5, value) == (zip5, [])


@pytest.mark.parametrize("value", ["2139", "021390", "02139-43", "ABCDE", "02139 4307"])
def test_a_zip_that_is_not_5_digits_is_an_error(value):
    assert check(fields.zip5, value)[1] == [
        ("error", f"ZIP code '{value}' is not 5 digits (or ZIP+4 such as 02139-4307)")
    ]


@pytest.mark.parametrize(
    ("value", "kept", "level"),
    [
        ("https://example.org/a?b=c", "https://example.org/a?b=c", None),
        ("HTTP://EXAMPLE.ORG", "HTTP://EXAMPLE.ORG", None),
        ("http://", "", "warning"),
        ("https://", "", "warning"),
        ("http://w\twww.example.org/", "", "warning"),
        ("ftp://example.org", "", "error"),
        ("www.example.org", "", "error"),
        ("javascript:alert(1)", "", "error"),
        ("http://[::1", "", "error"),
    ],
)
def test_websites_must_be_http(value, kept, level):
    website, problems = check(fields.website, value)
    assert website == kept
    assert [lvl for lvl, _ in problems] == ([level] if level else [])


@pytest.mark.parametrize(
    ("value", "canonical"),
    [("100:0;125:20;150:40", "100:0;125:20;150:40"), ("100:0; 200:50;", "100:0;200:50"), ("", "")],
)
def test_sliding_schedules_are_stored_in_one_form(value, canonical):
    assert check(fields.schedule, value) == (canonical, [])


@pytest.mark.parametrize("value", ["100:0;100:20", "100:50;200:20", "100:101", "0:0", "abc", "100"])
def test_a_bad_sliding_schedule_is_an_error(value):
    schedule, problems = check(fields.schedule, value)
    assert schedule == ""
    assert problems[0][1].startswith(f"bad sliding schedule '{value}'")


def test_every_zip_centroid_of_our_states_and_territories_is_inside_the_us_boxes():
    located = [z for z in zipcodes.list_all() if z["state"] in STATES and float(z["lat"])]
    outside = [
        z["zip_code"] for z in located if not fields.in_us(float(z["lat"]), float(z["long"]))
    ]
    assert len(located) > 40000
    assert outside == []


def test_a_zip_without_a_centre_cannot_place_a_program():
    # zipcodes lists 11805 (a Hicksville PO box) at 0, 0
    assert check(fields.zip_centroid, "", "11805") == (
        None,
        [("error", "no coordinates, and ZIP 11805 is not one we can place")],
    )


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [(48.85, 2.35), (19.43, -99.13), (0.0, 0.0), (51.5, -0.12), (23.1, -82.4), (-33.9, 151.2)],
)
def test_places_abroad_are_outside(latitude, longitude):
    assert not fields.in_us(latitude, longitude)


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [
        (24.55, -81.8),
        (61.2, -149.9),
        (52.9, 172.9),
        (21.3, -157.8),
        (18.34, -64.93),
        (13.47, 144.75),
        (-14.27, -170.7),
    ],
)
def test_the_keys_alaska_hawaii_and_the_territories_are_inside(latitude, longitude):
    assert fields.in_us(latitude, longitude)


@pytest.mark.parametrize(
    ("cell", "exported"),
    [
        ("=1+2", "'=1+2"),
        ("+1 617", "'+1 617"),
        ("-71.1", "'-71.1"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'x", "''x"),
        ("x=1", "x=1"),
        ("", ""),
        ('Acme;=HYPERLINK("http://evil.example")', 'Acme;\'=HYPERLINK("http://evil.example")'),
        ("Acme,@SUM(A1)", "Acme,'@SUM(A1)"),
        ("Aetna;-Cigna", "Aetna;'-Cigna"),
        ("Acme; +1", "Acme;' +1"),
        ('Acme;"=1+1"', 'Acme;\'"=1+1"'),
        ("Acme\t=1", "Acme\t'=1"),
        ("a\t\tb", "a\t'\tb"),
        ("Acme\n=1", "Acme\n'=1"),
        ("Acme;'quoted", "Acme;''quoted"),
        ("1 Main St, Suite 4", "1 Main St, Suite 4"),
        ("100:0;150:40", "100:0;150:40"),
    ],
)
def test_neutralise_guards_formulas_and_unneutralise_undoes_it(cell, exported):
    assert fields.neutralise(cell) == exported
    assert fields.unneutralise(exported) == cell


@given(st.text(alphabet=st.sampled_from(list("=+-@'\"\t\r\n,; ax1")), max_size=12) | st.text())
def test_neutralised_cells_run_nothing_wherever_a_spreadsheet_splits_them(cell):
    exported = fields.neutralise(cell)
    assert fields.unneutralise(exported) == cell
    for piece in re.split(r"[,;\t\r\n]", exported):
        assert not piece.lstrip(' "').startswith(("=", "+", "-", "@")), (cell, piece)
    assert not exported.startswith(("\t", "\r"))
