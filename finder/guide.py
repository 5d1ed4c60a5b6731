"""The guide's public sources (data/guide_sources.csv): each claim on /guide cites one by key."""

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

from .estimator.text import N_

SOURCES_FILE = Path(__file__).resolve().parent.parent / "data" / "guide_sources.csv"


@dataclass(frozen=True)
class Source:
    key: str
    short: str  # how a citation names it
    publisher: str
    title: str
    url: str
    date: str  # as the page shows it, or "accessed YYYY-MM-DD" when it shows none
    note: str  # where we read it, when not at its own address


@functools.cache
def sources() -> dict[str, Source]:
    """Every source by key, in the file's order."""
    with SOURCES_FILE.open(newline="", encoding="utf-8") as f:
        return {row["key"]: Source(**row) for row in csv.DictReader(f)}


# The sources' dates and notes are our words, not the sources': each is marked here so that the
# catalog has it, and the guide shows it with `say`, in the page's language. Every date or note
# of the file with words in it must be here (tests/test_i18n_compare.py checks).
WORDS = (
    N_("August 31, 2017 (page last reviewed)"),
    N_("June 2021"),
    N_("accessed 2026-11-30"),
    N_("September 2009 (revised)"),
    N_("December 1, 1999"),
    N_("January 2018 (last updated)"),
    N_("as archived January 18, 2009"),
    N_("Read in a stored copy of this CDC page; CDC has since moved its overdose pages."),
    N_("The address carries CDC's e-mail tracking, as we found it."),
    N_(
        "SAMHSA's own page for this toolkit was not among the stored copies we could read; the "
        "toolkit says it can be downloaded or ordered at store.samhsa.gov. Read in a stored copy "
        "of the toolkit and in summaries of its steps. SAMHSA has since replaced it with its "
        "Overdose Prevention and Response Toolkit."
    ),
    N_("Kept by the National Library of Medicine for historical reference."),
    N_(
        "NIDA's own address; read in the University of North Texas CyberCemetery's archived "
        "copy. NIDA has revised this fact sheet since."
    ),
    N_("NIDA's archive: may not reflect the current state of the science."),
    N_(
        "Read in a stored copy of NIDA's publication: most people need at least 3 months in "
        "treatment."
    ),
    N_("NIDA's own address; read in the University of North Texas CyberCemetery's archived copy."),
    N_("The page says it is no longer maintained."),
    N_(
        "Read in a stored copy that quotes this glossary entry with this address; "
        "HealthCare.gov's glossary entries show no date."
    ),
    N_("Read in a snapshot of marketplace.cms.gov."),
    N_("The Recovery Research Institute's list as published by The Council on Recovery."),
)
