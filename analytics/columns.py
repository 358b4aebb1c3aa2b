"""What kind of value each column of each table holds, read from the pydantic models.

Import (how to read a cell), staging (which Arrow type), export (which spreadsheet cell type) and
the data dictionary all need the same answer; it is worked out here once, from the models, so a
field added to a model is imported, exported and documented without touching those modules.
"""
from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Literal

from pydantic_core import PydanticUndefined

from analytics.models import model_for

Kind = Literal["text", "choice", "integer", "number", "decimal", "date", "boolean"]

_KIND_OF_TYPE: dict[type, Kind] = {
    str: "text", int: "integer", float: "number", Decimal: "decimal", date: "date", bool: "boolean",
}
KIND_LABELS: dict[Kind, str] = {
    "text": "text", "choice": "one of a list", "integer": "whole number", "number": "number",
    "decimal": "amount (exact decimal)", "date": "date", "boolean": "true/false",
}


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    required: bool  # no default: the cell must be filled
    default: object  # used when the cell is empty (None when there is none)
    choices: tuple[str, ...]  # allowed values of a choice column
    description: str
    bounds: str  # constraints in words, e.g. ">= 0, <= 1"

    @property
    def is_text(self) -> bool:
        return self.kind in ("text", "choice")


def _base(annotation) -> tuple[object, bool]:
    """(the non-None type, whether None is allowed) of an annotation such as `date | None`."""
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        return rest[0], len(rest) < len(args)
    return annotation, False


def _kind(annotation) -> tuple[Kind, tuple[str, ...]]:
    if typing.get_origin(annotation) is Literal:
        return "choice", tuple(str(a) for a in typing.get_args(annotation))
    try:
        return _KIND_OF_TYPE[annotation], ()
    except KeyError:
        raise TypeError(f"no import rule for field type {annotation!r}") from None


_BOUND_WORDS = (("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<"), ("max_length", "at most {} characters"),
                ("max_digits", "at most {} digits"), ("decimal_places", "at most {} decimals"))


def _bounds(metadata: list) -> str:
    words = []
    for item in metadata:  # Ge(ge=0), MaxLen(max_length=40), general metadata(max_digits=14, ...)
        for attr, word in _BOUND_WORDS:
            value = getattr(item, attr, None)
            if value is not None:
                words.append(word.format(value) if "{}" in word else f"{word} {value}")
    return ", ".join(words)


@cache
def columns(table: str) -> tuple[Column, ...]:
    """The columns of a table in model (and template, and export) order."""
    result = []
    for name, field in model_for(table).model_fields.items():
        base, _optional = _base(field.annotation)
        kind, choices = _kind(base)
        default = None if field.default is PydanticUndefined else field.default
        result.append(Column(name, kind, field.is_required(), default, choices,
                             field.description or "", _bounds(field.metadata)))
    return tuple(result)


def column_map(table: str) -> dict[str, Column]:
    return {c.name: c for c in columns(table)}
