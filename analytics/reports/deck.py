"""PowerPoint deck (python-pptx): a slide per outline slide, native charts, editable text.

Everything is drawn on the blank layout at 16:9 so no template placeholder moves it; the title
of each slide is still the slide's title placeholder, so PowerPoint's outline and screen readers
see it. Colours and the footer are those of the PDF.
"""
from __future__ import annotations

import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from analytics.charts import STATUS_COLOURS
from analytics.reports import deck_charts, document, emblem, fmt, images
from analytics.reports.blocks import Bullets, Chart, Facts, Metrics, Section, Slide, Table
from analytics.reports.models import ReportData

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
LEFT, TOP, RIGHT, BOTTOM = Inches(0.5), Inches(1.45), Inches(12.833), Inches(6.8)
GAP = Inches(0.3)
INK, MUTED, ACCENT, LINE = (RGBColor.from_string(c) for c in ("1F2933", "7B8794", "1F4E8C", "D9E2EC"))
SAMPLE = RGBColor.from_string("B45309")
FONT = "Arial"


def _colour(status: str | None) -> RGBColor | None:
    return RGBColor.from_string(STATUS_COLOURS[status][1:]) if status in STATUS_COLOURS else None


def _text(slide, x, y, cx, cy, text: str, *, size: float, bold=False, colour=INK, align=PP_ALIGN.LEFT,
          anchor=MSO_ANCHOR.TOP, wrap=True):
    box = slide.shapes.add_textbox(x, y, cx, cy)
    tf = box.text_frame
    tf.word_wrap = wrap
    tf.vertical_anchor = anchor
    tf.margin_left = tf.margin_right = Inches(0.05)
    tf.margin_top = tf.margin_bottom = Inches(0.02)
    p = tf.paragraphs[0]
    p.alignment = align
    run = p.add_run()
    run.text = text
    _font(run.font, size, bold, colour)
    return box


def _font(font, size: float, bold: bool = False, colour: RGBColor | None = INK) -> None:
    font.size = Pt(size)
    font.bold = bold
    font.name = FONT
    if colour is not None:
        font.color.rgb = colour


def _rect(slide, x, y, cx, cy, fill: RGBColor | None, line: RGBColor | None = None, shape=MSO_SHAPE.RECTANGLE):
    r = slide.shapes.add_shape(shape, x, y, cx, cy)
    if fill is None:
        r.fill.background()
    else:
        r.fill.solid()
        r.fill.fore_color.rgb = fill
    if line is None:
        r.line.fill.background()
    else:
        r.line.color.rgb = line
        r.line.width = Pt(0.75)
    r.shadow.inherit = False
    return r


def _flag(slide, x, y, height) -> None:
    """The EU flag from its geometry (analytics.reports.emblem), as native shapes."""
    _rect(slide, x, y, int(height * 1.5), height, RGBColor.from_string(emblem.BLUE[1:]))
    r = emblem.star_radius(height)
    for cx, cy in emblem.star_centres(height):
        star = _rect(slide, int(x + cx - r), int(y + cy - r), int(2 * r), int(2 * r),
                     RGBColor.from_string(emblem.GOLD[1:]), shape=MSO_SHAPE.STAR_5_POINT)
        star.name = "EU star"


def _sample_tag(slide) -> None:
    tag = _rect(slide, Inches(11.2), Inches(0.38), Inches(1.633), Inches(0.36), SAMPLE, shape=MSO_SHAPE.ROUNDED_RECTANGLE)
    tag.name = "Sample data mark"
    tf = tag.text_frame
    tf.margin_top = tf.margin_bottom = 0
    p = tf.paragraphs[0]
    p.alignment = PP_ALIGN.CENTER
    run = p.add_run()
    run.text = "SAMPLE DATA"
    _font(run.font, 12, True, RGBColor(0xFF, 0xFF, 0xFF))


def _frame(prs, r: ReportData, slide_spec: Slide, number: int, total: int):
    """A slide with its title, subtitle, sample mark and footer; returns it for the content."""
    slide = prs.slides.add_slide(prs.slide_layouts[5])  # "Title Only": a real title placeholder
    title = slide.shapes.title
    title.left, title.top, title.width, title.height = LEFT, Inches(0.3), Inches(10.5), Inches(0.6)
    tf = title.text_frame
    tf.word_wrap = True
    tf.vertical_anchor = MSO_ANCHOR.TOP
    tf.text = slide_spec.title
    tf.paragraphs[0].alignment = PP_ALIGN.LEFT
    length = len(slide_spec.title)  # one line across the slide, whatever the KPI's name
    _font(tf.paragraphs[0].runs[0].font, 26 if length <= 48 else 22 if length <= 60 else 18, True, ACCENT)
    if slide_spec.subtitle:
        _text(slide, LEFT, Inches(0.92), Inches(12.3), Inches(0.4), slide_spec.subtitle, size=13, colour=MUTED)
    _rect(slide, LEFT, Inches(1.33), RIGHT - LEFT, Emu(Inches(0.025)), ACCENT)
    if slide_spec.sample:
        _sample_tag(slide)
    _text(slide, LEFT, Inches(7.0), Inches(11), Inches(0.3), document.footer(r), size=10, colour=MUTED)
    _text(slide, Inches(11.5), Inches(7.0), Inches(1.333), Inches(0.3), f"{number} / {total}", size=10,
          colour=MUTED, align=PP_ALIGN.RIGHT)
    if slide_spec.notes:
        slide.notes_slide.notes_text_frame.text = slide_spec.notes
    return slide


def _table(slide, b: Table, x, y, cx, cy) -> None:
    n_rows = len(b.rows) + 1
    size = 12 if n_rows <= 9 and len(b.columns) <= 6 else 11
    row_h = Inches(0.36)
    shape = slide.shapes.add_table(n_rows, len(b.columns), x, y, cx, min(cy, row_h * n_rows))
    table = shape.table
    table.first_row = True
    for j, w in enumerate(b.widths):
        table.columns[j].width = int(cx * w)
    for j, name in enumerate(b.columns):
        _cell(table.cell(0, j), name, size, bold=True, fill=RGBColor(0xEE, 0xF2, 0xF7),
              colour=RGBColor(0x33, 0x4E, 0x68), right=b.numeric[j])
    for i, row in enumerate(b.rows, start=1):
        total = row[0] == "Total"
        for j, value in enumerate(row):
            status = b.row_status[i - 1] if b.row_status and j == b.status_column else None
            fill = _colour(status) or RGBColor(0xFF, 0xFF, 0xFF)
            _cell(table.cell(i, j), value, size, bold=total or status is not None, fill=fill,
                  colour=RGBColor(0xFF, 0xFF, 0xFF) if status else INK, right=b.numeric[j])


def _cell(cell, text: str, size: float, *, bold: bool, fill: RGBColor, colour: RGBColor, right: bool) -> None:
    cell.fill.solid()
    cell.fill.fore_color.rgb = fill
    cell.margin_left = cell.margin_right = Inches(0.06)
    cell.margin_top = cell.margin_bottom = Inches(0.03)
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    tf = cell.text_frame
    tf.word_wrap = True
    tf.text = text
    p = tf.paragraphs[0]
    p.alignment = PP_ALIGN.RIGHT if right else PP_ALIGN.LEFT
    for run in p.runs:
        _font(run.font, size, bold, colour)


def _metrics(slide, b: Metrics, x, y, cx, cy) -> None:
    n = max(len(b.items), 1)
    gap = Inches(0.15)
    w = int((cx - gap * (n - 1)) / n)
    for i, m in enumerate(b.items):
        left = x + i * (w + gap)
        _rect(slide, left, y, w, cy, RGBColor(0xFB, 0xFC, 0xFD), LINE)
        _rect(slide, left, y, w, Inches(0.06), _colour(m.status) or RGBColor(0xCB, 0xD2, 0xD9))
        box = slide.shapes.add_textbox(left + Inches(0.08), y + Inches(0.1), w - Inches(0.16), cy - Inches(0.14))
        tf = box.text_frame
        tf.word_wrap = True
        for k, (text, size, bold, colour) in enumerate((
            (m.label.upper(), 10, False, MUTED), (m.value, 20, True, INK), (m.note or "", 10, False, MUTED),
        )):
            p = tf.paragraphs[0] if k == 0 else tf.add_paragraph()
            run = p.add_run()
            run.text = text
            _font(run.font, size, bold, colour)


def _bullets(slide, b: Bullets, x, y, cx, cy) -> None:
    box = slide.shapes.add_textbox(x, y, cx, cy)
    tf = box.text_frame
    tf.word_wrap = True
    p = tf.paragraphs[0]
    run = p.add_run()
    run.text = b.title
    _font(run.font, 17, True, ACCENT)
    size = 13 if len(b.items) <= 6 else 11
    for item in b.items or []:
        p = tf.add_paragraph()
        p.space_before = Pt(6)
        dot = p.add_run()
        dot.text = "● "
        _font(dot.font, size, False, _colour(item.status) or MUTED)
        run = p.add_run()
        run.text = item.text
        _font(run.font, size)
    if not b.items:
        p = tf.add_paragraph()
        run = p.add_run()
        run.text = b.empty
        _font(run.font, size, False, MUTED)


def _facts(slide, b: Facts, x, y, cx, cy) -> None:
    table = slide.shapes.add_table(len(b.items), 2, x, y, cx, Inches(0.3) * len(b.items)).table
    table.first_row = False
    table.columns[0].width = int(cx * 0.24)
    table.columns[1].width = cx - int(cx * 0.24)
    white = RGBColor(0xFF, 0xFF, 0xFF)
    for i, (label, value) in enumerate(b.items):
        _cell(table.cell(i, 0), label, 11, bold=True, fill=white, colour=RGBColor(0x52, 0x60, 0x6D), right=False)
        _cell(table.cell(i, 1), value, 11, bold=False, fill=white, colour=INK, right=False)


def _chart(slide, b: Chart, x, y, cx, cy, charts: dict[int, deck_charts.NativeChart | bytes]) -> None:
    spec = charts[id(b)]
    if isinstance(spec, bytes):
        slide.shapes.add_picture(io.BytesIO(spec), x, y, cx, cy)
    else:
        deck_charts.add(slide, spec, x, y, cx, cy)


def _place(slide, blocks, x, y, cx, cy, charts) -> None:
    """Key figures across the top; the other blocks side by side below (a chart gets more room)."""
    if len(blocks) > 1 and isinstance(blocks[0], Metrics):
        _metrics(slide, blocks[0], x, y, cx, Inches(1.05))
        y, cy = y + Inches(1.25), cy - Inches(1.25)
        blocks = blocks[1:]
    if len(blocks) == 1 and isinstance(blocks[0], Metrics):
        _metrics(slide, blocks[0], x, y, cx, Inches(1.1))
        return
    shares = [1.4 if isinstance(b, Chart) else 1.0 for b in blocks]
    free = cx - GAP * (len(blocks) - 1)
    left = x
    for b, share in zip(blocks, shares):
        w = int(free * share / sum(shares))
        draw = {Table: _table, Bullets: _bullets, Facts: _facts}.get(type(b))
        if isinstance(b, Chart):
            _chart(slide, b, left, y, w, cy, charts)
        elif draw is not None:
            draw(slide, b, left, y, w, cy)
        left += w + GAP


def _cover(prs, r: ReportData, section: Section, total: int) -> None:
    spec = section.slides[0]
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    _flag(slide, LEFT, Inches(0.4), Inches(0.5))
    _text(slide, LEFT + Inches(0.85), Inches(0.38), Inches(4), Inches(0.55), emblem.ACKNOWLEDGEMENT_TITLE,
          size=14, bold=True, colour=RGBColor.from_string(emblem.BLUE[1:]), anchor=MSO_ANCHOR.MIDDLE)
    if spec.sample:
        _sample_tag(slide)
    title = slide.shapes.title
    title.left, title.top, title.width, title.height = LEFT, Inches(1.4), Inches(6.2), Inches(1.0)
    title.text_frame.text = r.project_id
    title.text_frame.paragraphs[0].alignment = PP_ALIGN.LEFT
    _font(title.text_frame.paragraphs[0].runs[0].font, 48, True, RGBColor.from_string(emblem.BLUE[1:]))
    _text(slide, LEFT, Inches(2.45), Inches(6.2), Inches(1.2), r.title, size=20)
    _text(slide, LEFT, Inches(3.7), Inches(6.2), Inches(0.5), f"Progress report as of {fmt.day(r.as_of)}",
          size=20, bold=True, colour=ACCENT)
    if r.has_sample:
        banner = _rect(slide, LEFT, Inches(4.35), Inches(6.2), Inches(1.2), RGBColor(0xFF, 0xF7, 0xED), SAMPLE)
        banner.name = "Sample data notice"
        tf = banner.text_frame
        tf.word_wrap = True
        p = tf.paragraphs[0]
        run = p.add_run()
        run.text = r.sample_note
        _font(run.font, 11, False, RGBColor(0x7C, 0x2D, 0x12))
    _facts(slide, spec.blocks[0], Inches(7.0), Inches(1.45), Inches(5.833), Inches(4.5))
    _text(slide, LEFT, Inches(6.0), RIGHT - LEFT, Inches(0.9), r.acknowledgement, size=9, colour=MUTED)
    _text(slide, LEFT, Inches(7.0), Inches(11), Inches(0.3), document.footer(r), size=10, colour=MUTED)
    _text(slide, Inches(11.5), Inches(7.0), Inches(1.333), Inches(0.3), f"1 / {total}", size=10, colour=MUTED,
          align=PP_ALIGN.RIGHT)


def deck_slides(sections: list[Section]) -> list[tuple[Section, Slide]]:
    """The slides of the deck (and of the presentation), in order."""
    return [(s, slide) for s in sections for slide in s.slides if slide.in_deck]


def _charts(slides: list[tuple[Section, Slide]]) -> dict[int, deck_charts.NativeChart | bytes]:
    """Each chart as a native chart, or as a picture where PowerPoint has no such chart type
    (rendered in one batch; the core report has none)."""
    charts = {id(b): (b, deck_charts.native(b.figure)) for _, slide in slides for b in slide.blocks if isinstance(b, Chart)}
    fallback = [b for b, spec in charts.values() if spec is None]
    rendered = images.render([b.figure for b in fallback], fmt="png", sizes=[(900, 480)] * len(fallback))
    pictures = {id(b): png for b, png in zip(fallback, rendered)}
    return {key: pictures.get(key, spec) for key, (_, spec) in charts.items()}


def render(r: ReportData, sections: list[Section]) -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    props = prs.core_properties
    props.title = f"{r.project_id} progress report as of {r.as_of.isoformat()}"
    props.subject = f"{r.title} (grant agreement {r.grant_agreement or '–'})"
    props.author = "ClusterBoard"
    props.keywords = "sample data" if r.has_sample else ""
    # Document properties hold at most 255 characters; the full filters are on the cover slide.
    props.comments = (f"As of {r.as_of.isoformat()}; data: {r.source.database}"
                      + ("; contains sample data" if r.has_sample else ""))[:255]
    slides = deck_slides(sections)
    charts = _charts(slides)
    for number, (section, spec) in enumerate(slides, start=1):
        if section.key == "cover":
            _cover(prs, r, section, len(slides))
            continue
        slide = _frame(prs, r, spec, number, len(slides))
        _place(slide, spec.blocks, LEFT, TOP, RIGHT - LEFT, BOTTOM - TOP, charts)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
