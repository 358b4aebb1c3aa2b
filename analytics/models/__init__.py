"""Row models for every table: validation at every boundary and the data dictionary."""
from analytics.models.base import Row
from analytics.models.bigscience import Award, Bso, BsoDemand, Company, Competency, Contribution, Sector
from analytics.models.grant import (
    BudgetLine,
    Checkin,
    Deliverable,
    Exchange,
    Expense,
    Kpi,
    KpiMilestone,
    LabelAward,
    Mission,
    Partner,
    Project,
    Training,
)

# Load order: a table comes after every table it references.
TABLE_MODELS: dict[str, type[Row]] = {
    m.table: m
    for m in (
        Project, Partner, Kpi, KpiMilestone, Checkin, Exchange, Training, LabelAward, Mission,
        BudgetLine, Expense, Deliverable,
        Bso, Sector, BsoDemand, Company, Competency, Contribution, Award,
    )
}


def model_for(table: str) -> type[Row]:
    """The whitelist of importable tables: an unknown name is refused here."""
    try:
        return TABLE_MODELS[table]
    except KeyError:
        raise KeyError(f"unknown table {table!r}; one of {', '.join(TABLE_MODELS)}") from None
