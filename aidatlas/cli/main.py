"""The `aidatlas` command: every group in one Typer app, each command's module imported only when it runs.

`aidatlas --help` has to answer at once, but the commands' modules import the extractor, SQLAlchemy and
FastAPI. So the app lists its commands from the table below and imports a command's module only when that
command is called (or its own help is asked for); `tests/test_cli.py` checks the table's short help against
each command's own docstring.
"""

from __future__ import annotations

import importlib
from typing import Any

import typer
from typer import _click as click  # Typer ≥ 0.26 vendors click: its groups and commands are these classes
from typer.core import TyperCommand, TyperGroup

#: command → (module, attribute: a function or a Typer group, short help as `--help` lists it)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "extract": ("aidatlas.cli.activities", "extract",
                "Extract activity records from documents and print them, without touching a database."),
    "ingest": ("aidatlas.cli.activities", "ingest",
               "Extract records from documents and store them (one transaction per document; a document stored "
               "already is skipped before extraction, so a re-run after an interruption resumes where it stopped)."),
    "list": ("aidatlas.cli.activities", "list_", "List activities in the registry."),
    "show": ("aidatlas.cli.activities", "show",
             "Show one activity as JSON, or with --sources each field beside its source sentence."),
    "export": ("aidatlas.cli.activities", "export",
               "Export activities (all, or those a search selects). CSV writes FILE, FILE's stem + "
               "'.participants.csv' and FILE's stem + '.transactions.csv'."),
    "serve": ("aidatlas.cli.serve", "serve", "Serve the web app and JSON API."),
    "validate": ("aidatlas.cli.iati", "validate",
                 "Check an IATI file against the 2.03 schema and IATI rules; exit 1 when there are errors."),
    "import-iati": ("aidatlas.cli.iati", "import_iati",
                    "Import IATI activities (2.01–2.03; 1.01–1.05 upgraded to 2.03) into the registry, committed in "
                    "batches."),
    "db": ("aidatlas.cli.db", "app", "Database maintenance."),
    "user": ("aidatlas.cli.users", "app", "Accounts that may add documents through the web app."),
    "orgs": ("aidatlas.cli.orgs", "app", "Organisation merges: review, merge, reject, split, undo."),
    "grants": ("aidatlas.cli.grants", "app", "Small-grants programmes: calls, ranking, brochure."),
}


def load_command(name: str) -> click.Command:
    """The click command behind `name`, importing its module now."""
    module, attribute, _ = COMMANDS[name]
    target = getattr(importlib.import_module(module), attribute)
    if isinstance(target, typer.Typer):
        command: click.Command = typer.main.get_group(target)
    else:
        single = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
        single.command(name)(target)
        command = typer.main.get_command(single)
    command.name = name
    return command


class _Listed(TyperCommand):
    """A command as the top-level help lists it: name and short help, nothing imported."""


class LazyCommands(TyperGroup):
    """Commands listed from `COMMANDS`, loaded on first use."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._listing = False

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        if self._listing:
            short = COMMANDS[cmd_name][2]
            return _Listed(cmd_name, help=short, short_help=short)
        return load_command(cmd_name)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


app = typer.Typer(cls=LazyCommands, add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="aidatlas: a registry of development-cooperation activities in the Western Balkans.")


@app.callback()
def _root() -> None:  # a group needs a callback; its help is the app's
    pass


def main() -> None:
    app()
