"""The estimator's own exception: which input is wrong, and why, in plain words."""

from .text import Text


class EstimateError(ValueError):
    """Invalid input. `field` names it as the JSON API does ("insurance.coinsurance",
    "phases[1].level"); the message (str(error)) says what is wrong: a Text (its English
    sentence, with its message id and parameters for the web layer to translate)."""

    def __init__(self, field: str, message: Text) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class NotEstimated(EstimateError):
    """The input is valid but the rules cannot give a figure (TRICARE outpatient care, whose
    cost-share is not in the data): the answer is null, with this reason and its sources.
    A subclass of EstimateError so that a caller that does not know it still says why."""

    def __init__(self, field: str, message: Text, sources: tuple = ()) -> None:
        super().__init__(field, message)
        self.sources = sources
