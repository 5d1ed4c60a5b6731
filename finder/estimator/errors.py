"""The estimator's own exception: which input is wrong, and why, in plain words."""


class EstimateError(ValueError):
    """Invalid input. `field` names it as the JSON API does ("insurance.coinsurance",
    "phases[1].level"); the message (str(error)) says what is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
