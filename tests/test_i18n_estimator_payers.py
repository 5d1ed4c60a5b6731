"""The payer rules' sentences in Spanish (issue 17): every note a payer adds (commercial plans,
Medicaid, Medicare, TRICARE), the coverage used and why, a NotEstimated reason, and every
source's label is a `Text` (a message id with parameters) whose English is unchanged, and the
web layer's `say` shows it in Spanish with es_US money and dates."""

import importlib
from datetime import date
from decimal import Decimal

import pytest

from finder import i18n
from finder.estimator import (
    EstimateRequest,
    Household,
    Insurance,
    NotEstimated,
    Phase,
    PlanTerms,
    estimate,
)
from finder.estimator.episode import ITEM_NAMES
from finder.estimator.reference import medicaid_expansion, rule_sources
from finder.estimator.text import Cents, Join, Text, WholeDollars

estimate_module = importlib.import_module("finder.estimator.estimate")

START = date(2026, 3, 2)
PLAN = Insurance(
    "commercial",
    deductible_cents=300_000,
    coinsurance=Decimal("0.2"),
    oop_max_cents=900_000,
    copay_cents=5_000,
    visit_copay_cents=3_000,
    admission_copay_cents=25_000,
)
RESIDENTIAL = (Phase("residential_short", 30, rate_cents=50_000),)
STEPPED = (
    Phase("detox_inpatient", 5, rate_cents=80_000),
    Phase("residential_short", 25, rate_cents=50_000),
    Phase("intensive_outpatient", 28, rate_cents=60_000),
    Phase("outpatient", 28, rate_cents=15_000),
)
HOSPITAL = (Phase("hospital_inpatient", 100, rate_cents=200_000),)

# Varied payer requests: (name, request).
REQUESTS = [
    ("commercial in network", EstimateRequest(START, STEPPED, insurance=PLAN)),
    (
        "commercial family, above the legal limit, across a plan year",
        EstimateRequest(
            date(2026, 11, 2),
            STEPPED,
            insurance=Insurance(
                "commercial",
                deductible_cents=600_000,
                coinsurance=Decimal("0.3"),
                oop_max_cents=3_000_000,
                family=True,
                next_year=PlanTerms(deductible_cents=700_000),
            ),
        ),
    ),
    (
        "commercial out of network",
        EstimateRequest(
            START,
            RESIDENTIAL,
            insurance=Insurance(
                "commercial",
                in_network=False,
                deductible_cents=500_000,
                coinsurance=Decimal("0.4"),
                oop_max_cents=2_000_000,
                allowed_fraction=Decimal("0.7"),
                family=True,
            ),
        ),
    ),
    (
        "commercial, the program does not take it, sliding fee",
        EstimateRequest(
            START,
            RESIDENTIAL,
            insurance=PLAN,
            accepted_payments=("cash", "medicaid"),
            sliding_scale=True,
            household=Household(3, 4_000_000, "MA"),
        ),
    ),
    (
        "Medicaid at or below 100%, copays",
        EstimateRequest(
            START,
            STEPPED,
            insurance=Insurance("medicaid", copay_cents=300, visit_copay_cents=200),
            household=Household(1, 1_200_000, "TX"),
        ),
    ),
    (
        "Medicaid 101-150%, no age, many beds",
        EstimateRequest(
            START,
            RESIDENTIAL,
            insurance=Insurance("medicaid"),
            household=Household(1, 2_000_000, "WI"),
            program_beds=40,
        ),
    ),
    (
        "Medicaid above 150%, outpatient",
        EstimateRequest(
            START,
            (Phase("outpatient", 28, rate_cents=10_000, visits_per_week=2),),
            insurance=Insurance("medicaid"),
            household=Household(1, 5_000_000, "GA"),
            patient_age=19,
        ),
    ),
    (
        "Medicaid, a child",
        EstimateRequest(
            START,
            RESIDENTIAL,
            insurance=Insurance("medicaid", copay_cents=300),
            patient_age=15,
        ),
    ),
    (
        "uninsured adult who may qualify",
        EstimateRequest(START, RESIDENTIAL, household=Household(1, 1_800_000, "CA")),
    ),
    (
        "Medicare with days used",
        EstimateRequest(
            START,
            (*HOSPITAL, Phase("partial_hospitalization", 20, rate_cents=40_000)),
            insurance=Insurance(
                "medicare",
                reserve_days_used=20,
                benefit_period_days_used=30,
                psychiatric_hospital=True,
                psychiatric_days_used=100,
            ),
        ),
    ),
    (
        "Medicare, residential not covered",
        EstimateRequest(START, STEPPED, insurance=Insurance("medicare")),
    ),
    (
        "TRICARE active duty, non-participating",
        EstimateRequest(
            START,
            STEPPED,
            insurance=Insurance("tricare", tricare_group="active_duty", in_network=False),
        ),
    ),
    (
        "TRICARE family member, two admissions, the cap reached",
        EstimateRequest(
            date(2026, 10, 1),
            (
                Phase("residential_long", 60, rate_cents=50_000),
                Phase("hospital_inpatient", 30, rate_cents=50_000),
            ),
            insurance=Insurance("tricare", tricare_group="select_group_a_adfm"),
        ),
    ),
]


def word_params_are_text(text: Text) -> None:
    """A Text's parameters: money as Cents/WholeDollars, dates as dates, numbers as numbers,
    words as Text (a list as a Join of them); a state's name and a year stay as they are."""
    assert isinstance(text, Text), repr(text)
    states = {status.name for status in medicaid_expansion().values()}
    for name, value in text.params.items():
        if isinstance(value, Text):
            word_params_are_text(value)
        elif isinstance(value, Join):
            assert isinstance(value.separator, Text)
            for item in value:
                if isinstance(item, Text):
                    word_params_are_text(item)
                else:
                    assert str(item).isdigit(), (text.msgid, name, item)
        elif isinstance(value, str):
            # A state's name, a year; the care level's name is episode.ITEM_NAMES (made a Text
            # by the episode's own conversion).
            assert value in states or value.isdigit() or value in ITEM_NAMES.values(), (
                text.msgid,
                name,
                value,
            )
        else:
            assert isinstance(value, (int, Decimal, date, Cents, WholeDollars)), (name, value)


@pytest.fixture
def payer_notes(monkeypatch):
    """What the payer rules said during an estimate: the Coverage's notes and sources, and the
    uninsured Medicaid notes."""
    said = {"notes": [], "sources": []}
    coverage, uninsured = estimate_module._coverage, estimate_module.uninsured_notes

    def recording_coverage(request, lines):
        answer = coverage(request, lines)
        said["notes"] += answer.notes
        said["sources"] += answer.sources
        return answer

    def recording_uninsured(*args):
        notes, sources = uninsured(*args)
        said["notes"] += notes
        said["sources"] += sources
        return notes, sources

    monkeypatch.setattr(estimate_module, "_coverage", recording_coverage)
    monkeypatch.setattr(estimate_module, "uninsured_notes", recording_uninsured)
    return said


@pytest.mark.parametrize("name, request_", REQUESTS, ids=[name for name, _ in REQUESTS])
def test_every_payer_sentence_and_source_label_is_a_text(payer_notes, name, request_):
    answer = estimate(request_)
    assert payer_notes["notes"] or answer.coverage_used.kind == "self_pay"
    for note in payer_notes["notes"]:
        word_params_are_text(note)
        assert note in answer.assumptions  # the same sentence the answer gives, in English
    word_params_are_text(answer.coverage_used.reason)
    for source in (*answer.sources, *payer_notes["sources"]):
        word_params_are_text(source.label)
        assert not isinstance(source.citation, Text)  # an English document's name


def test_the_varied_requests_reach_the_variants_they_are_for(payer_notes):
    for _, request_ in REQUESTS:
        estimate(request_)
    ids = {note.msgid for note in payer_notes["notes"]}
    for start in (
        "The stay crosses into a new plan year on %(day)s",
        "The out-of-pocket maximum you gave (%(given)s)",
        "Out of network:",
        "Medicaid: you pay %(copays)s",
        "Federal rules limit what Medicaid may charge you",
        "Medicaid cost sharing is also capped",
        "Medicaid charges no cost sharing for children",
        "The program has %(beds)s beds",
        "%(state)s has not adopted the Medicaid expansion",
        "%(note)s (not checked).",
        "At your household's income",
        "You have used %(used)s of your %(total)s lifetime reserve days; this stay uses",
        "You have already spent %(days)s days in this benefit period",
        "The stay is in a psychiatric hospital",
        "%(days)s hospital days come after the %(limit)s-day lifetime limit",
        "Original Medicare does not cover residential treatment",
        "You said the program is not a TRICARE participating provider",
        "Inpatient and residential care costs %(day)s a day",
        "The cap is reached on %(day)s",
    ):
        assert any(msgid.startswith(start) for msgid in ids), start


def test_a_not_estimated_reason_is_a_text(app):
    request_ = EstimateRequest(
        START,
        (Phase("opioid_treatment_program", 28, rate_cents=20_000),),
        insurance=Insurance("tricare", tricare_group="select_group_a_adfm"),
    )
    with pytest.raises(NotEstimated) as raised:
        estimate(request_)
    message = raised.value.message
    word_params_are_text(message)
    assert "For an opioid treatment program TRICARE charges one outpatient cost-share" in message
    with app.test_request_context("/?lang=es"):
        assert "Por un programa de tratamiento de opioides, TRICARE cobra un costo compartido " in (
            i18n.say(message)
        )
    for source in raised.value.sources:
        word_params_are_text(source.label)


def test_rules_csv_labels_are_texts_and_found_by_the_extractor():
    from io import BytesIO

    from finder.estimator.catalog import extract_labels

    labels = {source.label for source in rule_sources().values()}
    assert all(isinstance(label, Text) for label in labels)
    data = (
        b"key,label,year\r\n"
        b'a,"Room, and board",2024\r\n'
        b"b,,2024\r\n"
        b"c,Medicare: opioid treatment programs,current\r\n"
    )
    found = list(extract_labels(BytesIO(data), [], [], {"columns": "label"}))
    assert [(line, message) for line, _, message, _ in found] == [
        (2, "Room, and board"),
        (4, "Medicare: opioid treatment programs"),
    ]


# ---- in Spanish ----


def spanish(app, value) -> str:
    with app.test_request_context("/?lang=es"):
        return i18n.say(value)


def english(app, value) -> str:
    with app.test_request_context("/"):
        return i18n.say(value)


def test_the_coverage_used_in_spanish(app):
    answer = estimate(REQUESTS[3][1])
    reason = answer.coverage_used.reason
    assert spanish(app, reason) == (
        "El programa no incluye seguro privado entre los pagos que acepta, así que esto es lo "
        "que usted pagaría sin él: el precio del programa por pago por cuenta propia, con su "
        "descuento de tarifa según sus ingresos si los ingresos de su hogar califican."
    )
    assert (
        english(app, reason)
        == reason
        == (
            "The program does not list private health insurance among the payments it accepts, so "
            "this is what you would pay without it: the program's self-pay price, less its sliding "
            "fee where your household's income qualifies."
        )
    )


def test_medicaid_s_cap_in_spanish_with_es_us_money(app, payer_notes):
    estimate(REQUESTS[4][1])  # $12,000 a year: $50.00 a month
    cap = next(n for n in payer_notes["notes"] if n.startswith("Medicaid cost sharing"))
    assert spanish(app, cap).startswith(
        "El costo compartido de Medicaid también tiene un tope del 5% de los ingresos de su "
        "familia: $50.00 al mes con $12,000.00 al año."
    )
    assert "US$" not in spanish(app, cap)
    assert english(app, cap) == cap
    assert cap.startswith(
        "Medicaid cost sharing is also capped at 5% of your family's income: $50.00 a month on "
        "$12,000.00 a year."
    )
    band = next(n for n in payer_notes["notes"] if n.startswith("Federal rules"))
    # The band's words and the rules joined by a translated "and".
    assert spanish(app, band).startswith(
        "Con los ingresos de su hogar (hasta el 100% de la pauta federal de pobreza), las "
        "reglas federales limitan lo que Medicaid le puede cobrar a $4.00 por visita de "
        "atención ambulatoria ("
    )
    assert " y $75.00 por cada estadía de hospitalización o residencial." in spanish(app, band)
    paid = next(n for n in payer_notes["notes"] if n.startswith("Medicaid: you pay"))
    assert spanish(app, paid).startswith(
        "Medicaid: usted paga $3.00 por día de atención que se cobra por día, $2.00 por visita;"
    )


def test_tricare_s_cap_date_and_balance_bill_in_spanish(app, payer_notes):
    estimate(REQUESTS[12][1])
    reached = next(n for n in payer_notes["notes"] if n.startswith("The cap is reached"))
    assert reached.params["day"].year == 2026
    text = spanish(app, reached)
    assert text.startswith("Se llega al tope el ") and text.endswith(
        " de 2026: usted no paga más costos compartidos ese año calendario."
    )
    assert "de diciembre de 2026" in text or "de noviembre de 2026" in text
    assert english(app, reached) == reached
    payer_notes["notes"].clear()
    estimate(REQUESTS[11][1])
    bill = next(n for n in payer_notes["notes"] if "participating provider" in n)
    assert "le puede cobrar hasta un 15% más que el cargo permitido por TRICARE" in spanish(
        app, bill
    )
    assert "(hasta $" in spanish(app, bill)


def test_a_new_plan_year_in_spanish_is_a_spanish_date(app, payer_notes):
    estimate(REQUESTS[1][1])
    crossing = next(n for n in payer_notes["notes"] if n.startswith("The stay crosses"))
    assert spanish(app, crossing).startswith(
        "La estadía pasa a un nuevo año del plan el 1 de enero de 2027: el deducible y el "
        "máximo de gastos de su bolsillo empiezan de nuevo desde cero con las condiciones del "
        "año siguiente."
    )
    assert crossing.startswith("The stay crosses into a new plan year on January 1, 2027:")
    above = next(n for n in payer_notes["notes"] if n.startswith("The out-of-pocket maximum"))
    assert spanish(app, above) == (
        "El máximo de gastos de su bolsillo que usted indicó ($30,000.00) es más alto que el "
        "límite legal dentro de la red para el año del plan 2026 ($21,200.00 para una "
        "familia); confírmelo con su plan."
    )


def test_medicare_s_days_and_source_labels_in_spanish(app, payer_notes):
    answer = estimate(REQUESTS[9][1])
    texts = [spanish(app, note) for note in payer_notes["notes"]]
    assert (
        "Usted ya usó 20 de sus 60 días de reserva de por vida; esta estadía usa 30 de los 40 "
        "que quedan."
    ) in texts
    assert (
        "You have used 20 of your 60 lifetime reserve days; this stay uses 30 of the 40 left."
    ) in payer_notes["notes"]
    assert any(t.startswith("Usted ya pasó 30 días en este período de beneficios") for t in texts)
    labels = {spanish(app, source.label) for source in answer.sources}
    assert "Medicare 2026: Deducible de la Parte A" in labels
    assert "Medicare: límite de por vida de 190 días en hospitales psiquiátricos" in labels
    assert {english(app, source.label) for source in answer.sources} == {
        str(source.label) for source in answer.sources
    }
    assert "Medicare 2026: Part A deductible" in {s.label for s in answer.sources}


def test_medicaid_source_labels_and_the_state_s_note_in_spanish(app, payer_notes):
    answer = estimate(REQUESTS[5][1])  # Wisconsin
    labels = {spanish(app, source.label) for source in answer.sources}
    assert (
        "Medicaid: lo máximo por estadía de hospitalización, ingresos de la familia por encima "
        "del 100% y hasta el 150% de la pauta"
    ) in labels
    assert "Expansión de Medicaid en Wisconsin: no adoptada" in labels
    assert "Alojamiento y comida en la atención residencial fuera de un hospital" in labels
    note = next(n for n in payer_notes["notes"] if n.endswith("(not checked)."))
    assert spanish(app, note) == (
        "Wisconsin cubre en Medicaid a los adultos con ingresos del 100% o menos de la pauta "
        "federal de pobreza sin haber adoptado la expansión de la ACA (nota de KFF, mapa de "
        "2018) (sin verificar)."
    )
    assert note == (
        "Wisconsin covers adults up to 100% of the poverty guideline in Medicaid without "
        "adopting the ACA expansion (KFF note, 2018 map) (not checked)."
    )


def test_every_payer_sentence_has_spanish(app, payer_notes):
    """No payer sentence is shown in English on a Spanish page (the catalog has each id)."""
    answers = [estimate(request_) for _, request_ in REQUESTS]
    texts = [*payer_notes["notes"], *(a.coverage_used.reason for a in answers)]
    texts += [source.label for answer in answers for source in answer.sources]
    for text in texts:
        assert spanish(app, text) != str(text) or text.msgid in {
            "Medicaid",
            "Medicare",
            "TRICARE",
            "Alaska",
            "Medicaid: %(item)s",
        }, text.msgid
