"""Visitors report problems with a listing: stored for admins, CSRF-protected, rate-limited."""

import pytest
from sqlalchemy import select
from test_admin import hidden_fields

from finder.db import db
from finder.models import Report


def reports(app) -> list[tuple[str, str, str]]:
    with app.app_context():
        rows = db.session.execute(select(Report.program_id, Report.kind, Report.comment))
        return [tuple(row) for row in rows]


def send(client, program_id: str, **data):
    page = client.get(f"/facilities/{program_id}/report")
    return client.post(
        f"/facilities/{program_id}/report", data={**hidden_fields(page.text), **data}
    )


def test_public_pages_set_no_cookies(client, add_program):
    program_id = add_program()
    for url in ("/", f"/facilities/{program_id}", "/search?near=02139"):
        response = client.get(url)
        assert response.status_code in (200, 400), url
        assert "Set-Cookie" not in response.headers, url


def test_the_program_page_links_to_the_report_page(client, add_program):
    program_id = add_program()
    page = client.get(f"/facilities/{program_id}").text
    assert f'href="/facilities/{program_id}/report"' in page


def test_the_report_page_asks_for_no_personal_data(client, add_program):
    program_id = add_program(name="Harbor Light Recovery")
    page = client.get(f"/facilities/{program_id}/report")
    assert page.status_code == 200
    assert "Harbor Light Recovery" in page.text
    assert "Please don't include names or contact details" in page.text
    for kind in ("closed", "wrong_phone", "wrong_services", "other"):
        assert f'name="kind" required type="radio" value="{kind}"' in page.text
    assert 'name="email"' not in page.text and 'name="phone"' not in page.text


def test_a_report_is_stored_and_thanked(app, client, add_program):
    program_id = add_program(name="Harbor Light Recovery")
    response = send(client, program_id, kind="wrong_phone", comment="  Number is disconnected ")
    assert response.status_code == 302
    assert response.location == f"/facilities/{program_id}/report/thanks"
    thanks = client.get(response.location).text
    assert "Thank you" in thanks and "Harbor Light Recovery" in thanks
    assert reports(app) == [(program_id, "wrong_phone", "Number is disconnected")]


def test_the_comment_is_optional(app, client, add_program):
    program_id = add_program()
    assert send(client, program_id, kind="closed").status_code == 302
    assert reports(app) == [(program_id, "closed", "")]


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "Choose what is wrong."),
        ({"kind": "spam"}, "Not a valid choice"),
        ({"kind": "other", "comment": "x" * 1001}, "Keep it under 1000 characters."),
    ],
)
def test_an_invalid_report_is_not_stored(app, client, add_program, data, message):
    program_id = add_program()
    response = send(client, program_id, **data)
    assert response.status_code == 400
    assert message in response.text
    assert reports(app) == []


def test_a_comment_of_exactly_1000_characters_is_accepted(app, client, add_program):
    program_id = add_program()
    assert send(client, program_id, kind="other", comment="x" * 1000).status_code == 302
    assert len(reports(app)) == 1


def test_a_report_without_a_token_is_refused(app, client, add_program):
    program_id = add_program()
    response = client.post(f"/facilities/{program_id}/report", data={"kind": "closed"})
    assert response.status_code == 400
    assert "did not come from this page" in response.text
    assert reports(app) == []


def test_unknown_and_inactive_programs_are_not_found(app, client, add_program):
    token = hidden_fields(client.get(f"/facilities/{add_program()}/report").text)
    for program_id in ("no-such-program", add_program(active=False)):
        url = f"/facilities/{program_id}/report"
        assert client.get(url).status_code == 404
        assert client.post(url, data={**token, "kind": "closed"}).status_code == 404
        assert client.get(f"{url}/thanks").status_code == 404
    assert reports(app) == []


def test_reports_are_rate_limited_per_client(app, add_program):
    program_id = add_program()
    app.config["REPORTS_PER_HOUR"] = 3
    busy = app.test_client()
    busy.environ_base["REMOTE_ADDR"] = "192.0.2.10"
    for _ in range(3):
        assert send(busy, program_id, kind="closed").status_code == 302
    refused = send(busy, program_id, kind="closed")
    assert refused.status_code == 429
    assert "please try again in 60 minutes" in refused.text
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "192.0.2.11"
    assert send(other, program_id, kind="closed").status_code == 302
    assert len(reports(app)) == 4


def test_the_default_limit_is_ten_an_hour(app, client, add_program):
    program_id = add_program()
    statuses = [send(client, program_id, kind="other").status_code for _ in range(11)]
    assert statuses == [302] * 10 + [429]
    assert len(reports(app)) == 10
