"""The report's content as renderer-neutral blocks: sections of slides of blocks.

One outline serves every output: the PDF flows a section's slides down the page, the deck makes a
slide of each, the presentation shows one per step. A new section only produces blocks; no
renderer changes. Tables hold formatted text (the numbers as the funder reads them) plus a status
key per row for the colour.
"""
from __future__ import annotations

from typing import Annotated, Literal, Union

import plotly.graph_objects as go
from pydantic import BaseModel, ConfigDict, Field


class _Block(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Table(_Block):
    kind: Literal["table"] = "table"
    columns: list[str]
    rows: list[list[str]]
    numeric: list[bool] = Field(description="per column: right-aligned numbers")
    widths: list[float] = Field(description="per column: share of the table width (they sum to 1)")
    status_column: int | None = Field(None, description="index of the column that holds the status label")
    row_status: list[str | None] = Field(default_factory=list, description="status key per row (colours)")
    row_sample: list[bool] = Field(default_factory=list, description="per row: rests on sample rows")
    caption: str | None = None


class Chart(_Block):
    # The figure object itself: rebuilding a plotly figure from its dict re-validates every
    # property, which cost more than drawing the deck.
    model_config = ConfigDict(arbitrary_types_allowed=True)

    kind: Literal["chart"] = "chart"
    figure: go.Figure = Field(description="a plotly figure from analytics.charts")
    caption: str | None = None


class Metric(_Block):
    label: str
    value: str
    note: str | None = None
    status: str | None = None


class Metrics(_Block):
    kind: Literal["metrics"] = "metrics"
    items: list[Metric]


class Item(_Block):
    text: str
    status: str | None = None
    subject: str | None = None


class Bullets(_Block):
    kind: Literal["bullets"] = "bullets"
    title: str
    items: list[Item]
    empty: str = "None."


class Facts(_Block):
    """Label: value pairs (the cover, the data source)."""

    kind: Literal["facts"] = "facts"
    items: list[tuple[str, str]]


Block = Annotated[Union[Table, Chart, Metrics, Bullets, Facts], Field(discriminator="kind")]


class Slide(_Block):
    title: str
    subtitle: str | None = None
    blocks: list[Block]
    sample: bool = Field(False, description="what this slide shows rests on sample rows")
    in_deck: bool = Field(True, description="False: long reference text, for the PDF and HTML only")
    notes: str | None = Field(None, description="speaker notes: what the numbers mean and where they come from")


class Section(_Block):
    key: str
    title: str
    slides: list[Slide]
