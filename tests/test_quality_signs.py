"""Quality signs (issue 18): every sign against the real SAMHSA file, "not reported" is never
"no" on the page or in the API, the sign= filter, and the signs column of our CSV."""

import csv
import datetime as dt
import html
import io
import re

import pytest
from sqlalchemy import func, select
from test_samhsa import REAL, REAL_NAME, needs_real_file
from test_samhsa_listings import Codes, real, site_of

from finder import signs, vocab
from finder.db import db
from finder.importer import ImportRefused, export_csv, export_rows, import_file
from finder.models import Program

# Each sign written from SAMHSA's code dictionary by hand, apart from samhsa_codes.csv and
# vocab.SIGNS: token -> (rows it is read from, the codes any of which shows it). "site": any
# row at the program's address; "program": any of the program's own rows.
RAW = {
    "accredited": ("site", {"jc", "carf", "ncqa", "coa", "hfap"}),
    "licensed": ("site", {"stag", "stmh", "stdh", "hla"}),
    "samhsa_otp": ("site", {"sotp"}),
    "moud": ("program", {"mm", "dm", "meth", "mu", "bum", "db", "bu", "bsdm", "bwn", "bwon"}
             | {"ub", "beri", "nxn", "vtrl", "nu", "un", "rpn"}),
    "accepts_moud": ("program", {"moa"}),
    "cbt": ("program", {"cbt"}),
    "dbt": ("program", {"dbt"}),
    "contingency_management": ("program", {"cmi", "crv"}),
    "motivational_interviewing": ("program", {"moti"}),
    "relapse_prevention": ("program", {"relp"}),
    "twelve_step": ("program", {"twfa"}),
    "family_therapy": ("program", {"cft", "fco", "mco"}),
    "family_psychoeducation": ("program", {"fpsy"}),
    "aftercare": ("program", {"acc"}),
    "discharge_planning": ("program", {"dp"}),
    "outcome_follow_up": ("program", {"ofd"}),
    "peer_support": ("program", {"peer"}),
    "self_help": ("program", {"shg"}),
    "transportation": ("program", {"ta"}),
    "naloxone_education": ("program", {"noe"}),
}  # fmt: skip
# Programs per sign on the real file (Massachusetts, 2025-08-19: 463 programs at 452 sites),
# as docs/quality-signs.md gives them.
REAL_COUNTS = {
    "accredited": 239, "licensed": 355, "samhsa_otp": 86, "moud": 282, "accepts_moud": 254,
    "cbt": 419, "dbt": 201, "contingency_management": 186, "motivational_interviewing": 343,
    "relapse_prevention": 349, "twelve_step": 177, "family_therapy": 321,
    "family_psychoeducation": 196, "aftercare": 328, "discharge_planning": 354,
    "outcome_follow_up": 291, "peer_support": 302, "self_help": 183, "transportation": 231,
    "naloxone_education": 344,
}  # fmt: skip


class Stored:
    """A record's features read like a Program (tokens(kind))."""

    def __init__(self, features):
        self.features = features

    def tokens(self, kind):
        return sorted(v for k, v in self.features if k == kind)


def test_every_sign_is_defined_here_and_in_the_docs():
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[1] / "docs" / "quality-signs.md").read_text()
    assert set(RAW) == set(vocab.SIGNS)
    assert [token for token in vocab.SIGNS if f"`{token}`" not in docs] == []
    assert [fact for fact in vocab.SIGN_FACTS if f"`{fact}`" not in docs] == []


@needs_real_file
def test_every_sign_of_every_program_is_what_the_raw_codes_say():
    parsed, records, programs, sites = real()

    for key, rows in programs.items():
        codes = Codes(rows, site_of(rows, sites))
        stored = Stored(records[key].features)
        for token, (scope, raw) in RAW.items():
            read = codes.site if scope == "site" else codes.all
            assert signs.reported(stored, token) == bool(read & raw), (token, rows[0]["line"])


@pytest.mark.slow
@needs_real_file
def test_the_import_stores_each_sign_for_as_many_programs_as_the_raw_codes_say(app):
    _, _, programs, sites = real()  # the raw file's rows, grouped by program and by site
    expected = {}
    for token, (scope, raw) in RAW.items():
        expected[token] = sum(
            any(row.get(code) == "1" for row in read for code in raw)
            for rows in programs.values()
            for read in [site_of(rows, sites) if scope == "site" else rows]
        )
    with app.app_context():
        result = import_file(REAL, actor="test", filename=REAL_NAME)
        stored = db.session.scalars(select(Program)).all()
        counts = {token: sum(signs.reported(p, token) for p in stored) for token in vocab.SIGNS}

    assert result.errors == []
    assert counts == expected == REAL_COUNTS
    # "accredited" means any of the five on any row of the site: 232 of the 452 sites.
    accredited = [rows for rows in sites.values() if any(r.get(c) == "1" for r in rows
                                                         for c in RAW["accredited"][1])]  # fmt: skip
    assert (len(accredited), len(sites)) == (232, 452)


def test_a_program_page_shows_every_sign_and_not_reported_is_never_no(client, add_program):
    known = add_program(
        signs=["carf", "joint_commission", "couples_counseling"],
        therapies=["cbt", "family_therapy"],
        medications=["buprenorphine"],
        verified_on=dt.date(2025, 8, 19),
        source="samhsa",
    )
    blank = add_program(verified_on=None, imported_on=dt.date(2026, 2, 3))

    page = client.get(f"/facilities/{known}").text
    section = html.unescape(page[page.index('<section class="signs"') :])
    section = section[: section.index("</section>")]
    text = " ".join(re.sub(r"<[^>]+>", " ", section).split())

    assert "Signs of quality care" in text
    for heading in vocab.SIGN_GROUPS.values():
        assert heading in text
    assert (
        "Accredited (Joint Commission, CARF, NCQA, COA or HFAP): Reported : "
        "Accredited by The Joint Commission; Accredited by CARF." in text
    )
    assert "Couples or family therapy: Reported : Family counseling; Couples counseling." in text
    assert "Offers medication for opioid use disorder: Reported : Buprenorphine." in text
    assert "Cognitive behavioral therapy: Reported . Programs near here" in text  # said once
    assert "Licensed or certified by the state: Not reported ." in text
    assert (
        text.count("Not reported") == len(vocab.SIGNS) - 4 + 1
    )  # 4 reported; and once in the hint
    assert "means the source does not say" in text and 'not a "no"' in text
    assert "Source: SAMHSA's FindTreatment.gov listing, last verified August 19, 2025." in text
    assert 'href="/guide#signs"' in section
    assert 'href="/search?near=02139&sign=accredited"' in section.replace("&amp;", "&")
    assert not re.search(r"\bNo\b|score|star|rating", text)

    empty = client.get(f"/facilities/{blank}").text
    empty = " ".join(re.sub(r"<[^>]+>", " ", html.unescape(empty)).split())
    assert empty.count("Not reported") == len(vocab.SIGNS) + 1
    assert "Reported :" not in empty
    assert "imported February 3, 2026 (the source's own date is unknown)" in empty


def test_the_api_gives_every_sign_reported_or_not_with_source_and_date(client, add_program):
    program_id = add_program(signs=["carf", "aftercare"], therapies=["cbt"])
    blank = add_program(verified_on=None, imported_on=None)

    body = client.get(f"/api/facilities/{program_id}").get_json()["quality_signs"]
    nothing = client.get(f"/api/facilities/{blank}").get_json()["quality_signs"]

    assert (body["source"], body["date"], body["date_field"]) == (
        "finder",
        "2026-10-01",
        "verified_on",
    )
    assert set(body["signs"]) == set(vocab.SIGNS)
    assert body["signs"]["accredited"] == {
        "reported": True,
        "label": "Accredited (Joint Commission, CARF, NCQA, COA or HFAP)",
        "group": "licensed_accredited",
        "group_label": "Licensed or accredited",
        "facts": [{"kind": "sign", "token": "carf", "label": "Accredited by CARF"}],
    }
    assert body["signs"]["cbt"]["facts"] == [
        {"kind": "therapy", "token": "cbt", "label": "Cognitive behavioral therapy"}
    ]
    reported = sorted(t for t, s in body["signs"].items() if s["reported"])
    assert reported == ["accredited", "aftercare", "cbt"]
    assert all(s["facts"] == [] for t, s in body["signs"].items() if t not in reported)
    # nothing known: every sign not reported (never a "no"), and no date
    assert {s["reported"] for s in nothing["signs"].values()} == {False}
    assert (nothing["date"], nothing["date_field"]) == (None, None)


@pytest.fixture
def made(add_program):
    return {
        "carf": add_program(signs=["carf"]),
        "licensed_cbt": add_program(signs=["state_substance_use_agency"], therapies=["cbt"]),
        "couples": add_program(signs=["couples_counseling"], payments=["medicaid"]),
        "family": add_program(therapies=["family_therapy"], medications=["buprenorphine"]),
        "none": add_program(),
    }


@pytest.mark.parametrize("radius", ["10", "any"])  # a box probed (EXISTS), or the whole index
@pytest.mark.parametrize(
    "params, expected",
    [
        ({"sign": "accredited"}, {"carf"}),
        ({"sign": "accredited,licensed"}, {"carf", "licensed_cbt"}),
        ({"sign": ["accredited", "cbt"]}, {"carf", "licensed_cbt"}),
        ({"sign": "family_therapy"}, {"couples", "family"}),
        ({"sign": "family_therapy,cbt"}, {"couples", "family", "licensed_cbt"}),
        ({"sign": "family_therapy", "medication": "buprenorphine"}, {"family"}),
        ({"sign": "family_therapy", "payment": "medicaid"}, {"couples"}),
        ({"sign": "moud"}, {"family"}),
        ({"sign": "licensed", "medication": "methadone"}, set()),
        ({"sign": "naloxone_education"}, set()),
    ],
)
def test_the_sign_filter_is_or_within_and_and_across(client, made, radius, params, expected):
    response = client.get("/api/facilities", query_string={"near": "02139", "radius": radius,
                                                           **params})  # fmt: skip
    body = response.get_json()

    assert {r["id"] for r in body["results"]} == {made[name] for name in expected}
    assert body["total"] == len(expected)
    page = client.get("/search", query_string={"near": "02139", "radius": radius, **params})
    assert page.status_code == 200
    for name, program_id in made.items():
        assert (f"/facilities/{program_id}" in page.text) == (name in expected)


def test_the_search_form_ticks_the_signs_asked_for(client, made):
    page = client.get("/search?near=02139&sign=accredited,cbt").text

    assert 'name="sign"' in page
    ticked = re.findall(r'<input[^>]*checked[^>]*name="sign"[^>]*value="(\w+)"', page)
    ticked += re.findall(r'<input[^>]*name="sign"[^>]*value="(\w+)"[^>]*checked', page)
    ticked += re.findall(r'<input[^>]*value="(\w+)"[^>]*name="sign"[^>]*checked', page)
    assert sorted(set(ticked)) == ["accredited", "cbt"]


@pytest.mark.parametrize("value", ["excellent", "carf", "accredited,5stars", "ACCREDITED"])
def test_an_unknown_sign_is_a_400_naming_the_field(client, value):
    response = client.get("/api/facilities", query_string={"near": "02139", "sign": value})

    assert response.status_code == 400
    assert response.get_json()["field"] == "sign"
    assert "Choose from: accredited, licensed" in response.get_json()["error"]
    assert client.get("/search", query_string={"near": "02139", "sign": value}).status_code == 400


def test_signs_go_out_and_come_back_in_our_csv_unchanged(app, add_program, tmp_path):
    add_program(id="signed", signs=["carf", "aftercare", "samhsa_otp"], therapies=["dbt"])
    add_program(id="unsigned")
    with app.app_context():
        rows = {r["key"]: r for r in csv.DictReader(io.StringIO("".join(export_rows())))}
        path = tmp_path / "export.csv"
        export_csv(path)
        result = import_file(path, actor="a")
        db.session.expire_all()
        signed = db.session.get(Program, "signed")

        assert rows["signed"]["signs"] == "aftercare;carf;samhsa_otp"
        assert rows["unsigned"]["signs"] == ""  # not reported: an empty cell, never "no"
        assert (result.errors, result.summary.changed, result.summary.unchanged) == ([], 0, 2)
        assert signed.tokens("sign") == ["aftercare", "carf", "samhsa_otp"]
        assert signed.tokens("therapy") == ["dbt"]


def test_an_unknown_sign_in_our_csv_is_an_error_naming_the_column(app, tmp_path):
    path = tmp_path / "signs.csv"
    path.write_text(
        "key,name,city,state,zip,phone,care_levels,signs\n"
        "a,A,Cambridge,MA,02139,617-555-0100,outpatient,carf;five_stars\n",
        encoding="utf-8",
    )
    with app.app_context():
        with pytest.raises(ImportRefused) as refused:
            import_file(path, actor="a")

        assert [(e.line, e.column, e.message) for e in refused.value.result.errors] == [
            (2, "signs", "unknown quality sign 'five_stars'")
        ]
        assert db.session.scalar(select(func.count()).select_from(Program)) == 0


def test_the_demo_directory_shows_signs_and_some_listings_report_none(app):
    with app.app_context():
        import_file(app.config["DEMO_DATA"], actor="a")
        programs = db.session.scalars(select(Program)).all()

    accredited = sum(signs.reported(p, "accredited") for p in programs)
    assert 0.15 * len(programs) < accredited < 0.5 * len(programs)
    assert all(signs.reported(p, "samhsa_otp") <= bool(p.tokens("care")) for p in programs)
    assert any(not p.tokens("sign") for p in programs)
