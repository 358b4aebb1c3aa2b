"""The EU flag for the 'Funded by the European Union' acknowledgement, drawn from its definition.

Drawn, not shipped as a picture: a blue 3:2 rectangle with twelve gold five-pointed stars on a
circle whose radius is a third of the height, each star's outer radius an eighteenth of it (the
Council of Europe's geometric description). The PDF and HTML use the SVG, the deck draws the same
geometry with native shapes.
"""
from __future__ import annotations

import math

BLUE = "#003399"
GOLD = "#FFCC00"
ACKNOWLEDGEMENT_TITLE = "Funded by the European Union"


def star_centres(height: float) -> list[tuple[float, float]]:
    """Centres of the twelve stars, clockwise from twelve o'clock, in a flag of the given height."""
    cx, cy, r = height * 0.75, height / 2, height / 3
    return [(cx + r * math.sin(math.tau * i / 12), cy - r * math.cos(math.tau * i / 12)) for i in range(12)]


def star_radius(height: float) -> float:
    return height / 18


def _star_points(x: float, y: float, outer: float) -> str:
    inner = outer * math.sin(math.radians(18)) / math.sin(math.radians(126))
    pts = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = math.pi * i / 5
        pts.append(f"{x + radius * math.sin(angle):.2f},{y - radius * math.cos(angle):.2f}")
    return " ".join(pts)


def flag_svg(height: int = 40) -> str:
    width = height * 1.5
    stars = "".join(f'<polygon points="{_star_points(x, y, star_radius(height))}" fill="{GOLD}"/>'
                    for x, y in star_centres(height))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}" height="{height}" '
            f'viewBox="0 0 {width:g} {height}" role="img" aria-label="Flag of the European Union">'
            f'<rect width="{width:g}" height="{height}" fill="{BLUE}"/>{stars}</svg>')
