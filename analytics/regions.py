"""Named groups of countries, so a need can say "Nordic or Baltic" instead of eight codes."""
from __future__ import annotations

from collections.abc import Iterable

from analytics.market_filters import InvalidSelection

REGIONS: dict[str, tuple[str, ...]] = {
    "Nordic": ("DK", "FI", "IS", "NO", "SE"),
    "Baltic": ("EE", "LT", "LV"),
    "Iberian": ("ES", "PT"),
    "Benelux": ("BE", "LU", "NL"),
    "DACH": ("AT", "CH", "DE"),
    "Visegrád": ("CZ", "HU", "PL", "SK"),
}


def expand(regions: Iterable[str] | None = (), countries: Iterable[str] | None = ()) -> list[str] | None:
    """The countries of the chosen regions plus those named; None when nothing is chosen (= all)."""
    chosen: list[str] = []
    for region in regions or ():
        if region not in REGIONS:
            raise InvalidSelection(f"unknown region {region!r}; known: {', '.join(REGIONS)}")
        chosen += REGIONS[region]
    chosen += [c.strip().upper() for c in countries or ()]
    return sorted(set(chosen)) or None
