"""The data dictionary, generated from the models: every table, column, type, rule and meaning.

The same rows are the help of the import templates and of the Data page; data/dictionary.md is
this module's output (`python -m analytics dictionary` writes it, a test checks it is current).
"""
from __future__ import annotations

from pathlib import Path

from analytics.columns import KIND_LABELS, columns
from analytics.importing.cells import MAX_CELL
from analytics.importing.matrix import MARKS_HELP
from analytics.models import TABLE_MODELS, model_for
from analytics.settings import DATA_DIR

DICTIONARY_PATH = DATA_DIR / "dictionary.md"
FIELDS = ["column", "type", "required", "allowed values", "limits", "default", "description"]

FORMATS_TEXT = f"""\
## Files the import reads

- **CSV** in UTF-8 (with or without byte-order mark), UTF-16, Windows-1250 (Central Europe) or
  Windows-1252/Latin-1 (Western Europe), detected from the text; separated by commas, semicolons,
  tabs or vertical bars. **Excel workbooks (.xlsx)**: the sheet named like the table, else the
  first sheet, unless one is chosen. Old .xls files: save them as .xlsx or CSV first.
- **Header**: the first row naming a column of the table (title rows above it are skipped).
  Names match in any case, with spaces or hyphens for underscores and a unit in brackets
  ("Amount (EUR)"); a reference may drop its `_id` ("Project"). Columns the table does not have
  are ignored with a warning. Row numbers in messages are spreadsheet rows: the header is row 1.
- **Numbers**: `1234.5`, `1234,5`, `1.234,50`, `1,234.50`, `420 709,52`, `1'234.50`, `-5`,
  `(5,00)` (negative), `€ 5` or `5 EUR`, `1e-07`. A value such as `1.234` reads with the file's
  decimal mark: the mark proven by the file's other values (`1.234,50` proves a comma), else a comma
  in semicolon-separated files and a point otherwise.
- **Dates**: `2021-03-04`, `04.03.2021`, `04/03/2021`, `4-3-2021`, always day first; Excel date
  cells. Years have four digits.
- **True/false**: true/false, yes/no, 1/0, x (and wahr/falsch, vrai/faux, ja/nein, oui/non, tak/nie).
- **Choices** match ignoring case, spaces and hyphens: `On track` is `on_track`.
- **Text**: one leading apostrophe before `=`, `+`, `-` or `@` is removed (it is how exports and
  spreadsheet users keep a text from being read as a formula). At most {MAX_CELL:,} characters.
- **Competency matrix**: `competencies` also imports wide, one row per company (`company_id`), one
  column per sector id, each cell a mark: {MARKS_HELP}. An x means the company has the competence
  without saying how far: it is read as level 1 (basic), since a sector's coverage counts
  only levels 2 and 3 (DESIGN.md). An empty cell writes nothing and keeps any level already stored.
- **Updates**: rows are matched on their key (below); a column the file leaves out keeps its stored
  value, except `is_sample`, which becomes false: a row you import is your data.
"""


_TITLES = {"kpis": "KPIs", "kpi_milestones": "KPI milestones", "bsos": "Big Science organisations (BSOs)",
           "bso_demand": "BSO demand by sector", "label_awards": "Cluster excellence labels",
           "budget_lines": "Budget lines (planned)", "expenses": "Expenses (actual)",
           "checkins": "KPI check-ins", "competencies": "Competencies (long or matrix)"}


def table_title(table: str) -> str:
    """How the page names a table: "KPI milestones (kpi_milestones)"."""
    return f"{_TITLES.get(table, table.replace('_', ' ').capitalize())} ({table})"


def _default(column) -> str:
    if column.default is None:
        return ""
    if isinstance(column.default, bool):
        return "true" if column.default else "false"
    return str(column.default)


def field_rows(table: str) -> list[dict[str, str]]:
    """The dictionary of one table: a row per column."""
    return [{
        "column": c.name,
        "type": KIND_LABELS[c.kind],
        "required": "yes" if c.required else "",
        "allowed values": ", ".join(c.choices),
        "limits": c.bounds,
        "default": _default(c),
        "description": c.description,
    } for c in columns(table)]


def table_summary(table: str) -> str:
    model = model_for(table)
    refs = "; ".join(f"{', '.join(cols)} must exist in {target}" for cols, target, _ in model.references)
    return f"Key: {', '.join(model.key)}." + (f" References: {refs}." if refs else "")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown() -> str:
    parts = ["# ClusterBoard data dictionary", "",
             "Generated from the pydantic models in `analytics/models/` by `python -m analytics dictionary`;",
             "do not edit by hand. The import templates carry the same help.", "", FORMATS_TEXT]
    for table in TABLE_MODELS:
        parts += [f"## {table}", "", table_summary(table), "",
                  "| " + " | ".join(FIELDS) + " |", "|" + "---|" * len(FIELDS)]
        parts += ["| " + " | ".join(_cell(row[f]) for f in FIELDS) + " |" for row in field_rows(table)]
        parts.append("")
    return "\n".join(parts)


def write(path: Path = DICTIONARY_PATH) -> Path:
    path.write_text(markdown(), encoding="utf-8")
    return path
