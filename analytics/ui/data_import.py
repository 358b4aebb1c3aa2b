"""The Data page's import: upload, check (a dry run, with a progress bar), see every problem or a
preview, then commit. The check's result is kept for the uploaded file, so the page's reruns do
not read a large file again; committing reads it once more, inside the write."""
from __future__ import annotations

import duckdb
import pandas as pd
import streamlit as st

from analytics import exporting
from analytics.settings import WEB_IMPORT_MAX_ROWS
from analytics.access import Actor
from analytics.columns import columns
from analytics.dictionary import table_title
from analytics.importing import ImportResult, import_file, workbook_sheets
from analytics.importing.encoding import CHOICES, LABELS
from analytics.models import TABLE_MODELS
from analytics.ui import components as ui

CHECKED = "data_import_checked"  # (file, table, sheet, encoding) -> ImportResult of the dry run
DONE = "data_import_done"
COMMIT = "data_import_commit"  # the key of the checked file the user asked to import
UPLOADS = "data_import_uploads"  # bumped after a commit so the uploader starts empty


def _progress_bar(text: str):
    bar = st.progress(0.0, text=text)
    return bar, (lambda fraction, message: bar.progress(fraction, text=message))


def _check(con, actor: Actor, key: tuple, upload) -> ImportResult:
    _file, table, sheet, encoding = key
    kept = st.session_state.get(CHECKED)
    if kept and kept[0] == key:
        return kept[1]
    bar, progress = _progress_bar("Checking the file…")
    result = import_file(con, table, upload.getvalue(), actor=actor, sheet=sheet, dry_run=True,
                         progress=progress, file_name=upload.name, encoding=encoding, row_limits=WEB_IMPORT_MAX_ROWS)
    bar.empty()
    st.session_state[CHECKED] = (key, result)
    return result


def _problems(result: ImportResult) -> None:
    st.error(f"**{len(result.problems):,} problem(s)** in {ui.md_escape(result.file_name)}: nothing will be "
             "written. Fix them in your file and upload it again; every problem is listed at once.",
             icon=":material/error:")
    frame = result.problems_frame()
    st.dataframe(frame, hide_index=True, width="stretch", key="import_problems",
                 column_config={"row": st.column_config.NumberColumn("Row", format="%d",
                                                                     help="Spreadsheet row: the header is row 1"),
                                "column": "Column", "value": "Value", "reason": "What is wrong"})
    st.download_button("Download the problems (CSV)", data=lambda: exporting.frame_csv(frame),
                       file_name=f"problems-{result.file_name}.csv", mime="text/csv", icon=":material/download:")


def _ready(con, actor: Actor, key: tuple, upload, sheet, encoding, result: ImportResult, can_write: bool) -> None:
    table = result.table
    new, changed, same = st.columns(3)
    new.metric("New rows", f"{result.inserted:,}")
    changed.metric("Rows that change", f"{result.updated:,}", help="Existing keys whose values differ; the "
                   "previous values are kept in the history.")
    same.metric("Already as in the file", f"{result.same:,}")
    if result.preview is not None and not result.preview.empty:
        n = len(result.preview)
        st.caption("The first row as it will be stored:" if n == 1 else f"The first {n} rows as they will be stored:")
        dates = {c.name: st.column_config.DateColumn(c.name, format="YYYY-MM-DD")
                 for c in columns(result.table) if c.kind == "date"}
        # an empty text cell shows empty, not as the word "None"
        preview = result.preview.copy()
        text = [c for c in preview.columns if c not in dates
                and (preview[c].dtype == object or pd.api.types.is_string_dtype(preview[c]))]
        preview[text] = preview[text].fillna("")
        st.dataframe(preview, hide_index=True, width="stretch", key="import_preview", column_config=dates)
    if result.unchanged:
        st.info("The database already holds everything in this file: importing it would change nothing.",
                icon=":material/check_circle:")
        return
    count = result.inserted + result.updated
    label = f"Import {count:,} row{'' if count == 1 else 's'} into {table}"
    # The click only asks (a callback survives any rerun before the page gets here); the import
    # itself runs below, in the page, where its progress bar can show.
    st.button(label, type="primary", icon=":material/upload:", disabled=not can_write, key="import_commit",
              on_click=st.session_state.__setitem__, args=(COMMIT, key),
              help=None if can_write else "Viewers cannot import.")
    if st.session_state.get(COMMIT) != key:
        return
    del st.session_state[COMMIT]
    bar, progress = _progress_bar("Importing…")
    final = import_file(con, table, upload.getvalue(), actor=actor, sheet=sheet, progress=progress,
                        file_name=upload.name, encoding=encoding, row_limits=WEB_IMPORT_MAX_ROWS)
    bar.empty()
    st.session_state.pop(CHECKED, None)
    if final.ok:
        st.session_state[DONE] = f"{final.summary()} (import #{final.import_id})."
        st.session_state[UPLOADS] = st.session_state.get(UPLOADS, 0) + 1
        st.rerun()
    _problems(final)  # the database changed between the check and the commit


def render(con: duckdb.DuckDBPyConnection, actor: Actor, *, can_write: bool) -> None:
    if done := st.session_state.pop(DONE, None):
        st.success(ui.md_escape(done), icon=":material/check:")
    limit = st.get_option("server.maxUploadSize")
    left, right = st.columns([2, 1])
    table = left.selectbox("Table to load into", list(TABLE_MODELS), format_func=table_title, key="import_table")
    encoding = right.selectbox("Character encoding (CSV)", ["", *CHOICES], key="import_encoding",
                               format_func=lambda e: LABELS[e] if e else "Detect automatically",
                               help="Detected from the text; choose one only if names look wrong in the preview.")
    upload = st.file_uploader(
        "CSV or Excel file", type=["csv", "txt", "xlsx"], key=f"import_upload_{st.session_state.get(UPLOADS, 0)}",
        help=f"At most {limit} MB per file: {WEB_IMPORT_MAX_ROWS.csv:,} rows of a CSV, "
             f"{WEB_IMPORT_MAX_ROWS.xlsx:,} of a workbook. A template for every table is on the Templates tab.")
    st.caption(f"Files up to **{limit} MB**: **{WEB_IMPORT_MAX_ROWS.csv:,} rows** of a CSV, "
               f"**{WEB_IMPORT_MAX_ROWS.xlsx:,}** of a workbook (larger files: "
               "`python -m analytics import TABLE FILE`). "
               "Nothing is written until you press Import, and then all rows or none.")
    if upload is None:
        return
    # a copy for the sheet names only, not held while the page checks and imports the file
    sheets = workbook_sheets(upload.getvalue())
    sheet = None
    if len(sheets) > 1:
        default = next((i for i, s in enumerate(sheets) if s.strip().lower() == table), 0)
        sheet = st.selectbox("Sheet", sheets, index=default, key="import_sheet")
    key = (upload.file_id, table, sheet, encoding or None)
    result = _check(con, actor, key, upload)
    if result.description:
        st.caption(f"Read as {ui.md_escape(result.description)}.")
    for warning in result.warnings:
        st.warning(ui.md_escape(warning), icon=":material/warning:")
    if result.problems:
        _problems(result)
    else:
        _ready(con, actor, key, upload, sheet, encoding, result, can_write)
