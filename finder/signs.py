"""Quality signs (issue 18): which of SAMHSA's signs of quality treatment a program's source
reports. A sign not reported is unknown, never "no": the source can rarely say no."""

from dataclasses import dataclass

from . import vocab


@dataclass(frozen=True)
class Sign:
    token: str  # a vocab.SIGNS token
    label: str
    reported: bool  # True: the source reports it; False: not reported (unknown, not "no")
    facts: tuple[str, ...] = ()  # what it rests on, in words ("Accredited by CARF")


def reported(program, token: str) -> bool:
    """Whether the program's listing reports the sign (any stored value of its kinds)."""
    return any(
        value in values for kind, values in vocab.SIGNS[token][2] for value in program.tokens(kind)
    )


def quality_signs(program) -> list[tuple[str, list[Sign]]]:
    """Every sign, grouped as the guidance groups them: [(group heading, [Sign, ...]), ...].
    `program` is a models.Program or a programs.Listing (anything with tokens(kind))."""
    groups: dict[str, list[Sign]] = {group: [] for group in vocab.SIGN_GROUPS}
    for token, (label, group, means) in vocab.SIGNS.items():
        facts = tuple(
            vocab.label(kind, value)
            for kind, values in means
            for value in program.tokens(kind)
            if value in values
        )
        groups[group].append(Sign(token, label, bool(facts), facts))
    return [(vocab.SIGN_GROUPS[group], signs) for group, signs in groups.items()]
