"""The plain-language assumptions of an estimate: episode, sliding fee, and what is left out."""

from datetime import timedelta
from decimal import Decimal

from .episode import CARE_LEVELS, ITEM_NAMES, MEDICATIONS
from .model import EstimateRequest, PricedItem, Totals
from .poverty import PovertyPercent
from .sliding import fpg_class
from .text import N_, Cents, Day, Join, Text

GOOD_FAITH_NOTICE = N_(
    "This is an estimate, not a Good Faith Estimate. If you are uninsured or paying for "
    "yourself, you can ask the program for a Good Faith Estimate under the No Surprises Act; "
    "if the final bill is $400 or more above it, you can dispute the bill."
)
REGION_NAMES = {
    "AK": N_("Alaska"),
    "HI": N_("Hawaii"),
    "48": N_("the 48 contiguous states and DC"),
}
# The poverty-guideline classes (sliding.FPG_CLASSES) in words.
CLASS_WORDS = {
    "0-100": N_("at or below 100%"),
    "101-125": N_("above 100% and up to 125%"),
    "126-150": N_("above 125% and up to 150%"),
    "151-175": N_("above 150% and up to 175%"),
    "176-200": N_("above 175% and up to 200%"),
    "201+": N_("above 200%"),
}


def plain_date(day) -> str:
    """A date as people write it: "November 15, 2025"."""
    return str(Day.of(day))


def episode_notes(
    request: EstimateRequest, items: tuple[PricedItem, ...], medication: list[str]
) -> list[Text]:
    """What the episode is, how it is charged (`medication`: how the medication is, in
    words), and NIDA's guidance on its length."""
    total = sum(phase.days for phase in request.phases)
    end = request.start_date + timedelta(days=total - 1)
    parts = Join(
        (
            Text("%(days)s days of %(care)s", days=phase.days, care=ITEM_NAMES[phase.level])
            for phase in request.phases
        ),
        separator=Text(", then "),
    )
    notes = [
        Text(
            "The program runs %(total)s days, %(start)s to %(end)s: %(parts)s.",
            total=total,
            start=request.start_date,
            end=end,
            parts=parts,
        )
    ]
    if any(CARE_LEVELS[phase.level] == "week" for phase in request.phases):
        notes.append(
            N_("Weekly care is charged once for each started 7-day week, on that week's first day.")
        )
    notes += medication
    medication_items = [item for item in items if item.item in MEDICATIONS]
    if any(item.basis == "national" for item in medication_items):
        notes.append(
            N_(
                "The national medication figures are opioid treatment program bundles that "
                "include the program's visits; if a rate you gave already includes the "
                "medication, leave the medication out."
            )
        )
    notes += listing_notes(request, items)
    if total < 90:
        notes.append(
            N_(
                "NIDA: most people need at least three months of treatment; less than 90 days "
                "is of limited effectiveness."
            )
        )
    if request.medication == "methadone":
        notes.append(N_("NIDA: for methadone maintenance, 12 months is considered the minimum."))
    return notes


def listing_notes(request: EstimateRequest, items: tuple[PricedItem, ...]) -> list[Text]:
    """What the program's listing leaves open: residential care of unstated length, and a
    medication the listing does not name in the form that is priced."""
    notes = []
    residential = [item for item in items if item.item == "residential"]
    if residential:
        if any(item.basis == "national" for item in residential):
            note = N_(
                "The program's listing does not state the length of its residential care "
                "(short-term, 30 days or less, or long-term); ask the program how long its stays "
                "run. The national residential figure is the same for short and long stays, so it "
                "spans both."
            )
        else:
            note = N_(
                "The program's listing does not state the length of its residential care "
                "(short-term, 30 days or less, or long-term); ask the program how long its stays "
                "run."
            )
        notes.append(note)
    listed, medication = request.listed_medications, request.medication
    if medication and listed is not None and medication not in listed:
        name = ITEM_NAMES[medication]
        if medication == "naltrexone_xr" and "naltrexone" in listed:
            notes.append(
                Text(
                    "The program's listing says it uses naltrexone without stating the form; "
                    "this estimate prices %(name)s. Ask the program which form it gives: oral "
                    "naltrexone has no sourced price and is not estimated.",
                    name=name,
                )
            )
        elif medication == "naltrexone_xr" and "naltrexone_oral" in listed:
            notes.append(
                Text(
                    "The program's listing names oral naltrexone only; this estimate prices "
                    "%(name)s, which the listing does not name. Ask the program whether it gives "
                    "the injection: oral naltrexone has no sourced price and is not estimated.",
                    name=name,
                )
            )
        else:
            notes.append(
                Text(
                    "The program's listing does not name %(name)s; ask the program whether it "
                    "gives it.",
                    name=name,
                )
            )
    return notes


def poverty_note(fpg: PovertyPercent, size: int) -> Text:
    """Where the household stands against the poverty guideline used, with its class (a
    rounded 125.00% may be just above 125%: the class says which side it is on)."""
    table = fpg.table
    return Text(
        "Household income is %(percent)s%% of the %(year)s HHS poverty guideline for "
        "%(region)s (%(guideline)s for a household of %(size)s): the class %(income_class)s of "
        "the guideline.",
        percent=fpg.percent,
        year=table.year,
        region=REGION_NAMES[table.region],
        guideline=Cents(fpg.guideline_cents),
        size=size,
        income_class=CLASS_WORDS[fpg_class(fpg.exact)],
    )


def sliding_notes(
    request: EstimateRequest, low: Decimal, high: Decimal, class_only: str | None
) -> list[Text]:
    """How the sliding fee was applied: under the program's own schedule or the default one."""
    own = request.sliding_schedule is not None
    if class_only and low != high:
        words = CLASS_WORDS[class_only]
        if own:
            note = Text(
                "Only your income class (%(income_class)s of the poverty guideline) is known. "
                "Under the program's own sliding-fee schedule, you pay between %(low)s%% and "
                "%(high)s%% of each charge in that class; the estimate uses %(high)s%% and the "
                "low end of the range uses %(low)s%%.",
                income_class=words,
                low=low,
                high=high,
            )
        else:
            note = Text(
                "Only your income class (%(income_class)s of the poverty guideline) is known. "
                "Under a default sliding-fee schedule (HRSA-style: 0%% at or below 100%% of the "
                "guideline, then 20, 40, 60 and 80%% up to 200%%, full charge above), because "
                "the program has not published its own, you pay between %(low)s%% and "
                "%(high)s%% of each charge in that class; the estimate uses %(high)s%% and the "
                "low end of the range uses %(low)s%%.",
                income_class=words,
                low=low,
                high=high,
            )
    elif own:
        note = Text(
            "Under the program's own sliding-fee schedule, you pay %(high)s%% of each charge.",
            high=high,
        )
    else:
        note = Text(
            "Under a default sliding-fee schedule (HRSA-style: 0%% at or below 100%% of the "
            "guideline, then 20, 40, 60 and 80%% up to 200%%, full charge above), because the "
            "program has not published its own, you pay %(high)s%% of each charge.",
            high=high,
        )
    notes = [note]
    if request.insurance is not None:
        notes.append(
            N_(
                "With insurance, each charge costs you the lower of your plan's cost share and "
                "the sliding-fee amount (subject to the program's contract with your plan); the "
                "plan still counts its full cost share toward your deductible and maximum. "
                "Balance bills are not discounted."
            )
        )
    notes.append(N_("A program may also ask a small nominal fee at 0%; it is not included."))
    return notes


def general_notes(request: EstimateRequest) -> list[Text]:
    """Caveats that hold for every estimate."""
    notes = []
    if request.insurance is None:
        notes.append(N_("Without insurance, every charge is yours unless a sliding fee applies."))
    notes.append(
        N_(
            "Each charge (a day or a week of care, a dose or a pharmacy fill) is worked out to "
            "the cent, and a percentage of it is rounded to the nearest cent. Travel, lost wages "
            "and medicines outside the program are not included."
        )
    )
    return notes


def authorization_note(request: EstimateRequest, totals: Totals) -> Text:
    """What the plan's authorization (Insurance.days_authorized) leaves at risk, or asks."""
    days = request.insurance.days_authorized
    if days is None:
        return N_(
            "Plans often authorize inpatient, residential and intensive care a few days or "
            "weeks at a time: days the plan does not authorize may be yours to pay. Give the "
            "days your plan has authorized to see what the rest would cost."
        )
    if not totals.days_at_risk:
        return Text("Your plan has authorized %(days)s days: the whole stay.", days=days)
    first = request.start_date + timedelta(days=days)
    return Text(
        "Your plan has authorized %(days)s days. The %(at_risk_days)s days after them (from "
        "%(first)s) are at risk: if the plan does not authorize them, they would cost about "
        "%(at_risk)s as self-pay. That is not in what you pay, but it is in the top of the "
        "range. A week of weekly care that starts within the authorized days counts as "
        "authorized.",
        days=days,
        at_risk_days=totals.days_at_risk,
        first=first,
        at_risk=Cents(totals.at_risk),
    )
