"""Money as integer cents: reading dollars, rounding products half up, formatting."""

from decimal import ROUND_HALF_UP, Decimal

from .errors import EstimateError
from .numbers import to_decimal
from .text import Cents, Text

# $100 million: any single amount above this is a typo, not a treatment price.
MAX_CENTS = 10_000_000_000


def round_half_up(value: Decimal) -> int:
    """Round a Decimal to a whole number, halves away from zero."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def cents_times(cents: int, fraction: Decimal) -> int:
    """Cents times a fraction (coinsurance, pay percent), rounded half up to the cent."""
    return round_half_up(cents * fraction)


def dollars_to_cents(value: object, field: str = "amount") -> int:
    """Dollars ("1,234.56", "$80", Decimal, int or float) as cents, rounded half up to the cent.

    Negative, non-numeric, infinite or absurdly large amounts raise EstimateError naming `field`.
    """
    dollars = to_decimal(value, field)
    if dollars < 0:
        raise EstimateError(field, Text("%(field)s cannot be negative.", field=field))
    if dollars > Decimal(MAX_CENTS) / 100:
        raise EstimateError(field, Text("%(field)s is too large.", field=field))
    return round_half_up(dollars * 100)


def cents_to_dollars(cents: int) -> Decimal:
    """Cents as a Decimal number of dollars with two places (for JSON answers)."""
    return Decimal(cents).scaleb(-2).quantize(Decimal("0.01"))


def format_dollars(cents: int) -> str:
    """Cents as "$1,234.56" ("-$5.00" when negative)."""
    return str(Cents(cents))
