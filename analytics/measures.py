"""KPI measures: how each KPI's actual value is derived from the records. New measures go here.

Every measure is an *event source*: a SELECT yielding one row per record with the columns
``project_id, code, partner, entity, level_rank, d, d_end, amount`` and an *aggregate* saying how
the events dated on or before the as-of date t become one number:

- ``distinct``: count of distinct ``entity`` with d <= t (people, organisations)
- ``count``:    count of events with d <= t (participations, missions)
- ``sum``:      sum of ``amount`` with d <= t (euros, participants)
- ``latest``:   ``amount`` of the latest event with d <= t (manual check-ins)
- ``valid_at``: distinct ``entity`` valid on min(t, the KPI's due date): d <= that day <= d_end (labels)

``code`` is NULL unless the events belong to one KPI (check-ins); ``level_rank`` is NULL unless
the KPI's minimum label level filters them.

``tables`` names every table the events read. The additive aggregates (distinct, count, sum) are
pre-aggregated per project and day (analytics.facts), which needs their events to carry no code
and no level; a write to one of ``tables`` refreshes them. ``latest`` and ``valid_at`` read their
events directly (check-ins and labels are small).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Aggregate = Literal["distinct", "count", "sum", "latest", "valid_at"]
PRE_AGGREGATED = ("distinct", "count", "sum")


@dataclass(frozen=True)
class Measure:
    name: str
    title: str
    explanation: str  # shown in the UI beside the KPI and in reports
    aggregate: Aggregate
    events: str
    tables: tuple[str, ...]


_LEVEL_RANK = "CASE la.level WHEN 'bronze' THEN 1 WHEN 'silver' THEN 2 WHEN 'gold' THEN 3 END"

MEASURES: dict[str, Measure] = {
    m.name: m
    for m in (
        Measure(
            "labels_awarded",
            "Clusters holding a valid label",
            "Distinct partner clusters holding a Cluster Management Excellence label valid on the "
            "as-of date, or on the KPI's due date when that comes first (assessed on or before it, valid until "
            "on or after it), at or above the "
            "KPI's minimum level.",
            "valid_at",
            f"""SELECT p.project_id, NULL AS code, p.organisation AS partner, la.organisation AS entity,
                       {_LEVEL_RANK} AS level_rank, la.assessed_on AS d, la.valid_until AS d_end,
                       1.0 AS amount
                FROM label_awards la JOIN partners p ON p.organisation = la.organisation""",
            ("label_awards", "partners"),
        ),
        Measure(
            "managers_trained",
            "Cluster managers trained",
            "Distinct people trained on or before the as-of date; a person is a name within an "
            "organisation, so two trainings of the same person count once.",
            "distinct",
            """SELECT project_id, NULL, partner, lower(person) || '|' || lower(organisation), NULL,
                      trained_on, NULL, 1.0
               FROM trainings""",
            ("trainings",),
        ),
        Measure(
            "organisations_exchanged",
            "Organisations exchanged",
            "Distinct visiting organisations of ClusterXchange exchanges finished on or before the "
            "as-of date; an exchange counts once, for the project that pays the visitor, and an "
            "organisation that visits twice counts once.",
            "distinct",
            """SELECT project_id, NULL, partner, lower(visitor_org), NULL, end_date, NULL, 1.0
               FROM exchanges""",
            ("exchanges",),
        ),
        Measure(
            "exchanges",
            "Exchange participations",
            "ClusterXchange stays finished on or before the as-of date, paid by the project; every "
            "stay counts, also a second one of the same organisation.",
            "count",
            """SELECT project_id, NULL, partner, exchange_id, NULL, end_date, NULL, 1.0
               FROM exchanges""",
            ("exchanges",),
        ),
        Measure(
            "missions",
            "Missions",
            "Missions (C2C, B2B, visits to Big Science organisations) finished on or before the as-of date.",
            "count",
            """SELECT project_id, NULL, partner, mission_id, NULL, end_date, NULL, 1.0
               FROM missions""",
            ("missions",),
        ),
        Measure(
            "mission_participants",
            "Mission participants",
            "Participants of missions finished on or before the as-of date, summed over missions "
            "(a person on two missions counts twice: these are participations).",
            "sum",
            """SELECT project_id, NULL, partner, mission_id, NULL, end_date, NULL,
                      CAST(participants AS DOUBLE)
               FROM missions""",
            ("missions",),
        ),
        Measure(
            "budget_spent",
            "Budget spent",
            "Eligible costs incurred on or before the as-of date, in EUR: direct costs plus the "
            "flat-rate indirect costs (E) on personnel, travel, equipment and other goods (not on "
            "subcontracting or financial support to third parties).",
            "sum",
            """SELECT e.project_id, NULL, e.partner, e.expense_id, NULL, e.spent_on, NULL,
                      CAST(e.amount AS DOUBLE) * CASE WHEN e.category IN ('A', 'C1', 'C2', 'C3')
                                                     THEN 1 + CAST(p.indirect_rate AS DOUBLE) ELSE 1 END
               FROM expenses e JOIN projects p USING (project_id)""",
            ("expenses", "projects"),
        ),
        Measure(
            "deliverables_submitted",
            "Deliverables submitted",
            "Deliverables and milestones submitted on the portal on or before the as-of date.",
            "count",
            """SELECT project_id, NULL, NULL, code, NULL, submitted_on, NULL, 1.0
               FROM deliverables WHERE submitted_on IS NOT NULL""",
            ("deliverables",),
        ),
        Measure(
            "manual",
            "Manual check-in",
            "The value of the latest check-in on or before the as-of date, entered by the KPI owner "
            "(for results no table can count, such as strategic plans or partnerships); the "
            "baseline until the first check-in.",
            "latest",
            """SELECT project_id, code, NULL, NULL, NULL, checked_on, NULL, value
               FROM checkins""",
            ("checkins",),
        ),
    )
}


def events_sql(names: list[str] | None = None) -> str:
    """The measures' events (all, or those named) as one relation, tagged with the measure name."""
    parts = [
        f"SELECT '{m.name}' AS measure, * FROM ({m.events}) "
        "AS ev(project_id, code, partner, entity, level_rank, d, d_end, amount)"
        for m in MEASURES.values() if names is None or m.name in names
    ]
    return "\nUNION ALL\n".join(parts)


def aggregate_sql(column: str) -> str:
    """The aggregate of the measure named in ``column``, as an SQL CASE (names come from code)."""
    whens = " ".join(f"WHEN '{m.name}' THEN '{m.aggregate}'" for m in MEASURES.values())
    return f"CASE {column} {whens} END"


def pre_aggregated() -> list[Measure]:
    return [m for m in MEASURES.values() if m.aggregate in PRE_AGGREGATED]
