"""Medicaid as it works (issue 15): what you pay is the state copays you give; the range's
high end is the federal maximum for the household's income, capped at 5% of income a month;
children pay nothing; and the answer says what the state's expansion decision, the IMD
exclusion and room and board mean for the person."""

from collections import defaultdict

from .episode import INPATIENT_LEVELS, MEDICATIONS
from .insurance import RESIDENTIAL_CARE, Coverage, copay_notes
from .model import CoverageUsed, EstimateRequest, Insurance, Source
from .money import cents_times
from .poverty import PovertyPercent, poverty_percent
from .reference import (
    MEDICAID_BANDS,
    ExpansionStatus,
    MedicaidFigure,
    medicaid_expansion,
    medicaid_figures,
    rule_sources,
    visit_sources,
)
from .terms import Ceiling, PricedLine, Share, calendar_year_of, copays, year_terms
from .text import N_, Cents, Join, Text

CHILD_AGE = 18  # 42 CFR 447.56(a): no cost sharing under 18 (a state may extend it to 21)
STATE_OPTION_AGE = 21
IMD_AGES = range(21, 65)  # the IMD exclusion concerns adults aged 21 to 64
IMD_BEDS = 16  # 42 CFR 435.1010: an institution of more than 16 beds
EXPANSION_AGES = range(19, 65)  # the expansion covers adults aged 19 to 64


def medicaid(request: EstimateRequest, lines: list[PricedLine]) -> Coverage:
    """Medicaid's cost sharing: the state copays given (per day, per visit, per admission;
    none for a child under 18), with the federal maximum for the household's income band as
    the ceiling when the income is known; and what the age, the state's expansion decision,
    the program's beds and residential care mean for the person."""
    insurance, age = request.insurance, request.patient_age
    rules = rule_sources()
    ceiling = None
    if age is not None and age < CHILD_AGE:
        shares = tuple(Share(0, line.charge, 0, calendar_year_of(line.on)) for line in lines)
        notes = [
            N_(
                "Medicaid charges no cost sharing for children under 18: you pay nothing, "
                "whatever copays your state charges adults. This assumes the program takes your "
                "state's Medicaid and the care is authorized."
            )
            if _copays_given(insurance)
            else N_(
                "Medicaid charges no cost sharing for children under 18: you pay nothing. This "
                "assumes the program takes your state's Medicaid and the care is authorized."
            )
        ]
        sources = [rules["medicaid_exempt"]]
    else:
        shares = _state_copays(insurance, lines)
        notes = [_paid_note(insurance), *copay_notes(insurance, lines), *_age_notes(age)]
        sources = [rules["medicaid_exempt"]] if age is not None and age < STATE_OPTION_AGE else []
        ceiling, most_notes, most_sources = _federal_most(request, lines, shares)
        notes += most_notes
        sources += most_sources
    category_notes, category_sources = _category_notes(request)
    notes += category_notes
    sources += category_sources
    if any(line.item in INPATIENT_LEVELS for line in lines) and (age is None or age in IMD_AGES):
        imd = _imd_note(request.program_beds)
        if imd:
            notes.append(imd)
            sources.append(rules["medicaid_imd"])
    if any(line.item in RESIDENTIAL_CARE for line in lines):
        notes.append(
            N_(
                "Medicaid typically does not pay for room and board in non-hospital residential "
                "care (residential treatment, or inpatient detox outside a hospital): ask the "
                "program whether you would be charged for it. Any such charge is not included "
                "here."
            )
        )
        sources.append(rules["room_and_board"])
    return Coverage(shares, tuple(notes), tuple(sources), ceiling=ceiling)


def uninsured_notes(
    request: EstimateRequest, used: CoverageUsed, fpg: PovertyPercent | None
) -> tuple[list[Text], list[Source]]:
    """To an adult who gave no insurance, with household income at or below the expansion's
    line in a state that adopted it: likely eligible for Medicaid, and how to apply."""
    if request.insurance is not None or used.replaced or fpg is None:
        return [], []
    age = request.patient_age
    status = medicaid_expansion().get(request.household.state)
    line = medicaid_figures()[("expansion_line", "all")]
    if status is None or not status.adopted or fpg.exact > line.value:
        return [], []
    if age is not None and age not in EXPANSION_AGES:
        return [], []
    return [
        Text(
            "At your household's income (%(percent)s%% of the poverty guideline), an adult aged "
            "19 to 64 in %(state)s, which has adopted the Medicaid expansion, is likely "
            "eligible for Medicaid (the expansion covers adults up to %(line)s%% of the "
            "guideline). To apply, contact %(state)s's Medicaid agency or apply at "
            "HealthCare.gov.",
            percent=fpg.percent,
            state=status.name,
            line=line.value,
        )
    ], [status.source, line.source]


def _copays_given(insurance: Insurance) -> bool:
    return bool(
        insurance.copay_cents or insurance.visit_copay_cents or insurance.admission_copay_cents
    )


def _state_copays(insurance: Insurance, lines: list[PricedLine]) -> tuple[Share, ...]:
    terms, _ = year_terms(insurance)
    shares, admissions = [], {}
    for line in lines:
        share = copays(line, terms, line.charge, admissions) if _copays_given(insurance) else 0
        shares.append(Share(share, line.charge - share, 0, calendar_year_of(line.on)))
    return tuple(shares)


def _paid_note(insurance: Insurance) -> Text:
    given = [
        copay
        for cents, copay in (
            (
                insurance.copay_cents,
                Text("%(amount)s a day of day-priced care", amount=Cents(insurance.copay_cents)),
            ),
            (
                insurance.visit_copay_cents,
                Text("%(amount)s a visit", amount=Cents(insurance.visit_copay_cents)),
            ),
            (
                insurance.admission_copay_cents,
                Text("%(amount)s an admission", amount=Cents(insurance.admission_copay_cents)),
            ),
        )
        if cents
    ]
    if not given:
        return N_(
            "Medicaid: you pay nothing; most states charge nothing for addiction treatment. This "
            "assumes the program takes your state's Medicaid and the care is authorized."
        )
    copays = Join(given, separator=Text(", "))
    return Text(
        "Medicaid: you pay %(copays)s; most states charge nothing for addiction treatment. This "
        "assumes the program takes your state's Medicaid and the care is authorized.",
        copays=copays,
    )


def _age_notes(age: int | None) -> list[Text]:
    if age is None:
        return [
            N_(
                "This assumes the patient is an adult aged 21 to 64; give the patient's age if "
                "not (Medicaid charges children under 18 nothing)."
            )
        ]
    if age < STATE_OPTION_AGE:
        return [
            Text(
                "At %(age)s, the patient pays Medicaid cost sharing as an adult, but states may "
                "extend the exemption for children up to age 21: ask your state Medicaid agency.",
                age=age,
            )
        ]
    return []


def _band(fpg: PovertyPercent) -> str:
    if fpg.exact <= 100:
        return "0-100"
    return "101-150" if fpg.exact <= 150 else "151+"


def _federal_most(
    request: EstimateRequest, lines: list[PricedLine], shares: tuple[Share, ...]
) -> tuple[Ceiling | None, list[Text], list[Source]]:
    """The most federal rules (42 CFR 447.52(b), 447.56(f)) let Medicaid charge for each line
    at the household's income band, and in each calendar month; None without household
    income."""
    household = request.household
    if household is None:
        return (
            None,
            [
                N_(
                    "The most Medicaid may charge you depends on your household's income: give "
                    "your household size and income to see it. Without them, the high end of the "
                    "range is what you pay."
                )
            ],
            [],
        )
    fpg = poverty_percent(
        household.size, household.annual_income_cents, household.state, request.start_date
    )
    band = _band(fpg)
    figures = medicaid_figures()
    service, stay = figures[("outpatient_service", band)], figures[("inpatient_stay", band)]
    federal, stays = [], {}
    for line in lines:
        if line.item in MEDICATIONS:
            most = 0
        elif band != "0-100":
            most = cents_times(
                line.charge, (stay if line.admission is not None else service).value / 100
            )
        elif line.admission is not None:
            owed = stays.setdefault(line.admission, stay.cents)
            most = min(owed, line.charge)
            stays[line.admission] = owed - most
        else:
            # An outpatient week is its visits; a day of day-priced outpatient care and an
            # opioid treatment program's week are one service each.
            most = min(service.cents * max(line.visits, 1), line.charge)
        federal.append(most)
    cap = figures[("monthly_cap", "all")]
    per_month = int(household.annual_income_cents * cap.value / 1200)
    care = [line for line in lines if line.item not in MEDICATIONS]
    used = [figure for figure in (service, stay) if _applies(figure, care)]
    notes = [_band_note(band, used, care), _cap_note(cap, household.annual_income_cents, per_month)]
    sources = [figure.source for figure in used] + [cap.source, rule_sources()["medicaid_exempt"]]
    if band == "0-100" and any(line.visits for line in care):
        sources += visit_sources()
    if len(care) < len(lines):
        notes.append(
            N_(
                "The most does not include the medication: Medicaid's limits on drug copays are "
                "not in this estimate's data."
            )
        )
    if sum(share.cost_share for share in shares) > _capped(lines, federal, per_month):
        notes.append(
            N_(
                "The copays you gave add up to more than federal rules let Medicaid charge at "
                "your household's income: check them with your state Medicaid agency."
            )
        )
    most = tuple(max(most, share.cost_share) for most, share in zip(federal, shares, strict=True))
    return Ceiling(most, per_month), notes, sources


def _applies(figure: MedicaidFigure, care: list[PricedLine]) -> bool:
    inpatient = figure.item == "inpatient_stay"
    return any((line.admission is not None) == inpatient for line in care)


def _capped(lines: list[PricedLine], most: list[int], per_month: int) -> int:
    months = defaultdict(int)
    for line, cents in zip(lines, most, strict=True):
        months[line.on.strftime("%Y-%m")] += cents
    return sum(min(total, per_month) for total in months.values())


def _band_note(band: str, used: list[MedicaidFigure], care: list[PricedLine]) -> Text:
    words = MEDICAID_BANDS[band]
    stay = any(figure.item == "inpatient_stay" for figure in used)
    if band == "0-100":
        parts = []
        for figure in used:
            if figure.item == "inpatient_stay":
                parts.append(
                    Text(
                        "%(amount)s for each inpatient or residential stay",
                        amount=Cents(figure.cents),
                    )
                )
            else:
                parts.append(
                    Text(
                        "%(amount)s a visit of outpatient care (%(visits)s visits: the visits a "
                        "week you gave, or the usual number; a day of partial hospitalization or "
                        "outpatient detox is one visit, and a week of an opioid treatment "
                        "program one service)",
                        amount=Cents(figure.cents),
                        visits=sum(max(line.visits, 1) for line in care if line.admission is None),
                    )
                )
        rule = Join(parts, separator=Text(" and "))
        if stay:
            return Text(
                "Federal rules limit what Medicaid may charge you at your household's income "
                "(%(band)s of the poverty guideline) to %(rule)s. These are the federal rule's "
                "base amounts: they rise each October with medical prices, and today's amounts "
                "were not checked, so the most may be a little higher. A residential stay is "
                "counted as an inpatient stay, and an unbroken run of detox and residential care "
                "as one stay. The high end of the range is that most; some people pay nothing "
                "whatever their income, such as for pregnancy-related care.",
                band=words,
                rule=rule,
            )
        return Text(
            "Federal rules limit what Medicaid may charge you at your household's income "
            "(%(band)s of the poverty guideline) to %(rule)s. These are the federal rule's base "
            "amounts: they rise each October with medical prices, and today's amounts were not "
            "checked, so the most may be a little higher. The high end of the range is that "
            "most; some people pay nothing whatever their income, such as for pregnancy-related "
            "care.",
            band=words,
            rule=rule,
        )
    rule = Join(
        [
            Text(
                "%(percent)s%% of the whole cost of each inpatient or residential stay",
                percent=figure.value,
            )
            if figure.item == "inpatient_stay"
            else Text("%(percent)s%% of what Medicaid pays for each service", percent=figure.value)
            for figure in used
        ],
        separator=Text(" and "),
    )
    if stay:
        return Text(
            "Federal rules limit what Medicaid may charge you at your household's income "
            "(%(band)s of the poverty guideline) to %(rule)s. This takes the program's charge as "
            "what Medicaid pays; Medicaid often pays less, so the most may be lower. A "
            "residential stay is counted as an inpatient stay, and an unbroken run of detox and "
            "residential care as one stay. The high end of the range is that most; some people "
            "pay nothing whatever their income, such as for pregnancy-related care.",
            band=words,
            rule=rule,
        )
    return Text(
        "Federal rules limit what Medicaid may charge you at your household's income "
        "(%(band)s of the poverty guideline) to %(rule)s. This takes the program's charge as "
        "what Medicaid pays; Medicaid often pays less, so the most may be lower. The high end "
        "of the range is that most; some people pay nothing whatever their income, such as for "
        "pregnancy-related care.",
        band=words,
        rule=rule,
    )


def _cap_note(cap: MedicaidFigure, annual_income_cents: int, per_month: int) -> Text:
    return Text(
        "Medicaid cost sharing is also capped at %(percent)s%% of your family's income: "
        "%(month)s a month on %(year)s a year. This applies the cap in each calendar month of "
        "the stay (a charge counts in the month of its date; some states count by quarter) and "
        "assumes no one else in your family paid Medicaid premiums or cost sharing in those "
        "months.",
        percent=cap.value,
        month=Cents(per_month),
        year=Cents(annual_income_cents),
    )


def _category_notes(request: EstimateRequest) -> tuple[list[Text], list[Source]]:
    """To an adult with Medicaid in a state that has not adopted the expansion: check the
    eligibility category."""
    age = request.patient_age
    if age is not None and age not in EXPANSION_AGES:
        return [], []
    state = request.household.state if request.household is not None else request.program_state
    status: ExpansionStatus | None = medicaid_expansion().get(state)
    if status is None or status.adopted:
        return [], []
    notes = [
        Text(
            "%(state)s has not adopted the Medicaid expansion, so Medicaid for adults there "
            "depends on an eligibility category (pregnancy, disability, parent of a young child "
            "...): check that yours applies.",
            state=status.name,
        )
    ]
    sources = [status.source]
    if status.note is not None:
        notes.append(Text("%(note)s (not checked).", note=status.note))
        sources.append(status.note_source)
    return notes, sources


def _imd_note(beds: int | None) -> Text | None:
    if beds is None:
        return N_(
            "Medicaid may not pay for adults aged 21 to 64 in a residential or hospital facility "
            "with more than 16 beds (the IMD exclusion) unless your state has a waiver or another "
            "route; ask the program and your state Medicaid office before admission."
        )
    if beds <= IMD_BEDS:
        return None
    return Text(
        "The program has %(beds)s beds, more than 16: Medicaid may not pay for adults aged 21 "
        "to 64 there (the IMD exclusion) unless your state has a waiver or another route; ask "
        "the program and your state Medicaid office before admission.",
        beds=beds,
    )
