"""Prices per line: the rate given > the program's published rate > national reference figures."""

from dataclasses import dataclass, replace
from datetime import date

from .episode import CARE_LEVELS, ITEM_NAMES, MEDICATIONS, PER_UNIT, phase_starts
from .errors import EstimateError
from .medication import PHARMACY, MedicationPlan
from .model import EstimateRequest, PricedItem, ProgramRate, Source
from .reference import national_prices
from .text import Cents, Text

BOUNDS = ("low", "typical", "high")
UNDATED = "undated"  # a source's year when it gives none


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
            Text(
                "There is no sourced national price for %(name)s; please give the program's "
                "rate %(per)s.",
                name=ITEM_NAMES[item],
                per=PER_UNIT[unit],
            ),
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


def price_notes(items: tuple[PricedItem, ...], rates: dict[int | str | None, Rate]) -> list[Text]:
    """One plain sentence per distinct price used, saying where it came from."""
    notes = []
    for item, rate in zip(items, rates.values(), strict=True):
        name = ITEM_NAMES[item.item]
        if rate.unit == "fill":
            continue  # the pharmacy copay: medication.py says how it is counted
        if rate.bundle is not None:
            note = Text(
                "Price of %(name)s: it has no rate of its own (given or published), so it is "
                "priced at the %(bundle)s bundle (the medication and the program's visits "
                "together). Price of that bundle: %(where)s",
                name=name,
                bundle=ITEM_NAMES[rate.bundle],
                where=_where(rate),
            )
        else:
            note = Text("Price of %(name)s: %(where)s", name=name, where=_where(rate))
        if note not in notes:
            notes.append(note)
    return notes


def _where(rate: Rate) -> Text:
    """Where a rate came from, and its range: the end of a price note (a whole clause)."""
    per = PER_UNIT[rate.unit]
    low, typical, high = Cents(rate.low), Cents(rate.typical), Cents(rate.high)
    if rate.basis == "request" and rate.bundle:
        return Text("the medication rate you gave, %(rate)s %(per)s.", rate=typical, per=per)
    if rate.basis == "request":
        return Text("the rate you gave, %(rate)s %(per)s.", rate=typical, per=per)
    if rate.basis == "program" and rate.low == rate.high:
        return Text("the program's published rate, %(rate)s %(per)s.", rate=typical, per=per)
    if rate.basis == "program":
        return Text(
            "the program publishes %(low)s to %(high)s %(per)s; the estimate uses the midpoint, "
            "%(rate)s, and the range uses both ends.",
            low=low,
            high=high,
            per=per,
            rate=typical,
        )
    years = ", ".join(sorted({source.year for source in rate.sources}))
    if years == UNDATED:
        return _undated(rate, per)
    if rate.low == rate.high:
        return Text(
            "no program rate was available, so a national reference figure is used: one "
            "figure, %(rate)s %(per)s (its source gives no range, so the low and high ends of "
            "the estimate use it too), in %(years)s dollars, not adjusted for inflation. Ask "
            "the program for its actual price.",
            rate=typical,
            per=per,
            years=years,
        )
    return Text(
        "no program rate was available, so a national reference figure is used: %(rate)s "
        "(range %(low)s to %(high)s %(per)s), in %(years)s dollars, not adjusted for inflation. "
        "Ask the program for its actual price.",
        rate=typical,
        low=low,
        high=high,
        per=per,
        years=years,
    )


def _undated(rate: Rate, per: Text) -> Text:
    """_where's national figure when its sources give no year."""
    typical = Cents(rate.typical)
    if rate.low == rate.high:
        return Text(
            "no program rate was available, so a national reference figure is used: one "
            "figure, %(rate)s %(per)s (its source gives no range, so the low and high ends of "
            "the estimate use it too), in undated dollars, not adjusted for inflation. Ask the "
            "program for its actual price.",
            rate=typical,
            per=per,
        )
    return Text(
        "no program rate was available, so a national reference figure is used: %(rate)s "
        "(range %(low)s to %(high)s %(per)s), in undated dollars, not adjusted for inflation. "
        "Ask the program for its actual price.",
        rate=typical,
        low=Cents(rate.low),
        high=Cents(rate.high),
        per=per,
    )
