"""The medication's charge lines and what the answer says of them: doses of extended-release
naltrexone every 28 days, weekly methadone and buprenorphine except during an opioid
treatment program (whose bundle includes them), and buprenorphine under a plan as pharmacy
fills at the person's copay."""

from dataclasses import dataclass
from datetime import date, timedelta

from .episode import (
    FILL_DAYS,
    ITEM_NAMES,
    MEDICATIONS,
    OTP_BUNDLED,
    UNIT_DAYS,
    Slot,
    phase_starts,
)
from .model import EstimateRequest
from .money import format_dollars
from .reference import dosing

OTP = "opioid_treatment_program"
PHARMACY = "pharmacy"  # the rates key (and Slot.phase) of buprenorphine's pharmacy fills
PHARMACY_MEDICATIONS = frozenset({"buprenorphine"})


@dataclass(frozen=True)
class MedicationPlan:
    """How the medication is charged. `bundled`: the opioid treatment program phases whose
    price includes it (no separate lines); `stretches`: the (first day, days) runs of the
    other days, where it is charged on its own; `pharmacy`: under a plan, buprenorphine is
    billed to the pharmacy benefit as 30-day fills at `copay` (None: not given, not included)."""

    medication: str
    bundled: frozenset[int]
    stretches: tuple[tuple[date, int], ...]
    pharmacy: bool
    copay: int | None

    @property
    def days(self) -> int:
        return sum(days for _, days in self.stretches)

    @property
    def step(self) -> int:
        """Days from one of its lines to the next."""
        if self.pharmacy:
            return FILL_DAYS
        unit = MEDICATIONS[self.medication]
        return dosing()[self.medication].days if unit == "dose" else UNIT_DAYS[unit]

    @property
    def charged(self) -> bool:
        """Whether the medication has lines of its own."""
        return bool(self.stretches) and (not self.pharmacy or self.copay is not None)


def medication_plan(request: EstimateRequest) -> MedicationPlan | None:
    """How the request's medication is charged (None without one); `request.insurance` is
    the coverage the estimate applies."""
    medication = request.medication
    if not medication:
        return None
    bundled = frozenset(
        index
        for index, phase in enumerate(request.phases)
        if phase.level == OTP and medication in OTP_BUNDLED
    )
    stretches: list[tuple[date, int]] = []
    starts = phase_starts(request.start_date, request.phases)
    for index, (phase, first) in enumerate(zip(request.phases, starts, strict=True)):
        if index in bundled:
            continue
        if index > 0 and index - 1 not in bundled:  # continues the stretch before it
            day, days = stretches[-1]
            stretches[-1] = (day, days + phase.days)
        else:
            stretches.append((first, phase.days))
    insurance = request.insurance
    pharmacy = insurance is not None and medication in PHARMACY_MEDICATIONS
    copay = insurance.pharmacy_copay_cents if pharmacy else None
    return MedicationPlan(medication, bundled, tuple(stretches), pharmacy, copay)


def medication_slots(plan: MedicationPlan | None) -> tuple[Slot, ...]:
    """The medication's dated lines: one per started unit (dose, week or fill) of each
    stretch, on its first day."""
    if plan is None or not plan.charged:
        return ()
    key = PHARMACY if plan.pharmacy else None
    return tuple(
        Slot(first + timedelta(days=day), plan.medication, key)
        for first, days in plan.stretches
        for day in range(0, days, plan.step)
    )


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def medication_notes(plan: MedicationPlan | None, request: EstimateRequest) -> list[str]:
    """How the medication is charged, in words."""
    if plan is None:
        return []
    name = ITEM_NAMES[plan.medication]
    total = sum(phase.days for phase in request.phases)
    slots = medication_slots(plan)
    notes = []
    if plan.bundled:
        days = sum(request.phases[index].days for index in plan.bundled)
        notes.append(
            f"During the opioid treatment program ({_count(days, 'day')}), {name} is not "
            "charged on its own: the program's weekly price (a bundle) includes the medication "
            "and the visits."
        )
    where = "the whole program" if plan.days == total else f"the other {plan.days} days"
    if plan.pharmacy and plan.stretches:
        notes += _pharmacy_notes(plan, name, len(slots), where, request)
    elif plan.medication == "naltrexone_xr":
        notes.append(
            f"{name.capitalize()} is one dose every {plan.step} days (the FDA label: one "
            f"injection every 4 weeks, not checked against the label text): "
            f"{_count(len(slots), 'dose')} in {total} days, each charged on the day it is given."
        )
        if any(phase.level == OTP for phase in request.phases):
            notes.append(
                "At the opioid treatment program the doses are charged on top of the program's "
                "own price: ask the program whether its price includes the injection."
            )
    elif plan.stretches:
        notes.append(f"{name.capitalize()} is charged once for each started 7-day week of {where}.")
    return notes


def _pharmacy_notes(
    plan: MedicationPlan, name: str, fills: int, where: str, request: EstimateRequest
) -> list[str]:
    billed = (
        f"{name.capitalize()} outside an opioid treatment program is usually billed to your "
        "plan's pharmacy benefit, not the medical deductible."
    )
    if plan.copay is None:
        return [
            f"{billed} Its cost is not included in this estimate: give your pharmacy copay "
            "for a 30-day fill to include it."
        ]
    notes = [
        f"{billed} It is counted as {_count(fills, 'fill')} of 30 days for {where}, at the "
        f"pharmacy copay you gave, {format_dollars(plan.copay)} each: "
        f"{format_dollars(fills * plan.copay)}, all yours. The copay is not counted toward "
        "your medical deductible or out-of-pocket maximum here (some plans count pharmacy "
        "costs toward one combined maximum), and what the plan pays the pharmacy is not "
        "known, so it is not in what insurance pays."
    ]
    authorized = request.insurance.days_authorized
    if authorized is not None and authorized < sum(phase.days for phase in request.phases):
        notes.append(
            "Every fill is counted, on the days your plan has not authorized too: the pharmacy "
            "copay is not part of the care the plan authorizes."
        )
    if request.sliding_scale:
        notes.append("The program's sliding fee does not lower the pharmacy copay.")
    return notes
