"""The monthly bar chart of an estimate, laid out for a server-rendered SVG."""

from dataclasses import dataclass

from .estimator import Estimate


@dataclass(frozen=True)
class Bar:
    month: str
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


def chart(answer: Estimate, width: int = 640, height: int = 240) -> Chart:
    top, bottom = 20, 40
    plot = height - top - bottom
    tallest = max((m.you_pay + m.insurance_pays for m in answer.months), default=0) or 1
    slot = width / max(len(answer.months), 1)
    bars = []
    for i, m in enumerate(answer.months):
        you_h = plot * m.you_pay / tallest
        ins_h = plot * m.insurance_pays / tallest
        base = top + plot
        bars.append(
            Bar(
                month=m.month,
                x=round(i * slot + slot * 0.15, 1),
                you_y=round(base - you_h, 1),
                you_height=round(you_h, 1),
                insurance_y=round(base - you_h - ins_h, 1),
                insurance_height=round(ins_h, 1),
                you_pay=m.you_pay,
                insurance_pays=m.insurance_pays,
            )
        )
    return Chart(width, height, top, round(slot * 0.7, 1), tuple(bars), tallest)
