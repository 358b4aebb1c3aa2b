"""Chart builders for the Big Science market pages: ``(data, *, options) -> plotly Figure``.

They take the frames of analytics.gaps, analytics.returns and analytics.competencies as they come
and use the shared template, so the same figures can go into exports. Shares are drawn as
percentages with a space before the sign ("45 %") and money as € M, as in the reports.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analytics.charts import ACCENT, INK, MUTED, TEMPLATE
from analytics.gaps import COMPONENT_LABELS, COMPONENTS
from analytics.returns import CLASSES, POORLY_BELOW, VERY_POORLY_BELOW

COMPONENT_COLOURS = {"demand": ACCENT, "supply_gap": "#e08214", "coverage": "#8e6bb5", "weak_return": "#d73027"}
CLASS_COLOURS = dict(zip(CLASSES, ("#d73027", "#e08214", "#5aae61")))
LEVEL_COLOURS = ("#f1f3f5", "#c6dbef", "#6baed6", "#1f4e8c")
LEVEL_NAMES = ("none", "basic", "proven", "BSO-qualified")


def _figure(title: str | None, height: int) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(template=TEMPLATE, title_text=title, height=height)
    return fig


def gap_score_bars(gaps: pd.DataFrame, *, title: str = "Gap score by sector and what makes it",
                   height: int | None = None) -> go.Figure:
    """Ranked horizontal bars, one stacked segment per score component (the points add up to the score)."""
    df = gaps.dropna(subset=["score"]).sort_values("rank")
    labels = df["sector"].tolist()
    fig = _figure(title, height or max(260, 90 + 26 * len(df)))
    for c in COMPONENTS:
        points = df[f"pts_{c}"].fillna(0)
        fig.add_trace(go.Bar(
            y=labels, x=points, orientation="h", name=COMPONENT_LABELS[c], marker_color=COMPONENT_COLOURS[c],
            customdata=df[[f"c_{c}"]].to_numpy(),
            hovertemplate=f"%{{y}}<br>{COMPONENT_LABELS[c]}: %{{x:.1f}} points "
                          f"(component %{{customdata[0]:.2f}})<extra></extra>",
        ))
    fig.add_trace(go.Scatter(
        y=labels, x=df["score"], mode="text", text=[f" {s:.0f}" for s in df["score"]], textposition="middle right",
        showlegend=False, hoverinfo="skip", textfont=dict(color=INK, size=12), cliponaxis=False,
    ))
    fig.update_layout(barmode="stack", legend=dict(y=1.0, yanchor="bottom", x=0, orientation="h", traceorder="normal"),
                      margin=dict(t=80))
    fig.update_xaxes(title_text="gap score (points, 0-100)", range=[0, 105], gridcolor="#eef1f4", showgrid=True)
    fig.update_yaxes(categoryorder="array", categoryarray=labels, autorange="reversed", gridcolor="white")
    return fig


def demand_heatmap(matrix: pd.DataFrame, *, title: str = "Estimated demand by BSO and sector, selected years (€ M)",
                   sector_order: list[str] | None = None, height: int | None = None) -> go.Figure:
    """BSOs (rows) × sectors (columns), cells in € M. Colour follows the logarithm of the value,
    because one space agency buys as much as the other organisations together."""
    table = matrix.pivot_table(index="bso_id", columns="sector", values="demand_eur", aggfunc="sum", fill_value=0)
    if sector_order:
        table = table.reindex(columns=[s for s in sector_order if s in table.columns])
    table = table.loc[table.sum(axis=1).sort_values(ascending=False).index]
    millions = table.to_numpy() / 1e6
    z = np.where(millions > 0, np.log10(np.where(millions > 0, millions, 1)), np.nan)
    text = [[("" if v == 0 else "<0.1" if v < 0.05 else f"{v:,.0f}" if v >= 10 else f"{v:,.1f}") for v in row]
            for row in millions]
    ticks = [t for t in (0.1, 1, 10, 100, 1000, 10000) if np.nanmin(z, initial=9) - 1 <= np.log10(t) <= np.nanmax(z, initial=-9) + 1]
    fig = _figure(title, height or 260 + 30 * len(table))
    fig.add_trace(go.Heatmap(
        z=z, x=table.columns.tolist(), y=table.index.tolist(), text=text, texttemplate="%{text}",
        customdata=millions, textfont=dict(size=10),
        colorscale=[[0, "#eef4fb"], [0.4, "#9ecae1"], [0.75, "#3182bd"], [1, "#08306b"]],
        colorbar=dict(title=dict(text="€ M"), thickness=12, tickvals=[np.log10(t) for t in ticks],
                      ticktext=[f"{t:,g}" for t in ticks]),
        xgap=1, ygap=1, hoverongaps=False,
        hovertemplate="%{y} · %{x}<br>€%{customdata:,.1f} M<extra></extra>",
    ))
    fig.update_xaxes(side="top", tickangle=-50, showline=False, ticks="", tickfont=dict(size=11))
    fig.update_yaxes(autorange="reversed", showgrid=False, rangemode="normal", type="category")
    fig.update_layout(margin=dict(t=230, l=10, r=10, b=10), plot_bgcolor="#fafbfc",
                      title=dict(y=0.99, yref="container", yanchor="top"))
    return fig


def share_quadrant(gaps: pd.DataFrame, *, title: str = "Demand share against supply share",
                   label_top: int = 8, height: int = 520) -> go.Figure:
    """Each sector at (supply share S, demand share D) on logarithmic axes, where shares from a few
    tenths of a percent to a fifth stay apart; the diagonal D = S is still a straight line. Above
    it D > S: under-supplied. A zero share is drawn on the axis floor and named in the hover."""
    df = gaps.dropna(subset=["gap_index"])
    x, y = df["supply_share"] * 100, df["demand_share"] * 100
    positive = pd.concat([x[x > 0], y[y > 0]])
    floor = float(positive.min()) / 2 if len(positive) else 0.1
    top = float(positive.max()) * 1.6 if len(positive) else 100.0
    xs, ys = x.clip(lower=floor), y.clip(lower=floor)
    def unit(v: float) -> float:  # both axes span the same log range, floor to top
        return (np.log10(v) - np.log10(floor) + 0.05) / (np.log10(top) - np.log10(floor) + 0.05)

    positions = _place_labels(
        [unit(v) for v in xs], [unit(v) for v in ys],
        df["sector"].tolist(), df["rank"].tolist(), label_top, plot_px=(430, height - 150),
    )
    text = [s if p else "" for s, p in zip(df["sector"], positions)]
    sides = [p or "middle right" for p in positions]
    fig = _figure(title, height)
    fig.add_trace(go.Scatter(x=[floor, top, floor], y=[floor, top, top], fill="toself", mode="lines",
                             fillcolor="rgba(224,130,20,0.08)", line=dict(width=0), hoverinfo="skip", showlegend=False))
    fig.add_trace(go.Scatter(x=[floor, top], y=[floor, top], mode="lines", line=dict(color=MUTED, dash="dash", width=1),
                             hoverinfo="skip", showlegend=False))
    fig.add_trace(go.Scatter(
        x=xs, y=ys, mode="markers+text", text=text, textposition=sides, textfont=dict(size=11, color=INK),
        marker=dict(size=11, color=df["gap_index"], colorscale=[[0, "#2a9d8f"], [0.5, "#cbd2d9"], [1, "#e08214"]],
                    cmin=-1, cmax=1, line=dict(color="white", width=1),
                    colorbar=dict(title=dict(text="gap index G"), thickness=12)),
        customdata=pd.concat([df[["sector", "gap_index", "coverage"]], x.rename("s"), y.rename("d")], axis=1).to_numpy(),
        hovertemplate="%{customdata[0]}<br>demand share %{customdata[4]:.1f} %<br>supply share %{customdata[3]:.1f} %"
                      "<br>gap index %{customdata[1]:+.2f} · %{customdata[2]} companies at level ≥ 2<extra></extra>",
        showlegend=False,
    ))
    fig.add_annotation(x=0.02, y=0.98, xref="paper", yref="paper", text="under-supplied: D > S", showarrow=False,
                       xanchor="left", yanchor="top", font=dict(color="#b35806"))
    fig.add_annotation(x=0.98, y=0.02, xref="paper", yref="paper", text="over-supplied: S > D", showarrow=False,
                       xanchor="right", yanchor="bottom", font=dict(color="#1f6f66"))
    ticks = [t for t in (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100) if floor <= t <= top]
    axis = dict(type="log", range=[np.log10(floor) - 0.05, np.log10(top)], showgrid=True, gridcolor="#eef1f4",
                tickvals=ticks, ticktext=[f"{t:g} %" for t in ticks])
    fig.update_xaxes(title_text="supply share S (% of the selected companies' capacity, log scale)", **axis)
    fig.update_yaxes(title_text="demand share D (% of the selected demand, log scale)", **axis)
    return fig


_LABEL_OFFSETS = {  # where a label sits relative to its marker, in pixels: (x0, x1 as multiples of the width, y0, y1)
    "middle right": lambda w, h: (8, 8 + w, -h / 2, h / 2),
    "middle left": lambda w, h: (-8 - w, -8, -h / 2, h / 2),
    "top center": lambda w, h: (-w / 2, w / 2, 7, 7 + h),
    "bottom center": lambda w, h: (-w / 2, w / 2, -7 - h, -7),
}


def _place_labels(xs: list[float], ys: list[float], texts: list[str], ranks: list[int], most: int,
                  *, plot_px: tuple[int, int]) -> list[str | None]:
    """A text position for the best-ranked points whose label fits without covering another label
    or marker; None for the rest (they keep their hover). Coordinates are 0..1 of the plot area."""
    width, height = plot_px
    placed: list[tuple[float, float, float, float]] = []
    markers = [(x * width, y * height) for x, y in zip(xs, ys)]
    positions: list[str | None] = [None] * len(xs)
    for i in sorted(range(len(xs)), key=lambda k: ranks[k])[:most]:
        w, h = 6.4 * len(texts[i]), 14
        px, py = markers[i]
        for side, offsets in _LABEL_OFFSETS.items():
            x0, x1, y0, y1 = offsets(w, h)
            box = (px + x0, px + x1, py + y0, py + y1)
            inside = box[0] >= 0 and box[1] <= width + 40 and box[2] >= 0 and box[3] <= height
            clear = all(box[1] < b[0] or box[0] > b[1] or box[3] < b[2] or box[2] > b[3] for b in placed)
            free = all(not (box[0] - 5 <= mx <= box[1] + 5 and box[2] - 5 <= my <= box[3] + 5)
                       for j, (mx, my) in enumerate(markers) if j != i)
            if inside and clear and free:
                placed.append(box)
                positions[i] = side
                break
    return positions


def return_bars(returns: pd.DataFrame, *, title: str = "Return coefficient by country",
                height: int | None = None) -> go.Figure:
    """One horizontal bar per country, best first, coloured by CERN class, with the 0.40 and 1.00
    class boundaries."""
    df = returns.sort_values("return_coefficient", ascending=False)
    fig = _figure(title, height or max(300, 130 + 19 * len(df)))
    for cls in CLASSES:
        part = df[df["return_class"] == cls]
        if part.empty:
            continue
        fig.add_trace(go.Bar(
            y=part["country"], x=part["return_coefficient"], name=cls, orientation="h", marker_color=CLASS_COLOURS[cls],
            customdata=(part[["award_share", "contribution_share"]] * 100).to_numpy(),
            hovertemplate="%{y}: %{x:.2f}<br>%{customdata[0]:.1f} % of contract value ÷ "
                          "%{customdata[1]:.1f} % of contributions<extra></extra>",
        ))
    for level in (VERY_POORLY_BELOW, POORLY_BELOW):
        fig.add_vline(x=level, line=dict(color=INK, width=1, dash="dot"))
        fig.add_annotation(yref="paper", y=1.0, yanchor="bottom", x=level, text=f"{level:.2f}", showarrow=False,
                           font=dict(color=INK, size=11))
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=df["country"].tolist(),
                     autorange="reversed", gridcolor="white", rangemode="normal")
    fig.update_xaxes(title_text="return coefficient (share of contracts ÷ share of contributions)", showgrid=True,
                     gridcolor="#eef1f4", rangemode="tozero")
    fig.update_layout(legend=dict(traceorder="normal"), margin=dict(t=70))
    return fig


def competency_heatmap(cells: pd.DataFrame, *, title: str = "Levels by company and sector",
                       height: int | None = None) -> go.Figure:
    """Companies (rows, in page order) × sectors (columns), coloured by level 0-3, with a thin line
    between top sectors."""
    rows = cells.drop_duplicates("row_no").sort_values("row_no")
    cols = cells.drop_duplicates("col").sort_values("col")
    labels = [f"{n} ({c})" for n, c in zip(rows["name"], rows["country"])]
    z = cells.pivot(index="row_no", columns="col", values="level").reindex(index=rows["row_no"], columns=cols["col"])
    hover = [[f"{label}<br>{sector}: level {int(v)} ({LEVEL_NAMES[int(v)]})" for sector, v in zip(cols["sector"], row)]
             for label, row in zip(labels, z.to_numpy())]
    scale = []
    for i, colour in enumerate(LEVEL_COLOURS):
        scale += [[i / 4, colour], [(i + 1) / 4, colour]]
    fig = _figure(title, height or 230 + 22 * len(rows))
    fig.add_trace(go.Heatmap(
        z=z.to_numpy(), x=cols["sector"].tolist(), y=labels, colorscale=scale, zmin=-0.5, zmax=3.5,
        hovertext=hover, hoverinfo="text", xgap=2, ygap=2, showscale=False,
    ))
    tops = cols["top_sector_id"].tolist()
    for i in range(1, len(tops)):
        if tops[i] != tops[i - 1]:
            fig.add_vline(x=i - 0.5, line=dict(color=INK, width=1))
    for level, colour in enumerate(LEVEL_COLOURS):
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=f"{level} {LEVEL_NAMES[level]}",
                                 marker=dict(symbol="square", size=12, color=colour, line=dict(color="#cbd2d9", width=1))))
    fig.update_xaxes(side="top", tickangle=-50, showline=False, ticks="", tickfont=dict(size=11))
    fig.update_yaxes(autorange="reversed", showgrid=False, type="category", rangemode="normal", tickfont=dict(size=11))
    fig.update_layout(margin=dict(t=210, l=10, r=10, b=10), legend=dict(y=-0.02, yanchor="top", traceorder="normal"),
                      title=dict(y=0.995, yref="container", yanchor="top"))
    return fig


def level_bars(distribution: pd.DataFrame, *, title: str = "Number of companies per level and sector",
               height: int | None = None) -> go.Figure:
    """Stacked counts at levels 1-3 per sector; sectors with fewer than 2 at level 2 or more are marked."""
    df = distribution.sort_values("col")
    labels = df["sector"].tolist()
    fig = _figure(title, height or max(260, 110 + 26 * len(df)))
    for level in (1, 2, 3):
        fig.add_trace(go.Bar(
            y=labels, x=df[f"level_{level}"], orientation="h", name=f"{level} {LEVEL_NAMES[level]}",
            marker_color=LEVEL_COLOURS[level], hovertemplate=f"%{{y}}: %{{x}} companies at level {level}<extra></extra>",
        ))
    total = df[["level_1", "level_2", "level_3"]].sum(axis=1)
    risky = df["single_supplier_risk"].astype(bool)
    fig.add_trace(go.Scatter(
        y=[l for l, r in zip(labels, risky) if r], x=total[risky], mode="text", showlegend=False, hoverinfo="skip",
        text=[f"  ⚠ {c} at level ≥ 2" for c in df.loc[risky, "coverage"]], textposition="middle right",
        textfont=dict(color="#b2182b", size=12), cliponaxis=False,
    ))
    # The legend sits in the right margin, below the warnings that margin is kept for.
    fig.update_layout(barmode="stack", margin=dict(r=140),
                      legend=dict(traceorder="normal", orientation="v", x=1.02, xanchor="left", y=0, yanchor="bottom"))
    fig.update_xaxes(showgrid=True, gridcolor="#eef1f4")
    fig.update_yaxes(categoryorder="array", categoryarray=labels, autorange="reversed", gridcolor="white")
    return fig
