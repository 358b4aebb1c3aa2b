"""The Big Science seed: facts carry their source, everything else is flagged, the generator is reproducible."""
from __future__ import annotations

import pytest

from analytics import bigscience_sample as sample
from analytics.seed import SEED_DIR

TABLES = ("bsos", "sectors", "bso_demand", "companies", "competencies", "contributions", "awards")


def test_committed_csvs_are_what_the_generator_writes():
    generated = sample.tables()
    for table in TABLES:
        committed = (SEED_DIR / f"{table}.csv").read_bytes().decode("utf-8")
        assert committed == sample.render(generated[table]), f"{table}.csv differs: run python -m analytics.bigscience_sample"


def test_seed_stays_small():
    assert sum((SEED_DIR / f"{t}.csv").stat().st_size for t in TABLES) < 2_000_000


def test_bsos_include_the_forum_organisations_and_the_ids_the_grant_seed_uses(seeded):
    ids = {r[0] for r in seeded.execute("SELECT bso_id FROM bsos").fetchall()}
    assert {"CERN", "ITER", "F4E", "ESS", "ELI", "ESA", "EMBL", "ESO", "ESRF", "XFEL", "ILL", "FAIR", "SKAO"} <= ids
    used = seeded.execute("SELECT bso_id FROM missions WHERE bso_id IS NOT NULL UNION "
                          "SELECT bso_id FROM exchanges WHERE bso_id IS NOT NULL").fetchall()
    assert {r[0] for r in used} <= ids


def test_bso_budgets_are_the_domain_facts(seeded):
    budget = dict(seeded.execute("SELECT bso_id, yearly_budget_eur FROM bsos").fetchall())
    assert budget["ESA"] == 7.79e9 and budget["F4E"] == 450e6
    assert budget["CERN"] is None  # CHF figures, not converted: in the note instead
    notes = dict(seeded.execute("SELECT bso_id, budget_note FROM bsos").fetchall())
    assert "CHF 1.2 bn" in notes["CERN"] and "1.843 bn" in notes["ESS"]
    assert seeded.execute("SELECT count(*) FROM bsos WHERE source IS NULL").fetchone()[0] == 0


def test_enriitc_top_sectors_in_rank_order(seeded):
    tops = seeded.execute("SELECT sector_id, enriitc_rank FROM sectors WHERE parent_id IS NULL ORDER BY 2").fetchall()
    assert tops == [("ELEC", 1), ("MECH", 2), ("ENER", 3), ("ICT", 4), ("SPACE", 5)]
    subs = {r[0] for r in seeded.execute("SELECT name FROM sectors WHERE parent_id IS NOT NULL").fetchall()}
    assert {"Vacuum", "Cryogenics", "Magnets", "Radio-frequency systems", "Power converters", "Beam instrumentation",
            "Controls", "Civil engineering", "Cooling and ventilation", "Radiation shielding",
            "Robotics and remote handling"} <= subs


def test_demand_is_all_estimate_and_sample_with_its_method(seeded):
    flags = seeded.execute("SELECT bool_and(is_estimate), bool_and(is_sample), "
                           "bool_and(source LIKE 'estimate:%ENRIITC rank weight%') FROM bso_demand").fetchone()
    assert flags == (True, True, True)


def test_esa_demand_follows_its_real_programme_split(seeded):
    share = dict(seeded.execute(
        "SELECT sector_id, demand_eur / sum(demand_eur) OVER () FROM bso_demand WHERE bso_id = 'ESA' AND year = 2024"
    ).fetchall())
    assert share["SPACE.EO"] == pytest.approx(0.305, abs=1e-4)
    assert share["SPACE.NAV"] == pytest.approx(0.135, abs=1e-4)


def test_demand_split_sums_to_the_volume():
    for bso in sample.ASSUMED_VOLUMES:
        assert sum(sample.sector_split(bso).values()) == pytest.approx(1.0)


def test_contribution_facts_are_marked_check_and_the_rest_sample(seeded):
    cern = dict(seeded.execute("SELECT country, share FROM contributions WHERE bso_id = 'CERN' AND NOT is_sample").fetchall())
    assert cern["DE"] == 0.1988 and cern["GR"] == 0.0196 and len(cern) == 13
    ess = dict(seeded.execute("SELECT country, share FROM contributions WHERE bso_id = 'ESS' AND NOT is_sample").fetchall())
    assert ess == {"SE": 0.35, "DK": 0.125, "UK": 0.10, "FR": 0.08, "IT": 0.06, "ES": 0.05}
    assert seeded.execute("SELECT bool_and(source LIKE '%(check)%') FROM contributions WHERE NOT is_sample").fetchone()[0]
    assert seeded.execute("SELECT bool_and(is_sample) FROM awards").fetchone()[0]


def test_companies_hundreds_of_sample_rows_in_the_biginn_countries_and_more(seeded):
    n, countries, flagged = seeded.execute(
        "SELECT count(*), count(DISTINCT country), bool_and(is_sample) FROM companies").fetchone()
    assert n >= 300 and countries >= 10 and flagged
    clusters = dict(seeded.execute("SELECT cluster, any_value(country) FROM companies WHERE cluster IS NOT NULL "
                                   "GROUP BY cluster").fetchall())
    assert clusters == {"BigScience.dk": "DK", "INEUSTAR": "ES", "LITEK": "LT"}
    suffixes = seeded.execute("SELECT count(*) FROM companies WHERE regexp_matches(name, "
                              "' (ApS|A/S|S\\.L\\.|S\\.A\\.|UAB|AB|Oy|GmbH|SAS|Sp\\. z o\\.o\\.|s\\.r\\.o\\.|S\\.r\\.l\\.|"
                              "S\\.p\\.A\\.|B\\.V\\.|NV|SRL|AS|OÜ|SIA|Institute)$')").fetchone()[0]
    assert suffixes == n
    assert seeded.execute("SELECT count(DISTINCT name) FROM companies").fetchone()[0] == n


def test_the_sample_shows_a_single_supplier_risk(seeded):
    coverage = seeded.execute("SELECT count(*) FROM competencies WHERE sector_id = 'ENER.HEAT' AND level >= 2").fetchone()
    assert coverage == (1,)
