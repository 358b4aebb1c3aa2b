"""Plotly figures from analytics.charts as native PowerPoint charts, editable in PowerPoint.

The translation reads the figure the app draws (traces, colours, dashes, reference lines, axis
formats), so the deck's numbers are the chart's numbers. Lines become XY scatter charts (dates as
Excel serial days, so every series keeps its own dates), bars become clustered bar charts. A figure
with anything else (a heatmap, bars mixed with lines) becomes a picture: `native()` says None.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from pptx.chart.data import CategoryChartData, XyChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.util import Pt

EXCEL_EPOCH = pd.Timestamp("1899-12-30")  # Excel's day 0 (with its 1900 leap-year quirk)
DASHES = {"dash": MSO_LINE_DASH_STYLE.DASH, "dot": MSO_LINE_DASH_STYLE.ROUND_DOT,
          "dashdot": MSO_LINE_DASH_STYLE.DASH_DOT, "longdash": MSO_LINE_DASH_STYLE.LONG_DASH}
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


def rgb(colour) -> RGBColor | None:
    """'#1f4e8c' or 'rgb(31, 78, 140)' as RGBColor; anything else (names, scales) as None."""
    if not isinstance(colour, str):
        return None
    if re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
        return RGBColor.from_string(colour[1:])
    m = re.fullmatch(r"rgba?\((\d+),\s*(\d+),\s*(\d+)(?:,\s*[\d.]+)?\)", colour.strip())
    return RGBColor(*(int(v) for v in m.groups())) if m else None


def _is_dates(values) -> bool:
    for v in values:
        if v is None or (isinstance(v, float) and np.isnan(v)):
            continue
        return isinstance(v, (date, datetime, np.datetime64, pd.Timestamp)) or (isinstance(v, str) and bool(_ISO_DAY.match(v)))
    return False


def _serial(values) -> list[float | None]:
    stamps = pd.to_datetime(pd.Series(list(values), dtype="object"), errors="coerce")
    return [None if pd.isna(t) else (t - EXCEL_EPOCH) / pd.Timedelta(days=1) for t in stamps]


def _numbers(values) -> list[float | None]:
    out = []
    for v in values:
        try:
            f = float(v)
        except (TypeError, ValueError):
            f = None
        out.append(None if f is None or np.isnan(f) else f)
    return out


def number_format(axis) -> str:
    """Plotly's tickformat and ticksuffix as an Excel number format."""
    fmt = axis.tickformat or ""
    m = re.search(r"\.(\d+)([f%])", fmt)
    decimals = int(m.group(1)) if m else 0
    base = ("#,##0" if "," in fmt else "0") + ("." + "0" * decimals if decimals else "")
    if fmt.endswith("%"):
        base = "0" + ("." + "0" * decimals if decimals else "") + "%"
    suffix = axis.ticksuffix or ""
    return base + (f'"{suffix}"' if suffix else "") if fmt or suffix else "General"


@dataclass
class Line:
    name: str
    x: list[float]
    y: list[float]
    colour: RGBColor | None = None
    dash: str | None = None
    width_px: float | None = None
    markers: bool = False


@dataclass
class NativeChart:
    kind: str  # "xy" or "bar"
    chart_type: object
    data: object
    lines: list[Line] = field(default_factory=list)
    bar_colours: list[list[RGBColor | None]] = field(default_factory=list)
    bar_labels: list[list[str] | None] = field(default_factory=list)
    x_dates: bool = False
    x_range: tuple[float, float] | None = None
    y_range: tuple[float | None, float | None] | None = None
    x_format: str = "General"
    y_format: str = "General"
    x_title: str | None = None
    y_title: str | None = None
    stacked: bool = False


def _step(x: list, y: list) -> tuple[list, list]:
    """Plotly's 'hv' line shape as points: hold each value until the next x."""
    sx, sy = [], []
    for i, (a, b) in enumerate(zip(x, y)):
        if i:
            sx.append(a)
            sy.append(sy[-1])
        sx.append(a)
        sy.append(b)
    return sx, sy


def _annotation_for(fig: go.Figure, *, x=None, y=None) -> str | None:
    for a in fig.layout.annotations or ():
        if (y is not None and a.y == y) or (x is not None and a.x == x):
            return a.text
    return None


def _xy(fig: go.Figure) -> NativeChart:
    dates = any(_is_dates(t.x) for t in fig.data if t.x is not None)
    lines: list[Line] = []
    for t in fig.data:
        xs = _serial(t.x) if dates else _numbers(t.x)
        ys = _numbers(t.y)
        points = [(a, b) for a, b in zip(xs, ys) if a is not None and b is not None]
        if not points:
            continue
        x, y = (list(v) for v in zip(*points))
        if t.line.shape == "hv":
            x, y = _step(x, y)
        lines.append(Line(t.name or "series", x, y, rgb(t.line.color), t.line.dash, t.line.width,
                          markers="markers" in (t.mode or "")))
    all_x = [v for line in lines for v in line.x]
    all_y = [v for line in lines for v in line.y]
    x0, x1 = (min(all_x), max(all_x)) if all_x else (0.0, 1.0)
    # Reference lines (add_hline, add_vline, add_hrect) become two-point series with their label.
    for s in fig.layout.shapes or ():
        colour = rgb(s.line.color) if s.line else None
        if s.type == "line" and s.y0 == s.y1 and (s.xref or "").endswith("domain"):
            lines.append(Line(_annotation_for(fig, y=s.y0) or f"reference {s.y0:g}", [x0, x1], [s.y0, s.y0],
                              colour, s.line.dash, s.line.width))
            all_y.append(s.y0)
        elif s.type == "line" and s.x0 == s.x1 and (s.yref or "").endswith("domain"):
            xv = _serial([s.x0])[0] if dates else float(s.x0)
            top = max(all_y) if all_y else 1.0
            label = _annotation_for(fig, x=s.x0) or (f"as of {pd.Timestamp(s.x0):%d %b %Y}" if dates else "reference")
            lines.append(Line(label, [xv, xv], [0.0, top], RGBColor(0xCB, 0xD2, 0xD9), "dot", 1))
        elif s.type == "rect" and (s.xref or "").endswith("domain"):
            band = _annotation_for(fig, y=s.y1) or "band"
            for edge in (s.y0, s.y1):
                lines.append(Line(f"{band}: {edge:g}", [x0, x1], [edge, edge], rgb(s.fillcolor), "dash", 1))
    data = XyChartData()
    for line in lines:
        series = data.add_series(line.name)
        for a, b in zip(line.x, line.y):
            series.add_data_point(a, b)
    return NativeChart(
        kind="xy", chart_type=XL_CHART_TYPE.XY_SCATTER_LINES, data=data, lines=lines, x_dates=dates,
        x_range=(x0, x1), x_format="mmm yyyy" if dates else number_format(fig.layout.xaxis),
        y_format=number_format(fig.layout.yaxis),
        y_range=(0.0 if (fig.layout.yaxis.rangemode == "tozero" or all(v >= 0 for v in all_y)) else None, None),
        x_title=fig.layout.xaxis.title.text, y_title=fig.layout.yaxis.title.text,
    )


def _bars(fig: go.Figure) -> NativeChart:
    horizontal = all(t.orientation == "h" for t in fig.data)
    cats: list[str] = []
    for t in fig.data:
        for c in (t.y if horizontal else t.x):
            if str(c) not in cats:
                cats.append(str(c))
    # Plotly draws the first category at the top when the axis is reversed; PowerPoint would then
    # move the value axis to the top too, so the categories go in reversed instead.
    if (fig.layout.yaxis if horizontal else fig.layout.xaxis).autorange == "reversed":
        cats.reverse()
    axis = fig.layout.xaxis if horizontal else fig.layout.yaxis
    data = CategoryChartData(number_format=number_format(axis))
    data.categories = cats
    colours, labels = [], []
    for t in fig.data:
        keys = [str(k) for k in (t.y if horizontal else t.x)]
        values = _numbers(t.x if horizontal else t.y)
        marker = t.marker.color
        point_colours = list(marker) if isinstance(marker, (list, tuple, np.ndarray)) else [marker] * len(keys)
        text = list(t.text) if isinstance(t.text, (list, tuple, np.ndarray)) else None
        at = {k: i for i, k in enumerate(keys)}
        data.add_series(t.name or "value", [values[at[c]] if c in at else None for c in cats])
        colours.append([rgb(point_colours[at[c]]) if c in at else None for c in cats])
        labels.append([str(text[at[c]]) if c in at else "" for c in cats] if text else None)
    rng = axis.range
    stacked = fig.layout.barmode in ("stack", "relative")
    chart_type = {(True, False): XL_CHART_TYPE.BAR_CLUSTERED, (False, False): XL_CHART_TYPE.COLUMN_CLUSTERED,
                  (True, True): XL_CHART_TYPE.BAR_STACKED, (False, True): XL_CHART_TYPE.COLUMN_STACKED}[(horizontal, stacked)]
    return NativeChart(
        kind="bar", chart_type=chart_type, stacked=stacked,
        data=data, bar_colours=colours, bar_labels=labels, y_format=number_format(axis),
        y_range=(rng[0], rng[1]) if rng else (0.0, None), y_title=axis.title.text,
    )


def native(fig: go.Figure) -> NativeChart | None:
    kinds = {t.type for t in fig.data}
    if kinds == {"scatter"}:
        return _xy(fig)
    if kinds == {"bar"} and not any(t.base is not None for t in fig.data):  # bars from a base: a Gantt, a picture
        return _bars(fig)
    return None


def _style_axis(axis, *, fmt: str, title: str | None, font_pt: float, lo=None, hi=None, major=None) -> None:
    axis.tick_labels.number_format = fmt
    axis.tick_labels.number_format_is_linked = False
    axis.tick_labels.font.size = Pt(font_pt)
    axis.has_major_gridlines = False
    if lo is not None:
        axis.minimum_scale = lo
    if hi is not None:
        axis.maximum_scale = hi
    if major:
        axis.major_unit = major
    if title:
        axis.has_title = True
        axis.axis_title.text_frame.text = title
        axis.axis_title.text_frame.paragraphs[0].runs[0].font.size = Pt(font_pt)


def add(slide, spec: NativeChart, x, y, cx, cy, *, font_pt: float = 12):
    """Draw the chart on the slide; returns the chart's graphic frame."""
    frame = slide.shapes.add_chart(spec.chart_type, x, y, cx, cy, spec.data)
    chart = frame.chart
    chart.has_title = False  # the slide title names the chart (PowerPoint would title it after a lone series)
    chart.font.size = Pt(font_pt)
    chart.font.name = "Arial"
    chart.has_legend = len(chart.plots[0].series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(font_pt - 1)
    if spec.kind == "xy":
        for series, line in zip(chart.plots[0].series, spec.lines):
            series.smooth = False
            fmt = series.format.line
            if line.colour is not None:
                fmt.color.rgb = line.colour
            fmt.width = Pt((line.width_px or 2) * 0.75)
            if line.dash in DASHES:
                fmt.dash_style = DASHES[line.dash]
            if line.markers:
                series.marker.style = XL_MARKER_STYLE.CIRCLE
                series.marker.size = 4
                if line.colour is not None:
                    series.marker.format.fill.solid()
                    series.marker.format.fill.fore_color.rgb = line.colour
                    series.marker.format.line.color.rgb = line.colour
            else:
                series.marker.style = XL_MARKER_STYLE.NONE
        x0, x1 = spec.x_range
        span = max(x1 - x0, 1.0)
        major = None
        if spec.x_dates:
            major = next((m for m in (91.3125, 182.625, 365.25, 730.5) if span / m <= 8), 730.5)
        _style_axis(chart.category_axis, fmt=spec.x_format, title=spec.x_title, font_pt=font_pt - 1, lo=x0, hi=x1, major=major)
        lo, hi = spec.y_range or (None, None)
        _style_axis(chart.value_axis, fmt=spec.y_format, title=spec.y_title, font_pt=font_pt - 1, lo=lo, hi=hi)
        chart.value_axis.has_major_gridlines = True
        chart.value_axis.major_gridlines.format.line.color.rgb = RGBColor(0xEE, 0xF1, 0xF4)
    else:
        plot = chart.plots[0]
        plot.gap_width = 60
        plot.overlap = 100 if spec.stacked else 0
        for series, colours, labels in zip(plot.series, spec.bar_colours, spec.bar_labels):
            solid = {str(c) for c in colours}
            if len(solid) == 1 and colours[0] is not None:
                series.format.fill.solid()
                series.format.fill.fore_color.rgb = colours[0]
            else:
                for i, colour in enumerate(colours):
                    if colour is not None:
                        point = series.points[i]
                        point.format.fill.solid()
                        point.format.fill.fore_color.rgb = colour
            if labels:
                # The figure's own labels (e.g. 200 % on a bar drawn capped at 150 %), not the bar length.
                for i, text in enumerate(labels):
                    label = series.points[i].data_label
                    label.has_text_frame = True
                    label.text_frame.text = text
                    label.position = XL_LABEL_POSITION.OUTSIDE_END
                    label.font.size = Pt(font_pt - 1)
        chart.category_axis.tick_labels.font.size = Pt(font_pt - 1)
        lo, hi = spec.y_range or (None, None)
        _style_axis(chart.value_axis, fmt=spec.y_format, title=spec.y_title, font_pt=font_pt - 1, lo=lo, hi=hi)
        chart.value_axis.has_major_gridlines = True
        chart.value_axis.major_gridlines.format.line.color.rgb = RGBColor(0xEE, 0xF1, 0xF4)
    return frame
