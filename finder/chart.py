"""The monthly bar chart of an estimate, laid out for a server-rendered SVG. It is drawn 360
units wide, about the width it has on a phone, so that its labels (sized in finder.css) stay
readable there; the same figures are in the table under it."""

import datetime as dt
from dataclasses import dataclass

from babel.dates import format_date

from . import i18n
from .estimator import Estimate

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def short_month(month: int) -> str:
    """A month's short name under its bar, in the page's language: "Nov" / "nov"."""
    if i18n.lang() == "en":
        return MONTHS[month - 1]
    return format_date(dt.date(2000, month, 1), "LLL", locale=i18n.LANGUAGES[i18n.lang()])


# More bars than this and only every other month is labelled, so labels never overlap.
LABEL_EVERY_MONTH = 7


@dataclass(frozen=True)
class Bar:
    month: str
    label: str  # "Nov", "" where the month is not labelled
    year: str  # "2025" under the first labelled month and each January, else ""
    x: float
    you_y: float
    you_height: float
    insurance_y: float
    insurance_height: float
    you_pay: int
    insurance_pays: int


@dataclass(frozen=True)
class Chart:
    """Stacked monthly bars for the server-rendered SVG: what you pay under what insurance pays."""

    width: int
    height: int
    top: int
    bar_width: float
    bars: tuple[Bar, ...]
    max_cents: int


def chart(answer: Estimate, width: int = 360, height: int = 220) -> Chart:
    top, bottom = 10, 44
    plot = height - top - bottom
    tallest = max((m.you_pay + m.insurance_pays for m in answer.months), default=0) or 1
    slot = width / max(len(answer.months), 1)
    step = 1 if len(answer.months) <= LABEL_EVERY_MONTH else 2
    bars, shown_year = [], None
    for i, m in enumerate(answer.months):
        year, month = m.month.split("-")
        labelled = i % step == 0
        you_h = plot * m.you_pay / tallest
        ins_h = plot * m.insurance_pays / tallest
        base = top + plot
        bars.append(
            Bar(
                month=m.month,
                label=short_month(int(month)) if labelled else "",
                year=year if labelled and year != shown_year else "",
                x=round(i * slot + slot * 0.15, 1),
                you_y=round(base - you_h, 1),
                you_height=round(you_h, 1),
                insurance_y=round(base - you_h - ins_h, 1),
                insurance_height=round(ins_h, 1),
                you_pay=m.you_pay,
                insurance_pays=m.insurance_pays,
            )
        )
        if labelled:
            shown_year = year
    return Chart(width, height, top, round(slot * 0.7, 1), tuple(bars), tallest)
