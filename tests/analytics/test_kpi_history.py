"""Since when a KPI has been off track (analytics.kpi_history): the kept off-track runs, equal to
the runs found live from the statuses at the month-ends, kept current by the loader, read live
when a write went around the loader or other thresholds are asked for.

The case by hand (project TEST, 01.01-31.12.2021: 364 days from start to due): KPI TRN, managers
trained, target 12 on a straight ramp (expected at t = 12 x days since the start / 364); one
person trained on 10.01, five more on 20.05. Pace = actual / expected; on track from 0.9, at risk
from 0.7, off track below:

    month-end  days  expected  actual  pace   status
    31.01       30    0.989     1      1.01   on track
    28.02       58    1.912     1      0.52   off track   <- run 1 starts
    31.03       89    2.934     1      0.34   off track
    30.04      119    3.923     1      0.25   off track
    31.05      150    4.945     6      1.21   on track
    30.06      180    5.934     6      1.01   on track
    31.07      211    6.956     6      0.86   at risk
    31.08      242    7.978     6      0.75   at risk
    30.09      272    8.967     6      0.67   off track   <- run 2 starts
    31.10      303    9.989     6      0.60   off track
    30.11      333   10.978     6      0.55   off track
    31.12      364   12         6      0.50   off track (the due date: not yet overdue)
"""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analytics import attention, kpi_history, loader, store
from analytics.bench import generator
from analytics.kpis import evaluation
from analytics.settings import StatusThresholds
from tests.analytics.builders import build, kpi, training

RUN_1 = [date(2021, 2, 28), date(2021, 3, 31), date(2021, 4, 30)]
RUN_2 = [date(2021, 9, 30), date(2021, 10, 31), date(2021, 11, 30), date(2021, 12, 31)]


@pytest.fixture
def trn():
    people = [training("P0", "2021-01-10")] + [training(f"P{i}", "2021-05-20") for i in range(1, 6)]
    return build(kpis=[kpi("TRN", "managers_trained", 12)], trainings=people)


def runs(con) -> list[tuple]:
    return con.execute("SELECT code, month_end, run_start FROM kpi_off_track_runs ORDER BY ALL").fetchall()


def since(con, day: date, thresholds: StatusThresholds | None = None) -> dict:
    """{code: since} (project/code beyond project TEST) for the KPIs off track on ``day`` with a run
    before it, as the list reads them."""
    sql, params = evaluation(con, [day], thresholds=thresholds, columns=attention._NOW_COLUMNS)
    found = kpi_history.off_since(con, con.execute(sql, params).df(), day, thresholds)
    return {row.code if row.project_id == "TEST" else f"{row.project_id}/{row.code}": pd.Timestamp(row.since).date()
            for row in found.itertuples()}


def live_since(con, day: date, monkeypatch, thresholds: StatusThresholds | None = None) -> dict:
    """The same found from the statuses at the month-ends, not read from the kept runs."""
    with monkeypatch.context() as m:
        m.setattr(kpi_history, "fresh", lambda *args, **kwargs: False)
        return since(con, day, thresholds)


def test_the_kept_runs_by_hand(trn):
    assert kpi_history.fresh(trn)
    assert runs(trn) == [("TRN", d, RUN_1[0]) for d in RUN_1] + [("TRN", d, RUN_2[0]) for d in RUN_2]


@pytest.mark.parametrize("day, expected", [
    (date(2021, 1, 20), {}),  # on track
    (date(2021, 2, 28), {}),  # off track on a month-end, the one before (31.01) on track: since the as-of date
    (date(2021, 3, 1), {"TRN": RUN_1[0]}),  # the month-end before is 28.02, the run's first
    (date(2021, 4, 15), {"TRN": RUN_1[0]}),
    (date(2021, 9, 20), {}),  # off track since 31.08 was at risk: since the as-of date
    (date(2021, 10, 15), {"TRN": RUN_2[0]}),
    (date(2021, 12, 31), {"TRN": RUN_2[0]}),  # the due date
    (date(2022, 1, 1), {}),  # after the due date: overdue, not off track
])
def test_since_by_hand(trn, monkeypatch, day, expected):
    assert since(trn, day) == expected
    assert live_since(trn, day, monkeypatch) == expected


def test_the_list_says_since_when(trn):
    items = attention.needs_attention(trn, date(2021, 4, 15))
    off = items[items["what"].str.contains("off track")]
    assert off["since"].tolist() == [date(2021, 2, 28)]
    items = attention.needs_attention(trn, date(2021, 9, 20))
    assert items[items["what"].str.contains("off track")]["since"].tolist() == [date(2021, 9, 20)]


@pytest.mark.parametrize("day", [date(2018, 3, 15), date(2019, 1, 31), date(2020, 2, 29), generator.BENCH_AS_OF,
                                 date(2023, 6, 1)])
def test_kept_equal_live_at_scale_s(small, monkeypatch, day):
    assert kpi_history.fresh(small)
    kept = since(small, day)
    assert kept == live_since(small, day, monkeypatch)
    assert day < date(2019, 1, 1) or kept  # the dates with runs are most of them


@pytest.mark.parametrize("day", [date(2020, 6, 30), date(2021, 6, 30), date(2022, 3, 1)])
def test_kept_equal_live_on_the_seed(seeded, monkeypatch, day):
    assert since(seeded, day) == live_since(seeded, day, monkeypatch)


# Two more people trained on 15.03: 3 of 2.934 expected on 31.03 and 8 from 20.05, at risk or on
# track until 31.12 (8 of 12: 0.67): off track on 28.02 and on the due date only.
AFTER_TWO_MORE = [("TRN", date(2021, 2, 28), date(2021, 2, 28)), ("TRN", date(2021, 12, 31), date(2021, 12, 31))]


def test_a_write_through_the_loader_keeps_them_current(trn, monkeypatch):
    assert since(trn, date(2021, 4, 15)) == {"TRN": RUN_1[0]}
    loader.load(trn, {"trainings": ("more.csv", [training(f"Q{i}", "2021-03-15") for i in range(2)], 2)})
    assert kpi_history.fresh(trn)
    assert runs(trn) == AFTER_TWO_MORE
    # 15.04: 3 of 3.429 expected, at risk
    assert since(trn, date(2021, 4, 15)) == live_since(trn, date(2021, 4, 15), monkeypatch) == {}


def test_a_write_around_the_loader_is_read_live_until_healed(trn):
    trn.execute("INSERT INTO trainings SELECT t.* REPLACE ('Q' || i AS person, DATE '2021-03-15' AS trained_on) "
                "FROM trainings t, range(2) r(i) WHERE t.person = 'P0'")
    assert not kpi_history.fresh(trn)
    assert since(trn, date(2021, 4, 15)) == {}  # live: the kept runs still say since 28.02
    loader.after_write(trn, set())  # what the next write through the loader does
    assert kpi_history.fresh(trn)
    assert runs(trn) == AFTER_TWO_MORE


def test_other_thresholds_are_read_live(trn):
    lenient = StatusThresholds(on_track=0.5, at_risk=0.3)
    assert kpi_history.fresh(trn) and not kpi_history.fresh(trn, lenient)
    # pace 0.34 on 31.03 and 0.25 on 30.04: off track only from 30.04 under these thresholds
    assert since(trn, date(2021, 4, 15), lenient) == {}  # 31.03 at risk (0.34), 15.04 off track (0.29)
    assert since(trn, date(2021, 5, 1), lenient) == {"TRN": date(2021, 4, 30)}
    assert since(trn, date(2021, 5, 1)) == {"TRN": RUN_1[0]}  # the default thresholds: since 28.02


def test_a_write_evaluates_again_only_the_kpis_it_can_change(trn, monkeypatch):
    loader.load(trn, {"kpis": ("k.csv", [kpi("EXC", "exchanges", 4)], 2)})
    evaluated = []
    real = kpi_history._evaluate_again
    monkeypatch.setattr(kpi_history, "_evaluate_again", lambda con, keys: (evaluated.append(keys), real(con, keys)))
    loader.load(trn, {"trainings": ("more.csv", [training("Q1", "2021-03-15")], 2)})
    assert evaluated == [[("TEST", "TRN")]]  # the trainings feed TRN only
    loader.load(trn, {"kpis": ("k.csv", [kpi("EXC", "exchanges", 5)], 2)})
    assert evaluated[-1] == [("TEST", "EXC"), ("TEST", "TRN")]  # a definition: the whole project


def test_a_database_from_before_the_table_is_healed_on_migration(tmp_path):
    con = store.connect(tmp_path / "old.duckdb", read_only=False)
    store.migrate(con)
    people = [training("P0", "2021-01-10")] + [training(f"P{i}", "2021-05-20") for i in range(1, 6)]
    from tests.analytics.builders import PARTNERS, PROJECT
    loader.load(con, {"projects": ("p.csv", [PROJECT], 2), "partners": ("pa.csv", PARTNERS, 2),
                      "kpis": ("k.csv", [kpi("TRN", "managers_trained", 12)], 2), "trainings": ("t.csv", people, 2)})
    con.execute("DROP TABLE kpi_off_track_runs; DROP TABLE kpi_history_sources; DROP TABLE kpi_history_thresholds; "
                "DELETE FROM schema_version WHERE version = 75")
    assert store.migrate(con) == ["075_kpi_off_track_runs.sql"]
    assert kpi_history.fresh(con)
    assert len(runs(con)) == len(RUN_1) + len(RUN_2)
    con.close()
