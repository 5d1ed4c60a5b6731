"""Numbers as people type them and as JSON carries them: the one reader for whole numbers
and decimals, for the search, the estimate form and the JSON API alike.

Typed numbers are ASCII digits, bounded in length: Python's int() and Decimal() also read
'²', '①', '١٠', '1_000', '1e999999', 'sNaN' and 'Infinity', which no one means as an amount.
"""

import math
import re
from decimal import Decimal

from .errors import EstimateError
from .text import Text

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
            raise EstimateError(
                field, Text("%(field)s must be a whole number, written in digits.", field=field)
            )
        value = int(text)
    if isinstance(value, bool) or not isinstance(value, int):
        raise EstimateError(field, Text("%(field)s must be a whole number.", field=field))
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise EstimateError(field, _out_of_range(field, minimum, maximum))
    return value


def _out_of_range(field: str, minimum: int | None, maximum: int | None) -> Text:
    if minimum is not None and maximum is not None:
        return Text(
            "%(field)s must be a whole number from %(minimum)s to %(maximum)s.",
            field=field,
            minimum=minimum,
            maximum=maximum,
        )
    if minimum is not None:
        return Text(
            "%(field)s must be a whole number from %(minimum)s.", field=field, minimum=minimum
        )
    return Text("%(field)s must be a whole number to %(maximum)s.", field=field, maximum=maximum)


def to_decimal(value: object, field: str) -> Decimal:
    """A finite Decimal from an int, a finite float (via its shortest repr), a finite Decimal,
    or text: ASCII digits with at most one point, an optional leading minus, "$" and
    thousands commas ("$1,234.56"); no exponent, NaN or Infinity."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise EstimateError(field, Text("%(field)s must be a number.", field=field))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        value = Decimal(repr(value)) if math.isfinite(value) else Decimal("NaN")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise EstimateError(field, Text("%(field)s must be a finite number.", field=field))
        return value
    text = value.strip().replace(",", "").removeprefix("$")
    if len(text) > MAX_TYPED:
        raise EstimateError(field, Text("%(field)s is too long to be an amount.", field=field))
    if not _DECIMAL.fullmatch(text):
        raise EstimateError(
            field,
            Text(
                "%(field)s must be a number, not %(value)s.", field=field, value=repr(value.strip())
            ),
        )
    return Decimal(text)
