"""The `aidatlas` command: every group assembled in one Typer app (the console entry point is `main`)."""

from __future__ import annotations

import typer

from aidatlas.cli import activities, db, grants, iati, orgs, serve, users

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="aidatlas: a registry of development-cooperation activities in the Western Balkans.")
app.command()(activities.extract)
app.command()(activities.ingest)
app.command("list")(activities.list_)
app.command()(activities.show)
app.command()(activities.export)
app.command()(serve.serve)
app.add_typer(db.app, name="db")
app.add_typer(users.app, name="user")
app.add_typer(orgs.app, name="orgs")
app.add_typer(grants.app, name="grants")
app.command("validate")(iati.validate)
app.command("import-iati")(iati.import_iati)


def main() -> None:
    app()
