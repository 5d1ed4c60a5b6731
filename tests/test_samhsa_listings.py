"""SAMHSA's listings true to their source: the real Massachusetts file, row by row."""

import csv
import functools
import re
from pathlib import Path

import pytest
from rapidfuzz import fuzz
from test_samhsa import REAL, REAL_NAME, needs_real_file

from finder.importer import fields, samhsa
from finder.importer.records import Row
from finder.importer.samhsa import code_table, program_id
from finder.importer.validate import validate_file

DICTIONARY = REAL.with_name("findtreatment_service_codes.csv")
TABLE = Path(samhsa.__file__).with_name("samhsa_codes.csv")
SU = ("SU", "SA")

# What each token means, written from SAMHSA's code dictionary by hand, apart from
# samhsa_codes.csv: (kind, token) -> a test on the codes of the rows it is read from
# (su: the program's substance-use rows; mh: its mental-health rows; all: all its rows;
# site: every row at its address).
EXPECTED = {
    ("care", "outpatient"): lambda c: (
        c.su & {"ort", "omb"} or ("op" in c.su and not c.su & {"oit", "odt", "od"})
    ),
    ("care", "intensive_outpatient"): lambda c: "oit" in c.su,
    ("care", "partial_hospitalization"): lambda c: "odt" in c.su,
    ("care", "detox_outpatient"): lambda c: "od" in c.su,
    ("care", "detox_inpatient"): lambda c: c.su & {"rd", "hid"},
    ("care", "hospital_inpatient"): lambda c: c.su & {"hi", "hid", "hit"},
    ("care", "residential"): lambda c: "res" in c.su and not c.su & {"rs", "rl", "rd"},
    ("care", "residential_short"): lambda c: "rs" in c.su,
    ("care", "residential_long"): lambda c: "rl" in c.su,
    ("care", "opioid_treatment_program"): lambda c: "otp" in c.su,
    ("mh_care", "hospital_inpatient"): lambda c: "hi" in c.mh,
    ("mh_care", "residential"): lambda c: "res" in c.mh,
    ("mh_care", "partial_hospitalization"): lambda c: "phdt" in c.mh,
    ("mh_care", "outpatient"): lambda c: "op" in c.mh,
    ("medication", "methadone"): lambda c: c.all & {"mm", "dm", "meth", "mu"},
    ("medication", "buprenorphine"): lambda c: (
        c.all & {"bum", "db", "bu", "bsdm", "bwn", "bwon", "ub", "beri"}
    ),
    ("medication", "naltrexone_oral"): lambda c: "nxn" in c.all,
    ("medication", "naltrexone_xr"): lambda c: "vtrl" in c.all,
    ("medication", "naltrexone"): lambda c: (
        c.all & {"nu", "un", "rpn"} and not c.all & {"nxn", "vtrl"}
    ),
    ("age", "adolescents"): lambda c: c.all & {"chld", "ad"},
    ("age", "young_adults"): lambda c: c.all & {"yad", "tay"},
    ("age", "adults"): lambda c: "adlt" in c.all,
    ("age", "seniors"): lambda c: c.all & {"snr", "se"},
    ("payment", "free"): lambda c: "np" in c.all,
    ("payment", "cash"): lambda c: "sf" in c.all,
    ("payment", "medicaid"): lambda c: "md" in c.all,
    ("payment", "medicare"): lambda c: "mc" in c.all,
    ("payment", "state_financed"): lambda c: "si" in c.all,
    ("payment", "private_insurance"): lambda c: "pi" in c.all,
    ("payment", "tricare"): lambda c: "mi" in c.all,
    ("payment", "sliding_fee"): lambda c: "ss" in c.all,
    ("payment", "payment_assistance"): lambda c: "pa" in c.all,
    ("payment", "ihs_tribal"): lambda c: "itu" in c.all,
    ("facility", "psychiatric_hospital"): lambda c: c.site & {"psy", "psyh"},
}
CHECKED_KINDS = {kind for kind, _ in EXPECTED}


class Codes:
    def __init__(self, rows, site_rows):
        self.su = _codes(r for r in rows if r["type_facility"] in SU)
        self.mh = _codes(r for r in rows if r["type_facility"] not in SU)
        self.all = _codes(rows)
        self.site = _codes(site_rows)


def _codes(rows) -> set[str]:
    return {c for r in rows for c, v in r.items() if v == "1"}


def _norm(text: str) -> str:
    text = re.sub(r"['\u2019`]", "", text.casefold())
    return " ".join(re.sub(r"[^\w\s]|_", " ", text).split())


@functools.cache
def real():
    """The importer's records of the real file, and the file's rows grouped by program."""
    _, parsed = validate_file(REAL, filename=REAL_NAME)
    with open(REAL, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = [c.strip() for c in next(reader)]
        rows = [dict(zip(header, (v.strip() for v in cells), strict=True)) for cells in reader]
    for line, row in enumerate(rows, start=2):
        row["line"] = line
    sites: dict[tuple, list[dict]] = {}
    for row in rows:
        key = tuple(_norm(row[c]) for c in ("name1", "street1", "city")) + (row["zip"][:5],)
        sites.setdefault(key, []).append(row)
    records = {r.key: r for r in parsed.records}
    by_site: dict[str, list] = {}
    for r in parsed.records:
        by_site.setdefault(program_id(r.name, r.street or "- - -", r.city, r.zip), []).append(r)
    programs: dict[str, list[dict]] = {}
    for site_rows in sites.values():
        first = site_rows[0]
        main = program_id(first["name1"], first["street1"], first["city"], first["zip"][:5])
        for row in site_rows:
            # a blank name2 belongs to the site's main program; a name2 to the program whose
            # name2 is the same, typos aside
            best = max(by_site[main], key=lambda r: fuzz.ratio(_norm(r.name2), _norm(row["name2"])))
            if not row["name2"] or fuzz.ratio(_norm(best.name2), _norm(row["name2"])) < 90:
                best = records[main]
            programs.setdefault(best.key, []).append(row)
    return parsed, records, programs, sites


def site_of(rows, sites):
    row = rows[0]
    return sites[tuple(_norm(row[c]) for c in ("name1", "street1", "city")) + (row["zip"][:5],)]


def record(name, name2=""):
    matches = [r for r in real()[0].records if (r.name, r.name2) == (name, name2)]
    assert len(matches) == 1, (name, name2, matches)
    return matches[0]


def tokens(program, kind):
    return sorted(v for k, v in program.features if k == kind)


@needs_real_file
def test_every_token_is_what_the_raw_codes_say():
    parsed, records, programs, sites = real()

    assert sorted(programs) == sorted(records)  # every row found its program
    for key, rows in programs.items():
        program = records[key]
        codes = Codes(rows, site_of(rows, sites))
        expected = {token for token, says in EXPECTED.items() if says(codes)}
        found = {f for f in program.features if f[0] in CHECKED_KINDS}
        lines = [r["line"] for r in rows]
        assert found == expected, (program.name, program.name2, lines)
        assert program.telehealth == ("tele" in codes.su), lines
        assert program.substance_use == bool(codes.su or "sa" in codes.all), lines
        if not codes.su:  # levels of care not listed: no care level, no setting
            assert tokens(program, "care") == [], lines


@needs_real_file
def test_counts_per_care_level_medication_and_age_on_the_real_file():
    """Substance-use programs per token (the issue asks for them before and after)."""
    counted = {}
    for program in real()[0].records:
        if program.substance_use:
            for feature in program.features:
                counted[feature] = counted.get(feature, 0) + 1

    assert {v: n for (k, v), n in counted.items() if k == "care"} == {
        "outpatient": 254,  # 300 when MH rows' OP counted
        "intensive_outpatient": 80,
        "partial_hospitalization": 57,  # 74 when MH rows' PHDT counted
        "detox_outpatient": 26,
        "detox_inpatient": 34,
        "hospital_inpatient": 30,  # 37 when psychiatric hospitals' HI counted
        "residential_short": 38,  # 43 when RES with RD only counted as short-term
        "residential_long": 82,
        "opioid_treatment_program": 64,
    }
    assert {v: n for (k, v), n in counted.items() if k == "medication"} == {
        "methadone": 62,
        "buprenorphine": 246,
        "naltrexone": 11,  # NU, UN or RPN without a form
        "naltrexone_oral": 223,
        "naltrexone_xr": 186,
    }
    assert {v: n for (k, v), n in counted.items() if k == "age"} == {
        "adolescents": 146,
        "young_adults": 414,
        "adults": 398,
        "seniors": 318,
    }
    assert sum(p.telehealth for p in real()[0].records if p.substance_use) == 300


@needs_real_file
def test_every_dictionary_code_is_mapped_or_has_a_reason():
    with open(DICTIONARY, newline="", encoding="utf-8") as f:
        dictionary = {line["code"].lower() for line in csv.DictReader(f)}
    with open(TABLE, newline="", encoding="utf-8") as f:
        lines = list(csv.DictReader(f))

    assert dictionary == {line["code"] for line in lines} == set(code_table())
    for line in lines:  # a meaning read from named rows, or the reason there is none
        assert (line["kind"] and line["token"] and line["rows"]) or line["reason"], line["code"]


@needs_real_file
def test_programs_that_differ_in_name2_keep_their_own_name_phones_and_codes():
    hope = record("Victory Programs Inc", "Womens Hope")
    living = record("Victory Programs Inc", "Living and Recovery Community")

    assert hope.key == program_id(
        "Victory Programs Inc", "170 Morton Street", "Jamaica Plain", "02130"
    )
    assert living.key == program_id(
        "Victory Programs Inc",
        "170 Morton Street",
        "Jamaica Plain",
        "02130",
        name2="Living and Recovery Community",
    )
    assert [p[1] for p in hope.phones] == ["617-442-0048 x315", "617-288-1272"]
    assert [p[1] for p in living.phones] == ["617-522-2936 x424", "617-288-1272"]
    assert (living.latitude, living.longitude) == (42.30041, -71.105673)  # its own row's point

    detox = record("SSTAR", "Alcoholism/Drug Detox Program")
    outpatient = record("SSTAR", "Substance Use Disorder Outpatient")
    # the detox row is the site's most complete: its program keeps the site's id
    assert detox.key == program_id("SSTAR", "386 Stanley Street", "Fall River", "02720")
    assert detox.phones == (
        ("main", "508-324-7763", "Main number"),
        ("intake", "800-937-3610", "Intake (second number)"),
    )
    assert tokens(detox, "care") == [
        "detox_inpatient",
        "hospital_inpatient",
        "opioid_treatment_program",
        "residential_short",
    ]
    assert outpatient.phones == (("main", "508-679-5222", "Main number"),)
    assert tokens(outpatient, "care") == ["intensive_outpatient", "outpatient"]
    assert tokens(outpatient, "mh_care") == ["outpatient"]  # its MH twin (line 445) joined it


@needs_real_file
def test_a_typo_in_name2_does_not_split_a_program():
    eliot = [r for r in real()[0].records if r.name == "Eliot Community Human Services"]
    everett = [r for r in eliot if r.city == "Everett"]
    stepping = [r for r in real()[0].records if r.street == "542 North Main Street"]

    assert len(everett) == 1  # "Eliot Centet/Everett" (SU) and "Eliot Center/Everett" (MH)
    assert tokens(everett[0], "mh_care") == ["outpatient"]
    assert len(stepping) == 1  # "CoOccurring ... Servs" and "Co Occurring ... Serv"
    assert tokens(stepping[0], "mh_care") == ["residential"]


@needs_real_file
def test_a_psychiatric_hospital_is_no_longer_substance_use_hospital_inpatient():
    fuller = record("Dr Solomon Carter Fuller Mental Health")  # one MH row: HI, PSY, sa flag

    assert fuller.substance_use  # the sa flag: substance-use treatment, levels not listed
    assert tokens(fuller, "care") == []
    assert tokens(fuller, "mh_care") == ["hospital_inpatient"]
    assert tokens(fuller, "facility") == ["psychiatric_hospital"]

    hri = record("HRI Hospital")  # SU row: HI HID HIT ODT ...; MH row: HI OP PHDT PSY
    assert tokens(hri, "care") == [
        "detox_inpatient",
        "hospital_inpatient",
        "intensive_outpatient",
        "opioid_treatment_program",
        "outpatient",
        "partial_hospitalization",  # from the SU row's ODT, not the MH row's PHDT
    ]
    assert tokens(hri, "mh_care") == ["hospital_inpatient", "outpatient", "partial_hospitalization"]


@needs_real_file
def test_a_mental_health_row_matching_no_substance_use_row_is_a_program_of_its_own():
    farnham = [r for r in real()[0].records if r.street == "8 Farnham Street"]

    assert sorted((r.name2, r.substance_use, tokens(r, "care")) for r in farnham) == [
        ("Co Occurring Enhanced Resid Rehab Serv", True, []),  # MH row, sa flag: not listed
        ("Outpatient", True, ["intensive_outpatient", "outpatient"]),
        ("Recovery Home", True, ["residential_long"]),
    ]


@needs_real_file
def test_no_phone_number_of_any_row_is_lost():
    _, records, programs, _ = real()

    for key, rows in programs.items():
        shown = {number for _, number, _ in records[key].phones}
        for row in rows:
            for column in ("phone", "intake1", "intake2"):
                number = " ".join(row[column].split())
                digits = re.sub(r"\D", "", number)
                assert not digits or digits in {re.sub(r"\D", "", n) for n in shown}, (key, column)
        assert records[key].phone == records[key].phones[0][1]


@needs_real_file
def test_the_places_of_the_real_file():
    parsed = real()[0]
    warnings = [str(p) for p in parsed.problems if p.level == "warning"]

    savida = record("SaVida Health", "West Springfield")
    assert (savida.state, savida.city) == ("MA", "West Springfield")  # one row says VT
    assert "line 612, state: state VT contradicts ZIP 01089, which is in MA; using MA" in warnings

    fellside = record("Fellside")
    assert (fellside.street, fellside.city) == ("", "Medford")  # SAMHSA's "- - -"
    assert fellside.key == program_id("Fellside", "- - -", "Medford", "02153")  # id unchanged
    assert (
        "line 56, street1: street '- - -' is SAMHSA's placeholder for none: "
        "the listing shows no street"
    ) in warnings

    assert (
        "line 70, city: city 'Lee' contradicts ZIP 02138, which is Cambridge, MA; check the address"
    ) in warnings
    assert [w for w in warnings if "miles apart" in w] == [
        "line 211, latitude: lines 211 and 217 of this program place it 0.54 miles apart; "
        "check where it is",
        "line 255, latitude: lines 255 and 297 of this program place it 2.69 miles apart; "
        "check where it is",
    ]


@needs_real_file
def test_tie_break_groups_keep_their_ids():
    _, records, _, sites = real()

    for site_rows in sites.values():
        first = site_rows[0]
        assert program_id(first["name1"], first["street1"], first["city"], first["zip"][:5]) in (
            records
        )


@pytest.mark.parametrize("kind", ["SA", "sa"])
def test_older_files_say_sa_for_substance_use(tmp_path, kind):
    path = tmp_path / "old.csv"
    path.write_text(
        "name1,street1,city,state,zip,phone,hotline1,latitude,longitude,type_facility,op,tele\n"
        f"Old Clinic,1 Main St,Boston,MA,02114,617-555-0100,800-555-0199,42.36,-71.06,{kind},1,1\n",
        encoding="utf-8",
    )
    _, parsed = validate_file(path)

    (clinic,) = parsed.records
    assert (clinic.substance_use, tokens(clinic, "care"), clinic.telehealth) == (
        True,
        ["outpatient"],
        True,
    )
    assert clinic.phones == (
        ("main", "617-555-0100", "Main number"),
        ("hotline", "800-555-0199", "Hotline"),
    )
    assert parsed.problems == []


def test_telehealth_and_care_come_from_substance_use_rows_only(tmp_path):
    path = tmp_path / "site.csv"
    path.write_text(
        "name1,name2,street1,city,state,zip,phone,type_facility,sa,hi,res,op,tele\n"
        "Pine Hospital,Inpatient,1 Pine St,Boston,MA,02114,617-555-0100,MH,1,1,1,1,1\n"
        "Pine Hospital,Day Program,1 Pine St,Boston,MA,02114,617-555-0101,MH,,,,1,\n",
        encoding="utf-8",
    )
    _, parsed = validate_file(path)

    day, main = sorted(parsed.records, key=lambda r: r.name2)
    assert (main.substance_use, tokens(main, "care"), main.telehealth) == (True, [], False)
    assert tokens(main, "mh_care") == ["hospital_inpatient", "outpatient", "residential"]
    assert main.key == program_id("Pine Hospital", "1 Pine St", "Boston", "02114")
    assert (day.substance_use, tokens(day, "mh_care")) == (False, ["outpatient"])
    assert day.key == program_id("Pine Hospital", "1 Pine St", "Boston", "02114", "Day Program")
    assert [p for p in parsed.problems if p.level == "error"] == []


@pytest.mark.parametrize(
    ("city", "zip_code"),
    [
        ("Jamaica Plain", "02130"),
        ("Boston", "02130"),  # a name the Postal Service also accepts for 02130
        ("JAMAICA-PLAIN", "02130"),
        ("N. Dartmouth", "02747"),
        ("St. Agatha", "04772"),  # the ZIP's city is "Saint Agatha"
        ("Saint Agatha", "04772"),
        ("Anywhere", "00000"),  # an unknown ZIP contradicts nothing
        ("", "02138"),
    ],
)
def test_a_city_the_zip_accepts_is_no_warning(city, zip_code):
    row = Row(2, {})

    assert fields.city_matches_zip(row, "city", city, zip_code)
    assert row.problems == []


def test_a_city_that_contradicts_its_zip_is_a_warning():
    row = Row(7, {})

    assert not fields.city_matches_zip(row, "city", "Lee", "02138")
    assert [str(p) for p in row.problems] == [
        "line 7, city: city 'Lee' contradicts ZIP 02138, which is Cambridge, MA; check the address"
    ]
    assert row.ok  # a warning, not an error


SITE_HEADER = "name1,name2,street1,city,state,zip,phone,intake1,website,latitude,longitude,type_facility,sa,op,oit,md\n"


def site_file(tmp_path, *rows):
    path = tmp_path / "site.csv"
    path.write_text(SITE_HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def test_the_most_complete_substance_use_row_keeps_the_site_id(tmp_path):
    path = site_file(
        tmp_path,
        "Oak Center,Detox,1 Oak St,Boston,MA,02114,617-555-0001,,,42.36,-71.06,SU,1,1,,",
        # more descriptive cells (intake1, website): the tie-break row, whatever its line
        "Oak Center,Outpatient,1 Oak St,Boston,MA,02114,617-555-0002,617-555-0003,"
        "http://oak.example.org,42.36,-71.06,SU,1,1,1,",
        "Oak Center,,1 Oak St,Boston,MA,02114,617-555-0004,,,42.36,-71.06,MH,1,1,,1",  # blank
        "Oak Center,OUTPATIENT.,1 Oak St,Boston,MA,02114,617-555-0002,,,42.36,-71.06,MH,,1,,",
    )
    _, parsed = validate_file(path)

    site = program_id("Oak Center", "1 Oak St", "Boston", "02114")
    programs = {r.key: r for r in parsed.records}
    outpatient = programs[site]
    detox = programs[program_id("Oak Center", "1 Oak St", "Boston", "02114", name2="Detox")]
    assert len(programs) == 2
    assert outpatient.name2 == "Outpatient"
    assert [n for _, n, _ in outpatient.phones] == ["617-555-0002", "617-555-0004", "617-555-0003"]
    assert tokens(outpatient, "payment") == ["medicaid"]  # from its blank-name2 MH row
    assert tokens(outpatient, "mh_care") == ["outpatient"]
    assert [n for _, n, _ in detox.phones] == ["617-555-0001"]
    assert tokens(detox, "care") == ["outpatient"] and tokens(detox, "payment") == []


def test_an_error_in_one_row_holds_back_every_program_of_its_site(tmp_path):
    path = site_file(
        tmp_path,
        "Oak Center,Detox,1 Oak St,Boston,MA,02114,617-555-0001,,,42.36,-71.06,SU,1,1,,",
        "Oak Center,Outpatient,1 Oak St,Boston,MA,02114,617-555-0002,,,4.2,-71.06,SU,1,1,,",
    )
    _, parsed = validate_file(path)

    assert parsed.records == []
    assert parsed.invalid_keys == {
        program_id("Oak Center", "1 Oak St", "Boston", "02114"),
        program_id("Oak Center", "1 Oak St", "Boston", "02114", name2="Outpatient"),
    }
    assert parsed.skipped_rows == 2
