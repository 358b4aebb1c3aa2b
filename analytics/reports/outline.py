"""The report's outline: ReportData turned into sections of slides of blocks.

The order is the order a funder reads: who and when (cover), where the KPIs stand, how they moved,
the money, what went well and what may not, then the method. Each slide is one topic: one slide of
the deck, one step of the presentation.
"""
from __future__ import annotations

from analytics.reports import figures, fmt
from analytics.reports.blocks import Bullets, Chart, Facts, Item, Metric, Metrics, Section, Slide, Table
from analytics.reports.models import BudgetLine, KpiRow, ReportData

KPIS_PER_SLIDE = 8  # a KPI table slide stays legible in large type


def chart(fig, caption: str | None = None) -> Chart:
    # The slide title names the chart; the builder's own title would say it twice.
    fig.update_layout(title_text=None, margin_t=28)
    return Chart(figure=fig, caption=caption)


def duration(r: ReportData) -> str:
    text = f"{fmt.day(r.start_date)} – {fmt.day(r.end_date)} ({r.months} months)"
    if r.original_end_date and r.original_end_date != r.end_date:
        text += f", extended from {fmt.day(r.original_end_date)}"
    return text


def when(r: ReportData) -> str:
    if r.project_month is None:
        return "before the project start"
    if r.as_of > r.end_date:
        return "after the project end: final figures"
    return f"project month M{r.project_month} of {r.months}"


def cover(r: ReportData) -> Section:
    coordinator = next((p for p in r.partners if p.role == "coordinator"), None)
    others = [p for p in r.partners if p is not coordinator]
    facts = [
        ("Programme", r.programme + (f", call {r.call_id}" if r.call_id else "")),
        ("Grant agreement", r.grant_agreement or fmt.DASH),
        ("Duration", duration(r)),
        ("Coordinator", f"{coordinator.organisation} ({coordinator.country})" if coordinator else fmt.DASH),
        ("Partners", ", ".join(f"{p.organisation} ({p.country})" for p in others) or fmt.DASH),
        ("As of", f"{fmt.day(r.as_of)}, {when(r)}"),
        ("Data source", f"{r.source.database} ({r.source.loaded})"),
        ("Filters", "; ".join(f"{k}: {v}" for k, v in r.filters.items() if k not in ("Project", "As of"))),
    ]
    return Section(key="cover", title="Cover", slides=[
        Slide(title=f"{r.project_id}: {r.title}", subtitle=f"Progress report as of {fmt.day(r.as_of)}",
              blocks=[Facts(items=facts)], sample=r.has_sample),
    ])


def _sample(k: KpiRow) -> bool:
    """The KPI's definition or the records it counts include sample rows."""
    return k.is_sample or bool(k.sample_inputs)


def _kpi_flags(k: KpiRow) -> str:
    return ", ".join(n for n, on in (("placeholder target", k.is_placeholder), ("sample data", _sample(k))) if on)


def kpi_table(kpis: list[KpiRow]) -> Table:
    confidence = {"on_track": "On track", "at_risk": "At risk", "off_track": "Off track"}
    return Table(
        columns=["Code", "KPI", "Actual of target", "Progress", "Expected by now", "Pace", "Status", "Owner says", "Notes"],
        numeric=[False, False, True, True, True, True, False, False, False],
        widths=[0.06, 0.25, 0.14, 0.08, 0.08, 0.06, 0.11, 0.09, 0.13],
        status_column=6,
        rows=[[k.code, k.name, f"{k.n_of_n} {k.unit}", fmt.percent(k.progress), fmt.number(k.expected, 1),
               fmt.ratio(k.pace), k.status_label, confidence.get(k.confidence or "", fmt.DASH), _kpi_flags(k)]
              for k in kpis],
        row_status=[k.status for k in kpis],
        row_sample=[_sample(k) for k in kpis],
    )


def status_counts(kpis: list[KpiRow]) -> Metrics:
    order = ["achieved", "on_track", "at_risk", "off_track", "overdue", "not_started"]
    labels = {k.status: k.status_label for k in kpis}
    return Metrics(items=[Metric(label=labels[s], value=f"{sum(k.status == s for k in kpis)} of {len(kpis)}", status=s)
                          for s in order if s in labels])


def kpis_at_a_glance(r: ReportData) -> Section:
    slides = []
    chunks = [r.kpis[i:i + KPIS_PER_SLIDE] for i in range(0, len(r.kpis), KPIS_PER_SLIDE)] or [[]]
    for n, chunk in enumerate(chunks, start=1):
        title = "KPIs at a glance" + (f" ({n} of {len(chunks)})" if len(chunks) > 1 else "")
        blocks = [status_counts(r.kpis)] if n == 1 and r.kpis else []
        blocks.append(kpi_table(chunk))
        slides.append(Slide(title=title, subtitle=f"As of {fmt.day(r.as_of)}, {when(r)}", blocks=blocks,
                            sample=any(_sample(k) for k in chunk)))
    if r.kpis:
        slides.append(Slide(title="Progress towards target", subtitle="(actual − baseline) ÷ (target − baseline); bars capped at 150 %",
                            blocks=[chart(figures.progress(r))], sample=any(_sample(k) for k in r.kpis)))
    return Section(key="kpis", title="Key performance indicators", slides=slides)


def _kpi_metrics(k: KpiRow) -> Metrics:
    items = [
        Metric(label="Actual", value=f"{k.n_of_n}", note=k.unit, status=k.status),
        Metric(label="Status", value=k.status_label, status=k.status,
               note=f"owner: {k.confidence.replace('_', ' ')}" if k.confidence else None),
        Metric(label="Expected by now", value=fmt.number(k.expected, 1), note=f"pace {fmt.ratio(k.pace)}"),
        Metric(label="Forecast at due date", value=fmt.number(k.forecast, 1), note=f"due {fmt.day(k.due)}"),
    ]
    if k.required_rate_per_month is not None and k.status not in ("achieved", "not_started"):
        items.append(Metric(label="Needed per month", value=fmt.number(k.required_rate_per_month, 1), note=k.unit))
    return Metrics(items=items)


def _kpi_note(k: KpiRow) -> str:
    source = f" Target source: {k.source}." if k.source else ""
    sample = f" Counted from tables holding sample rows: {', '.join(k.sample_inputs)}." if k.sample_inputs else ""
    return f"{k.measure_title}: {k.explanation}{source}{sample}"


def kpi_progress(r: ReportData) -> Section:
    slides = [
        Slide(title=f"{k.code}: {k.name}",
              subtitle=k.measure_title + (" · placeholder target" if k.is_placeholder else ""),
              blocks=[_kpi_metrics(k), chart(figures.burnup(r, k.code))],
              sample=_sample(k), notes=_kpi_note(k))
        for k in r.kpis
    ]
    return Section(key="burnup", title="KPI progress over time", slides=slides)


def budget_table(lines: list[BudgetLine], first: str) -> Table:
    total_planned = sum(line.planned for line in lines)
    total_spent = sum(line.spent for line in lines)
    rows = [[line.label, fmt.eur(line.planned), fmt.eur(line.spent), fmt.percent(line.spent_share)] for line in lines]
    rows.append(["Total", fmt.eur(total_planned), fmt.eur(total_spent),
                 fmt.percent(total_spent / total_planned if total_planned else None)])
    return Table(columns=[first, "Planned", "Spent", "Spent share"], rows=rows, numeric=[False, True, True, True],
                 widths=[0.46, 0.2, 0.2, 0.14])


def budget(r: ReportData) -> Section:
    b = r.budget
    sample = any(t in r.sample_tables for t in ("budget_lines", "expenses"))
    flag_status = {"in line": "on_track", "under-spending": "at_risk", "over-spending": "off_track"}.get(b.burn_flag)
    metrics = Metrics(items=[
        Metric(label="Budget", value=fmt.eur(b.planned), note="sum of the budget lines"),
        Metric(label="Spent", value=fmt.eur(b.spent), note=f"{fmt.percent(b.spent_share, 1)} of the budget"),
        Metric(label="Burn index", value=fmt.ratio(b.burn_index), note=f"{b.burn_flag}; time elapsed {fmt.percent(b.elapsed_share)}",
               status=flag_status),
        Metric(label="Projected at end", value=fmt.eur(b.projected_spend), note="spent ÷ share of time elapsed"),
        Metric(label="EU contribution", value=fmt.eur(b.eu_contribution), note=f"at {fmt.percent(b.eu_rate)}, FSTP at 100 %"),
    ])
    slides = [Slide(title="Budget overview", subtitle=f"Spent against planned as of {fmt.day(r.as_of)}",
                    blocks=[metrics] + ([chart(figures.burn_over_time(r))] if r.burn_series else []), sample=sample)]
    for dimension, lines, first in (("category", r.budget_by_category, "Category"), ("partner", r.budget_by_partner, "Partner")):
        if lines:  # a project without budget lines yet has only the overview
            slides.append(Slide(title=f"Budget by {'cost category' if dimension == 'category' else 'partner'}",
                                blocks=[chart(figures.planned_vs_spent(r, dimension)), budget_table(lines, first)],
                                sample=sample))
    if r.burn_series:
        slides.append(Slide(title="Burn index over time",
                            subtitle=f"(spent ÷ planned) ÷ (time elapsed ÷ duration); flagged below {r.burn_low:g} or above {r.burn_high:g}",
                            blocks=[chart(figures.burn_index(r))], sample=sample))
    return Section(key="budget", title="Budget", slides=slides)


def findings(r: ReportData) -> Section:
    def items(found):
        return [Item(text=f.text, status=f.status, subject=f.subject) for f in found]

    return Section(key="findings", title="Highlights and risks", slides=[Slide(
        title="Highlights and risks", subtitle=f"As of {fmt.day(r.as_of)}",
        blocks=[Bullets(title="Highlights", items=items(r.highlights), empty="No KPI achieved or on track yet."),
                Bullets(title="Risks", items=items(r.risks), empty="No KPI at risk, off track or overdue.")],
        sample=r.has_sample)])


def method(r: ReportData) -> Section:
    data = Facts(items=[
        ("Database", f"{r.source.database} (schema v{r.source.schema_version})"),
        ("Loaded from", r.source.loaded),
        ("Facts", r.source.facts_source or fmt.DASH),
        ("Sample data", r.sample_note or "none: every row is a reported fact"),
        ("Generated", f"{r.source.generated_at:%d.%m.%Y %H:%M}"),
        *r.filters.items(),
    ])
    definitions = Table(
        columns=["Code", "Counts", "Definition", "Source of the target"],
        numeric=[False, False, False, False],
        widths=[0.07, 0.17, 0.46, 0.30],
        rows=[[k.code, k.measure_title, k.explanation, (k.source or fmt.DASH) + (" (placeholder)" if k.is_placeholder else "")]
              for k in r.kpis],
    )
    formulas = Facts(items=list(r.formulas.items()))
    return Section(key="method", title="Method and data", slides=[
        Slide(title="Data and filters", blocks=[data], sample=r.has_sample),
        Slide(title="What each KPI counts", blocks=[definitions], in_deck=False),
        Slide(title="Formulas", blocks=[formulas], in_deck=False),
    ])


def outline(r: ReportData) -> list[Section]:
    return [cover(r), kpis_at_a_glance(r), findings(r), kpi_progress(r), budget(r), *r.extra_sections, method(r)]
