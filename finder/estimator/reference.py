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
from .text import N_, Text

# Our words for the data files' codes. Labels read from the files themselves (rules.csv's
# `label`, medicaid_expansion.csv's `note`) are marked for translation by catalog.py's extractor
# (babel.cfg); a Source's citation names an English document and stays English.
MEDICARE_ITEMS = {
    "part_a_deductible": N_("Part A deductible"),
    "part_a_day_61_90": N_("Part A coinsurance for hospital days 61 to 90"),
    "part_a_reserve_day": N_("Part A lifetime reserve day coinsurance"),
    "part_b_deductible": N_("Part B deductible"),
    "part_b_coinsurance": N_("Part B coinsurance"),
}
MEDICAID_ITEMS = {
    "outpatient_service": N_("the most per outpatient service"),
    "inpatient_stay": N_("the most per inpatient stay"),
    "monthly_cap": N_("cap on a family's cost sharing"),
    "expansion_line": N_("the expansion's income line"),
}
# Medicaid's income bands (data/medicaid.csv) in words, of the poverty guideline.
MEDICAID_BANDS = {
    "0-100": N_("at or below 100%"),
    "101-150": N_("above 100% and up to 150%"),
    "151+": N_("above 150%"),
}


TRICARE_ITEMS = {
    "active_duty_cost_share": N_("TRICARE: active-duty service members' cost-share"),
    "select_group_a_adfm_inpatient_mh_day": N_(
        "TRICARE Select Group A, active-duty family member: inpatient mental health "
        "cost-share a day"
    ),
    "select_group_a_adfm_inpatient_mh_admission": N_(
        "TRICARE Select Group A, active-duty family member: inpatient mental health "
        "cost-share an admission (the daily one when more)"
    ),
    "catastrophic_cap_adfm": N_("TRICARE catastrophic cap, active-duty family, a calendar year"),
    "balance_bill_limit": N_(
        "TRICARE: non-participating providers' balance bill, at most above the allowable charge"
    ),
}

# A national price's unit (national_prices.csv), in words.
UNITS = {"day": N_("day"), "week": N_("week"), "dose": N_("dose")}
# The usual visits a week (visits.csv), by care level.
VISIT_LABELS = {
    "outpatient": N_("Usual visits a week, outpatient"),
    "intensive_outpatient": N_("Usual visits a week, intensive outpatient"),
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
                _national_label(bound, ITEM_NAMES[item], UNITS[row["unit"]]),
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


def _national_label(bound: str, item: Text, unit: Text) -> Text:
    if bound == "low":
        return Text("National low price of %(item)s, per %(unit)s", item=item, unit=unit)
    if bound == "high":
        return Text("National high price of %(item)s, per %(unit)s", item=item, unit=unit)
    return Text("National typical price of %(item)s, per %(unit)s", item=item, unit=unit)


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
                    Text(
                        "Dosing of %(item)s: one dose every %(days)s days",
                        item=ITEM_NAMES[row["item"]],
                        days=row["days_between_doses"],
                    ),
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
                Text(
                    "HHS poverty guideline %(year)s (%(region)s)",
                    year=row["year"],
                    region=_region(row["region"]),
                ),
                row["year"],
                row["source"],
                row["status"],
            ),
        )
        for row in _rows("poverty_guidelines.csv")
    ]
    return tuple(sorted(tables, key=lambda table: table.effective))


def _region(region: str) -> Text:
    return {"AK": N_("Alaska"), "HI": N_("Hawaii")}.get(region, N_("48 contiguous states and DC"))


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
                    Text("Medicare %(year)s: %(item)s", year=year, item=MEDICARE_ITEMS[item]),
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
                    Text("ACA out-of-pocket limit, plan year %(year)s", year=row["plan_year"]),
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
            row["key"]: Source(Text(row["label"]), row["year"], row["citation"], row["status"])
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
            VISIT_LABELS[row["level"]],
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
    note: Text | None  # our words, from the file's `note` column (translated)
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
                    _medicaid_label(row["item"], row["band"]),
                    "current",
                    row["source"],
                    row["status"],
                ),
            )
            for row in _rows("medicaid.csv")
        }
    )


def _medicaid_label(item: str, band: str) -> Text:
    if band == "all":
        return Text("Medicaid: %(item)s", item=MEDICAID_ITEMS[item])
    return Text(
        "Medicaid: %(item)s, family income %(band)s of the guideline",
        item=MEDICAID_ITEMS[item],
        band=MEDICAID_BANDS[band],
    )


@cache
def medicaid_expansion() -> Mapping[str, ExpansionStatus]:
    """The 50 states' and DC's Medicaid expansion decisions by state code (no territories)."""
    statuses = {}
    for row in _rows("medicaid_expansion.csv"):
        adopted = row["adopted"] == "yes"
        note = Text(row["note"]) if row["note"] else None
        statuses[row["code"]] = ExpansionStatus(
            row["code"],
            row["name"],
            adopted,
            Source(
                Text("Medicaid expansion in %(state)s: adopted", state=row["name"])
                if adopted
                else Text("Medicaid expansion in %(state)s: not adopted", state=row["name"]),
                f"{date.fromisoformat(row['as_of'] + '-01'):%b %Y}",
                row["source"],
                row["status"],
            ),
            note,
            None
            if note is None
            else Source(
                Text("%(state)s's Medicaid for adults", state=row["name"]),
                "current",
                row["note"],
                row["note_status"],
            ),
        )
    return MappingProxyType(statuses)
