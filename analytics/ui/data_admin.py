"""The Data page's records of what happened (the history of changes, the import log) and the
removal of the sample data (admins, after a confirmation)."""
from __future__ import annotations

import duckdb
import streamlit as st

from analytics import cleanup, history
from analytics.access import Actor
from analytics.importing import log
from analytics.sample import describe, sample_counts
from analytics.errors import ClusterBoardError
from analytics.ui import components as ui
from analytics.ui.state import connection

REMOVED = "data_sample_removed"
CONFIRM = "data_sample_confirm"


def render_history(con: duckdb.DuckDBPyConnection, project: str | None) -> None:
    st.subheader("Changes" + (f" to {ui.md_escape(project)}" if project else ""))
    st.caption("Every change made by a form, an import or the removal of sample data, with the value it "
               "replaced: nothing is overwritten without a trace. Rows an import adds are counted in the import log.")
    changes = history.summary(con, project_id=project)
    if changes.empty:
        st.caption("No changes yet.")
    else:
        st.dataframe(changes, hide_index=True, width="stretch", key="history_changes",
                     column_config={"changed_at": st.column_config.DatetimeColumn("When", format="DD.MM.YYYY HH:mm"),
                                    "user_name": "Who", "via": "How", "table_name": "Table", "row_key": "Row",
                                    "action": "Change", "what": st.column_config.TextColumn("What", width="large")})
    st.subheader("Import log")
    imports = log.recent(con)
    if imports.empty:
        st.caption("No imports yet.")
    else:
        st.dataframe(imports, hide_index=True, width="stretch", key="history_imports",
                     column_config={"import_id": st.column_config.NumberColumn("#", format="%d"),
                                    "imported_at": st.column_config.DatetimeColumn("When", format="DD.MM.YYYY HH:mm"),
                                    "user_name": "Who", "table_name": "Table", "file_name": "File",
                                    "rows_inserted": "New", "rows_updated": "Changed", "result": "Result",
                                    "message": "Message", "file_sha256": "File SHA-256"})


def _remove(actor: Actor) -> None:
    try:
        removed = cleanup.remove_sample_data(connection(), actor)
    except ClusterBoardError as exc:  # real rows still refer to sample rows, or not an admin
        st.session_state[REMOVED] = ("error", str(exc))
    else:
        st.session_state[REMOVED] = ("ok", f"Removed {sum(removed.values()):,} sample rows.")


@st.dialog("Remove all sample data?")
def _confirm(actor: Actor, counts: dict[str, int]) -> None:
    st.write(f"This deletes **{sum(counts.values()):,} sample rows**: {describe(counts)}. Real rows (facts with "
             "their source, and everything you imported or entered) stay. Each deleted row is kept in the history.")
    # A callback: the removal runs once, before the page reruns and closes the dialog.
    st.button("Yes, remove the sample data", type="primary", icon=":material/delete_forever:",
              key="sample_confirm", on_click=_remove, args=(actor,))


def render_sample(con: duckdb.DuckDBPyConnection, actor: Actor, *, is_admin: bool) -> None:
    if removed := st.session_state.pop(REMOVED, None):
        (st.success if removed[0] == "ok" else st.error)(ui.md_escape(removed[1]))
    counts = sample_counts(con)
    st.caption("Sample rows illustrate the dashboard until your own data is in; every page marks them. "
               "Facts with a source (budgets, partners, targets) are not sample data.")
    if not counts:
        st.info("There is no sample data in this database.", icon=":material/check_circle:")
        return
    st.dataframe([{"table": t, "sample rows": n} for t, n in sorted(counts.items())], hide_index=True,
                 key="sample_counts", width="content")
    if not is_admin:
        st.caption("Only an admin can remove the sample data.")
        return
    st.button(f"Remove {sum(counts.values()):,} sample rows…", icon=":material/delete:", key="sample_remove",
              on_click=st.session_state.__setitem__, args=(CONFIRM, True))
    if st.session_state.pop(CONFIRM, False):  # asked for by the click's callback, so no rerun loses it
        _confirm(actor, counts)
