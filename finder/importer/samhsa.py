"""SAMHSA's FindTreatment.gov facility listing: check rows, split a site into its programs,
merge each program's rows, map codes (docs/samhsa-mapping.md has the rules).

The code table `samhsa_codes.csv` lists every code SAMHSA documents (with its category,
description and where the label comes from); `kind`/`token` give what it means in our
vocabulary (a code may have several lines, or none: then `reason` says why), `rows` which rows
of a program are read (`su`: its substance-use rows, `mh`: its mental-health rows, `program`:
all its rows, `site`: every row at its address), and `only_without` names codes whose presence,
in those rows, cancels that line (RES is "residential, length not stated" only without RS, RL
or RD).
"""

import datetime as dt
import re
from collections.abc import Iterable
from operator import itemgetter

from . import fields
from .memo import Memo
from .records import Parsed, Row
from .samhsa_programs import SiteRow, SiteSpool, code_table, merge, program_id, split

__all__ = ["code_table", "file_date", "known", "parse", "program_id"]

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
) + ("intake_prompt", "intake1", "intake2", "hotline1", "website", "latitude", "longitude")
DESCRIPTIVE += ("type_facility",)
REQUIRED = ("name1", "street1", "city", "state", "zip", "phone", "type_facility")
# type_facility: SU substance use (older files and SAMHSA's API say SA), MH mental health.
SUBSTANCE_USE_TYPES = ("SU", "SA")
# A row's numbers: (column, kind, label), in the order a program lists them.
PHONE_COLUMNS = (
    ("phone", "main", "Main number"),
    ("intake1", "intake", "Intake"),
    ("intake2", "intake", "Intake (second number)"),
    ("hotline1", "hotline", "Hotline"),
)
_FILE_DATE = re.compile(r"FindTreat?ment_Facility_listing_(\d{4})_(\d{2})_(\d{2})", re.IGNORECASE)


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


def parse(
    rows: Iterable[tuple[int, list[str]]],
    columns: list[str],
    parsed: Parsed,
    verified_on: dt.date | None,
) -> None:
    """Check every row, split each site into its programs, merge each program's rows into one
    record and map their codes onto our tokens."""
    table = code_table()
    code_columns = [(i, c) for i, c in enumerate(columns) if c in table and c not in DESCRIPTIVE]
    descriptive = [(i, c) for i, c in enumerate(columns) if c in DESCRIPTIVE]
    # A row's cells by column, in C: most of SAMHSA's ~330 code cells are blank.
    read_codes = itemgetter(*[i for i, _ in code_columns]) if code_columns else lambda _: ()
    code_names = [c for _, c in code_columns]
    width = len(columns)
    memo = Memo()
    with SiteSpool() as spool:
        for line, cells in rows:
            parsed.rows += 1
            if len(cells) < width:
                cells = cells + [""] * (width - len(cells))
            row = Row(line, {c: cells[i] for i, c in descriptive})
            values = read_codes(cells) if len(code_columns) != 1 else (read_codes(cells),)
            site = _site_row(
                row, [(c, v.strip()) for c, v in zip(code_names, values, strict=True) if v], memo
            )
            parsed.add(row.problems)
            if all(site.key):
                spool.add(program_id(*site.key), site)
            elif not site.ok:
                parsed.skipped_rows += 1
        for site, site_rows in spool.sites():
            programs = split(site_rows, site)
            if all(r.ok for r in site_rows):
                for key, program_rows in programs:
                    record = merge(key, program_rows, site_rows, parsed, verified_on, memo)
                    if record is not None:
                        parsed.records.append(record)
                    else:
                        parsed.invalid_keys.add(key)
                        parsed.skipped_rows += len(program_rows)
            else:
                parsed.invalid_keys.update(key for key, _ in programs)
                parsed.skipped_rows += len(site_rows)


def _site_row(row: Row, codes: list[tuple[str, str]], memo: Memo) -> SiteRow:
    zip_code = fields.zip5(row, "zip")
    kind = row.get("type_facility").upper()
    if kind not in SUBSTANCE_USE_TYPES + ("MH",):
        row.error(
            "type_facility", f"type_facility '{row.get('type_facility')}' is not SU, SA or MH"
        )
    flags = set()
    for code, value in codes:
        if value == "1":
            flags.add(code)
        elif value:
            row.error(code, f"unknown code value '{value[:20]}' (expected 1 or blank)")
    phones = [(kind, fields.text(row, column, 60), label) for column, kind, label in PHONE_COLUMNS]
    values = dict(
        name=fields.text(row, "name1", 300, required=True),
        name2=fields.text(row, "name2", 300),
        street=fields.text(row, "street1", 300, required=True),
        street2=fields.text(row, "street2", 300),
        city=fields.text(row, "city", 120, required=True),
        state=memo.check(fields.state, row, "state", zip_code),
        zip=zip_code,
        phone=fields.text(row, "phone", 60, required=True),
        intake_phone=phones[1][1] or phones[2][1],
        website=fields.website(row, "website"),
        location=fields.coordinates(row, "latitude", "longitude"),
    )
    return SiteRow(
        line=row.line,
        ok=row.ok,
        su_type=kind in SUBSTANCE_USE_TYPES,
        sa_flag="sa" in flags,
        values=values,
        codes=frozenset(flags),
        key=(row.get("name1"), row.get("street1"), row.get("city"), zip_code),
        phones=tuple(p for p in phones if p[1]),
        filled=sum(1 for cell in row.cells.values() if cell.strip()),  # cells: DESCRIPTIVE's
    )
