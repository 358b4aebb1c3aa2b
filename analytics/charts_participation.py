"""Chart builders for participation and excellence: ``(data, *, options) -> plotly Figure``.

Same shared template as analytics.charts, so the pages and the exports draw them alike.
"""
from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from analytics.charts import ACCENT, INK, MUTED, SERIES, STATUS_COLOURS, TEMPLATE
from analytics.deliverables import TIMINGS
from analytics.projects import month_end

LEVEL_COLOURS = {"bronze": "#b0793f", "silver": "#8d99a6", "gold": "#d4a017"}
TIMING_COLOURS = {
    "on_time": STATUS_COLOURS["achieved"],
    "late": STATUS_COLOURS["at_risk"],
    "overdue": STATUS_COLOURS["off_track"],
    "due_soon": ACCENT,
    "upcoming": STATUS_COLOURS["not_started"],
}
HOST_COLOUR = "#e08214"
PERIOD_FILL = "#eef1f4"
DAY_MS = 86_400_000


def _transparent(hex_colour: str, alpha: float = 0.35) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r}, {g}, {b}, {alpha})"


def _figure(title: str, height: int) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(template=TEMPLATE, title_text=title, height=height)
    return fig


def _mark_as_of(fig: go.Figure, as_of: date) -> None:
    fig.add_vline(x=pd.Timestamp(as_of), line=dict(color=INK, width=1, dash="dot"))
    fig.add_annotation(x=pd.Timestamp(as_of), y=1, yref="paper", text="as of", showarrow=False,
                       yanchor="bottom", font=dict(size=11, color=MUTED))


def _project_period(fig: go.Figure, start: date, end: date) -> None:
    fig.add_vrect(x0=pd.Timestamp(start), x1=pd.Timestamp(end) + pd.Timedelta(days=1), fillcolor=PERIOD_FILL,
                  line_width=0, layer="below", annotation_text="project", annotation_position="top left",
                  annotation_font=dict(size=11, color=MUTED))


def visitor_host_sankey(flows: pd.DataFrame, *, title: str = "Visitors to hosts, by country",
                        height: int = 420) -> go.Figure:
    """Stays from visitor countries (left) to host countries (right), widths by number of stays."""
    fig = _figure(title, height)
    visitors = sorted(flows["visitor_country"].unique())
    hosts = sorted(flows["host_country"].unique())
    index = {("v", c): i for i, c in enumerate(visitors)} | {("h", c): len(visitors) + i for i, c in enumerate(hosts)}
    # Each visitor country keeps one colour along its links, so a reader can follow it across.
    tint = {c: SERIES[i % len(SERIES)] for i, c in enumerate(visitors)}
    fig.add_trace(go.Sankey(
        arrangement="snap",
        textfont=dict(size=13, color=INK),
        node=dict(label=visitors + hosts, pad=14, thickness=18, line=dict(width=0),
                  color=[tint[c] for c in visitors] + [MUTED] * len(hosts),
                  hovertemplate="%{label}: %{value} stays<extra></extra>"),
        link=dict(source=[index[("v", c)] for c in flows["visitor_country"]],
                  target=[index[("h", c)] for c in flows["host_country"]],
                  value=flows["stays"].tolist(), color=[_transparent(tint[c]) for c in flows["visitor_country"]],
                  customdata=flows[["organisations"]].to_numpy(),
                  hovertemplate="%{source.label} → %{target.label}: %{value} stays, "
                                "%{customdata[0]} organisations<extra></extra>"),
    ))
    for x, text, anchor in ((0, "Visitors from", "left"), (1, "Hosts in", "right")):
        fig.add_annotation(x=x, y=1.06, xref="paper", yref="paper", text=f"<b>{text}</b>", showarrow=False,
                           xanchor=anchor, font=dict(size=12, color=MUTED))
    return fig


def bso_visits_bars(visits: pd.DataFrame, *, title: str = "Visits to Big Science organisations",
                    height: int | None = None) -> go.Figure:
    """Stays at and missions to each Big Science organisation, stacked."""
    df = visits.iloc[::-1]
    fig = _figure(title, height or max(240, 90 + 30 * len(df)))
    labels = [f"{name} ({bso})" if name != bso else bso for name, bso in zip(df["name"], df["bso_id"])]
    fig.add_trace(go.Bar(y=labels, x=df["stays"], name="exchange stays", orientation="h", marker_color=ACCENT,
                         hovertemplate="%{y}: %{x} stays<extra></extra>"))
    fig.add_trace(go.Bar(y=labels, x=df["missions"], name="missions", orientation="h", marker_color=HOST_COLOUR,
                         customdata=df[["mission_participants"]].to_numpy(),
                         hovertemplate="%{y}: %{x} missions, %{customdata[0]} participants<extra></extra>"))
    fig.update_layout(barmode="stack", legend=dict(orientation="h", y=1.02, yanchor="bottom", x=1, xanchor="right",
                                                   traceorder="normal"))
    fig.update_xaxes(dtick=1 if len(df) and (df["stays"] + df["missions"]).max() <= 10 else None)
    fig.update_yaxes(gridcolor="white")
    return fig


def label_timeline(history: pd.DataFrame, *, clusters: list[str], start: date, end: date, as_of: date,
                   title: str = "Label history and validity", height: int | None = None) -> go.Figure:
    """Each award as a bar from its assessment to its last valid day, coloured by level, over the
    project period; clusters without a label keep an empty row."""
    fig = _figure(title, height or max(220, 110 + 46 * len(clusters)))
    _project_period(fig, start, end)
    for level, colour in LEVEL_COLOURS.items():
        rows = history[history["level"] == level]
        if rows.empty:
            continue
        starts = pd.to_datetime(rows["assessed_on"])
        lengths = (pd.to_datetime(rows["valid_until"]) - starts).dt.days + 1
        fig.add_trace(go.Bar(
            y=rows["organisation"], base=starts, x=lengths * DAY_MS, orientation="h", name=level,
            marker=dict(color=colour, opacity=0.9), text=[level] * len(rows), textposition="inside",
            insidetextanchor="middle", textfont=dict(color="white"),
            customdata=list(zip(pd.to_datetime(rows["assessed_on"]).dt.strftime("%d.%m.%Y"),
                                pd.to_datetime(rows["valid_until"]).dt.strftime("%d.%m.%Y"),
                                ["" if pd.isna(v) else f"<br>score {v:.0f} %" for v in rows["score_pct"]])),
            hovertemplate="%{y}: " + level + " assessed %{customdata[0]}, valid until %{customdata[1]}"
                          "%{customdata[2]}<extra></extra>",
        ))
    _mark_as_of(fig, as_of)
    fig.update_layout(barmode="overlay", bargap=0.35)
    fig.update_xaxes(type="date")
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=list(reversed(clusters)),
                     range=[-0.5, len(clusters) - 0.5], gridcolor="white")
    return fig


def deliverables_timeline(schedule: pd.DataFrame, *, start: date, end: date, as_of: date, due_soon_days: int = 30,
                          title: str = "Deliverables and milestones", height: int | None = None) -> go.Figure:
    """Gantt-like: a diamond at each due date coloured by status, a bar over the days late (to the
    submission, or to the as-of date while still open) and a dot at the submission."""
    df = schedule.sort_values(["due_on", "code"])
    rows = [f"{wp} · {code}" for wp, code in zip(df["work_package"], df["code"])]
    fig = _figure(title, height or max(260, 120 + 26 * len(df)))
    _project_period(fig, start, end)
    fig.add_vrect(x0=pd.Timestamp(as_of), x1=pd.Timestamp(as_of) + pd.Timedelta(days=due_soon_days),
                  fillcolor=ACCENT, opacity=0.08, line_width=0, layer="below")
    df = df.assign(row=rows)
    late = df[df["is_late"]]
    if not late.empty:
        ends = pd.to_datetime(late["submitted_on"]).fillna(pd.Timestamp(as_of))
        fig.add_trace(go.Bar(
            y=late["row"], base=pd.to_datetime(late["due_on"]), x=(ends - pd.to_datetime(late["due_on"])).dt.days * DAY_MS,
            orientation="h", name="days late", marker=dict(color=STATUS_COLOURS["off_track"], opacity=0.35),
            customdata=late[["days_late"]].to_numpy(), hovertemplate="%{y}: %{customdata[0]} days late<extra></extra>",
        ))
    for timing, label in TIMINGS.items():
        part = df[df["timing"] == timing]
        if part.empty:
            continue
        fig.add_trace(go.Scatter(
            y=part["row"], x=pd.to_datetime(part["due_on"]), mode="markers", name=label,
            marker=dict(symbol="diamond", size=14, color=TIMING_COLOURS[timing], line=dict(color="white", width=1)),
            customdata=list(zip(part["title"], part["due_month"], part["portal_status"])),
            hovertemplate="%{y} %{customdata[0]}<br>due M%{customdata[1]}, %{x|%d %b %Y} · %{customdata[2]}<extra></extra>",
        ))
    submitted = df.dropna(subset=["submitted_on"])
    if not submitted.empty:
        fig.add_trace(go.Scatter(
            y=submitted["row"], x=pd.to_datetime(submitted["submitted_on"]), mode="markers", name="submitted on",
            marker=dict(symbol="circle", size=7, color=INK),
            hovertemplate="%{y}: submitted %{x|%d %b %Y}<extra></extra>",
        ))
    _mark_as_of(fig, as_of)
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    step = 3 if months <= 36 else 6
    ticks = [m for m in range(step, months + 1, step) if month_end(start, m) <= end]
    margin = pd.Timedelta(days=20)
    fig.update_xaxes(type="date", tickvals=[pd.Timestamp(month_end(start, m)) for m in ticks],
                     ticktext=[f"M{m}<br>{month_end(start, m):%b %Y}" for m in ticks],
                     range=[pd.Timestamp(min(start, as_of)) - margin, pd.Timestamp(max(end, as_of)) + margin])
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=list(reversed(rows)), gridcolor="#f3f5f7")
    fig.update_layout(barmode="overlay")
    return fig
