"""Quality signs in a real browser on a 360-pixel phone, JavaScript off: a family filters on a
sign, opens a program and reads its signs, then follows a sign back into search."""

from browsing import fits_the_screen
from test_browser import phone, pytestmark, site  # noqa: F401

ACCREDITED = "Accredited (Joint Commission, CARF, NCQA, COA or HFAP)"


def test_a_family_filters_on_a_sign_and_reads_a_programs_signs(site, phone):  # noqa: F811
    phone.goto(site + "/")
    phone.get_by_label("ZIP code or town").fill("02139")
    phone.get_by_text("What you need:").click()
    phone.get_by_label(ACCREDITED).check()
    phone.get_by_role("button", name="Search").click()
    assert "sign=accredited" in phone.url and fits_the_screen(phone)

    phone.locator("li.result h2 a").first.click()
    signs = phone.locator("section.signs")
    assert signs.get_by_role("heading", name="Signs of quality care").is_visible()
    accredited = signs.locator("li.sign", has_text=ACCREDITED)
    assert "Reported: Accredited by" in " ".join(accredited.inner_text().split())
    assert "Not reported" in signs.inner_text()  # each sign, known or not: never a "No"
    assert fits_the_screen(phone)

    accredited.get_by_role("link").click()
    assert "sign=accredited" in phone.url and "near=" in phone.url
    assert phone.locator("li.result").count() > 0 and fits_the_screen(phone)
    assert phone.blocked == []
