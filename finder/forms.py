"""Declarative forms. The search form reads GET parameters and carries no CSRF token."""

from wtforms import Form, SelectChoice, SelectField, SelectMultipleField, StringField, widgets

from . import vocab
from .search import RADIUS_CHOICES


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def choices(mapping: dict) -> list[SelectChoice]:
    """Select choices from a vocabulary (token -> label, or token -> (label, ...))."""
    return [
        SelectChoice(token, value[0] if isinstance(value, tuple) else value)
        for token, value in mapping.items()
    ]


class SearchForm(Form):
    """Rendering of the search; finder.search.read_query validates the same parameters."""

    near = StringField("ZIP code or town", render_kw={"placeholder": "02139 or Cambridge, MA"})
    radius = SelectField(
        "Within",
        choices=[SelectChoice(str(r), f"{r} miles") for r in RADIUS_CHOICES]
        + [SelectChoice("any", "Any distance")],
        default="25",
    )
    setting = CheckboxesField("Setting", choices=choices(vocab.SETTINGS))
    care = CheckboxesField("Level of care", choices=choices(vocab.CARE_LEVELS))
    payment = CheckboxesField("Payment accepted", choices=choices(vocab.PAYMENTS))
    medication = CheckboxesField(
        "Medication for opioid use disorder",
        choices=choices({**vocab.MEDICATIONS, "naltrexone": "Naltrexone (either form)"}),
    )
    age = CheckboxesField("Ages served", choices=choices(vocab.AGES))
    language = CheckboxesField("Language", choices=choices(vocab.LANGUAGES))
    special = CheckboxesField("Programs for", choices=choices(vocab.SPECIALS))

    FILTER_NAMES = ("setting", "care", "payment", "medication", "age", "language", "special")
