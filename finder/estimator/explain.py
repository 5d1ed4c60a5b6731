"""The plain-language assumptions of an estimate: episode, sliding fee, and what is left out."""

from datetime import timedelta
from decimal import Decimal

from .episode import CARE_LEVELS, ITEM_NAMES, MEDICATIONS
from .model import EstimateRequest, PricedItem, Totals
from .money import format_dollars
from .poverty import PovertyPercent
from .sliding import fpg_class

GOOD_FAITH_NOTICE = (
    "This is an estimate, not a Good Faith Estimate. If you are uninsured or paying for "
    "yourself, you can ask the program for a Good Faith Estimate under the No Surprises Act; "
    "if the final bill is $400 or more above it, you can dispute the bill."
)
REGION_NAMES = {"AK": "Alaska", "HI": "Hawaii", "48": "the 48 contiguous states and DC"}
# The poverty-guideline classes (sliding.FPG_CLASSES) in words.
CLASS_WORDS = {
    "0-100": "at or below 100%",
    "101-125": "above 100% and up to 125%",
    "126-150": "above 125% and up to 150%",
    "151-175": "above 150% and up to 175%",
    "176-200": "above 175% and up to 200%",
    "201+": "above 200%",
}


def plain_date(day) -> str:
    """A date as people write it: "November 15, 2025"."""
    return f"{day:%B} {day.day}, {day.year}"


def episode_notes(
    request: EstimateRequest, items: tuple[PricedItem, ...], medication: list[str]
) -> list[str]:
    """What the episode is, how it is charged (`medication`: how the medication is, in
    words), and NIDA's guidance on its length."""
    total = sum(phase.days for phase in request.phases)
    end = request.start_date + timedelta(days=total - 1)
    parts = ", then ".join(
        f"{phase.days} days of {ITEM_NAMES[phase.level]}" for phase in request.phases
    )
    notes = [
        f"The program runs {total} days, {plain_date(request.start_date)} to {plain_date(end)}: "
        f"{parts}."
    ]
    if any(CARE_LEVELS[phase.level] == "week" for phase in request.phases):
        notes.append(
            "Weekly care is charged once for each started 7-day week, on that week's first day."
        )
    notes += medication
    medication_items = [item for item in items if item.item in MEDICATIONS]
    if any(item.basis == "national" for item in medication_items):
        notes.append(
            "The national medication figures are opioid treatment program bundles that include "
            "the program's visits; if a rate you gave already includes the medication, leave "
            "the medication out."
        )
    notes += listing_notes(request, items)
    if total < 90:
        notes.append(
            "NIDA: most people need at least three months of treatment; less than 90 days is of "
            "limited effectiveness."
        )
    if request.medication == "methadone":
        notes.append("NIDA: for methadone maintenance, 12 months is considered the minimum.")
    return notes


def listing_notes(request: EstimateRequest, items: tuple[PricedItem, ...]) -> list[str]:
    """What the program's listing leaves open: residential care of unstated length, and a
    medication the listing does not name in the form that is priced."""
    notes = []
    residential = [item for item in items if item.item == "residential"]
    if residential:
        note = (
            "The program's listing does not state the length of its residential care (short-term, "
            "30 days or less, or long-term); ask the program how long its stays run."
        )
        if any(item.basis == "national" for item in residential):
            note += (
                " The national residential figure is the same for short and long stays, so it "
                "spans both."
            )
        notes.append(note)
    listed, medication = request.listed_medications, request.medication
    if medication and listed is not None and medication not in listed:
        name = ITEM_NAMES[medication]
        if medication == "naltrexone_xr" and "naltrexone" in listed:
            notes.append(
                "The program's listing says it uses naltrexone without stating the form; this "
                f"estimate prices {name}. Ask the program which form it gives: oral naltrexone "
                "has no sourced price and is not estimated."
            )
        elif medication == "naltrexone_xr" and "naltrexone_oral" in listed:
            notes.append(
                "The program's listing names oral naltrexone only; this estimate prices "
                f"{name}, which the listing does not name. Ask the program whether it gives the "
                "injection: oral naltrexone has no sourced price and is not estimated."
            )
        else:
            notes.append(
                f"The program's listing does not name {name}; ask the program whether it gives it."
            )
    return notes


def poverty_note(fpg: PovertyPercent, size: int) -> str:
    """Where the household stands against the poverty guideline used, with its class (a
    rounded 125.00% may be just above 125%: the class says which side it is on)."""
    table = fpg.table
    return (
        f"Household income is {fpg.percent}% of the {table.year} HHS poverty guideline for "
        f"{REGION_NAMES[table.region]} ({format_dollars(fpg.guideline_cents)} for a household "
        f"of {size}): the class {CLASS_WORDS[fpg_class(fpg.exact)]} of the guideline."
    )


def sliding_notes(
    request: EstimateRequest, low: Decimal, high: Decimal, class_only: str | None
) -> list[str]:
    """How the sliding fee was applied."""
    whose = (
        "the program's own sliding-fee schedule"
        if request.sliding_schedule is not None
        else "a default sliding-fee schedule (HRSA-style: 0% at or below 100% of the guideline, "
        "then 20, 40, 60 and 80% up to 200%, full charge above), because the program has not "
        "published its own"
    )
    if class_only and low != high:
        notes = [
            f"Only your income class ({CLASS_WORDS[class_only]} of the poverty guideline) is "
            f"known. Under {whose}, you pay between {low}% and {high}% of each charge in that "
            f"class; the estimate uses {high}% and the low end of the range uses {low}%."
        ]
    else:
        notes = [f"Under {whose}, you pay {high}% of each charge."]
    if request.insurance is not None:
        notes.append(
            "With insurance, each charge costs you the lower of your plan's cost share and the "
            "sliding-fee amount (subject to the program's contract with your plan); the plan still "
            "counts its full cost share toward your deductible and maximum. Balance bills are not "
            "discounted."
        )
    notes.append("A program may also ask a small nominal fee at 0%; it is not included.")
    return notes


def general_notes(request: EstimateRequest) -> list[str]:
    """Caveats that hold for every estimate."""
    notes = []
    if request.insurance is None:
        notes.append("Without insurance, every charge is yours unless a sliding fee applies.")
    notes.append(
        "Each charge (a day or a week of care, a dose or a pharmacy fill) is worked out to the "
        "cent, and a percentage of it is rounded to the nearest cent. Travel, lost wages and "
        "medicines outside the program are not included."
    )
    return notes


def authorization_note(request: EstimateRequest, totals: Totals) -> str:
    """What the plan's authorization (Insurance.days_authorized) leaves at risk, or asks."""
    days = request.insurance.days_authorized
    if days is None:
        return (
            "Plans often authorize inpatient, residential and intensive care a few days or "
            "weeks at a time: days the plan does not authorize may be yours to pay. Give the "
            "days your plan has authorized to see what the rest would cost."
        )
    if not totals.days_at_risk:
        return f"Your plan has authorized {days} days: the whole stay."
    first = request.start_date + timedelta(days=days)
    return (
        f"Your plan has authorized {days} days. The {totals.days_at_risk} days after them "
        f"(from {plain_date(first)}) are at risk: if the plan does not authorize them, they "
        f"would cost about {format_dollars(totals.at_risk)} as self-pay. That is not in what "
        "you pay, but it is in the top of the range. A week of weekly care that starts "
        "within the authorized days counts as authorized."
    )
