"""Read a file, tell its format from the header, and check every row (writes nothing)."""

import datetime as dt
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from . import native, samhsa
from .reading import FileFacts, ReadError, inspect, read_rows
from .records import Parsed

FORMATS = ("auto", "native", "samhsa")
PARSERS = {"native": native, "samhsa": samhsa}


def detect(columns: list[str]) -> str | None:
    """Which format a header belongs to, or None."""
    names = set(columns)
    if {"key", "name"} <= names:
        return "native"
    if {"name1", "street1"} <= names:
        return "samhsa"
    return None


def validate_file(
    path: str | Path,
    *,
    fmt: str = "auto",
    verified_on: dt.date | None = None,
    filename: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[FileFacts, Parsed]:
    """Check a whole file; return its facts and what its rows hold. progress, if given, is
    told (bytes read, the file's size) as the rows are checked."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    facts = inspect(path)
    parsed = Parsed(format=fmt)
    if facts.encoding is None:
        parsed.error(
            facts.bad_line,
            "",
            f"the file is neither UTF-8 nor Windows-1252 (byte 0x{facts.bad_byte:02X})",
        )
        parsed.fatal = True
        return facts, parsed
    try:
        told = None if progress is None else (lambda done: progress(done, facts.size))
        _parse(
            read_rows(path, facts.encoding, told), parsed, verified_on, filename or Path(path).name
        )
    except ReadError as exc:
        parsed.error(exc.line, "", exc.message)
        parsed.fatal = True
    return facts, parsed


def _parse(rows, parsed: Parsed, verified_on, filename: str) -> None:
    header = next(rows, None)
    if header is None:
        parsed.error(1, "", "the file is empty: it has no header row")
        parsed.fatal = True
        return
    line, names = header
    columns = [name.strip().lower() for name in names]
    if parsed.format == "auto":
        parsed.format = detect(columns) or "auto"
    if parsed.format == "auto":
        parsed.error(
            line,
            "",
            "cannot tell the format from the header: expected our columns (key, name, city, ...) "
            "or SAMHSA's (name1, street1, city, ...)",
        )
        parsed.fatal = True
        return
    parser = PARSERS[parsed.format]
    if not _header_ok(line, columns, parser, parsed):
        parsed.fatal = True
        return
    if parsed.format == "samhsa":
        verified_on = samhsa.file_date(filename) or verified_on
    parsed.verified_on = verified_on
    parser.parse(rows, columns, parsed, verified_on)


def _header_ok(line: int, columns: list[str], parser, parsed: Parsed) -> bool:
    twice = sorted(name for name, n in Counter(c for c in columns if c).items() if n > 1)
    if twice:
        parsed.error(line, "", f"these columns appear more than once: {', '.join(twice)}")
    missing = [name for name in parser.REQUIRED if name not in columns]
    if missing:
        parsed.error(line, "", f"required columns are missing: {', '.join(missing)}")
    for name in columns:
        if name and not parser.known(name):
            parsed.warn(line, name, f"unknown column '{name}' is ignored")
    return not (twice or missing)
