"""Our own format (docs/csv-format.md): check every row and turn it into a ProgramRecord."""

import datetime as dt
import re
from collections.abc import Iterable

from ..models import PROGRAM_ID as KEY
from ..vocab import PHONE_KINDS, RATE_ITEMS, default_phones
from . import fields
from .memo import Memo
from .records import Parsed, ProgramRecord, Row

TOKEN_COLUMNS = {
    "care_levels": "care",
    "medications": "medication",
    "payments": "payment",
    "carriers": "carrier",
    "ages": "age",
    "languages": "language",
    "special_programs": "special",
    "therapies": "therapy",
    "mental_health_care": "mh_care",
    "facility_types": "facility",
    # Quality signs that are not therapies or medications (vocab.SIGN_FACTS); an empty cell
    # means the source does not say, never "no".
    "signs": "sign",
}
COLUMNS = (
    ("key", "name", "name2", "street", "street2", "city", "state", "zip", "latitude", "longitude")
    + ("phone", "intake_phone", "phones", "website", "telehealth")
    + tuple(TOKEN_COLUMNS)
    + tuple(f"rate_{item}" for item in RATE_ITEMS)
    + ("sliding_fee_schedule", "beds", "substance_use", "source", "verified_on", "imported_on")
)
# Columns read under an older name: old name -> today's (the extended-release injection's
# price was `rate_naltrexone` before a form-unknown `naltrexone` token existed).
OLD_NAMES = {
    old: new
    for old, new in {"rate_naltrexone": "rate_naltrexone_xr"}.items()
    if new in COLUMNS and old not in COLUMNS
}
RATE_COLUMNS = tuple((item, f"rate_{item}") for item in RATE_ITEMS)
REQUIRED = ("key", "name", "city", "state", "zip", "phone", "care_levels")
SOURCE = re.compile(r"[a-z0-9_-]{1,40}")
MAX_BEDS = 100_000
# `kind: number` or `kind: number (label)`; the label is the last parenthesised part.
PHONE_ENTRY = re.compile(r"([^:]*):\s*(.+?)\s*(?:\((.*)\))?")
MAX_PHONES = 20


def known(column: str) -> bool:
    """Whether a header column belongs to our format (today's name or an older one)."""
    return column in COLUMNS or column in OLD_NAMES


def phone_entry(kind: str, number: str, label: str) -> str:
    """One phone as written in the `phones` cell (the label left out when it is the kind's)."""
    return f"{kind}: {number}" + ("" if label == PHONE_KINDS.get(kind) else f" ({label})")


def parse(
    rows: Iterable[tuple[int, list[str]]],
    columns: list[str],
    parsed: Parsed,
    verified_on: dt.date | None,
) -> None:
    """Check every row; valid ones become records, a key used twice is an error on both.
    Records go to parsed.records (on disk) as they are made: a later row with the same key
    takes the earlier one's record back out."""
    records = parsed.records
    bad_lines: set[int] = set()
    memo = Memo()
    unneutralise = fields.unneutralise
    for line, cells in rows:
        parsed.rows += 1
        row = Row(
            line,
            {
                c: v if "'" not in v else unneutralise(v)
                for c, v in zip(columns, cells, strict=False)
                if c
            },
        )
        if len(cells) > len(columns) and "".join(cells[len(columns) :]).strip():
            row.warn("", "values to the right of the last named column are ignored")
        _rename_old_columns(row)
        record = _record(row, verified_on, memo)
        key = row.get("key")
        first = records.claim(key, line, record) if KEY.fullmatch(key) else None
        if first is not None:
            row.error("key", f"key '{key}' is used twice: on line {first} and line {line}")
            bad_lines.add(first)
            records.discard(key)
        parsed.add(row.problems)
        if record is None or first is not None:
            bad_lines.add(line)
            if KEY.fullmatch(key):
                parsed.invalid_keys.add(key)
    parsed.skipped_rows += len(bad_lines)


def _rename_old_columns(row: Row) -> None:
    for old, new in OLD_NAMES.items():
        if old not in row.cells:
            continue
        value = row.cells.pop(old)
        if value.strip() and row.get(new):
            row.error(old, f"{old} is the old name of {new}: give one of them, not both")
        elif value.strip():
            row.warn(old, f"{old} is the old name of {new}; it was read as {new}")
            row.cells[new] = value


def _phones(row: Row, phone: str, intake_phone: str) -> tuple[tuple[str, str, str], ...]:
    """The `phones` cell, or when it is empty the phone and intake_phone columns."""
    entries = [entry.strip() for entry in row.get("phones").split(";") if entry.strip()]
    if not entries:
        return default_phones(phone, intake_phone)
    phones = []
    for entry in entries:
        match = PHONE_ENTRY.fullmatch(entry)
        kind = match.group(1).strip().lower() if match else ""
        if match is None or kind not in PHONE_KINDS:
            row.error(
                "phones",
                f"'{entry[:60]}' is not a phone like 'main: 617-555-0100' or "
                f"'intake: 617-555-0101 (Intake, second line)'; kinds: {', '.join(PHONE_KINDS)}",
            )
            continue
        number, label = match.group(2), (match.group(3) or "").strip() or PHONE_KINDS[kind]
        if len(number) > 60 or len(label) > 60 or "\x00" in entry:
            row.error("phones", f"'{entry[:60]}': a number and a label have at most 60 characters")
            continue
        phones.append((kind, number, label))
    if len(phones) > MAX_PHONES:
        row.error("phones", f"a program lists at most {MAX_PHONES} phones")
    if phone and phones and phone not in [number for _, number, _ in phones]:
        row.warn("phones", f"the phone column's {phone} is not among the phones")
    return tuple(phones)


def _record(row: Row, verified_on: dt.date | None, memo: Memo) -> ProgramRecord | None:
    key = row.get("key")
    if not KEY.fullmatch(key):
        row.error("key", f"key '{key[:70]}' must be 1-64 characters of a-z, 0-9, - and _")
    zip_code = fields.zip5(row, "zip")
    state = memo.check(fields.state, row, "state", zip_code)
    approximate = False
    location = fields.coordinates(row, "latitude", "longitude")
    if location is None and not row.get("latitude") and not row.get("longitude") and zip_code:
        location, approximate = fields.zip_centroid(row, "latitude", zip_code), True
    features = [
        (kind, value)
        for column, kind in TOKEN_COLUMNS.items()
        for value in memo.check(fields.tokens, row, column, kind)
    ]
    substance_use = fields.yes_no(row, "substance_use", True)
    if substance_use and not any(kind == "care" for kind, _ in features):
        row.error("care_levels", "a substance-use program needs at least one care level")
    rates = []
    for item, column in RATE_COLUMNS:
        if row.get(column) and (cents := memo.check(fields.money, row, column)) is not None:
            rates.append((item, *cents))
    source = row.get("source") or "finder"
    if not SOURCE.fullmatch(source):
        row.error("source", f"source '{source[:50]}' must be 1-40 characters of a-z, 0-9, - and _")
    values = dict(
        name=fields.text(row, "name", 300, required=True),
        name2=fields.text(row, "name2", 300),
        street=fields.text(row, "street", 300),
        street2=fields.text(row, "street2", 300),
        city=fields.text(row, "city", 120, required=True),
        phone=fields.text(row, "phone", 60, required=True),
        intake_phone=fields.text(row, "intake_phone", 60),
        website=fields.website(row, "website"),
        beds=fields.whole_number(row, "beds", MAX_BEDS),
        sliding_fee_schedule=memo.check(fields.schedule, row, "sliding_fee_schedule"),
        verified_on=fields.date(row, "verified_on") or verified_on,
        telehealth=fields.yes_no(row, "telehealth", False),
    )
    values["phones"] = _phones(row, values["phone"], values["intake_phone"])
    if not row.ok or location is None:
        return None
    return ProgramRecord(
        key=key,
        line=row.line,
        state=state,
        zip=zip_code,
        latitude=location[0],
        longitude=location[1],
        location_approximate=approximate,
        substance_use=substance_use,
        source=source,
        features=tuple(sorted(features)),
        rates=tuple(sorted(rates)),
        **values,
    )
