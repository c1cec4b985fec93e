"""What every command group shares: the `--db` option, settings from it, and library errors → exit 1."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from aidatlas.errors import AidatlasError
from aidatlas.settings import Settings

err = Console(stderr=True, highlight=False)
T = TypeVar("T")

DbOption = Annotated[str | None, typer.Option("--db", help="database URL or SQLite file "
                                              "(default: $AIDATLAS_DATABASE_URL or ./aidatlas.db)")]


def get_settings(db: str | None = None) -> Settings:
    """Settings from the environment; `--db` (a URL, or a path to a SQLite file) wins."""
    if db and "://" not in db:
        db = Settings.sqlite_url(db)
    return Settings.from_env(database_url=db)


def one_line(message: str) -> str:
    """A message as one printable line (a parser's message may hold newlines, a file name brackets)."""
    return escape(" ".join(message.split()))


def fail(message: str) -> None:
    err.print(f"[red]error:[/red] {one_line(message)}", markup=True, soft_wrap=True)


@contextmanager
def guarded() -> Iterator[None]:
    """Library errors → one line and exit 1."""
    try:
        yield
    except AidatlasError as exc:
        fail(str(exc))
        raise typer.Exit(1) from None


def attempt(fn: Callable[[], T]) -> tuple[T | None, str | None]:
    """Run `fn`; a library error is returned as its message, so a command can go on with the next file."""
    try:
        return fn(), None
    except AidatlasError as exc:
        return None, str(exc)
