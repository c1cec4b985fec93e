"""Command line: a thin Typer shell over the library.

Every `AidatlasError` becomes a one-line message naming the file and what was wrong, and exit code 1;
other documents of the same command are still processed.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from aidatlas.errors import AidatlasError
from aidatlas.registry import open_store
from aidatlas.settings import Settings

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="aidatlas: a registry of development-cooperation activities in the Western Balkans.")
db_app = typer.Typer(no_args_is_help=True, help="Database maintenance.")
app.add_typer(db_app, name="db")
user_app = typer.Typer(no_args_is_help=True, help="Accounts that may add documents through the web app.")
app.add_typer(user_app, name="user")
err = Console(stderr=True, highlight=False)
T = TypeVar("T")

DbOption = Annotated[str | None, typer.Option("--db", help="database URL or SQLite file "
                                              "(default: $AIDATLAS_DATABASE_URL or ./aidatlas.db)")]


def get_settings(db: str | None = None) -> Settings:
    if db and "://" not in db:
        db = Settings.sqlite_url(db)
    return Settings.from_env(database_url=db)


def fail(message: str) -> None:
    err.print(f"[red]error:[/red] {message}", markup=True, soft_wrap=True)


@contextmanager
def guarded() -> Iterator[None]:
    """Library errors → one line and exit 1."""
    try:
        yield
    except AidatlasError as exc:
        fail(str(exc))
        raise typer.Exit(1) from None


def _attempt(fn: Callable[[], T]) -> tuple[T | None, str | None]:
    try:
        return fn(), None
    except AidatlasError as exc:
        return None, str(exc)


@app.command()
def extract(
    files: Annotated[list[Path], typer.Argument(help="documents or directories")],
    as_json: Annotated[bool, typer.Option("--json", help="print {\"records\": [...]} (the record contract)")] = False,
) -> None:
    """Extract activity records from documents and print them, without touching a database."""
    from aidatlas.export import write_json
    from aidatlas.ingest.pipeline import Extractor, expand_paths

    extractor = Extractor()
    records: list[Any] = []
    failures = 0
    with guarded():
        paths = list(expand_paths(files))
    for path in paths:
        result, problem = _attempt(lambda p=path: extractor.extract_path(p))  # type: ignore[misc]
        if problem:
            fail(problem)
            failures += 1
            continue
        assert result is not None
        records.extend(result[1])
    if as_json:
        write_json(records, sys.stdout)
    else:
        for a in records:
            typer.echo(f"{a.id}  {a.kind:12}  {a.primary_title()[:90]}  [{a.source.document}]")
    if failures:
        raise typer.Exit(1)


@app.command()
def ingest(
    files: Annotated[list[Path], typer.Argument(help="documents or directories")],
    db: DbOption = None,
) -> None:
    """Extract records from documents and store them (one transaction per document)."""
    from rich.progress import Progress

    from aidatlas.ingest.pipeline import Extractor, expand_paths

    settings = get_settings(db)
    with guarded():
        paths = list(expand_paths(files))
        store = open_store(settings)
    extractor = Extractor()
    summary = {"new": 0, "updated": 0, "unchanged": 0}
    records = failures = 0
    with Progress(console=err, transient=True, disable=len(paths) < 2) as progress:
        task = progress.add_task("ingesting", total=len(paths))
        for path in paths:
            result, problem = _attempt(lambda p=path: extractor.extract_path(p))  # type: ignore[misc]
            outcome = None
            if result is not None:
                outcome, problem = _attempt(lambda r=result: store.save_document(*r))  # type: ignore[misc]
            if problem:
                progress.console.print(f"[red]error:[/red] {problem}", markup=True, soft_wrap=True)
                failures += 1
            else:
                assert result is not None and outcome is not None
                summary[outcome] += 1
                records += len(result[1])
            progress.advance(task)
    err.print(f"{len(paths)} documents: {summary['new']} new, {summary['updated']} updated, "
              f"{summary['unchanged']} unchanged, {failures} failed; {records} records read")
    store.close()
    if failures:
        raise typer.Exit(1)


@app.command("list")
def list_(
    db: DbOption = None,
    kind: Annotated[str | None, typer.Option(help="only this kind")] = None,
    limit: Annotated[int, typer.Option(help="at most this many")] = 100,
) -> None:
    """List activities in the registry."""
    from rich.table import Table

    with guarded():
        store = open_store(get_settings(db))
        activities = store.get_activities(store.activity_ids(kind=kind, limit=limit))
    if not sys.stdout.isatty():  # piped: one tab-separated line per activity, every column kept
        for a in activities:
            budget = f"{a.budget.value:.2f} {a.budget.currency}" if a.budget else ""
            typer.echo("\t".join([a.id or "", a.kind, a.primary_title(), " ".join(a.countries), budget]))
        return
    table = Table(box=None)
    table.add_column("id", no_wrap=True, min_width=20)
    table.add_column("kind", no_wrap=True)
    table.add_column("title", ratio=1, no_wrap=True, overflow="ellipsis")
    table.add_column("countries", no_wrap=True)
    table.add_column("budget", justify="right", no_wrap=True)
    for a in activities:
        budget = f"{a.budget.value:,.2f} {a.budget.currency}" if a.budget else ""
        table.add_row(a.id, a.kind, a.primary_title()[:70], " ".join(a.countries), budget)
    Console(highlight=False).print(table)


@app.command()
def show(
    activity_id: Annotated[str, typer.Argument(help="activity id")],
    db: DbOption = None,
    sources: Annotated[bool, typer.Option("--sources", help="print each field with the text it came from")] = False,
) -> None:
    """Show one activity as JSON, or with --sources each field beside its source sentence."""
    from aidatlas.provenance import field_sources

    with guarded():
        store = open_store(get_settings(db))
        activity = store.get_activity(activity_id)
        if not sources:
            typer.echo(json.dumps(activity.to_json(), ensure_ascii=False, indent=2))
            return
        document = store.document(activity.source.sha256) if activity.source.sha256 else None
    console = Console(highlight=False)
    console.print(f"[bold]{activity.primary_title()}[/bold]  ({activity.kind}, {activity.id})")
    for item in field_sources(activity, document):
        console.print(f"[cyan]{item.field}[/cyan]: {item.value}")
        if item.sentence:
            where = f"p.{item.page} " if item.page else ""
            console.print(f"    [dim]{where}[{item.start}:{item.end}][/dim] « {item.sentence} »")


class ExportFormat(StrEnum):
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    iati = "iati"


@app.command()
def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", help="json, jsonl, csv or iati")] = ExportFormat.json,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="file to write (default: stdout)")] = None,
    query: Annotated[str, typer.Option("--query", "-q", help="full text: words, \"a phrase\", prefix*")] = "",
    filters: Annotated[list[str] | None, typer.Option("--filter", help="FACET=VALUE, e.g. country=BA")] = None,
    db: DbOption = None,
) -> None:
    """Export activities (all, or those a search selects). CSV writes FILE and FILE's stem + '.participants.csv'."""
    from aidatlas import export as exporters

    settings = get_settings(db)
    with guarded():
        store = open_store(settings)
        activities = _selected(store, query, filters or []) if query or filters else store.iter_activities()
        if fmt is ExportFormat.iati:
            from aidatlas.cli_iati import export_iati
            from aidatlas.iati.writer import write_activities

            n = (write_activities(activities, sys.stdout.buffer, settings) if output is None
                 else export_iati(activities, output, settings))
        elif fmt is ExportFormat.csv and output is not None:
            participants = output.with_name(output.stem + ".participants.csv")
            with exporters.atomic_open(output) as fh, exporters.atomic_open(participants) as pfh:
                n = exporters.write_csv(activities, fh, pfh)
        else:
            writer = {"json": exporters.write_json, "jsonl": exporters.write_jsonl,
                      "csv": exporters.write_csv}[fmt.value]
            if output is None:
                n = writer(activities, sys.stdout)
            else:
                with exporters.atomic_open(output) as fh:
                    n = writer(activities, fh)
    err.print(f"{n} activities exported")


def _selected(store: Any, query: str, filters: list[str]) -> Iterator[Any]:
    """The activities a search selects, read in batches (the same query the web app's search runs).
    The query is checked here, before anything is written."""
    from aidatlas.db.search import QueryError, Searcher, SearchQuery

    facets: dict[str, list[str]] = {}
    for item in filters:
        facet, sep, value = item.partition("=")
        if not sep:
            raise QueryError(f"--filter {item!r} is not FACET=VALUE")
        facets.setdefault(facet.strip(), []).append(value.strip())
    search = SearchQuery(q=query, filters={k: tuple(v) for k, v in facets.items()}, sort="newest")
    searcher = Searcher(store.engine)
    searcher.ensure_indexed()
    return (a for batch in searcher.iter_ids(search) for a in store.get_activities(batch))


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port")] = 8000,
    workers: Annotated[int, typer.Option(help="worker processes (each holds its own search snapshot)")] = 1,
) -> None:
    """Serve the web app and JSON API."""
    import os

    import uvicorn

    from aidatlas.web.app import create_app, settle_heap

    settings = get_settings(db)
    if settings.secret_key == Settings.secret_key and host not in ("127.0.0.1", "localhost", "::1"):
        err.print("[yellow]warning:[/yellow] set AIDATLAS_SECRET_KEY: the default key is for local use only")
    with guarded():
        application = create_app(settings)  # migrates and indexes once, before any worker starts
    if workers > 1:
        os.environ["AIDATLAS_DATABASE_URL"] = settings.database_url
        uvicorn.run("aidatlas.web.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                    log_level="info")
    else:
        settle_heap()
        uvicorn.run(application, host=host, port=port, log_level="info")


@user_app.command("add")
def user_add(
    username: Annotated[str, typer.Argument(help="user name (letters, digits, . _ @ -)")],
    db: DbOption = None,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="read the password from stdin")] = False,
    role: Annotated[list[str] | None, typer.Option("--role", help="applicant, reviewer, officer, editor or admin "
                                                   "(repeatable; default: editor)")] = None,
) -> None:
    """Create an account that may log in and add documents (reading needs no account)."""
    from aidatlas.auth import add_user
    from aidatlas.roles import ROLES, grant_role

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


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Create the database or bring its schema up to date."""
    from aidatlas.db.engine import current_revision, make_engine, upgrade

    settings = get_settings(db)
    with guarded():
        engine = make_engine(settings.database_url)
        upgrade(engine)
        err.print(f"database at revision {current_revision(engine)}")
        engine.dispose()


def _register_optional() -> None:
    from aidatlas import cli_orgs

    cli_orgs.register(app, get_settings, open_store)
    from aidatlas import cli_grants

    cli_grants.register(app, get_settings, open_store, guarded)
    try:
        from aidatlas import cli_iati
    except ImportError:
        return
    cli_iati.register(app, get_settings, open_store)


def main() -> None:
    _register_optional()
    app()
