"""The label ladder against hand-computed dates (analytics.labels).

Project TEST runs 1 January 2021 to 30 June 2023. Its clusters and their awards:

  Alpha    bronze 15.01.2021-14.01.2023: lapses 15.01.2023, before the end; silver from 15.07.2022
  Beta     bronze 30.12.2021-29.12.2023: silver from 30.06.2023 = the project end day: reachable
  Gamma    bronze 01.01.2022-31.12.2023: silver from 01.07.2023, one day after the end: not reachable
  Iota     bronze 31.12.2021-30.12.2023: 18 months later is 30.06.2023 (June has no 31st): reachable
  Delta    bronze 10.01.2020, silver 09.07.2021: one day short of 18 months (breaks the ladder)
  Eta      bronze 10.01.2020, silver 10.07.2021: exactly 18 months after (allowed)
  Zeta     silver 01.05.2020-30.04.2022, gold 02.05.2022-01.05.2024
  Theta    bronze 01.02.2021-02.02.2023: one day longer than 2 years (flagged)
  Epsilon  no label
"""
from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from analytics import labels, loader
from tests.analytics.builders import build, kpi
from tests.analytics.participation_rows import label, partner, project

T = date(2022, 1, 1)
CLUSTERS = ["Alpha", "Beta", "Gamma", "Delta", "Eta", "Zeta", "Theta", "Epsilon", "Iota"]


@pytest.fixture(scope="module")
def con():
    c = build(
        projects=[project(end="2023-06-30")],
        partners=[partner(name) for name in CLUSTERS],
        kpis=[kpi("LAB", "labels_awarded", 9, min_label_level="bronze")],
        label_awards=[
            label("Alpha", "bronze", "2021-01-15", "2023-01-14"),
            label("Beta", "bronze", "2021-12-30", "2023-12-29"),
            label("Gamma", "bronze", "2022-01-01", "2023-12-31"),
            label("Iota", "bronze", "2021-12-31", "2023-12-30"),
            label("Delta", "bronze", "2020-01-10", "2022-01-09"),
            label("Delta", "silver", "2021-07-09", "2023-06-08"),
            label("Eta", "bronze", "2020-01-10", "2022-01-09"),
            label("Eta", "silver", "2021-07-10", "2023-07-09"),
            label("Zeta", "silver", "2020-05-01", "2022-04-30"),
            label("Zeta", "gold", "2022-05-02", "2024-05-01"),
            label("Theta", "bronze", "2021-02-01", "2023-02-02"),
        ],
    )
    yield c
    c.close()


def status(con, as_of=T):
    return labels.cluster_status(con, "TEST", as_of).set_index("organisation")


def test_label_lapsing_before_the_project_end(con):
    alpha = status(con).loc["Alpha"]
    assert (alpha["state"], alpha["label"]) == ("valid", "bronze")
    assert alpha["held_until"].date() == date(2023, 1, 14)
    assert alpha["lapse_on"].date() == date(2023, 1, 15)
    assert alpha["lapses_before_end"]
    assert not status(con).loc["Beta"]["lapses_before_end"]  # holds until 29.12.2023, after the end


def test_label_expiring_on_the_as_of_date_is_still_valid_that_day(con):
    on_the_day = status(con, date(2023, 1, 14)).loc["Alpha"]
    assert (on_the_day["state"], on_the_day["label"]) == ("valid", "bronze")
    day_after = status(con, date(2023, 1, 15)).loc["Alpha"]
    assert day_after["state"] == "lapsed"
    assert day_after["lapse_on"].date() == date(2023, 1, 15)
    # The KPI engine agrees: Alpha counts on the 14th and not on the 15th (Epsilon never does).
    assert labels.label_kpis(con, "TEST", date(2023, 1, 14)).iloc[0]["actual"] == 8
    assert labels.label_kpis(con, "TEST", date(2023, 1, 15)).iloc[0]["actual"] == 7


def test_18_month_boundary_silver_on_the_project_end_day_is_reachable(con):
    beta = status(con).loc["Beta"]
    assert beta["next_level"] == "silver"
    assert beta["earliest_upgrade_on"].date() == date(2023, 6, 30)
    assert beta["upgrade_reachable"]
    assert beta["upgrade_note"] == "silver possible from 30.06.2023 (18 months after the first bronze of 30.12.2021)"


def test_18_month_boundary_one_day_after_the_end_is_not_reachable(con):
    gamma = status(con).loc["Gamma"]
    assert gamma["earliest_upgrade_on"].date() == date(2023, 7, 1)
    assert not gamma["upgrade_reachable"]
    assert gamma["upgrade_note"] == ("silver not before 01.07.2023 (18 months after the first bronze of 01.01.2022), "
                                     "after the project end (30.06.2023)")


def test_18_months_from_the_31st_end_on_the_last_day_of_a_shorter_month(con):
    iota = status(con).loc["Iota"]
    assert iota["earliest_upgrade_on"].date() == date(2023, 6, 30)
    assert iota["upgrade_reachable"]


def test_silver_once_the_18_months_have_passed_is_possible_now(con):
    alpha = status(con, date(2022, 8, 1)).loc["Alpha"]
    assert alpha["earliest_upgrade_on"].date() == date(2022, 8, 1)
    assert alpha["upgrade_note"] == "silver possible now: 18 months after the first bronze of 15.01.2021 have passed"


def test_next_steps_up_the_ladder(con):
    s = status(con)
    assert (s.loc["Epsilon", "state"], s.loc["Epsilon", "next_level"]) == ("none", "bronze")
    assert s.loc["Epsilon", "earliest_upgrade_on"].date() == T
    assert (s.loc["Delta", "label"], s.loc["Delta", "next_level"]) == ("silver", "gold")  # highest valid level
    assert s.loc["Delta", "upgrade_reachable"]
    assert s.loc["Zeta", "label"] == "silver"  # the gold of 02.05.2022 is not on record yet
    gold = status(con, date(2022, 6, 1)).loc["Zeta"]
    assert (gold["label"], gold["upgrade_note"]) == ("gold", "gold held: the top of the ladder")
    assert pd.isna(gold["next_level"])
    assert not gold["upgrade_reachable"]


def test_summary_counts(con):
    # Lapsing: Alpha, Delta, Theta, Zeta. Not upgradable: Gamma (its silver comes after the end).
    assert labels.summary(con, "TEST", T) == {"clusters": 9, "valid": 8, "lapsing": 4, "upgradable": 8}


def test_ladder_problems_silver_too_early_and_validity_too_long(con):
    problems = labels.ladder_problems(con, "TEST", date(2023, 6, 30))
    assert problems[["organisation", "rule", "message"]].values.tolist() == [
        ["Delta", "silver_too_early", "silver assessed 17 months after the first bronze of 10.01.2020: at least 18 are needed"],
        ["Theta", "valid_too_long", "bronze label valid until 02.02.2023: more than 2 years after its assessment on 01.02.2021"],
    ]  # Eta's silver, exactly 18 months after its bronze, is allowed


def test_attention_items_lapses_while_the_project_runs_and_ladder_problems(con):
    items = labels.attention_items(con, "TEST", T)
    rows = sorted(zip(items["what"], items["since"].dt.date))
    assert rows == [
        ("Alpha: bronze label lapses on 15.01.2023, before the project ends on 30.06.2023", date(2021, 1, 15)),
        ("Delta: silver assessed 17 months after the first bronze of 10.01.2020: at least 18 are needed", date(2021, 7, 9)),
        ("Delta: silver label lapses on 09.06.2023, before the project ends on 30.06.2023", date(2021, 7, 9)),
        ("Theta: bronze label lapses on 03.02.2023, before the project ends on 30.06.2023", date(2021, 2, 1)),
        ("Theta: bronze label valid until 02.02.2023: more than 2 years after its assessment on 01.02.2021",
         date(2021, 2, 1)),
        ("Zeta: silver label lapses on 01.05.2022, before the project ends on 30.06.2023", date(2021, 1, 1)),
    ]
    lapsed = labels.attention_items(con, "TEST", date(2023, 2, 1))
    assert ("Alpha: label lapsed on 15.01.2023, no valid label since", date(2023, 1, 15)) in set(
        zip(lapsed["what"], lapsed["since"].dt.date))
    after_end = labels.attention_items(con, "TEST", date(2023, 7, 1))
    assert not after_end["what"].str.contains("lapse").any()  # the project is over: lapses no longer matter


def test_history_shows_only_awards_on_record(con):
    h = labels.history(con, "TEST", T)
    assert len(h) == 10  # Zeta's gold (02.05.2022) comes later
    assert h.set_index(["organisation", "level"]).loc[("Delta", "bronze"), "state"] == "valid"  # until 09.01.2022


def test_import_rejects_a_label_valid_until_before_its_assessment(con):
    with pytest.raises(loader.LoadError, match="valid_until 2021-01-01 precedes assessed_on 2021-06-01"):
        loader.load(con, {"label_awards": ("labels.csv", [label("Epsilon", "bronze", "2021-06-01", "2021-01-01")], 2)})
    assert status(con).loc["Epsilon", "state"] == "none"


def test_seed_ineustar_bronze_lapses_before_biginn_ends(seeded):
    ineustar = labels.cluster_status(seeded, "BIGINN", date(2023, 1, 1)).set_index("organisation").loc["INEUSTAR"]
    assert ineustar["lapses_before_end"] and ineustar["lapse_on"].date() == date(2023, 5, 1)


# The Needs-attention findings as they were read from the Labels page's full cluster status (with
# the ladder's first bronze found by a correlated subquery), before the lean statement (issue 8).
_FORMER_LADDER = f"""
        WITH {labels._AWARDS},
        silvers AS (
            SELECT a.*, (SELECT min(b.assessed_on) FROM a b WHERE b.project_id = a.project_id
                         AND b.organisation = a.organisation AND b.level = 'bronze' AND b.assessed_on < a.assessed_on)
                        AS first_bronze_on
            FROM a WHERE a.level = 'silver'
        )
        SELECT project_id, organisation, level, assessed_on, 'silver_too_early' AS rule,
               format('silver assessed {{}} months after the first bronze of {{}}: at least 18 are needed',
                      date_sub('month', first_bronze_on, assessed_on), strftime(first_bronze_on, '%d.%m.%Y')) AS message
        FROM silvers
        WHERE assessed_on < CAST(first_bronze_on + to_months(18) AS DATE)
        UNION ALL
        SELECT project_id, organisation, level, assessed_on, 'valid_too_long',
               format('{{}} label valid until {{}}: more than 2 years after its assessment on {{}}',
                      level, strftime(valid_until, '%d.%m.%Y'), strftime(assessed_on, '%d.%m.%Y'))
        FROM a WHERE valid_until > CAST(assessed_on + to_years(2) AS DATE)
"""
_FORMER_ATTENTION = f"""
    SELECT project_id, 'medium' AS severity, 'Labels' AS area,
           CASE WHEN state = 'valid'
                THEN format('{{}}: {{}} label lapses on {{}}, before the project ends on {{}}', organisation,
                            label, strftime(lapse_on, '%d.%m.%Y'), strftime(project_end, '%d.%m.%Y'))
                ELSE format('{{}}: label lapsed on {{}}, no valid label since', organisation,
                            strftime(lapse_on, '%d.%m.%Y')) END AS what,
           CASE WHEN state = 'valid' THEN least(greatest(held_since, project_start), $as_of) ELSE lapse_on END AS since
    FROM ({labels._STATUS}) WHERE lapses_before_end AND $as_of <= project_end
    UNION ALL
    SELECT project_id, 'medium', 'Labels', format('{{}}: {{}}', organisation, message), assessed_on
    FROM ({_FORMER_LADDER})
"""


@pytest.mark.parametrize("database", ["seeded", "small"])
def test_the_lean_findings_equal_the_former_statement(request, database):
    """The portfolio's label findings and the page's ladder problems, read lean, are the rows the
    full cluster status and the correlated ladder gave, for every project at dates from before
    the first award to after the last project end."""
    con = request.getfixturevalue(database)
    projects = [r[0] for r in con.execute("SELECT project_id FROM projects ORDER BY ALL").fetchall()]
    lo, hi = con.execute("SELECT min(assessed_on), max(valid_until) FROM label_awards").fetchone()
    days = [lo - timedelta(days=1) + timedelta(days=n) for n in range(0, (hi - lo).days + 3, 41)] + [hi, hi + timedelta(days=1)]
    order = "ORDER BY ALL"
    found = 0
    for day in days:
        params = {"projects": projects, "as_of": day}
        lean = con.execute(f"SELECT * FROM ({labels.ATTENTION_SQL}) {order}", params).fetchall()
        assert lean == con.execute(f"SELECT * FROM ({_FORMER_ATTENTION}) {order}", params).fetchall(), day
        ladder = con.execute(f"SELECT * FROM ({labels._LADDER}) {order}", params).fetchall()
        assert ladder == con.execute(f"SELECT * FROM ({_FORMER_LADDER}) {order}", params).fetchall(), day
        found += len(lean)
    assert found > len(days)  # the dates have findings to compare
