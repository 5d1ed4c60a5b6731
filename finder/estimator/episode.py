"""The episode of care: care levels, presets, and the dated charge lines they produce."""

from datetime import date, timedelta
from types import MappingProxyType
from typing import NamedTuple

from .errors import EstimateError
from .model import Phase
from .text import N_, Text

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
# Medication token -> unit. Only the forms with a sourced price: oral naltrexone and
# naltrexone whose form a listing does not state are not priced. Extended-release naltrexone
# is charged per dose, given every so many days (data/doses.csv, read by medication.py).
MEDICATIONS = MappingProxyType(
    {"methadone": "week", "buprenorphine": "week", "naltrexone_xr": "dose"}
)
# The medications whose national figure is an opioid treatment program's weekly bundle
# (medication plus the program's visits): during an opioid treatment program phase they are
# not charged on top of the program's own price (prices.py, medication.py).
OTP_BUNDLED = frozenset({"methadone", "buprenorphine"})
# Days in one pharmacy fill of buprenorphine billed to a plan's pharmacy benefit.
FILL_DAYS = 30
# Medication tokens of a listing that the estimator does not price, and what to ask for instead.
UNPRICED_MEDICATIONS = MappingProxyType(
    {
        "naltrexone": N_(
            "Naltrexone whose form is not stated has no price: only the extended-release "
            "injection has a sourced one. For the injection, give naltrexone_xr (the name "
            "naltrexone no longer means the injection)."
        ),
        "naltrexone_oral": N_(
            "Oral naltrexone has no sourced price. For the extended-release injection, give "
            "naltrexone_xr."
        ),
    }
)
UNIT_DAYS = MappingProxyType({"day": 1, "week": 7, "fill": FILL_DAYS})
# A unit after a price, in words: "$120.00 per day".
PER_UNIT = MappingProxyType(
    {
        "day": N_("per day"),
        "week": N_("per week"),
        "dose": N_("per dose"),
        "fill": N_("per fill"),
    }
)

ITEM_NAMES = MappingProxyType(
    {
        "detox_inpatient": N_("inpatient detox"),
        "detox_outpatient": N_("outpatient detox"),
        "hospital_inpatient": N_("hospital inpatient care"),
        "residential": N_("residential care (length not stated)"),
        "residential_short": N_("short-term residential care"),
        "residential_long": N_("long-term residential care"),
        "partial_hospitalization": N_("partial hospitalization"),
        "intensive_outpatient": N_("intensive outpatient care"),
        "outpatient": N_("outpatient care"),
        "opioid_treatment_program": N_("opioid treatment program care"),
        "methadone": N_("methadone"),
        "buprenorphine": N_("buprenorphine"),
        "naltrexone_xr": N_("extended-release naltrexone (injection)"),
    }
)

# The medications' names at the start of a sentence.
MEDICATION_TITLES = MappingProxyType(
    {
        "methadone": N_("Methadone"),
        "buprenorphine": N_("Buprenorphine"),
        "naltrexone_xr": N_("Extended-release naltrexone (injection)"),
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
        raise EstimateError(field, N_("The number of days must be a whole number."))
    if not minimum <= days <= MAX_DAYS:
        raise EstimateError(
            field,
            Text(
                "The program must last from %(minimum)s to %(maximum)s days.",
                minimum=minimum,
                maximum=MAX_DAYS,
            ),
        )
    return days


def preset_phases(program: str, days: int = DEFAULT_DAYS) -> tuple[Phase, ...]:
    """The phases of a preset program ("inpatient", "outpatient", "iop", "php", "stepped")."""
    if program not in PRESETS:
        raise EstimateError(
            "program",
            Text(
                "Unknown program %(program)s; use one of %(choices)s.",
                program=repr(program),
                choices=", ".join(PRESETS),
            ),
        )
    if program != "stepped":
        return (Phase(PRESET_LEVELS[program], check_days(days, "days")),)
    check_days(days, "days", minimum=STEPPED_MIN_DAYS)
    phases = [Phase(level, length) for level, length in STEPPED_START]
    if days > STEPPED_MIN_DAYS:
        phases.append(Phase("outpatient", days - STEPPED_MIN_DAYS))
    return tuple(phases)


class Slot(NamedTuple):
    """A dated charge line before pricing: a care level's (phase index), the medication's
    (None) or a pharmacy fill's (medication.PHARMACY); `phase` is the key of its rate."""

    on: date
    item: str
    phase: int | str | None


def phase_starts(start: date, phases: tuple[Phase, ...]) -> tuple[date, ...]:
    """The first day of each phase: phases follow one another without a gap."""
    starts, offset = [], 0
    for phase in phases:
        starts.append(start + timedelta(days=offset))
        offset += phase.days
    return tuple(starts)


def charge_slots(
    start: date, phases: tuple[Phase, ...], medication: tuple[Slot, ...] = ()
) -> tuple[Slot, ...]:
    """Dated charge lines in date order: one per day or per started week of each phase, and
    the medication's lines (medication.medication_slots). A weekly line is dated on its
    week's first day."""
    slots = []
    for index, (phase, first) in enumerate(zip(phases, phase_starts(start, phases), strict=True)):
        step = UNIT_DAYS[CARE_LEVELS[phase.level]]
        slots += [
            Slot(first + timedelta(days=d), phase.level, index) for d in range(0, phase.days, step)
        ]
    if not medication:
        return tuple(slots)  # the phases follow one another: already in date order
    slots += medication
    return tuple(sorted(slots, key=lambda slot: slot.on))  # stable: care before medication
