"""Numbers as people type them and as JSON carries them: the one reader for whole numbers
and decimals, for the search, the estimate form and the JSON API alike.

Typed numbers are ASCII digits, bounded in length: Python's int() and Decimal() also read
'²', '①', '١٠', '1_000', '1e999999', 'sNaN' and 'Infinity', which no one means as an amount.
"""

import math
import re
from decimal import Decimal

from .errors import EstimateError

MAX_TYPED = 30  # characters: more than any count, rate or amount anyone types
_WHOLE = re.compile(r"[0-9]+")
_DECIMAL = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


def whole_number(
    value: object, field: str, minimum: int | None = None, maximum: int | None = None
) -> int:
    """An int (not a bool), or ASCII digits as text; from `minimum` to `maximum` if given."""
    if isinstance(value, str):
        text = value.strip()
        if len(text) > MAX_TYPED or not _WHOLE.fullmatch(text):
            raise EstimateError(field, f"{field} must be a whole number, written in digits.")
        value = int(text)
    if isinstance(value, bool) or not isinstance(value, int):
        raise EstimateError(field, f"{field} must be a whole number.")
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        low = "" if minimum is None else f" from {minimum}"
        high = "" if maximum is None else f" to {maximum}"
        raise EstimateError(field, f"{field} must be a whole number{low}{high}.")
    return value


def to_decimal(value: object, field: str) -> Decimal:
    """A finite Decimal from an int, a finite float (via its shortest repr), a finite Decimal,
    or text: ASCII digits with at most one point, an optional leading minus, "$" and
    thousands commas ("$1,234.56"); no exponent, NaN or Infinity."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise EstimateError(field, f"{field} must be a number.")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        value = Decimal(repr(value)) if math.isfinite(value) else Decimal("NaN")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise EstimateError(field, f"{field} must be a finite number.")
        return value
    text = value.strip().replace(",", "").removeprefix("$")
    if len(text) > MAX_TYPED:
        raise EstimateError(field, f"{field} is too long to be an amount.")
    if not _DECIMAL.fullmatch(text):
        raise EstimateError(field, f"{field} must be a number, not {value.strip()!r}.")
    return Decimal(text)
