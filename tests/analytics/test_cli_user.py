"""`python -m analytics user add|remove|list`: passwords from a prompt or stdin, never echoed."""
from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time

import pytest

from analytics import store, users
from tests.access_helpers import PASSWORD, add_projects
from tests.conftest import ROOT


@pytest.fixture
def db_file(tmp_path, monkeypatch):
    path = tmp_path / "cli.duckdb"
    con = store.connect(path, read_only=False)
    store.migrate(con)
    add_projects(con, "CE4BIG", "BIGINN")
    con.close()
    monkeypatch.setenv("CLUSTERBOARD_DB", str(path))
    monkeypatch.delenv("CLUSTERBOARD_READ_ONLY", raising=False)
    return path


def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analytics", "user", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=120)


def accounts(path) -> list[tuple]:
    con = store.connect(path, read_only=True)
    try:
        return [(a.name, a.role, a.projects, a.has_password) for a in users.list_accounts(con)]
    finally:
        con.close()


def test_add_with_password_stdin_list_and_remove(db_file):
    added = cli("add", "Alice", "--role", "editor", "--project", "CE4BIG", "--password-stdin", stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "alice: Editor of CE4BIG"
    assert PASSWORD not in added.stdout + added.stderr
    assert accounts(db_file) == [("alice", "editor", ["CE4BIG"], True)]

    listed = json.loads(cli("list", "--json").stdout)
    assert [(r["name"], r["role"], r["projects"], r["sign_in"]) for r in listed] == [("alice", "editor", "CE4BIG", "password")]

    removed = cli("remove", "alice")
    assert removed.returncode == 0 and "single-user local mode" in removed.stdout
    assert accounts(db_file) == []


def test_identity_provider_account(db_file):
    out = cli("add", "po@ec.europa.eu", "--role", "viewer", "--no-password")
    assert out.returncode == 0 and "identity provider" in out.stdout
    assert accounts(db_file) == [("po@ec.europa.eu", "viewer", [], False)]


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("add", "bob", "--role", "viewer"), "", "no terminal to ask the password on; pipe it with --password-stdin"),
        (("add", "bob", "--role", "viewer", "--password-stdin"), "short\n", "at least 10 characters"),
        (("add", "bob", "--role", "editor", "--no-password"), "", "an editor needs at least one project"),
        (("add", "bob", "--role", "editor", "--project", "NOPE", "--no-password"), "", "unknown project(s) NOPE"),
        (("add", "'; DROP TABLE users; --", "--role", "admin", "--no-password"), "", "should match pattern"),
        (("remove", "nobody"), "", "no account 'nobody'"),
    ],
    ids=["no-tty-no-stdin", "short-password", "editor-no-project", "unknown-project", "sql-name", "remove-unknown"],
)
def test_refusals_exit_1_with_one_line(db_file, args, stdin, message):
    out = cli(*args, stdin=stdin)
    assert out.returncode == 1
    assert message in out.stderr and "Traceback" not in out.stderr
    assert accounts(db_file) == []


def test_read_only_mode_refuses_account_changes(db_file, monkeypatch):
    monkeypatch.setenv("CLUSTERBOARD_READ_ONLY", "1")
    out = cli("add", "bob", "--role", "viewer", "--no-password")
    assert out.returncode == 1 and "public read-only mode" in out.stderr and "Traceback" not in out.stderr
    assert cli("list").returncode == 0
    assert accounts(db_file) == []


def _read_until(fd: int, marker: bytes, timeout: float = 90) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while marker not in seen:
        ready, _, _ = select.select([fd], [], [], max(deadline - time.monotonic(), 0))
        if not ready:
            raise AssertionError(f"no {marker!r} within {timeout} s; got {seen!r}")
        try:
            chunk = os.read(fd, 1024)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    return seen


def test_prompt_on_a_terminal_does_not_echo_the_password(db_file):
    """A real pseudo-terminal: getpass turns echo off, so the typed password never shows."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the CLI on the terminal
        os.chdir(ROOT)
        os.execv(sys.executable, [sys.executable, "-m", "analytics", "user", "add", "carol", "--role", "admin"])
    screen = _read_until(fd, b"Password for carol: ")
    os.write(fd, (PASSWORD + "\n").encode())
    screen += _read_until(fd, b"Again: ")
    os.write(fd, (PASSWORD + "\n").encode())
    screen += _read_until(fd, b"Administrator")
    os.waitpid(pid, 0)
    os.close(fd)
    assert PASSWORD.encode() not in screen
    assert accounts(db_file) == [("carol", "admin", [], True)]
