"""The pre-aggregated facts (analytics.facts) stay equal to a rebuild from the source tables after
every kind of write, and the figures stay right when a write goes around the loader."""
from __future__ import annotations

from datetime import date

import pytest

from analytics import budget, facts, kpis, loader, portfolio
from tests.analytics.builders import PARTNERS, PROJECT, build, kpi, training

FACT_TABLES = ("measure_daily", "measure_monthly", "expense_daily", "expense_monthly", "fact_sources")


def snapshot(con) -> dict[str, list[tuple]]:
    return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in FACT_TABLES}


def rebuilt(con) -> dict[str, list[tuple]]:
    con.execute("BEGIN")
    try:
        facts.rebuild(con)
        return snapshot(con)
    finally:
        con.execute("ROLLBACK")


def exchange(n: int, visitor: str, end: str, project: str = "TEST", partner: str = "Alpha Cluster") -> dict:
    return {"exchange_id": f"X{n}", "project_id": project, "partner": partner, "visitor_org": visitor,
            "visitor_country": "DK", "visitor_type": "sme", "host_org": "Host", "host_country": "ES",
            "start_date": end, "end_date": end, "working_days": 3}


def expense(n: int, amount: str, on: str, category: str = "A", project: str = "TEST") -> dict:
    return {"expense_id": f"E{n}", "project_id": project, "partner": "Alpha Cluster", "category": category,
            "amount": amount, "spent_on": on}


def load(con, **tables) -> None:
    loader.load(con, {t: (f"{t}.csv", rows, 2) for t, rows in tables.items()})


OTHER = PROJECT | {"project_id": "OTHER"}
OTHER_PARTNER = PARTNERS[0] | {"project_id": "OTHER"}


@pytest.fixture
def con():
    return build(kpis=[kpi("ORG", "organisations_exchanged", 10), kpi("BUD", "budget_spent", 12700)],
                 trainings=[training("Ann", "2021-02-01")],
                 exchanges=[exchange(1, "Nordic Cryo", "2021-03-05"), exchange(2, "nordic cryo", "2021-04-09",
                                                                               partner="Beta Cluster")],
                 expenses=[expense(1, "1000.00", "2021-02-01"), expense(2, "500.00", "2021-05-20", "B")])


def test_facts_after_a_load_equal_a_rebuild(con):
    assert facts.fresh(con)
    assert snapshot(con) == rebuilt(con)


def test_an_organisation_first_seen_by_two_partners_counts_once_in_the_project(con):
    assert kpis.kpi_table(con, "TEST", date(2021, 6, 30)).set_index("code").loc["ORG", "actual"] == 1
    by_partner = kpis.partner_breakdown(con, "TEST", date(2021, 6, 30))
    assert dict(zip(by_partner["partner"], by_partner["value"])) == {"Alpha Cluster": 1, "Beta Cluster": 1}


def test_a_changed_amount_and_a_changed_rate_refresh_the_figures(con):
    load(con, expenses=[expense(1, "2000.00", "2021-02-01")])
    load(con, projects=[PROJECT | {"indirect_rate": "0.10"}])
    assert snapshot(con) == rebuilt(con)
    assert budget.summary(con, "TEST", date(2021, 6, 30))["spent"] == pytest.approx(2000 * 1.10 + 500)
    assert kpis.kpi_table(con, "TEST", date(2021, 6, 30)).set_index("code").loc["BUD", "actual"] == pytest.approx(2700)


def test_a_record_moved_to_another_project_leaves_the_first(con):
    load(con, projects=[OTHER], partners=[OTHER_PARTNER])
    load(con, exchanges=[exchange(1, "Nordic Cryo", "2021-03-05", project="OTHER")],
         expenses=[expense(2, "500.00", "2021-05-20", "B", project="OTHER")])
    assert snapshot(con) == rebuilt(con)
    burn = portfolio.budget_burn(con, date(2021, 12, 31)).set_index("project_id")["spent"]
    assert burn.to_dict() == {"OTHER": 500.0, "TEST": 1070.0}


@pytest.mark.parametrize("source", ["kept steps", "stored facts"])
def test_checkpoints_and_days_since_give_the_value_at_any_date(request, source):
    if source == "stored facts":  # the KPI evaluation reads the facts only when its kept steps are stale
        request.getfixturevalue("no_kept_steps")
    days = ["2021-01-31", "2021-02-01", "2021-02-27", "2021-02-28", "2021-03-01", "2021-07-15"]
    con = build(kpis=[kpi("ORG", "organisations_exchanged", 10)],
                exchanges=[exchange(n, f"Org {n}", d) for n, d in enumerate(days)])
    for n, day in enumerate(["2021-01-30", *days, "2022-06-01"]):
        expected = sum(d <= day for d in days)
        assert kpis.kpi_table(con, "TEST", date.fromisoformat(day)).loc[0, "actual"] == expected, day


def test_a_write_around_the_loader_is_still_counted_and_healed_by_the_next_write(con):
    con.execute("INSERT INTO exchanges (exchange_id, project_id, partner, visitor_org, visitor_country, visitor_type, "
                "host_org, host_country, start_date, end_date, working_days) VALUES "
                "('X9', 'TEST', 'Alpha Cluster', 'Baltic Laser', 'LT', 'sme', 'Host', 'ES', '2021-06-01', '2021-06-01', 3)")
    assert not facts.fresh(con)
    assert kpis.kpi_table(con, "TEST", date(2021, 6, 30)).set_index("code").loc["ORG", "actual"] == 2
    load(con, trainings=[training("Bob", "2021-03-01")])
    assert facts.fresh(con)
    assert snapshot(con) == rebuilt(con)
    assert kpis.kpi_table(con, "TEST", date(2021, 6, 30)).set_index("code").loc["ORG", "actual"] == 2



def test_an_expense_written_around_the_loader_is_in_the_budget(con):
    """The budget folds the freshness check into its project lookup (facts.fresh_sql): a stale
    expense fact makes it read the expenses themselves."""
    fresh = f"SELECT {facts.fresh_sql(['expenses'])}"
    assert con.execute(fresh).fetchone()[0] is True
    con.execute("INSERT INTO expenses (expense_id, project_id, partner, category, amount, spent_on) "
                "VALUES ('E9', 'TEST', 'Alpha Cluster', 'B', 250.00, '2021-06-01')")
    assert con.execute(fresh).fetchone()[0] is False and not facts.fresh(con, ["expenses"])
    assert budget.summary(con, "TEST", date(2021, 6, 30))["spent"] == pytest.approx(1000 * 1.07 + 500 + 250)
    with pytest.raises(ValueError):
        facts.fresh_sql(["expenses; DROP TABLE expenses"])

def test_pre_aggregated_measures_carry_no_code_or_level(seeded):
    """The facts are per project: a distinct, count or sum measure whose events named one KPI or
    a label level could not be pre-aggregated (analytics.measures)."""
    from analytics.measures import events_sql, pre_aggregated

    names = [m.name for m in pre_aggregated()]
    row = seeded.execute(f"SELECT count(*) FILTER (code IS NOT NULL OR level_rank IS NOT NULL), count(*) "
                         f"FROM ({events_sql(names)})").fetchone()
    assert row[0] == 0 and row[1] > 0
