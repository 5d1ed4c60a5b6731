"""The estimate answer as the page says it: whole dollars and the range, why it can pass the
out-of-pocket maximum typed, the answers it used in plain words, and its sources with a
footnote for the secondary ones. Words only: the figures are the estimator's."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from babel.dates import format_date, format_skeleton

from . import i18n
from .chart import chart
from .estimate_inputs import ceiling_note, is_ceiling
from .estimator import (
    CLASS_WORDS,
    Estimate,
    dollars_to_cents,
    visits_per_week,
)
from .estimator.text import N_
from .forms import EstimateForm
from .i18n import gettext as _
from .i18n import ngettext
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
    """Cents as whole dollars, rounded half up, for the page's locale: "$14,835"."""
    return i18n.money(cents)


def typed_dollars(amount: Decimal) -> str:
    """A dollar amount someone typed, without cents when it has none: "$5,000", "$12.50"."""
    cents = dollars_to_cents(amount)
    return whole_dollars(cents) if cents % 100 == 0 else i18n.money(cents, cents=True)


def month_name(month: str, short: bool = False) -> str:
    """ "2025-11" as "November 2025" (or "Nov"); in Spanish "Noviembre de 2025" ("nov")."""
    day = dt.date.fromisoformat(month + "-01")
    if i18n.lang() == "en":
        return f"{day:%b}" if short else f"{day:%B %Y}"
    locale = i18n.LANGUAGES[i18n.lang()]
    if short:
        return format_date(day, "LLL", locale=locale)
    named = format_skeleton("yMMMM", day, locale=locale)
    return named[:1].upper() + named[1:]


def month_day(day: dt.date) -> str:
    """ "November 15"; in Spanish "15 de noviembre"."""
    if i18n.lang() == "en":
        return f"{day:%B} {day.day}"
    return format_skeleton("MMMMd", day, locale=i18n.LANGUAGES[i18n.lang()])


# The units a price is given per (estimator's prices: day, week, dose, 30-day fill).
UNIT_WORDS = {"day": N_("day"), "week": N_("week"), "dose": N_("dose"), "fill": N_("fill")}


def unit_word(unit: str) -> str:
    """A price's unit in the page's language: "day" / "día"."""
    return i18n.say(UNIT_WORDS[unit]) if unit in UNIT_WORDS else unit


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
    "commercial": N_("Your private plan"),
    "tricare": N_("TRICARE"),
    "medicaid": N_("Medicaid"),
    "medicare": N_("Medicare"),
    "self_pay": N_("Paying yourself, without insurance"),
    "out_of_network": N_("Your plan's out-of-network terms"),
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
    cost = whole_dollars(answer.at_risk)
    if authorized is None:
        first = ngettext(
            "%(num)d day is at risk: if the plan does not approve it, it would cost %(cost)s "
            "as self-pay.",
            "%(num)d days are at risk: if the plan does not approve them, they would cost "
            "%(cost)s as self-pay.",
            days,
            cost=cost,
        )
    else:
        first = ngettext(
            "%(num)d day after the %(authorized)s your plan has authorized is at risk: if the "
            "plan does not approve it, it would cost %(cost)s as self-pay.",
            "%(num)d days after the %(authorized)s your plan has authorized are at risk: if "
            "the plan does not approve them, they would cost %(cost)s as self-pay.",
            days,
            authorized=ngettext("%(num)d day", "%(num)d days", authorized),
            cost=cost,
        )
    high = whole_dollars(answer.range.high)
    if ceiling:
        where = ngettext(
            "It is in the %(high)s above.", "They are in the %(high)s above.", days, high=high
        )
    else:
        where = ngettext(
            "It is in the top of the range (%(high)s), not in the %(amount)s above.",
            "They are in the top of the range (%(high)s), not in the %(amount)s above.",
            days,
            high=high,
            amount=whole_dollars(answer.you_pay),
        )
    return f"{first} {where}"


def over_maximum(answer: Estimate, form: EstimateForm) -> tuple[str, ...]:
    """Why what you pay passes the out-of-pocket maximum the person typed, if it does."""
    typed = form.oop_max.data
    if form.insurance.data != "commercial" or typed is None:
        return ()
    if answer.you_pay <= dollars_to_cents(typed):
        return ()
    if answer.coverage_used.kind not in ("commercial", "out_of_network"):
        # Its calendar years are not plan years: the plan was not applied at all.
        return (_("the program does not list your plan, so none of its terms apply, its "
                  "maximum included: this is the self-pay price"),)  # fmt: skip
    reasons = []
    if len(answer.plan_years) > 1:
        reasons.append(
            _(
                "the stay crosses the plan year's reset on %(day)s: a second deductible and a "
                "second out-of-pocket maximum apply",
                day=month_day(answer.plan_years[1].start),
            )
        )
    if answer.balance_billed:
        reasons.append(
            _(
                "%(amount)s is a balance bill from an out-of-network program, which no "
                "out-of-pocket maximum caps",
                amount=whole_dollars(answer.balance_billed),
            )
        )
    return tuple(reasons)


def _choice_label(field) -> str:
    return next((choice.label for choice in field.choices if choice.value == field.data), "")


def used_answers(form: EstimateForm, answer: Estimate, ceiling: bool) -> list[tuple[str, str]]:
    """The answers the estimate used, as (what, in plain words) pairs."""
    data = form.data
    start = i18n.long_date(data["start_date"])
    rows = [
        (_("Program"), _choice_label(form.program)),
        (_("Length"), _("%(days)s days from %(start)s", days=data["days"], start=start)),
        (_("Medication"), _choice_label(form.medication)),
    ]
    if data["patient_age"] is not None:
        rows.append((_("The patient's age"), str(data["patient_age"])))
    if data["rate"] is not None:
        unit = unit_word(answer.prices[0].unit)
        quoted = _("%(amount)s per %(unit)s", amount=typed_dollars(data["rate"]), unit=unit)
        rows.append((_("Price you were quoted"), quoted))
    rows.append((_("Coverage"), _choice_label(form.insurance)))
    if coverage_differs(answer, data, ceiling):
        rows.append((_("Estimated as"), i18n.say(KIND_WORDS.get(answer.coverage_used.kind))))
    if data["insurance"] == "commercial":
        rows.append((_("Plan terms"), plan_terms(data)))
    if data["insurance"] == "tricare":
        group = _choice_label(form.tricare_group)
        if data["in_network"] != "no":
            said = _("%(group)s; the program is a participating provider", group=group)
        else:
            said = _("%(group)s; the program is not participating", group=group)
        rows.append((_("TRICARE"), said))
    copaying = data["insurance"] in ("commercial", "medicaid")
    if copaying and copays(data):
        rows.append((_("Copays"), ", ".join(copays(data))))
    if data["visits_per_week"] is not None or copaying and data["visit_copay"] is not None:
        rows.append((_("Visits per week"), visits(data)))
    if data["insurance"] == "medicare" and data["deductible_met"]:
        rows.append((_("Part B deductible already met"), typed_dollars(data["deductible_met"])))
    if data["insurance"] == "medicare" and medicare_days(data):
        rows.append((_("Medicare days"), "; ".join(medicare_days(data))))
    if data["insurance"] != "none" and data["pharmacy_copay"] is not None:
        fill = _("%(amount)s a 30-day fill", amount=typed_dollars(data["pharmacy_copay"]))
        rows.append((_("Pharmacy copay"), fill))
    if data["insurance"] != "none" and data["days_authorized"] is not None:
        rows.append(
            (
                _("Days your plan has authorized"),
                _(
                    "%(authorized)s of %(days)s",
                    authorized=data["days_authorized"],
                    days=data["days"],
                ),
            )
        )
    if data["household_size"] is not None or data["income"] is not None:
        rows.append((_("Household"), household(data)))
    rows.append((_("Sliding fee scale"), _("Yes") if data["sliding_scale"] else _("No")))
    if data["payment_months"]:
        rows.append((_("Spread over"), _("%(months)s months", months=data["payment_months"])))
    return rows


def plan_terms(data: dict) -> str:
    """A commercial plan's terms as typed, in words."""
    parts = [_("in network") if data["in_network"] != "no" else _("out of network")]
    family = data["family"]
    if data["deductible"] is not None:
        amount = typed_dollars(data["deductible"])
        parts.append(
            _("family deductible %(amount)s", amount=amount)
            if family
            else _("deductible %(amount)s", amount=amount)
        )
    if data["deductible_met"] is not None:
        parts.append(
            _("%(amount)s of it already met", amount=typed_dollars(data["deductible_met"]))
        )
    if data["oop_max"] is not None:
        amount = typed_dollars(data["oop_max"])
        parts.append(
            _("family out-of-pocket maximum %(amount)s", amount=amount)
            if family
            else _("out-of-pocket maximum %(amount)s", amount=amount)
        )
    if data["oop_met"] is not None:
        parts.append(_("%(amount)s of it already spent", amount=typed_dollars(data["oop_met"])))
    if data["coinsurance"] is not None:
        parts.append(_("coinsurance %(percent)s", percent=percent(data["coinsurance"])))
    if data["allowed_percent"] is not None:
        allowed = percent(data["allowed_percent"] / 100)
        parts.append(_("the plan allows %(percent)s of each charge", percent=allowed))
    if all(data[key] is None for key in ("deductible", "coinsurance", "oop_max")):
        parts.append(_("no deductible, coinsurance or maximum given"))
    start = data["plan_year_start"] or "01-01"
    day = month_day(dt.date.fromisoformat(f"2000-{start}"))
    parts.append(_("plan year starts %(day)s", day=day))
    return ", ".join(parts)


def medicare_days(data: dict) -> list[str]:
    """Medicare's days already used, as typed, and whether the stay is in a psychiatric
    hospital."""
    parts = []
    if data["benefit_period_days_used"]:
        days = data["benefit_period_days_used"]
        parts.append(_("%(days)s already in this benefit period", days=days))
    if data["reserve_days_used"]:
        days = data["reserve_days_used"]
        parts.append(_("%(days)s of 60 lifetime reserve days used", days=days))
    if data["psychiatric_days_used"]:
        days = data["psychiatric_days_used"]
        parts.append(_("%(days)s of 190 lifetime psychiatric hospital days used", days=days))
    if data["psychiatric_hospital"]:
        parts.append(_("a psychiatric hospital"))
    return parts


def copays(data: dict) -> list[str]:
    """The copays typed, each with what it is charged on."""
    parts = []
    if data["copay"] is not None:
        parts.append(_("%(amount)s a day", amount=typed_dollars(data["copay"])))
    if data["visit_copay"] is not None:
        parts.append(_("%(amount)s a visit", amount=typed_dollars(data["visit_copay"])))
    if data["admission_copay"] is not None:
        parts.append(_("%(amount)s an admission", amount=typed_dollars(data["admission_copay"])))
    return parts


def visits(data: dict) -> str:
    """The visits a week a visit copay is charged on, typed or the usual ones."""
    if data["visits_per_week"] is not None:
        return ngettext("%(num)d visit", "%(num)d visits", data["visits_per_week"])
    return _("Not given: the usual, %(usual)s", usual=usual_visits())


def usual_visits() -> str:
    """The estimator's usual visits a week (a visit copay's default), in words: "1 a week in
    standard outpatient care, 3 a week in intensive outpatient care"."""
    usual = visits_per_week()
    return ", ".join(
        _("%(visits)s a week in %(care)s care", visits=n, care=label("care", level).lower())
        for level, n in usual.items()
    )


def household(data: dict) -> str:
    parts = []
    if data["household_size"] is not None:
        parts.append(ngettext("%(num)d person", "%(num)d people", data["household_size"]))
    if data["income"] is not None:
        parts.append(_("%(amount)s a year", amount=typed_dollars(data["income"])))
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
    return i18n.say(CLASS_WORDS[answer.fpg_class])
