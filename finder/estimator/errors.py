"""The estimator's own exception: which input is wrong, and why, in plain words."""


class EstimateError(ValueError):
    """Invalid input. `field` names it as the JSON API does ("insurance.coinsurance",
    "phases[1].level"); the message (str(error)) says what is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class NotEstimated(EstimateError):
    """The input is valid but the rules cannot give a figure (TRICARE outpatient care, whose
    cost-share is not in the data): the answer is null, with this reason and its sources.
    A subclass of EstimateError so that a caller that does not know it still says why."""

    def __init__(self, field: str, message: str, sources: tuple = ()) -> None:
        super().__init__(field, message)
        self.sources = sources
