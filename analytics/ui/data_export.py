"""The Data page's way out: export any table (or all), and the templates with the data dictionary.
Files are built only when a download button is clicked (a callable, run on its own cursor)."""
from __future__ import annotations

import duckdb
import streamlit as st

from analytics import dictionary, exporting, templates
from analytics.access import Actor
from analytics.dictionary import table_title
from analytics.importing.matrix import MARKS_HELP
from analytics.models import TABLE_MODELS

MIME = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def render_export(con: duckdb.DuckDBPyConnection, actor: Actor) -> None:
    projects = exporting.projects_in_scope(con, actor)
    st.caption("Every table as it is stored, columns in template order, so an export imports back exactly. "
               "Texts that start with = + - or @ get a leading apostrophe, so a spreadsheet never runs them "
               "as formulas; the import removes it again."
               + ("" if projects is None else f" Your account exports the rows of {', '.join(projects) or 'no project'} "
                  "and the shared reference data."))
    left, middle, right = st.columns([2, 1, 1], vertical_alignment="bottom")
    table = left.selectbox("Table", list(TABLE_MODELS), format_func=table_title, key="export_table")
    fmt = middle.segmented_control("Format", exporting.FORMATS, default="csv", key="export_format",
                                   format_func=str.upper) or "csv"
    # A cursor of its own: the callable runs on another thread after the click.
    right.download_button(f"Download {table}.{fmt}", data=lambda: exporting.table_bytes(con.cursor(), table, fmt, projects),
                          file_name=f"{table}.{fmt}", mime=MIME[fmt], icon=":material/download:", key="export_one",
                          width="stretch")
    st.download_button(f"Download every table ({fmt.upper()}, zipped)",
                       data=lambda: exporting.zip_bytes(con.cursor(), fmt, projects),
                       file_name=f"clusterboard-{fmt}.zip", mime="application/zip", icon=":material/folder_zip:",
                       key="export_all")
    st.caption("From the command line: `python -m analytics export DIR` writes every table to DIR.")


def render_templates() -> None:
    st.caption("Fill a template in your spreadsheet program and load it on the Import tab. The column "
               "names are the table's; the workbook carries the help below as comments and a dictionary sheet. "
               "The whole dictionary, with the formats the import reads, is `data/dictionary.md`.")
    left, csv_col, xlsx_col = st.columns([2, 1, 1], vertical_alignment="bottom")
    table = left.selectbox("Table", list(TABLE_MODELS), format_func=table_title, key="template_table")
    csv_col.download_button("CSV template", data=lambda: templates.template_csv(table), width="stretch",
                            file_name=f"{table}-template.csv", mime=MIME["csv"], icon=":material/download:",
                            key="template_csv")
    xlsx_col.download_button("Excel template", data=lambda: templates.template_xlsx(table), width="stretch",
                             file_name=f"{table}-template.xlsx", mime=MIME["xlsx"], icon=":material/download:",
                             key="template_xlsx")
    st.markdown(f"**{table_title(table)}**. {dictionary.table_summary(table)}")
    st.dataframe(dictionary.field_rows(table), hide_index=True, width="stretch", key="template_fields")
    if table == "competencies":
        st.info("The competency matrix also imports **wide**: one row per company (`company_id`), one column per "
                f"sector id, each cell a mark: {MARKS_HELP}. An x means the company has the competence without "
                "saying how far and is read as level 1 (basic); coverage counts only levels 2 and 3. An empty cell "
                "writes nothing.", icon=":material/grid_view:")
