"""The competency matrix served a page at a time, and the level distribution with its single-supplier flags.

On the market of market_rows: c1 One ApS (A.1 3, B.1 2: strength 5), c2 Two ApS (A.2 2, B.1 1: 3),
c3 Three AB (B.1 3: 3), c4 Four AB (A.1 at level 0 only: not in the matrix).
"""
from __future__ import annotations

import pandas as pd
import pytest

from analytics import competencies
from analytics.market_filters import InvalidSelection
from tests.analytics.market_rows import build


@pytest.fixture(scope="module")
def market():
    con = build()
    yield con
    con.close()


def order(cells: pd.DataFrame) -> list[str]:
    return cells.drop_duplicates("row_no").sort_values("row_no")["company_id"].tolist()


def test_strongest_first_with_name_as_tie_break(market):
    cells = competencies.matrix(market)
    assert order(cells) == ["c1", "c3", "c2"]  # 5, then 3 and 3 by name (Three < Two)
    assert cells.drop_duplicates("col")["sector_id"].tolist() == ["A.1", "A.2", "B.1", "B.3", "B.2"]
    one = cells[cells["company_id"] == "c1"].set_index("sector_id")["level"].to_dict()
    assert one == {"A.1": 3, "A.2": 0, "B.1": 2, "B.3": 0, "B.2": 0}  # unrecorded = 0


def test_paging(market):
    assert order(competencies.matrix(market, page=2, page_size=2)) == ["c2"]
    assert competencies.matrix(market, page=3, page_size=2).empty  # past the end
    assert competencies.company_count(market) == 3  # c4 has no competency at level 1 or more


def test_sorting_by_name_and_country(market):
    assert order(competencies.matrix(market, sort="name")) == ["c1", "c3", "c2"]
    assert order(competencies.matrix(market, sort="country")) == ["c1", "c2", "c3"]


def test_one_top_sector(market):
    cells = competencies.matrix(market, top_sector="B")
    assert order(cells) == ["c3", "c1", "c2"]  # B only: 3, 2, 1
    assert set(cells["sector_id"]) == {"B.1", "B.2", "B.3"}
    assert competencies.company_count(market, top_sector="A") == 2


def test_filters(market):
    assert order(competencies.matrix(market, countries=["SE"])) == ["c3"]
    assert order(competencies.matrix(market, clusters=["K1"])) == ["c1", "c2"]


def test_bad_matrix_input(market):
    with pytest.raises(InvalidSelection, match="unknown top sector 'A.1'; known: A, B"):
        competencies.matrix(market, top_sector="A.1")
    with pytest.raises(InvalidSelection, match="sort 'size'"):
        competencies.matrix(market, sort="size")
    with pytest.raises(InvalidSelection, match="page 0"):
        competencies.matrix(market, page=0)


def test_level_distribution_and_single_supplier_flags(market):
    dist = competencies.level_distribution(market).set_index("sector_id")
    assert dist.loc["B.1", ["level_1", "level_2", "level_3", "coverage"]].tolist() == [1, 1, 1, 2]
    assert not dist.loc["B.1", "single_supplier_risk"]
    assert dist.loc["A.1", "coverage"] == 1 and dist.loc["A.1", "sole_supplier"] == "One ApS (DK)"
    assert dist.loc["B.2", "coverage"] == 0 and pd.isna(dist.loc["B.2", "sole_supplier"])
    risks = competencies.single_supplier_risks(competencies.level_distribution(market))
    assert risks["sector"].tolist() == ["Alpha one", "Alpha two", "Beta three", "Beta two"]


def test_sector_choices_list_tops_then_their_sub_sectors(market):
    choices = competencies.sector_choices(market)
    assert choices["sector_id"].tolist() == ["A", "A.1", "A.2", "B", "B.1", "B.3", "B.2"]
    assert choices.iloc[1]["label"] == "Alpha › Alpha one"
