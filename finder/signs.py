"""Quality signs (issue 18): which of SAMHSA's signs of quality treatment a program's source
reports. A sign not reported is unknown, never "no": the source can rarely say no.
Every sign's definition (codes, rows): docs/quality-signs.md."""

import datetime as dt
from dataclasses import dataclass

from . import vocab
from .estimator.text import N_

# A listing's source in words, where the signs say where they come from (else its token).
SOURCES = {
    "samhsa": N_("SAMHSA's FindTreatment.gov listing"),
    "demo": N_("fictional demo data"),
    "finder": N_("this directory's own listing"),
}


@dataclass(frozen=True)
class Sign:
    token: str  # a vocab.SIGNS token
    label: str
    reported: bool  # True: the source reports it; False: not reported (unknown, not "no")
    facts: tuple[str, ...] = ()  # what it rests on, in words ("Accredited by CARF")


def facts(program, token: str) -> list[tuple[str, str]]:
    """The stored (kind, value) pairs behind a sign, in the order vocab.SIGNS names them."""
    found = []
    for kind, values in vocab.SIGNS[token][2]:
        held = set(program.tokens(kind))
        found += [(kind, value) for value in values if value in held]
    return found


def reported(program, token: str) -> bool:
    """Whether the program's listing reports the sign (any stored value of its kinds)."""
    return bool(facts(program, token))


def quality_signs(program) -> list[tuple[str, list[Sign]]]:
    """Every sign, grouped as the guidance groups them: [(group heading, [Sign, ...]), ...].
    `program` is a models.Program or a programs.Listing (anything with tokens(kind))."""
    groups: dict[str, list[Sign]] = {group: [] for group in vocab.SIGN_GROUPS}
    for token, (label, group, _) in vocab.SIGNS.items():
        words = tuple(vocab.label(kind, value) for kind, value in facts(program, token))
        groups[group].append(Sign(token, label, bool(words), words))
    return [(vocab.SIGN_GROUPS[group], signs) for group, signs in groups.items()]


def source_date(program) -> tuple[dt.date | None, str | None]:
    """The date the signs are as of, and which date it is: the listing's verification date
    ("verified_on"), else the day it was imported ("imported_on"), else (None, None)."""
    if program.verified_on:
        return program.verified_on, "verified_on"
    if program.imported_on:
        return program.imported_on, "imported_on"
    return None, None


def source_name(program) -> str:
    """Where the listing (and so its signs) comes from, in words."""
    return SOURCES.get(program.source, program.source)
