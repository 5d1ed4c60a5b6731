"""Export in our format: active programs only, formulas neutralised, and a lossless round trip."""

import csv
import datetime as dt
import io
import re
from pathlib import Path

from sqlalchemy import select

from finder.db import db
from finder.geo import zip_info
from finder.importer import export_csv, export_rows, import_file
from finder.importer.native import COLUMNS
from finder.models import Program, ProgramPhone

FIXTURES = Path(__file__).parent / "fixtures" / "import"
DEMO = Path(__file__).resolve().parents[1] / "data" / "programs.csv"


def exported(app) -> list[dict]:
    with app.app_context():
        text = "".join(export_rows())
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_export_lists_active_programs_in_our_columns(app, add_program):
    add_program(id="b-open", name="Open")
    add_program(id="a-open", name="Also Open", rates={"outpatient": (15000, 27050)})
    add_program(id="c-closed", active=False)
    with app.app_context():
        header = next(csv.reader(io.StringIO(next(export_rows()))))
    rows = exported(app)

    assert header == list(COLUMNS)
    assert [r["key"] for r in rows] == ["a-open", "b-open"]
    assert rows[0]["rate_outpatient"] == "150-270.50"
    assert (rows[0]["care_levels"], rows[0]["substance_use"]) == ("outpatient", "yes")
    assert rows[0]["verified_on"] == "2026-10-01"


def test_cells_that_a_spreadsheet_would_run_are_neutralised(app, add_program):
    add_program(
        id="evil",
        name='=HYPERLINK("http://evil.example","click")',
        name2="'quoted",
        street="@SUM(A1)",
        phone="+1 617-555-0100",
        carriers=["-Aetna"],
    )
    row = exported(app)[0]

    assert row["name"] == """'=HYPERLINK("http://evil.example","click")"""
    assert (row["name2"], row["street"], row["phone"]) == (
        "''quoted",
        "'@SUM(A1)",
        "'+1 617-555-0100",
    )
    assert (row["carriers"], row["longitude"], row["latitude"]) == (
        "'-Aetna",
        "'-71.1042",
        "42.3647",
    )


# Cells a spreadsheet splits at ";" or "," (its list separator) and then runs piece by piece.
SPLIT_FORMULAS = {
    "name": 'Acme;=HYPERLINK("http://evil.example","click")',
    "name2": "Acme,@SUM(A1)",
    "street": 'Main St; "=1+1"',
    "city": "Boston;'quoted",
    "carriers": ["Aetna", "-Cigna"],
}


def test_cells_that_a_spreadsheet_would_split_and_run_are_neutralised(app, add_program):
    add_program(id="split", **SPLIT_FORMULAS)
    with app.app_context():
        lines = "".join(export_rows()).splitlines()
    for piece in re.split(r"[,;\t]", lines[1]):
        assert not piece.lstrip(' "').startswith(("=", "+", "-", "@")), piece
    row = exported(app)[0]
    assert row["name"] == """Acme;'=HYPERLINK("http://evil.example","click")"""
    assert row["carriers"] == "'-Cigna;Aetna"


def test_an_approximate_location_is_left_blank(app, add_program):
    add_program(id="rough", location_approximate=True)

    assert [(r["latitude"], r["longitude"]) for r in exported(app)] == [("", "")]


def test_export_then_import_changes_nothing(app, add_program, tmp_path):
    add_program(
        id="tricky",
        name="=Formula, with comma",
        name2="'Quoted",
        street='1 "Main" St',
        phone="617-555-0100 x351",
        website="https://example.org/a?b=c",
        care_levels=["outpatient", "residential_long"],
        payments=["sliding_fee", "medicaid"],
        carriers=["Aetna", "Blue Cross Blue Shield"],
        languages=["es", "asl"],
        rates={"outpatient": (15000, 27050), "naltrexone_xr": 130000},
        sliding_fee_schedule="100:0;150:40",
        beds=16,
        substance_use=False,
        location_approximate=True,  # where the importer puts it: at its ZIP's centre
        latitude=zip_info("02139").latitude,
        longitude=zip_info("02139").longitude,
    )
    add_program(id="split", **SPLIT_FORMULAS)
    add_with_every_new_field(app, add_program, "every-new-field", ["outpatient", "residential"])
    add_program(id="phones-not-stored", intake_phone="617-555-0101")  # shown: phone and intake
    with app.app_context():
        import_file(FIXTURES / "native_quirks.csv", actor="a")
        import_file(FIXTURES / "samhsa_twins.csv", actor="a")
        if DEMO.exists():
            import_file(DEMO, actor="a")
        before = {p.id: p.updated_at for p in db.session.scalars(select(Program))}
        path = tmp_path / "export.csv"
        count = export_csv(path)

        result = import_file(path, actor="a")
        db.session.expire_all()

        assert count == len(before)
        assert result.errors == []
        assert (result.summary.added, result.summary.changed) == (0, 0)
        assert result.summary.unchanged == count
        assert {p.id: p.updated_at for p in db.session.scalars(select(Program))} == before
        # the approximate program is placed at its ZIP's centre again
        assert db.session.get(Program, "tricky").location_approximate
        full = db.session.get(Program, "every-new-field")
        assert [(p.kind, p.number, p.label) for p in full.phones] == list(PHONES)
        assert (full.telehealth, full.verified_on, full.imported_on) == (
            True,
            None,
            dt.date(2026, 2, 3),
        )
        assert (full.tokens("mh_care"), full.tokens("facility")) == (
            ["outpatient", "residential"],
            ["psychiatric_hospital"],
        )


PHONES = (
    ("main", "617-555-0100", "Main number"),
    ("intake", "617-555-0101", "Intake, second line"),
    ("intake", "617-555-0102 x12", "Intake"),
    ("hotline", "800-555-0103", "Hotline"),
)


def add_with_every_new_field(app, add_program, key: str, mh_care: list[str]) -> None:
    add_program(
        id=key,
        phone="617-555-0100",
        intake_phone="617-555-0101",
        telehealth=True,
        verified_on=None,
        imported_on=dt.date(2026, 2, 3),
        medications=["naltrexone"],
        care_levels=["residential"],
    )
    with app.app_context():
        program = db.session.get(Program, key)
        program.set_tokens("mh_care", mh_care)
        program.set_tokens("facility", ["psychiatric_hospital"])
        for position, (kind, number, label) in enumerate(PHONES):
            program.phones.append(
                ProgramPhone(position=position, kind=kind, number=number, label=label)
            )
        db.session.commit()


def test_the_new_fields_are_exported_as_docs_csv_format_says(app, add_program):
    add_with_every_new_field(app, add_program, "full", ["outpatient", "hospital_inpatient"])
    add_program(id="plain")  # no phones stored: left empty, import builds them again
    full, plain = exported(app)

    assert full["phones"] == (
        "main: 617-555-0100; intake: 617-555-0101 (Intake, second line); "
        "intake: 617-555-0102 x12; hotline: 800-555-0103"
    )
    assert (full["telehealth"], full["verified_on"], full["imported_on"]) == (
        "yes",
        "",
        "2026-02-03",
    )
    assert full["mental_health_care"] == "hospital_inpatient;outpatient"
    assert (full["care_levels"], full["medications"]) == ("residential", "naltrexone")
    assert (plain["phones"], plain["telehealth"], plain["verified_on"]) == (
        "",
        "no",
        "2026-10-01",
    )


def test_export_csv_writes_to_an_open_stream(app, add_program):
    add_program(id="one", verified_on=dt.date(2025, 1, 2))
    stream = io.StringIO()
    with app.app_context():
        assert export_csv(stream) == 1
    assert stream.getvalue().splitlines()[1].startswith("one,")
