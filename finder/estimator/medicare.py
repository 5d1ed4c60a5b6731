"""Original Medicare: Part B for opioid treatment and outpatient care, Part A for hospital days."""

from datetime import date, timedelta

from .episode import MEDICATIONS, RESIDENTIAL_LEVELS
from .insurance import Coverage, PricedLine, Share, calendar_year_of
from .model import Insurance
from .money import cents_times
from .reference import MedicareYear, medicare_years, rule_sources
from .text import N_, Text

OTP_ITEMS = frozenset({"opioid_treatment_program", *MEDICATIONS})
PART_B_LEVELS = frozenset(
    {"intensive_outpatient", "outpatient", "partial_hospitalization", "detox_outpatient"}
)
# Original Medicare does not cover non-hospital residential care; inpatient detox is taken to be
# in a non-hospital (residential) facility: hospital detox is hospital_inpatient.
NOT_COVERED = RESIDENTIAL_LEVELS | {"detox_inpatient"}
BENEFIT_PERIOD_GAP_DAYS = 60  # a benefit period ends after 60 days in a row out of hospital
FULL_DAYS, COINSURANCE_DAYS, LIFETIME_RESERVE_DAYS = 60, 90, 60
# costs.md 1c, from a secondary source (rules.csv medicare_psychiatric, labelled so).
PSYCHIATRIC_LIFETIME_DAYS = 190


def medicare_year(year: int) -> tuple[MedicareYear, Text | None]:
    """Medicare's figures for a calendar year, or the nearest year in the data with a caveat."""
    years = medicare_years()
    if year in years:
        return years[year], None
    nearest = max(years) if year > max(years) else min(years)
    return years[nearest], Text(
        "Medicare's %(year)s amounts are not in the data; the %(nearest)s amounts are used.",
        year=year,
        nearest=nearest,
    )


def medicare(insurance: Insurance, lines: list[PricedLine], start: date) -> Coverage:
    """Cost sharing under Original Medicare, line by line in date order: `insurance` gives the
    Part B deductible already met and the Part A days already used (see _HospitalStay)."""
    part_b_left: dict[int, int] = {}
    notes: dict[Text, None] = {}  # ordered set
    used_years: set[int] = set()
    hospital = _HospitalStay(insurance, start)
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
            met = insurance.deductible_met_cents if line.on.year == start.year else 0
            left = part_b_left.setdefault(line.on.year, max(figures.part_b_deductible - met, 0))
            deductible = min(line.charge, left)
            part_b_left[line.on.year] = left - deductible
            share = deductible
            if line.item in PART_B_LEVELS:
                share += cents_times(line.charge - deductible, figures.part_b_coinsurance)
        shares.append(Share(share, line.charge - share, 0, calendar_year_of(line.on)))
    items = {line.item for line in lines}
    sources = [s for year in sorted(used_years) for s in medicare_years()[year].sources]
    return Coverage(
        tuple(shares),
        (*_notes(items, hospital), *notes),
        (*sources, *_rules(items, hospital)),
    )


class _HospitalStay:
    """Part A by benefit period: one deductible, days 1-60 free, 61-90 a daily coinsurance,
    then the lifetime reserve days left, then nothing is covered. In a psychiatric hospital,
    also at most 190 days in a lifetime (the days left after those already used).

    The days already spent in the current benefit period are taken to end the day before
    `start`: the stay's first benefit period counts on from them, its deductible taken as
    already paid, unless 60 days out of hospital end that benefit period first."""

    def __init__(self, insurance: Insurance, start: date) -> None:
        self.insurance = insurance
        self.days_before = insurance.benefit_period_days_used
        self.last_day = start - timedelta(days=1) if self.days_before else None
        self.days = self.days_before
        self.deductible_left = 0
        self.continued = None  # whether the first day continued the current benefit period
        self.reserve_left = LIFETIME_RESERVE_DAYS - insurance.reserve_days_used
        self.reserve_used = 0
        self.psychiatric_left = (
            PSYCHIATRIC_LIFETIME_DAYS - insurance.psychiatric_days_used
            if insurance.psychiatric_hospital
            else None
        )
        self.uncovered_days = 0  # after the lifetime reserve days
        self.past_psychiatric_limit = 0

    def day(self, line: PricedLine, figures: MedicareYear) -> int:
        """What you pay for one hospital day."""
        if self.last_day is None or (line.on - self.last_day).days > BENEFIT_PERIOD_GAP_DAYS:
            self.days, self.deductible_left = 0, figures.part_a_deductible
        if self.continued is None:
            self.continued = self.days > 0
        self.last_day = line.on
        self.days += 1
        if self.psychiatric_left == 0:
            self.past_psychiatric_limit += 1
            return line.charge
        if self.days <= FULL_DAYS:
            daily = 0
        elif self.days <= COINSURANCE_DAYS:
            daily = figures.part_a_day_61_90
        elif self.reserve_left:
            self.reserve_left -= 1
            self.reserve_used += 1
            daily = figures.part_a_reserve_day
        else:
            self.uncovered_days += 1
            return line.charge
        if self.psychiatric_left is not None:
            self.psychiatric_left -= 1
        deductible = min(line.charge, self.deductible_left)
        self.deductible_left -= deductible
        return min(line.charge, deductible + daily)


def _notes(items: set[str], hospital: _HospitalStay) -> list[Text]:
    notes = [
        N_(
            "Original Medicare is assumed (not Medicare Advantage, and no Medigap policy); the "
            "program is assumed to accept Medicare. Part B premiums are not included."
        )
    ]
    if items & OTP_ITEMS:
        notes.append(
            N_(
                "Opioid treatment program care and medication are paid by Part B as weekly "
                "bundles: you pay only the Part B deductible (once per calendar year), no "
                "coinsurance. Medication outside an opioid treatment program may fall under "
                "Part D instead, which is not modelled."
            )
        )
    if items & PART_B_LEVELS:
        notes.append(
            Text(
                "Outpatient care (including intensive outpatient and partial hospitalization) "
                "costs %(percent)s%% of the charge after the Part B deductible, which starts "
                "again each calendar year. Original Medicare has no yearly cap on this "
                "%(percent)s%%.",
                percent=20,
            )
        )
    if "hospital_inpatient" in items:
        notes += _hospital_notes(hospital)
    if items & NOT_COVERED:
        notes.append(
            N_(
                "Original Medicare does not cover residential treatment outside a hospital, so "
                "that care is shown as self-pay (inpatient detox is taken to be in a residential "
                "facility; choose hospital inpatient care if the detox is in a hospital)."
            )
        )
    return notes


def _hospital_notes(hospital: _HospitalStay) -> list[Text]:
    """What the hospital days assumed (the days already used) and what they came to."""
    insurance = hospital.insurance
    used = insurance.reserve_days_used
    notes = [
        N_(
            "Hospital days follow Part A: one deductible per benefit period, then $0 for days "
            "1 to 60 and a daily coinsurance for days 61 to 90; days 91 on use lifetime reserve "
            "days (60 in a lifetime), then Medicare pays nothing more in that benefit period. "
            "A benefit period ends after 60 days in a row out of hospital."
        ),
        _reserve_note(used, hospital.reserve_used),
    ]
    before = hospital.days_before
    if before and hospital.continued:
        notes.append(
            Text(
                "You have already spent %(days)s days in this benefit period: the stay's "
                "hospital days are counted from day %(first)s, and the Part A deductible is "
                "taken as already paid in this benefit period.",
                days=before,
                first=before + 1,
            )
        )
    elif before:
        notes.append(
            Text(
                "You have already spent %(days)s days in the current benefit period, but the "
                "hospital stay starts more than 60 days after the care begins, so it starts a "
                "new benefit period with its own deductible.",
                days=before,
            )
        )
    else:
        notes.append(
            N_(
                "The stay is taken to start a new benefit period (no hospital or nursing "
                "facility days in the 60 days before it), so the Part A deductible applies."
            )
        )
    if hospital.uncovered_days:
        notes.append(
            Text(
                "%(days)s hospital days come after the lifetime reserve days run out and are "
                "not covered: they are yours at the full charge.",
                days=hospital.uncovered_days,
            )
        )
    if insurance.psychiatric_hospital:
        psychiatric = insurance.psychiatric_days_used
        notes.append(
            Text(
                "The stay is in a psychiatric hospital: Medicare covers at most %(limit)s days "
                "in psychiatric hospitals in a lifetime (from a secondary source). You have used "
                "%(used)s of them, so %(left)s are left.",
                limit=PSYCHIATRIC_LIFETIME_DAYS,
                used=psychiatric,
                left=PSYCHIATRIC_LIFETIME_DAYS - psychiatric,
            )
            if psychiatric
            else Text(
                "The stay is in a psychiatric hospital: Medicare covers at most %(limit)s days "
                "in psychiatric hospitals in a lifetime (from a secondary source). This assumes "
                "you have spent no days in a psychiatric hospital before (say how many if you "
                "have).",
                limit=PSYCHIATRIC_LIFETIME_DAYS,
            )
        )
    if hospital.past_psychiatric_limit:
        notes.append(
            Text(
                "%(days)s hospital days come after the %(limit)s-day lifetime limit in "
                "psychiatric hospitals and are not covered: they are yours at the full charge.",
                days=hospital.past_psychiatric_limit,
                limit=PSYCHIATRIC_LIFETIME_DAYS,
            )
        )
    elif not insurance.psychiatric_hospital:
        notes.append(
            Text(
                "The hospital is taken to be a general hospital, not a freestanding psychiatric "
                "hospital (where Medicare covers at most %(limit)s days in a lifetime).",
                limit=PSYCHIATRIC_LIFETIME_DAYS,
            )
        )
    return notes


def _reserve_note(used: int, this_stay: int) -> Text:
    """The lifetime reserve days already used (or assumed none), and what this stay uses."""
    total, left = LIFETIME_RESERVE_DAYS, LIFETIME_RESERVE_DAYS - used
    if used and this_stay:
        return Text(
            "You have used %(used)s of your %(total)s lifetime reserve days; this stay uses "
            "%(stay)s of the %(left)s left.",
            used=used,
            total=total,
            stay=this_stay,
            left=left,
        )
    if used:
        return Text(
            "You have used %(used)s of your %(total)s lifetime reserve days.",
            used=used,
            total=total,
        )
    if this_stay:
        return Text(
            "This assumes you have used none of your %(total)s lifetime reserve days (say how "
            "many you have used if you have); this stay uses %(stay)s of the %(left)s left.",
            total=total,
            stay=this_stay,
            left=left,
        )
    return Text(
        "This assumes you have used none of your %(total)s lifetime reserve days (say how many "
        "you have used if you have).",
        total=total,
    )


def _rules(items: set[str], hospital: _HospitalStay) -> list:
    rules = rule_sources()
    found = []
    if "hospital_inpatient" in items and hospital.insurance.psychiatric_hospital:
        found.append(rules["medicare_psychiatric"])
    if items & OTP_ITEMS:
        found.append(rules["medicare_otp"])
    if items & NOT_COVERED:
        found.append(rules["medicare_residential"])
    return found
