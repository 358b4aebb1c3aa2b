"""Each KPI's actual kept as a step function of the date (analytics.kpi_steps): the intervals by
hand for every kind of aggregate, the evaluation read from them equal to the live statement at
every date, kept current by the loader, read live when a write went around it, and built for a
database from before the table.

The case by hand (project TEST, 01.01-31.12.2021, due date = end):
- TRN, managers trained (distinct people): P0 on 10.01; P1 and P0 again (another course) on
  05.03; P2 on 01.06. Steps: from 10.01 1 person (1 record), from 05.03 2 (3 records), from 01.06
  3 (4 records).
- BUD, budget spent (sum, with 7 % flat-rate indirect costs on A, none on B): A 1,000.00 on 01.02,
  B 500.00 on 20.05. Steps: from 01.02 1,070.00, from 20.05 1,570.00.
- PLN, strategic plans (manual, baseline 1): check-ins 2 on 01.02, 3 on 01.07. Steps: from 01.02
  2, from 01.07 3; before 01.02 the baseline, 1.
- LAB, labels (valid on min(day, due date)): Alpha Cluster bronze 01.03.2020-28.02.2022, Beta
  Cluster silver 01.04.2021-30.09.2021. Change days: each assessment and the day after each
  lapse. Steps: from 01.03.2020 1; from 01.04.2021 2; from 01.10.2021 1 (Beta lapsed on 30.09,
  its last valid day); from 01.03.2022 still 1: after the due date labels are counted on the due
  date, when Alpha's was still valid.
- SLV, labels at silver or above: Beta only. From 01.04.2021 1, from 01.10.2021 0.
"""
from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from analytics import kpi_history, kpi_sql, kpi_steps, kpis, loader, portfolio, store
from analytics.arrow_reads import used
from tests.analytics.builders import PARTNERS, PROJECT, build, kpi, training

OPEN = date(9999, 12, 31)


def expense(n: int, amount: str, on: str, category: str) -> dict:
    return {"expense_id": f"E{n}", "project_id": "TEST", "partner": "Alpha Cluster", "category": category,
            "amount": amount, "spent_on": on}


def checkin(on: str, value: float) -> dict:
    return {"project_id": "TEST", "code": "PLN", "checked_on": on, "value": value, "confidence": "on_track"}


def label(org: str, level: str, on: str, until: str) -> dict:
    return {"organisation": org, "level": level, "assessed_on": on, "valid_until": until}


TABLES = {
    "kpis": [kpi("TRN", "managers_trained", 8), kpi("BUD", "budget_spent", 12700),
             kpi("PLN", "manual", 4, baseline=1), kpi("LAB", "labels_awarded", 2),
             kpi("SLV", "labels_awarded", 2, min_label_level="silver"), kpi("EXC", "exchanges", 5)],
    "trainings": [training("P0", "2021-01-10"), training("P1", "2021-03-05"),
                  training("P0", "2021-03-05", course="Second course"), training("P2", "2021-06-01")],
    "expenses": [expense(1, "1000.00", "2021-02-01", "A"), expense(2, "500.00", "2021-05-20", "B")],
    "checkins": [checkin("2021-02-01", 2), checkin("2021-07-01", 3)],
    "label_awards": [label("Alpha Cluster", "bronze", "2020-03-01", "2022-02-28"),
                     label("Beta Cluster", "silver", "2021-04-01", "2021-09-30")],
}

D = date.fromisoformat
STEPS = {  # (d_from, d_to, actual, records, last_record_on)
    "TRN": [(D("2021-01-10"), D("2021-03-05"), 1, 1, D("2021-01-10")),
            (D("2021-03-05"), D("2021-06-01"), 2, 3, D("2021-03-05")),
            (D("2021-06-01"), OPEN, 3, 4, D("2021-06-01"))],
    "BUD": [(D("2021-02-01"), D("2021-05-20"), 1070.0, 1, D("2021-02-01")),
            (D("2021-05-20"), OPEN, 1570.0, 2, D("2021-05-20"))],
    "PLN": [(D("2021-02-01"), D("2021-07-01"), 2, 1, D("2021-02-01")),
            (D("2021-07-01"), OPEN, 3, 2, D("2021-07-01"))],
    "LAB": [(D("2020-03-01"), D("2021-04-01"), 1, 1, D("2020-03-01")),
            (D("2021-04-01"), D("2021-10-01"), 2, 2, D("2021-04-01")),
            (D("2021-10-01"), D("2022-03-01"), 1, 2, D("2021-04-01")),
            (D("2022-03-01"), OPEN, 1, 2, D("2021-04-01"))],
    "SLV": [(D("2021-04-01"), D("2021-10-01"), 1, 1, D("2021-04-01")),
            (D("2021-10-01"), OPEN, 0, 1, D("2021-04-01"))],
}


@pytest.fixture
def con():
    return build(**TABLES)


def steps(con) -> dict[str, list[tuple]]:
    rows = con.execute("SELECT code, d_from, d_to, actual, records, last_record_on FROM kpi_steps "
                       "WHERE project_id = 'TEST' ORDER BY code, d_from").fetchall()
    found: dict[str, list[tuple]] = {}
    for code, *rest in rows:
        found.setdefault(code, []).append(tuple(rest))
    return found


def rebuilt(con) -> list[tuple]:
    """kpi_steps as a rebuild from scratch gives it (rolled back)."""
    con.execute("BEGIN")
    try:
        kpi_steps.refresh(con, None)
        return sorted(con.execute("SELECT * FROM kpi_steps").fetchall())
    finally:
        con.execute("ROLLBACK")


def kept_rows(con) -> list[tuple]:
    return sorted(con.execute("SELECT * FROM kpi_steps").fetchall())


def read_kept(con, dates, **kw) -> pd.DataFrame:
    sql, params = kpis.evaluation(con, dates, **kw)
    assert "steps_lo" in params, "the evaluation should read the kept steps"
    return con.execute(sql, params).df()


def read_live(con, dates, project_ids=None) -> pd.DataFrame:
    """The same evaluation without the kept steps (the statement a stale database runs)."""
    params = kpis.evaluation_params(con, dates, project_ids, None)
    fresh = params.pop("_fresh")
    params.pop("_kept")
    sql = kpi_sql.evaluation_sql(filtered=project_ids is not None, is_fresh=fresh, columns=list(kpi_sql.COLUMNS),
                                 dates=list(dates))
    return con.execute(sql, used(sql, params)).df()


def test_the_steps_by_hand(con):
    assert steps(con) == STEPS  # EXC has no exchange: no interval, nothing on record


@pytest.mark.parametrize("day, expected", [
    # before any record: 0, and the baseline for the check-in measure
    (date(2021, 1, 9), {"TRN": (0, 0), "BUD": (0, 0), "PLN": (1, 0), "LAB": (1, 1), "SLV": (0, 0), "EXC": (0, 0)}),
    # the first day of an interval counts it (d_from inclusive)
    (date(2021, 1, 10), {"TRN": (1, 1), "BUD": (0, 0), "PLN": (1, 0), "LAB": (1, 1), "SLV": (0, 0), "EXC": (0, 0)}),
    # the last day before the next (d_to exclusive)
    (date(2021, 3, 4), {"TRN": (1, 1), "BUD": (1070, 1), "PLN": (2, 1), "LAB": (1, 1), "SLV": (0, 0), "EXC": (0, 0)}),
    (date(2021, 3, 5), {"TRN": (2, 3), "BUD": (1070, 1), "PLN": (2, 1), "LAB": (1, 1), "SLV": (0, 0), "EXC": (0, 0)}),
    # Beta's silver on its last valid day, and the day after
    (date(2021, 9, 30), {"TRN": (3, 4), "BUD": (1570, 2), "PLN": (3, 2), "LAB": (2, 2), "SLV": (1, 1), "EXC": (0, 0)}),
    (date(2021, 10, 1), {"TRN": (3, 4), "BUD": (1570, 2), "PLN": (3, 2), "LAB": (1, 2), "SLV": (0, 1), "EXC": (0, 0)}),
    # after the due date and after Alpha's bronze lapsed: counted on the due date
    (date(2022, 6, 1), {"TRN": (3, 4), "BUD": (1570, 2), "PLN": (3, 2), "LAB": (1, 2), "SLV": (0, 1), "EXC": (0, 0)}),
])
def test_the_evaluation_reads_the_steps_by_hand(con, day, expected):
    for frame in (read_kept(con, [day]), read_live(con, [day])):
        got = {r.code: (pytest.approx(r.actual), int(r.records)) for r in frame.itertuples()}
        assert got == expected, day


def test_one_date_and_many_dates_read_the_same(con):
    days = [date(2021, 1, 9) + timedelta(days=n) for n in range(0, 500, 3)]
    many = read_kept(con, days)
    one_by_one = pd.concat([read_kept(con, [d]) for d in days]).sort_values(["project_id", "code", "as_of"])
    # what the steps feed (concatenating frames turns the all-empty check-in text columns to object)
    fed = ["project_id", "code", "as_of", "actual", "records", "last_update_on", "progress", "pace", "status",
           "forecast", "required_rate_per_month"]
    pd.testing.assert_frame_equal(many[fed], one_by_one[fed].reset_index(drop=True))


def _every(first: date, last: date, step: int) -> list[date]:
    return [first + timedelta(days=n) for n in range(0, (last - first).days + 1, step)]


def _span(con) -> tuple[date, date]:
    lo, hi = con.execute("SELECT min(start_date), max(end_date) FROM projects").fetchone()
    return lo - timedelta(days=5), hi + timedelta(days=400)


def _kept_equal_live(con, days: list[date], chunk: int, project_ids=None) -> None:
    for i in range(0, len(days), chunk):
        part = days[i:i + chunk]
        pd.testing.assert_frame_equal(read_kept(con, part, project_ids=project_ids),
                                      read_live(con, part, project_ids), check_exact=False, rtol=1e-9)


def test_kept_equal_live_on_the_seed_every_day(seeded):
    days = _every(*_span(seeded), 1)
    _kept_equal_live(seeded, days, 60)  # the burn-up series' shape: many dates at once
    _kept_equal_live(seeded, days[::29], 1)  # the Portfolio's: one date


def test_kept_equal_live_for_a_project_on_the_seed(seeded):
    _kept_equal_live(seeded, _every(*_span(seeded), 7), 40, project_ids=["CE4BIG"])


def test_kept_equal_live_at_scale_s(small):
    days = _every(*_span(small), 3)
    _kept_equal_live(small, days, 60)
    _kept_equal_live(small, days[::37], 1)


def test_the_portfolio_reads_the_steps_and_counts_as_before(small, monkeypatch):
    day = date(2022, 6, 29)
    kept = portfolio.overview(small, day)
    with monkeypatch.context() as m:
        m.setattr(kpi_history, "inputs_fresh_sql", lambda: "SELECT FALSE")
        live = portfolio.overview(small, day)
    pd.testing.assert_frame_equal(kept, live)
    assert kept["kpis"].sum() == small.execute("SELECT count(*) FROM kpis").fetchone()[0]


def test_writes_through_the_loader_keep_them_current(con):
    def load(**tables):
        loader.load(con, {t: (f"{t}.csv", rows, 2) for t, rows in tables.items()})

    load(trainings=[training("P3", "2021-02-01")])
    assert steps(con)["TRN"][0] == (D("2021-01-10"), D("2021-02-01"), 1, 1, D("2021-01-10"))
    load(checkins=[checkin("2021-02-01", 5)])  # the same day's check-in, corrected
    assert steps(con)["PLN"][0][2] == 5
    load(label_awards=[label("Beta Cluster", "gold", "2021-08-01", "2023-07-31")])
    # the gold holds past 30.09; its lapse on 01.08.2023 is a change day too, after the due date
    # (counted on the due date, so the value stays: a step may repeat the one before)
    assert steps(con)["SLV"] == [(D("2021-04-01"), D("2021-08-01"), 1, 1, D("2021-04-01")),
                                 (D("2021-08-01"), D("2021-10-01"), 1, 2, D("2021-08-01")),
                                 (D("2021-10-01"), D("2023-08-01"), 1, 2, D("2021-08-01")),
                                 (D("2023-08-01"), OPEN, 1, 2, D("2021-08-01"))]
    load(kpis=[kpi("SLV", "labels_awarded", 2, min_label_level="gold")])  # a definition changes
    assert steps(con)["SLV"] == [(D("2021-08-01"), D("2023-08-01"), 1, 1, D("2021-08-01")),
                                 (D("2023-08-01"), OPEN, 1, 1, D("2021-08-01"))]
    load(projects=[PROJECT | {"end_date": "2021-09-15"}])  # an earlier due date for the labels
    assert steps(con)["LAB"][-1][2] == 2  # counted on 15.09, while Beta's silver was valid
    load(expenses=[expense(1, "2000.00", "2021-02-01", "A")])
    assert steps(con)["BUD"][0][2] == pytest.approx(2140.0)
    assert kept_rows(con) == rebuilt(con)
    assert kpis.evaluation_params(con, [date(2021, 6, 1)], None, None)["_kept"]


def test_a_write_refreshes_only_the_kpis_it_can_change(con, monkeypatch):
    refreshed = []
    real = kpi_steps.refresh
    monkeypatch.setattr(kpi_steps, "refresh", lambda c, keys, whole=(): (refreshed.append((keys, list(whole))),
                                                                         real(c, keys, whole)))
    loader.load(con, {"trainings": ("t.csv", [training("P3", "2021-02-01")], 2)})
    assert refreshed == [([("TEST", "TRN")], [])]  # the trainings feed TRN only
    loader.load(con, {"checkins": ("c.csv", [checkin("2021-09-01", 4)], 2)})
    assert refreshed[-1] == ([("TEST", "PLN")], [])
    loader.load(con, {"kpis": ("k.csv", [kpi("EXC", "exchanges", 6)], 2)})
    assert refreshed[-1][1] == ["TEST"] and len(refreshed[-1][0]) == len(TABLES["kpis"])  # the whole project


def test_a_write_around_the_loader_is_read_live_until_healed(con):
    con.execute("INSERT INTO trainings SELECT t.* REPLACE ('P9' AS person, DATE '2021-02-01' AS trained_on) "
                "FROM trainings t WHERE t.person = 'P0' AND t.course = 'Course'")
    assert not kpis.evaluation_params(con, [date(2021, 3, 1)], None, None)["_kept"]
    table = kpis.kpi_table(con, "TEST", date(2021, 3, 1)).set_index("code")
    assert table.loc["TRN", "actual"] == 2  # live: the kept steps still say 1
    loader.after_write(con, set())  # what the next write through the loader does
    assert kpis.evaluation_params(con, [date(2021, 3, 1)], None, None)["_kept"]
    assert kept_rows(con) == rebuilt(con)
    assert kpis.kpi_table(con, "TEST", date(2021, 3, 1)).set_index("code").loc["TRN", "actual"] == 2


def test_a_database_from_before_the_table_is_healed_on_migration(tmp_path):
    con = store.connect(tmp_path / "old.duckdb", read_only=False)
    store.migrate(con)
    loader.load(con, {"projects": ("p.csv", [PROJECT], 2), "partners": ("pa.csv", PARTNERS, 2)}
                | {t: (f"{t}.csv", rows, 2) for t, rows in TABLES.items()})
    con.execute("DROP TABLE kpi_steps; DELETE FROM schema_version WHERE version = 76")
    assert store.migrate(con) == ["076_kpi_steps.sql"]
    assert kpis.evaluation_params(con, [date(2021, 6, 1)], None, None)["_kept"]
    assert steps(con) == STEPS
    con.close()


def test_an_emptied_record_reads_live_and_not_the_empty_table():
    """What migration 076 leaves before its heal: kpi_history_sources empty beside an empty kpi_steps."""
    con = build(**TABLES)
    con.execute("DELETE FROM kpi_steps; DELETE FROM kpi_history_sources")
    assert not kpis.evaluation_params(con, [date(2021, 6, 1)], None, None)["_kept"]
    assert kpis.kpi_table(con, "TEST", date(2021, 6, 1)).set_index("code").loc["TRN", "actual"] == 3


def test_per_kpi_evaluations_do_not_read_the_steps(con):
    with pytest.raises(ValueError, match="not per KPI"):
        kpi_sql.evaluation_sql(filtered=True, is_fresh=True, columns=["code"], dates=[date(2021, 6, 1)],
                               per_kpi=True, kept=True)
    sql, params = kpis.evaluation(con, [date(2021, 6, 30)], kpi_keys=[("TEST", "TRN")])
    assert "kpi_steps" not in sql and "steps_lo" not in params
