"""TRICARE: its own cost-shares and catastrophic cap, not a commercial plan's (issue 15)."""

from .errors import NotEstimated
from .model import Insurance
from .terms import PricedLine

# insurance.tricare_group -> what it means, in the answer's words. In search, coverage=tricare
# assumes an active-duty family member in TRICARE Select Group A (DEFAULT_GROUP), and says so.
TRICARE_GROUPS = {
    "active_duty": "an active-duty service member",
    "select_group_a_adfm": "an active-duty family member in TRICARE Select, Group A",
}
DEFAULT_GROUP = "select_group_a_adfm"


def tricare(insurance: Insurance, lines: list[PricedLine], start):
    """Cost sharing under TRICARE (to be built: issue 15)."""
    raise NotEstimated("insurance.type", "TRICARE estimates are not built yet.")
