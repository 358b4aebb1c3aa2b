"""Chart builders: ``(data, *, options) -> plotly Figure`` with one shared template.

The pages and every export (PDF, PPTX, HTML) call these, so what is on screen is what is printed.
"""
from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from analytics.kpis import STATUS_LABELS

STATUS_COLOURS = {
    "achieved": "#1b7837",
    "on_track": "#5aae61",
    "at_risk": "#e08214",
    "off_track": "#d73027",
    "overdue": "#7f0000",
    "not_started": "#9e9e9e",
}
INK = "#1f2933"
MUTED = "#7b8794"
ACCENT = "#1f4e8c"  # EU-report blue
SERIES = [ACCENT, "#e08214", "#5aae61", "#8e6bb5", "#d73027", "#2a9d8f", "#b5838d", "#6c757d"]

pio.templates["clusterboard"] = go.layout.Template(
    layout=go.Layout(
        font=dict(family="Inter, 'Source Sans Pro', Arial, sans-serif", size=13, color=INK),
        colorway=SERIES,
        paper_bgcolor="white",
        plot_bgcolor="white",
        margin=dict(l=10, r=10, t=48, b=20),
        title=dict(font=dict(size=15), x=0, xanchor="left"),
        # automargin stated: static exports (kaleido, for the PDF) otherwise clip long tick labels.
        xaxis=dict(showgrid=False, linecolor="#cbd2d9", ticks="outside", tickcolor="#cbd2d9", automargin=True),
        yaxis=dict(gridcolor="#eef1f4", zerolinecolor="#cbd2d9", rangemode="tozero", automargin=True),
        # Below the plot, clear of the date ticks, so long titles never collide with it.
        legend=dict(orientation="h", yanchor="top", y=-0.2, xanchor="left", x=0, title_text=""),
        hoverlabel=dict(bgcolor="white"),
    )
)
TEMPLATE = "clusterboard"


def _fig(title: str | None = None, height: int = 360) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(template=TEMPLATE, title_text=title, height=height)
    return fig


def burnup(series: pd.DataFrame, kpi: dict, *, as_of: date, height: int = 320) -> go.Figure:
    """Actual against the expected path, with target, forecast and the rate still required."""
    fig = _fig(f"{kpi['code']}: {kpi['name']}", height)
    step = kpi.get("interpolation") == "step"
    fig.add_trace(go.Scatter(
        x=series["as_of"], y=series["expected"], name="expected (plan)",
        line=dict(color=MUTED, dash="dash", shape="hv" if step else "linear"),
        hovertemplate="%{x|%d %b %Y}: expected %{y:,.1f}<extra></extra>",
    ))
    actual = series.dropna(subset=["actual"])
    fig.add_trace(go.Scatter(
        x=actual["as_of"], y=actual["actual"], name="actual", mode="lines+markers",
        line=dict(color=ACCENT, width=3, shape="hv"), marker=dict(size=5),
        hovertemplate="%{x|%d %b %Y}: actual %{y:,.1f}<extra></extra>",
    ))
    due = pd.Timestamp(kpi["due"])
    if kpi.get("forecast") is not None and pd.notna(kpi.get("forecast")) and pd.Timestamp(as_of) < due:
        fig.add_trace(go.Scatter(
            x=[pd.Timestamp(as_of), due], y=[kpi["actual"], kpi["forecast"]], name="forecast (run rate)",
            line=dict(color="#8e6bb5", dash="dot"), mode="lines",
            hovertemplate="%{x|%d %b %Y}: forecast %{y:,.1f}<extra></extra>",
        ))
        if kpi["status"] not in ("achieved",):
            fig.add_trace(go.Scatter(
                x=[pd.Timestamp(as_of), due], y=[kpi["actual"], kpi["target"]], name="required path",
                line=dict(color=STATUS_COLOURS["off_track"], dash="dot", width=1), mode="lines",
                hovertemplate="%{x|%d %b %Y}: %{y:,.1f} needed<extra></extra>",
            ))
    fig.add_hline(y=kpi["target"], line=dict(color=INK, width=1), annotation_text=f"target {kpi['target']:,.0f}",
                  annotation_position="top left")
    fig.add_vline(x=pd.Timestamp(as_of), line=dict(color="#cbd2d9", width=1, dash="dot"))
    fig.update_yaxes(title_text=kpi.get("unit", ""))
    return fig


def status_matrix(table: pd.DataFrame, *, height: int | None = None) -> go.Figure:
    """Projects (rows) x KPI codes (columns), coloured by status, labelled 'n/N'."""
    statuses = list(STATUS_COLOURS)
    projects = sorted(table["project_id"].unique(), reverse=True)
    codes = sorted(table["code"].unique())
    cell = table.set_index(["project_id", "code"])
    z, text, hover = [], [], []
    for p in projects:
        zr, tr, hr = [], [], []
        for c in codes:
            if (p, c) in cell.index:
                r = cell.loc[(p, c)]
                zr.append(statuses.index(r["status"]))
                tr.append(f"{r['actual']:,.0f}/{r['target']:,.0f}")
                hr.append(f"{p} {c}: {r['name']}<br>{r['actual']:,.1f} of {r['target']:,.0f} {r['unit']} · "
                          f"{STATUS_LABELS[r['status']]}" + (" · placeholder target" if r["is_placeholder"] else ""))
            else:
                zr.append(None)
                tr.append("")
                hr.append(f"{p} has no KPI {c}")
        z.append(zr)
        text.append(tr)
        hover.append(hr)
    n = len(statuses)
    scale = []
    for i, s in enumerate(statuses):
        scale += [[i / n, STATUS_COLOURS[s]], [(i + 1) / n, STATUS_COLOURS[s]]]
    fig = _fig("KPI status by project", height or 120 + 56 * len(projects))
    fig.add_trace(go.Heatmap(
        z=z, x=codes, y=projects, text=text, texttemplate="%{text}", textfont=dict(color="white", size=12),
        hovertext=hover, hoverinfo="text", colorscale=scale, zmin=-0.5, zmax=n - 0.5, showscale=False,
        xgap=4, ygap=4,
    ))
    # A legend of the statuses (heatmaps have none of their own).
    for s in statuses:
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=STATUS_LABELS[s],
                                 marker=dict(symbol="square", size=12, color=STATUS_COLOURS[s])))
    fig.update_xaxes(side="top", showline=False, ticks="", type="category")
    fig.update_yaxes(showgrid=False, type="category", rangemode="normal")
    fig.update_layout(legend=dict(y=-0.05, yanchor="top"))
    return fig


def planned_vs_spent(df: pd.DataFrame, *, dimension: str, title: str, height: int = 360) -> go.Figure:
    """Grouped bars: planned and spent per category or partner."""
    labels = df["category"] + " " + df["category_name"] if dimension == "category" else df["partner"]
    fig = _fig(title, height)
    fig.add_trace(go.Bar(y=labels, x=df["planned"], name="planned", orientation="h", marker_color="#cbd2d9",
                         hovertemplate="%{y}: planned %{x:,.0f} EUR<extra></extra>"))
    fig.add_trace(go.Bar(y=labels, x=df["spent"], name="spent", orientation="h", marker_color=ACCENT,
                         hovertemplate="%{y}: spent %{x:,.0f} EUR<extra></extra>"))
    fig.update_layout(barmode="group")
    fig.update_xaxes(tickformat=",.0f", ticksuffix=" €")
    fig.update_yaxes(autorange="reversed", gridcolor="white")
    return fig


def burn_over_time(series: pd.DataFrame, *, low: float, high: float, projected: float | None,
                   planned_total: float, end: date, height: int = 360) -> go.Figure:
    """Cumulative spend against the linear plan, with the projection to the end."""
    fig = _fig("Spend over time", height)
    fig.add_trace(go.Scatter(x=series["as_of"], y=series["planned_to_date"], name="plan (linear)",
                             line=dict(color=MUTED, dash="dash"),
                             hovertemplate="%{x|%d %b %Y}: %{y:,.0f} EUR planned<extra></extra>"))
    fig.add_trace(go.Scatter(x=series["as_of"], y=series["spent"], name="spent", line=dict(color=ACCENT, width=3),
                             customdata=series[["burn_index"]].to_numpy(),
                             hovertemplate="%{x|%d %b %Y}: %{y:,.0f} EUR spent, burn index %{customdata[0]:.2f}<extra></extra>"))
    if projected is not None and len(series):
        last = series.iloc[-1]
        fig.add_trace(go.Scatter(x=[last["as_of"], pd.Timestamp(end)], y=[last["spent"], projected],
                                 name="projection at current rate", line=dict(color="#8e6bb5", dash="dot")))
    fig.add_hline(y=planned_total, line=dict(color=INK, width=1), annotation_text=f"budget {planned_total:,.0f} EUR",
                  annotation_position="top left")
    fig.update_yaxes(tickformat=",.0f", ticksuffix=" €")
    return fig


def burn_index_line(series: pd.DataFrame, *, low: float, high: float, height: int = 300) -> go.Figure:
    fig = _fig("Burn index over time", height)
    fig.add_hrect(y0=low, y1=high, fillcolor="#5aae61", opacity=0.12, line_width=0,
                  annotation_text=f"in line ({low:g} to {high:g})", annotation_position="top left")
    fig.add_trace(go.Scatter(x=series["as_of"], y=series["burn_index"], name="burn index",
                             line=dict(color=ACCENT, width=2),
                             hovertemplate="%{x|%d %b %Y}: %{y:.2f}<extra></extra>"))
    fig.update_yaxes(title_text="spent share ÷ time share")
    return fig


def progress_bars(table: pd.DataFrame, *, title: str = "Progress towards target", height: int | None = None) -> go.Figure:
    """Horizontal progress bars per KPI coloured by status (capped at 150 % for legibility)."""
    df = table.dropna(subset=["progress"]).sort_values("code", ascending=False)
    fig = _fig(title, height or max(200, 70 + 34 * len(df)))
    fig.add_trace(go.Bar(
        y=df["code"], x=df["progress"].clip(upper=1.5), orientation="h",
        marker_color=[STATUS_COLOURS[s] for s in df["status"]],
        text=[f"{p:.0%}" for p in df["progress"]], textposition="outside", cliponaxis=False,
        customdata=df[["name"]].to_numpy(),
        hovertemplate="%{y}: %{customdata[0]}<br>%{text} of goal<extra></extra>", showlegend=False,
    ))
    fig.add_vline(x=1, line=dict(color=INK, width=1))
    fig.update_xaxes(tickformat=".0%", range=[0, 1.6])
    return fig
