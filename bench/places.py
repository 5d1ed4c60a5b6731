"""How long a place takes to read, as ratios to reading a ZIP code: a town spelt right, a town
alone, and a near-miss matched against every town name (docs/places.md). Speed is measured
here, never asserted in tests: `python bench/places.py [--repeat N]`."""

import argparse
import contextlib
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from finder import geo  # noqa: E402

CASES = {
    "ZIP code": "02139",
    "town, state": "Cambridge, MA",
    "town alone (one state)": "Espanola",
    "near-miss in a state": "Sprinfield, MA",
    "near-miss, every town": "Worcestor",
}


def timed(text: str, repeat: int) -> float:
    """The median seconds of resolving `text`, a miss included."""
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        with contextlib.suppress(geo.PlaceNotFound):
            geo.resolve(text)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=200)
    repeat = parser.parse_args().repeat
    geo.load_tables()
    timed("Worcestor", 1)  # rapidfuzz is imported on the first miss
    base = timed(CASES["ZIP code"], repeat)
    for name, text in CASES.items():
        seconds = timed(text, repeat)
        print(f"{name:26} {seconds * 1000:8.3f} ms  {seconds / base:8.1f}x a ZIP code")


if __name__ == "__main__":
    main()
