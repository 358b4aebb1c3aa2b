"""ReportData: everything a funder-facing output states, as validated numbers and text.

Assembled once (analytics.reports.assemble) and read by every renderer, so the PDF, the deck, the
HTML file and the presentation cannot disagree. Field descriptions say what each number means.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

from analytics.reports import fmt
from analytics.reports.blocks import Section
from analytics.sample import describe

Status = Literal["not_started", "achieved", "on_track", "at_risk", "off_track", "overdue"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class KpiRow(_Model):
    code: str
    name: str
    unit: str
    measure_title: str = Field(description="how the actual value is derived (analytics.measures)")
    explanation: str = Field(description="the measure's definition, as shown in the app")
    target: float
    baseline: float
    actual: float = Field(description="the measure over records dated on or before the as-of date")
    expected: float | None = Field(description="where the plan says the KPI should be by the as-of date")
    progress: float | None = Field(description="(actual − baseline) ÷ (target − baseline)")
    pace: float | None = Field(description="progress made ÷ progress expected by now")
    status: Status
    status_label: str
    confidence: str | None = Field(None, description="the owner's latest check-in confidence, shown beside the status")
    forecast: float | None = Field(None, description="run rate since the start, extrapolated to the due date")
    required_rate_per_month: float | None = None
    due: date
    interpolation: Literal["linear", "step"] = Field(description="how the expected path runs between milestones")
    is_placeholder: bool = Field(description="target not yet agreed with the funder")
    is_sample: bool = Field(description="the KPI definition itself is sample data")
    sample_inputs: list[str] = Field(default_factory=list, description="tables this KPI counts from that hold sample rows")
    source: str | None = None

    @computed_field
    @property
    def n_of_n(self) -> str:
        """'3 of 4': the actual against the target, in the KPI's own precision."""
        return fmt.n_of_n(self.actual, self.target)


class SeriesPoint(_Model):
    as_of: date
    actual: float | None
    expected: float | None


class BudgetSummary(_Model):
    total_budget: float = Field(description="the project's total budget (grant agreement)")
    planned: float = Field(description="sum of the budget lines")
    spent: float = Field(description="expenses to date plus flat-rate indirect costs")
    spent_share: float | None
    elapsed_share: float
    burn_index: float | None = Field(description="(spent ÷ planned) ÷ (time elapsed ÷ duration)")
    burn_flag: str
    projected_spend: float | None
    eu_rate: float
    eu_contribution: float
    planned_matches_total: bool


class BudgetLine(_Model):
    key: str = Field(description="cost category code or partner organisation")
    label: str
    planned: float
    spent: float
    spent_share: float | None


class BurnPoint(_Model):
    as_of: date
    spent: float
    planned_to_date: float
    burn_index: float | None


class Finding(_Model):
    kind: Literal["highlight", "risk"]
    subject: str = Field(description="a KPI code or 'Budget'")
    text: str
    status: str = Field(description="a status key (colours the finding): achieved, on_track, at_risk, off_track, overdue")


class DataSource(_Model):
    database: str = Field(description="database file name, or 'in-memory database'")
    schema_version: int
    loaded: str = Field(description="how the data got there: the seed, or the latest imports")
    facts_source: str | None = Field(None, description="where the project's facts come from")
    generated_at: datetime


class Partner(_Model):
    organisation: str
    country: str
    role: str


class ReportData(_Model):
    project_id: str
    title: str
    programme: str
    call_id: str | None
    grant_agreement: str | None
    start_date: date
    end_date: date
    original_end_date: date | None
    partners: list[Partner]
    as_of: date
    project_month: int | None
    months: int
    filters: dict[str, str] = Field(description="every choice that shaped the numbers, as 'name: value'")
    source: DataSource
    sample_tables: dict[str, int] = Field(description="sample rows per table for this project")
    project_is_sample: bool
    kpis: list[KpiRow]
    burnup: dict[str, list[SeriesPoint]] = Field(description="per KPI code: actual and expected over time")
    budget: BudgetSummary
    budget_by_category: list[BudgetLine]
    budget_by_partner: list[BudgetLine]
    burn_series: list[BurnPoint]
    burn_low: float
    burn_high: float
    highlights: list[Finding]
    risks: list[Finding]
    formulas: dict[str, str]
    acknowledgement: str
    extra_sections: list[Section] = Field(default_factory=list, description="views of other modules (exchanges, labels, ...) where present")

    @computed_field
    @property
    def has_sample(self) -> bool:
        """True when any number shown rests on sample rows: every output then carries the mark."""
        return self.project_is_sample or bool(self.sample_tables)

    @computed_field
    @property
    def sample_note(self) -> str:
        if not self.has_sample:
            return ""
        return f"Contains sample data (illustrative rows, not reported facts): {describe(self.sample_tables)}."
