"""The selection every Big Science view shares: which BSOs, years, clusters and countries.

Filter values come from people (widgets, links, the command line), so they are checked here, named
back in the message when wrong, and reach SQL only as parameters. An empty selection means "all",
as the pages say beside each filter.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TypeVar

import duckdb
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from analytics.errors import ClusterBoardError
from analytics.models.base import Country


class InvalidSelection(ClusterBoardError):
    """A filter value that is malformed or names nothing in the database."""


def _tuple(value: object) -> tuple | None:
    if value is None or isinstance(value, (str, int)):
        return None if value in (None, "") else (value,)
    items = tuple(v for v in value if v not in (None, ""))
    return items or None


class MarketFilters(BaseModel):
    """BSOs and years select the demand (and awards); clusters and countries select the companies."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    bsos: tuple[str, ...] | None = Field(None, description="Big Science organisations; none = all")
    years: tuple[int, ...] | None = Field(None, description="procurement / award years; none = all")
    clusters: tuple[str, ...] | None = Field(None, description="clusters whose companies supply; none = all")
    countries: tuple[Country, ...] | None = Field(None, description="countries whose companies supply; none = all")

    @field_validator("bsos", "years", "clusters", "countries", mode="before")
    @classmethod
    def _empty_is_all(cls, value):
        items = _tuple(value)
        return None if items is None else tuple(sorted(set(items), key=items.index))

    @classmethod
    def of(cls, **values) -> "MarketFilters":
        """Build from raw values; a malformed value becomes one readable InvalidSelection."""
        return validated(cls, **values)

    def params(self) -> dict[str, list | None]:
        """SQL parameters: lists, or NULL for 'all'."""
        return {name: None if v is None else list(v) for name, v in self.model_dump().items()}


M = TypeVar("M", bound=BaseModel)


def validated(model: type[M], **values) -> M:
    """The model built from user values, or one InvalidSelection naming each bad value and why."""
    try:
        return model(**values)
    except ValidationError as exc:
        raise InvalidSelection("; ".join(_message(e) for e in exc.errors())) from None


def _message(error: dict) -> str:
    msg = error["msg"].removeprefix("Value error, ")
    if not error["loc"]:  # a check across fields
        return msg
    if error["type"] == "int_parsing":
        msg = "is not a whole number"
    return f"{error['loc'][0]} {error.get('input')!r}: {msg}"


def _known(con: duckdb.DuckDBPyConnection, sql: str) -> list:
    return [r[0] for r in con.execute(sql).fetchall()]


def _unknown(kind: str, asked: Iterable, known: list) -> None:
    missing = [a for a in asked if a not in known]
    if missing:
        names = ", ".join(repr(m) for m in missing)
        raise InvalidSelection(f"unknown {kind} {names}; known: {', '.join(map(str, known)) or 'none'}")


def check(con: duckdb.DuckDBPyConnection, filters: MarketFilters) -> MarketFilters:
    """Every BSO and cluster named must exist. Countries need only be valid codes: a country
    without companies is a legitimate (empty) choice, reported by the analysis that needs them."""
    if filters.bsos:
        _unknown("BSO", filters.bsos, _known(con, "SELECT bso_id FROM bsos ORDER BY bso_id"))
    if filters.clusters:
        _unknown("cluster", filters.clusters,
                 _known(con, "SELECT DISTINCT cluster FROM companies WHERE cluster IS NOT NULL ORDER BY cluster"))
    return filters


def selection(con: duckdb.DuckDBPyConnection, filters: MarketFilters | None = None, **values) -> MarketFilters:
    """Validated filters from a model or from keyword values (bsos=, years=, clusters=, countries=)."""
    return check(con, filters if filters is not None else MarketFilters.of(**values))


def describe(filters: MarketFilters) -> str:
    """The selection in words, for captions and exports."""
    parts = [
        f"BSOs: {', '.join(filters.bsos) if filters.bsos else 'all'}",
        f"years: {', '.join(map(str, filters.years)) if filters.years else 'all'}",
        f"clusters: {', '.join(filters.clusters) if filters.clusters else 'all'}",
        f"countries: {', '.join(filters.countries) if filters.countries else 'all'}",
    ]
    return " · ".join(parts)


# SQL pieces over the parameters of MarketFilters.params(); the casts give NULL lists a type.
DEMAND_WHERE = ("(CAST($bsos AS VARCHAR[]) IS NULL OR list_contains(CAST($bsos AS VARCHAR[]), {t}.bso_id)) "
                "AND (CAST($years AS INTEGER[]) IS NULL OR list_contains(CAST($years AS INTEGER[]), {t}.year))")
FIRMS = """
    SELECT company_id, country FROM companies
    WHERE (CAST($clusters AS VARCHAR[]) IS NULL OR list_contains(CAST($clusters AS VARCHAR[]), cluster))
      AND (CAST($countries AS VARCHAR[]) IS NULL OR list_contains(CAST($countries AS VARCHAR[]), country))"""


def sector_map(top: bool) -> str:
    """`sec(sector_id, row_id)`: every sector and the row it is counted in (itself, or its top sector)."""
    row = "coalesce(parent_id, sector_id)" if top else "sector_id"
    return f"SELECT sector_id, {row} AS row_id FROM sectors"


def query(con: duckdb.DuckDBPyConnection, sql: str, params: dict) -> pd.DataFrame:
    """Run with the parameters the statement uses (DuckDB refuses unused named parameters)."""
    used = {k: v for k, v in params.items() if re.search(rf"\${k}\b", sql)}
    return con.execute(sql, used).df()
