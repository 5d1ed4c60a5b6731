"""Sentences the estimator says, as message ids with parameters (standard library only).

Every assumption, caveat, reason and error message of the estimator is a `Text`: a `str`
holding the English sentence, so that code and tests read it as English, which also carries its
message id (`msgid`, a Python %-format string) and the parameters it was made from. The web
layer translates the id (finder.i18n) and formats the parameters for the reader's locale:
`Cents` as money, `date` as a date, a nested `Text` translated, a `Join` of Texts joined with
a translated separator; any other parameter is shown as it is.

The message ids are found in the source by `pybabel extract` (babel.cfg names `Text` and
`N_` as keywords): write them as literal strings in the call, never built from pieces.
"""

from datetime import date


def N_(message: str) -> "Text":
    """Mark a constant sentence or name for translation (a Text without parameters)."""
    return Text(message)


class Cents(int):
    """An amount of money in integer cents, shown as dollars: "$1,234.56"."""

    def __str__(self) -> str:
        sign = "-" if self < 0 else ""
        whole, part = divmod(abs(int(self)), 100)
        return f"{sign}${whole:,}.{part:02d}"


class WholeDollars(int):
    """An amount of money in integer cents, shown as whole dollars rounded half up: "$14,835"."""

    def __str__(self) -> str:
        return f"${(int(self) + 50) // 100:,}"


class Day(date):
    """A date shown as people write it: "November 15, 2025"."""

    def __str__(self) -> str:
        return f"{self:%B} {self.day}, {self.year}"

    @classmethod
    def of(cls, day: date) -> "Day":
        return cls(day.year, day.month, day.day)


class Join(tuple):
    """Texts shown one after another, with `separator` (a Text) between them."""

    separator: "Text"

    def __new__(cls, items, separator: "Text"):
        self = super().__new__(cls, items)
        self.separator = separator
        return self

    def __str__(self) -> str:
        return str(self.separator).join(str(item) for item in self)

    def __reduce__(self):
        # pickle and copy.deepcopy: a tuple subclass is rebuilt with its items alone.
        return (Join, (tuple(self), self.separator))


class Text(str):
    """An English sentence that remembers its message id and parameters."""

    msgid: str
    params: dict

    def __new__(cls, msgid: str, **params):
        english = {name: _english(value) for name, value in params.items()}
        self = super().__new__(cls, msgid % english if params else msgid)
        self.msgid = msgid
        self.params = params
        return self

    def __reduce__(self):
        return (_rebuild, (self.msgid, self.params))


def _rebuild(msgid: str, params: dict) -> Text:
    return Text(msgid, **params)


def _english(value: object) -> object:
    if isinstance(value, date) and not isinstance(value, Day):
        return str(Day.of(value))
    if isinstance(value, (Cents, WholeDollars, Day, Join, Text)):
        return str(value)
    return value
