"""The estimate answer as the page says it: whole dollars and the range, why it can pass the
out-of-pocket maximum typed, the answers it used in plain words, and its sources with a
footnote for the secondary ones. Words only: the figures are the estimator's."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from .chart import chart
from .estimate_inputs import ceiling_note, is_ceiling
from .estimator import (
    CLASS_WORDS,
    Estimate,
    dollars_to_cents,
    plain_date,
    visits_per_week,
)
from .forms import EstimateForm
from .vocab import STATES, label


def page(answer: Estimate, form: EstimateForm, body: dict) -> dict:
    """What the answer page shows of an estimate asked for by `form` (read as `body`)."""
    ceiling = is_ceiling(body, answer)
    return {
        "answer": answer,
        "form": form,
        "chart": chart(answer),
        "headline": headline(answer, form, ceiling),
        "coverage_note": coverage_note(answer, ceiling),
        "at_risk": at_risk(answer, form.data, ceiling),
        "ceiling_note": ceiling_note(body) if ceiling else None,
        "used": used_answers(form, answer, ceiling),
        "typed": typed_values(form),
        "poverty_class": poverty_class(answer),
    }


def whole_dollars(cents: int) -> str:
    """Cents as whole dollars, rounded half up: "$14,835"."""
    return f"${(cents + 50) // 100:,}"


def typed_dollars(amount: Decimal) -> str:
    """A dollar amount someone typed, without cents when it has none: "$5,000", "$12.50"."""
    cents = dollars_to_cents(amount)
    return whole_dollars(cents) if cents % 100 == 0 else f"${cents / 100:,.2f}"


def month_name(month: str, short: bool = False) -> str:
    """ "2025-11" as "November 2025" (or "Nov")."""
    day = dt.date.fromisoformat(month + "-01")
    return f"{day:%b}" if short else f"{day:%B %Y}"


def percent(fraction: Decimal) -> str:
    """A fraction as a percent without trailing zeros: 0.2 -> "20%", 0.125 -> "12.5%"."""
    return f"{(fraction * 100).normalize():f}%"


@dataclass(frozen=True)
class Headline:
    """What the top of the answer says: the figure, its range and why it is that high."""

    you_pay: str
    low: str
    high: str
    # One figure, never "$X to $X": the range's ends are the same whole dollars. `one_price`:
    # because every price used is one figure (its source gives no low and high end), not
    # because a range of prices comes to the same amount for you.
    single: bool
    one_price: bool
    ceiling: bool  # no plan terms: from $0 up to the most a plan may leave you to pay
    over_maximum: tuple[str, ...]  # why you_pay passes the out-of-pocket maximum typed
    # Medicaid without days at risk: the range's high end is the most Medicaid may charge.
    medicaid: bool = False


def headline(answer: Estimate, form: EstimateForm, ceiling: bool) -> Headline:
    low = whole_dollars(0 if ceiling else answer.range.low)
    high = whole_dollars(answer.range.high)
    return Headline(
        you_pay=whole_dollars(answer.you_pay),
        low=low,
        high=high,
        single=low == high,
        one_price=all(price.rate_low == price.rate_high for price in answer.prices),
        ceiling=ceiling,
        over_maximum=over_maximum(answer, form),
        medicaid=answer.coverage_used.kind == "medicaid" and not answer.days_at_risk,
    )


# What the estimate would use for each answer to "Insurance" (coverage_used.kind); any other
# kind means the program does not list that coverage and the estimate went without it.
CHOSEN_KINDS = {
    "none": ("self_pay",),
    "commercial": ("commercial",),
    "medicaid": ("medicaid",),
    "medicare": ("medicare",),
    "tricare": ("tricare",),
}
KIND_WORDS = {
    "commercial": "Your private plan",
    "tricare": "TRICARE",
    "medicaid": "Medicaid",
    "medicare": "Medicare",
    "self_pay": "Paying yourself, without insurance",
    "out_of_network": "Your plan's out-of-network terms",
}


def coverage_differs(answer: Estimate, data: dict, ceiling: bool) -> bool:
    """Whether the estimate used other coverage than the person chose (the program does not
    list theirs). Out of network is what they chose when they said so, and without its terms
    it is every charge, as self-pay (the ceiling note says so)."""
    chosen = CHOSEN_KINDS.get(data["insurance"], ())
    if data["insurance"] == "commercial" and data["in_network"] == "no":
        chosen += ("out_of_network", "self_pay") if ceiling else ("out_of_network",)
    return answer.coverage_used.kind not in chosen


def coverage_note(answer: Estimate, ceiling: bool) -> str | None:
    """The answer's first sentence when the program's listing does not name the coverage
    chosen: the estimator's reason, saying what it priced instead. (Out of network without
    terms, the ceiling note already says every charge is counted, as without insurance.)"""
    used = answer.coverage_used
    return used.reason if used.replaced and not ceiling else None


def at_risk(answer: Estimate, data: dict, ceiling: bool) -> str | None:
    """The line on the days after the plan's authorization, when there are any."""
    if not answer.days_at_risk:
        return None
    days = answer.days_at_risk
    authorized = data["days_authorized"]
    after = (
        ""
        if authorized is None
        else f" after the {plural(authorized, 'day')} your plan has authorized"
    )
    where = (
        f"the {whole_dollars(answer.range.high)} above"
        if ceiling
        else f"the top of the range ({whole_dollars(answer.range.high)}), not in the "
        f"{whole_dollars(answer.you_pay)} above"
    )
    one = days == 1
    return (
        f"{plural(days, 'day')}{after} {'is' if one else 'are'} at risk: if the plan does not "
        f"approve {'it' if one else 'them'}, {'it' if one else 'they'} would cost "
        f"{whole_dollars(answer.at_risk)} as self-pay. {'It is' if one else 'They are'} in "
        f"{where}."
    )


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def over_maximum(answer: Estimate, form: EstimateForm) -> tuple[str, ...]:
    """Why what you pay passes the out-of-pocket maximum the person typed, if it does."""
    typed = form.oop_max.data
    if form.insurance.data != "commercial" or typed is None:
        return ()
    if answer.you_pay <= dollars_to_cents(typed):
        return ()
    if answer.coverage_used.kind not in ("commercial", "out_of_network"):
        # Its calendar years are not plan years: the plan was not applied at all.
        return ("the program does not list your plan, so none of its terms apply, its maximum "
                "included: this is the self-pay price",)  # fmt: skip
    reasons = []
    if len(answer.plan_years) > 1:
        reset = answer.plan_years[1].start
        reasons.append(
            f"the stay crosses the plan year's reset on {reset:%B} {reset.day}: a second "
            "deductible and a second out-of-pocket maximum apply"
        )
    if answer.balance_billed:
        reasons.append(
            f"{whole_dollars(answer.balance_billed)} is a balance bill from an out-of-network "
            "program, which no out-of-pocket maximum caps"
        )
    return tuple(reasons)


def _choice_label(field) -> str:
    return next((choice.label for choice in field.choices if choice.value == field.data), "")


def used_answers(form: EstimateForm, answer: Estimate, ceiling: bool) -> list[tuple[str, str]]:
    """The answers the estimate used, as (what, in plain words) pairs."""
    data = form.data
    rows = [
        ("Program", _choice_label(form.program)),
        ("Length", f"{data['days']} days from {plain_date(data['start_date'])}"),
        ("Medication", _choice_label(form.medication)),
    ]
    if data["patient_age"] is not None:
        rows.append(("The patient's age", str(data["patient_age"])))
    if data["rate"] is not None:
        unit = answer.prices[0].unit
        rows.append(("Price you were quoted", f"{typed_dollars(data['rate'])} per {unit}"))
    rows.append(("Coverage", _choice_label(form.insurance)))
    if coverage_differs(answer, data, ceiling):
        rows.append(("Estimated as", KIND_WORDS.get(answer.coverage_used.kind, "")))
    if data["insurance"] == "commercial":
        rows.append(("Plan terms", plan_terms(data)))
    if data["insurance"] == "tricare":
        network = "a participating provider" if data["in_network"] != "no" else "not participating"
        rows.append(("TRICARE", f"{_choice_label(form.tricare_group)}; the program is {network}"))
    copaying = data["insurance"] in ("commercial", "medicaid")
    if copaying and copays(data):
        rows.append(("Copays", ", ".join(copays(data))))
    if data["visits_per_week"] is not None or copaying and data["visit_copay"] is not None:
        rows.append(("Visits per week", visits(data)))
    if data["insurance"] == "medicare" and data["deductible_met"]:
        rows.append(("Part B deductible already met", typed_dollars(data["deductible_met"])))
    if data["insurance"] == "medicare" and medicare_days(data):
        rows.append(("Medicare days", "; ".join(medicare_days(data))))
    if data["insurance"] != "none" and data["pharmacy_copay"] is not None:
        rows.append(("Pharmacy copay", f"{typed_dollars(data['pharmacy_copay'])} a 30-day fill"))
    if data["insurance"] != "none" and data["days_authorized"] is not None:
        rows.append(
            ("Days your plan has authorized", f"{data['days_authorized']} of {data['days']}")
        )
    if data["household_size"] is not None or data["income"] is not None:
        rows.append(("Household", household(data)))
    rows.append(("Sliding fee scale", "Yes" if data["sliding_scale"] else "No"))
    if data["payment_months"]:
        rows.append(("Spread over", f"{data['payment_months']} months"))
    return rows


def plan_terms(data: dict) -> str:
    """A commercial plan's terms as typed, in words."""
    parts = ["in network" if data["in_network"] != "no" else "out of network"]
    family = "family " if data["family"] else ""
    money = (
        ("deductible", family + "deductible {}"),
        ("deductible_met", "{} of it already met"),
        ("oop_max", family + "out-of-pocket maximum {}"),
        ("oop_met", "{} of it already spent"),
    )
    for key, words in money:
        if data[key] is not None:
            parts.append(words.format(typed_dollars(data[key])))
    if data["coinsurance"] is not None:
        parts.append(f"coinsurance {percent(data['coinsurance'])}")
    if data["allowed_percent"] is not None:
        parts.append(f"the plan allows {percent(data['allowed_percent'] / 100)} of each charge")
    if all(data[key] is None for key in ("deductible", "coinsurance", "oop_max")):
        parts.append("no deductible, coinsurance or maximum given")
    start = data["plan_year_start"] or "01-01"
    parts.append(f"plan year starts {dt.date.fromisoformat(f'2000-{start}'):%B} {int(start[3:])}")
    return ", ".join(parts)


def medicare_days(data: dict) -> list[str]:
    """Medicare's days already used, as typed, and whether the stay is in a psychiatric
    hospital."""
    each = (
        ("benefit_period_days_used", "{} already in this benefit period"),
        ("reserve_days_used", "{} of 60 lifetime reserve days used"),
        ("psychiatric_days_used", "{} of 190 lifetime psychiatric hospital days used"),
    )
    parts = [words.format(data[key]) for key, words in each if data[key]]
    if data["psychiatric_hospital"]:
        parts.append("a psychiatric hospital")
    return parts


def copays(data: dict) -> list[str]:
    """The copays typed, each with what it is charged on."""
    each = (("copay", "a day"), ("visit_copay", "a visit"), ("admission_copay", "an admission"))
    return [f"{typed_dollars(data[key])} {per}" for key, per in each if data[key] is not None]


def visits(data: dict) -> str:
    """The visits a week a visit copay is charged on, typed or the usual ones."""
    if data["visits_per_week"] is not None:
        return plural(data["visits_per_week"], "visit")
    return f"Not given: the usual, {usual_visits()}"


def usual_visits() -> str:
    """The estimator's usual visits a week (a visit copay's default), in words: "1 a week in
    standard outpatient care, 3 a week in intensive outpatient care"."""
    usual = visits_per_week()
    return ", ".join(
        f"{n} a week in {label('care', level).lower()} care" for level, n in usual.items()
    )


def household(data: dict) -> str:
    parts = []
    if data["household_size"] is not None:
        size = data["household_size"]
        parts.append(f"{size} {'person' if size == 1 else 'people'}")
    if data["income"] is not None:
        parts.append(f"{typed_dollars(data['income'])} a year")
    if data["state"]:
        parts.append(STATES.get(data["state"], data["state"]))
    return ", ".join(parts)


def typed_values(form: EstimateForm) -> list[tuple[str, str]]:
    """Every value the form was sent, as typed: the hidden fields of "Change answers", which
    posts them back (nothing typed goes into a link)."""
    return [(field.name, value) for field in form for value in field.raw_data or ()]


def poverty_class(answer: Estimate) -> str | None:
    """The household's poverty-guideline class in words, when the sliding fee used it."""
    if answer.pay_percent is None or answer.fpg_class is None:
        return None
    return CLASS_WORDS[answer.fpg_class]
