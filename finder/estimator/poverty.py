"""Percent of the HHS poverty guideline in force on a date, for a household in a state."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from .errors import EstimateError
from .reference import PovertyTable, poverty_tables, states
from .text import N_, Text

MAX_HOUSEHOLD = 50
NO_GUIDELINE = "none"  # states.csv's poverty_region of a territory HHS gives no guideline for


@dataclass(frozen=True)
class PovertyPercent:
    """`exact` (unrounded) chooses sliding-fee classes; `percent` is for display (2 places)."""

    exact: Fraction
    percent: Decimal
    guideline_cents: int
    table: PovertyTable
    notes: tuple[Text, ...]


def state_code(state: object, field: str = "household.state") -> str:
    """The upper-case state or territory code, or EstimateError for an unknown one."""
    code = state.strip().upper() if isinstance(state, str) else ""
    if code not in states():
        raise EstimateError(field, Text("Unknown state code %(state)s.", state=repr(state)))
    return code


def guideline_table(state: str, on: date) -> tuple[PovertyTable, tuple[Text, ...]]:
    """The poverty guideline table for the state's region in force on `on`, with any caveat.
    A territory (region "none": HHS publishes no guideline for it) uses the 48-state table,
    and the caveat says so."""
    name, region = states()[state_code(state)]
    notes: tuple[Text, ...] = ()
    if region == NO_GUIDELINE:
        region = "48"
        notes = (
            Text(
                "HHS publishes no poverty guideline for %(name)s (only for the 48 contiguous "
                "states and DC, Alaska and Hawaii): the guideline for the 48 contiguous states "
                "and DC is used.",
                name=name,
            ),
        )
    table, caveats = _in_force(region, on)
    return table, notes + caveats


def _in_force(region: str, on: date) -> tuple[PovertyTable, tuple[Text, ...]]:
    tables = [table for table in poverty_tables() if table.region == region]
    in_force = [table for table in tables if table.effective <= on]
    if not in_force:
        table = tables[0]
        return table, (
            Text(
                "The %(year)s poverty guidelines took effect on %(effective)s, after the start "
                "date; they are used because earlier ones are not in the data.",
                year=table.year,
                effective=table.effective.isoformat(),
            ),
        )
    table = in_force[-1]
    if table is tables[-1] and on.year > table.year:
        return table, (
            Text(
                "The %(year)s poverty guidelines are the newest in the data; a newer table may "
                "be in force on %(on)s.",
                year=table.year,
                on=on.isoformat(),
            ),
        )
    return table, ()


def guideline_cents(table: PovertyTable, household_size: int) -> int:
    """100% of the guideline for a household: base + increment x (size - 1), one year's figures."""
    return table.base_cents + table.increment_cents * (household_size - 1)


def poverty_percent(
    household_size: int, annual_income_cents: int, state: str, on: date
) -> PovertyPercent:
    """The household's income as a percent of the poverty guideline in force on `on`."""
    if isinstance(household_size, bool) or not isinstance(household_size, int):
        raise EstimateError("household.size", N_("Household size must be a whole number."))
    if not 1 <= household_size <= MAX_HOUSEHOLD:
        raise EstimateError(
            "household.size",
            Text("Household size must be 1 to %(maximum)s.", maximum=MAX_HOUSEHOLD),
        )
    if isinstance(annual_income_cents, bool) or not isinstance(annual_income_cents, int):
        raise EstimateError("household.annual_income", N_("Income must be an amount in cents."))
    if annual_income_cents < 0:
        raise EstimateError("household.annual_income", N_("Income cannot be negative."))
    table, notes = guideline_table(state, on)
    guideline = guideline_cents(table, household_size)
    exact = Fraction(100 * annual_income_cents, guideline)
    # Rounded up, so that the figure shown never contradicts its class: 125.004% is above the
    # class "up to 125%", and shows as 125.01%.
    hundredths = -(-exact.numerator * 100 // exact.denominator)
    percent = (Decimal(hundredths) / 100).quantize(Decimal("0.01"))
    return PovertyPercent(exact, percent, guideline, table, notes)
