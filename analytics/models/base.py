"""Shared pydantic machinery for table rows."""
from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from analytics.models.codes import ISO_COUNTRIES


def _country(value: str) -> str:
    code = value.strip().upper()
    if code not in ISO_COUNTRIES:
        raise ValueError(f"{value!r} is not an ISO 3166 alpha-2 country code (e.g. DK, ES, LT)")
    return code


def _text(value: str) -> str:
    cleaned = " ".join(value.split())
    if not cleaned:
        raise ValueError("must not be empty")
    return cleaned


Country = Annotated[str, AfterValidator(_country)]
Text = Annotated[str, AfterValidator(_text)]
SampleFlag = Annotated[bool, Field(default=False, description="TRUE for illustrative sample rows, FALSE for real data")]
Source = Annotated[str | None, Field(default=None, description="where a fact comes from (publication, web page)")]


class Row(BaseModel):
    """One row of a table. ``table`` and ``key`` tie the model to the schema."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    table: ClassVar[str]
    key: ClassVar[tuple[str, ...]]
    # (column, referenced table, referenced columns) checked at import against the database
    references: ClassVar[tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...]] = ()
