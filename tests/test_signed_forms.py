"""The forms anonymous visitors post (the admin login, a problem report) are protected without
a cookie: a signed token that names the form and expires, and a same-origin check."""

import time

import pytest
from test_admin import EMAIL, PASSWORD, hidden_fields, make_admin
from test_reports import reports

REFUSED = "did not come from this page"


def send(client, url: str, data: dict, **kwargs):
    """Open the form's page and post it back with what the visitor filled in."""
    return client.post(url, data={**hidden_fields(client.get(url).text), **data}, **kwargs)


@pytest.fixture
def forms(app, add_program):
    """(page, what a visitor fills in, what a success answers) for each form."""
    make_admin(app)
    program_id = add_program()
    return {
        "login": ("/admin/login", {"email": EMAIL, "password": PASSWORD}, "/admin/"),
        "report": (
            f"/facilities/{program_id}/report",
            {"kind": "closed"},
            f"/facilities/{program_id}/report/thanks",
        ),
    }


def test_each_form_takes_its_own_token_only(app, client, forms, add_program):
    (login, login_data, _), (report, report_data, _) = forms["login"], forms["report"]
    login_token = hidden_fields(client.get(login).text)
    report_token = hidden_fields(client.get(report).text)
    other_report = f"/facilities/{add_program()}/report"
    for url, data in [
        (login, {**report_token, **login_data}),
        (report, {**login_token, **report_data}),
        (other_report, {**report_token, **report_data}),
    ]:
        response = client.post(url, data=data)
        assert response.status_code == 400, url
        assert REFUSED in response.text
        assert "Set-Cookie" not in response.headers
    assert reports(app) == []


@pytest.mark.parametrize("form", ["login", "report"])
def test_a_token_is_good_for_two_hours(client, forms, monkeypatch, form):
    url, data, success = forms[form]
    real_time = time.time
    pages = {}
    for age in (2 * 3600 + 5, 2 * 3600 - 60):
        monkeypatch.setattr(time, "time", lambda age=age: real_time() - age)
        pages[age] = hidden_fields(client.get(url).text)
        monkeypatch.setattr(time, "time", real_time)
    stale = client.post(url, data={**pages[2 * 3600 + 5], **data})
    assert stale.status_code == 400 and REFUSED in stale.text
    # The refusal carries a fresh token: sending the form again works.
    assert client.post(url, data={**hidden_fields(stale.text), **data}).location == success
    assert client.post(url, data={**pages[2 * 3600 - 60], **data}).location == success


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Origin": "https://localhost"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "http://localhost", "Sec-Fetch-Site": "cross-site"},
    ],
)
@pytest.mark.parametrize("form", ["login", "report"])
def test_a_post_from_another_site_is_refused(app, client, forms, form, headers):
    url, data, _ = forms[form]
    response = send(client, url, data, headers=headers)
    assert response.status_code == 400 and REFUSED in response.text
    assert "Set-Cookie" not in response.headers
    assert reports(app) == []


@pytest.mark.parametrize("form", ["login", "report"])
def test_a_post_from_this_site_goes_through(client, forms, form):
    url, data, success = forms[form]
    headers = {"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"}
    assert send(client, url, data, headers=headers).location == success
