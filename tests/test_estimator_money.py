"""Money helpers: dollars in, integer cents inside, "$1,234.56" out."""

from decimal import Decimal

import pytest

from finder.estimator import (
    EstimateError,
    cents_to_dollars,
    dollars_to_cents,
    format_dollars,
    payment_plan,
)


@pytest.mark.parametrize(
    ("dollars", "cents"),
    [
        ("1,234.56", 123456),
        ("$80", 8000),
        (" 12.5 ", 1250),
        (Decimal("0.005"), 1),
        (Decimal("0.004"), 0),
        ("2.675", 268),
        (0.1, 10),
        (19.99, 1999),
        (1176.5, 117650),
        (600, 60000),
        ("-0", 0),
    ],
)
def test_dollars_become_cents_rounded_half_up(dollars, cents):
    assert dollars_to_cents(dollars) == cents


@pytest.mark.parametrize(
    "bad", ["-1", -0.01, "NaN", "Infinity", "abc", "", True, None, [1], "1e12"]
)
def test_bad_amounts_are_rejected_with_their_field(bad):
    with pytest.raises(EstimateError) as error:
        dollars_to_cents(bad, field="deductible")
    assert error.value.field == "deductible"


@pytest.mark.parametrize(
    ("cents", "text"),
    [(0, "$0.00"), (5, "$0.05"), (123456, "$1,234.56"), (1060000, "$10,600.00"), (-500, "-$5.00")],
)
def test_cents_format_as_dollars(cents, text):
    assert format_dollars(cents) == text


def test_cents_become_two_place_decimal_dollars():
    assert cents_to_dollars(1836000) == Decimal("18360.00")
    assert str(cents_to_dollars(5)) == "0.05"


def test_payment_plan_amounts_sum_to_the_total():
    assert payment_plan(100, 3).monthly == (34, 33, 33)
    assert payment_plan(0, 2).monthly == (0, 0)
