"""SAMHSA's facility listing: twins merged, codes mapped, and the real Massachusetts file."""

import csv
import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from finder.db import db
from finder.importer import import_file
from finder.importer.records import ProgramRecord
from finder.importer.samhsa import code_table, file_date, program_id
from finder.importer.samhsa_programs import SCOPES
from finder.importer.validate import validate_file
from finder.models import ImportBatch, Program
from finder.vocab import FEATURE_KINDS

FIXTURES = Path(__file__).parent / "fixtures" / "import"
REAL = (
    Path(__file__).resolve().parents[2] / "shared" / "datasets" / "samhsa" / "facility-detail.csv"
)
REAL_NAME = "FindTreament_Facility_listing_2025_08_19_150020.csv"
REAL_SHA256 = "2dca2070effb847bc289137ed4486ee6b032956720c8f8c45343c861a1fc1ea7"
needs_real_file = pytest.mark.skipif(
    not REAL.exists(), reason=f"the real SAMHSA export is not here ({REAL}); a fresh clone has none"
)


def render(tmp_path, encoding="utf-8", newline="\r\n", final=False, name="twins.csv") -> Path:
    text = (FIXTURES / "samhsa_twins.csv").read_text(encoding="utf-8").rstrip("\n")
    path = tmp_path / name
    path.write_bytes((text.replace("\n", newline) + (newline if final else "")).encode(encoding))
    return path


def by_name(records):
    return {r.name: r for r in records}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("final", [False, True], ids=["no-final-newline", "final-newline"])
def test_twins_merge_into_one_program_per_site(tmp_path, encoding, final):
    facts, parsed = validate_file(render(tmp_path, encoding, final=final))

    assert (facts.encoding, parsed.format, parsed.rows) == (encoding, "samhsa", 8)
    programs = by_name(parsed.records)
    assert sorted(programs) == [
        "Harbor Health",
        "Hospital Detox",
        "Lone Residence",
        "Quiet Minds",
        "West Side Recovery",
    ]
    harbor = programs["Harbor Health"]
    assert harbor.key == program_id("Harbor Health", "10 Harbor St", "Chelsea", "02150")
    assert harbor.name2 == "Café Site"  # blank cells do not vote
    # two rows, two phones: the tie goes to the SU row
    assert (harbor.phone, harbor.street) == ("617-555-0002", "10 Harbor St.")
    assert (harbor.latitude, harbor.longitude) == (42.3911, -71.0367)
    assert harbor.intake_phone == "617-555-0009"
    assert harbor.features == (  # the flags of both rows, "n40 " despite its stray space
        ("care", "outpatient"),
        ("language", "es"),
        ("language", "ypk"),
        ("language", "zh"),
        ("medication", "buprenorphine"),
        ("medication", "naltrexone_xr"),
        ("mh_care", "outpatient"),  # the MH row's OP: mental-health care, not a care level
        ("payment", "cash"),
        ("payment", "medicaid"),
        ("special", "co_occurring"),
    )
    assert harbor.phones == (  # every number of both rows, each once
        ("main", "617-555-0002", "Main number"),
        ("main", "617-555-0001 x351", "Main number (alternate)"),
        ("intake", "617-555-0009", "Intake"),
    )
    assert all(r.source == "samhsa" for r in parsed.records)


def test_a_site_without_su_row_or_sa_flag_is_mental_health_only(tmp_path):
    programs = by_name(validate_file(render(tmp_path))[1].records)

    assert not programs["Quiet Minds"].substance_use
    assert programs["Hospital Detox"].substance_use  # an SU row without the sa flag
    assert programs["West Side Recovery"].substance_use  # sa flag on an MH row counts too


def test_care_levels_come_from_the_code_table(tmp_path):
    programs = by_name(validate_file(render(tmp_path))[1].records)

    def care(name):
        return [v for k, v in programs[name].features if k == "care"]

    assert care("West Side Recovery") == ["outpatient", "residential_long"]  # RES + RL
    assert care("Lone Residence") == ["residential"]  # RES alone: length not stated
    assert care("Hospital Detox") == ["detox_inpatient", "hospital_inpatient"]  # HID


def test_the_zip_decides_the_state_and_repairs_are_warnings(tmp_path):
    _, parsed = validate_file(render(tmp_path))

    assert by_name(parsed.records)["West Side Recovery"].state == "MA"
    lone = by_name(parsed.records)["Lone Residence"]
    assert (lone.phone, lone.website, lone.zip, lone.location_approximate) == (
        "508-555-0123 x12",
        "",
        "01608",
        True,
    )
    assert sorted((p.line, p.column) for p in parsed.problems) == [
        (1, "zzz"),  # unknown column; ubn (known, unused) says nothing
        (2, "intake1"),
        (2, "latitude"),
        (2, "name2"),
        (2, "phone"),
        (2, "street1"),
        (6, "state"),
        (8, "latitude"),
        (8, "website"),
    ]
    assert {p.level for p in parsed.problems} == {"warning"}
    state = next(p for p in parsed.problems if p.column == "state")
    assert state.message == "state VT contradicts ZIP 01089, which is in MA; using MA"
    phone = next(p for p in parsed.problems if p.column == "phone")
    assert phone.message == (
        "the 2 rows of this program (lines 2, 3) disagree ('617-555-0001 x351'; '617-555-0002'); "
        "using '617-555-0002'"
    )


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("md", "2", "unknown code value '2' (expected 1 or blank)"),
        ("type_facility", "XX", "type_facility 'XX' is not SU, SA or MH"),
        (
            "latitude",
            "4.2",
            "coordinates 4.2, -71.0367 are outside the U.S. states and territories",
        ),
    ],
)
def test_a_bad_row_spoils_its_whole_site(tmp_path, column, value, message):
    _, parsed = validate_file(spoil(render(tmp_path), column, value))
    errors = [p for p in parsed.problems if p.level == "error"]

    assert [(e.line, e.column, e.message) for e in errors] == [(3, column, message)]
    assert "Harbor Health" not in by_name(parsed.records)
    assert len(parsed.records) == 4
    assert parsed.skipped_rows == 2
    assert program_id("Harbor Health", "10 Harbor St", "Chelsea", "02150") in parsed.invalid_keys


def test_a_row_with_a_bad_zip_cannot_join_its_site(tmp_path):
    _, parsed = validate_file(spoil(render(tmp_path), "zip", "2150"))
    errors = [p for p in parsed.problems if p.level == "error"]

    assert [str(e) for e in errors] == [
        "line 3, zip: ZIP code '2150' is not 5 digits (or ZIP+4 such as 02139-4307)"
    ]
    assert by_name(parsed.records)["Harbor Health"].phone == "617-555-0001 x351"  # line 2 alone
    assert parsed.skipped_rows == 1


def spoil(path, column, value):
    """Put `value` in `column` of line 3 (Harbor Health's SU row)."""
    lines = path.read_bytes().decode("utf-8").split("\r\n")
    header = [c.strip() for c in next(csv.reader([lines[0]]))]
    cells = next(csv.reader([lines[2]]))  # Harbor Health's SU row, line 3
    cells[header.index(column)] = value
    lines[2] = ",".join(cells)
    path.write_bytes("\r\n".join(lines).encode("utf-8"))
    return path


def test_the_export_date_comes_from_the_file_name():
    assert file_date(REAL_NAME) == dt.date(2025, 8, 19)
    assert file_date("FindTreatment_Facility_listing_2024_01_31.csv") == dt.date(2024, 1, 31)
    assert file_date("FindTreament_Facility_listing_2025_13_40.csv") is None
    assert file_date("facility-detail.csv") is None


def test_the_file_name_wins_over_the_verified_on_argument(tmp_path):
    named = render(tmp_path, name=REAL_NAME)
    plain = render(tmp_path)
    given = dt.date(2025, 1, 2)

    assert validate_file(named, verified_on=given)[1].records[0].verified_on == dt.date(2025, 8, 19)
    assert validate_file(plain, verified_on=given)[1].records[0].verified_on == given
    assert validate_file(plain)[1].records[0].verified_on is None


def test_a_site_id_is_a_short_url_safe_hash_of_its_normalised_key():
    one = program_id("St. Mary's  Center", "1 Main St.", "Boston", "02114")

    assert one == program_id("ST MARYS CENTER", "1 main st", "BOSTON", "02114")
    assert one != program_id("St. Mary's Center", "1 Main St.", "Boston", "02115")
    assert one.startswith("s-") and len(one) == 14
    assert set(one[2:]) <= set("abcdefghijklmnopqrstuvwxyz234567")


def test_every_mapped_token_is_in_our_vocabulary():
    flags = {f.name for f in dataclasses.fields(ProgramRecord) if f.type is bool}
    for code, meanings in code_table().items():
        for m in meanings:
            if m.kind == "flag":  # a yes/no field of the program: telehealth
                assert m.token in flags, code
            else:
                assert m.token in FEATURE_KINDS[m.kind], code
            assert m.only_without <= code_table().keys(), code
            assert m.rows in SCOPES, code


@needs_real_file
def test_every_code_column_of_the_real_export_is_known():
    with open(REAL, newline="", encoding="utf-8") as f:
        header = [c.strip() for c in next(csv.reader(f))]
    assert len(header) == 332
    assert [c for c in header[17:] if c not in code_table()] == []


@needs_real_file
def test_the_real_file_checks_without_errors():
    facts, parsed = validate_file(REAL, filename=REAL_NAME)
    warnings = [p.message for p in parsed.problems]

    assert (facts.sha256, facts.encoding) == (REAL_SHA256, "utf-8")
    assert (parsed.rows, len(parsed.records), parsed.skipped_rows) == (662, 463, 0)
    # 452 sites; 11 of their programs are told apart by name2 (docs/samhsa-mapping.md)
    assert (
        len({program_id(r.name, r.street or "- - -", r.city, r.zip) for r in parsed.records}) == 452
    )
    assert [p for p in parsed.problems if p.level == "error"] == []
    assert sum(r.substance_use for r in parsed.records) == 422
    assert sum(not r.substance_use for r in parsed.records) == 41
    assert len(warnings) == 71
    assert sum("disagree" in w for w in warnings) == 48
    assert sum("SAMHSA's placeholder for none" in w for w in warnings) == 12
    assert sum("miles apart" in w for w in warnings) == 2
    assert sum("city 'Lee' contradicts ZIP 02138" in w for w in warnings) == 1
    assert sum(w == "'http://' is not a website address; dropped" for w in warnings) == 6
    assert sum("has a space or tab inside it" in w for w in warnings) == 1
    assert sum("contradicts ZIP 01089" in w for w in warnings) == 1


@pytest.mark.slow
@needs_real_file
def test_the_real_file_imports_and_the_database_holds_463_programs(app):
    with app.app_context():
        result = import_file(REAL, actor="test", filename=REAL_NAME)
        programs = db.session.scalars(select(Program)).all()
        batch = db.session.get(ImportBatch, result.batch_id)

        assert (result.summary.added, result.summary.skipped_rows) == (463, 0)
        assert (result.summary.warnings, result.errors) == (71, [])
        assert len(programs) == 463
        assert sum(p.substance_use for p in programs) == 422
        assert {(p.source, p.import_id, p.verified_on) for p in programs} == {
            ("samhsa", batch.id, dt.date(2025, 8, 19))
        }
        assert sum(" x" in p.phone for p in programs) == 77
        savida = [p for p in programs if p.zip == "01089" and p.name == "SaVida Health"]
        assert [(p.state, p.city) for p in savida] == [("MA", "West Springfield")]
        assert (batch.sha256, batch.size, batch.format, batch.source) == (
            REAL_SHA256,
            370324,
            "samhsa",
            "samhsa",
        )
        assert (batch.added, batch.warnings, batch.filename) == (463, 71, REAL_NAME)
        stamps = {p.id: p.updated_at for p in programs}

        again = import_file(REAL, actor="test", filename=REAL_NAME, complete_source=True)
        db.session.expire_all()

        assert (again.summary.unchanged, again.summary.changed, again.summary.deactivated) == (
            463,
            0,
            0,
        )
        assert {p.id: p.updated_at for p in db.session.scalars(select(Program))} == stamps
        assert db.session.scalar(select(func.count()).select_from(ImportBatch)) == 2
