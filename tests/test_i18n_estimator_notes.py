"""The estimator's own sentences in Spanish: every assumption, caveat, the good-faith notice and
every EstimateError message is one whole message (a Text) with its parameters, the words in it
are Texts too, and the web layer's `say` gives them in Spanish with the money and dates of the
locale; the English is what it always was."""

import copy
import pickle
import re
from datetime import date
from decimal import Decimal

import pytest

from finder import i18n
from finder.estimator import (
    GOOD_FAITH_NOTICE,
    EstimateError,
    EstimateRequest,
    Household,
    Insurance,
    Phase,
    ProgramRate,
    SlidingClass,
    dollars_to_cents,
    estimate,
    parse_sliding_schedule,
    preset_phases,
)
from finder.estimator.numbers import to_decimal, whole_number
from finder.estimator.text import Cents, Join, Text, WholeDollars

START = date(2025, 11, 15)

# Parameters that are tokens or data, shown as they are: field names, what was typed (repr),
# lists of API tokens, years and ISO dates, a territory's name from states.csv.
TOKEN_PARAMS = {
    "field",
    "shown",
    "program",
    "choices",
    "groups",
    "state",
    "part",
    "value",
    "type",
    "years",
    "effective",
    "on",
}


def requests() -> dict[str, EstimateRequest]:
    return {
        "self-pay": EstimateRequest(START, (Phase("outpatient", 90),)),
        "sliding fee, household": EstimateRequest(
            START,
            (Phase("intensive_outpatient", 60),),
            household=Household(3, 4_500_000, "MA"),
            sliding_scale=True,
        ),
        "sliding fee, class only": EstimateRequest(
            START,
            (Phase("intensive_outpatient", 90),),
            fpg_class="101-125",
            sliding_scale=True,
            sliding_schedule=(
                SlidingClass(Decimal(110), Decimal(10)),
                SlidingClass(Decimal(125), Decimal(30)),
            ),
        ),
        "sliding fee, own schedule": EstimateRequest(
            START,
            (Phase("outpatient", 90),),
            household=Household(2, 4_000_000, "AK"),
            sliding_scale=True,
            sliding_schedule=(SlidingClass(Decimal(150), Decimal(10)),),
        ),
        "territory": EstimateRequest(
            START,
            (Phase("outpatient", 30),),
            household=Household(2, 2_000_000, "PR"),
            sliding_scale=True,
        ),
        "methadone, bundled": EstimateRequest(
            START,
            (Phase("opioid_treatment_program", 30), Phase("outpatient", 30)),
            medication="methadone",
        ),
        "naltrexone, listing without form": EstimateRequest(
            START,
            (Phase("opioid_treatment_program", 30, 20_000),),
            medication="naltrexone_xr",
            listed_medications=("naltrexone",),
        ),
        "naltrexone, listing oral": EstimateRequest(
            START,
            (Phase("outpatient", 60),),
            medication="naltrexone_xr",
            listed_medications=("naltrexone_oral",),
        ),
        "residential, listing without the medication": EstimateRequest(
            START,
            (Phase("residential", 30),),
            medication="buprenorphine",
            listed_medications=("methadone",),
        ),
        "stepped, rates given and published": EstimateRequest(
            START,
            preset_phases("stepped", 90),
            program_rates=(
                ProgramRate("detox_inpatient", 90000),
                ProgramRate("residential_short", 40000, 60000),
            ),
            medication="buprenorphine",
            medication_rate_cents=12000,
        ),
        "short phases": EstimateRequest(START, (Phase("partial_hospitalization", 14, 30000),)),
    }


def params_ok(text: Text, where: str) -> None:
    """Every parameter of `text` (and of the Texts in it) is a Text, money, a date, a number, a
    Join of Texts, or a token; a word is never a plain str."""
    assert isinstance(text, Text), where
    for name, value in text.params.items():
        if isinstance(value, Text):
            params_ok(value, where)
        elif isinstance(value, Join):
            assert isinstance(value.separator, Text), where
            for item in value:
                params_ok(item, where)
        elif isinstance(value, (Cents, WholeDollars, date, int, Decimal)):
            continue
        else:
            assert isinstance(value, str), (where, name, value)
            assert name in TOKEN_PARAMS or (name == "name" and value[:1].isupper()), (
                where,
                text.msgid,
                name,
                value,
            )


@pytest.mark.parametrize("case", list(requests()))
def test_every_assumption_and_the_notice_is_a_text_and_its_words_are_texts(case):
    answer = estimate(requests()[case])
    assert answer.assumptions
    for note in answer.assumptions:
        params_ok(note, f"{case}: {note}")
    params_ok(answer.good_faith_notice, case)
    assert answer.good_faith_notice.msgid == GOOD_FAITH_NOTICE.msgid


def test_the_cases_say_what_they_are_about():
    """The varied requests above reach the sentences they are meant to."""
    said = {case: " ".join(estimate(r).assumptions) for case, r in requests().items()}
    assert "you pay 60% of each charge" in said["sliding fee, household"]
    assert "you pay between 10% and 30%" in said["sliding fee, class only"]
    assert "program's own sliding-fee schedule" in said["sliding fee, own schedule"]
    assert "no poverty guideline for Puerto Rico" in said["territory"]
    assert "is not charged on its own" in said["methadone, bundled"]
    assert "without stating the form" in said["naltrexone, listing without form"]
    assert "names oral naltrexone only" in said["naltrexone, listing oral"]
    assert "does not name buprenorphine" in said["residential, listing without the medication"]
    assert "the program publishes $400.00 to $600.00" in said["stepped, rates given and published"]
    assert "the medication rate you gave" not in said["stepped, rates given and published"]
    assert "NIDA: most people" in said["short phases"]


def invalid() -> list[tuple[object, str]]:
    """(a call that raises EstimateError, its field)."""
    phase = (Phase("outpatient", 30),)
    return [
        (lambda: estimate(EstimateRequest(START, (Phase("spa", 30),))), "phases[0].level"),
        (lambda: estimate(EstimateRequest(START, (Phase(["x"], 30),))), "phases[0].level"),
        (lambda: estimate(EstimateRequest(START, (Phase("outpatient", 400),))), "phases"),
        (lambda: estimate(EstimateRequest(START, phase, medication="naltrexone")), "medication"),
        (
            lambda: estimate(EstimateRequest(START, phase, household=Household(0, 100, "MA"))),
            "household.size",
        ),
        (
            lambda: estimate(EstimateRequest(START, phase, household=Household(2, 100, "ZZ"))),
            "household.state",
        ),
        (
            lambda: estimate(
                EstimateRequest(
                    START,
                    phase,
                    insurance=Insurance(
                        "commercial",
                        deductible_cents=150_000,
                        coinsurance=Decimal("0.2"),
                        oop_max_cents=500_000,
                        deductible_met_cents=200_000,
                    ),
                )
            ),
            "insurance.deductible_met",
        ),
        (
            lambda: estimate(
                EstimateRequest(
                    START,
                    phase,
                    insurance=Insurance("commercial", deductible_cents=1, coinsurance=2),
                )
            ),
            "insurance.coinsurance",
        ),
        (
            lambda: estimate(EstimateRequest(START, phase, insurance=Insurance("tricare"))),
            "insurance.tricare_group",
        ),
        (lambda: estimate(EstimateRequest(START, phase, patient_age=200)), "patient_age"),
        (
            lambda: estimate(
                EstimateRequest(START, (Phase("opioid_treatment_program", 30),), "naltrexone_xr")
            ),
            "phases[0].rate",
        ),
        (lambda: parse_sliding_schedule("100:0;oops"), "sliding_fee_schedule"),
        (lambda: parse_sliding_schedule("100:0;90:20"), "sliding_fee_schedule"),
        (lambda: preset_phases("spa"), "program"),
        (lambda: preset_phases("stepped", 30), "days"),
        (lambda: whole_number("12x", "radius"), "radius"),
        (lambda: whole_number(500, "radius", 1, 100), "radius"),
        (lambda: to_decimal("ten", "rate"), "rate"),
        (lambda: dollars_to_cents("-5", "rate"), "rate"),
    ]


@pytest.mark.parametrize("index", range(len(invalid())))
def test_every_error_message_is_a_text_with_its_field_as_a_token(index):
    call, field = invalid()[index]
    with pytest.raises(EstimateError) as caught:
        call()
    error = caught.value
    assert error.field == field
    params_ok(error.message, f"{field}: {error.message}")
    assert str(error) == error.message


# ---- in Spanish ----


def spanish(app, value) -> str:
    with app.test_request_context("/?lang=es"):
        return i18n.say(value)


def english(app, value) -> str:
    with app.test_request_context("/?lang=en"):
        return i18n.say(value)


def note_with(answer, words: str) -> Text:
    (note,) = [note for note in answer.assumptions if words in note]
    return note


def test_the_episode_in_spanish_with_its_dates_and_phases(app):
    answer = estimate(EstimateRequest(START, preset_phases("stepped", 90)))
    note = answer.assumptions[0]
    assert note == (
        "The program runs 90 days, November 15, 2025 to February 12, 2026: 5 days of inpatient "
        "detox, then 25 days of short-term residential care, then 30 days of intensive "
        "outpatient care, then 30 days of outpatient care."
    )
    assert spanish(app, note) == (
        "El programa dura 90 días, del 15 de noviembre de 2025 al 12 de febrero de 2026: "
        "5 días de desintoxicación con internación, luego 25 días de atención residencial de "
        "corta duración, luego 30 días de atención ambulatoria intensiva, luego 30 días de "
        "atención ambulatoria."
    )
    assert english(app, note) == note


def test_the_poverty_note_in_spanish_with_its_money(app):
    answer = estimate(requests()["sliding fee, household"])
    note = note_with(answer, "Household income is")
    assert note == (
        "Household income is 168.86% of the 2025 HHS poverty guideline for the 48 contiguous "
        "states and DC ($26,650.00 for a household of 3): the class above 150% and up to 175% "
        "of the guideline."
    )
    assert spanish(app, note) == (
        "Los ingresos del hogar son el 168.86% de la pauta federal de pobreza del HHS de 2025 "
        "para los 48 estados contiguos y DC ($26,650.00 para un hogar de 3): están en la "
        "categoría más del 150% y hasta el 175% de la pauta."
    )
    sliding = note_with(answer, "Under a default sliding-fee schedule")
    said = spanish(app, sliding)
    assert said.startswith("Con una escala de tarifa según sus ingresos predeterminada")
    assert said.endswith("usted paga el 60% de cada cargo.")
    assert english(app, note) == note


def test_prices_and_medication_in_spanish(app):
    answer = estimate(requests()["stepped, rates given and published"])
    published = note_with(answer, "Price of short-term residential care")
    assert published == (
        "Price of short-term residential care: the program publishes $400.00 to $600.00 per "
        "day; the estimate uses the midpoint, $500.00, and the range uses both ends."
    )
    assert spanish(app, published) == (
        "Precio de atención residencial de corta duración: el programa publica de $400.00 a "
        "$600.00 por día; el cálculo aproximado usa el punto medio, $500.00, y el rango usa "
        "ambos extremos."
    )
    given = note_with(answer, "Price of buprenorphine")
    assert spanish(app, given) == (
        "Precio de buprenorfina: la tarifa que usted dio, $120.00 por semana."
    )
    weekly = note_with(answer, "Buprenorphine is charged")
    assert spanish(app, weekly) == (
        "Buprenorfina: se cobra una vez por cada semana de 7 días que comienza, durante todo "
        "el programa."
    )
    bundled = estimate(requests()["methadone, bundled"])
    note = note_with(bundled, "During the opioid treatment program")
    assert spanish(app, note).startswith(
        "Durante el programa de tratamiento de opioides (30 días), la metadona no se cobra aparte"
    )
    detox = estimate(EstimateRequest(START, (Phase("detox_inpatient", 7),)))
    undated = note_with(detox, "Price of inpatient detox")
    assert "in undated dollars" in undated
    assert "($600.00 a $1,000.00 por día), en dólares de un año no indicado" in spanish(
        app, undated
    ).replace("rango de ", "")


def test_the_authorization_note_in_spanish_with_its_date_and_money(app):
    request = EstimateRequest(
        START,
        (Phase("residential_short", 30, 50_000),),
        insurance=Insurance(
            "commercial",
            deductible_cents=150_000,
            coinsurance=Decimal("0.2"),
            oop_max_cents=500_000,
            days_authorized=20,
        ),
    )
    note = note_with(estimate(request), "Your plan has authorized")
    assert note.startswith(
        "Your plan has authorized 20 days. The 10 days after them (from December 5, 2025) are "
        "at risk: if the plan does not authorize them, they would cost about $5,000.00 as "
        "self-pay."
    )
    assert spanish(app, note).startswith(
        "Su plan ha autorizado 20 días. Los 10 días siguientes (desde el 5 de diciembre de "
        "2025) están en riesgo: si el plan no los autoriza, costarían unos $5,000.00 con pago "
        "por cuenta propia."
    )
    assert english(app, note) == note


def test_the_good_faith_notice_and_errors_in_spanish(app):
    said = spanish(app, GOOD_FAITH_NOTICE)
    assert said.startswith("Esto es un cálculo aproximado, no un Estimado de Buena Fe.")
    assert "$400 o más" in said
    call, _ = invalid()[6]
    with pytest.raises(EstimateError) as caught:
        call()
    assert caught.value.message == "The deductible met is above the deductible ($1,500.00)."
    assert spanish(app, caught.value.message) == (
        "El deducible ya pagado es mayor que el deducible ($1,500.00)."
    )
    with pytest.raises(EstimateError) as caught:
        whole_number(500, "radius", 1, 100)
    assert spanish(app, caught.value.message) == "radius debe ser un número entero de 1 a 100."
    with pytest.raises(EstimateError) as caught:
        estimate(EstimateRequest(START, (Phase(["x"], 30),)))
    assert caught.value.message == "Unknown care level of type list."
    assert spanish(app, caught.value.message) == "Nivel de atención desconocido: de tipo list."


def test_no_english_is_left_in_the_spanish_notes(app):
    """Every sentence of the varied requests comes out translated (none falls back to its
    English id) and keeps no placeholder."""
    for case, request in requests().items():
        answer = estimate(request)
        for note in answer.assumptions:
            if note.msgid.startswith("At your household's income"):
                continue  # medicaid.py's, converted in its own change
            said = spanish(app, note)
            assert said != note, (case, note)
            assert not re.search(r"%\(|%%", said), said
            assert english(app, note) == note


def test_a_text_with_a_join_survives_pickle_and_deepcopy():
    note = estimate(EstimateRequest(START, preset_phases("stepped", 90))).assumptions[0]
    for copied in (pickle.loads(pickle.dumps(note)), copy.deepcopy(note)):
        assert copied == note and copied.msgid == note.msgid
        assert copied.params["parts"].separator.msgid == ", then "
