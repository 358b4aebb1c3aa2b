"""The competency matrix, its company count and the level distribution give what the statements
they replaced gave (issue 8: top-n paging, counts from the competencies alone), for every filter,
sort and page, on the seed and at scale S.

The reference statements are the former ones, copied here verbatim so the comparison does not
depend on the history of the repository.
"""
from __future__ import annotations

import itertools

import pandas as pd
import pytest

from analytics import competencies
from analytics.competencies import _ORDER, _sectors_sql
from analytics.market_filters import FIRMS, query, selection


def reference_matrix(con, *, clusters=None, countries=None, top_sector=None, sort="strength", page=1,
                     page_size=40) -> pd.DataFrame:
    f = selection(con, clusters=clusters, countries=countries)
    sql = f"""
    WITH firms AS ({FIRMS}),
    cols AS ({_sectors_sql()}),
    held AS (
        SELECT c.company_id, c.sector_id, c.level FROM competencies c
        JOIN firms USING (company_id) JOIN cols USING (sector_id) WHERE c.level >= 1
    ),
    ranked AS (
        SELECT co.company_id, co.name, co.country, co.cluster, co.prior_bso_supplier, sum(h.level) AS strength
        FROM held h JOIN companies co USING (company_id)
        GROUP BY ALL
    ),
    paged AS (
        SELECT *, row_number() OVER (ORDER BY {_ORDER[sort]}) AS row_no FROM ranked
        ORDER BY row_no LIMIT $limit OFFSET $offset
    )
    SELECT paged.row_no, paged.company_id, paged.name, paged.country, paged.cluster, paged.prior_bso_supplier,
           paged.strength, cols.sector_id, cols.name AS sector, cols.top_id AS top_sector_id, cols.col,
           coalesce(h.level, 0) AS level
    FROM paged CROSS JOIN cols
    LEFT JOIN held h ON h.company_id = paged.company_id AND h.sector_id = cols.sector_id
    ORDER BY paged.row_no, cols.col
    """
    params = f.params() | {"top": top_sector, "limit": page_size, "offset": (page - 1) * page_size}
    return query(con, sql, params)


def reference_count(con, *, clusters=None, countries=None, top_sector=None) -> int:
    f = selection(con, clusters=clusters, countries=countries)
    sql = f"""WITH firms AS ({FIRMS}), cols AS ({_sectors_sql()})
              SELECT count(DISTINCT c.company_id) FROM competencies c JOIN firms USING (company_id)
              JOIN cols USING (sector_id) WHERE c.level >= 1"""
    return int(query(con, sql, f.params() | {"top": top_sector}).iloc[0, 0])


def reference_distribution(con, *, clusters=None, countries=None, top_sector=None) -> pd.DataFrame:
    f = selection(con, clusters=clusters, countries=countries)
    sql = f"""
    WITH firms AS ({FIRMS}),
    cols AS ({_sectors_sql()}),
    held AS (
        SELECT c.sector_id, c.level, co.name, co.country FROM competencies c
        JOIN firms USING (company_id) JOIN companies co USING (company_id) WHERE c.level >= 1
    )
    SELECT cols.sector_id, cols.name AS sector, cols.top_id AS top_sector_id, cols.col,
           count(h.level) FILTER (WHERE h.level = 1) AS level_1,
           count(h.level) FILTER (WHERE h.level = 2) AS level_2,
           count(h.level) FILTER (WHERE h.level = 3) AS level_3,
           count(h.level) FILTER (WHERE h.level >= 2) AS coverage,
           count(h.level) FILTER (WHERE h.level >= 2) < 2 AS single_supplier_risk,
           CASE WHEN count(h.level) FILTER (WHERE h.level >= 2) = 1
                THEN any_value(h.name || ' (' || h.country || ')') FILTER (WHERE h.level >= 2) END AS sole_supplier
    FROM cols LEFT JOIN held h USING (sector_id)
    GROUP BY ALL ORDER BY cols.col
    """
    return query(con, sql, f.params() | {"top": top_sector})


def selections(con) -> list[dict]:
    """No filter, a country, a cluster, a country without companies, a top sector, and mixes."""
    country, cluster = con.execute(
        "SELECT country, cluster FROM companies WHERE cluster IS NOT NULL "
        "GROUP BY ALL ORDER BY count(*) DESC, country, cluster LIMIT 1").fetchone()
    small_country = con.execute(
        "SELECT country FROM companies GROUP BY country ORDER BY count(*), country LIMIT 1").fetchone()[0]
    tops = competencies.top_sectors(con)["sector_id"].tolist()
    return [
        {},
        {"countries": [country]},
        {"countries": [small_country]},
        {"countries": ["IS"]} if "IS" not in {country, small_country} else {"countries": ["LI"]},
        {"clusters": [cluster]},
        {"clusters": [cluster], "countries": [country]},
        {"top_sector": tops[0]},
        {"top_sector": tops[-1], "countries": [small_country]},
        {"top_sector": tops[0], "clusters": [cluster]},
    ]


def assert_same(new: pd.DataFrame, old: pd.DataFrame) -> None:
    assert list(new.columns) == list(old.columns)
    assert new.dtypes.tolist() == old.dtypes.tolist()
    pd.testing.assert_frame_equal(new, old, check_exact=True)


def check_everything(con) -> int:
    """Every selection x sort x page; returns how many sole suppliers were named (so a test can
    tell that the naming path ran)."""
    named = 0
    for sel in selections(con):
        total = competencies.company_count(con, **sel)
        assert total == reference_count(con, **sel), sel
        dist = competencies.level_distribution(con, **sel)
        assert_same(dist, reference_distribution(con, **sel))
        named += int(dist["sole_supplier"].notna().sum())
        for sort, page_size in itertools.product(competencies.SORT_LABELS, (40, 7)):
            last = max(1, -(-total // page_size))
            for page in sorted({1, 2, last, last + 1}):
                kw = sel | {"sort": sort, "page": page, "page_size": page_size}
                assert_same(competencies.matrix(con, **kw), reference_matrix(con, **kw))
    return named


def test_equal_to_the_former_statements_on_the_seed(seeded):
    assert check_everything(seeded) > 0


def test_equal_to_the_former_statements_at_scale_s(small):
    check_everything(small)


def test_ties_of_strength_keep_name_then_id_order_across_pages(small):
    """Page boundaries fall inside runs of equal strength at S: the floor of the page must not
    drop a company that the names would have put on it."""
    cells = competencies.matrix(small, page=3, page_size=25)
    firsts = cells.drop_duplicates("row_no")
    assert firsts["row_no"].tolist() == list(range(51, 76))
    assert_same(cells, reference_matrix(small, page=3, page_size=25))


@pytest.mark.parametrize("window", [lambda wanted: wanted, lambda wanted: max(1, wanted // 2), lambda wanted: 1])
def test_a_short_window_of_first_names_falls_back_to_ranking_all(seeded, monkeypatch, window):
    """Sorted by name or country, the page comes from the first companies by that order; when
    companies without a competency leave it short, the whole selection is ranked instead."""
    monkeypatch.setattr(competencies, "_window", window)
    tops = competencies.top_sectors(seeded)["sector_id"].tolist()
    for sel in ({}, {"top_sector": tops[-1]}):
        total = competencies.company_count(seeded, **sel)
        for sort, page in itertools.product(("name", "country"), (1, 2, -(-total // 3), -(-total // 3) + 1)):
            kw = sel | {"sort": sort, "page": page, "page_size": 3}
            assert_same(competencies.matrix(seeded, **kw), reference_matrix(seeded, **kw))
