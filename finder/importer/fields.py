"""Check and convert one cell at a time; every problem goes to the row with its column."""

import datetime as dt
import re
from decimal import Decimal
from urllib.parse import urlsplit

from ..estimator import EstimateError, format_sliding_schedule, parse_sliding_schedule
from ..geo import zip_info
from ..vocab import FEATURE_KINDS, STATES
from .records import Row

KIND_LABELS = {
    "care": "care level",
    "payment": "payment",
    "medication": "medication",
    "age": "age group",
    "language": "language",
    "special": "special program",
    "therapy": "therapy",
    "mh_care": "mental-health setting",
    "facility": "facility type",
    "sign": "quality sign",
    "carrier": "carrier",
}
_ZIP = re.compile(r"(\d{5})(?:-\d{4})?")
_MONEY = re.compile(r"\$?(\d{1,7}(?:\.\d{1,2})?)")
_SCHEDULE_PAIR = re.compile(r"(\d{1,4}):(\d{1,3})")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SPACE = re.compile(r"\s")  # str.isspace's characters (both are Py_UNICODE_ISSPACE)
_NO_STREET = re.compile(r"[-\s]+")  # SAMHSA's "- - -": no street address
# A website that needs no closer look (nearly all of them): http(s), a plain host name, then
# nothing or a path, query or fragment without spaces or NUL. Anything else takes the long way.
_PLAIN_WEBSITE = re.compile(r"https?://[A-Za-z0-9.-]+(?:[/?#][^\s\x00]*)?")
MAX_DOLLARS = 1_000_000
# (south, north, west, east) in degrees, a little generous at the edges.
US_BOXES = (
    (24.3, 49.5, -125.0, -66.8),  # the 48 contiguous states and DC
    (51.0, 71.6, -180.0, -129.9),  # Alaska
    (51.0, 53.1, 172.0, 180.0),  # the Aleutians west of the antimeridian
    (18.8, 22.4, -160.4, -154.7),  # Hawaii
    (17.6, 18.6, -68.0, -64.5),  # Puerto Rico and the U.S. Virgin Islands
    (13.2, 20.6, 144.6, 146.1),  # Guam and the Northern Mariana Islands
    (-14.6, -11.0, -171.2, -168.1),  # American Samoa
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Where a spreadsheet may split a cell and read each piece on its own: its list separator
# (";" in much of Europe, ","), tabs when pasted, line breaks.
_SEPARATOR = re.compile(r"([,;\t\r\n])")


def _runnable(text: str) -> bool:
    """Whether a piece starting here needs a ': a formula after any spaces or double quotes
    a spreadsheet drops, or a ' already (so that unneutralise knows which ' to remove)."""
    return text.startswith("'") or text.lstrip(' "').startswith(FORMULA_STARTS)


def neutralise(cell: str) -> str:
    """Prefix ' to the cell and to every piece after a separator that a spreadsheet would
    run as a formula ("Acme;=HYPERLINK(...)" becomes "Acme;'=HYPERLINK(...)")."""
    parts = _SEPARATOR.split(cell)  # pieces at even indices, the separators between them
    for i in range(0, len(parts), 2):
        if _runnable(parts[i] + "".join(parts[i + 1 : i + 2])):
            parts[i] = "'" + parts[i]
    return "".join(parts)


def unneutralise(cell: str) -> str:
    """Undo neutralise(): drop a piece's leading ' only where it guards what would run."""
    if "'" not in cell:  # nearly every cell: nothing was guarded
        return cell
    parts = _SEPARATOR.split(cell)
    for i in range(0, len(parts), 2):
        if parts[i].startswith("'") and _runnable(parts[i][1:] + "".join(parts[i + 1 : i + 2])):
            parts[i] = parts[i][1:]
    return "".join(parts)


def text(row: Row, column: str, max_len: int, *, required: bool = False) -> str:
    """A single-line text cell with its whitespace runs collapsed."""
    value = " ".join(row.get(column).split())
    if "\x00" in value:
        row.error(column, "contains a NUL character")
    elif len(value) > max_len:
        row.error(column, f"is longer than {max_len} characters")
    elif required and not value:
        row.error(column, "a value is required")
    else:
        return value
    return ""


def zip5(row: Row, column: str) -> str:
    """A 5-digit ZIP (ZIP+4 accepted and cut to 5 digits); "" after an error."""
    value = row.get(column)
    if not value:
        row.error(column, "a value is required")
    elif m := _ZIP.fullmatch(value):
        return m.group(1)
    else:
        row.error(column, f"ZIP code '{value}' is not 5 digits (or ZIP+4 such as 02139-4307)")
    return ""


def state(row: Row, column: str, zip_code: str) -> str:
    """A USPS state code; when the ZIP is in another state, the ZIP's state wins (a warning)."""
    value = row.get(column).upper()
    if not value:
        row.error(column, "a value is required")
        return ""
    if value not in STATES:
        row.error(column, f"'{value}' is not a U.S. state or territory code")
        return ""
    info = zip_info(zip_code) if zip_code else None
    if info and info.state in STATES and info.state != value:
        message = f"state {value} contradicts ZIP {zip_code}, which is in {info.state}"
        row.warn(column, f"{message}; using {info.state}")
        return info.state
    return value


def street_shown(row: Row, column: str, street: str) -> str:
    """The street to show: "" for SAMHSA's placeholder "- - -" (a warning), else the street."""
    if street and not _NO_STREET.fullmatch(street):
        return street
    if street:
        row.warn(column, f"street '{street}' is SAMHSA's placeholder for none: "
                 "the listing shows no street")  # fmt: skip
    return ""


def city_matches_zip(row: Row, column: str, city: str, zip_code: str) -> bool:
    """Whether the city is a name the Postal Service accepts for the ZIP; a warning if not.
    Lenient: case, punctuation, spacing and Saint/St., Mount/Mt., Fort/Ft. do not count."""
    info = zip_info(zip_code) if zip_code else None
    if not city or info is None:
        return True
    if _city_key(city) in {_city_key(name) for name in (info.city, *info.other_cities)}:
        return True
    row.warn(
        column,
        f"city '{city}' contradicts ZIP {zip_code}, which is {info.city}, {info.state}; "
        "check the address",
    )
    return False


def _city_key(city: str) -> str:
    words = re.sub(r"[^\w\s]|_", " ", city.casefold()).split()
    short = {"saint": "st", "sainte": "ste", "mount": "mt", "fort": "ft"}
    return " ".join(short.get(w, w) for w in words)


def in_us(latitude: float, longitude: float) -> bool:
    """Whether a point lies in one of the boxes around the U.S. states and territories."""
    return any(s <= latitude <= n and w <= longitude <= e for s, n, w, e in US_BOXES)


def coordinates(row: Row, lat_column: str, lon_column: str) -> tuple[float, float] | None:
    """Both coordinates inside the U.S., or None when both cells are empty (or wrong)."""
    raw_lat, raw_lon = row.get(lat_column), row.get(lon_column)
    if not raw_lat and not raw_lon:
        return None
    if not raw_lat or not raw_lon:
        row.error(
            lat_column if not raw_lat else lon_column,
            "give both latitude and longitude, or neither",
        )
        return None
    try:
        latitude, longitude = float(raw_lat), float(raw_lon)
    except ValueError:
        row.error(lat_column, f"coordinates '{raw_lat}, {raw_lon}' are not decimal degrees")
        return None
    if not in_us(latitude, longitude):
        row.error(
            lat_column,
            f"coordinates {raw_lat}, {raw_lon} are outside the U.S. states and territories",
        )
        return None
    return latitude, longitude


def zip_centroid(row: Row, column: str, zip_code: str) -> tuple[float, float] | None:
    """The ZIP's centre for a program without coordinates (a warning), or an error."""
    info = zip_info(zip_code) if zip_code else None
    # A few dozen ZIPs (PO boxes, parcel returns) have no centre: zipcodes gives them 0, 0.
    if info is None or info.state not in STATES or not in_us(info.latitude, info.longitude):
        row.error(column, f"no coordinates, and ZIP {zip_code or '(none)'} is not one we can place")
        return None
    row.warn(column, f"no coordinates: using the centre of ZIP {zip_code}, marked approximate")
    return info.latitude, info.longitude


def website(row: Row, column: str) -> str:
    """An http(s) URL; a bare "http://" is dropped with a warning."""
    value = row.get(column)
    if not value:
        return ""
    if len(value) <= 500 and _PLAIN_WEBSITE.fullmatch(value):
        return value
    if value.lower() in ("http://", "https://"):
        row.warn(column, f"'{value}' is not a website address; dropped")
        return ""
    if _SPACE.search(value):
        # SAMHSA's own file has "http://w\twww.ctcprograms.com/...": no way to tell what was meant.
        row.warn(column, f"website {value[:80]!r} has a space or tab inside it; dropped")
        return ""
    try:
        parts = urlsplit(value)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        row.error(column, f"website '{value[:80]}' is not an http:// or https:// address")
    elif len(value) > 500 or "\x00" in value:
        row.error(column, "website is longer than 500 characters or holds a NUL character")
    else:
        return value
    return ""


def tokens(row: Row, column: str, kind: str) -> list[str]:
    """A ;-separated list of tokens of one kind (carriers: free text)."""
    cell = row.get(column)
    if not cell:
        return []
    vocabulary = FEATURE_KINDS[kind]
    if vocabulary is not None:  # the usual case first: every token known, as written
        found = {v.strip().lower() for v in cell.split(";")}
        found.discard("")
        if vocabulary.keys() >= found:
            return sorted(found)
    values = [" ".join(v.split()) for v in cell.split(";")]
    values = [v if vocabulary is None else v.lower() for v in values if v]
    for value in values:
        if vocabulary is not None and value not in vocabulary:
            row.error(column, f"unknown {KIND_LABELS[kind]} '{value}'")
        elif len(value) > 120 or "\x00" in value:
            row.error(column, f"{KIND_LABELS[kind]} '{value[:40]}' is too long or has a NUL")
    return sorted(set(values))


def money(row: Row, column: str) -> tuple[int, int] | None:
    """Dollars (`650`, `650.00`) or a range (`450-750`) as (low, high) cents."""
    value = row.get(column)
    if not value:
        return None
    value = value.replace(",", "").replace(" ", "")
    if not value:
        return None
    parts = value.split("-")
    matches = [_MONEY.fullmatch(p) for p in parts]
    if len(parts) > 2 or not all(matches):
        row.error(
            column, f"'{row.get(column)}' is not an amount of money like 650, 650.00 or 450-750"
        )
        return None
    cents = [int(Decimal(m.group(1)) * 100) for m in matches]
    low, high = cents[0], cents[-1]
    if low > high or high > MAX_DOLLARS * 100:
        row.error(
            column,
            f"'{row.get(column)}' is not a range from low to high (at most ${MAX_DOLLARS:,})",
        )
        return None
    return low, high


def schedule(row: Row, column: str) -> str:
    """A sliding-fee schedule `100:0;125:20;...` in its canonical form. The estimator's parser
    holds the rules (bounds rising, pay 0-100 and never falling); a file may use only whole
    numbers."""
    value = row.get(column).replace(" ", "")
    if not value:
        return ""
    try:
        if not all(_SCHEDULE_PAIR.fullmatch(p) for p in value.strip(";").split(";")):
            raise EstimateError(column, "give upper:pay pairs such as 100:0;125:20;150:40")
        bands = parse_sliding_schedule(value, column)
        if bands[0].upper_percent <= 0:
            raise EstimateError(column, "the first class must end above 0% of the guideline")
    except EstimateError as exc:
        row.error(column, f"bad sliding schedule '{row.get(column)[:60]}': {exc.message}")
        return ""
    canonical = format_sliding_schedule(bands)
    if len(canonical) > 200:
        row.error(column, "sliding schedule is longer than 200 characters")
        return ""
    return canonical


def date(row: Row, column: str) -> dt.date | None:
    """A YYYY-MM-DD date, or None when empty."""
    value = row.get(column)
    if not value:
        return None
    try:
        if not _DATE.fullmatch(value):
            raise ValueError
        return dt.date.fromisoformat(value)
    except ValueError:
        row.error(column, f"'{value}' is not a date like 2025-08-19")
        return None


def whole_number(row: Row, column: str, maximum: int) -> int | None:
    """A count from 0 to `maximum`, or None when empty."""
    value = row.get(column)
    if not value:
        return None
    if len(value) > 9 or not value.isascii() or not value.isdigit() or int(value) > maximum:
        row.error(column, f"'{value}' is not a whole number from 0 to {maximum:,}")
        return None
    return int(value)


def yes_no(row: Row, column: str, default: bool) -> bool:
    """yes/no (also y/n, true/false, 1/0); `default` when empty."""
    value = row.get(column).lower()
    if not value:
        return default
    if value in ("yes", "y", "true", "1"):
        return True
    if value in ("no", "n", "false", "0"):
        return False
    row.error(column, f"'{row.get(column)}' is not yes or no")
    return default


def dollars(low_cents: int, high_cents: int) -> str:
    """Cents back to the CSV's money form: `650`, `650.50` or `450-750`."""

    def one(cents: int) -> str:
        return str(cents // 100) if cents % 100 == 0 else f"{cents // 100}.{cents % 100:02d}"

    return one(low_cents) if low_cents == high_cents else f"{one(low_cents)}-{one(high_cents)}"
