"""Reference facts read from the CSV files in data/, each value with its year and source."""

import csv
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from importlib.resources import files
from types import MappingProxyType

from .episode import ITEM_NAMES
from .model import Source
from .money import dollars_to_cents

MEDICARE_ITEMS = {
    "part_a_deductible": "Part A deductible",
    "part_a_day_61_90": "Part A coinsurance for hospital days 61 to 90",
    "part_a_reserve_day": "Part A lifetime reserve day coinsurance",
    "part_b_deductible": "Part B deductible",
    "part_b_coinsurance": "Part B coinsurance",
}
MEDICAID_ITEMS = {
    "outpatient_service": "the most per outpatient service",
    "inpatient_stay": "the most per inpatient stay",
    "monthly_cap": "cap on a family's cost sharing",
    "expansion_line": "the expansion's income line",
}
# Medicaid's income bands (data/medicaid.csv) in words, of the poverty guideline.
MEDICAID_BANDS = {
    "0-100": "at or below 100%",
    "101-150": "above 100% and up to 150%",
    "151+": "above 150%",
}


TRICARE_ITEMS = {
    "active_duty_cost_share": "TRICARE: active-duty service members' cost-share",
    "select_group_a_adfm_inpatient_mh_day": (
        "TRICARE Select Group A, active-duty family member: inpatient mental health "
        "cost-share a day"
    ),
    "select_group_a_adfm_inpatient_mh_admission": (
        "TRICARE Select Group A, active-duty family member: inpatient mental health "
        "cost-share an admission (the daily one when more)"
    ),
    "catastrophic_cap_adfm": "TRICARE catastrophic cap, active-duty family, a calendar year",
    "balance_bill_limit": (
        "TRICARE: non-participating providers' balance bill, at most above the allowable charge"
    ),
}


@dataclass(frozen=True)
class Figure:
    """One reference figure as written in its file (dollars, or a fraction), with its year
    and source."""

    item: str
    value: Decimal
    year: str
    source: Source


@dataclass(frozen=True)
class NationalPrice:
    """National reference price per unit ("day", "week" or "dose" of extended-release
    naltrexone), in cents."""

    item: str
    unit: str
    low: int
    typical: int
    high: int
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class PovertyTable:
    year: int
    region: str  # "48" (48 contiguous states and DC, and every other place), "AK" or "HI"
    effective: date
    base_cents: int
    increment_cents: int
    source: Source


@dataclass(frozen=True)
class MedicareYear:
    year: int
    part_a_deductible: int
    part_a_day_61_90: int
    part_a_reserve_day: int
    part_b_deductible: int
    part_b_coinsurance: Decimal
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class AcaLimit:
    """The ACA's legal in-network out-of-pocket maximum for plan years starting in `plan_year`."""

    plan_year: int
    self_only_cents: int
    other_cents: int
    source: Source


def _rows(name: str) -> list[dict[str, str]]:
    text = (files(__package__) / "data" / name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def national_prices() -> Mapping[str, NationalPrice]:
    """National reference prices by care level or medication token (only those with a source)."""
    rows = defaultdict(dict)
    for row in _rows("national_prices.csv"):
        rows[row["item"]][row["bound"]] = row
    prices = {}
    for item, bounds in rows.items():
        typical = bounds["typical"]
        low, high = bounds.get("low", typical), bounds.get("high", typical)
        sources = tuple(
            Source(
                f"National {bound} price of {ITEM_NAMES[item]}, per {row['unit']}",
                row["dollar_year"],
                row["source"],
                row["status"],
            )
            for bound, row in bounds.items()
        )
        prices[item] = NationalPrice(
            item,
            typical["unit"],
            dollars_to_cents(low["value"]),
            dollars_to_cents(typical["value"]),
            dollars_to_cents(high["value"]),
            sources,
        )
    return MappingProxyType(prices)


@dataclass(frozen=True)
class Dosing:
    """How often a medication charged per dose is given: one dose every `days` days."""

    item: str
    days: int
    source: Source


@cache
def dosing() -> Mapping[str, Dosing]:
    """The medications charged per dose, by token, with their dosing interval and source."""
    return MappingProxyType(
        {
            row["item"]: Dosing(
                row["item"],
                int(row["days_between_doses"]),
                Source(
                    f"Dosing of {ITEM_NAMES[row['item']]}: one dose every "
                    f"{row['days_between_doses']} days",
                    row["year"],
                    row["source"],
                    row["status"],
                ),
            )
            for row in _rows("doses.csv")
        }
    )


@cache
def poverty_tables() -> tuple[PovertyTable, ...]:
    """Every HHS poverty guideline table in the data, oldest first."""
    tables = [
        PovertyTable(
            int(row["year"]),
            row["region"],
            date.fromisoformat(row["effective"]),
            dollars_to_cents(row["base"]),
            dollars_to_cents(row["increment"]),
            Source(
                f"HHS poverty guideline {row['year']} ({_region(row['region'])})",
                row["year"],
                row["source"],
                row["status"],
            ),
        )
        for row in _rows("poverty_guidelines.csv")
    ]
    return tuple(sorted(tables, key=lambda table: table.effective))


def _region(region: str) -> str:
    return {"AK": "Alaska", "HI": "Hawaii"}.get(region, "48 contiguous states and DC")


@cache
def medicare_years() -> Mapping[int, MedicareYear]:
    """Medicare's deductibles and coinsurance by calendar year."""
    rows = defaultdict(dict)
    for row in _rows("medicare.csv"):
        rows[int(row["year"])][row["item"]] = row
    years = {}
    for year, items in rows.items():

        def cents(item: str, items: dict = items) -> int:
            return dollars_to_cents(items[item]["value"])

        years[year] = MedicareYear(
            year,
            cents("part_a_deductible"),
            cents("part_a_day_61_90"),
            cents("part_a_reserve_day"),
            cents("part_b_deductible"),
            Decimal(items["part_b_coinsurance"]["value"]),
            tuple(
                Source(
                    f"Medicare {year}: {MEDICARE_ITEMS[item]}",
                    str(year),
                    row["source"],
                    row["status"],
                )
                for item, row in items.items()
            ),
        )
    return MappingProxyType(years)


@cache
def tricare_figures() -> Mapping[str, Figure]:
    """TRICARE's cost-shares, catastrophic cap and balance-bill limit, by item."""
    return MappingProxyType(
        {
            row["item"]: Figure(
                row["item"],
                Decimal(row["value"]),
                row["year"],
                Source(TRICARE_ITEMS[row["item"]], row["year"], row["source"], row["status"]),
            )
            for row in _rows("tricare.csv")
        }
    )


@cache
def aca_limits() -> Mapping[int, AcaLimit]:
    """The ACA out-of-pocket limits by plan year."""
    return MappingProxyType(
        {
            int(row["plan_year"]): AcaLimit(
                int(row["plan_year"]),
                dollars_to_cents(row["self_only"]),
                dollars_to_cents(row["other"]),
                Source(
                    f"ACA out-of-pocket limit, plan year {row['plan_year']}",
                    row["plan_year"],
                    row["source"],
                    row["status"],
                ),
            )
            for row in _rows("aca_limits.csv")
        }
    )


def aca_oop_limit(plan_year: int) -> AcaLimit:
    """The legal in-network out-of-pocket maximum for a plan year (the latest known if later)."""
    limits = aca_limits()
    known = [year for year in limits if year <= plan_year] or [min(limits)]
    return limits[max(known)]


@cache
def states() -> Mapping[str, tuple[str, str]]:
    """State and territory codes -> (name, poverty guideline region)."""
    return MappingProxyType(
        {row["code"]: (row["name"], row["poverty_region"]) for row in _rows("states.csv")}
    )


@cache
def rule_sources() -> Mapping[str, Source]:
    """Citations for the rules the estimator applies, by key."""
    return MappingProxyType(
        {
            row["key"]: Source(row["label"], row["year"], row["citation"], row["status"])
            for row in _rows("rules.csv")
        }
    )


@cache
def visits_per_week() -> Mapping[str, int]:
    """The usual visits a week of outpatient and intensive outpatient care (a visit copay's
    default), by care level."""
    return MappingProxyType(
        {row["level"]: int(row["visits_per_week"]) for row in _rows("visits.csv")}
    )


@cache
def visit_sources() -> tuple[Source, ...]:
    """Where the usual visits a week come from."""
    return tuple(
        Source(
            f"Usual visits a week, {row['level'].replace('_', ' ')}",
            "2013",
            row["source"],
            row["status"],
        )
        for row in _rows("visits.csv")
    )


@dataclass(frozen=True)
class MedicaidFigure:
    """One figure of Medicaid's rules (data/medicaid.csv): dollars as cents, percents as a
    Decimal, with its source."""

    item: str
    band: str
    value: Decimal
    source: Source

    @property
    def cents(self) -> int:
        return dollars_to_cents(self.value)


@dataclass(frozen=True)
class ExpansionStatus:
    """A state's Medicaid expansion decision (data/medicaid_expansion.csv), with a note for
    states that cover some adults another way (None: no note)."""

    code: str
    name: str
    adopted: bool
    source: Source
    note: str | None
    note_source: Source | None


@cache
def medicaid_figures() -> Mapping[tuple[str, str], MedicaidFigure]:
    """Medicaid's federal cost-sharing maximums, monthly cap and expansion line, by
    (item, income band)."""
    return MappingProxyType(
        {
            (row["item"], row["band"]): MedicaidFigure(
                row["item"],
                row["band"],
                Decimal(row["value"]),
                Source(
                    f"Medicaid: {MEDICAID_ITEMS[row['item']]}"
                    + (
                        ""
                        if row["band"] == "all"
                        else f", family income {MEDICAID_BANDS[row['band']]} of the guideline"
                    ),
                    "current",
                    row["source"],
                    row["status"],
                ),
            )
            for row in _rows("medicaid.csv")
        }
    )


@cache
def medicaid_expansion() -> Mapping[str, ExpansionStatus]:
    """The 50 states' and DC's Medicaid expansion decisions by state code (no territories)."""
    statuses = {}
    for row in _rows("medicaid_expansion.csv"):
        adopted = row["adopted"] == "yes"
        decision = "adopted" if adopted else "not adopted"
        note = row["note"] or None
        statuses[row["code"]] = ExpansionStatus(
            row["code"],
            row["name"],
            adopted,
            Source(
                f"Medicaid expansion in {row['name']}: {decision}",
                f"{date.fromisoformat(row['as_of'] + '-01'):%b %Y}",
                row["source"],
                row["status"],
            ),
            note,
            None
            if note is None
            else Source(
                f"{row['name']}'s Medicaid for adults", "current", note, row["note_status"]
            ),
        )
    return MappingProxyType(statuses)
