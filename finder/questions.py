"""The call list's questions: what to ask a program, chosen by what its listing does not say."""

from dataclasses import dataclass

from flask import has_request_context

from . import vocab
from .estimator.text import N_
from .i18n import gettext, say

# Coverage that is a plan with a network; the other payment tokens are ways of paying.
INSURANCE = ("private_insurance", "medicaid", "medicare", "tricare", "ihs_tribal", "state_financed")
# A plan that lists "private insurance" may still be out of network for this person's plan.
COMMERCIAL = ("private_insurance", "tricare")
MOUD = ("methadone", "buprenorphine")
# What shows a quality sign is defined once, in vocab.SIGNS.
FAMILY = vocab.SIGNS["family_therapy"][2]
AFTERCARE = vocab.SIGNS["aftercare"][2]


@dataclass(frozen=True)
class Rule:
    """Ask `question` when the check `when` (a CHECKS name) holds for the program. `facts`:
    for "unless_listed", the stored (kind, values) any one of which already answers it."""

    key: str
    question: str  # a message id (N_); "%(coverage)s" becomes the person's coverage in words
    when: str
    facts: tuple[tuple[str, tuple[str, ...]], ...] = ()


# In the order a call goes: can I come, when, what care, who helps, what after, what cost.
RULES = (
    Rule(
        "plan", N_("Do you take my insurance, and are you in network with my plan?"), "no_coverage"
    ),
    Rule("plan", N_("Do you take my plan (%(coverage)s), in network?"), "plan_not_listed"),
    Rule(
        "plan", N_("You list %(coverage)s: are you in network with my plan?"), "commercial_listed"
    ),
    Rule("payment", N_("You do not list “%(coverage)s”: do you offer it?"), "way_not_listed"),
    Rule("waitlist", N_("Is there a waitlist? How soon could I start?"), "always"),
    Rule(
        "medication",
        N_("Do you offer or allow methadone or buprenorphine?"),
        "unless_listed",
        (("medication", MOUD), ("sign", ("accepts_moud",))),
    ),
    Rule("family", N_("How do you involve family?"), "unless_listed", FAMILY),
    Rule("aftercare", N_("What happens after discharge?"), "unless_listed", AFTERCARE),
    Rule("price", N_("What would 90 days cost me?"), "no_price"),
    Rule(
        "sliding",
        N_("What would I pay on your sliding fee scale, for my household's income?"),
        "sliding_unpublished",
    ),
)


def _listed(program, facts) -> bool:
    return any(value in values for kind, values in facts for value in program.tokens(kind))


def _has_price(program) -> bool:
    return any(program.rate(level) is not None for level in program.tokens("care"))


# check name -> (program, rule, coverage, fpg) -> whether to ask
CHECKS = {
    "always": lambda p, rule, coverage, fpg: True,
    "no_coverage": lambda p, rule, coverage, fpg: coverage is None,
    "plan_not_listed": lambda p, rule, coverage, fpg: (
        coverage in INSURANCE and coverage not in p.tokens("payment")
    ),
    "commercial_listed": lambda p, rule, coverage, fpg: (
        coverage in COMMERCIAL and coverage in p.tokens("payment")
    ),
    "way_not_listed": lambda p, rule, coverage, fpg: (
        coverage is not None and coverage not in INSURANCE and coverage not in p.tokens("payment")
    ),
    "unless_listed": lambda p, rule, coverage, fpg: not _listed(p, rule.facts),
    "no_price": lambda p, rule, coverage, fpg: not _has_price(p),
    "sliding_unpublished": lambda p, rule, coverage, fpg: (
        fpg is not None and "sliding_fee" in p.tokens("payment") and not p.sliding_fee_schedule
    ),
}


def questions(program, coverage: str | None = None, fpg: str | None = None) -> list[str]:
    """The questions worth asking this program, given the person's coverage (a payment token)
    and poverty-guideline class, if they gave them. `program` is a Program or a Listing.
    The questions are in the page's language (English outside a request)."""
    words = say(vocab.label("payment", coverage)) if coverage else ""
    return [
        _ask(rule.question, words)
        for rule in RULES
        if CHECKS[rule.when](program, rule, coverage, fpg)
    ]


def _ask(question: str, coverage: str) -> str:
    # In a request, in the page's language; "%(coverage)s" becomes the coverage in words.
    words = gettext(question) if has_request_context() else str(question)
    return words % {"coverage": coverage}
