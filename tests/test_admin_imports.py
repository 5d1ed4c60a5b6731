"""Imports through the admin pages: upload, preview, apply or refuse, history, export, limits."""

import csv
import datetime as dt
import hashlib
import io
import re

import pytest
from sqlalchemy import func, select, update
from test_admin import EMAIL, csrf_token, log_in, make_admin

from finder.db import db
from finder.models import ImportBatch, ImportUpload, Program, utcnow

HEADER = "key,name,city,state,zip,latitude,longitude,phone,care_levels\n"
GOOD = [
    "t-one,First Test Program,Cambridge,MA,02139,42.3647,-71.1042,617-555-0101,outpatient\n",
    "t-two,Second Test Program,Boston,MA,02118,42.34,-71.07,617-555-0102,outpatient\n",
]
BAD_ZIP = "t-bad,Bad Zip Program,Boston,MA,2118x,42.34,-71.07,617-555-0103,outpatient\n"


@pytest.fixture
def admin(app, client):
    make_admin(app)
    assert log_in(client).status_code == 302
    return client


def upload(client, content: str | bytes, filename="programs.csv", **options):
    page = client.get("/admin/import")
    body = content.encode() if isinstance(content, str) else content
    data = {"csrf_token": csrf_token(page.text), "format": "auto", **options}
    data["file"] = (io.BytesIO(body), filename)
    return client.post("/admin/import", data=data, content_type="multipart/form-data")


def apply_form(preview_html: str, **overrides) -> dict:
    """The Apply form's fields as the preview page rendered them."""
    form = preview_html[preview_html.index('action="/admin/import/apply"') :]
    fields = dict(re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', form))
    fields.pop("skip_invalid", None)
    return {**fields, **overrides}


def programs(app) -> dict[str, tuple]:
    with app.app_context():
        rows = db.session.execute(select(Program.id, Program.active, Program.verified_on))
        return {id_: (active, verified_on) for id_, active, verified_on in rows}


def kept_uploads(app) -> dict[str, bytes]:
    with app.app_context():
        return dict(db.session.execute(select(ImportUpload.sha256, ImportUpload.content)).all())


def batches(app) -> list[ImportBatch]:
    with app.app_context():
        return list(db.session.scalars(select(ImportBatch)))


def test_upload_previews_without_writing(app, admin):
    content = HEADER + "".join(GOOD)
    response = upload(admin, content)
    assert response.status_code == 200
    text = response.text
    assert "Preview: programs.csv" in text
    assert re.search(r"Would be added</dt><dd>2<", text)
    assert re.search(r"Would change</dt><dd>0<", text)
    assert "encoding UTF-8" in text and "format native" in text
    assert "First Test Program" in text  # in the sample of changes
    assert programs(app) == {}
    sha = hashlib.sha256(content.encode()).hexdigest()
    assert sha in text
    assert kept_uploads(app) == {sha: content.encode()}  # in the database: any server reads it


def test_apply_writes_the_file_and_records_who_did_it(app, admin):
    content = HEADER + "".join(GOOD)
    preview = upload(admin, content, filename="exports/spring.csv").text
    response = admin.post("/admin/import/apply", data=apply_form(preview))
    assert response.status_code == 302
    assert response.location == "/admin/imports"
    history = admin.get(response.location).text
    assert "Imported spring.csv: 2 added, 0 changed" in history
    assert EMAIL in history and hashlib.sha256(content.encode()).hexdigest() in history
    assert set(programs(app)) == {"t-one", "t-two"}
    [batch] = batches(app)
    assert (batch.actor, batch.filename, batch.size) == (EMAIL, "spring.csv", len(content))
    assert (batch.added, batch.changed, batch.format, batch.encoding) == (2, 0, "native", "utf-8")
    assert kept_uploads(app) == {}  # the kept copy is gone


def test_uploads_never_applied_are_forgotten_after_a_day(app, admin):
    upload(admin, HEADER + GOOD[0])
    [stale] = kept_uploads(app)
    with app.app_context():
        day_ago = utcnow() - dt.timedelta(days=1, seconds=1)
        db.session.execute(update(ImportUpload).values(created_at=day_ago))
        db.session.commit()
    upload(admin, HEADER + GOOD[1])
    assert list(kept_uploads(app)) == [hashlib.sha256((HEADER + GOOD[1]).encode()).hexdigest()]


def test_applying_the_same_file_again_changes_nothing(app, admin):
    content = HEADER + "".join(GOOD)
    admin.post("/admin/import/apply", data=apply_form(upload(admin, content).text))
    before = programs(app)
    again = upload(admin, content).text
    assert re.search(r"Unchanged</dt><dd>2<", again)
    admin.post("/admin/import/apply", data=apply_form(again))
    assert programs(app) == before
    assert [b.unchanged for b in batches(app)] == [0, 2]


def test_a_file_with_errors_lists_them_and_is_refused_unless_skipping(app, admin):
    preview = upload(admin, HEADER + GOOD[0] + BAD_ZIP)
    text = preview.text
    assert re.search(r"<td class=\"num\">3</td><td>zip</td><td>ZIP code &#39;2118x&#39;", text)
    assert "Skip the invalid rows" in text
    refused = admin.post("/admin/import/apply", data=apply_form(text))
    assert refused.status_code == 422
    assert "Nothing was imported: the file has 1 error." in refused.text
    assert programs(app) == {} and batches(app) == []
    applied = admin.post("/admin/import/apply", data=apply_form(text, skip_invalid="y"))
    assert applied.status_code == 302
    assert set(programs(app)) == {"t-one"}
    assert batches(app)[0].skipped_rows == 1


def test_a_file_that_cannot_be_read_offers_no_apply(app, admin):
    preview = upload(admin, "name,city\nSomewhere,Boston\n")
    assert "This file cannot be imported as it is" in preview.text
    assert "/admin/import/apply" not in preview.text
    assert programs(app) == {}


def test_the_rendered_problem_list_is_capped(app, admin):
    rows = [BAD_ZIP.replace("t-bad", f"t-bad-{n}") for n in range(230)]
    text = upload(admin, HEADER + "".join(rows)).text
    assert text.count("is not 5 digits") == 200
    assert "and 30 more not shown" in text
    assert "Errors (230)" in text


def test_a_complete_source_deactivates_what_the_file_no_longer_lists(app, admin, add_program):
    gone = add_program(source="finder", state="MA")
    elsewhere = add_program(source="finder", state="VT", zip="05401")
    preview = upload(admin, HEADER + "".join(GOOD), complete_source="y").text
    assert re.search(r"Would be deactivated</dt><dd>1<", preview)
    admin.post("/admin/import/apply", data=apply_form(preview))
    assert programs(app)[gone][0] is False
    assert programs(app)[elsewhere][0] is True


def test_the_verified_on_date_of_the_form_is_used(app, admin):
    preview = upload(admin, HEADER + "".join(GOOD), verified_on="2026-01-15").text
    admin.post("/admin/import/apply", data=apply_form(preview))
    assert {v for _, v in programs(app).values()} == {dt.date(2026, 1, 15)}


def test_applying_an_upload_that_is_not_kept_asks_to_upload_again(app, admin):
    preview = upload(admin, HEADER + "".join(GOOD)).text
    response = admin.post("/admin/import/apply", data=apply_form(preview, sha256="f" * 64))
    assert response.location == "/admin/import"
    assert "please upload the file again" in admin.get("/admin/import").text
    assert programs(app) == {}


def test_an_upload_without_a_file_is_an_error(admin):
    page = admin.get("/admin/import")
    data = {"csrf_token": csrf_token(page.text), "format": "auto"}
    response = admin.post("/admin/import", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Choose a CSV file to upload." in response.text


def test_an_upload_over_the_limit_gets_a_clear_413(app, admin):
    app.config["MAX_CONTENT_LENGTH"] = 4096
    response = upload(admin, HEADER + GOOD[0] * 100)
    assert response.status_code == 413
    assert "larger than the 4 KB limit" in response.text
    assert programs(app) == {}


def test_export_streams_the_directory_in_our_format(app, admin, add_program):
    add_program(id="x-1", name="=HYPERLINK(1)")
    add_program(id="x-2", active=False)
    response = admin.get("/admin/export.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [row["key"] for row in rows] == ["x-1"]
    assert rows[0]["name"] == "'=HYPERLINK(1)"


def test_exported_file_imports_with_nothing_changed(app, admin, add_program):
    add_program(
        id="x-1", care_levels=["outpatient", "detox_inpatient"], rates={"outpatient": 15000}
    )
    exported = admin.get("/admin/export.csv").data
    preview = upload(admin, exported).text
    assert re.search(r"Unchanged</dt><dd>1<", preview)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Program)) == 1


def test_a_file_without_dates_asks_for_the_sources_date_and_never_stamps_the_import_day(app, admin):
    preview = upload(admin, HEADER + "".join(GOOD)).text
    said = " ".join(preview.split())

    assert "The source's date is unknown.</strong> 2 programs in this file have no verif" in said
    assert "these listings will say when they were imported and that the source's date" in said
    assert re.search(r'<input[^>]*name="verified_on"[^>]*type="date"', preview)
    admin.post("/admin/import/apply", data=apply_form(preview))  # left empty
    assert {v for _, v in programs(app).values()} == {None}
    with app.app_context():
        imported = db.session.scalars(select(Program.imported_on)).all()
    assert imported == [dt.date.today()] * 2


def test_the_sources_date_given_on_the_preview_is_used(app, admin):
    preview = upload(admin, HEADER + "".join(GOOD)).text

    admin.post("/admin/import/apply", data=apply_form(preview, verified_on="2026-02-03"))

    assert {v for _, v in programs(app).values()} == {dt.date(2026, 2, 3)}


def test_a_sources_date_that_is_not_a_date_is_said_so_and_nothing_is_written(app, admin):
    preview = upload(admin, HEADER + "".join(GOOD)).text

    refused = admin.post("/admin/import/apply", data=apply_form(preview, verified_on="3/4/26"))

    assert refused.status_code == 302 and programs(app) == {}
    assert "was not a date like 2025-08-19" in admin.get(refused.location).text


def test_a_file_with_its_dates_does_not_ask_for_one(app, admin):
    dated = HEADER.replace("\n", ",verified_on\n") + GOOD[0].replace("\n", ",2026-03-04\n")
    preview = upload(admin, dated).text
    given = upload(admin, HEADER + GOOD[1], verified_on="2026-01-15").text

    for page in (preview, given):
        assert "date is unknown" not in page
    assert re.search(
        r'<input[^>]*name="verified_on"[^>]*type="hidden"[^>]*value="2026-01-15"', given
    )


def test_an_applied_imports_warnings_are_listed_in_its_history(app, admin):
    content = (HEADER.replace("\n", ",website\n") + GOOD[0].replace("\n", ",http://\n")) + GOOD[1]
    preview = upload(admin, content).text
    assert "&#39;http://&#39; is not a website address; dropped" in preview

    admin.post("/admin/import/apply", data=apply_form(preview))
    history = admin.get("/admin/imports").text
    [batch] = batches(app)
    page = admin.get(f"/admin/imports/{batch.id}").text

    assert f'href="/admin/imports/{batch.id}"' in history
    assert "Warnings (1)" in page
    assert re.search(
        r"<td class=\"num\">2</td><td>website</td><td>&#39;http://&#39; is not a website", page
    )
    assert admin.get("/admin/imports/999").status_code == 404


def test_an_import_from_before_warnings_were_kept_says_so(app, admin):
    admin.post("/admin/import/apply", data=apply_form(upload(admin, HEADER + GOOD[0]).text))
    with app.app_context():
        db.session.execute(update(ImportBatch).values(problems=None, warnings=4))
        db.session.commit()
    [batch] = batches(app)

    assert "warnings were not kept" in admin.get(f"/admin/imports/{batch.id}").text


def test_a_phone_change_is_shown_in_the_preview_and_written(app, admin):
    header = HEADER.replace("\n", ",phones\n")
    first = GOOD[0].replace("\n", ",\n")
    admin.post("/admin/import/apply", data=apply_form(upload(admin, header + first).text))
    moved = GOOD[0].replace("\n", ",main: 617-555-0101; hotline: 800-555-0100 (Crisis line)\n")

    preview = upload(admin, header + moved).text
    admin.post("/admin/import/apply", data=apply_form(preview))

    assert re.search(r"Would change</dt><dd>1<", preview)
    assert (
        "<li>phones: <del>main: 617-555-0101</del> → "
        "<ins>main: 617-555-0101; hotline: 800-555-0100 (Crisis line)</ins></li>"
    ) in preview
    with app.app_context():
        phones = db.session.get(Program, "t-one").phones
        assert [(p.position, p.kind, p.number, p.label) for p in phones] == [
            (0, "main", "617-555-0101", "Main number"),
            (1, "hotline", "800-555-0100", "Crisis line"),
        ]
