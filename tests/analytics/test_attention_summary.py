"""attention.summary, what the Portfolio page shows of the Needs-attention list (issue 8): the
counts per severity and area and the first rows, equal to those of the whole list
(attention.needs_attention) on the seed and on the benchmark's scale S, at dates that name the
edge cases: before any finding, early (few findings, labels only), mid-project and late (findings
of every area, more than the rows shown), for everyone and for a viewer of some projects."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analytics import attention, store, warning_facts
from analytics.bench import generator

BEFORE_ANY = date(2015, 1, 1)  # before every project of the seed and of S: nothing to report


def assert_same(con, day: date, project_ids=None, rows: int = attention.ROWS_SHOWN) -> attention.Summary:
    assert warning_facts.fresh(con)  # the rule warnings are read as kept, not computed
    whole = attention.needs_attention(con, day, project_ids)
    got = attention.summary(con, day, project_ids, rows=rows)
    pd.testing.assert_frame_equal(got.counts, attention.counts(whole).astype({"findings": "int64"}))
    pd.testing.assert_frame_equal(got.head, whole.head(rows).reset_index(drop=True))
    assert got.total == len(whole)
    assert attention.headline(got) == attention.headline(whole)
    return got


@pytest.mark.parametrize("day", [BEFORE_ANY, date(2019, 1, 1), date(2020, 6, 30), date(2021, 6, 30),
                                 date(2023, 1, 1)])
@pytest.mark.parametrize("rows", [attention.ROWS_SHOWN, 3])  # 3: fewer rows than findings, ties cut
def test_summary_is_the_lists_counts_and_first_rows_on_the_seed(seeded, day, rows):
    assert_same(seeded, day, rows=rows)


def test_summary_of_a_viewer_of_one_project_on_the_seed(seeded):
    got = assert_same(seeded, date(2023, 1, 1), ["BIGINN"], rows=3)
    assert set(got.head["project_id"]) == {"BIGINN"}


def test_before_any_finding_the_summary_is_empty(seeded):
    got = assert_same(seeded, BEFORE_ANY)
    assert got.empty and got.total == 0 and got.head.empty
    assert attention.headline(got) == "0 findings (0 high, 0 medium, 0 low)"
    assert list(got.head.columns) == attention.COLUMNS


@pytest.mark.parametrize("day", [BEFORE_ANY, date(2018, 3, 15), date(2020, 2, 29), generator.BENCH_AS_OF,
                                 date(2026, 1, 1)])
def test_summary_is_the_lists_counts_and_first_rows_at_scale_s(small, day):
    assert_same(small, day)


def test_summary_of_a_viewer_of_some_projects_at_scale_s(small):
    some = small.execute("SELECT project_id FROM projects ORDER BY project_id LIMIT 3").fetchall()
    ids = [p for (p,) in some][::-1]  # in no particular order: the list orders by id anyway
    got = assert_same(small, generator.BENCH_AS_OF, ids)
    assert set(got.head["project_id"]) <= set(ids)


def test_a_viewer_of_every_project_sees_what_everyone_sees(small):
    ids = [p for (p,) in small.execute("SELECT project_id FROM projects").fetchall()]
    everyone = attention.summary(small, generator.BENCH_AS_OF)
    listed = attention.summary(small, generator.BENCH_AS_OF, ids)
    pd.testing.assert_frame_equal(listed.counts, everyone.counts)
    pd.testing.assert_frame_equal(listed.head, everyone.head)


def test_the_csv_download_holds_every_finding_without_links(seeded):
    """What the Portfolio's download button sends: one line per finding, a header, no page links,
    Excel's BOM, and text that would start a formula neutralised (as every export)."""
    import csv
    import io

    day = date(2021, 6, 30)
    data = attention.findings_csv(seeded, day)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == len(attention.needs_attention(seeded, day)) == 10  # the seed's 10 on that date
    assert "link" not in rows[0] and {"project_id", "severity", "area", "what", "since"} <= set(rows[0])
    assert [r["severity"] for r in rows[:2]] == ["high", "high"]
    assert not any(r["what"][:1] in "=+-@" for r in rows)


def test_side_by_side_gives_each_result_in_order_and_the_first_error(seeded):
    from analytics import side_by_side

    assert side_by_side.run(seeded, lambda c: c.execute("SELECT 1").fetchall(),
                            lambda c: c.execute("SELECT count(*) FROM projects").fetchall()) == [[(1,)], [(2,)]]
    with pytest.raises(Exception, match="no_such_table"):
        side_by_side.run(seeded, lambda c: c.execute("SELECT * FROM no_such_table").fetchall(),
                         lambda c: c.execute("SELECT count(*) FROM range(3000000)").fetchall())
