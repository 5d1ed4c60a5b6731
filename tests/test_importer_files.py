"""Reading and checking files in our format: encodings, quirks, and every row error (no DB)."""

from pathlib import Path

import pytest

from finder.geo import zip_info
from finder.importer.validate import validate_file

FIXTURES = Path(__file__).parent / "fixtures" / "import"
ENCODINGS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM", "cp1252": "Windows-1252"}
VARIANTS = [
    pytest.param(enc, nl, final, id=f"{enc}-{'crlf' if nl == chr(13) + chr(10) else 'lf'}-{final}")
    for enc in ENCODINGS
    for nl in ("\n", "\r\n")
    for final in ("final-newline", "no-final-newline")
]


def render(tmp_path, fixture, encoding="utf-8", newline="\n", final="final-newline") -> Path:
    """A fixture rewritten in one encoding, with one line ending, with or without the last one."""
    text = (FIXTURES / fixture).read_text(encoding="utf-8").rstrip("\n").replace("\n", newline)
    path = tmp_path / f"{encoding}-{fixture}"
    path.write_bytes((text + (newline if final == "final-newline" else "")).encode(encoding))
    return path


def write(tmp_path, text: str, encoding="utf-8", name="file.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def where(problems):
    return [(p.line, p.column, p.level) for p in problems]


@pytest.mark.parametrize(("encoding", "newline", "final"), VARIANTS)
def test_quirky_file_reads_the_same_in_every_encoding_and_line_ending(
    tmp_path, encoding, newline, final
):
    facts, parsed = validate_file(render(tmp_path, "native_quirks.csv", encoding, newline, final))

    assert facts.encoding == encoding
    assert parsed.format == "native"
    # the quoted street spans lines 2-3, line 4 is blank: quirk-2 is on line 5
    assert where(parsed.problems) == [
        (5, "latitude", "warning"),
        (5, "website", "warning"),
        (6, "state", "warning"),
    ]
    first, second, third = parsed.records
    assert first.name == "Café Uno, Inc."
    assert first.street == "1 Main St Suite 2"
    assert first.phone == "617-555-0100 x351"
    assert first.website == "https://example.org/café"
    assert first.features == (
        ("care", "intensive_outpatient"),
        ("care", "outpatient"),
        ("language", "es"),
        ("payment", "cash"),
        ("payment", "sliding_fee"),
    )
    assert first.rates == (("outpatient", 15000, 27000),)
    assert first.sliding_fee_schedule == "100:0;200:50"
    assert (first.latitude, first.longitude, first.location_approximate) == (
        42.3647,
        -71.1042,
        False,
    )
    assert second.zip == "02139"
    assert second.website == ""
    assert second.location_approximate
    assert (second.latitude, second.longitude) == (
        zip_info("02139").latitude,
        zip_info("02139").longitude,
    )
    assert second.rates == (("residential_short", 125000, 125000),)
    assert (third.name, third.name2, third.phone) == (
        "=Formula Guarded",
        "'Quoted",
        "+1 617 555 0102",
    )
    assert third.state == "MA"
    assert third.source == "finder"


def test_warnings_say_what_was_repaired(tmp_path):
    _, parsed = validate_file(render(tmp_path, "native_quirks.csv"))

    assert [str(p) for p in parsed.problems] == [
        "line 5, latitude: no coordinates: using the centre of ZIP 02139, marked approximate",
        "line 5, website: 'http://' is not a website address; dropped",
        "line 6, state: state VT contradicts ZIP 02139, which is in MA; using MA",
    ]


ROW_ERRORS = [
    (3, "key", "key 'Bad_Key!' must be 1-64 characters of a-z, 0-9, - and _"),
    (4, "zip", "ZIP code '2139' is not 5 digits"),
    (5, "latitude", "coordinates 48.85, 2.35 are outside the U.S. states and territories"),
    (6, "care_levels", "unknown care level 'rehab'"),
    (7, "website", "website 'ftp://example.org' is not an http:// or https:// address"),
    (8, "rate_outpatient", "'cheap' is not an amount of money"),
    (9, "name", "a value is required"),
    (10, "verified_on", "'2025-13-01' is not a date"),
    (11, "sliding_fee_schedule", "bad sliding schedule '200:0;100:50'"),
    (12, "key", "key 'ok-1' is used twice: on line 2 and line 12"),
    (13, "state", "'ZZ' is not a U.S. state or territory code"),
    (14, "beds", "'many' is not a whole number"),
    (15, "substance_use", "'maybe' is not yes or no"),
    (16, "payments", "unknown payment 'gold'"),
    (17, "longitude", "give both latitude and longitude, or neither"),
    (18, "care_levels", "a substance-use program needs at least one care level"),
    (19, "latitude", "no coordinates, and ZIP 00000 is not one we can place"),
]


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_every_row_error_names_its_line_and_column(tmp_path, encoding, newline):
    _, parsed = validate_file(render(tmp_path, "native_errors.csv", encoding, newline))
    errors = [p for p in parsed.problems if p.level == "error"]

    assert len(errors) == len(ROW_ERRORS)
    for (line, column, message), error in zip(ROW_ERRORS, errors, strict=True):
        assert (error.line, error.column) == (line, column)
        assert error.message.startswith(message)
    # ok-1 is on line 2 and line 12: neither is imported; ok-2 (line 20) is
    assert [r.key for r in parsed.records] == ["ok-2"]
    assert parsed.skipped_rows == 18
    assert {"ok-1", "zip-4", "far-away", "no-state"} <= parsed.invalid_keys
    assert "Bad_Key!" not in parsed.invalid_keys


def test_missing_required_columns_are_named(tmp_path):
    _, parsed = validate_file(write(tmp_path, "key,name,city\nx,X,Boston\n"))

    assert parsed.fatal
    assert [str(p) for p in parsed.problems] == [
        "line 1: required columns are missing: state, zip, phone, care_levels"
    ]
    assert parsed.records == []


def test_unknown_columns_are_a_warning_and_ignored(tmp_path):
    text = (
        "key,name,city,state,zip,phone,care_levels,colour\nx,X,Boston,MA,02114,1,outpatient,red\n"
    )
    _, parsed = validate_file(write(tmp_path, text))

    assert [str(p) for p in parsed.problems][
        0
    ] == "line 1, colour: unknown column 'colour' is ignored"
    assert [r.key for r in parsed.records] == ["x"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("key,name,key\n", "these columns appear more than once: key"),
        ("id,title\n1,x\n", "cannot tell the format from the header"),
        ("", "the file is empty: it has no header row"),
        ("\r\n\r\n", "the file is empty: it has no header row"),
    ],
)
def test_unreadable_headers_are_refused(tmp_path, text, message):
    _, parsed = validate_file(write(tmp_path, text))

    assert parsed.fatal
    assert parsed.problems[0].message.startswith(message)


def test_a_forced_format_checks_that_formats_columns(tmp_path):
    _, parsed = validate_file(render(tmp_path, "native_quirks.csv"), fmt="samhsa")

    assert parsed.fatal
    assert parsed.problems[0].message == (
        "required columns are missing: name1, street1, type_facility"
    )


def test_a_file_in_no_known_encoding_is_refused_at_the_line_of_the_bad_byte(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"key,name\r\nx,ok\r\ny,caf\xe9 \x81\r\n")
    facts, parsed = validate_file(path)

    assert facts.encoding is None
    assert parsed.fatal
    assert str(parsed.problems[0]) == (
        "line 3: the file is neither UTF-8 nor Windows-1252 (byte 0x81)"
    )


def test_windows_1252_is_detected_even_when_the_first_bytes_are_ascii(tmp_path):
    body = "".join(f"k{i},Plain {i},Boston,MA,02114,617-555-0100,outpatient\n" for i in range(3000))
    path = write(
        tmp_path,
        "key,name,city,state,zip,phone,care_levels\n"
        + body
        + "z,Café,Boston,MA,02114,1,outpatient\n",
        "cp1252",
    )
    facts, parsed = validate_file(path)

    assert facts.encoding == "cp1252"
    assert parsed.records[-1].name == "Café"


def test_blank_lines_comma_only_rows_and_cells_past_the_header(tmp_path):
    text = (
        "key,name,city,state,zip,phone,care_levels,,\n"
        ",,,,,,,,\n"
        "\n"
        "a,A,Boston,MA,02114,1,outpatient,,\n"
        "b,B,Boston,MA,02114,1,outpatient,,,extra\n"
    )
    _, parsed = validate_file(write(tmp_path, text))

    assert [r.key for r in parsed.records] == ["a", "b"]
    assert [str(p) for p in parsed.problems if "latitude" not in p.column] == [
        "line 5: values to the right of the last named column are ignored"
    ]


@pytest.mark.parametrize(
    ("cell", "stored"),
    [
        ("'=SUM(A1)", "=SUM(A1)"),
        ("'+1 617", "+1 617"),
        ("'-5", "-5"),
        ("'@home", "@home"),
        ("'\tTab", "Tab"),  # then the tab is whitespace and collapses
        ("''Quoted", "'Quoted"),
        ("'Plain", "'Plain"),
        ("O'Brien", "O'Brien"),
    ],
)
def test_one_leading_quote_is_removed_only_before_a_formula_character(tmp_path, cell, stored):
    text = f'key,name,city,state,zip,phone,care_levels\nx,"{cell}",Boston,MA,02114,1,outpatient\n'
    _, parsed = validate_file(write(tmp_path, text))

    assert parsed.records[0].name == stored
