"""Helpers for the access tests (issue 7): small databases with accounts, safe sign-in data."""
from __future__ import annotations

from analytics import users
from analytics.access import LOCAL_ADMIN

PASSWORD = "correct horse battery"  # every test account's password


def add_projects(con, *project_ids: str) -> None:
    """Bare project rows: enough for accounts to name them, far quicker than the whole seed."""
    for pid in project_ids:
        con.execute(
            "INSERT INTO projects (project_id, title, programme, start_date, end_date, total_budget, eu_rate, "
            "indirect_rate) VALUES (?, ?, 'COSME', DATE '2022-01-01', DATE '2023-12-31', 100000, 0.75, 0.07)",
            [pid, f"{pid} project"],
        )


def add_account(con, name: str, role: str, projects=(), password: str | None = PASSWORD):
    return users.add_account(con, LOCAL_ADMIN, users.NewAccount(name=name, role=role, projects=list(projects),
                                                                 password=password))


# Hostile text planted in the data: HTML that would run if rendered, and Markdown that would
# turn into a link, a colour or a formula. Every page must show it as the text it is.
HOSTILE_ORG = "<img src=x onerror=alert(1)>"
HOSTILE_COMPANY = "<script>alert(2)</script>"
HOSTILE_TITLE = "<script>alert(3)</script> [click](https://evil.example) **bold**"
HOSTILE_KPI = "<img src=x onerror=alert(4)> :red[red] $x$"
# Quote, semicolon and SQL fragments for every filter and field.
SQL_FRAGMENTS = ("'; DROP TABLE projects; --", '" OR 1=1 --', "1; DELETE FROM users; SELECT '")


def plant_hostile_names(con) -> None:
    """Rename a real organisation and company everywhere they occur, and one title and KPI name."""
    columns = con.execute(
        "SELECT c.table_name, c.column_name FROM information_schema.columns c "
        "JOIN information_schema.tables t USING (table_name) "
        "WHERE t.table_type = 'BASE TABLE' AND c.data_type = 'VARCHAR'"
    ).fetchall()
    for table, column in columns:  # names from the catalogue, values as parameters
        for old, new in (("BioWin", HOSTILE_ORG), ("Bølge Analytics A/S", HOSTILE_COMPANY)):
            con.execute(f'UPDATE "{table}" SET "{column}" = ? WHERE "{column}" = ?', [new, old])
    con.execute("UPDATE projects SET title = ? WHERE project_id = 'CE4BIG'", [HOSTILE_TITLE])
    con.execute("UPDATE kpis SET name = ? WHERE project_id = 'CE4BIG' AND code = 'LAB'", [HOSTILE_KPI])


def fingerprint(con, logs=("access_log",)) -> dict[str, list]:
    """Every row of every table but the logs (a refusal is logged): what must not change."""
    tables = [r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
        "AND table_name NOT IN (SELECT unnest(?)) ORDER BY 1", [list(logs)]).fetchall()]
    return {t: sorted(map(repr, con.execute(f'SELECT * FROM "{t}"').fetchall())) for t in tables}
