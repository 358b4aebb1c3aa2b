"""Number and date formats of the reports (no Streamlit here: the CLI builds reports too).

A missing value is an en dash, never 0 or 'nan', so a funder can tell 'none yet' from 'unknown'.
"""
from __future__ import annotations

import math
from datetime import date

DASH = "–"


def missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value: float | None, digits: int | None = None) -> str:
    """Whole numbers without decimals; otherwise one decimal unless told."""
    if missing(value):
        return DASH
    if digits is None:
        digits = 0 if float(value).is_integer() else 1
    return f"{value:,.{digits}f}"


def n_of_n(actual: float, target: float) -> str:
    digits = 0 if float(actual).is_integer() and float(target).is_integer() else 1
    return f"{number(actual, digits)} of {number(target, digits)}"


def percent(value: float | None, digits: int = 0) -> str:
    return DASH if missing(value) else f"{value:.{digits}%}"


def ratio(value: float | None) -> str:
    return DASH if missing(value) else f"{value:.2f}"


def eur(value: float | None) -> str:
    return DASH if missing(value) else f"€{value:,.0f}"


def day(value: date) -> str:
    """30 June 2021: unambiguous in every EU language's reading of dates."""
    return f"{value.day} {value:%B %Y}"
