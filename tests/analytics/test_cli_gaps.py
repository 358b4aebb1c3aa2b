"""`python -m analytics gaps`: one row per sector, JSON equal to the analytics, one-line errors with exit 1."""
from __future__ import annotations

import json

import pytest

from analytics import gaps
from tests.analytics.test_cli import cli


def test_gaps_json_matches_the_analytics(seeded_db_file, seeded):
    out = cli("gaps", "--bso", "CERN", "--bso", "ESS", "--country", "DK", "--country", "LT", "--json",
              "--db", str(seeded_db_file))
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["selection"]["bsos"] == ["CERN", "ESS"] and data["selection"]["countries"] == ["DK", "LT"]
    expected = gaps.gap_scores(seeded, bsos=["CERN", "ESS"], countries=["DK", "LT"])
    assert [r["sector_id"] for r in data["sectors"]] == expected["sector_id"].tolist()
    first = data["sectors"][0]
    assert set(first) >= {"demand_share", "supply_share", "gap_index", "coverage", "return_coefficient",
                          "return_class", "score"}
    assert first["score"] == pytest.approx(expected["score"].iloc[0])
    no_demand = [r for r in data["sectors"] if r["demand_share"] == 0]
    assert no_demand and all(r["return_coefficient"] is None for r in no_demand)  # no awards: null, not NaN


def test_gaps_table_has_one_row_per_sector(seeded_db_file):
    out = cli("gaps", "--top", "--db", str(seeded_db_file))
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "Sector gap scores · BSOs: all · years: all · clusters: all · countries: all"
    assert lines[1].split() == ["rank", "sector_id", "D", "S", "G", "coverage", "single", "return", "class", "score"]
    rows = [line.split()[1] for line in lines[3:8]]
    assert sorted(rows) == ["ELEC", "ENER", "ICT", "MECH", "SPACE"]


@pytest.mark.parametrize("args, message", [
    (["--bso", "NOPE"], "error: unknown BSO 'NOPE'; known: CERN, ELI, EMBL, ESA, ESO, ESRF, ESS, F4E, FAIR, ILL, "
                        "ITER, SKAO, XFEL"),
    (["--country", "XX"], "error: countries 'XX': 'XX' is not an ISO 3166 alpha-2 country code (e.g. DK, ES, LT)"),
    (["--country", "IS"], "error: no companies match (clusters: all · countries: IS), so supply shares cannot be "
                          "formed: widen the cluster or country filter"),
    (["--bso", "ESA", "--year", "1999"], "error: no demand recorded for this selection (BSOs: ESA · years: 1999 · "
                                         "clusters: all · countries: all): choose other BSOs or years"),
])
def test_bad_selection_is_one_line_and_exit_1(seeded_db_file, args, message):
    out = cli("gaps", *args, "--db", str(seeded_db_file))
    assert out.returncode == 1
    assert out.stderr.strip() == message
    assert out.stdout == ""
