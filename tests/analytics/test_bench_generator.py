"""The benchmark's generator and references: deterministic data that validates, and a pandas
reference and hand-written limit queries that agree with the product at scale S (issue 8)."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analytics import budget, facts, gaps, kpis, partners, portfolio, store
from analytics.bench import generator, limits, pandas_market, pandas_reference as ref
from analytics.models import TABLE_MODELS

DATES = [date(2018, 3, 15), date(2020, 2, 29), date(2022, 6, 29), date(2026, 1, 1)]


@pytest.fixture(scope="module")
def frames(small):
    return ref.load(small)


def test_same_seed_same_data(small):
    again = store.memory()
    generator.generate(again, "S")
    assert generator.fingerprint(again) == generator.fingerprint(small)
    other = store.memory()
    generator.generate(other, "S", seed=generator.DEFAULT_SEED + 1)
    assert generator.fingerprint(other)["expenses"] != generator.fingerprint(small)["expenses"]


def test_scale_s_has_the_sizes_of_the_issue(small):
    counts = {t: small.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLE_MODELS}
    assert counts["projects"] == 10
    assert counts["expenses"] + counts["exchanges"] + counts["trainings"] + counts["checkins"] == 10_000
    assert counts["companies"] == 1_000
    assert counts["sectors"] == 40
    assert all(n > 0 for n in counts.values()), counts


@pytest.mark.parametrize("table", list(TABLE_MODELS))
def test_sampled_rows_validate_with_the_models(small, table):
    model = TABLE_MODELS[table]
    cur = small.execute(f"SELECT * FROM {table} USING SAMPLE 40 ROWS (reservoir, 1)")
    names = [d[0] for d in cur.description]
    rows = cur.fetchall()
    assert rows
    for row in rows:
        model.model_validate({k: v for k, v in zip(names, row) if k in model.model_fields})


def _same(a: pd.DataFrame, b: pd.DataFrame, cols: list[str], atol: float = 1e-6) -> None:
    a, b = a.reset_index(drop=True)[cols].copy(), b.reset_index(drop=True)[cols].copy()
    for df in (a, b):
        if "as_of" in cols:
            df["as_of"] = pd.to_datetime(df["as_of"]).astype("datetime64[ns]")
    pd.testing.assert_frame_equal(a, b, check_dtype=False, rtol=1e-9, atol=atol)


KPI_COLUMNS = ["project_id", "code", "as_of", "actual", "records", "expected", "progress", "pace", "status",
               "forecast", "required_rate_per_month", "days_left"]


@pytest.mark.parametrize("day", DATES)
def test_pandas_reference_agrees_on_every_kpi(small, frames, day):
    _same(kpis.evaluate(small, [day]), ref.evaluate(frames, [day]), KPI_COLUMNS)


@pytest.mark.parametrize("day", DATES)
def test_pandas_reference_agrees_on_the_portfolio(small, frames, day):
    ours = portfolio.overview(small, day)
    _, theirs = ref.portfolio(frames, day)
    statuses = [s for s in kpis.STATUS_ORDER if s in theirs]
    _same(ours, theirs.fillna({s: 0 for s in statuses}), ["project_id", "planned", "spent", "elapsed_share",
                                                         "burn_index"] + statuses, atol=0.011)


@pytest.mark.parametrize("project", ["PRJ0002", "PRJ0007"])
@pytest.mark.parametrize("day", DATES[1:3])
def test_pandas_reference_agrees_on_a_project(small, frames, project, day):
    _same(kpis.kpi_series(small, project, day), ref.kpi_series(frames, project, day),
          ["code", "as_of", "actual", "expected"])
    _same(budget.breakdown(small, project, day), ref.budget_breakdown(frames, project, day),
          ["partner", "category", "planned", "spent"], atol=0.011)
    ours, theirs = budget.burn_series(small, project, day), ref.burn_series(frames, project, day)
    _same(ours, theirs, ["as_of", "spent", "planned_to_date", "burn_index"], atol=0.011)
    s, r = budget.summary(small, project, day), ref.budget_summary(frames, project, day)
    assert {k: s[k] for k in r} == pytest.approx(r, abs=0.011)


def test_pandas_reference_agrees_on_gap_scores_and_partners(small):
    t = pandas_market.load(small)
    cols = ["rank", "sector_id", "demand_share", "supply_share", "gap_index", "coverage", "return_coefficient",
            "c_demand", "c_supply_gap", "c_coverage", "c_weak_return", "score"]
    _same(gaps.gap_scores(small), pandas_market.gap_scores(t), cols)
    for sector in ("ELEC", "MECH.03"):
        _same(partners.find_partners(small, sector_id=sector), pandas_market.find_partners(t, sector),
              ["company_id", "level", "points", "match_score"])


@pytest.mark.parametrize("day", DATES)
def test_limit_queries_give_the_same_answers(small, day):
    statuses = kpis.STATUS_ORDER
    _same(portfolio.overview(small, day), limits.portfolio(small, day),
          ["project_id", "planned", "spent", "burn_index"] + statuses)
    start, end = kpis.require_project(small, "PRJ0004")
    grid = kpis.month_grid(start, end, day)
    theirs = limits.project_kpis(small, "PRJ0004", grid).sort_values(["code", "as_of"])
    _same(kpis.evaluate(small, grid, project_ids=["PRJ0004"]), theirs, ["code", "as_of", "actual", "expected", "status"])


@pytest.mark.parametrize("project", ["PRJ0002", "PRJ0004", "PRJ0007"])
@pytest.mark.parametrize("day", DATES)
def test_the_budget_limit_gives_the_whole_answer(small, project, day):
    """Every figure of the Budget page: cells with E in cents, sums, summary and burn series."""
    view = budget.project_budget(small, project, day)
    start, end = kpis.require_project(small, project)
    grid = [d for d in kpis.month_grid(start, end, day) if d <= day]
    rows = pd.DataFrame(limits.project_budget(small, project, day, grid))
    level = {name: part for name, part in rows.groupby("level")}
    empty = rows.iloc[0:0]
    _same(view.breakdown, level.get("cell", empty).sort_values(["partner", "category"]),
          ["partner", "category", "planned", "spent"])
    _same(view.by_category, level.get("category", empty).sort_values("category"),
          ["category", "planned", "spent", "spent_share"])
    _same(view.by_partner, level.get("partner", empty).sort_values("partner"),
          ["partner", "planned", "spent", "spent_share"])
    now = level["now"].iloc[0]
    for k in ("planned", "spent", "eu_contribution", "elapsed_days", "spent_share", "burn_index", "projected_spend"):
        assert (view.summary[k] is None and pd.isna(now[k])) or view.summary[k] == pytest.approx(now[k], rel=1e-12), k
    series = level.get("series", empty).sort_values("as_of")
    assert len(series) == len(view.burn_series)
    if len(series):
        _same(view.burn_series, series, ["as_of", "spent", "planned_to_date", "burn_index"])


def test_generated_facts_are_current(small):
    assert facts.fresh(small)


def test_the_yardstick_counts_a_million_distinct_integers():
    import duckdb

    from analytics.bench import runner

    assert duckdb.connect().execute(runner.YARDSTICK_SQL).fetchall() == [(1_000_000,)]
    assert runner.yardstick_ms(repeats=1) > 0


def test_the_benchmarks_upload_fills_the_data_pages_cap():
    from analytics.bench import runner

    assert runner.upload_cap_mb() == 50.0  # .streamlit/config.toml server.maxUploadSize, which the page states


def _result(pages_peak_mb, uploads):
    from analytics.bench.runner import TARGETS

    r = {"scale": "L", "targets": TARGETS,
         "calls": {"a": {"ms": 10.0}}, "answers": {"a": {"pandas_ratio": 3.0, "limit_ratio": 1.0}},
         "renders": {"L": {"server_memory": {"peak_mb": pages_peak_mb}, "pages": {}}}}
    return r | ({"uploads": uploads} if uploads is not None else {})


def _peak(mb):
    return {"server_memory": {"peak_mb": mb}}


@pytest.mark.parametrize(("pages", "uploads", "expected"), [
    (532.0, {"csv": _peak(512.0), "xlsx": _peak(701.0)}, (True, False)),  # one kind over: missed
    (599.9, {"csv": _peak(599.9), "xlsx": _peak(420.0)}, (True, True)),
    (600.0, {"csv": _peak(100.0), "xlsx": _peak(100.0)}, (False, True)),
    (532.0, {"csv": {"error": "TimeoutError: the page never finished"}, "xlsx": _peak(420.0)}, (True, False)),
])
def test_server_memory_is_judged_serving_pages_and_taking_the_largest_uploads(pages, uploads, expected):
    from analytics.bench import runner

    v = runner.verdicts(_result(pages, uploads))
    assert (v["server memory < 600 MB (pages)"], v["server memory < 600 MB (largest uploads)"]) == expected


def test_without_uploads_only_the_pages_memory_is_judged():
    from analytics.bench import runner

    assert "server memory < 600 MB (largest uploads)" not in runner.verdicts(_result(532.0, None))


def test_the_import_peak_is_the_childs_own_not_the_forked_parents():
    # ru_maxrss survives exec, so a child of a big parent read as big; VmHWM is the new image's
    import json
    import subprocess
    import sys

    ballast = bytearray(300 * 2**20)
    ballast[:: 4096] = b"\x01" * len(ballast[:: 4096])  # touched: resident in this process
    child = subprocess.run([sys.executable, "-c", "import json; from analytics.bench.import_timing import _peak_mb; "
                            "print(json.dumps(_peak_mb()))"], capture_output=True, text=True, check=True)
    assert 0 < json.loads(child.stdout) < 250, child.stdout
    del ballast


def test_ratios_are_timed_in_turns_each_run_on_its_own_cursor():
    # ClusterBoard, pandas and the limit interleaved round by round: a ratio of timings taken
    # minutes apart measured the machine's drift (budget / limit 1.08 and 1.56 on the same code)
    import duckdb

    from analytics.bench import runner

    con = duckdb.connect()
    seen: list[tuple[str, bool]] = []
    fns = [lambda c, n=n: seen.append((n, c is not con and c.execute("SELECT 2").fetchone() == (2,)))
           for n in ("ours", "pandas", "limit")]
    stats = runner._in_turns(fns, rounds=3, runs=[3, 1, 3], con=con)
    assert [n for n, _ in seen] == ["ours", "pandas", "limit",  # one warm-up each
                                    "ours", "pandas", "limit", "ours", "limit", "ours", "limit"]
    assert all(own for _, own in seen)  # a cursor of its own, open while the run lasts
    assert len(stats) == 3 and all(s["ms"] >= s["best_ms"] >= 0 for s in stats)
    assert con.execute("SELECT 1").fetchone() == (1,)  # the cursors were closed, the connection not


@pytest.mark.parametrize(("runs", "expected"), [
    ([3.0, 5.0, 4.0, 9.0, 2.0], 4.0),
    ([3.0, 5.0], 4.0),
    ([3.0, None, 4.0], None),  # a visit that never finished: no time, its error is reported
    ([], None),
])
def test_a_pages_render_time_is_the_median_of_its_visits(runs, expected):
    from analytics.bench.browser import render_seconds

    assert render_seconds(runs) == expected
