"""user add|remove|list: the accounts that may sign in (see analytics.users).

Whoever runs the command line on the server holds the database file, so the CLI acts as the local
administrator. Passwords come from a prompt (asked twice, never echoed) or, for scripts, from the
first line of standard input with --password-stdin; never from an argument, which `ps` and shell
history would show.
"""
from __future__ import annotations

import getpass
import sys

from pydantic import ValidationError

from analytics import store, users
from analytics.access import LOCAL_ADMIN, ROLES
from analytics.commands.common import open_existing, print_json, print_table
from analytics.errors import ClusterBoardError
from analytics.settings import read_only_mode


def add_parser(sub):
    p = sub.add_parser("user", help="manage accounts: add, remove, list")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="add an account (or change one with --replace)")
    add.add_argument("name", help="sign-in name, or the e-mail the identity provider reports")
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument("--project", action="append", default=[], metavar="PROJECT",
                     help="editor: a project they may change; viewer: a project they may see (repeatable)")
    secret = add.add_mutually_exclusive_group()
    secret.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    secret.add_argument("--no-password", action="store_true", help="signs in through the identity provider only")
    add.add_argument("--replace", action="store_true", help="change an existing account")
    remove = actions.add_parser("remove", help="remove an account")
    remove.add_argument("name")
    listing = actions.add_parser("list", help="list the accounts")
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    return p


def _password(args) -> str | None:
    if args.no_password:
        return None
    if args.password_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise ClusterBoardError("no password on standard input")
        return line
    if not sys.stdin.isatty():
        # getpass would fall back to reading (and echoing) a pipe; say what to do instead.
        raise ClusterBoardError("no terminal to ask the password on; pipe it with --password-stdin")
    try:
        first = getpass.getpass(f"Password for {args.name}: ")
        again = getpass.getpass("Again: ")
    except EOFError:
        raise ClusterBoardError("no password given; nothing was changed") from None
    if again != first:
        raise ClusterBoardError("the two passwords differ; nothing was changed")
    return first


def _account(args, password: str | None) -> users.NewAccount:
    try:
        return users.NewAccount(name=args.name, role=args.role, projects=args.project, password=password)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'account'}: {e['msg'].removeprefix('Value error, ')}"
                             for e in exc.errors())
        raise ClusterBoardError(problems) from None


def run(args) -> int:
    if args.action != "list" and read_only_mode():
        raise ClusterBoardError("the server runs in public read-only mode (CLUSTERBOARD_READ_ONLY=1): "
                                "accounts cannot be changed")
    con = open_existing(args, read_only=args.action == "list")
    if args.action != "list":
        store.migrate(con)  # a database from before accounts existed gets the tables first
    if args.action == "add":
        account = users.add_account(con, LOCAL_ADMIN, _account(args, _password(args)), replace=args.replace)
        print(f"{account.name}: {account.actor().describe()}"
              + ("" if account.has_password else " (signs in through the identity provider)"))
    elif args.action == "remove":
        users.remove_account(con, LOCAL_ADMIN, args.name)
        left = len(users.list_accounts(con))
        print(f"removed {args.name.strip().lower()}; {left} account(s) left"
              + ("" if left else ": the app is back in single-user local mode"))
    else:
        rows = [{"name": a.name, "role": a.role, "projects": ", ".join(a.projects) or ("all" if a.role != "editor" else "-"),
                 "sign_in": "password" if a.has_password else "identity provider",
                 "created": a.created_at.isoformat(timespec="seconds"), "by": a.created_by}
                for a in users.list_accounts(con)]
        if args.json:
            print_json(rows)
        elif rows:
            print_table(rows)
        else:
            print("no accounts: the app runs in single-user local mode")
    return 0
