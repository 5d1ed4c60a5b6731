"""The medication's charge lines and what the answer says of them: doses of extended-release
naltrexone every 28 days, weekly methadone and buprenorphine except during an opioid
treatment program (whose bundle includes them), and buprenorphine under a plan as pharmacy
fills at the person's copay."""

from dataclasses import dataclass
from datetime import date, timedelta

from .episode import (
    FILL_DAYS,
    ITEM_NAMES,
    MEDICATION_TITLES,
    MEDICATIONS,
    OTP_BUNDLED,
    UNIT_DAYS,
    Slot,
    phase_starts,
)
from .model import EstimateRequest
from .reference import dosing
from .text import N_, Cents, Text

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


def _days(n: int) -> Text:
    return Text("%(count)s day", count=n) if n == 1 else Text("%(count)s days", count=n)


def _doses(n: int) -> Text:
    return Text("%(count)s dose", count=n) if n == 1 else Text("%(count)s doses", count=n)


def _fills(n: int) -> Text:
    return Text("%(count)s fill", count=n) if n == 1 else Text("%(count)s fills", count=n)


def medication_notes(plan: MedicationPlan | None, request: EstimateRequest) -> list[Text]:
    """How the medication is charged, in words."""
    if plan is None:
        return []
    name, title = ITEM_NAMES[plan.medication], MEDICATION_TITLES[plan.medication]
    total = sum(phase.days for phase in request.phases)
    slots = medication_slots(plan)
    notes = []
    if plan.bundled:
        days = sum(request.phases[index].days for index in plan.bundled)
        notes.append(
            Text(
                "During the opioid treatment program (%(days)s), %(name)s is not charged on its "
                "own: the program's weekly price (a bundle) includes the medication and the "
                "visits.",
                days=_days(days),
                name=name,
            )
        )
    if plan.days == total:
        where = N_("the whole program")
    else:
        where = Text("the other %(days)s days", days=plan.days)
    if plan.pharmacy and plan.stretches:
        notes += _pharmacy_notes(plan, title, len(slots), where, request)
    elif plan.medication == "naltrexone_xr":
        notes.append(
            Text(
                "%(name)s is one dose every %(step)s days (the FDA label: one injection every 4 "
                "weeks, not checked against the label text): %(doses)s in %(total)s days, each "
                "charged on the day it is given.",
                name=title,
                step=plan.step,
                doses=_doses(len(slots)),
                total=total,
            )
        )
        if any(phase.level == OTP for phase in request.phases):
            notes.append(
                N_(
                    "At the opioid treatment program the doses are charged on top of the "
                    "program's own price: ask the program whether its price includes the "
                    "injection."
                )
            )
    elif plan.stretches:
        notes.append(
            Text(
                "%(name)s is charged once for each started 7-day week of %(where)s.",
                name=title,
                where=where,
            )
        )
    return notes


def _pharmacy_notes(
    plan: MedicationPlan, title: Text, fills: int, where: Text, request: EstimateRequest
) -> list[Text]:
    if plan.copay is None:
        return [
            Text(
                "%(name)s outside an opioid treatment program is usually billed to your plan's "
                "pharmacy benefit, not the medical deductible. Its cost is not included in this "
                "estimate: give your pharmacy copay for a 30-day fill to include it.",
                name=title,
            )
        ]
    notes = [
        Text(
            "%(name)s outside an opioid treatment program is usually billed to your plan's "
            "pharmacy benefit, not the medical deductible. It is counted as %(fills)s of 30 "
            "days for %(where)s, at the pharmacy copay you gave, %(copay)s each: %(total)s, all "
            "yours. The copay is not counted toward your medical deductible or out-of-pocket "
            "maximum here (some plans count pharmacy costs toward one combined maximum), and "
            "what the plan pays the pharmacy is not known, so it is not in what insurance pays.",
            name=title,
            fills=_fills(fills),
            where=where,
            copay=Cents(plan.copay),
            total=Cents(fills * plan.copay),
        )
    ]
    authorized = request.insurance.days_authorized
    if authorized is not None and authorized < sum(phase.days for phase in request.phases):
        notes.append(
            N_(
                "Every fill is counted, on the days your plan has not authorized too: the "
                "pharmacy copay is not part of the care the plan authorizes."
            )
        )
    if request.sliding_scale:
        notes.append(N_("The program's sliding fee does not lower the pharmacy copay."))
    return notes
