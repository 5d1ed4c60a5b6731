"""Declarative forms. The search form reads GET parameters and carries no CSRF token."""

from collections.abc import Callable
from dataclasses import dataclass

from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    Form,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    widgets,
)
from wtforms.validators import InputRequired, NumberRange, Optional, Regexp

from . import vocab
from .estimator import EstimateError, to_decimal, whole_number
from .estimator.text import N_, Text
from .i18n import Lazy, gettext, ngettext, say
from .i18n import lazy_gettext as _l
from .search import RADIUS_CHOICES, SearchError, read_coinsurance


class _ReadByTheEstimator:
    """A field whose text is read by one of the estimator's number readers: ASCII digits only
    (int() and Decimal() would also read '٩٠', '1_000', 'sNaN' or '1e999999')."""

    read: Callable[[str, str], object]
    message: str

    def process_formdata(self, valuelist):
        if valuelist:
            try:
                self.data = type(self).read(valuelist[0], self.name)
            except EstimateError:
                self.data = None
                raise ValueError(self.gettext(self.message)) from None


class WholeNumberField(_ReadByTheEstimator, IntegerField):
    read = staticmethod(whole_number)
    message = "Enter a whole number, in digits."


class AmountField(_ReadByTheEstimator, DecimalField):
    read = staticmethod(to_decimal)
    message = "Enter a number in digits, such as 1250 or 1,250.50."


class CoinsuranceField(StringField):
    """Coinsurance as people write it (20, 20% or 0.2: the search form's rule,
    finder.search.read_coinsurance), read as a fraction; shown again as typed."""

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and valuelist[0].strip():
            try:
                self.data = read_coinsurance(valuelist[0])
            except SearchError as exc:
                raise ValueError(say(exc.message)) from None

    def _value(self):
        return self.raw_data[0] if self.raw_data else ""


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def choices(mapping: dict) -> list[SelectChoice]:
    """Select choices from a vocabulary (token -> label, or token -> (label, ...)); a label
    marked for translation (a Text) is shown in the page's language."""
    return [
        SelectChoice(token, _shown(value[0] if isinstance(value, tuple) else value))
        for token, value in mapping.items()
    ]


def _shown(label):
    return Lazy(say, label) if isinstance(label, Text) else label


# What a group token means as a search choice (finder.search.GROUPS): it stands in its own
# token's place, so each choice is listed once.
SEARCH_LABELS = {
    "care": {"residential": N_("Residential (any length)")},
    "medication": {"naltrexone": N_("Naltrexone (any form)")},
}


def search_choices(kind: str, mapping: dict) -> list[SelectChoice]:
    return choices({**mapping, **SEARCH_LABELS[kind]})


@dataclass(frozen=True)
class PayChoice:
    """One answer to "How will you pay?": the payment filter it sends (programs that take any
    of these), the coverage the estimates use (None: no estimate), and what a program that
    does not take it does not take ("Also show programs that don't take ...")."""

    label: str
    payment: tuple[str, ...]
    coverage: str | None
    takes: str


# The search form's "How will you pay?" (field `pay`), turned into URL parameters by
# pay_parameters when the form is posted, and read back from them by pay_answer.
PAY_CHOICES = {
    "medicaid": PayChoice(_l("Medicaid"), ("medicaid",), "medicaid", _l("Medicaid")),
    "medicare": PayChoice(_l("Medicare"), ("medicare",), "medicare", _l("Medicare")),
    "private_insurance": PayChoice(
        _l("Private insurance"),
        ("private_insurance",),
        "private_insurance",
        _l("private insurance"),
    ),
    "tricare": PayChoice(_l("TRICARE"), ("tricare",), "tricare", _l("TRICARE")),
    "cash": PayChoice(
        _l("No insurance / sliding fee"),
        ("cash", "sliding_fee"),
        "cash",
        _l("self-pay or a sliding fee"),
    ),
    "free": PayChoice(_l("Free"), ("free",), None, _l("free care")),
}
ANY_PAY = SelectChoice("", _l("Any: don't filter"))
DECIMAL = {"inputmode": "decimal"}


def pay_parameters(args: MultiDict) -> None:
    """Turn the posted `pay` choice (and `show_all`) into the `payment` filter and the
    `coverage` of the results URL, in place; without a choice, leave both as they are."""
    choice = PAY_CHOICES.get(args.pop("pay", ""))
    show_all = args.pop("show_all", "") != ""
    if choice is None:
        return
    args.pop("coverage", None)
    if choice.coverage:
        args["coverage"] = choice.coverage
    if not show_all:
        others = [v for raw in args.poplist("payment") for v in raw.split(",") if v]
        args.setlist("payment", list(dict.fromkeys([*others, *choice.payment])))


def pay_answer(args: MultiDict) -> None:
    """The reverse, for rendering the form from a results URL, in place: the `pay` choice its
    coverage (or a payment filter of free alone) stands for, `show_all` when the payment
    filter leaves it out, and the payment boxes less the values the choice sends."""
    args.pop("pay", None)
    args.pop("show_all", None)
    payment = [v for raw in args.getlist("payment") for v in raw.split(",") if v]
    coverage = args.get("coverage", "")
    token = next((t for t, c in PAY_CHOICES.items() if c.coverage and c.coverage == coverage), "")
    if not token and not coverage and payment == ["free"]:
        token = "free"
    if not token:
        return
    args["pay"] = token
    sent = PAY_CHOICES[token].payment
    if not any(v in sent for v in payment):
        args["show_all"] = "y"
    args.setlist("payment", [v for v in payment if v not in sent])


class SearchForm(Form):
    """Rendering of the search; finder.search.read_query validates the same parameters."""

    near = StringField(
        _l("ZIP code or town"), render_kw={"placeholder": _l("02139 or Cambridge, MA")}
    )
    radius = SelectField(
        _l("Within"),
        choices=[SelectChoice(str(r), _l("%(num)s miles", num=r)) for r in RADIUS_CHOICES]
        + [SelectChoice("any", _l("Any distance"))],
        default="25",
    )
    pay = RadioField(
        _l("How will you pay?"),
        choices=[ANY_PAY] + [SelectChoice(t, c.label) for t, c in PAY_CHOICES.items()],
        default="",
    )
    show_all = BooleanField(_l("Also show programs that don't take it"))
    setting = CheckboxesField(_l("Setting"), choices=choices(vocab.SETTINGS))
    care = CheckboxesField(_l("Level of care"), choices=search_choices("care", vocab.CARE_LEVELS))
    payment = CheckboxesField(_l("Payment accepted"), choices=choices(vocab.PAYMENTS))
    medication = CheckboxesField(
        _l("Medication for opioid use disorder"),
        choices=search_choices("medication", vocab.MEDICATIONS),
    )
    age = CheckboxesField(_l("Ages served"), choices=choices(vocab.AGES))
    language = CheckboxesField(_l("Language"), choices=choices(vocab.LANGUAGES))
    special = CheckboxesField(_l("Programs for"), choices=choices(vocab.SPECIALS))
    # Quality signs (vocab.SIGNS): the listing reports it; one sign= parameter for them all.
    sign = CheckboxesField(_l("Signs of quality care"), choices=choices(vocab.SIGNS))
    # Checked sends telehealth=true (finder.search.read_telehealth); unchecked sends nothing.
    telehealth = BooleanField(_l("Offers telehealth therapy"), render_kw={"value": "true"})

    # Money and percentages: a phone shows its keypad with a decimal point (the ZIP field stays
    # text, since a town is typed there too).
    deductible = StringField(_l("Deductible ($, optional)"), render_kw=DECIMAL)
    coinsurance = StringField(_l("Coinsurance (%; 20 means you pay 20%)"), render_kw=DECIMAL)
    oop_max = StringField(_l("Out-of-pocket maximum ($)"), render_kw=DECIMAL)
    household_size = WholeNumberField(
        _l("People in your household"), validators=[Optional()], render_kw={"inputmode": "numeric"}
    )
    income = StringField(_l("Household income per year ($)"), render_kw=DECIMAL)
    state = SelectField(
        _l("Your state (if not where you search)"),
        choices=[SelectChoice("", _l("Same as the search"))] + choices(vocab.STATES),
        default="",
    )
    sort = SelectField(
        _l("Sort by"),
        choices=[
            SelectChoice("distance", _l("Distance")),
            SelectChoice("cost", _l("What you would pay")),
        ],
        default="distance",
    )

    FILTER_NAMES = ("setting", "care", "payment", "medication", "age", "language", "special")
    FILTER_NAMES += ("sign",)
    COST_NAMES = (
        "deductible",
        "coinsurance",
        "oop_max",
        "household_size",
        "income",
        "state",
    )


class _Translations:
    """WTForms' own messages ("Not a valid date value.", NumberRange's) through finder's
    catalog, in the page's language (English: as WTForms writes them)."""

    def gettext(self, message):
        return gettext(message)

    def ngettext(self, singular, plural, n):
        return ngettext(singular, plural, n)


# The messages of WTForms and of the number fields above that the estimate form shows, marked
# for the catalog (_Translations looks them up).
WTFORMS_MESSAGES = (
    _l("This field is required."),
    _l("Not a valid date value."),
    _l("Not a valid choice."),
    _l("Invalid input."),
    _l("Number must be at least %(min)s."),
    _l("Number must be at most %(max)s."),
    _l("Number must be between %(min)s and %(max)s."),
    _l("Enter a whole number, in digits."),
    _l("Enter a number in digits, such as 1250 or 1,250.50."),
)


PROGRAM_CHOICES = [
    SelectChoice("inpatient", _l("Long-term residential (inpatient)")),
    SelectChoice("outpatient", _l("Standard outpatient")),
    SelectChoice("iop", _l("Intensive outpatient (IOP)")),
    SelectChoice("php", _l("Partial hospitalization / day treatment (PHP)")),
    SelectChoice(
        "stepped", _l("Stepped: 5 days detox, 25 days residential, 30 days IOP, then outpatient")
    ),
]


def money(label: str) -> AmountField:
    """An optional dollar amount of zero or more; phones open the keypad with a decimal point."""
    return AmountField(label, validators=[Optional(), NumberRange(min=0)], render_kw=DECIMAL)


def count(label: str, low: int, high: int) -> WholeNumberField:
    """An optional whole number from `low` to `high`, typed on the number keypad."""
    return WholeNumberField(
        label, validators=[Optional(), NumberRange(low, high)], render_kw={"inputmode": "numeric"}
    )


class EstimateForm(Form):
    """The estimate form. It changes nothing on the server, so it has no CSRF token; it is
    posted, so that income never appears in a URL."""

    class Meta:
        def get_translations(self, form):
            return _Translations()

    facility = HiddenField()
    program = SelectField(_l("Kind of program"), choices=PROGRAM_CHOICES, default="outpatient")
    days = WholeNumberField(
        _l("How many days"), default=90, validators=[InputRequired(), NumberRange(7, 365)]
    )
    start_date = DateField(_l("Start date"), validators=[InputRequired()])
    rate = money(
        _l("A price you were quoted, per day (inpatient, PHP, detox) or per week (outpatient, IOP)")
    )
    medication = SelectField(
        _l("Medication for opioid use disorder"),
        choices=[
            SelectChoice("", _l("None")),
            SelectChoice("methadone", _l("Methadone")),
            SelectChoice("buprenorphine", _l("Buprenorphine")),
            SelectChoice(
                "naltrexone_xr", _l("Extended-release naltrexone (an injection every 28 days)")
            ),
        ],
        default="",
    )
    insurance = RadioField(
        _l("Insurance"),
        choices=[
            SelectChoice("none", _l("None: I would pay myself")),
            SelectChoice("commercial", _l("Private insurance or a Marketplace plan")),
            SelectChoice("medicaid", _l("Medicaid")),
            SelectChoice("medicare", _l("Original Medicare")),
            SelectChoice("tricare", _l("TRICARE")),
        ],
        default="none",
    )
    tricare_group = RadioField(
        _l("Who is the patient?"),
        choices=[
            SelectChoice(
                "select_group_a_adfm", _l("An active-duty family member (TRICARE Select)")
            ),
            SelectChoice("active_duty", _l("An active-duty service member")),
        ],
        default="select_group_a_adfm",
    )
    in_network = RadioField(
        _l("Is the program in your plan's network?"),
        choices=[
            SelectChoice("yes", _l("Yes, in network")),
            SelectChoice("no", _l("No, out of network")),
        ],
        default="yes",
    )
    deductible = money(_l("Deductible ($ per plan year)"))
    deductible_met = money(_l("Deductible already met this plan year ($)"))
    coinsurance = CoinsuranceField(
        _l("Coinsurance (%(percent)s you pay after the deductible: 20, 20%% or 0.2)", percent="%"),
        validators=[Optional()],
        render_kw=DECIMAL,
    )
    oop_max = money(_l("Out-of-pocket maximum ($ per plan year)"))
    oop_met = money(_l("Out-of-pocket already spent this plan year ($)"))
    family = BooleanField(_l("These are family amounts"))
    plan_year_start = StringField(
        _l("Plan year starts (MM-DD)"),
        default="01-01",
        validators=[Optional(), Regexp(r"^\d\d-\d\d$")],
    )
    allowed_percent = AmountField(
        _l(
            "Out of network: your plan allows what %(percent)s of the program's charge?",
            percent="%",
        ),
        validators=[Optional(), NumberRange(0, 100)],
        render_kw=DECIMAL,
    )
    # Copays as plans write them (issue 14): per day of day-priced care, per visit of
    # outpatient care, once per inpatient or residential admission.
    copay = money(_l("Copay per day ($)"))
    visit_copay = money(_l("Copay per visit ($)"))
    visits_per_week = count(_l("Visits per week"), 1, 7)
    admission_copay = money(_l("Copay per admission ($)"))
    days_authorized = count(_l("Days your plan has authorized"), 0, 365)
    pharmacy_copay = money(_l("Pharmacy copay per 30-day fill of buprenorphine ($)"))
    # Original Medicare's days already used (issue 15).
    reserve_days_used = count(_l("Lifetime reserve days you have already used"), 0, 60)
    benefit_period_days_used = count(
        _l("Days already in the hospital in this benefit period"), 0, 365
    )
    psychiatric_days_used = count(
        _l("Days you have already spent in psychiatric hospitals"), 0, 190
    )
    psychiatric_hospital = BooleanField(_l("The stay is in a psychiatric hospital"))
    patient_age = count(_l("The patient's age"), 0, 120)
    household_size = count(_l("People in your household"), 1, 50)
    income = money(_l("Household income per year ($)"))
    state = SelectField(
        _l("State you live in"),
        choices=[SelectChoice("", _l("Choose"))] + choices(vocab.STATES),
        default="",
    )
    sliding_scale = BooleanField(_l("The program has a sliding fee scale"))
    payment_months = WholeNumberField(
        _l("Spread what I pay over this many months"), validators=[Optional(), NumberRange(1, 60)]
    )

    # Where each estimator input lands on this form.
    FIELD_FOR = {
        "program": "program", "days": "days", "start_date": "start_date",
        "medication": "medication", "sliding_scale": "sliding_scale",
        "phases[0].rate": "rate", "phases[0].days": "days", "insurance.type": "insurance",
        "insurance.deductible": "deductible", "insurance.deductible_met": "deductible_met",
        "insurance.coinsurance": "coinsurance", "insurance.copay": "copay",
        "insurance.oop_max": "oop_max", "insurance.oop_met": "oop_met",
        "insurance.family": "family", "insurance.plan_year_start": "plan_year_start",
        "insurance.allowed_fraction": "allowed_percent",
        "insurance.visit_copay": "visit_copay", "visits_per_week": "visits_per_week",
        "phases[0].visits_per_week": "visits_per_week",
        "insurance.admission_copay": "admission_copay",
        "insurance.days_authorized": "days_authorized", "household.size": "household_size",
        "household.annual_income": "income", "household.state": "state",
        "payment_months": "payment_months", "insurance.tricare_group": "tricare_group",
        "insurance.pharmacy_copay": "pharmacy_copay",
        "insurance.reserve_days_used": "reserve_days_used",
        "insurance.benefit_period_days_used": "benefit_period_days_used",
        "insurance.psychiatric_days_used": "psychiatric_days_used",
        "insurance.psychiatric_hospital": "psychiatric_hospital", "patient_age": "patient_age",
    }  # fmt: skip
