"""The whole admin story with the real SAMHSA export: log in, upload, preview, apply, search."""

import re

from test_admin_imports import admin, apply_form, upload  # noqa: F401  (admin is a fixture)
from test_samhsa import REAL, REAL_NAME, needs_real_file


@needs_real_file
def test_an_admin_loads_the_real_samhsa_file_and_its_programs_are_searchable(app, admin):  # noqa: F811
    preview = upload(admin, REAL.read_bytes(), filename=REAL_NAME)
    text = preview.text
    assert preview.status_code == 200 and "format samhsa" in text
    assert re.search(r"Would be added</dt><dd>463<", text)
    assert re.search(r"Warnings</dt><dd>71<", text)
    assert "contradicts ZIP 01089" in text
    # the new warnings about places, each with its line
    assert "city &#39;Lee&#39; contradicts ZIP 02138, which is Cambridge, MA" in text
    assert text.count("is SAMHSA&#39;s placeholder for none: the listing shows no street") == 12
    assert "lines 255 and 297 of this program place it 2.69 miles apart" in text
    assert admin.get("/api/facilities?near=Boston, MA&radius=any").json["total"] == 0

    applied = admin.post("/admin/import/apply", data=apply_form(text))
    assert applied.status_code == 302
    history = admin.get("/admin/imports").text
    assert REAL_NAME in history and "463" in history

    found = admin.get("/api/facilities?near=Boston, MA&radius=any&per_page=100").json
    assert found["total"] == 422  # the 41 mental-health-only programs stay out of search
    assert {r["source"] for r in found["results"]} == {"samhsa"}
    assert all(r["verified_on"] == "2025-08-19" for r in found["results"])
    otp = admin.get("/api/facilities?near=02139&radius=25&care=opioid_treatment_program").json
    assert otp["total"] > 0 and all(
        "methadone" in r["medications"] or "buprenorphine" in r["medications"]
        for r in otp["results"]
    )
    first = found["results"][0]["id"]
    assert admin.get(f"/facilities/{first}").status_code == 200
