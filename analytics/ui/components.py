"""Small rendering pieces used by several pages: badges, KPI cards, formulas, number formats."""
from __future__ import annotations

import math

import streamlit as st

from analytics.charts import STATUS_COLOURS
from analytics.kpis import STATUS_LABELS
from analytics.sample import describe

_BADGE_COLOUR = {
    "achieved": "green", "on_track": "green", "at_risk": "orange",
    "off_track": "red", "overdue": "red", "not_started": "gray",
}
CONFIDENCE_LABELS = {"on_track": "On track", "at_risk": "At risk", "off_track": "Off track"}


# Text from the data (names, titles, notes) goes into Markdown: escape every ASCII punctuation
# character (CommonMark allows a backslash before any), so `<script>` shows as text, `**` stays
# two asterisks, and `[x](url)`, `$...$` or `:red[...]` never become links, formulas or colours.
_MD_SPECIAL = {ord(c): "\\" + c for c in "\\`*_{}[]()<>#+-.!|~:$&\"'="}


def md_escape(value: object) -> str:
    """Data as literal text inside st.markdown / st.caption / st.title strings."""
    return str(value).translate(_MD_SPECIAL).replace("\n", " ")


def sample_badge(counts: dict[str, int], *, where: str = "this page") -> None:
    """A visible mark wherever sample rows are shown; says which tables they come from."""
    if counts:
        st.badge("Sample data", icon=":material/science:", color="orange",
                 help=f"Illustrative rows on {where}: {describe(counts)}. Real figures carry their source.")


def status_badge(status: str) -> None:
    st.badge(STATUS_LABELS.get(status, status), color=_BADGE_COLOUR.get(status, "gray"))


def status_markdown(status: str) -> str:
    return f":{_BADGE_COLOUR.get(status, 'gray')}-badge[{STATUS_LABELS.get(status, status)}]"


def number(value: float | None, unit: str = "", digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.{digits}f}"
    return f"{text} {unit}".strip()


def percent(value: float | None, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:.{digits}%}"


def eur(value: float | None) -> str:
    return "–" if value is None or (isinstance(value, float) and math.isnan(value)) else f"€{value:,.0f}"


def formulas(items: dict[str, str], *, title: str = "How these numbers are computed") -> None:
    with st.expander(title, icon=":material/function:"):
        st.markdown("\n".join(f"- **{name}**: {text}" for name, text in items.items()))


def kpi_card(row: dict) -> None:
    """Value, 'n of N', % of goal, computed status and, beside it, the owner's confidence."""
    with st.container(border=True):
        digits = 0 if float(row["actual"]).is_integer() and float(row["target"]).is_integer() else 1
        st.markdown(f"**{md_escape(row['code'])}** · {md_escape(row['name'])}")
        badges = [status_markdown(row["status"])]
        if isinstance(row.get("confidence"), str):
            colour = {"on_track": "green", "at_risk": "orange", "off_track": "red"}[row["confidence"]]
            badges.append(f":{colour}-badge[Owner: {CONFIDENCE_LABELS[row['confidence']]}]")
        if row.get("is_placeholder"):
            badges.append(":violet-badge[Placeholder target]")
        if row.get("is_sample"):
            badges.append(":orange-badge[Sample]")
        st.markdown(" ".join(badges))
        st.metric(
            md_escape(row["unit"].capitalize()),
            f"{number(row['actual'], digits=digits)} of {number(row['target'], digits=digits)}",
            delta=None if row.get("progress") is None or math.isnan(row["progress"]) else f"{row['progress']:.0%} of goal",
            delta_color="off", delta_arrow="off",
        )
        pace = row.get("pace")
        rate = row.get("required_rate_per_month")
        lines = [f"Expected by now {number(row['expected'], digits=1)}",
                 "pace –" if pace is None or math.isnan(pace) else f"pace {pace:.2f}"]
        if rate is not None and not math.isnan(rate) and row["status"] != "achieved":
            lines.append(f"needs {rate:,.1f} {md_escape(row['unit'])}/month")
        st.caption(" · ".join(lines))


def status_legend() -> str:
    return " ".join(f"<span style='color:{c}'>■</span> {STATUS_LABELS[s]}" for s, c in STATUS_COLOURS.items())
