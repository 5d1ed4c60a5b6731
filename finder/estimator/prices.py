"""Prices per line: the rate given > the program's published rate > national reference figures."""

from dataclasses import dataclass, replace
from datetime import date

from .episode import CARE_LEVELS, ITEM_NAMES, MEDICATIONS, phase_starts
from .errors import EstimateError
from .medication import PHARMACY, MedicationPlan
from .model import EstimateRequest, PricedItem, ProgramRate, Source
from .money import format_dollars
from .reference import national_prices

BOUNDS = ("low", "typical", "high")


@dataclass(frozen=True)
class Rate:
    """A price per unit in cents with its low and high, where it came from, and its sources."""

    low: int
    typical: int
    high: int
    unit: str
    basis: str  # "request", "program" or "national"
    sources: tuple[Source, ...] = ()
    # An opioid treatment program phase without a rate of its own is priced at the bundle of
    # this medication (the medication's rate: given, published, else national).
    bundle: str | None = None

    def at(self, bound: str) -> int:
        return {"low": self.low, "typical": self.typical, "high": self.high}[bound]


def _midpoint(low: int, high: int) -> int:
    return (low + high + 1) // 2  # half a cent rounds up


def item_rate(
    item: str, given: int | None, program_rates: tuple[ProgramRate, ...], field: str
) -> Rate:
    """The rate for one care level or medication, or EstimateError(field) when none is sourced."""
    unit = CARE_LEVELS.get(item) or MEDICATIONS[item]
    if given is not None:
        return Rate(given, given, given, unit, "request")
    published = next((rate for rate in program_rates if rate.item == item), None)
    if published is not None:
        high = published.low_cents if published.high_cents is None else published.high_cents
        typical = _midpoint(published.low_cents, high)
        return Rate(published.low_cents, typical, high, unit, "program")
    national = national_prices().get(item)
    if national is None:
        raise EstimateError(
            field,
            f"There is no sourced national price for {ITEM_NAMES[item]}; "
            f"please give the program's rate per {unit}.",
        )
    return Rate(national.low, national.typical, national.high, unit, "national", national.sources)


def request_rates(
    request: EstimateRequest, plan: MedicationPlan | None
) -> dict[int | str | None, Rate]:
    """Rates keyed by phase index, None for the medication's own lines and PHARMACY for its
    pharmacy fills (as Slot.phase). An opioid treatment program phase that bundles the
    medication and has no rate of its own (given or published) is priced at the medication's."""
    rates: dict[int | str | None, Rate] = {}
    bundled = () if plan is None else plan.bundled
    for index, phase in enumerate(request.phases):
        field = f"phases[{index}].rate"
        if index in bundled and not _own_rate(phase.level, phase.rate_cents, request):
            rate = _medication_rate(request)
            rates[index] = replace(rate, unit=CARE_LEVELS[phase.level], bundle=request.medication)
        else:
            rates[index] = item_rate(phase.level, phase.rate_cents, request.program_rates, field)
    if plan is not None and plan.charged:
        if plan.pharmacy:
            rates[PHARMACY] = Rate(plan.copay, plan.copay, plan.copay, "fill", "request")
        else:
            rates[None] = _medication_rate(request)
    return rates


def _own_rate(level: str, given: int | None, request: EstimateRequest) -> bool:
    return given is not None or any(rate.item == level for rate in request.program_rates)


def _medication_rate(request: EstimateRequest) -> Rate:
    return item_rate(
        request.medication, request.medication_rate_cents, request.program_rates, "medication_rate"
    )


def priced_items(
    request: EstimateRequest, rates: dict[int | str | None, Rate], plan: MedicationPlan | None
) -> tuple[PricedItem, ...]:
    """How each phase and the medication were priced, for display (in the rates' order)."""
    starts = phase_starts(request.start_date, request.phases)
    items = []
    for key, rate in rates.items():
        if isinstance(key, int):
            phase = request.phases[key]
            items.append(_priced(phase.level, starts[key], phase.days, rate))
        else:
            items.append(_priced(request.medication, plan.stretches[0][0], plan.days, rate))
    return tuple(items)


def _priced(item: str, start: date, days: int, rate: Rate) -> PricedItem:
    return PricedItem(item, start, days, rate.unit, rate.typical, rate.low, rate.high, rate.basis)


def price_notes(items: tuple[PricedItem, ...], rates: dict[int | str | None, Rate]) -> list[str]:
    """One plain sentence per distinct price used, saying where it came from."""
    notes = []
    for item, rate in zip(items, rates.values(), strict=True):
        name = ITEM_NAMES[item.item]
        if rate.unit == "fill":
            continue  # the pharmacy copay: medication.py says how it is counted
        if rate.bundle is not None:
            note = (
                f"Price of {name}: it has no rate of its own (given or published), so it is "
                f"priced at the {ITEM_NAMES[rate.bundle]} bundle (the medication and the "
                f"program's visits together). Price of that bundle: {_where(rate)}"
            )
        else:
            note = f"Price of {name}: {_where(rate)}"
        if note not in notes:
            notes.append(note)
    return notes


def _where(rate: Rate) -> str:
    """Where a rate came from, and its range: the end of a price note."""
    per = f"per {rate.unit}"
    span = f"{format_dollars(rate.low)} to {format_dollars(rate.high)} {per}"
    if rate.basis == "request":
        whose = "the medication rate you gave" if rate.bundle else "the rate you gave"
        return f"{whose}, {format_dollars(rate.typical)} {per}."
    if rate.basis == "program" and rate.low == rate.high:
        return f"the program's published rate, {format_dollars(rate.typical)} {per}."
    if rate.basis == "program":
        return (
            f"the program publishes {span}; the estimate uses the midpoint, "
            f"{format_dollars(rate.typical)}, and the range uses both ends."
        )
    years = sorted({source.year for source in rate.sources})
    figure = f"{format_dollars(rate.typical)} (range {span})"
    if rate.low == rate.high:
        figure = (
            f"one figure, {format_dollars(rate.typical)} {per} (its source gives no range, so "
            "the low and high ends of the estimate use it too)"
        )
    return (
        "no program rate was available, so a national reference figure is used: "
        f"{figure}, in {', '.join(years)} dollars, not adjusted for inflation. "
        "Ask the program for its actual price."
    )
