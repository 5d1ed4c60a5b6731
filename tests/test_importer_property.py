"""For any file: no unhandled exception, and either every program is written or nothing is."""

import csv
import io
import itertools

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from finder.db import db
from finder.importer import ImportRefused, import_file, preview
from finder.models import ImportBatch, Program, ProgramFeature, ProgramRate

JUNK = st.text(st.characters(codec="utf-8"), max_size=12)
# column -> (values that are fine, values that are wrong at least somewhere)
NATIVE = {
    "key": (["a", "b", "c", "d-1", "x_2"], ["", "Bad Key"]),
    "name": (["Alpha", "=cmd", "'quoted", "Café", "A, B\nC"], [""]),
    "city": (["Boston", "San Juan"], [""]),
    "state": (["MA", "NH", "PR"], ["ZZ", ""]),
    "zip": (["02114", "03301", "00901", "02139-4307"], ["1234", "00000"]),
    "phone": (["617-555-0100", "617-555-0100 x351", "'+1 617"], [""]),
    "website": (["", "http://", "https://example.org"], ["ftp://x"]),
    "care_levels": (["outpatient", "outpatient; detox_inpatient"], ["", "rehab"]),
    "payments": (["", "cash;medicaid"], ["gold"]),
    "carriers": (["", "Aetna; Blue Cross"], []),
    "rate_outpatient": (["", "150", "150-270", "$1,000.50"], ["cheap", "270-150"]),
    "sliding_fee_schedule": (["", "100:0;200:50"], ["200:0;100:1"]),
    "beds": (["", "16"], ["-1", "9" * 20]),
    "substance_use": (["", "yes", "no"], ["maybe"]),
    "source": (["", "finder", "demo"], ["Bad Source"]),
    "verified_on": (["", "2025-01-02"], ["2025-02-30"]),
    "latitude": (["42.36"], ["91", "x", ""]),
    "longitude": (["-71.06"], ["'-71.06", "181", ""]),
}
SAMHSA = {
    "name1": (["Harbor", "Quiet"], [""]),
    "street1": (["1 Main St", "1 Main St."], [""]),
    "city": (["Boston", "Lowell"], [""]),
    "state": (["MA", "VT"], ["ZZ"]),
    "zip": (["02114", "01852"], ["2114"]),
    "phone": (["617-555-0100 x1", "617-555-0101"], [""]),
    "type_facility": (["SU", "MH"], ["XX"]),
    "website": (["", "http://", "http://a.example", "http://w\twww.x"], ["www.x"]),
    "latitude": (["42.36"], ["0", ""]),
    "longitude": (["-71.06"], ["0", ""]),
    "sa": (["1", ""], ["2"]),
    "op": (["1", ""], ["yes"]),
    "res": (["1", ""], []),
}
LOCATIONS = [("42.36", "-71.06"), ("", ""), ("18.4", "-66.1"), ("42.1", "'-71.06")]
_names = itertools.count()


@st.composite
def row(draw, columns: dict, broken: bool) -> dict:
    """A row of valid values; a broken one has one to three cells spoiled."""
    cells = {column: draw(st.sampled_from(good)) for column, (good, _) in columns.items()}
    cells["latitude"], cells["longitude"] = draw(st.sampled_from(LOCATIONS))
    if broken:
        for column in draw(st.lists(st.sampled_from(list(columns)), min_size=1, max_size=3)):
            bad = columns[column][1]
            cells[column] = draw(st.one_of(st.sampled_from(bad), JUNK) if bad else JUNK)
    return cells


def rows(columns: dict):
    broken = st.sampled_from([False, False, True])
    return st.lists(broken.flatmap(lambda b: row(columns, b)), max_size=8)


@st.composite
def files(draw) -> bytes:
    columns = draw(st.sampled_from([NATIVE, SAMHSA]))
    header = draw(st.permutations(list(columns)))
    header = header[
        : draw(st.sampled_from([len(header)] * 5 + [len(header) - 1]))
    ]  # a column short
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    writer.writerow(header)
    for row in draw(rows(columns)):
        writer.writerow([row[c] for c in header] + draw(st.sampled_from([[], [""], ["extra"]])))
    text = out.getvalue()
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        return text.encode("utf-8")


def snapshot():
    db.session.expire_all()
    return (
        sorted(db.session.execute(select(Program.id, Program.updated_at, Program.active)).all()),
        db.session.scalar(select(func.count()).select_from(ProgramFeature)),
        db.session.scalar(select(func.count()).select_from(ProgramRate)),
        db.session.scalar(select(func.count()).select_from(ImportBatch)),
    )


def check_all_or_nothing(app, tmp_path, content: bytes, skip_invalid: bool, complete: bool):
    path = tmp_path / f"file-{next(_names)}.csv"
    path.write_bytes(content)
    with app.app_context():
        before = snapshot()
        shown = preview(path, skip_invalid=skip_invalid, complete_source=complete)
        try:
            result = import_file(
                path, actor="hypothesis", skip_invalid=skip_invalid, complete_source=complete
            )
        except ImportRefused as refused:
            event("refused")
            assert refused.result.errors
            assert shown.refused
            assert snapshot() == before
            return
        listed = result.summary.added + result.summary.changed + result.summary.unchanged
        event(f"applied, with {min(listed, 3)}+ programs in the file")
        assert not shown.refused and result.applied
        assert result.summary == shown.summary
        # everything the file holds is now in the database: a second look finds nothing to do
        again = preview(path, skip_invalid=skip_invalid, complete_source=complete).summary
        assert (again.added, again.changed, again.deactivated) == (0, 0, 0)
        assert (
            again.unchanged
            == result.summary.added + result.summary.changed + result.summary.unchanged
        )
        assert snapshot()[3] == before[3] + 1


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(content=files(), skip_invalid=st.booleans(), complete=st.booleans())
def test_generated_files_are_written_whole_or_not_at_all(
    app, tmp_path, content, skip_invalid, complete
):
    check_all_or_nothing(app, tmp_path, content, skip_invalid, complete)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(content=st.binary(max_size=300))
def test_arbitrary_bytes_never_crash_the_importer(app, tmp_path, content):
    check_all_or_nothing(
        app, tmp_path, b"key,name,city,state,zip,phone,care_levels\n" + content, True, False
    )
