"""`aidatlas user …`: accounts that may log in (reading the registry needs none)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from aidatlas.auth import add_user
from aidatlas.cli.common import DbOption, err, fail, get_settings, guarded
from aidatlas.registry import open_store
from aidatlas.roles import ROLES, grant_role

app = typer.Typer(no_args_is_help=True, help="Accounts that may add documents through the web app.")


@app.command("add")
def user_add(
    username: Annotated[str, typer.Argument(help="user name (letters, digits, . _ @ -)")],
    db: DbOption = None,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="read the password from stdin")] = False,
    role: Annotated[list[str] | None, typer.Option("--role", help="applicant, reviewer, officer, editor or admin "
                                                   "(repeatable; default: editor)")] = None,
) -> None:
    """Create an account that may log in and add documents (reading needs no account)."""
    for name in role or []:
        if name not in ROLES:
            fail(f"unknown role {name!r}: use one of {', '.join(ROLES)}")
            raise typer.Exit(1)

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with guarded():
        store = open_store(get_settings(db))
        user = add_user(store.engine, username, password)
        for name in role or ["editor"]:
            grant_role(store.engine, user.id, name)
        store.close()
    err.print(f"user {username!r} created ({', '.join(role or ['editor'])})")
