"""Sliding-fee schedules: parsing, the default schedule, pay percent and income classes."""

from decimal import Decimal
from fractions import Fraction

from .errors import EstimateError
from .model import SlidingClass
from .numbers import to_decimal
from .text import N_, Text

# The default (HRSA-style) schedule: pay 0% at or below 100% of the guideline, then 20, 40,
# 60, 80%, and the full charge above 200%.
DEFAULT_SCHEDULE = tuple(
    SlidingClass(Decimal(upper), Decimal(pay))
    for upper, pay in ((100, 0), (125, 20), (150, 40), (175, 60), (200, 80))
)
# Income classes carried by search URLs instead of income: token -> (above, up to) percent.
FPG_CLASSES = {
    "0-100": (None, 100),
    "101-125": (100, 125),
    "126-150": (125, 150),
    "151-175": (150, 175),
    "176-200": (175, 200),
    "201+": (200, None),
}
FULL = Decimal(100)


def fpg_class(percent: Fraction | Decimal) -> str:
    """The search class of a poverty-guideline percent: "0-100" (at or below 100) ... "201+"."""
    for token, (_, upper) in FPG_CLASSES.items():
        if upper is None or percent <= upper:
            return token
    raise AssertionError("unreachable: the last class has no upper bound")


def pay_percent(percent: Fraction | Decimal, schedule: tuple[SlidingClass, ...]) -> Decimal:
    """The percent of the charge paid at `percent` of the guideline (bounds are inclusive)."""
    exact = Fraction(percent)
    for band in schedule:
        if exact <= Fraction(band.upper_percent):
            return band.pay_percent
    return FULL


def pay_percent_range(token: str, schedule: tuple[SlidingClass, ...]) -> tuple[Decimal, Decimal]:
    """Lowest and highest pay percent the schedule charges anywhere in an income class."""
    above, upper = FPG_CLASSES[token]
    pays, previous = [], None
    for band in (*schedule, SlidingClass(Decimal("Infinity"), FULL)):
        starts_below_class_end = upper is None or previous is None or previous < upper
        ends_above_class_start = above is None or band.upper_percent > above
        if starts_below_class_end and ends_above_class_start:
            pays.append(band.pay_percent)
        previous = band.upper_percent
    return min(pays), max(pays)


def check_schedule(schedule: tuple[SlidingClass, ...], field: str) -> tuple[SlidingClass, ...]:
    """The schedule with Decimal numbers; EstimateError if empty, unordered or out of range."""
    if not schedule:
        raise EstimateError(field, N_("A sliding-fee schedule needs at least one class."))
    checked, previous_upper, previous_pay = [], Decimal(0), Decimal(0)
    for band in schedule:
        upper = to_decimal(band.upper_percent, field)
        pay = to_decimal(band.pay_percent, field)
        if upper < 0 or (checked and upper <= previous_upper):
            raise EstimateError(
                field, N_("Sliding-fee class bounds must rise from one class to the next.")
            )
        if not 0 <= pay <= 100:
            raise EstimateError(field, N_("A sliding-fee pay percent must be from 0 to 100."))
        if pay < previous_pay:
            raise EstimateError(field, N_("A sliding fee cannot charge less as income rises."))
        checked.append(SlidingClass(upper, pay))
        previous_upper, previous_pay = upper, pay
    return tuple(checked)


def parse_sliding_schedule(
    text: str, field: str = "sliding_fee_schedule"
) -> tuple[SlidingClass, ...]:
    """Parse "100:0;125:20;150:40": (upper % of the guideline, inclusive : % paid) classes.

    Above the last bound the full charge is paid. Bad text raises EstimateError naming `field`.
    """
    if not isinstance(text, str) or not text.strip():
        raise EstimateError(field, N_("The sliding-fee schedule is empty."))
    classes = []
    for part in text.strip().strip(";").split(";"):
        upper, colon, pay = part.partition(":")
        if not colon or not upper.strip() or not pay.strip():
            raise EstimateError(
                field,
                Text('%(part)s is not a class like "125:20".', part=repr(part.strip())),
            )
        classes.append(SlidingClass(to_decimal(upper, field), to_decimal(pay, field)))
    return check_schedule(tuple(classes), field)


def format_sliding_schedule(schedule: tuple[SlidingClass, ...]) -> str:
    """The schedule as "100:0;125:20;150:40" (the inverse of parse_sliding_schedule)."""
    return ";".join(f"{_plain(band.upper_percent)}:{_plain(band.pay_percent)}" for band in schedule)


def _plain(number: Decimal) -> str:
    return format(Decimal(number).normalize(), "f")
