"""The static files as a browser reads them: a stylesheet whose braces do not balance drops
every rule after the break, silently (a merge once left the map 248 px wide on a phone)."""

from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parent.parent / "static"


def test_the_stylesheet_has_balanced_blocks_and_no_merge_marks():
    css = (STATIC / "finder.css").read_text(encoding="utf-8")
    depth = 0
    for number, line in enumerate(css.splitlines(), 1):
        depth += line.count("{") - line.count("}")
        assert depth >= 0, f"finder.css line {number} closes a block never opened"
        assert not line.startswith(("<<<<<<<", "=======", ">>>>>>>")), number
    assert depth == 0, "finder.css leaves a block open"


@pytest.mark.parametrize("script", sorted(p.name for p in STATIC.glob("*.js")))
def test_each_script_is_ours_and_small(script):
    text = (STATIC / script).read_text(encoding="utf-8")
    assert "http://" not in text and "https://" not in text  # nothing fetched from elsewhere
    assert len(text) < 8000
