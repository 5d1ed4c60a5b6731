"""Read a search from URL parameters: the same rules for the HTML pages and the JSON API."""

from dataclasses import dataclass, field
from decimal import Decimal

from werkzeug.datastructures import MultiDict

from . import vocab
from .estimator import (
    FPG_CLASSES,
    EstimateError,
    dollars_to_cents,
    to_decimal,
    whole_number,
)
from .estimator.text import Text
from .geo import Place, PlaceNotFound, resolve

RADIUS_CHOICES = (5, 10, 25, 50, 100)
DEFAULT_RADIUS = 25
MAX_RADIUS = 500
MAX_PER_PAGE = 100
SORTS = ("distance", "cost")

# parameter -> (feature kind in the database, allowed values); a sign (vocab.SIGNS) reads the
# stored kinds its token names (therapy, medication or sign), so it has no one kind.
FILTERS = {
    "setting": ("care", vocab.SETTINGS),
    "care": ("care", {**vocab.CARE_LEVELS, **vocab.CARE_GROUPS}),
    "payment": ("payment", vocab.PAYMENTS),
    "medication": ("medication", {**vocab.MEDICATIONS, **vocab.MEDICATION_GROUPS}),
    "age": ("age", vocab.AGES),
    "language": ("language", vocab.LANGUAGES),
    "special": ("special", vocab.SPECIALS),
    "sign": (None, vocab.SIGNS),
}
# A filter value that stands for several stored tokens (care=residential: every length).
GROUPS = {"care": vocab.CARE_GROUPS, "medication": vocab.MEDICATION_GROUPS}
# telehealth=true keeps the programs that offer telehealth therapy; false (or nothing) does not
# restrict: no family needs a program *without* telehealth.
TELEHEALTH = {"true": True, "false": False}


class SearchError(ValueError):
    """A parameter we cannot use; `field` names it."""

    def __init__(self, field: str, message: str, candidates: tuple[str, ...] = ()):
        super().__init__(message)
        self.field = field
        self.message = message
        # For field "near": the places a town name might mean ("Cambridge, MA", ...), or
        # the near-miss suggested for a misspelt one; never applied without the person.
        self.candidates = candidates


@dataclass(frozen=True)
class Query:
    origin: Place
    near: str
    radius: float | None  # None: any distance
    page: int = 1
    per_page: int = 20
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    coverage: str | None = None  # a payment token
    plan_terms: tuple[int, Decimal, int] | None = None  # deductible, coinsurance, oop max
    fpg: str | None = None  # the household's poverty-guideline class
    sort: str = "distance"
    telehealth: bool = False  # only programs that offer telehealth therapy

    @property
    def coinsurance_percent(self) -> str | None:
        """The coinsurance the estimates use, as the percent to show ("20", "12.5")."""
        if self.plan_terms is None:
            return None
        return format((self.plan_terms[1] * 100).normalize(), "f")

    def feature_sets(self) -> list[tuple[tuple[str, tuple[str, ...]], ...]]:
        """Each filter as its alternatives, (feature kind, accepted values) pairs: a program
        matches a filter with any value of any alternative (OR), and must match every filter
        (AND). Only sign= has several: sign=cbt,accredited is a therapy or a sign."""
        sets = []
        for name, values in self.filters.items():
            kind = FILTERS[name][0]
            if name == "sign":
                sets.append(sign_alternatives(values))
                continue
            if name == "setting":
                values = tuple(c for c, (_, s) in vocab.CARE_LEVELS.items() if s in values)
            elif name in GROUPS:
                values = tuple(
                    dict.fromkeys(token for v in values for token in GROUPS[name].get(v, (v,)))
                )
            sets.append(((kind, values),))
        return sets


def sign_alternatives(tokens) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The stored (kind, values) any of which shows one of the sign tokens, one pair per kind."""
    by_kind: dict[str, dict[str, None]] = {}
    for token in tokens:
        for kind, values in vocab.SIGNS[token][2]:
            by_kind.setdefault(kind, {}).update(dict.fromkeys(values))
    return tuple((kind, tuple(values)) for kind, values in by_kind.items())


def read_filters(args: MultiDict) -> dict[str, tuple[str, ...]]:
    """Every filter parameter, repeatable or comma-separated; unknown values are errors."""
    filters = {}
    for name, (_, allowed) in FILTERS.items():
        values = [v.strip() for raw in args.getlist(name) for v in raw.split(",") if v.strip()]
        for value in values:
            if value not in allowed:
                raise SearchError(name, _unknown(name, value, allowed))
        if values:
            filters[name] = tuple(dict.fromkeys(values))
    return filters


def read_telehealth(args: MultiDict) -> bool:
    raw = args.get("telehealth", "").strip().lower()
    if raw == "":
        return False
    if raw not in TELEHEALTH:
        raise SearchError("telehealth", Text("telehealth must be true or false."))
    return TELEHEALTH[raw]


def read_radius(raw: str | None) -> float | None:
    if raw is None or raw.strip() == "":
        return DEFAULT_RADIUS
    if raw.strip().lower() == "any":
        return None
    try:
        radius = to_decimal(raw, "radius")
    except EstimateError:
        raise SearchError("radius", Text("Radius must be a number of miles or 'any'.")) from None
    if not 1 <= radius <= MAX_RADIUS:
        raise SearchError(
            "radius", Text("Radius must be between 1 and %(max)s miles, or 'any'.", max=MAX_RADIUS)
        )
    return int(radius) if radius == radius.to_integral_value() else float(radius)


def read_positive_int(args: MultiDict, name: str, default: int, maximum: int) -> int:
    raw = args.get(name, "").strip()
    if raw == "":
        return default
    try:
        return whole_number(raw, name, 1, maximum)
    except EstimateError as exc:
        raise SearchError(name, exc.message) from None


def read_choice(args: MultiDict, name: str, allowed) -> str | None:
    value = args.get(name, "").strip()
    if value == "":
        return None
    if value not in allowed:
        raise SearchError(name, _unknown(name, value, allowed))
    return value


def _unknown(name: str, value: str, allowed) -> Text:
    return Text(
        "Unknown %(name)s '%(value)s'. Choose from: %(allowed)s.",
        name=name,
        value=value,
        allowed=", ".join(allowed),
    )


def read_coinsurance(raw: str) -> Decimal:
    """Coinsurance as people write it, as a fraction: "20", "20%" and " 20 % " are percents
    (so is any value of 1 or more, up to 100); a value below 1 ("0.2") is the fraction."""
    text = raw.strip()
    percent = text.endswith("%")
    try:
        number = to_decimal(text.removesuffix("%").strip(), "coinsurance")
    except EstimateError:
        raise SearchError(
            "coinsurance", Text("Coinsurance must be a percent such as 20 (or 20%, or 0.2).")
        ) from None
    if not 0 <= number <= 100:
        raise SearchError(
            "coinsurance", Text("Coinsurance is a percent from 0 to 100 (20 means you pay 20%).")
        )
    return number / 100 if percent or number >= 1 else number


def read_plan_terms(args: MultiDict) -> tuple[int, Decimal, int] | None:
    """Deductible, coinsurance (read_coinsurance, kept as a fraction) and out-of-pocket
    maximum: all three, or none."""
    raw = {name: args.get(name, "").strip() for name in ("deductible", "coinsurance", "oop_max")}
    if not any(raw.values()):
        return None
    missing = [name for name, value in raw.items() if not value]
    if missing:
        raise SearchError(
            missing[0], Text("Give the deductible, coinsurance and out-of-pocket maximum together.")
        )
    try:
        deductible = dollars_to_cents(raw["deductible"], "deductible")
        coinsurance = read_coinsurance(raw["coinsurance"])
        return deductible, coinsurance, dollars_to_cents(raw["oop_max"], "oop_max")
    except EstimateError as exc:
        raise SearchError(exc.field, exc.message) from None


def read_query(args: MultiDict, geocoder=None, default_per_page: int = 20) -> Query:
    """Validate every search parameter; raise SearchError naming the first bad one."""
    near = args.get("near", "").strip()
    if not near:
        raise SearchError("near", Text("Enter a ZIP code, a town and state, or coordinates."))
    try:
        origin = resolve(near, geocoder)
    except PlaceNotFound as exc:
        raise SearchError("near", exc.message, exc.candidates) from None
    return Query(
        origin=origin,
        near=near,
        radius=read_radius(args.get("radius")),
        page=read_positive_int(args, "page", 1, maximum=10**6),
        per_page=read_positive_int(args, "per_page", default_per_page, MAX_PER_PAGE),
        filters=read_filters(args),
        coverage=read_choice(args, "coverage", vocab.PAYMENTS),
        plan_terms=read_plan_terms(args),
        fpg=read_choice(args, "fpg", FPG_CLASSES),
        sort=read_choice(args, "sort", SORTS) or "distance",
        telehealth=read_telehealth(args),
    )


def larger_radii(radius: float | None) -> list[float | None]:
    """The radii to offer after an empty result, nearest first; None means any distance."""
    if radius is None:
        return []
    return [r for r in RADIUS_CHOICES if r > radius] + [None]
