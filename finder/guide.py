"""The guide's public sources (data/guide_sources.csv): each claim on /guide cites one by key."""

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

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
