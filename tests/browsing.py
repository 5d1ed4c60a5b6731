"""What the browser tests share: a finder served on a thread, pages that record any request to
another site (`page.blocked`), and when Chromium is needed. The `browser` fixture (Debian's
Chromium driven by Playwright) is in conftest.py."""

import contextlib
import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from finder import create_app, schema
from finder.db import db

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Without Chromium the browser tests skip, except in CI, which requires them.
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None and os.environ.get("FINDER_REQUIRE_BROWSER") != "1",
    reason="no Chromium on this machine (apt-get install chromium)",
)


@contextlib.contextmanager
def served(folder, prepare=None):
    """A finder on a SQLite file in `folder`, its schema made and `prepare()` run in its app
    context, served on a thread: yields its base URL."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'finder.sqlite'}",
            "SECRET_KEY_FILE": str(folder / "secret_key"),
        }
    )
    with app.app_context():
        schema.upgrade()
        if prepare is not None:
            prepare()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        with app.app_context():
            db.engine.dispose()


def open_page(browser, base: str, width=360, height=740, javascript=False, **context):
    """A new page of a new browser context at that size; `page.blocked` lists every request
    it makes to another site than `base`."""
    page = browser.new_context(
        viewport={"width": width, "height": height}, java_script_enabled=javascript, **context
    ).new_page()
    page.blocked = []
    page.on("request", lambda r: None if r.url.startswith(base) else page.blocked.append(r.url))
    return page


def fits_the_screen(page, width=360) -> bool:
    # A click that navigates returns before the new page exists: measure the page it loads
    # (measured mid-navigation, documentElement can be null; seen once under load).
    page.wait_for_load_state()
    return page.evaluate("document.documentElement.scrollWidth") <= width


# Where the browser tests leave their screenshots for people to look at (ignored by git).
SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"


def screenshot(page, name: str) -> Path:
    """The whole page as `screenshots/<name>-<width>x<height>.png`."""
    size = page.viewport_size
    path = SCREENSHOTS / f"{name}-{size['width']}x{size['height']}.png"
    path.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_problems(page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now, one line each
    ("rule (impact): selector, ..."); empty when there are none. axe runs through the browser's
    debugging protocol, which the Content-Security-Policy does not govern. A page opened with
    JavaScript off cannot run it: open it with JavaScript on and our scripts blocked
    (`open_page(..., javascript=True)` then `without_our_scripts(page)`)."""
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_load_state()  # not mid-navigation after a click (see fits_the_screen)
    response = Axe().run(page).response
    return [
        f"{v['id']} ({v['impact']}): " + ", ".join(" ".join(n["target"]) for n in v["nodes"])
        for v in response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def without_our_scripts(page):
    """The page as a browser without JavaScript shows it: our own scripts (all of them static
    files; the CSP allows no inline script) are not loaded, while axe can still run."""
    page.route("**/static/*.js", lambda route: route.abort())
    return page
