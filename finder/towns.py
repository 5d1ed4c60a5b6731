"""How people type a town: folding a name to the key the town table uses, telling a state from
the town before it, and finding the town names a misspelt one was probably meant to be."""

import re
import unicodedata
from collections.abc import Iterable

from .vocab import STATES as STATES_BY_CODE

# Names people type for a state beyond vocab.STATES' own, and the Postal Service's codes that
# vocab.STATES does not list (the `zipcodes` package has them); STATE_CODES adds the rest.
_MORE_STATE_NAMES = {
    "virgin islands": "VI", "us virgin islands": "VI", "federated states of micronesia": "FM",
    "micronesia": "FM", "marshall islands": "MH", "palau": "PW",
    "armed forces americas": "AA", "armed forces europe": "AE", "armed forces pacific": "AP",
}  # fmt: skip
# The states' Spanish names where they differ from the English ones, folded: "Albuquerque,
# Nuevo México" is in New Mexico (issue 17: a Spanish speaker types the place as they say it).
_SPANISH_STATE_NAMES = {
    "nueva york": "NY", "nuevo mexico": "NM", "nueva jersey": "NJ", "nuevo hampshire": "NH",
    "carolina del norte": "NC", "carolina del sur": "SC", "dakota del norte": "ND",
    "dakota del sur": "SD", "virginia occidental": "WV", "pensilvania": "PA",
    "luisiana": "LA", "misisipi": "MS", "misuri": "MO", "hawai": "HI",
    "distrito de columbia": "DC",
}  # fmt: skip
# Towns known by a Spanish name no U.S. town has: the key of the town it means.
SPANISH_TOWNS = {
    "nueva york": "new york",
    "nueva orleans": "new orleans",
    "filadelfia": "philadelphia",
}
# A country typed after the state ("Boston, MA, USA") says nothing more.
_COUNTRY = re.compile(r"[\s,]+(?:usa|us|u s a|u s|united states(?: of america)?)$")
# Words the table spells one way and people another: "Saint Paul" is "St Paul" to the key.
_SHORT_WORDS = {"saint": "st", "fort": "ft", "mount": "mt"}

# rapidfuzz's ratio (0-100, from the Indel distance: the letters two names share): a name
# scoring NEAR_MISS or more is offered as "Did you mean ...?". 80 lets one wrong letter through
# in a five-letter name ("Salen" for "Salem" is 80) and two in a ten-letter one ("Sprngfeld"
# for "Springfield" is 90), and keeps "Boston" from "Easton" (67) or "Austin" (67).
NEAR_MISS = 80
# Only the names within this many points of the best are offered: a better match is a better
# guess, not one more choice.
NEAR_MISS_SPREAD = 5
MAX_CANDIDATES = 10
# Shorter names are not guessed at: one letter off "Ma" is "Man", "Max" and "Ama".
NEAR_MISS_MIN_LENGTH = 4


def fold(text: str) -> str:
    """Lower case without accents or punctuation, single spaces: "Española" is "espanola"."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", bare).split())


# Every state's two-letter code by its folded name.
STATE_CODES = (
    {fold(name): code for code, name in STATES_BY_CODE.items()}
    | _MORE_STATE_NAMES
    | _SPANISH_STATE_NAMES
)
STATES = frozenset(STATE_CODES.values())
_LONGEST_STATE = max(len(name.split()) for name in STATE_CODES)


def town_key(name: str) -> str:
    """The key a town is found by: folded, with "Saint", "Fort" and "Mount" shortened and
    "Mc " joined ("Mc Lean" and "McLean" are one key)."""
    words = []
    for word in fold(name).split():
        if words and words[-1] == "mc":
            words[-1] += word
        else:
            words.append(_SHORT_WORDS.get(word, word))
    key = " ".join(words)
    return SPANISH_TOWNS.get(key, key)


def state_code(text: str) -> str | None:
    """The two-letter code of a state typed as its code or its name, else None."""
    folded = fold(text)
    letters = folded.replace(" ", "").upper()  # "D.C." is "d c" folded
    if len(letters) == 2 and letters in STATES:
        return letters
    return STATE_CODES.get(folded)


def split_state(text: str) -> tuple[str, str | None] | None:
    """("town", "ST") for "Town, ST", "Town ST", "Town, State name"; ("town", None) for a
    name with no state after it; None for a comma followed by something that is no state."""
    text = _COUNTRY.sub("", fold_keep_commas(text))
    if "," in text:
        town, _, state = text.rpartition(",")
        code = state_code(state)
        return (town.strip(" ,"), code) if code and town.strip(" ,") else None
    words = text.split()
    for n in range(min(_LONGEST_STATE, len(words) - 1), 0, -1):
        code = state_code(" ".join(words[-n:]))
        if code:
            return " ".join(words[:-n]), code
    return text, None


def fold_keep_commas(text: str) -> str:
    return ",".join(fold(part) for part in text.split(","))


def near_misses(key: str, keys: Iterable[str]) -> list[str]:
    """The keys close enough to `key` to offer as what was meant, best first."""
    # Imported on the first miss: rapidfuzz takes ~40 ms to import, and a search by ZIP or by
    # a town spelt right never needs it (tests/test_cold_start.py).
    from rapidfuzz import fuzz, process

    if len(key) < NEAR_MISS_MIN_LENGTH:
        return []
    found = process.extract(
        key, keys, scorer=fuzz.ratio, score_cutoff=NEAR_MISS, limit=MAX_CANDIDATES
    )
    if not found:
        return []
    best = found[0][1]
    return [name for name, score, _ in found if score >= best - NEAR_MISS_SPREAD]
