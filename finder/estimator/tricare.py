"""TRICARE: its own cost-shares and catastrophic cap, not a commercial plan's (issue 15)."""

from datetime import date

from .episode import INPATIENT_LEVELS, ITEM_NAMES, MEDICATIONS
from .errors import NotEstimated
from .insurance import Coverage
from .model import Insurance, Source
from .money import cents_times, dollars_to_cents
from .reference import rule_sources, tricare_figures
from .terms import PricedLine, Share, calendar_year_of
from .text import N_, Cents, Join, Text

# insurance.tricare_group -> what it means, in the answer's words. In search, coverage=tricare
# assumes an active-duty family member in TRICARE Select Group A (DEFAULT_GROUP), and says so.
TRICARE_GROUPS = {
    "active_duty": N_("an active-duty service member"),
    "select_group_a_adfm": N_("an active-duty family member in TRICARE Select, Group A"),
}
DEFAULT_GROUP = "select_group_a_adfm"


def tricare(insurance: Insurance, lines: list[PricedLine], start: date) -> Coverage:
    """Cost sharing under TRICARE for the person's group. Active-duty service members pay
    nothing. An active-duty family member in TRICARE Select Group A pays the inpatient mental
    health cost-share for inpatient and residential days, capped by the family's catastrophic
    cap each calendar year; their other care has no cost-share in the data (NotEstimated).

    With a non-participating provider (`in_network` False), the charge is taken as the
    TRICARE-allowable charge, and the balance bill of up to 15% above it is not in what you
    pay but is added to the top of the range (Coverage.high_extra)."""
    figures = tricare_figures()
    if insurance.tricare_group == "active_duty":
        shares = tuple(Share(0, line.charge, 0, calendar_year_of(line.on)) for line in lines)
        notes = [
            N_(
                "TRICARE's own rules apply, not a commercial plan's: as an active-duty service "
                "member you pay no cost-shares, so covered care costs you nothing. This assumes "
                "TRICARE covers and authorizes the care at this program."
            )
        ]
        sources = [figures["active_duty_cost_share"].source]
    else:
        _check_priced(lines)
        shares, notes, sources = _family_member(lines, figures)
    high_extra = 0
    if not insurance.in_network:
        limit = figures["balance_bill_limit"]
        high_extra = sum(cents_times(line.charge, limit.value) for line in lines)
        notes.append(
            Text(
                "You said the program is not a TRICARE participating provider: it may bill you "
                "up to 15%% above the TRICARE-allowable charge, and that does not count toward "
                "the catastrophic cap. The program's charge is taken as the allowable charge; "
                "what you pay leaves out that possible balance bill (up to %(most)s at these "
                "prices), and the top of the range includes it.",
                most=Cents(high_extra),
            )
        )
        sources.append(limit.source)
    notes.append(N_("TRICARE premiums and enrollment fees are not included."))
    return Coverage(
        shares, tuple(notes), (rule_sources()["tricare"], *sources), high_extra=high_extra
    )


def _check_priced(lines: list[PricedLine]) -> None:
    """Raise NotEstimated for care whose cost-share for an active-duty family member in
    TRICARE Select Group A is not in the data: everything but inpatient and residential days."""
    unpriced = [line.item for line in lines if line.item not in INPATIENT_LEVELS]
    if not unpriced:
        return
    rules = rule_sources()
    sources: tuple[Source, ...] = (rules["tricare"],)
    medications = [item for item in unpriced if item in MEDICATIONS]
    if medications:
        raise NotEstimated(
            "medication",
            Text(
                "TRICARE's cost-share for %(item)s for an active-duty family member in TRICARE "
                "Select, Group A is not in finder's data, so this is not estimated. TRICARE's "
                "website lists cost-shares by plan and group; TRICARE or the program can tell "
                "you yours.",
                item=ITEM_NAMES[medications[0]],
            ),
            sources,
        )
    item = unpriced[0]
    if item == "opioid_treatment_program":
        raise NotEstimated(
            "insurance.tricare_group",
            Text(
                "TRICARE's cost-share for %(item)s for an active-duty family member in TRICARE "
                "Select, Group A is not in finder's data, so this is not estimated: finder has "
                "only its cost-share for inpatient and residential care. For an opioid treatment "
                "program TRICARE charges one outpatient cost-share a week. TRICARE's website "
                "lists cost-shares by plan and group; TRICARE or the program can tell you yours.",
                item=ITEM_NAMES[item],
            ),
            (*sources, rules["tricare_otp"]),
        )
    raise NotEstimated(
        "insurance.tricare_group",
        Text(
            "TRICARE's cost-share for %(item)s for an active-duty family member in TRICARE "
            "Select, Group A is not in finder's data, so this is not estimated: finder has only "
            "its cost-share for inpatient and residential care. TRICARE's website lists "
            "cost-shares by plan and group; TRICARE or the program can tell you yours.",
            item=ITEM_NAMES[item],
        ),
        sources,
    )


def _family_member(lines: list[PricedLine], figures) -> tuple[tuple[Share, ...], list, list]:
    """An active-duty family member in TRICARE Select Group A, every line an inpatient or
    residential day: per admission, the daily cost-share or the admission's, whichever is more
    (taken day by day: the admission's on its first day, then what brings the total to the
    daily one's), capped by the catastrophic cap in each calendar year."""
    per_day = dollars_to_cents(figures["select_group_a_adfm_inpatient_mh_day"].value)
    per_admission = dollars_to_cents(figures["select_group_a_adfm_inpatient_mh_admission"].value)
    cap = figures["catastrophic_cap_adfm"]
    cap_cents = dollars_to_cents(cap.value)
    days: dict[int | None, int] = {}
    owed: dict[int | None, int] = {}  # each admission's cost-share so far, before the cap
    cap_left: dict[int, int] = {}
    reached: dict[int, date] = {}
    shares = []
    for line in lines:
        stay = line.admission
        days[stay] = days.get(stay, 0) + 1
        due = max(days[stay] * per_day, per_admission) - owed.get(stay, 0)
        share = min(due, line.charge)
        owed[stay] = owed.get(stay, 0) + share
        year = line.on.year
        left = cap_left.setdefault(year, cap_cents)
        if share >= left and year not in reached:
            reached[year] = line.on
        share = min(share, left)
        cap_left[year] = left - share
        shares.append(Share(share, line.charge - share, 0, calendar_year_of(line.on)))
    admissions = len(days)
    notes = [
        Text(
            "TRICARE's own rules apply, not a commercial plan's: this assumes %(group)s, and "
            "that TRICARE covers and authorizes the care at this program.",
            group=TRICARE_GROUPS["select_group_a_adfm"],
        ),
        Text(
            "Inpatient and residential care costs %(day)s a day or %(admission)s an admission, "
            "whichever is more (TRICARE Select Group A's inpatient mental health cost-share; the "
            "year of that figure is not shown on its page, so it is marked unverified): "
            "%(admissions)s admissions here, each counted on its own.",
            day=Cents(per_day),
            admission=Cents(per_admission),
            admissions=admissions,
        )
        if admissions > 1
        else Text(
            "Inpatient and residential care costs %(day)s a day or %(admission)s an admission, "
            "whichever is more (TRICARE Select Group A's inpatient mental health cost-share; the "
            "year of that figure is not shown on its page, so it is marked unverified).",
            day=Cents(per_day),
            admission=Cents(per_admission),
        ),
        Text(
            "Your family's cost-shares are capped at %(cap)s a calendar year (TRICARE's "
            "catastrophic cap for active-duty families, the %(year)s figure). This assumes your "
            "family has paid no cost-shares yet this year.",
            cap=Cents(cap_cents),
            year=cap.year,
        ),
    ]
    later = sorted(year for year in cap_left if str(year) != cap.year)
    if later:
        years = Join([str(year) for year in later], separator=Text(", "))
        notes.append(
            Text(
                "The %(year)s cap is used for %(years)s too: other years' caps are not in "
                "finder's data.",
                year=cap.year,
                years=years,
            )
        )
    for _, on in sorted(reached.items()):
        notes.append(
            Text(
                "The cap is reached on %(day)s: you pay no more cost-shares that calendar year.",
                day=on,
            )
        )
    sources = [
        figures["select_group_a_adfm_inpatient_mh_day"].source,
        figures["select_group_a_adfm_inpatient_mh_admission"].source,
        cap.source,
    ]
    return tuple(shares), notes, sources
