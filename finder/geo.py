"""Resolve a place offline (a ZIP, a town with or without its state, coordinates) and measure
distances."""

import bisect
import functools
import math
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, NamedTuple

import zipcodes

from . import towns
from .estimator.text import N_, Text

ACCEPTED_FORMS = N_(
    'a 5-digit ZIP code (02139), a ZIP+4 (02139-4307), a town and state ("Cambridge, MA"), '
    'a town alone ("Cambridge") or coordinates ("42.36, -71.10")'
)
# geopy's great-circle sphere (geopy.distance.EARTH_RADIUS, km), written out: importing geopy
# imports its thirty geocoders, which only the optional street-address search needs.
EARTH_RADIUS = 6371.009
EARTH_RADIUS_MILES = EARTH_RADIUS / 1.609344
# ASCII digits only (\d alone also matches '٤٢'), and coordinates to at most 12 decimals.
# A ZIP, its +4 with or without the hyphen, and a town before or after it ("02108 Boston",
# "Boston, MA 02108"): the ZIP alone says where.
_ZIP = re.compile(r"(\d{5})(?:-?\d{4})?", re.ASCII)
_ZIP_AND_TOWN = re.compile(r"(\d{5})(?:-?\d{4})?[\s,]+\D.*|.*\D[\s,]+(\d{5})(?:-?\d{4})?", re.ASCII)
_LATLON = re.compile(
    r"([-+]?\d{1,3}(?:\.\d{1,12})?)(?:\s*,\s*|\s+)([-+]?\d{1,3}(?:\.\d{1,12})?)", re.ASCII
)


class PlaceNotFound(ValueError):
    """The text names no place we can find offline. `candidates` ("Town, ST" labels) are the
    towns it may mean: several of one name, or the near-misses of a misspelt one. `message`
    is a Text (finder.estimator.text): the page shows it in its language."""

    def __init__(self, message: str, candidates: tuple[str, ...] = ()):
        super().__init__(message)
        self.message = message
        self.candidates = candidates


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
    # The other names the Postal Service accepts for the ZIP's city (zipcodes'
    # acceptable_cities): "Cambridge" for 02138 is the city, "Harvard Sq" another.
    other_cities: tuple[str, ...] = ()

    @property
    def standard(self) -> bool:
        return self.zip_type == "STANDARD"


# Where the compact table is kept (the instance folder, set by init_app): the `zipcodes`
# package takes a second or more to hand over its 42,000 records, this file a hundredth.
_table_folder: Path | None = None
# The table's format, in its file name with the package's version: change it whenever what the
# table holds, or the rule that reads it, changes, so that a table already in an instance
# folder is built again rather than read with the new rule. 2: each ZIP's type. 3: a header
# line, then the ZIPs, then each town's point (town_point, worked out when the table is built),
# each part sorted by its key. 4: each ZIP's other accepted city names. 5: town keys fold accents
# and punctuation (towns.town_key), and a third part, each town name's states.
TABLE_FORMAT = 5
_TABLE_PREFIX = "zip-centroids-"
_HEADER = "finder zip table"


def init_app(app) -> None:
    global _table_folder
    _table_folder = Path(app.instance_path)
    app.extensions["geocoder"] = online_geocoder(app.config)


def _table_file() -> Path | None:
    if _table_folder is None:
        return None
    return _table_folder / f"{_TABLE_PREFIX}{zipcodes.__version__}-v{TABLE_FORMAT}.tsv"


class _Lines(Mapping):
    """A read-only mapping over the lines of the table file, sorted by their keys: a lookup is
    a binary search, and only the line found becomes a value (a ZipInfo, a Place). Reading the
    file then costs a list of strings, not 70,000 objects made for the one a search needs."""

    def __init__(self, lines: list[str], key: Callable[[str], str], parse: Callable[[str], Any]):
        self.lines = lines
        self._key = key
        self._parse = parse

    def __getitem__(self, key: str):
        i = bisect.bisect_left(self.lines, key, key=self._key)
        if i == len(self.lines) or self._key(self.lines[i]) != key:
            raise KeyError(key)
        return self._parse(self.lines[i])

    def __iter__(self):
        return map(self._key, self.lines)

    def __len__(self) -> int:
        return len(self.lines)

    @functools.cached_property
    def key_list(self) -> list[str]:
        """Every key, in order, made once: a near-miss search compares them all (0.6 ms for
        18,000 town names, against 3 ms when each search cuts them from the lines again)."""
        return list(self)


def _zip_key(line: str) -> str:
    return line[:5]


def _town_key(line: str) -> str:
    # A town line starts "ST<tab>town key<tab>": its key is what precedes the second tab.
    return line[: line.find("\t", 3)]


def _name_key(line: str) -> str:
    return line[: line.find("\t")]


def _states_from_line(line: str) -> tuple[str, ...]:
    return tuple(line[line.find("\t") + 1 :].split(" "))


def _zip_from_line(line: str) -> ZipInfo:
    zip5, city, state, lat, lon, zip_type, others = line.split("\t")
    others_tuple = tuple(others.split("|")) if others else ()
    return ZipInfo(zip5, city, state, float(lat), float(lon), zip_type, others_tuple)


def _town_from_line(line: str) -> Place:
    state, _, lat, lon, label = line.split("\t")
    return Place(float(lat), float(lon), label, state)


def _zip_line(z: ZipInfo) -> str:
    fields = (z.zip, z.city, z.state, repr(z.latitude), repr(z.longitude), z.zip_type)
    return "\t".join((*fields, "|".join(z.other_cities)))


def _town_line(key: tuple[str, str], town: Place) -> str:
    return f"{key[1]}\t{key[0]}\t{town.latitude!r}\t{town.longitude!r}\t{town.label}"


class _Tables(NamedTuple):
    zips: Mapping[str, ZipInfo]  # by the five digits
    towns: _Lines  # Place by "ST<tab>town key" (_city_key)
    # By town key, the states that have a town of that name, the one with most ZIPs first.
    names: _Lines


def _parse_table(text: str) -> _Tables | None:
    """The ZIPs and the towns of a table file's text, or None when it is not a whole table of
    this format (damaged, or written by another version: build it again)."""
    lines = text.splitlines()
    head = lines[0].split("\t") if lines else []
    if len(head) != 5 or head[:2] != [_HEADER, str(TABLE_FORMAT)]:
        return None
    try:
        zip_count, town_count, name_count = map(int, head[2:])
    except ValueError:
        return None
    if zip_count < 1 or len(lines) != 1 + zip_count + town_count + name_count:
        return None
    names_start = 1 + zip_count + town_count
    return _Tables(
        _Lines(lines[1 : 1 + zip_count], _zip_key, _zip_from_line),
        _Lines(lines[1 + zip_count : names_start], _town_key, _town_from_line),
        _Lines(lines[names_start:], _name_key, _states_from_line),
    )


def _build_table() -> str:
    """The table's text, from the `zipcodes` package: every ZIP with a point, every town, then
    each town name's states."""
    table = {
        z["zip_code"]: ZipInfo(
            z["zip_code"],
            z["city"],
            z["state"],
            float(z["lat"]),
            float(z["long"]),
            z["zip_code_type"],
            tuple(z["acceptable_cities"]),
        )
        for z in zipcodes.list_all()
        # ~40 PO-box and military ZIPs carry the placeholder point 0,0: not a place.
        if z["lat"] and z["long"] and (float(z["lat"]), float(z["long"])) != (0.0, 0.0)
    }
    cities: dict[tuple[str, str], list[ZipInfo]] = {}
    for info in table.values():
        cities.setdefault((_city_key(info.city), info.state), []).append(info)
    town_lines = [
        _town_line(key, Place(*town_point(zips), f"{zips[0].city}, {key[1]}", key[1]))
        for key, zips in cities.items()
    ]
    states: dict[str, list[tuple[int, str]]] = {}
    for (key, state), zips in cities.items():
        states.setdefault(key, []).append((-len(zips), state))
    names = [f"{key}\t{' '.join(s for _, s in sorted(found))}" for key, found in states.items()]
    header = f"{_HEADER}\t{TABLE_FORMAT}\t{len(table)}\t{len(town_lines)}\t{len(names)}"
    zip_lines = sorted(map(_zip_line, table.values()), key=_zip_key)
    parts = (zip_lines, sorted(town_lines, key=_town_key), sorted(names, key=_name_key))
    return "\n".join([header, *(line for part in parts for line in part)]) + "\n"


def _write_table_file(path: Path, text: str) -> None:
    """Write the table next to its final name, then move it there: a reader never sees half.
    Tables of other versions or formats are removed: nothing reads them any more."""
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    try:
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
        for stale in path.parent.glob(f"{_TABLE_PREFIX}*.tsv"):
            if stale != path:
                stale.unlink(missing_ok=True)
    except OSError:  # a read-only instance folder: read the package again next time
        partial.unlink(missing_ok=True)


@functools.cache
def _table() -> _Tables:
    path = _table_file()
    try:
        parsed = _parse_table(path.read_text(encoding="utf-8")) if path is not None else None
    except (OSError, UnicodeDecodeError):
        parsed = None
    if parsed is None:
        text = _build_table()
        if path is not None:
            _write_table_file(path, text)
        parsed = _parse_table(text)
    return parsed


def _zip_table() -> Mapping[str, ZipInfo]:
    """Every ZIP code with a point, by its five digits."""
    return _table().zips


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


def _city_table() -> Mapping[str, Place]:
    """Each town by "ST<tab>town key", at its point (town_point), labelled "Town, ST"."""
    return _table().towns


def _city_key(city: str) -> str:
    return towns.town_key(city)


def load_tables() -> None:
    """Read the ZIP and town table now rather than on the first search."""
    _table()


def zip_info(zip5: str) -> ZipInfo | None:
    """The centroid, city and state of a 5-digit ZIP code, or None when unknown."""
    return _zip_table().get(zip5)


def resolve(text: str, geocoder=None) -> Place:
    """Turn what a visitor typed into a point, offline; raise PlaceNotFound otherwise (with the
    towns it may mean, for a town name found in several states or misspelt)."""
    text = " ".join(text.split())
    if not text:
        raise PlaceNotFound(Text("Enter a place: %(forms)s.", forms=ACCEPTED_FORMS))
    if m := _ZIP.fullmatch(text) or _ZIP_AND_TOWN.fullmatch(text):
        zip5 = m.group(1) or m.group(2)
        info = zip_info(zip5)
        if info is None:
            raise PlaceNotFound(
                Text(
                    "%(zip)s is not a ZIP code we know. Try %(forms)s.",
                    zip=zip5,
                    forms=ACCEPTED_FORMS,
                )
            )
        return Place(
            info.latitude, info.longitude, f"{info.zip} ({info.city}, {info.state})", info.state
        )
    if m := _LATLON.fullmatch(text):
        lat, lon = float(m.group(1)), float(m.group(2))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise PlaceNotFound(
                Text("Latitude must be between -90 and 90, longitude between -180 and 180.")
            )
        return Place(lat, lon, f"{lat:.4f}, {lon:.4f}")
    town = _find_town(text)
    if isinstance(town, Place):
        return town
    if town is not None:  # a town of several states, or a near-miss: the visitor chooses
        raise town
    if geocoder is not None:
        from geopy.exc import GeopyError

        try:
            found = geocoder.geocode(text, country_codes="us", timeout=5)
        except GeopyError:
            found = None
        if found is not None:
            return Place(found.latitude, found.longitude, found.address)
    raise PlaceNotFound(
        Text('We could not find "%(text)s". Try %(forms)s.', text=text, forms=ACCEPTED_FORMS)
    )


def _find_town(text: str) -> Place | PlaceNotFound | None:
    """The town the text names; else the error that offers the towns it may mean (one name in
    several states, or near-misses: never chosen for the visitor); else None."""
    split = towns.split_state(text)
    if split is None:
        return None
    name, state = split
    key = _city_key(name)
    if state is None:
        if (found := _town_named(key)) is not None:
            return found
        if towns.state_code(text):  # "Virginia" is a town in Minnesota; "Massachusetts" is not
            return PlaceNotFound(
                Text(
                    '"%(text)s" is a state: put a town before it ("Town, %(code)s"), '
                    "or type a ZIP code.",
                    text=text,
                    code=towns.state_code(text),
                )
            )
        return _did_you_mean(text, _near_miss_labels(key))
    place = _city_table().get(f"{state}\t{key}")
    if place is not None:
        return place
    if "," not in text and (whole := _town_named(_city_key(text))):
        return whole  # "Fort Washington": a town, not Fort in Washington
    in_state = [f"{state}\t{k}" for k in towns.near_misses(key, _town_keys(state))]
    candidates = [_city_table()[k].label for k in in_state] or _labels(key)
    return _did_you_mean(text, candidates)


def _town_named(key: str) -> Place | PlaceNotFound | None:
    """The one town of that name in the country, or the error listing the states that have
    one (most ZIP codes first), or None."""
    states = _table().names.get(key)
    if states is None:
        return None
    if len(states) == 1:
        return _city_table()[f"{states[0]}\t{key}"]
    labels = _labels(key)
    town = labels[0].rpartition(", ")[0]
    if len(states) > len(labels):
        message = Text(
            "%(states)s states have a town called %(town)s. Which one do you mean?"
            " These are the %(shown)s with the most ZIP codes; for another, add its state"
            ' ("%(town)s, %(last)s").',
            states=len(states),
            town=town,
            shown=len(labels),
            last=states[-1],
        )
    else:
        message = Text(
            "%(states)s states have a town called %(town)s. Which one do you mean?",
            states=len(states),
            town=town,
        )
    return PlaceNotFound(message, tuple(labels))


def _labels(key: str) -> list[str]:
    """ "Town, ST" for the states that have a town of that key, most ZIP codes first."""
    states = _table().names.get(key, ())[: towns.MAX_CANDIDATES]
    return [_city_table()[f"{state}\t{key}"].label for state in states]


def _near_miss_labels(key: str) -> list[str]:
    names = _table().names
    labels = [label for k in towns.near_misses(key, names.key_list) for label in _labels(k)]
    return labels[: towns.MAX_CANDIDATES]


def _town_keys(state: str) -> list[str]:
    """The keys of a state's towns: the table's town lines are sorted by state, then key."""
    lines = _table().towns.lines
    start = bisect.bisect_left(lines, f"{state}\t", key=_town_key)
    end = bisect.bisect_left(lines, f"{state}\t\U0010ffff", lo=start, key=_town_key)
    return [_town_key(line)[3:] for line in lines[start:end]]


def _did_you_mean(text: str, candidates: list[str]) -> PlaceNotFound | None:
    if not candidates:
        return None
    if len(candidates) == 1:
        return PlaceNotFound(
            Text(
                'We could not find "%(text)s". Did you mean %(town)s?',
                text=text,
                town=candidates[0],
            ),
            tuple(candidates),
        )
    return PlaceNotFound(
        Text('We could not find "%(text)s". Did you mean one of these?', text=text),
        tuple(candidates),
    )


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
