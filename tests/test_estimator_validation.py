"""Invalid input raises EstimateError naming the field, as the API reports it in a 400."""

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import pytest

from finder.estimator import (
    EstimateError,
    EstimateRequest,
    Household,
    Insurance,
    Phase,
    PlanTerms,
    ProgramRate,
    SlidingClass,
    estimate,
    preset_phases,
)

PLAN = Insurance(
    "commercial", deductible_cents=100000, coinsurance=Decimal("0.2"), oop_max_cents=300000
)
BASE = EstimateRequest(date(2026, 3, 1), (Phase("residential_long", 30, 50000),))


def field_of(request):
    with pytest.raises(EstimateError) as error:
        estimate(request)
    assert str(error.value) == error.value.message and error.value.message
    return error.value.field


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"start_date": "2026-03-01"}, "start_date"),
        ({"start_date": datetime(2026, 3, 1)}, "start_date"),
        ({"phases": ()}, "phases"),
        ({"phases": (Phase("spa_retreat", 30),)}, "phases[0].level"),
        ({"phases": (Phase("outpatient", 30), Phase("outpatient", 0))}, "phases[1].days"),
        ({"phases": (Phase("outpatient", 30), Phase("outpatient", -3))}, "phases[1].days"),
        ({"phases": (Phase("outpatient", 6, 100),)}, "phases"),
        ({"phases": (Phase("outpatient", 300, 100), Phase("outpatient", 66, 100))}, "phases"),
        ({"phases": (Phase("outpatient", 30, -1),)}, "phases[0].rate"),
        (
            {"phases": (Phase("outpatient", 30), Phase("partial_hospitalization", 30))},
            "phases[1].rate",
        ),
        ({"phases": (Phase("hospital_inpatient", 30),)}, "phases[0].rate"),
        ({"phases": (Phase("opioid_treatment_program", 30),)}, "phases[0].rate"),
        ({"phases": (Phase("detox_outpatient", 7),)}, "phases[0].rate"),
        ({"medication": "aspirin"}, "medication"),
        ({"program_rates": (ProgramRate("massage", 100),)}, "program_rates[0].item"),
        ({"program_rates": (ProgramRate("outpatient", 500, 100),)}, "program_rates[0].high"),
        ({"fpg_class": "50-60"}, "fpg"),
        ({"payment_months": 0}, "payment_months"),
        ({"sliding_schedule": (SlidingClass(Decimal(100), Decimal(120)),)}, "sliding_schedule"),
        ({"household": Household(0, 100, "TX")}, "household.size"),
        ({"household": Household(2, -1, "TX")}, "household.annual_income"),
        ({"household": Household(2, 100, "XX")}, "household.state"),
        ({"insurance": Insurance("blue_cross")}, "insurance.type"),
        ({"insurance": replace(PLAN, coinsurance=Decimal("1.2"))}, "insurance.coinsurance"),
        ({"insurance": replace(PLAN, coinsurance=Decimal("-0.1"))}, "insurance.coinsurance"),
        ({"insurance": replace(PLAN, deductible_cents=None)}, "insurance.deductible"),
        ({"insurance": replace(PLAN, coinsurance=None)}, "insurance.coinsurance"),
        ({"insurance": replace(PLAN, oop_max_cents=None)}, "insurance.oop_max"),
        ({"insurance": replace(PLAN, deductible_met_cents=100001)}, "insurance.deductible_met"),
        ({"insurance": replace(PLAN, oop_met_cents=300001)}, "insurance.oop_met"),
        ({"insurance": replace(PLAN, copay_cents=-5)}, "insurance.copay"),
        ({"insurance": replace(PLAN, plan_year_start="7/1")}, "insurance.plan_year_start"),
        ({"insurance": replace(PLAN, plan_year_start="02-29")}, "insurance.plan_year_start"),
        ({"insurance": replace(PLAN, in_network=False)}, "insurance.allowed_fraction"),
        (
            {"insurance": replace(PLAN, next_year=PlanTerms(coinsurance=Decimal(2)))},
            "insurance.next_year.coinsurance",
        ),
        (
            {"insurance": Insurance("medicare", deductible_met_cents=28301)},
            "insurance.deductible_met",
        ),
    ],
)
def test_invalid_input_names_its_field(change, field):
    assert field_of(replace(BASE, **change)) == field


def test_missing_national_price_asks_for_the_programs_rate():
    with pytest.raises(EstimateError, match="give the program's rate per day"):
        estimate(replace(BASE, phases=(Phase("partial_hospitalization", 90),)))


@pytest.mark.parametrize(
    ("program", "days", "field"),
    [("spa", 90, "program"), ("iop", 6, "days"), ("iop", 366, "days"), ("stepped", 59, "days")],
)
def test_presets_reject_unknown_names_and_lengths(program, days, field):
    with pytest.raises(EstimateError) as error:
        preset_phases(program, days)
    assert error.value.field == field


def test_estimate_error_is_a_value_error():
    assert issubclass(EstimateError, ValueError)
