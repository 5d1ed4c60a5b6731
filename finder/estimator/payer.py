"""Who pays: the person's coverage, where the program accepts it, or what they would pay
without it."""

from .model import CoverageUsed, EstimateRequest, Insurance
from .text import N_, Text

# Insurance kind -> the payment token a program's listing uses for it (finder.vocab.PAYMENTS).
LISTED_AS = {
    "commercial": "private_insurance",
    "medicaid": "medicaid",
    "medicare": "medicare",
    "tricare": "tricare",
}
WORDS = {
    "commercial": N_("private health insurance"),
    "medicaid": N_("Medicaid"),
    "medicare": N_("Medicare"),
    "tricare": N_("TRICARE"),
}


def coverage_used(request: EstimateRequest) -> tuple[Insurance | None, CoverageUsed]:
    """The insurance the estimate applies (None: self-pay) and what it assumed, and why.

    A program whose listing does not name the person's coverage is priced as they would pay
    without it: out of network where the plan gave out-of-network terms, else self-pay (with
    the program's sliding fee where it has one)."""
    insurance, listed = request.insurance, request.accepted_payments
    if insurance is None:
        return None, CoverageUsed(
            "self_pay", N_("You gave no insurance: this is the self-pay price.")
        )
    words = WORDS[insurance.kind]
    out_of_network = insurance.kind == "commercial" and not insurance.in_network
    if listed is None or LISTED_AS[insurance.kind] in listed:
        if out_of_network:
            reason = N_(
                "You said the program is out of your plan's network: its out-of-network "
                "terms apply."
            )
        elif listed is None:
            reason = Text(
                "No program was chosen: this assumes the program takes your %(coverage)s.",
                coverage=words,
            )
        else:
            reason = Text(
                "The program lists %(coverage)s among the payments it accepts.", coverage=words
            )
        return insurance, CoverageUsed(
            "out_of_network" if out_of_network else insurance.kind, reason
        )
    if out_of_network:
        return insurance, CoverageUsed(
            "out_of_network",
            Text(
                "The program does not list %(coverage)s among the payments it accepts, so this "
                "is what you would pay with your plan's out-of-network terms.",
                coverage=words,
            ),
            replaced=True,
        )
    if request.sliding_scale:
        reason = Text(
            "The program does not list %(coverage)s among the payments it accepts, so this is "
            "what you would pay without it: the program's self-pay price, less its sliding fee "
            "where your household's income qualifies.",
            coverage=words,
        )
    else:
        reason = Text(
            "The program does not list %(coverage)s among the payments it accepts, so this is "
            "what you would pay without it: the program's self-pay price.",
            coverage=words,
        )
    return None, CoverageUsed("self_pay", reason, replaced=True)
