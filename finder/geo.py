"""Resolve a place offline (ZIP, ZIP+4, "City, ST", "lat,lon") and measure distances."""

import functools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

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


@functools.cache
def _zip_table() -> dict[str, ZipInfo]:
    return {
        z["zip_code"]: ZipInfo(
            z["zip_code"], z["city"], z["state"], float(z["lat"]), float(z["long"])
        )
        for z in zipcodes.list_all()
        # ~40 PO-box and military ZIPs carry the placeholder point 0,0: not a place.
        if z["lat"] and z["long"] and (float(z["lat"]), float(z["long"])) != (0.0, 0.0)
    }


@functools.cache
def _city_table() -> dict[tuple[str, str], list[ZipInfo]]:
    cities: dict[tuple[str, str], list[ZipInfo]] = {}
    for info in _zip_table().values():
        cities.setdefault((_city_key(info.city), info.state), []).append(info)
    return cities


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
        state = m.group(2).upper()
        zips = _city_table().get((_city_key(m.group(1)), state))
        if zips:
            lat = sum(z.latitude for z in zips) / len(zips)
            lon = sum(z.longitude for z in zips) / len(zips)
            return Place(lat, lon, f"{zips[0].city}, {state}", state)
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
