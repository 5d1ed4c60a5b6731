"""The estimate: price the episode, apply insurance and the sliding fee, and add it all up."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from functools import partial
from typing import NamedTuple

from .episode import Slot, charge_slots
from .explain import (
    GOOD_FAITH_NOTICE,
    authorization_note,
    episode_notes,
    general_notes,
    poverty_note,
    sliding_notes,
)
from .insurance import Coverage, PricedLine, Share, commercial, self_pay
from .medicaid import CHILD_AGE, medicaid, uninsured_notes
from .medicare import medicare
from .medication import (
    PHARMACY,
    MedicationPlan,
    medication_notes,
    medication_plan,
    medication_slots,
)
from .model import (
    CostRange,
    Estimate,
    EstimateRequest,
    LineCost,
    MonthTotals,
    PaymentPlan,
    PeriodTotals,
    ProgramRate,
    Totals,
)
from .payer import coverage_used
from .poverty import PovertyPercent, poverty_percent
from .prices import BOUNDS, Rate, price_notes, priced_items, request_rates
from .reference import dosing, rule_sources, visit_sources
from .runs import Amounts, Sliding, totals_cost
from .sliding import DEFAULT_SCHEDULE, fpg_class, pay_percent, pay_percent_range
from .terms import calendar_year_of, line_facts, plan_year_of
from .text import N_
from .tricare import tricare
from .validate import validated, validated_program_terms


@dataclass(frozen=True)
class _Money:
    """The money of an estimate, before any explanation: what estimate and estimate_totals share."""

    request: EstimateRequest  # validated, with the insurance the estimate applies
    asked: EstimateRequest  # validated, as asked
    rates: dict[int | str | None, Rate]
    plan: MedicationPlan | None
    fpg: PovertyPercent | None
    pay_low: Decimal | None
    pay_high: Decimal | None
    runs: dict[str, "_Run"]
    totals: Totals


class _Run(NamedTuple):
    """Every line costed at one price bound: the authorized lines' sums, and the self-pay
    price of the days after the plan's authorization (`at_risk`, cents); the lines
    themselves (`priced`, `amounts`, `shares`) and the coverage of the care's lines (the
    pharmacy fills are not the plan's medical benefit) unless only the totals were asked for."""

    sums: Amounts
    at_risk: int
    priced: tuple[PricedLine, ...] = ()
    amounts: tuple[Amounts, ...] = ()
    coverage: Coverage | None = None
    shares: tuple[Share, ...] = ()
    # The most you may pay for the authorized lines (the range's high end, before the days at
    # risk): their you_pay, or the payer's ceiling where it has one (Coverage.ceiling).
    most_cents: int | None = None

    @property
    def most(self) -> int:
        return self.sums.you_pay if self.most_cents is None else self.most_cents


def _money(
    request: EstimateRequest,
    lines_wanted: bool = True,
    checked: bool = False,
    episode: tuple[tuple[Slot, ...], tuple[PricedLine, ...]] | None = None,
) -> _Money:
    """The money of an estimate; without `lines_wanted`, its totals alone, by runs of alike
    lines (runs.py) where that gives the same cents (_runs_suffice), else line by line.
    `checked`: the request is validated already, and `episode` its charge slots and lines
    when it has no medication (programs_totals)."""
    asked = request if checked else validated(request)
    insurance, used = coverage_used(asked)
    request = asked if insurance is asked.insurance else replace(asked, insurance=insurance)
    plan = medication_plan(request)
    if episode is None:
        slots = charge_slots(request.start_date, request.phases, medication_slots(plan))
        lines = line_facts(request, slots)
    else:
        slots, lines = episode
    cutoff = None
    if insurance is not None and insurance.days_authorized is not None:
        cutoff = request.start_date + timedelta(days=insurance.days_authorized)
    if not lines_wanted and _runs_suffice(request):
        totals_at = totals_cost(request, slots, lines, cutoff)

        def cost(rates, bound, pay) -> _Run:
            return _Run(*totals_at(rates, bound, pay))

    else:
        cost = partial(_run, request, slots, lines, cutoff=cutoff)
    rates = request_rates(request, plan)
    fpg = token = pay_low = pay_high = None
    if request.household is not None:
        household = request.household
        fpg = poverty_percent(
            household.size, household.annual_income_cents, household.state, request.start_date
        )
        token = fpg_class(fpg.exact)
    elif request.fpg_class is not None:
        token = request.fpg_class
    if request.sliding_scale and token is not None:
        schedule = request.sliding_schedule or DEFAULT_SCHEDULE
        if fpg is not None:
            pay_low = pay_high = pay_percent(fpg.exact, schedule)
        else:
            pay_low, pay_high = pay_percent_range(token, schedule)

    pays = {"low": pay_low, "typical": pay_high, "high": pay_high}
    runs, done = {}, {}
    for bound in BOUNDS:
        # Single-figure prices make the bounds identical runs: cost each distinct one once.
        key = (tuple(rate.at(bound) for rate in rates.values()), pays[bound])
        if key not in done:
            done[key] = cost(rates, bound, pays[bound])
        runs[bound] = done[key]
    charges, insurance_pays, you_pay, discount, balance = runs["typical"].sums
    days = sum(phase.days for phase in request.phases)
    totals = Totals(
        total_charges=charges,
        insurance_pays=insurance_pays,
        you_pay=you_pay,
        sliding_discount=discount,
        balance_billed=balance,
        fpg_percent=fpg.percent if fpg else None,
        fpg_class=token,
        pay_percent=pay_high,
        range=CostRange(runs["low"].sums.you_pay, _top(runs["high"])),
        coverage_used=used,
        days_at_risk=0 if cutoff is None else max(0, days - insurance.days_authorized),
        at_risk=runs["typical"].at_risk,
    )
    return _Money(request, asked, rates, plan, fpg, pay_low, pay_high, runs, totals)


def _runs_suffice(request: EstimateRequest) -> bool:
    """Whether runs.py's totals are the payer's to the cent: self-pay, a commercial plan, and
    Medicaid without the federal ceiling (no household income: medicaid._federal_most) and
    without a child's exemption from the copays (medicaid.CHILD_AGE); the other payers'
    rules are counted line by line."""
    insurance = request.insurance
    if insurance is None or insurance.kind == "commercial":
        return True
    age = request.patient_age
    return (
        insurance.kind == "medicaid"
        and request.household is None
        and (age is None or age >= CHILD_AGE)
    )


def _top(run: "_Run") -> int:
    """The top of the range: the most you may pay at the high prices (_Run.most: Medicaid's
    ceiling), the days at risk after the authorization, and what the payer's rules may add
    beyond the lines (Coverage.high_extra;
    the run-by-run totals, commercial plans and self-pay, have none)."""
    extra = run.coverage.high_extra if run.coverage is not None else 0
    return run.most + run.at_risk + extra


def estimate_totals(request: EstimateRequest) -> Totals:
    """The figures of `estimate(request)` alone (same cents, same code), without the
    explanation, prices, lines, months and plan years: what a search result card shows.

    Raises EstimateError like estimate.
    """
    return _money(request, lines_wanted=False).totals


def programs_totals(request: EstimateRequest) -> Callable[..., Totals]:
    """estimate_totals for many programs under one request (a search's results: one person,
    start date, care and coverage): the request is validated once, here; each call
    `totals(program_rates, sliding_scale, sliding_schedule, accepted_payments)` validates
    only the program's terms and gives `estimate_totals` of the request with them, same cents.

    Raises EstimateError like estimate_totals (the request's own errors here)."""
    asked = validated(request)
    episode = None
    if asked.medication is None:  # else its lines depend on the coverage used (medication.py)
        slots = charge_slots(asked.start_date, asked.phases)
        episode = (slots, line_facts(asked, slots))

    def totals(
        program_rates: tuple[ProgramRate, ...],
        sliding_scale: bool,
        sliding_schedule: tuple | None,
        accepted_payments: tuple[str, ...] | None,
    ) -> Totals:
        terms = validated_program_terms(program_rates, sliding_schedule, accepted_payments)
        request = replace(asked, sliding_scale=sliding_scale, **terms)
        return _money(request, lines_wanted=False, checked=True, episode=episode).totals

    return totals


def estimate(request: EstimateRequest) -> Estimate:
    """Estimate who pays what for an episode of care, by plan year and month, with a range.

    Raises EstimateError (with `field`) on invalid input or when a price has no source.
    """
    money = _money(request)
    request, rates, fpg, totals = money.request, money.rates, money.fpg, money.totals
    token = totals.fpg_class
    items = priced_items(request, rates, money.plan)
    rules = rule_sources()
    notes = [totals.coverage_used.reason] if totals.coverage_used.replaced else []
    notes += episode_notes(request, items, medication_notes(money.plan, request))
    sources = [rules["nida_duration"]]
    if request.medication in dosing():
        sources.append(dosing()[request.medication].source)
    notes += price_notes(items, rates)
    sources += [source for rate in rates.values() for source in rate.sources]

    # Income also sets Medicaid's most (medicaid.py) and, without insurance, whether the
    # person is likely eligible for it.
    medicaid_notes, medicaid_sources = uninsured_notes(money.asked, totals.coverage_used, fpg)
    on_medicaid = request.insurance is not None and request.insurance.kind == "medicaid"
    if fpg is not None and (request.sliding_scale or on_medicaid or medicaid_notes):
        notes += [poverty_note(fpg, request.household.size), *fpg.notes]
        sources.append(fpg.table.source)
    elif fpg is not None:
        notes.append(N_("Household income changes nothing here: no sliding fee scale applies."))
        notes += fpg.notes  # the percent is still given: which guideline it is of
        sources.append(fpg.table.source)
    if request.sliding_scale and token is None:
        notes.append(
            N_(
                "The program has a sliding fee, but without household size and income it cannot "
                "be applied: full charges are shown."
            )
        )
    elif request.sliding_scale:
        class_only = token if fpg is None else None
        notes += sliding_notes(request, money.pay_low, money.pay_high, class_only)
        if request.sliding_schedule is None:
            sources.append(rules["hrsa_sliding_fee"])
        if request.insurance is not None:
            sources.append(rules["fqhc_insured"])

    _, _, priced, amounts, coverage, shares, _ = money.runs["typical"]
    lines = _line_costs(priced, amounts, shares)
    notes += coverage.notes
    sources += coverage.sources
    notes += medicaid_notes
    sources += medicaid_sources
    if request.insurance is not None:
        if request.insurance.visit_copay_cents and any(line.visits for line in priced):
            sources += visit_sources()
        notes.append(authorization_note(request, totals))
        if request.insurance.days_authorized is not None:
            sources.append(rules["prior_authorization"])
    notes += general_notes(request)
    sources.append(rules["no_surprises_gfe"])

    return Estimate(
        total_charges=totals.total_charges,
        insurance_pays=totals.insurance_pays,
        you_pay=totals.you_pay,
        sliding_discount=totals.sliding_discount,
        balance_billed=totals.balance_billed,
        fpg_percent=totals.fpg_percent,
        fpg_class=token,
        pay_percent=totals.pay_percent,
        plan_years=tuple(
            PeriodTotals(start, *amounts)
            for start, amounts in _totals(lines, lambda line: line.plan_year).items()
        ),
        months=tuple(
            MonthTotals(month, *amounts)
            for month, amounts in _totals(lines, lambda line: line.on.strftime("%Y-%m")).items()
        ),
        range=totals.range,
        payment_plan=(
            payment_plan(totals.you_pay, request.payment_months) if request.payment_months else None
        ),
        prices=items,
        lines=lines,
        assumptions=tuple(dict.fromkeys(notes)),
        sources=tuple(dict.fromkeys(sources)),
        good_faith_notice=GOOD_FAITH_NOTICE,
        coverage_used=totals.coverage_used,
        days_at_risk=totals.days_at_risk,
        at_risk=totals.at_risk,
    )


def _columns(amounts: tuple[Amounts, ...]) -> tuple[tuple[int, ...], ...]:
    """The amounts column by column (charge, insurance_pays, you_pay, ...)."""
    return tuple(zip(*amounts, strict=True)) or ((),) * len(Amounts._fields)


def _run(
    request: EstimateRequest,
    slots: tuple[Slot, ...],
    lines: tuple[PricedLine, ...],
    rates: dict[int | str | None, Rate],
    bound: str,
    pay: Decimal | None,
    cutoff: date | None,
) -> _Run:
    """Cost every line at one price bound ("low", "typical", "high") and pay percent: the
    lines before `cutoff` (the end of the plan's authorization; None: every line) with the
    insurance, those after it as self-pay. Pharmacy fills are yours whatever the date: their
    charge is the copay, outside the plan's medical cost sharing and the sliding fee."""
    price = {phase: rate.at(bound) for phase, rate in rates.items()}
    priced = tuple(
        PricedLine(line.on, line.item, price[slot.phase], line.visits, line.admission)
        for slot, line in zip(slots, lines, strict=True)
    )
    fill = [slot.phase == PHARMACY for slot in slots]
    care = tuple(line for line, filled in zip(priced, fill, strict=True) if not filled)
    at_risk = 0
    if cutoff is not None:
        after = [line for line in care if line.on >= cutoff]
        care = tuple(line for line in care if line.on < cutoff)
        at_risk = sum(money.you_pay for money in _amounts(after, self_pay(after), pay))
    coverage = _coverage(request, care)
    costed = _amounts(care, coverage, pay)
    care_amounts = iter(costed)
    care_shares = iter(coverage.shares)
    kept, amounts, shares = [], [], []
    for line, filled in zip(priced, fill, strict=True):
        if filled:
            kept.append(line)
            amounts.append(Amounts(line.charge, 0, line.charge))
            shares.append(Share(line.charge, 0, 0, _year_of(request, line.on)))
        elif cutoff is None or line.on < cutoff:
            kept.append(line)
            amounts.append(next(care_amounts))
            shares.append(next(care_shares))
    sums = Amounts(*(sum(column) for column in _columns(tuple(amounts))))
    most = None
    if coverage.ceiling is not None:
        fills = sum(line.charge for line, filled in zip(priced, fill, strict=True) if filled)
        paid = sum(money.you_pay for money in costed)
        most = fills + _most(care, coverage, pay, paid)
    return _Run(sums, at_risk, tuple(kept), tuple(amounts), coverage, tuple(shares), most)


def _year_of(request: EstimateRequest, on: date) -> date:
    """The plan year (a commercial plan's) or calendar year a date falls in."""
    insurance = request.insurance
    if insurance is not None and insurance.kind == "commercial":
        return plan_year_of(on, insurance.plan_year_start)
    return calendar_year_of(on)


def _most(care: tuple[PricedLine, ...], coverage: Coverage, pay: Decimal | None, paid: int) -> int:
    """The most you may pay for the care's lines under the payer's ceiling (Coverage.ceiling),
    each line under the sliding fee's cap and each calendar month under the ceiling's, and
    never less than what you pay for them (`paid`)."""
    ceiling, sliding, months = coverage.ceiling, Sliding(pay), defaultdict(int)
    for line, most, share in zip(care, ceiling.lines, coverage.shares, strict=True):
        most_share = share._replace(cost_share=most)
        months[line.on.strftime("%Y-%m")] += sliding.amounts(line.charge, most_share).you_pay
    per_month = ceiling.per_month
    capped = sum(total if per_month is None else min(total, per_month) for total in months.values())
    return max(capped, paid)


def _amounts(priced, coverage: Coverage, pay: Decimal | None) -> tuple[Amounts, ...]:
    """Each line's money once the sliding fee (pay percent) has capped your cost share."""
    sliding = Sliding(pay)
    return tuple(
        sliding.amounts(line.charge, share)
        for line, share in zip(priced, coverage.shares, strict=True)
    )


def _line_costs(priced, amounts, shares) -> tuple[LineCost, ...]:
    return tuple(
        LineCost(line.on, line.item, *money[:4], money.balance_bill, share.plan_year)
        for line, money, share in zip(priced, amounts, shares, strict=True)
    )


def _coverage(request: EstimateRequest, lines: list[PricedLine]) -> Coverage:
    insurance = request.insurance
    if insurance is None:
        return self_pay(lines)
    if insurance.kind == "commercial":
        return commercial(insurance, lines, request.start_date)
    if insurance.kind == "medicaid":
        return medicaid(request, lines)
    if insurance.kind == "tricare":
        return tricare(insurance, lines, request.start_date)
    return medicare(insurance, lines, request.start_date)


def _totals(lines: tuple[LineCost, ...], key: Callable) -> dict:
    totals = defaultdict(lambda: [0, 0, 0, 0])
    for line in lines:
        bucket = totals[key(line)]
        for index, amount in enumerate(
            (line.charge, line.insurance_pays, line.you_pay, line.sliding_discount)
        ):
            bucket[index] += amount
    return dict(sorted(totals.items()))


def payment_plan(total_cents: int, months: int) -> PaymentPlan:
    """`total_cents` over `months` equal payments; the first ones carry the leftover cents."""
    base, extra = divmod(total_cents, months)
    return PaymentPlan(months, tuple(base + (1 if month < extra else 0) for month in range(months)))
