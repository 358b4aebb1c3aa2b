"""From a cell as a file holds it to the Python value the model validates.

This layer knows formats (decimal marks, day-first dates, Excel cell types, yes/no words); the
models know the rules (ranges, allowed values, required columns). A converter returns None for an
empty cell and raises CellError with a reason a person understands for a cell it cannot read.

Text cells lose one leading apostrophe when it protects a formula character ('=, '+, '-, '@):
that is how exports neutralise formulas (analytics.exporting.neutralise), and how spreadsheet
users themselves keep "+49 89 ..." from becoming a formula, so the value round-trips.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

from openpyxl.utils.datetime import from_excel

from analytics.columns import Column
from analytics.importing.dates import DateError, parse_date
from analytics.importing.numbers import NumberError, parse_number
from analytics.importing.sheets import Uncalculated

MAX_CELL = 32_767  # Excel's limit: a longer value could not be exported back to a workbook
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
ESCAPED = re.compile(r"'+[=+\-@\t\r]")
TRUE_WORDS = frozenset({"true", "yes", "y", "1", "t", "wahr", "ja", "vrai", "oui", "sí", "si", "sì", "tak", "x"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "f", "falsch", "nein", "faux", "non", "nie"})


class CellError(ValueError):
    """A cell that cannot be read as its column's kind of value."""


Converter = Callable[[object], object]


def _as_text(value: object) -> str:
    """A native spreadsheet value in a text column, as the person sees it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))  # 101037928 typed into a cell formatted as a number
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def text(value: object) -> str | None:
    if value is None:
        return None
    s = (value if isinstance(value, str) else _as_text(value)).strip()
    if not s:
        return None
    if s[0] == "'" and ESCAPED.match(s):
        s = s[1:]
    if len(s) > MAX_CELL:
        raise CellError(f"is {len(s):,} characters long; a cell holds at most {MAX_CELL:,} (the spreadsheet limit)")
    if _CONTROL.search(s):
        bad = _CONTROL.search(s).group()
        raise CellError(f"contains the control character U+{ord(bad):04X}, which spreadsheets cannot store")
    return s


def _squash(s: str) -> str:
    return re.sub(r"[\s\-]+", "_", s.strip().lower())


def choice(column: Column) -> Converter:
    """Allowed values are matched ignoring case, spaces and hyphens: "At risk" is at_risk."""
    canonical = {_squash(c): c for c in column.choices}

    def convert(value: object) -> str | None:
        s = text(value)
        return None if s is None else canonical.get(_squash(s), s)

    return convert



def number_text(value: object, decimal: str) -> str | None:
    """The canonical text of a number cell: native numbers as they are, text by the file's mark."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError("is true/false, not a number")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)  # the shortest text that reads back as the same float
    if isinstance(value, (date, datetime)):
        raise CellError("is a date, not a number")
    s = str(value).strip()
    if not s:
        return None
    try:
        return parse_number(s, decimal)
    except NumberError as exc:
        raise CellError(str(exc)) from None


def _whole(text: str) -> int:
    if text.lstrip("-").isdigit():
        return int(text)
    d = Decimal(text)
    if d != d.to_integral_value():
        raise CellError("is not a whole number")
    return int(d)


def numeric(native: Callable[[str], object], decimal: str | None) -> Converter:
    """A number cell read by the file's decimal mark, then made an int, float or Decimal."""
    def convert(value: object) -> object:
        s = number_text(value, decimal)
        return None if s is None else native(s)

    return convert


def date_(excel_epoch: datetime | None) -> Converter:
    cache: dict[str, date] = {}  # dates repeat a lot: a million rows hold a few thousand days

    def convert(value: object) -> date | None:
        if value is None:
            return None
        if isinstance(value, datetime):
            if value.time() != datetime.min.time():
                raise CellError("has a time of day; a date is expected")
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool) and excel_epoch is not None:
            # a date cell formatted as a number: Excel's day count
            if not 1 <= value < 2958466:
                raise CellError("is a number, not a date")
            return from_excel(value, excel_epoch).date()
        s = str(value).strip()
        if not s:
            return None
        try:
            return cache[s]
        except KeyError:
            pass
        try:
            result = cache[s] = parse_date(s)
        except DateError as exc:
            raise CellError(str(exc)) from None
        return result

    return convert


def boolean(value: object) -> bool | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    s = str(value).strip().lower()
    if not s:
        return None
    if s in TRUE_WORDS:
        return True
    if s in FALSE_WORDS:
        return False
    raise CellError("is not true/false (write true or false, yes or no, 1 or 0)")


def converter(column: Column, *, decimal: str | None, excel_epoch: datetime | None = None) -> Converter:
    """How to read the cells of one column of a file whose decimal mark is ``decimal``."""
    return {
        "text": lambda: text,
        "choice": lambda: choice(column),
        "integer": lambda: numeric(_whole, decimal),
        "number": lambda: numeric(float, decimal),
        "decimal": lambda: numeric(Decimal, decimal),
        "date": lambda: date_(excel_epoch),
        "boolean": lambda: boolean,
    }[column.kind]()


_PLAIN_COLUMN = re.compile(r"(?:-?\d+(?:\.\d+)?)?(?:\n(?:-?\d+(?:\.\d+)?)?)*")
_QUOTE_START = re.compile(r"(?:^|\n)\s*'")
_NATIVE = {"number": float, "decimal": Decimal, "integer": int}


UNCALCULATED = ("is a formula that was never calculated (the workbook was not saved by a spreadsheet "
                "program); open it in Excel or LibreOffice, save it and upload it again")


def _refusing_uncalculated(convert: Converter) -> Converter:
    def guarded(value: object) -> object:
        if isinstance(value, Uncalculated):
            raise CellError(UNCALCULATED)
        return convert(value)

    return guarded


class ColumnReader:
    """Reads a whole column of cells at once: the per-cell converter, plus shortcuts that give
    the same values when a column is plain (all of it checked in one string search)."""

    def __init__(self, column: Column, *, decimal: str | None, excel_epoch: datetime | None = None,
                 uncalculated: bool = False):
        self.column, self.decimal, self.default = column, decimal, column.default
        self.convert = converter(column, decimal=decimal, excel_epoch=excel_epoch)
        if uncalculated:  # only workbooks that have such cells pay for the check
            self.convert = _refusing_uncalculated(self.convert)

    def many(self, cells: list, *, text_cells: bool) -> tuple[list, list[tuple[int, object, str]]]:
        """(values, [(index, cell, reason)]); an empty cell becomes the column's default.

        ``text_cells``: every cell is a str (a CSV), so shortcuts over the joined text apply.
        """
        if text_cells:
            fast = self._plain(cells)
            if fast is not None:
                return fast, []
            distinct = set(cells)
            if len(distinct) * 2 <= len(cells):  # dates, codes, ids: convert each text once
                return self._by_value(cells, distinct)
        values, errors = [], []
        append, convert, default = values.append, self.convert, self.default
        for i, cell in enumerate(cells):
            try:
                value = convert(cell)
            except CellError as exc:
                errors.append((i, cell, str(exc)))
                value = None
            append(default if value is None else value)
        return values, errors

    def _by_value(self, cells: list, distinct: set) -> tuple[list, list]:
        mapping, failed = {}, {}
        for cell in distinct:
            try:
                value = self.convert(cell)
            except CellError as exc:
                failed[cell] = str(exc)
                continue
            mapping[cell] = self.default if value is None else value
        values = [mapping.get(c) for c in cells]
        return values, [(i, c, failed[c]) for i, c in enumerate(cells) if c in failed] if failed else []

    def _plain(self, cells: list) -> list | None:
        kind, default = self.column.kind, self.default
        blob = "\n".join(cells)
        if kind == "text":
            if ("'" in blob and _QUOTE_START.search(blob)) or _CONTROL.search(blob) \
                    or max(map(len, cells), default=0) > MAX_CELL:
                return None
            return [c.strip() or default for c in cells]
        if (kind in _NATIVE and self.decimal == "." and blob.count("\n") == len(cells) - 1
                and _PLAIN_COLUMN.fullmatch(blob) and not (kind == "integer" and "." in blob)):
            native = _NATIVE[kind]
            return [native(c) if c else default for c in cells]
        return None
