"""Who pays: the person's coverage, where the program accepts it, or what they would pay
without it."""

from .model import CoverageUsed, EstimateRequest, Insurance

# Insurance kind -> the payment token a program's listing uses for it (finder.vocab.PAYMENTS).
LISTED_AS = {
    "commercial": "private_insurance",
    "medicaid": "medicaid",
    "medicare": "medicare",
    "tricare": "tricare",
}
WORDS = {
    "commercial": "private health insurance",
    "medicaid": "Medicaid",
    "medicare": "Medicare",
    "tricare": "TRICARE",
}


def coverage_used(request: EstimateRequest) -> tuple[Insurance | None, CoverageUsed]:
    """The insurance the estimate applies (None: self-pay) and what it assumed, and why.

    A program whose listing does not name the person's coverage is priced as they would pay
    without it: out of network where the plan gave out-of-network terms, else self-pay (with
    the program's sliding fee where it has one)."""
    insurance, listed = request.insurance, request.accepted_payments
    if insurance is None:
        return None, CoverageUsed("self_pay", "You gave no insurance: this is the self-pay price.")
    words = WORDS[insurance.kind]
    out_of_network = insurance.kind == "commercial" and not insurance.in_network
    if listed is None or LISTED_AS[insurance.kind] in listed:
        if out_of_network:
            reason = (
                "You said the program is out of your plan's network: its out-of-network "
                "terms apply."
            )
        elif listed is None:
            reason = f"No program was chosen: this assumes the program takes your {words}."
        else:
            reason = f"The program lists {words} among the payments it accepts."
        return insurance, CoverageUsed(
            "out_of_network" if out_of_network else insurance.kind, reason
        )
    if out_of_network:
        return insurance, CoverageUsed(
            "out_of_network",
            f"The program does not list {words} among the payments it accepts, so this is what "
            "you would pay with your plan's out-of-network terms.",
            replaced=True,
        )
    fee = (
        ", less its sliding fee where your household's income qualifies"
        if request.sliding_scale
        else ""
    )
    return None, CoverageUsed(
        "self_pay",
        f"The program does not list {words} among the payments it accepts, so this is what "
        f"you would pay without it: the program's self-pay price{fee}.",
        replaced=True,
    )
