"""Optional report sections from the participation and Big Science modules, where they exist.

Each view is imported when the report is built, not when this module is: a module another team
has not finished (or that fails on this database) drops its section and logs why; the report
itself never fails for it. A view returns its section and the sample rows it shows.

- participation (exchanges and missions), labels, deliverables: for every project;
- Big Science sector gaps: for projects whose exchanges or missions went to a Big Science
  organisation (a health cluster's report has no use for CERN's procurement).
"""
from __future__ import annotations

import importlib
import logging
from datetime import date

import duckdb

from analytics.reports import fmt
from analytics.reports.blocks import Metric, Metrics, Section, Slide, Table
from analytics.reports.outline import chart

log = logging.getLogger("clusterboard.reports")


def _module(name: str):
    return importlib.import_module(f"analytics.{name}")


def participation(con, project: str, as_of: date, start: date, end: date):
    exchanges, charts = _module("exchanges"), _module("charts_participation")
    s = exchanges.summary(con, [project], as_of)
    metrics = Metrics(items=[
        Metric(label="Exchange stays", value=fmt.number(s["participations"]), note=f"{s['organisations']} organisations"),
        Metric(label="SME organisations", value=fmt.percent(s["sme_organisation_share"]), note=f"{s['sme_organisations']} SMEs"),
        Metric(label="Missions", value=fmt.number(s["missions"]), note=f"{s['mission_participants']} participants"),
        Metric(label="Visits to Big Science", value=fmt.number(s["bso_visits"]), note="stays and missions"),
    ])
    blocks = [metrics]
    visits = exchanges.bso_visits(con, [project], as_of)
    if not visits.empty:
        blocks.append(chart(charts.bso_visits_bars(visits)))
    sample = exchanges.sample_rows(con, [project])
    slide = Slide(title="Exchanges and missions", subtitle=f"Finished on or before {fmt.day(as_of)}", blocks=blocks,
                  sample=bool(sample))
    return Section(key="participation", title="Participation", slides=[slide]), sample, s["bso_visits"] > 0


def label_ladder(con, project: str, as_of: date, start: date, end: date):
    labels, charts = _module("labels"), _module("charts_participation")
    s = labels.summary(con, project, as_of)
    status = labels.cluster_status(con, project, as_of)
    if status.empty:
        return None
    rows = [[r["organisation"], r["label"] if isinstance(r["label"], str) else "none valid",
             fmt.day(r["label_valid_until"].date()) if r["label_valid_until"] is not None and str(r["label_valid_until"]) != "NaT" else fmt.DASH,
             r["upgrade_note"] if isinstance(r["upgrade_note"], str) else fmt.DASH]
            for r in status.to_dict("records")]
    table = Table(columns=["Cluster", "Label on the date", "Valid until", "Next step"], rows=rows,
                  numeric=[False, False, False, False], widths=[0.28, 0.14, 0.16, 0.42])
    metrics = Metrics(items=[
        Metric(label="Clusters with a valid label", value=f"{s['valid']} of {s['clusters']}"),
        Metric(label="Lapse before the end", value=str(s["lapsing"])),
        Metric(label="Can still upgrade", value=str(s["upgradable"]), note="before the project ends"),
    ])
    history = labels.history(con, project, as_of)
    blocks = [metrics, table]
    chart_slide = None
    if not history.empty:
        fig = charts.label_timeline(history, clusters=status["organisation"].tolist(), start=start, end=end, as_of=as_of)
        chart_slide = Slide(title="Label history and validity", blocks=[chart(fig)], sample=bool(history["is_sample"].any()))
    sample = {"label_awards": int(history["is_sample"].sum())} if not history.empty and history["is_sample"].any() else {}
    slides = [Slide(title="Cluster Management Excellence labels", subtitle="Bronze, then silver 18 months on, then gold",
                    blocks=blocks, sample=bool(sample))] + ([chart_slide] if chart_slide else [])
    return Section(key="labels", title="Labels", slides=slides), sample, False


def deliverable_schedule(con, project: str, as_of: date, start: date, end: date):
    deliverables, charts = _module("deliverables"), _module("charts_participation")
    schedule = deliverables.schedule(con, [project], as_of)
    if schedule.empty:
        return None
    c = deliverables.counts(con, [project], as_of)
    metrics = Metrics(items=[
        Metric(label="On time", value=f"{c['on_time']} of {c['total']}", status="achieved"),
        Metric(label="Late", value=str(c["late"]), status="at_risk" if c["late"] else None,
               note=f"{c['missing_justification']} without justification"),
        Metric(label="Overdue", value=str(c["overdue"]), status="overdue" if c["overdue"] else None),
        Metric(label="Due in 30 days", value=str(c["due_soon"])),
    ])
    fig = charts.deliverables_timeline(schedule, start=start, end=end, as_of=as_of)
    sample_n = int(schedule["is_sample"].sum())
    slide = Slide(title="Deliverables and milestones", subtitle=f"Status on {fmt.day(as_of)}",
                  blocks=[metrics, chart(fig)], sample=bool(sample_n))
    return Section(key="deliverables", title="Deliverables", slides=[slide]), ({"deliverables": sample_n} if sample_n else {}), False


def big_science_gaps(con, project: str, as_of: date, start: date, end: date):
    gaps, charts = _module("gaps"), _module("charts_market")
    scores = gaps.gap_scores(con)
    s = gaps.summary(scores)
    top = scores.dropna(subset=["score"]).sort_values("rank").head(8)
    table = Table(
        columns=["Rank", "Sector", "Demand share", "Supply share", "Gap index", "Companies ≥ level 2", "Gap score"],
        rows=[[str(int(r["rank"])), r["sector"], fmt.percent(r["demand_share"], 1), fmt.percent(r["supply_share"], 1),
               f"{r['gap_index']:+.2f}", str(int(r["coverage"])), fmt.number(r["score"], 1)] for r in top.to_dict("records")],
        numeric=[True, False, True, True, True, True, True], widths=[0.07, 0.33, 0.12, 0.12, 0.11, 0.13, 0.12],
        caption="Demand by sector is an estimate (no public per-sector split of BSO procurement exists).",
    )
    sample = gaps.sample_counts(con)
    slides = [
        Slide(title="Where the Big Science market is under-served",
              subtitle=f"{s['under_supplied']} of {s['sectors']} sectors under-supplied; all BSOs, all years, all clusters",
              blocks=[table], sample=bool(sample)),
        Slide(title="Gap score by sector", blocks=[chart(charts.gap_score_bars(scores))], sample=bool(sample)),
    ]
    return Section(key="gaps", title="Big Science market gaps", slides=slides), sample, False


VIEWS = (participation, label_ladder, deliverable_schedule)


def sections(con: duckdb.DuckDBPyConnection, project: str, as_of: date, start: date, end: date):
    """(sections, sample rows per table) of every optional view that exists and works here."""
    found, sample, big_science = [], {}, False
    for view in (*VIEWS, big_science_gaps):
        if view is big_science_gaps and not big_science:
            continue
        try:
            result = view(con, project, as_of, start, end)
        except Exception:  # an unfinished or failing module drops its section, never the report
            log.warning("report section %s left out", view.__name__, exc_info=True)
            continue
        if result is None:
            continue
        section, rows, bso = result
        found.append(section)
        sample.update(rows)
        big_science = big_science or bso
    return found, sample
