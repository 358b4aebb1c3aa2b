"""The pre-computed partner-finder candidates (analytics.partner_facts): points and order by hand on a
tiny market, the same answers as the live statement over the source tables (seed, scale S), kept
current by the loader, and answered live when a write went around it.

Market: top A "Alpha" with A.1 "Alpha one", A.2 "Alpha two", A.3 "Alpha three"; top B "Beta" without
sub-sectors; top C "Gamma" with C.1 "Gamma one". BSO X funded by DK 20 % and SE 10 %.
    p DK prior 50 employees: A.1 3, A.2 2, A 2        q SE 50: A.1 3, A.3 2, A.2 1
    w SE 50 (q's twin, named after it): as q          r DK 10: A 3 (the top sector row only)
    s FI prior, employees unknown: A.1 2, B 2, C.1 3   t DE 900: B 1, A.1 1
    v SE 20: A.2 3, A.3 3                             y DK 5: A.2 1, A 3
Points: level 3 50, 2 35, 1 15; prior supplier 20; 5 per other sector of the same top at level 2
or more (the top sector row counts), at most 15; country funds the BSO 15.
"""
from __future__ import annotations

import itertools

import pandas as pd
import pytest

from analytics import loader, partner_facts, partners, seed, store
from analytics.market_filters import query

SECTORS = [
    {"sector_id": "A", "name": "Alpha", "enriitc_rank": 1},
    {"sector_id": "A.1", "name": "Alpha one", "parent_id": "A"},
    {"sector_id": "A.2", "name": "Alpha two", "parent_id": "A"},
    {"sector_id": "A.3", "name": "Alpha three", "parent_id": "A"},
    {"sector_id": "B", "name": "Beta", "enriitc_rank": 2},
    {"sector_id": "C", "name": "Gamma", "enriitc_rank": 3},
    {"sector_id": "C.1", "name": "Gamma one", "parent_id": "C"},
]


def company(cid, name, country, employees, prior=False):
    return {"company_id": cid, "name": name, "country": country, "company_type": "sme", "employees": employees,
            "prior_bso_supplier": "true" if prior else "false"}


COMPANIES = [
    company("p", "Papa ApS", "DK", 50, prior=True), company("q", "Quebec AB", "SE", 50),
    company("w", "Whiskey AB", "SE", 50), company("r", "Romeo ApS", "DK", 10),
    company("s", "Sierra Oy", "FI", None, prior=True), company("t", "Tango GmbH", "DE", 900),
    company("v", "Victor AB", "SE", 20), company("y", "Yankee ApS", "DK", 5),
]
LEVELS = {"p": {"A.1": 3, "A.2": 2, "A": 2}, "q": {"A.1": 3, "A.3": 2, "A.2": 1}, "w": {"A.1": 3, "A.3": 2, "A.2": 1},
          "r": {"A": 3}, "s": {"A.1": 2, "B": 2, "C.1": 3}, "t": {"B": 1, "A.1": 1}, "v": {"A.2": 3, "A.3": 3},
          "y": {"A.2": 1, "A": 3}}


def competencies(levels=LEVELS):
    return [{"company_id": c, "sector_id": s, "level": lv} for c, by in levels.items() for s, lv in by.items()]


@pytest.fixture
def market():
    con = store.memory()
    loader.load(con, {
        "bsos": ("bsos.csv", [{"bso_id": "X", "name": "Lab X", "kind": "accelerator", "site_country": "CH"}], 2),
        "sectors": ("sectors.csv", SECTORS, 2),
        "companies": ("companies.csv", COMPANIES, 2),
        "competencies": ("competencies.csv", competencies(), 2),
        "contributions": ("contributions.csv", [{"bso_id": "X", "country": "DK", "year": 2020, "share": 0.2},
                                                {"bso_id": "X", "country": "SE", "year": 2020, "share": 0.1}], 2),
    })
    yield con
    con.close()


def both_ways(con, **need) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The finder's statement over partner_facts and over the source tables, for the same need."""
    q = partners.PartnerQuery(**need)
    siblings = partners.need_of(con, q.sector_id).siblings
    return query(con, *partners.statement(q, siblings=siblings)), query(con, *partners.statement(q))


def assert_same_everywhere(con, *, limit: int) -> int:
    """Kept equals live for every sector, minimum level, with and without a BSO and a country filter,
    at a limit shorter than most answers (and at the default limit with neither filter); returns how
    many answers the limit cut inside a run of equal match scores, where the order's later keys decide."""
    assert partner_facts.fresh(con)
    sectors = [r[0] for r in con.execute("SELECT sector_id FROM sectors ORDER BY sector_id").fetchall()]
    bso = con.execute("SELECT min(bso_id) FROM contributions").fetchone()[0]
    countries = tuple(r[0] for r in con.execute(
        "SELECT country FROM companies GROUP BY country ORDER BY count(*) DESC, country LIMIT 3").fetchall())
    cut_in_ties = 0
    for sector, min_level, bso_id, only in itertools.product(sectors, (1, 2, 3), (None, bso), (None, countries)):
        need = {"sector_id": sector, "min_level": min_level, "bso_id": bso_id, "countries": only}
        kept, live = both_ways(con, **need, limit=limit)
        pd.testing.assert_frame_equal(kept, live, obj=str(need))
        if min_level == 1 and bso_id is None and only is None:
            pd.testing.assert_frame_equal(*both_ways(con, **need), obj=str(need))  # the default limit
            longer = both_ways(con, **need, limit=limit + 1)[0]  # one row more: was the cut inside a tie?
            if len(longer) > limit and longer["match_score"].iloc[limit - 1] == longer["match_score"].iloc[limit]:
                cut_in_ties += 1
    return cut_in_ties


# -- by hand ---------------------------------------------------------------------------------

def test_a_sub_sector_need_with_a_bso_by_hand(market):
    found = partners.find_partners(market, sector_id="A.1", min_level=2, bso_id="X")
    # p 50 + 20 + 10 (A.2 and the top row A at 2) + 15 (DK); q and w 50 + 5 (A.3) + 15 (SE);
    # s 35 + 20 + 0 (B and C.1 are other tops) + 0 (FI); t at 1 is below the minimum
    assert found["company_id"].tolist() == ["p", "q", "w", "s"]  # q before w: same score, level, size; by name
    assert found["points"].tolist() == [95, 70, 70, 55]
    assert found["match_score"].tolist() == [95.0, 70.0, 70.0, 55.0]
    assert found["related"].tolist()[:3] == ["Alpha, Alpha two", "Alpha three", "Alpha three"]
    assert found.loc[0, "reasons"] == ("BSO-qualified in Alpha one (+50) · has supplied a BSO (+20) · "
                                       "also proven in Alpha, Alpha two (+10) · DK funds 20.0 % of X (+15)")
    assert found.loc[3, "reasons"] == "proven in Alpha one (+35) · has supplied a BSO (+20) · FI: no recorded share of X (+0)"


def test_a_top_sector_need_takes_the_best_sub_sector_and_counts_no_related_strength(market):
    found = partners.find_partners(market, sector_id="A", min_level=1)
    # p 3 (A.1) + 20 = 70; s 2 + 20 = 55; q w v r y 50 (level 3) ordered by employees 50 50 20 10 5; t 15
    assert found["company_id"].tolist() == ["p", "s", "q", "w", "v", "r", "y", "t"]
    assert found["points"].tolist() == [70, 55, 50, 50, 50, 50, 50, 15]
    assert found["match_score"].tolist() == [82.4, 64.7, 58.8, 58.8, 58.8, 58.8, 58.8, 17.6]  # out of 85
    best = found.set_index("company_id")["best_sector"]
    assert best["v"] == "Alpha two"  # level 3 in A.2 and A.3: the first by sector_id, not by name
    assert best["r"] == best["y"] == "Alpha"  # the top sector row itself
    assert found["pts_related"].eq(0).all() and found["related"].isna().all()
    # a limit cutting the run of 50s keeps the larger companies
    assert partners.find_partners(market, sector_id="A", min_level=1, limit=4)["company_id"].tolist() == ["p", "s", "q", "w"]


def test_the_top_sector_row_counts_as_related_strength_of_a_sub_sector(market):
    found = partners.find_partners(market, sector_id="A.2", min_level=1)
    # p 35 + 20 + 10 (A.1 3, A 2); v 50 + 5 (A.3); q and w 15 + 10 (A.1, A.3); y 15 + 5 (A at 3)
    assert found["company_id"].tolist() == ["p", "v", "q", "w", "y"]
    assert found["points"].tolist() == [65, 55, 25, 25, 20]
    assert found["related"].tolist() == ["Alpha one, Alpha", "Alpha three", "Alpha one, Alpha three",
                                         "Alpha one, Alpha three", "Alpha"]
    assert partners.find_partners(market, sector_id="A.2", min_level=1, countries=["DK"])["company_id"].tolist() == ["p", "y"]


def test_a_top_sector_without_sub_sectors(market):
    found = partners.find_partners(market, sector_id="B", min_level=1)
    assert found["company_id"].tolist() == ["s", "t"]
    assert found["points"].tolist() == [55, 15]
    assert found["best_sector"].tolist() == ["Beta", "Beta"]
    assert found["pts_related"].tolist() == [0, 0]


def test_the_kept_rows_by_hand(market):
    rows = market.execute("SELECT sector_id, company_id, level, best_sector, own_level, n_related FROM partner_facts "
                          "WHERE company_id IN ('p', 'r', 's', 'y') ORDER BY ALL").fetchall()
    assert rows == [
        ("A", "p", 3, "A.1", 2, 0), ("A", "r", 3, "A", 3, 0), ("A", "s", 2, "A.1", None, 0), ("A", "y", 3, "A", 3, 0),
        ("A.1", "p", 3, "A.1", 3, 2), ("A.1", "s", 2, "A.1", 2, 0),
        ("A.2", "p", 2, "A.2", 2, 2), ("A.2", "y", 1, "A.2", 1, 1),
        ("B", "s", 2, "B", 2, 0), ("C", "s", 3, "C.1", None, 0), ("C.1", "s", 3, "C.1", 3, 0),
    ]


def test_a_need_nobody_meets_gives_the_live_empty_frame(market):
    kept, live = both_ways(market, sector_id="B", min_level=3)
    assert kept.empty
    pd.testing.assert_frame_equal(kept, live)
    assert partners.find_partners(market, sector_id="C", countries=["IS"]).columns.tolist() == live.columns.tolist()


def test_every_need_of_the_tiny_market_both_ways(market):
    assert assert_same_everywhere(market, limit=3) > 0


# -- the same answers as the source tables -----------------------------------------------------

def test_on_the_seed(seeded):
    assert assert_same_everywhere(seeded, limit=5) > 0


def test_on_a_generated_scale_s_database(small):
    assert assert_same_everywhere(small, limit=7) > 0


# -- kept current ------------------------------------------------------------------------------

def test_a_competency_written_through_the_loader_is_ranked(market):
    loader.load(market, {"competencies": ("c.csv", [{"company_id": "t", "sector_id": "A.1", "level": 3}], 2)})
    assert partner_facts.fresh(market)
    found = partners.find_partners(market, sector_id="A.1", min_level=3)
    assert found["company_id"].tolist() == ["p", "q", "w", "t"]  # q and w have related strength, t none
    assert found["points"].tolist() == [80, 55, 55, 50]
    pd.testing.assert_frame_equal(*both_ways(market, sector_id="A.1", min_level=3))


@pytest.mark.parametrize("table, rows", [
    ("companies", [company("q", "Quebec AB", "SE", 60, prior=True)]),  # the same row count: only content
    ("sectors", [{"sector_id": "A.3", "name": "Alpha three", "parent_id": "C"}]),  # A.3 moves to C
    ("competencies", [{"company_id": "r", "sector_id": "A.1", "level": 2}]),
], ids=["companies", "sectors", "competencies"])
def test_a_loader_write_of_a_source_rebuilds_the_rows(market, table, rows):
    before = market.execute("SELECT * FROM partner_facts ORDER BY ALL").fetchall()
    loader.load(market, {table: (f"{table}.csv", rows, 2)})
    assert partner_facts.fresh(market)
    assert market.execute("SELECT * FROM partner_facts ORDER BY ALL").fetchall() != before
    for sector in ("A", "A.1", "A.3", "C"):
        pd.testing.assert_frame_equal(*both_ways(market, sector_id=sector, min_level=1, bso_id="X"))


def test_a_write_around_the_loader_is_answered_from_the_source_tables(market):
    market.execute("INSERT INTO competencies (company_id, sector_id, level) VALUES ('r', 'A.1', 3)")
    assert not partner_facts.fresh(market)
    found = partners.find_partners(market, sector_id="A.1", min_level=3)
    assert found["company_id"].tolist() == ["p", "q", "w", "r"]  # r 50 + 5 (A at 3): after q and w by size
    assert found["points"].tolist() == [80, 55, 55, 55]
    kept, live = both_ways(market, sector_id="A.1", min_level=3)
    pd.testing.assert_frame_equal(found, live)
    assert "r" not in kept["company_id"].tolist()  # the stale rows would have missed it
    # the next write through the loader, of any table, heals the rows
    loader.load(market, {"bsos": ("bsos.csv", [{"bso_id": "Y", "name": "Y", "kind": "laser", "site_country": "FR"}], 2)})
    assert partner_facts.fresh(market)
    pd.testing.assert_frame_equal(both_ways(market, sector_id="A.1", min_level=3)[0], live)


def test_a_migration_builds_the_rows_of_an_existing_database(tmp_path):
    con = store.connect(tmp_path / "old.duckdb", read_only=False)
    store.migrate(con)
    seed.seed(con)
    con.execute("DROP TABLE partner_facts; DROP TABLE partner_sources; DELETE FROM schema_version WHERE version = 74")
    assert store.migrate(con) == ["074_partner_facts.sql"]
    assert partner_facts.fresh(con)
    assert con.execute("SELECT count(*) FROM partner_facts").fetchone()[0] > 0
    con.close()
