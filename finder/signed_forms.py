"""Forms that anonymous visitors post (the admin login, a problem report), protected without a
cookie: a signed, expiring token that names the form, and a same-origin check. The first cookie
anyone receives comes with a successful login.
"""

from flask import current_app, request
from itsdangerous import BadData, URLSafeTimedSerializer
from wtforms import Form, HiddenField

from .estimator.text import N_

REFUSED = N_(
    "This form has expired or did not come from this page (CSRF check). Please send it again."
)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="finder.signed-form")


def same_origin() -> bool:
    """False when the browser says the post comes from another site. Current browsers send
    Sec-Fetch-Site or Origin with every form post; without either, the token alone decides."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None and site != "same-origin":
        return False
    scheme = "https" if current_app.config["HTTPS"] else request.scheme
    origin = request.headers.get("Origin")
    return origin is None or origin.lower() == f"{scheme}://{request.host}".lower()


class SignedForm(Form):
    """A form posted back with a token for its `purpose` (e.g. "report:<program id>"), issued
    at most FORM_TOKEN_SECONDS before."""

    token = HiddenField()

    def __init__(self, purpose: str, **kwargs):
        self.posted = request.method == "POST"
        super().__init__(request.form if self.posted else None, **kwargs)
        self.purpose = purpose
        self.sent_token = self.token.data or ""
        self.token.data = _serializer().dumps(purpose)  # a fresh one for the page we render

    def is_submitted(self) -> bool:
        return self.posted

    def validate_on_submit(self) -> bool:
        return self.posted and self.validate()

    def validate(self, extra_validators=None) -> bool:
        fields_valid = super().validate(extra_validators)
        if not (same_origin() and self._token_valid()):
            self.form_errors.append(REFUSED)
            return False
        return fields_valid

    def _token_valid(self) -> bool:
        max_age = current_app.config["FORM_TOKEN_SECONDS"]
        try:
            return _serializer().loads(self.sent_token, max_age=max_age) == self.purpose
        except BadData:
            return False
