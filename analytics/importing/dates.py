"""Dates as Europeans write them: 2021-03-04, 04.03.2021, 04/03/2021, 4-3-2021.

Day first, always: 04/03/2021 is 4 March. Reading month first when the day-first reading fails
(as some tools do) would make the same file mean different things row by row, so a date that only
makes sense month first is an error that says so. Years need four digits: "04.03.21" could be
1921 or 2021. A time of day is accepted only when it is midnight (what Excel and database exports
add to plain dates); any other time means the cell is not a plain date.
"""
from __future__ import annotations

import re
from datetime import date

_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\.?", re.ASCII)
_DAY_FIRST = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})\.?", re.ASCII)
_SHORT_YEAR = re.compile(r"\d{1,2}[./-]\d{1,2}[./-]\d{2}", re.ASCII)
_MIDNIGHT = re.compile(r"(?:[T ]00:00(?::00(?:\.0+)?)?)?(?:Z|[+-]00:?00)?")
_ISO_FAST = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


class DateError(ValueError):
    """The text is not a date; the message says why, for a person."""


def _split_time(text: str) -> str:
    for sep in ("T", " "):
        head, found, tail = text.partition(sep)
        if found and ":" in tail:
            if not _MIDNIGHT.fullmatch(sep + tail):
                raise DateError("has a time of day; a date is expected (e.g. 2021-03-04)")
            return head
    return text


def _make(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        if month > 12 and day <= 12:
            raise DateError(f"has month {month}: dates are read day first (DD.MM.YYYY), "
                            f"so write {day:02d}.{month:02d}.{year} as {month:02d}.{day:02d}.{year}") from None
        raise DateError(f"is not a date: there is no day {day} in month {month} of {year}") from None


def parse_date(text: str) -> date:
    s = text.strip()
    if _ISO_FAST.fullmatch(s):
        try:
            return date.fromisoformat(s)
        except ValueError:
            pass  # fall through for the explanation
    s = _split_time(s)
    if m := _ISO.fullmatch(s):
        return _make(int(m[1]), int(m[2]), int(m[3]))
    if m := _DAY_FIRST.fullmatch(s):
        return _make(int(m[3]), int(m[2]), int(m[1]))
    if _SHORT_YEAR.fullmatch(s):
        raise DateError("has a two-digit year: write the year with four digits (04.03.2021)")
    raise DateError("is not a date (write 2021-03-04, 04.03.2021 or 04/03/2021, day first)")
