"""The sample badges count only what their page shows (seed: CE4BIG has 7 sample label awards
among its partners, BIGINN 3; the shared Big Science tables are not the portfolio's)."""
from __future__ import annotations

from analytics import sample, seed, store


def test_labels_page_counts_the_projects_partners_only(seeded):
    assert sample.sample_labels(seeded, "CE4BIG") == {"label_awards": 7}
    assert sample.sample_labels(seeded, "BIGINN") == {"label_awards": 3}
    assert sample.sample_counts(seeded)["label_awards"] == 10  # all of them, before the filter


def test_portfolio_leaves_out_the_big_science_tables(seeded):
    shown = sample.project_tables_only(sample.sample_counts(seeded))
    assert not {"companies", "competencies", "bso_demand", "awards", "contributions"} & set(shown)
    assert shown["expenses"] == 608 and shown["label_awards"] == 10


def test_no_sample_rows_no_badge():
    con = store.memory()
    seed.seed(con, include_sample=False)
    assert sample.sample_labels(con, "CE4BIG") == {}
    assert sample.project_tables_only(sample.sample_counts(con)) == {}
