"""The episode of care: care levels, presets, and the dated charge lines they produce."""

from datetime import date, timedelta
from types import MappingProxyType
from typing import NamedTuple

from .errors import EstimateError
from .model import Phase

# Care level token (as in the search API) -> the unit it is charged by.
CARE_LEVELS = MappingProxyType(
    {
        "detox_inpatient": "day",
        "detox_outpatient": "day",
        "hospital_inpatient": "day",
        "residential": "day",  # residential care whose length the listing does not state
        "residential_short": "day",
        "residential_long": "day",
        "partial_hospitalization": "day",
        "intensive_outpatient": "week",
        "outpatient": "week",
        "opioid_treatment_program": "week",
    }
)
INPATIENT_LEVELS = frozenset(
    {
        "detox_inpatient",
        "hospital_inpatient",
        "residential",
        "residential_short",
        "residential_long",
    }
)
RESIDENTIAL_LEVELS = frozenset({"residential", "residential_short", "residential_long"})
OUTPATIENT_LEVELS = frozenset(CARE_LEVELS) - INPATIENT_LEVELS
# Medication token -> unit; a "month" is 30 days here. Only the forms with a sourced price:
# oral naltrexone and naltrexone whose form a listing does not state are not priced.
MEDICATIONS = MappingProxyType(
    {"methadone": "week", "buprenorphine": "week", "naltrexone_xr": "month"}
)
# Medication tokens of a listing that the estimator does not price, and what to ask for instead.
UNPRICED_MEDICATIONS = MappingProxyType(
    {
        "naltrexone": (
            "Naltrexone whose form is not stated has no price: only the extended-release "
            "injection has a sourced one. For the injection, give naltrexone_xr (the name "
            "naltrexone no longer means the injection)."
        ),
        "naltrexone_oral": (
            "Oral naltrexone has no sourced price. For the extended-release injection, give "
            "naltrexone_xr."
        ),
    }
)
UNIT_DAYS = MappingProxyType({"day": 1, "week": 7, "month": 30})

ITEM_NAMES = MappingProxyType(
    {
        "detox_inpatient": "inpatient detox",
        "detox_outpatient": "outpatient detox",
        "hospital_inpatient": "hospital inpatient care",
        "residential": "residential care (length not stated)",
        "residential_short": "short-term residential care",
        "residential_long": "long-term residential care",
        "partial_hospitalization": "partial hospitalization",
        "intensive_outpatient": "intensive outpatient care",
        "outpatient": "outpatient care",
        "opioid_treatment_program": "opioid treatment program care",
        "methadone": "methadone",
        "buprenorphine": "buprenorphine",
        "naltrexone_xr": "extended-release naltrexone (injection)",
    }
)

# Preset program -> its single care level; "stepped" is built in preset_phases.
PRESET_LEVELS = MappingProxyType(
    {
        "inpatient": "residential_long",
        "outpatient": "outpatient",
        "iop": "intensive_outpatient",
        "php": "partial_hospitalization",
    }
)
PRESETS = (*PRESET_LEVELS, "stepped")
DEFAULT_DAYS = 90  # NIDA: most people need at least three months
MIN_DAYS, MAX_DAYS = 7, 365
STEPPED_MIN_DAYS = 60
STEPPED_START = (("detox_inpatient", 5), ("residential_short", 25), ("intensive_outpatient", 30))


def check_days(days: object, field: str, minimum: int = MIN_DAYS) -> int:
    """Return `days` if it is a whole number from `minimum` to 365, else raise EstimateError."""
    if isinstance(days, bool) or not isinstance(days, int):
        raise EstimateError(field, "The number of days must be a whole number.")
    if not minimum <= days <= MAX_DAYS:
        raise EstimateError(field, f"The program must last from {minimum} to {MAX_DAYS} days.")
    return days


def preset_phases(program: str, days: int = DEFAULT_DAYS) -> tuple[Phase, ...]:
    """The phases of a preset program ("inpatient", "outpatient", "iop", "php", "stepped")."""
    if program not in PRESETS:
        raise EstimateError(
            "program", f"Unknown program {program!r}; use one of {', '.join(PRESETS)}."
        )
    if program != "stepped":
        return (Phase(PRESET_LEVELS[program], check_days(days, "days")),)
    check_days(days, "days", minimum=STEPPED_MIN_DAYS)
    phases = [Phase(level, length) for level, length in STEPPED_START]
    if days > STEPPED_MIN_DAYS:
        phases.append(Phase("outpatient", days - STEPPED_MIN_DAYS))
    return tuple(phases)


class Slot(NamedTuple):
    """A dated charge line before pricing: a care level's (phase index) or the medication's."""

    on: date
    item: str
    phase: int | None


def phase_starts(start: date, phases: tuple[Phase, ...]) -> tuple[date, ...]:
    """The first day of each phase: phases follow one another without a gap."""
    starts, offset = [], 0
    for phase in phases:
        starts.append(start + timedelta(days=offset))
        offset += phase.days
    return tuple(starts)


def charge_slots(
    start: date, phases: tuple[Phase, ...], medication: str | None
) -> tuple[Slot, ...]:
    """Dated charge lines in date order: one per day, per started week or per started 30 days.

    A weekly line is dated on its week's first day; the medication runs the whole episode.
    """
    slots = []
    for index, (phase, first) in enumerate(zip(phases, phase_starts(start, phases), strict=True)):
        step = UNIT_DAYS[CARE_LEVELS[phase.level]]
        slots += [
            Slot(first + timedelta(days=d), phase.level, index) for d in range(0, phase.days, step)
        ]
    if medication:
        total = sum(phase.days for phase in phases)
        step = UNIT_DAYS[MEDICATIONS[medication]]
        slots += [Slot(start + timedelta(days=d), medication, None) for d in range(0, total, step)]
    return tuple(sorted(slots, key=lambda slot: slot.on))  # stable: care before medication
