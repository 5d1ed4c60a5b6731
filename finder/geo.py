"""Resolve a place offline (ZIP, ZIP+4, "City, ST", "lat,lon") and measure distances."""

import functools
import math
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import zipcodes
from geopy.distance import EARTH_RADIUS
from geopy.exc import GeopyError

ACCEPTED_FORMS = (
    'a 5-digit ZIP code (02139), a ZIP+4 (02139-4307), a town and state ("Cambridge, MA") '
    'or coordinates ("42.36, -71.10")'
)
EARTH_RADIUS_MILES = EARTH_RADIUS / 1.609344  # geopy's great-circle sphere
# ASCII digits only (\d alone also matches '٤٢'), and coordinates to at most 12 decimals.
_ZIP = re.compile(r"(\d{5})(?:-\d{4})?", re.ASCII)
_LATLON = re.compile(r"([-+]?\d{1,3}(?:\.\d{1,12})?)\s*,\s*([-+]?\d{1,3}(?:\.\d{1,12})?)", re.ASCII)
_CITY_STATE = re.compile(r"(.+?)\s*,\s*([A-Za-z]{2})\.?")


class PlaceNotFound(ValueError):
    """The text names no place we can find offline."""


@dataclass(frozen=True)
class Place:
    latitude: float
    longitude: float
    label: str
    state: str | None = None


@dataclass(frozen=True)
class ZipInfo:
    zip: str
    city: str
    state: str
    latitude: float
    longitude: float
    # The `zipcodes` package's zip_code_type: STANDARD (a delivery area), PO BOX, UNIQUE (one
    # firm or building) or MILITARY.
    zip_type: str = "STANDARD"

    @property
    def standard(self) -> bool:
        return self.zip_type == "STANDARD"


# Where the compact ZIP table is kept (the instance folder, set by init_app): the `zipcodes`
# package takes a second or more to hand over its 42,000 records, this file a few hundredths.
_table_folder: Path | None = None
# The table's format, in its file name with the package's version: change it whenever what the
# table holds, or the rule that reads it, changes, so that a table already in an instance
# folder is built again rather than read with the new rule. 2: each ZIP's type.
TABLE_FORMAT = 2
_TABLE_PREFIX = "zip-centroids-"


def init_app(app) -> None:
    global _table_folder
    _table_folder = Path(app.instance_path)
    app.extensions["geocoder"] = online_geocoder(app.config)


def _table_file() -> Path | None:
    if _table_folder is None:
        return None
    return _table_folder / f"{_TABLE_PREFIX}{zipcodes.__version__}-v{TABLE_FORMAT}.tsv"


def _read_zip_file(path: Path) -> dict[str, ZipInfo] | None:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None
    table = {}
    try:
        for line in text.splitlines():
            zip5, city, state, lat, lon, zip_type = line.split("\t")
            table[zip5] = ZipInfo(zip5, city, state, float(lat), float(lon), zip_type)
    except ValueError:  # not a file we wrote: build it again
        return None
    return table or None


def _write_zip_file(path: Path, table: dict[str, ZipInfo]) -> None:
    """Write the table next to its final name, then move it there: a reader never sees half.
    Tables of other versions or formats are removed: nothing reads them any more."""
    lines = "".join(
        f"{z.zip}\t{z.city}\t{z.state}\t{z.latitude!r}\t{z.longitude!r}\t{z.zip_type}\n"
        for z in table.values()
    )
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    try:
        partial.write_text(lines, encoding="utf-8")
        os.replace(partial, path)
        for stale in path.parent.glob(f"{_TABLE_PREFIX}*.tsv"):
            if stale != path:
                stale.unlink(missing_ok=True)
    except OSError:  # a read-only instance folder: read the package again next time
        partial.unlink(missing_ok=True)


@functools.cache
def _zip_table() -> dict[str, ZipInfo]:
    path = _table_file()
    table = _read_zip_file(path) if path is not None else None
    if table is None:
        table = {
            z["zip_code"]: ZipInfo(
                z["zip_code"],
                z["city"],
                z["state"],
                float(z["lat"]),
                float(z["long"]),
                z["zip_code_type"],
            )
            for z in zipcodes.list_all()
            # ~40 PO-box and military ZIPs carry the placeholder point 0,0: not a place.
            if z["lat"] and z["long"] and (float(z["lat"]), float(z["long"])) != (0.0, 0.0)
        }
        if path is not None:
            _write_zip_file(path, table)
    return table


def town_point(zips: list[ZipInfo]) -> tuple[float, float]:
    """Where a town is: the centre (mean latitude and longitude) of its standard ZIP codes.

    PO-box, unique and military ZIPs carry a placeholder point, often the main post office's or
    one shared by a whole city (six of Boston's sit in the harbour), so they count only for a
    town that has no standard ZIP at all.
    """
    standard = [z for z in zips if z.standard] or zips
    return (
        sum(z.latitude for z in standard) / len(standard),
        sum(z.longitude for z in standard) / len(standard),
    )


@functools.cache
def _city_table() -> dict[tuple[str, str], Place]:
    """Each ("town key", state) and its point (town_point), labelled "Town, ST"."""
    cities: dict[tuple[str, str], list[ZipInfo]] = {}
    for info in _zip_table().values():
        cities.setdefault((_city_key(info.city), info.state), []).append(info)
    return {
        key: Place(*town_point(zips), f"{zips[0].city}, {key[1]}", key[1])
        for key, zips in cities.items()
    }


def _city_key(city: str) -> str:
    return " ".join(city.replace(".", " ").casefold().split()).replace("saint ", "st ")


def load_tables() -> None:
    """Read the ZIP and town tables now rather than on the first search (about half a second)."""
    _city_table()


def zip_info(zip5: str) -> ZipInfo | None:
    """The centroid, city and state of a 5-digit ZIP code, or None when unknown."""
    return _zip_table().get(zip5)


def resolve(text: str, geocoder=None) -> Place:
    """Turn what a visitor typed into a point, offline; raise PlaceNotFound otherwise."""
    text = " ".join(text.split())
    if not text:
        raise PlaceNotFound(f"Enter a place: {ACCEPTED_FORMS}.")
    if m := _ZIP.fullmatch(text):
        info = zip_info(m.group(1))
        if info is None:
            raise PlaceNotFound(f"{m.group(1)} is not a ZIP code we know. Try {ACCEPTED_FORMS}.")
        return Place(
            info.latitude, info.longitude, f"{info.zip} ({info.city}, {info.state})", info.state
        )
    if m := _LATLON.fullmatch(text):
        lat, lon = float(m.group(1)), float(m.group(2))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise PlaceNotFound(
                "Latitude must be between -90 and 90, longitude between -180 and 180."
            )
        return Place(lat, lon, f"{lat:.4f}, {lon:.4f}")
    if m := _CITY_STATE.fullmatch(text):
        town = _city_table().get((_city_key(m.group(1)), m.group(2).upper()))
        if town is not None:
            return town
    if geocoder is not None:
        try:
            found = geocoder.geocode(text, country_codes="us", timeout=5)
        except GeopyError:
            found = None
        if found is not None:
            return Place(found.latitude, found.longitude, found.address)
    raise PlaceNotFound(f'We could not find "{text}". Try {ACCEPTED_FORMS}.')


def online_geocoder(config: dict):
    """The optional street-address geocoder (off unless GEOCODER is set): an address typed
    into the search then leaves this server, so the privacy notice must say so."""
    if config.get("GEOCODER") != "nominatim":
        return None
    from geopy.geocoders import Nominatim

    return Nominatim(
        user_agent=config["GEOCODER_USER_AGENT"], domain=config.get("GEOCODER_DOMAIN") or None
    )


def distance_miles(origin: Place, latitude: float, longitude: float) -> float:
    return distances_from(origin)(latitude, longitude)


def distances_from(origin: Place) -> Callable[[float, float], float]:
    """A function (latitude, longitude) -> great-circle miles from the origin: geopy's
    `great_circle` formula to the last bit, without building two geopy Points per call (a
    search measures hundreds of candidates)."""
    lat1, lon1 = math.radians(origin.latitude), math.radians(origin.longitude)
    sin_lat1, cos_lat1 = math.sin(lat1), math.cos(lat1)
    sin, cos, atan2, sqrt, radians = math.sin, math.cos, math.atan2, math.sqrt, math.radians

    def miles(latitude: float, longitude: float) -> float:
        lat2 = radians(latitude)
        sin_lat2, cos_lat2 = sin(lat2), cos(lat2)
        delta = radians(longitude) - lon1
        cos_delta, sin_delta = cos(delta), sin(delta)
        arc = atan2(
            sqrt(
                (cos_lat2 * sin_delta) ** 2
                + (cos_lat1 * sin_lat2 - sin_lat1 * cos_lat2 * cos_delta) ** 2
            ),
            sin_lat1 * sin_lat2 + cos_lat1 * cos_lat2 * cos_delta,
        )
        return EARTH_RADIUS * arc / 1.609344

    return miles


def round_miles(miles: float) -> Decimal:
    """Miles to a tenth, rounded half up (what both the page and the API show)."""
    return Decimal(repr(miles)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def bounding_box(origin: Place, radius_miles: float) -> tuple[float, float, float, float] | None:
    """The smallest latitude/longitude box that holds the circle, widened by a hair against
    rounding, or None where a box would not help (near a pole or across the antimeridian)."""
    angle = radius_miles / EARTH_RADIUS_MILES  # radians of arc
    cos_lat = math.cos(math.radians(origin.latitude))
    if angle >= math.pi / 2 or math.sin(angle) >= cos_lat:
        return None
    dlat = math.degrees(angle) + 0.001
    dlon = math.degrees(math.asin(math.sin(angle) / cos_lat)) + 0.001
    west, east = origin.longitude - dlon, origin.longitude + dlon
    if west < -180 or east > 180 or abs(origin.latitude) + dlat >= 90:
        return None
    return origin.latitude - dlat, origin.latitude + dlat, west, east
