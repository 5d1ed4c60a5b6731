"""Declarative forms of the admin area. The login form carries a signed token (no cookie
before a login); every other form carries the session's CSRF token."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
)
from wtforms.validators import AnyOf, DataRequired, Length, Optional, Regexp

from ..signed_forms import SignedForm

FORMATS = [
    SelectChoice("auto", "Detect from the header"),
    SelectChoice("native", "finder format (docs/csv-format.md)"),
    SelectChoice("samhsa", "SAMHSA FindTreatment.gov facility listing"),
]


class LoginForm(SignedForm):
    email = EmailField(
        "Email",
        validators=[DataRequired(), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired(), Length(max=1000)],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()


class ActionForm(FlaskForm):
    """A button that changes something: logout, resolve, mark verified. Only the token."""


class UploadForm(FlaskForm):
    file = FileField("CSV file", validators=[FileRequired("Choose a CSV file to upload.")])
    format = SelectField("Format", choices=FORMATS, default="auto")
    complete_source = BooleanField("This file is the complete directory for its source")
    verified_on = DateField(
        "The source's date: its listings were last verified on (optional)",
        validators=[Optional()],
    )


class ApplyForm(FlaskForm):
    """The previewed upload, named by its sha256, with the options it was previewed with; the
    source's date is asked for here when the file gives none."""

    sha256 = HiddenField(validators=[Regexp(r"^[0-9a-f]{64}$")])
    filename = HiddenField(validators=[Length(max=300)])
    format = HiddenField(validators=[AnyOf([choice.value for choice in FORMATS])])
    complete_source = HiddenField(validators=[AnyOf(["", "y"])])
    verified_on = DateField(
        "The source's date: when its listings were last verified", validators=[Optional()]
    )
    skip_invalid = BooleanField("Skip the invalid rows and import the rest")
