"""Prices per line: the rate given > the program's published rate > national reference figures."""

from dataclasses import dataclass
from datetime import date

from .episode import CARE_LEVELS, ITEM_NAMES, MEDICATIONS, phase_starts
from .errors import EstimateError
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


def request_rates(request: EstimateRequest) -> dict[int | None, Rate]:
    """Rates keyed by phase index, and None for the medication."""
    rates: dict[int | None, Rate] = {
        index: item_rate(
            phase.level, phase.rate_cents, request.program_rates, f"phases[{index}].rate"
        )
        for index, phase in enumerate(request.phases)
    }
    if request.medication:
        rates[None] = item_rate(
            request.medication,
            request.medication_rate_cents,
            request.program_rates,
            "medication_rate",
        )
    return rates


def priced_items(request: EstimateRequest, rates: dict[int | None, Rate]) -> tuple[PricedItem, ...]:
    """How each phase and the medication were priced, for display."""
    starts = phase_starts(request.start_date, request.phases)
    items = [
        _priced(phase.level, first, phase.days, rates[index])
        for index, (phase, first) in enumerate(zip(request.phases, starts, strict=True))
    ]
    if request.medication:
        total = sum(phase.days for phase in request.phases)
        items.append(_priced(request.medication, request.start_date, total, rates[None]))
    return tuple(items)


def _priced(item: str, start: date, days: int, rate: Rate) -> PricedItem:
    return PricedItem(item, start, days, rate.unit, rate.typical, rate.low, rate.high, rate.basis)


def price_notes(items: tuple[PricedItem, ...], rates: dict[int | None, Rate]) -> list[str]:
    """One plain sentence per distinct price used, saying where it came from."""
    notes = []
    for item, rate in zip(items, rates.values(), strict=True):
        name, per = ITEM_NAMES[item.item], f"per {rate.unit}"
        span = f"{format_dollars(rate.low)} to {format_dollars(rate.high)} {per}"
        if rate.basis == "request":
            note = f"Price of {name}: the rate you gave, {format_dollars(rate.typical)} {per}."
        elif rate.basis == "program" and rate.low == rate.high:
            rate_text = format_dollars(rate.typical)
            note = f"Price of {name}: the program's published rate, {rate_text} {per}."
        elif rate.basis == "program":
            note = (
                f"Price of {name}: the program publishes {span}; the estimate uses the midpoint, "
                f"{format_dollars(rate.typical)}, and the range uses both ends."
            )
        else:
            years = sorted({source.year for source in rate.sources})
            figure = format_dollars(rate.typical) + f" {per}"
            if rate.low != rate.high:
                figure = f"{format_dollars(rate.typical)} (range {span})"
            note = (
                f"Price of {name}: no program rate was available, so a national reference figure "
                f"is used: {figure}, in {', '.join(years)} dollars, not adjusted for inflation. "
                "Ask the program for its actual price."
            )
        if note not in notes:
            notes.append(note)
    return notes
