"""Every route in the URL map, fuzzed with Hypothesis: GET and POST as each allows, anonymous
and logged in, with odd strings, numbers, NaN and Infinity, lists for scalars, deep JSON and
odd files. No answer is a 500, shows a traceback, echoes markup unescaped, or gives an
anonymous visitor a cookie.

Quick by default (FUZZ_EXAMPLES per route); FINDER_FUZZ_EXAMPLES=2000 is the long run.
"""

import datetime as dt
import io
import json
import os
import re
import secrets
import time
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from test_admin import cookie_signed_with, csrf_token_for, make_admin
from werkzeug.datastructures import MultiDict

from finder import create_app, vocab
from finder.db import db
from finder.models import Admin, Program, ProgramRate, Report
from finder.schema import upgrade
from finder.signed_forms import _serializer

FUZZ_EXAMPLES = int(os.environ.get("FINDER_FUZZ_EXAMPLES", "3"))
MARKUP = "<i>fz</i>"  # an input that must never come back as markup
PROGRAM_ID = "fuzz-program"


def routes() -> list[tuple[str, str]]:
    """(endpoint, method) of every rule in the URL map."""
    app = create_app({"SECRET_KEY": "x" * 40, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return sorted(
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    )


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(request, tmp_path_factory):
    """One app per database for the whole module, with a program, a report and an admin;
    throttles out of the way so that fuzzed posts reach the code behind them."""
    folder = tmp_path_factory.mktemp("fuzz")
    url = f"sqlite:///{folder / 'f.sqlite'}"
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres_schemas")()
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": secrets.token_urlsafe(32),
            "SQLALCHEMY_DATABASE_URI": url,
            "UPLOAD_FOLDER": str(folder / "uploads"),
            "PASSWORD_SCRYPT_N": 2**14,
            "LOGIN_MAX_FAILURES": 10**6,
            "LOGIN_MAX_FAILURES_PER_ADDRESS": 10**6,
            "LOGIN_SLOWDOWN_SECONDS": 0,
            "REPORTS_PER_HOUR": 10**6,
        }
    )
    with app.app_context():
        upgrade()
        program = Program(
            id=PROGRAM_ID, name="Fuzz Program", city="Cambridge", state="MA", zip="02139",
            latitude=42.3647, longitude=-71.1042, source="finder", verified_on=dt.date(2026, 1, 2),
            sliding_fee_schedule="100:0;150:40",
        )  # fmt: skip
        program.set_tokens("care", ["outpatient", "residential_long"])
        program.set_tokens("payment", ["cash", "sliding_fee", "medicaid"])
        program.rates.append(ProgramRate(item="outpatient", low_cents=15000, high_cents=20000))
        db.session.add(program)
        db.session.add(Report(program_id=PROGRAM_ID, kind="closed", comment="x"))
        db.session.commit()
    make_admin(app)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


# Strings people and programs send by mistake or on purpose.
ODD = [
    "", " ", "0", "-1", "1.5", "1e309", "-1e309", "1e-400", "NaN", "nan", "sNaN", "-sNaN",
    "Infinity", "-Infinity", "inf", "²", "①", "١٠", "٩٠", "1_000", "0x10", "9" * 400, "\x00",
    "a\x00b", "%00", "../../etc/passwd", "a" * 3000, "2026-01-05", "9999-12-31", "0001-01-01",
    "2026-02-30", "02139", "99999", "42.3647,-71.1042", "91,181", "Cambridge, MA", "any",
    MARKUP, f"'\"><script>{MARKUP}", "=HYPERLINK(1)", "true", "null", "[]", "{}", "01-01", "13-45",
    PROGRAM_ID, "admin@example.org", "correct horse battery staple", "/admin/", "//evil.example",
]  # fmt: skip
NAMES = sorted(
    {
        "near", "radius", "page", "per_page", "setting", "care", "payment", "medication", "age",
        "language", "special", "coverage", "deductible", "coinsurance", "oop_max", "household_size",
        "income", "state", "sort", "fpg", "facility", "program", "days", "start_date", "rate",
        "insurance", "in_network", "deductible_met", "copay", "oop_met", "plan_year_start",
        "allowed_percent", "sliding_scale", "payment_months", "email", "password", "next", "kind",
        "comment", "token", "csrf_token", "sha256", "filename", "format", "complete_source",
        "verified_on", "skip_invalid", "file",
    }
)  # fmt: skip
TOKENS = sorted(
    {token for mapping in (vocab.CARE_LEVELS, vocab.PAYMENTS, vocab.STATES) for token in mapping}
    | {"outpatient", "inpatient", "stepped", "commercial", "medicaid", "medicare", "none", "yes"}
)

texts = st.one_of(
    st.sampled_from(ODD),
    st.sampled_from(TOKENS),
    st.text(max_size=40),
    st.integers().map(str),
    st.floats().map(str),
    st.from_regex(r"[0-9]{1,4}(\.[0-9]{1,3})?", fullmatch=True),
)
names = st.one_of(st.sampled_from(NAMES), st.text(max_size=12))
json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), texts, st.integers(-(10**40), 10**40)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(names, inner, max_size=5),
    max_leaves=25,
)


def mostly(*valid):
    return st.one_of(st.sampled_from(valid), st.sampled_from(valid), json_values)


estimate_shaped = st.fixed_dictionaries(
    {
        "start_date": mostly("2026-01-05", "2025-12-20"),
        "program": mostly("outpatient", "stepped", "iop", "inpatient", None),
    },
    optional={
        "days": mostly(90, 60, 365, 7),
        "facility_id": st.one_of(st.just(PROGRAM_ID), json_values),
        "phases": st.lists(
            st.fixed_dictionaries(
                {"level": mostly("outpatient", "residential_long"), "days": mostly(30, 60)},
                optional={"rate": mostly(150, "150.50", 0)},
            ),
            max_size=3,
        ),
        "insurance": st.one_of(
            st.fixed_dictionaries(
                {"type": mostly("commercial", "medicaid", "medicare")},
                optional={
                    "deductible": mostly(1000, 0), "coinsurance": mostly(0.2, 0, 1),
                    "oop_max": mostly(5000, 9200), "copay": mostly(25), "in_network": mostly(True, False),
                    "plan_year_start": mostly("01-01", "07-01", "02-29"), "deductible_met": mostly(200),
                    "oop_met": mostly(300), "allowed_fraction": mostly(0.8),
                    "next_year": st.dictionaries(st.sampled_from(["deductible", "oop_max"]), mostly(1500)),
                },
            ),
            json_values,
        ),
        "household": st.one_of(
            st.fixed_dictionaries(
                {"size": mostly(3, 1, 50), "annual_income": mostly(41000, 0, "12,000.50"),
                 "state": mostly("MA", "AK", "HI", "PR")},
            ),
            json_values,
        ),
        "medication": mostly("buprenorphine", "methadone", "naltrexone_xr", None),
        "sliding_scale": mostly(True, False),
        "payment_months": mostly(12, 1, 60),
    },
)  # fmt: skip


# A valid request per route, which the fuzzer mutates: so that it gets past validation too.
VALID = {
    "finder.search": {
        "near": "02139", "radius": "25", "payment": "medicaid,sliding_fee", "care": "outpatient",
        "coverage": "private_insurance", "deductible": "1000", "coinsurance": "0.2",
        "oop_max": "5000", "sort": "cost", "page": "1", "per_page": "20", "fpg": "101-125",
        "sign": "accredited,cbt", "telehealth": "true",
    },
    "finder.search_household": {
        "near": "02139", "household_size": "3", "income": "41000", "state": "MA", "sort": "cost",
        "pay": "medicaid", "show_all": "y",
    },
    "compare.compare": {
        "compare": PROGRAM_ID, "near": "Cambridge, MA", "coverage": "medicaid", "fpg": "101-125",
        "deductible": "1000", "coinsurance": "20%", "oop_max": "5000", "care": "outpatient",
    },
    "estimate.form": {"facility": PROGRAM_ID},
    "estimate.result": {
        "facility": PROGRAM_ID, "program": "level:outpatient", "days": "90",
        "start_date": "2026-01-05", "rate": "150", "insurance": "commercial", "in_network": "no",
        "deductible": "1000", "deductible_met": "0", "coinsurance": "20", "copay": "25",
        "oop_max": "5000", "oop_met": "0", "plan_year_start": "07-01", "allowed_percent": "80",
        "household_size": "3", "income": "41000", "state": "MA", "sliding_scale": "y",
        "payment_months": "12",
    },
    "admin.login": {"email": "admin@example.org", "password": "not the password", "next": "/admin/"},
    "reports.new": {"kind": "wrong_phone", "comment": "The number is disconnected"},
    "admin.upload": {"format": "auto", "complete_source": "y", "verified_on": "2026-01-02"},
    "admin.apply": {"sha256": "0" * 64, "filename": "a.csv", "format": "native"},
}  # fmt: skip
VALID["api.facilities"] = VALID["finder.search"]
VALID["finder.search_list"] = VALID["finder.search"]
VALID["compare.calls"] = VALID["compare.compare"]
VALID["estimate.change"] = VALID["estimate.result"]
CSV = (
    "key,name,city,state,zip,phone,care_levels,payments,rate_outpatient\n"
    "fz-1,Fuzz One,Boston,MA,02114,617-555-0100,outpatient,cash;medicaid,150-200\n"
)


def mutated(draw, valid: dict) -> list[tuple[str, str]]:
    """The valid fields, each kept, replaced, dropped or sent twice; then random ones."""
    pairs = []
    for name, value in valid.items():
        change = draw(st.sampled_from(["keep", "keep", "keep", "replace", "drop", "twice"]))
        if change in ("keep", "twice"):
            pairs.append((name, value))
        if change in ("replace", "twice"):
            pairs.append((name, draw(texts)))
    return pairs + draw(st.lists(st.tuples(names, texts), max_size=4))


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def json_body(draw) -> bytes:
    kind = draw(st.sampled_from(["shaped", "any", "deep", "bytes"]))
    if kind == "deep":
        return nested(draw(st.integers(0, 3000))).encode()
    if kind == "bytes":
        return draw(st.binary(max_size=200))
    value = draw(estimate_shaped if kind == "shaped" else json_values)
    return json.dumps(value).encode()  # NaN and Infinity come out as JS literals


def admin_cookie(app) -> tuple[str, str]:
    """A live admin session cookie, and the CSRF token that goes with it."""
    with app.app_context():
        generation = db.session.scalar(select(Admin.session_generation))
    now = int(time.time())
    session = {"admin_id": 1, "generation": generation, "login_at": now, "seen_at": now}
    cookie = cookie_signed_with(app.secret_key, {**session, "csrf_token": secrets.token_hex(20)})
    return cookie, csrf_token_for(app, cookie)


def path_for(app, endpoint: str, draw) -> tuple[str, dict]:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    values = {
        arg: draw(
            st.one_of(
                st.just({"program_id": PROGRAM_ID, "report_id": "1"}.get(arg, "finder.css")),
                texts,
            )
        )
        for arg in rule.arguments
    }
    path = re.sub(r"<(?:[^<>]*:)?(\w+)>", lambda m: quote(values[m.group(1)], safe=""), rule.rule)
    return path, values


@pytest.mark.parametrize("visitor", ["anonymous", "admin"])
@pytest.mark.parametrize("endpoint, method", routes())
@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_no_route_fails_on_any_input(site, endpoint, method, visitor, data):
    client = site.test_client()
    fields = mutated(data.draw, VALID.get(endpoint, {}) if method == "POST" else {})
    if visitor == "admin":
        cookie, csrf = admin_cookie(site)
        client.set_cookie("session", cookie)
        fields.append(("csrf_token", data.draw(st.sampled_from([csrf, csrf, "", "x"]))))
    path, values = path_for(site, endpoint, data.draw)
    with site.app_context():
        purpose = {
            "admin.login": "admin.login",
            "reports.new": f"report:{values.get('program_id')}",
        }
        signed = _serializer().dumps(purpose.get(endpoint, ""))
    fields.append(("token", data.draw(st.sampled_from([signed, signed, "", "x"]))))
    kwargs = {
        "query_string": mutated(data.draw, VALID.get(endpoint, {}) if method == "GET" else {})
    }
    if method == "POST" and endpoint == "api.estimate_cost":
        kwargs["data"] = data.draw(st.composite(lambda draw: json_body(draw))())
        kwargs["content_type"] = data.draw(st.sampled_from(["application/json", "text/plain"]))
    elif method == "POST":
        form = MultiDict(fields)
        if data.draw(st.booleans()):
            upload = data.draw(
                st.binary(max_size=300)
                | st.lists(texts, max_size=6).map(lambda cells: (CSV + ",".join(cells)).encode())
            )
            name = data.draw(st.sampled_from(["programs.csv", "", "a/../b.csv", MARKUP]))
            form.add("file", (io.BytesIO(upload), name))
        kwargs["data"] = form
    with client.open(path, method=method, **kwargs) as response:
        body = response.get_data().decode(errors="replace")  # /favicon.ico is not text
        event(f"status {response.status_code}")  # --hypothesis-show-statistics
        assert response.status_code < 500, (response.status_code, body[:500])
        assert "Traceback" not in body
        if response.mimetype == "text/html":
            assert MARKUP not in body, "an input came back as markup"
        if response.mimetype == "application/json" and response.status_code >= 400:
            assert set(response.json) == {"error", "field"}
        if visitor == "anonymous":
            assert "Set-Cookie" not in response.headers
