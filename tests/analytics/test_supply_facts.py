"""The pre-aggregated supply behind the gap scores (analytics.supply_facts), on the tiny market
of tests/analytics/market_rows.py: its rows by hand, kept current by the loader, and the same
answers as reading the competencies themselves."""
from __future__ import annotations

import pandas as pd
import pytest

from analytics import gaps, loader, seed, store, supply_facts
from analytics.market_filters import query, selection
from tests.analytics.market_rows import build


def facts(con, granularity: str) -> dict[tuple[str, str], tuple]:
    rows = con.execute(
        "SELECT sector_id, country, at_level_1, at_level_2, at_level_3, companies, coverage FROM supply_facts "
        "WHERE granularity = ? ORDER BY ALL", [granularity]).fetchall()
    return {(r[0], r[1]): r[2:] for r in rows}


def both_ways(con, **filters) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The gap statement over the facts and over the competencies, for the same selection."""
    granularity = filters.pop("granularity", "sub")
    f = selection(con, **filters)
    run = lambda supply: query(con, *gaps.statement(f, gaps.GapWeights(), None, granularity, supply=supply))  # noqa: E731
    return run("supply_facts"), run(None)


def test_rows_by_hand():
    con = build()
    assert supply_facts.fresh(con)
    # (at level 1, 2, 3, companies at 1+, companies at 2+)
    assert facts(con, "sub") == {
        ("A.1", "DK"): (0, 0, 1, 1, 1),   # c1 at 3
        ("A.1", "SE"): (0, 0, 0, 0, 0),   # c4 at 0: a row, but no capacity and no company
        ("A.2", "DK"): (0, 1, 0, 1, 1),   # c2 at 2
        ("B.1", "DK"): (1, 1, 0, 2, 1),   # c2 at 1, c1 at 2
        ("B.1", "SE"): (0, 0, 1, 1, 1),   # c3 at 3
    }
    assert facts(con, "top") == {
        ("A", "DK"): (0, 1, 1, 2, 2),
        ("A", "SE"): (0, 0, 0, 0, 0),
        ("B", "DK"): (1, 1, 0, 2, 1),
        ("B", "SE"): (0, 0, 1, 1, 1),
    }


def test_a_company_strong_in_two_sub_sectors_counts_once_in_their_top_sector():
    con = build()
    loader.load(con, {"competencies": ("more.csv", [{"company_id": "c1", "sector_id": "B.2", "level": 2}], 2)})
    # top B, DK: c1 at 2 in B.1 and B.2, c2 at 1 in B.1: three rows, two companies, one of them strong
    assert facts(con, "top")[("B", "DK")] == (1, 2, 0, 2, 1)
    assert facts(con, "sub")[("B.2", "DK")] == (0, 1, 0, 1, 1)
    top = gaps.gap_scores(con, years=[2023], granularity="top").set_index("sector_id")
    assert top.loc["B", "coverage"] == 2  # c1 and c3, each once
    assert top.loc["B", "capacity"] == pytest.approx(1 / 3 + 2 * 2 / 3 + 1)


def test_a_level_change_through_the_loader_updates_the_facts():
    con = build()
    # the same number of rows: only the content changed (c2 in B.1 from 1 to 3)
    loader.load(con, {"competencies": ("fix.csv", [{"company_id": "c2", "sector_id": "B.1", "level": 3}], 2)})
    assert supply_facts.fresh(con)
    assert facts(con, "sub")[("B.1", "DK")] == (0, 1, 1, 2, 2)
    b1 = gaps.gap_scores(con, years=[2023]).set_index("sector_id").loc["B.1"]
    assert b1["capacity"] == pytest.approx(2 / 3 + 1 + 1)
    assert b1["coverage"] == 3


def test_a_write_around_the_loader_is_noticed_and_answered_from_the_competencies():
    con = build()
    con.execute("INSERT INTO competencies (company_id, sector_id, level) VALUES ('c3', 'B.3', 3)")
    assert not supply_facts.fresh(con)
    b3 = gaps.gap_scores(con, years=[2023]).set_index("sector_id").loc["B.3"]
    assert b3["capacity"] == 1.0 and b3["coverage"] == 1
    # the next write through the loader heals the facts
    loader.load(con, {"sectors": ("sectors.csv", [{"sector_id": "B.3", "name": "Beta three", "parent_id": "B"}], 2)})
    assert supply_facts.fresh(con)
    assert facts(con, "sub")[("B.3", "SE")] == (0, 0, 1, 1, 1)


@pytest.mark.parametrize("filters", [
    {}, {"granularity": "top"}, {"countries": ["DK"]}, {"countries": ["SE"], "granularity": "top"},
    {"bsos": ["X"], "years": [2023]}, {"countries": ["NO"]},
], ids=["all", "top", "one-country", "one-country-top", "one-bso", "country-without-companies"])
def test_the_facts_give_the_answers_of_the_competencies(filters):
    con = build()
    facts_way, raw_way = both_ways(con, **filters)
    pd.testing.assert_frame_equal(facts_way, raw_way, check_dtype=False)


@pytest.mark.parametrize("filters", [{}, {"granularity": "top"}, {"countries": ["PL", "ES"]}, {"bsos": ["CERN"]}],
                         ids=["all", "top", "two-countries", "cern"])
def test_on_the_seed_too(seeded, filters):
    facts_way, raw_way = both_ways(seeded, **filters)
    assert len(facts_way) == (5 if filters.get("granularity") == "top" else 24)  # ENRIITC: 5 top, 24 sub
    pd.testing.assert_frame_equal(facts_way, raw_way, check_dtype=False)


def test_a_migration_builds_the_facts_of_an_existing_database(tmp_path):
    path = tmp_path / "old.duckdb"
    con = store.connect(path, read_only=False)
    store.migrate(con)
    seed.seed(con)
    con.execute("DELETE FROM supply_facts; DELETE FROM supply_sources; DELETE FROM schema_version WHERE version = 70; "
                "DROP TABLE supply_facts; DROP TABLE supply_sources")
    assert store.migrate(con) == ["070_supply_facts.sql"]
    assert supply_facts.fresh(con)
    assert con.execute("SELECT count(*) FROM supply_facts").fetchone()[0] > 0
    con.close()
