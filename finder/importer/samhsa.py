"""SAMHSA's FindTreatment.gov facility listing: check rows, merge a site's twins, map codes.

The code table `samhsa_codes.csv` lists every code SAMHSA documents (with its category,
description and where the label comes from); `kind`/`token` give what it means in our
vocabulary (a code may have several lines, or none), and `only_without` names codes whose
presence cancels that line (RES, residential of unstated length, counts as short-term
residential only when neither RS nor RL is set).
"""

import base64
import csv
import datetime as dt
import functools
import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from . import fields
from .records import Parsed, ProgramRecord, Row

DESCRIPTIVE = (
    "name1",
    "name2",
    "street1",
    "street2",
    "city",
    "state",
    "zip",
    "zip4",
    "county",
    "phone",
) + ("intake_prompt", "intake1", "intake2", "website", "latitude", "longitude", "type_facility")
REQUIRED = ("name1", "street1", "city", "state", "zip", "phone", "type_facility")
# Merged field -> the column a disagreement is reported under.
MERGED = {
    "name": "name1",
    "name2": "name2",
    "street": "street1",
    "street2": "street2",
    "city": "city",
    "state": "state",
    "zip": "zip",
    "phone": "phone",
    "intake_phone": "intake1",
    "website": "website",
    "location": "latitude",
}
_FILE_DATE = re.compile(r"FindTreat?ment_Facility_listing_(\d{4})_(\d{2})_(\d{2})", re.IGNORECASE)


@dataclass(frozen=True)
class Mapping:
    kind: str
    token: str
    only_without: frozenset[str]


@functools.cache
def code_table() -> dict[str, list[Mapping]]:
    """Every known code -> what it means for us (an empty list: known, not used)."""
    table: dict[str, list[Mapping]] = {}
    with open(Path(__file__).with_name("samhsa_codes.csv"), newline="", encoding="utf-8") as f:
        for line in csv.DictReader(f):
            meanings = table.setdefault(line["code"], [])
            if line["kind"]:
                meanings.append(
                    Mapping(line["kind"], line["token"], frozenset(line["only_without"].split()))
                )
    return table


def known(column: str) -> bool:
    """Whether a header column is one SAMHSA documents (descriptive, or a service code)."""
    return column in DESCRIPTIVE or column in code_table()


def file_date(filename: str) -> dt.date | None:
    """SAMHSA's export date from its file name (FindTreament_Facility_listing_2025_08_19_...)."""
    if m := _FILE_DATE.search(filename):
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    return None


def program_id(name: str, street: str, city: str, zip_code: str) -> str:
    """The short URL-safe id of a site: a hash of its normalised name1 + street1 + city + ZIP."""
    key = "|".join(_normalise(part) for part in (name, street, city, zip_code))
    digest = base64.b32encode(hashlib.sha256(key.encode()).digest()).decode()
    return "s-" + digest[:12].lower()


def _normalise(value: str) -> str:
    # casefold, drop apostrophes (St. Mary's = ST MARYS), other punctuation separates words
    value = re.sub(r"['\u2019`]", "", unicodedata.normalize("NFKC", value).casefold())
    return " ".join(re.sub(r"[^\w\s]|_", " ", value).split())


@dataclass(frozen=True)
class SiteRow:
    line: int
    ok: bool
    su_type: bool  # type_facility is SU
    substance_use: bool  # SU, or the sa flag
    values: dict
    codes: frozenset[str]


def parse(
    rows: Iterable[tuple[int, list[str]]],
    columns: list[str],
    parsed: Parsed,
    verified_on: dt.date | None,
) -> None:
    """Check every row, merge rows of one site into one program, map codes onto our tokens."""
    table = code_table()
    code_columns = [(i, c) for i, c in enumerate(columns) if c in table and c not in DESCRIPTIVE]
    sites: dict[str, list[SiteRow]] = {}
    for line, cells in rows:
        parsed.rows += 1
        row = Row(line, {c: v for c, v in zip(columns, cells, strict=False) if c in DESCRIPTIVE})
        site = _site_row(
            row, [(c, cells[i].strip() if i < len(cells) else "") for i, c in code_columns]
        )
        parsed.problems.extend(row.problems)
        key = [row.get(c) for c in ("name1", "street1", "city")] + [site.values["zip"]]
        if all(key):
            sites.setdefault(program_id(*key), []).append(site)
        elif not site.ok:
            parsed.skipped_rows += 1
    for key, site_rows in sites.items():
        if all(r.ok for r in site_rows):
            record = _merge(key, site_rows, parsed, verified_on)
            if record is not None:
                parsed.records.append(record)
                continue
        parsed.invalid_keys.add(key)
        parsed.skipped_rows += len(site_rows)


def _site_row(row: Row, codes: list[tuple[str, str]]) -> SiteRow:
    zip_code = fields.zip5(row, "zip")
    kind = row.get("type_facility").upper()
    if kind not in ("SU", "MH"):
        row.error("type_facility", f"type_facility '{row.get('type_facility')}' is not SU or MH")
    flags = set()
    for code, value in codes:
        if value == "1":
            flags.add(code)
        elif value:
            row.error(code, f"unknown code value '{value[:20]}' (expected 1 or blank)")
    values = dict(
        name=fields.text(row, "name1", 300, required=True),
        name2=fields.text(row, "name2", 300),
        street=fields.text(row, "street1", 300, required=True),
        street2=fields.text(row, "street2", 300),
        city=fields.text(row, "city", 120, required=True),
        state=fields.state(row, "state", zip_code),
        zip=zip_code,
        phone=fields.text(row, "phone", 60, required=True),
        intake_phone=fields.text(row, "intake1", 60) or fields.text(row, "intake2", 60),
        website=fields.website(row, "website"),
        location=fields.coordinates(row, "latitude", "longitude"),
    )
    return SiteRow(
        row.line, row.ok, kind == "SU", kind == "SU" or "sa" in flags, values, frozenset(flags)
    )


def _merge(key: str, rows: list[SiteRow], parsed: Parsed, verified_on: dt.date | None):
    first = rows[0]
    tie_breaker = next((r for r in rows if r.su_type), first)
    merged = {}
    for name, column in MERGED.items():
        values = [r.values[name] for r in rows]
        merged[name] = _vote(values, tie_breaker.values[name])
        if len(set(values)) > 1:
            lines = ", ".join(str(r.line) for r in rows)
            shown = "; ".join(sorted({_show(v) for v in values}))
            parsed.warn(
                first.line,
                column,
                f"the {len(rows)} rows of this site (lines {lines}) disagree ({shown}); "
                f"using {_show(merged[name])}",
            )
    row = Row(first.line, {})
    location, approximate = merged.pop("location"), False
    if location is None:
        location, approximate = fields.zip_centroid(row, "latitude", merged["zip"]), True
    features = _features(frozenset().union(*(r.codes for r in rows)))
    substance_use = any(r.substance_use for r in rows)
    if substance_use and not any(kind == "care" for kind, _ in features):
        row.warn("type_facility", "offers substance-use treatment but no care level we know; "
                 "listed as mental-health only")  # fmt: skip
        substance_use = False
    parsed.problems.extend(row.problems)
    if location is None:
        return None
    return ProgramRecord(
        key=key,
        line=first.line,
        latitude=location[0],
        longitude=location[1],
        location_approximate=approximate,
        substance_use=substance_use,
        source="samhsa",
        verified_on=verified_on,
        features=features,
        **merged,
    )


def _vote(values: list, tie_breaker):
    """The value most rows agree on (blank cells do not vote); ties go to the tie breaker."""
    counts = Counter(v for v in values if v)
    if not counts:
        return values[0]
    best = max(counts.values())
    leaders = [v for v, n in counts.items() if n == best]
    return tie_breaker if tie_breaker in leaders else leaders[0]


def _show(value) -> str:
    if isinstance(value, tuple):
        return f"{value[0]}, {value[1]}"
    return f"'{value}'" if value else "blank"


def _features(codes: frozenset[str]) -> tuple[tuple[str, str], ...]:
    table = code_table()
    return tuple(
        sorted(
            {
                (m.kind, m.token)
                for code in codes
                for m in table[code]
                if not (m.only_without & codes)
            }
        )
    )
