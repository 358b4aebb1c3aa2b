"""Grant-side rows: projects, partners, KPIs and the activity records their measures count.

Field descriptions are the data dictionary and the import templates' help text.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import Field, model_validator

from analytics.models.base import Country, Row, SampleFlag, Source, Text
from analytics.models.codes import (
    CONFIDENCES,
    DELIVERABLE_KINDS,
    DELIVERABLE_STATUSES,
    DIRECTIONS,
    EXPENSE_CATEGORIES,
    INTERPOLATIONS,
    LABEL_LEVELS,
    MISSION_KINDS,
    ORG_TYPES,
    PARTNER_ROLES,
    COST_CATEGORIES,
)

ProjectRef = ((("project_id",), "projects", ("project_id",)),)
KpiRef = ((("project_id", "code"), "kpis", ("project_id", "code")),)
PartnerRef = ((("project_id", "partner"), "partners", ("project_id", "organisation")),)


class Project(Row):
    table = "projects"
    key = ("project_id",)

    project_id: Text = Field(description="project acronym, e.g. BIGINN", max_length=40)
    title: Text = Field(description="full project title")
    programme: Text = Field(description="funding programme, e.g. COSME")
    call_id: str | None = Field(None, description="call identifier, e.g. COS-CLUSTER-2020-3-03-1")
    grant_agreement: str | None = Field(None, description="grant agreement number")
    start_date: date = Field(description="first day of the project (month M1 starts here)")
    end_date: date = Field(description="last day of the project, after any extension")
    original_end_date: date | None = Field(None, description="end date before an extension, if any")
    total_budget: Decimal = Field(gt=0, max_digits=14, decimal_places=2, description="total eligible budget in EUR")
    eu_rate: Decimal = Field(gt=0, le=1, description="share of eligible costs the EU reimburses (0.75 for COSME clusters)")
    indirect_rate: Decimal = Field(ge=0, le=1, description="flat rate of indirect costs E on direct costs (usually 0.07)")
    source: Source
    is_sample: SampleFlag

    @model_validator(mode="after")
    def _dates(self) -> "Project":
        if self.end_date < self.start_date:
            raise ValueError(f"end_date {self.end_date} precedes start_date {self.start_date}")
        if self.original_end_date and self.original_end_date < self.start_date:
            raise ValueError("original_end_date precedes start_date")
        return self


class Partner(Row):
    table = "partners"
    key = ("project_id", "organisation")
    references = ProjectRef

    project_id: Text = Field(description="project acronym")
    organisation: Text = Field(description="organisation name, as used in every other table")
    country: Country = Field(description="ISO 3166 alpha-2 country code")
    org_type: Literal[ORG_TYPES] = Field(description="cluster, support_org, sme, research or large")
    role: Literal[PARTNER_ROLES] = Field(description="coordinator or partner")
    budget_share: float | None = Field(None, ge=0, le=1, description="share of the project budget (0..1)")
    source: Source
    is_sample: SampleFlag


class Kpi(Row):
    table = "kpis"
    key = ("project_id", "code")
    references = ProjectRef

    project_id: Text = Field(description="project acronym")
    code: Text = Field(description="short KPI code, unique in the project, e.g. LAB")
    name: Text = Field(description="what the KPI counts, as the grant states it")
    unit: Text = Field(description="unit shown beside values: clusters, managers, EUR ...")
    measure: str = Field(description="how the actual value is derived; see the measures list")
    target: float = Field(description="value to reach by the due date")
    baseline: float = Field(0, description="value at project start")
    direction: Literal[DIRECTIONS] = Field("increase", description="increase, decrease, stay_above or stay_below")
    due_date: date | None = Field(None, description="date the target is due; empty means the project end")
    min_label_level: Literal[LABEL_LEVELS] | None = Field(None, description="labels_awarded only: lowest level that counts")
    interpolation: Literal[INTERPOLATIONS] = Field("linear", description="between milestones: linear or step")
    owner: str | None = Field(None, description="person who answers for the KPI")
    is_placeholder: bool = Field(False, description="TRUE while the target is not agreed with the funder")
    source: Source
    is_sample: SampleFlag

    @model_validator(mode="after")
    def _consistent(self) -> "Kpi":
        from analytics.measures import MEASURES  # the registry is the whitelist

        if self.measure not in MEASURES:
            raise ValueError(f"unknown measure {self.measure!r}; one of {', '.join(MEASURES)}")
        if self.direction in ("increase", "decrease") and self.target == self.baseline:
            raise ValueError(
                f"target equals baseline ({self.target:g}): progress would divide by zero; "
                "use stay_above/stay_below to hold a level"
            )
        if self.direction == "increase" and self.target < self.baseline:
            raise ValueError(f"an increasing KPI needs target > baseline ({self.target:g} < {self.baseline:g})")
        if self.direction == "decrease" and self.target > self.baseline:
            raise ValueError(f"a decreasing KPI needs target < baseline ({self.target:g} > {self.baseline:g})")
        if self.min_label_level and self.measure != "labels_awarded":
            raise ValueError("min_label_level only applies to the labels_awarded measure")
        return self


class KpiMilestone(Row):
    table = "kpi_milestones"
    key = ("project_id", "code", "month", "on_date")
    references = KpiRef

    project_id: Text = Field(description="project acronym")
    code: Text = Field(description="KPI code")
    month: int | None = Field(None, ge=1, le=120, description="project month Mn: the value is expected by the end of it")
    on_date: date | None = Field(None, description="or an explicit date")
    expected: float = Field(description="value expected at that point")
    is_sample: SampleFlag

    @model_validator(mode="after")
    def _when(self) -> "KpiMilestone":
        if self.month is None and self.on_date is None:
            raise ValueError("give either month or on_date")
        return self


class Checkin(Row):
    table = "checkins"
    key = ("project_id", "code", "checked_on")
    references = KpiRef

    project_id: Text = Field(description="project acronym")
    code: Text = Field(description="KPI code")
    checked_on: date = Field(description="date of the update")
    value: float = Field(description="value of the KPI on that date")
    confidence: Literal[CONFIDENCES] = Field(description="owner's confidence: on_track, at_risk or off_track")
    note: str | None = Field(None, description="what happened, what is planned")
    evidence_url: str | None = Field(None, description="link to the evidence (minutes, report, photo)")
    author: str | None = Field(None, description="who entered the update")
    is_sample: SampleFlag


class Exchange(Row):
    table = "exchanges"
    key = ("exchange_id",)
    references = ProjectRef + PartnerRef

    exchange_id: Text = Field(description="unique exchange reference")
    project_id: Text = Field(description="the project (partnership) that pays the visitor")
    partner: Text = Field(description="partner organisation that organised the exchange")
    visitor_org: Text = Field(description="visiting organisation")
    visitor_country: Country = Field(description="visitor's country (ISO alpha-2)")
    visitor_type: Literal[ORG_TYPES] = Field(description="visitor's type: cluster, support_org, sme, research, large")
    host_org: Text = Field(description="host organisation")
    host_country: Country = Field(description="host's country (ISO alpha-2)")
    start_date: date = Field(description="first day of the stay")
    end_date: date = Field(description="last day of the stay")
    working_days: int = Field(ge=1, description="working days of the stay (rule: 3 to about 22)")
    distance_km: float | None = Field(None, ge=0, description="distance between the two organisations in km")
    is_virtual: bool = Field(False, description="TRUE for an online exchange")
    lump_sum: Decimal | None = Field(None, ge=0, description="lump sum paid to the visitor in EUR")
    bso_id: str | None = Field(None, description="Big Science organisation visited, if any")
    counted_by_project: str | None = Field(None, description="another project that also reports this exchange")
    is_sample: SampleFlag

    @model_validator(mode="after")
    def _dates(self) -> "Exchange":
        if self.end_date < self.start_date:
            raise ValueError(f"end_date {self.end_date} precedes start_date {self.start_date}")
        return self


class Training(Row):
    table = "trainings"
    key = ("project_id", "person", "organisation", "course", "trained_on")
    references = ProjectRef + PartnerRef

    project_id: Text = Field(description="project acronym")
    partner: Text = Field(description="partner that ran or paid the training")
    person: Text = Field(description="person trained (a person counts once per organisation)")
    organisation: Text = Field(description="person's organisation")
    course: Text = Field(description="course or module")
    trained_on: date = Field(description="date of the training")
    hours: float = Field(gt=0, description="hours of training")
    evidence_url: str | None = Field(None, description="attendance list or certificate")
    is_sample: SampleFlag


class LabelAward(Row):
    table = "label_awards"
    key = ("organisation", "level", "assessed_on")

    organisation: Text = Field(description="cluster organisation (as in partners)")
    level: Literal[LABEL_LEVELS] = Field(description="bronze, silver or gold")
    assessed_on: date = Field(description="date of the assessment")
    valid_until: date = Field(description="last day the label is valid (labels last 2 years)")
    score_pct: float | None = Field(None, ge=0, le=100, description="assessment score in %")
    source: Source
    is_sample: SampleFlag

    @model_validator(mode="after")
    def _validity(self) -> "LabelAward":
        if self.valid_until < self.assessed_on:
            raise ValueError(f"valid_until {self.valid_until} precedes assessed_on {self.assessed_on}")
        return self


class Mission(Row):
    table = "missions"
    key = ("mission_id",)
    references = ProjectRef + PartnerRef

    mission_id: Text = Field(description="unique mission reference")
    project_id: Text = Field(description="project acronym")
    partner: Text = Field(description="partner that led the mission")
    title: Text = Field(description="mission title")
    kind: Literal[MISSION_KINDS] = Field(description="c2c, b2b or bso_visit")
    destination_country: Country = Field(description="destination (ISO alpha-2)")
    start_date: date = Field(description="first day")
    end_date: date = Field(description="last day")
    participants: int = Field(gt=0, description="participants in total")
    sme_participants: int = Field(ge=0, description="of whom from SMEs")
    bso_id: str | None = Field(None, description="Big Science organisation visited, if any")
    is_sample: SampleFlag

    @model_validator(mode="after")
    def _consistent(self) -> "Mission":
        if self.end_date < self.start_date:
            raise ValueError(f"end_date {self.end_date} precedes start_date {self.start_date}")
        if self.sme_participants > self.participants:
            raise ValueError(f"sme_participants {self.sme_participants} exceeds participants {self.participants}")
        return self


class BudgetLine(Row):
    table = "budget_lines"
    key = ("project_id", "partner", "category")
    references = ProjectRef + PartnerRef

    project_id: Text = Field(description="project acronym")
    partner: Text = Field(description="partner organisation")
    category: Literal[tuple(COST_CATEGORIES)] = Field(description="EU cost category: A, B, C1, C2, C3, D1 or E")
    amount: Decimal = Field(ge=0, max_digits=14, decimal_places=2, description="planned amount in EUR")
    is_sample: SampleFlag


class Expense(Row):
    table = "expenses"
    key = ("expense_id",)
    references = ProjectRef + PartnerRef

    expense_id: Text = Field(description="unique expense reference (invoice, timesheet)")
    project_id: Text = Field(description="project acronym")
    partner: Text = Field(description="partner organisation")
    category: Literal[EXPENSE_CATEGORIES] = Field(
        description="A, B, C1, C2, C3 or D1 (E, indirect costs, is a flat rate computed from these)"
    )
    amount: Decimal = Field(max_digits=14, decimal_places=2, description="amount in EUR (negative for a correction)")
    spent_on: date = Field(description="date the cost was incurred")
    description: str | None = Field(None, description="what was bought or done")
    is_sample: SampleFlag


class Deliverable(Row):
    table = "deliverables"
    key = ("project_id", "code")
    references = ProjectRef

    project_id: Text = Field(description="project acronym")
    code: Text = Field(description="deliverable code, e.g. D1.1, or MS1 for a milestone")
    title: Text = Field(description="title as in the grant agreement")
    work_package: Text = Field(description="work package, e.g. WP1")
    kind: Literal[DELIVERABLE_KINDS] = Field("deliverable", description="deliverable or milestone")
    due_month: int = Field(ge=1, le=120, description="project month it is due (M1..Mn)")
    submitted_on: date | None = Field(None, description="date submitted on the portal")
    status: Literal[DELIVERABLE_STATUSES] = Field(description="pending, draft or submitted")
    late_justification: str | None = Field(None, description="why it was late, as sent to the portal")
    is_sample: SampleFlag

    @model_validator(mode="after")
    def _status(self) -> "Deliverable":
        if self.status == "submitted" and self.submitted_on is None:
            raise ValueError("a submitted deliverable needs submitted_on")
        if self.status != "submitted" and self.submitted_on is not None:
            raise ValueError(f"status is {self.status!r} but submitted_on is set")
        return self
