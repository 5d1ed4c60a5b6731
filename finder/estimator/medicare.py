"""Original Medicare: Part B for opioid treatment and outpatient care, Part A for hospital days."""

from datetime import date

from .episode import MEDICATIONS, RESIDENTIAL_LEVELS
from .insurance import Coverage, PricedLine, Share, calendar_year_of
from .money import cents_times, format_dollars
from .reference import MedicareYear, medicare_years, rule_sources

OTP_ITEMS = frozenset({"opioid_treatment_program", *MEDICATIONS})
PART_B_LEVELS = frozenset(
    {"intensive_outpatient", "outpatient", "partial_hospitalization", "detox_outpatient"}
)
# Original Medicare does not cover non-hospital residential care; inpatient detox is taken to be
# in a non-hospital (residential) facility: hospital detox is hospital_inpatient.
NOT_COVERED = RESIDENTIAL_LEVELS | {"detox_inpatient"}
BENEFIT_PERIOD_GAP_DAYS = 60  # a benefit period ends after 60 days in a row out of hospital
FULL_DAYS, COINSURANCE_DAYS, LIFETIME_RESERVE_DAYS = 60, 90, 60


def medicare_year(year: int) -> tuple[MedicareYear, str | None]:
    """Medicare's figures for a calendar year, or the nearest year in the data with a caveat."""
    years = medicare_years()
    if year in years:
        return years[year], None
    nearest = max(years) if year > max(years) else min(years)
    return years[nearest], (
        f"Medicare's {year} amounts are not in the data; the {nearest} amounts are used."
    )


def medicare(deductible_met_cents: int, lines: list[PricedLine], start: date) -> Coverage:
    """Cost sharing under Original Medicare, line by line in date order."""
    part_b_left: dict[int, int] = {}
    notes: dict[str, None] = {}  # ordered set
    used_years: set[int] = set()
    hospital = _HospitalStay()
    shares = []
    for line in lines:
        figures, caveat = medicare_year(line.on.year)
        used_years.add(figures.year)
        if caveat:
            notes[caveat] = None
        if line.item in NOT_COVERED:
            shares.append(Share(line.charge, 0, 0, calendar_year_of(line.on)))
            continue
        if line.item == "hospital_inpatient":
            share = hospital.day(line, figures)
        else:
            met = deductible_met_cents if line.on.year == start.year else 0
            left = part_b_left.setdefault(line.on.year, max(figures.part_b_deductible - met, 0))
            deductible = min(line.charge, left)
            part_b_left[line.on.year] = left - deductible
            share = deductible
            if line.item in PART_B_LEVELS:
                share += cents_times(line.charge - deductible, figures.part_b_coinsurance)
        shares.append(Share(share, line.charge - share, 0, calendar_year_of(line.on)))
    items = {line.item for line in lines}
    sources = [s for year in sorted(used_years) for s in medicare_years()[year].sources]
    return Coverage(tuple(shares), (*_notes(items, hospital), *notes), (*sources, *_rules(items)))


class _HospitalStay:
    """Part A by benefit period: one deductible, days 1-60 free, 61-90 a daily coinsurance,
    then lifetime reserve days (assumed all unused), then nothing is covered."""

    def __init__(self) -> None:
        self.last_day: date | None = None
        self.days = 0
        self.deductible_left = 0
        self.reserve_left = LIFETIME_RESERVE_DAYS
        self.uncovered_days = 0

    def day(self, line: PricedLine, figures: MedicareYear) -> int:
        if self.last_day is None or (line.on - self.last_day).days > BENEFIT_PERIOD_GAP_DAYS:
            self.days, self.deductible_left = 0, figures.part_a_deductible
        self.last_day = line.on
        self.days += 1
        if self.days <= FULL_DAYS:
            daily = 0
        elif self.days <= COINSURANCE_DAYS:
            daily = figures.part_a_day_61_90
        elif self.reserve_left:
            self.reserve_left -= 1
            daily = figures.part_a_reserve_day
        else:
            self.uncovered_days += 1
            return line.charge
        deductible = min(line.charge, self.deductible_left)
        self.deductible_left -= deductible
        return min(line.charge, deductible + daily)


def _notes(items: set[str], hospital: _HospitalStay) -> list[str]:
    notes = [
        "Original Medicare is assumed (not Medicare Advantage, and no Medigap policy); the "
        "program is assumed to accept Medicare. Part B premiums are not included."
    ]
    if items & OTP_ITEMS:
        notes.append(
            "Opioid treatment program care and medication are paid by Part B as weekly bundles: "
            "you pay only the Part B deductible (once per calendar year), no coinsurance. "
            "Medication outside an opioid treatment program may fall under Part D instead, which "
            "is not modelled."
        )
    if items & PART_B_LEVELS:
        notes.append(
            "Outpatient care (including intensive outpatient and partial hospitalization) costs "
            "20% of the charge after the Part B deductible, which starts again each calendar "
            "year. Original Medicare has no yearly cap on this 20%."
        )
    if "hospital_inpatient" in items:
        notes.append(
            "Hospital days follow Part A: one deductible per benefit period, then $0 for days "
            "1 to 60 and a daily coinsurance for days 61 to 90; days 91 on use lifetime reserve "
            "days (assumed all unused). The 190-day lifetime limit in psychiatric hospitals is not "
            "modelled."
        )
    if hospital.uncovered_days:
        notes.append(
            f"{hospital.uncovered_days} hospital days come after the lifetime reserve days run out "
            "and are shown as self-pay."
        )
    if items & NOT_COVERED:
        notes.append(
            "Original Medicare does not cover residential treatment outside a hospital, so that "
            "care is shown as self-pay (inpatient detox is taken to be in a residential facility; "
            "choose hospital inpatient care if the detox is in a hospital)."
        )
    return notes


def _rules(items: set[str]) -> list:
    rules = rule_sources()
    found = []
    if items & OTP_ITEMS:
        found.append(rules["medicare_otp"])
    if items & NOT_COVERED:
        found.append(rules["medicare_residential"])
    return found


def part_b_deductible_text(year: int) -> str:
    """The Part B deductible of a year as text, for validation messages."""
    return format_dollars(medicare_year(year)[0].part_b_deductible)
