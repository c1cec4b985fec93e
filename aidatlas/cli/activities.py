"""The registry's own commands: extract, ingest, list, show, export."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from aidatlas import export as exporters
from aidatlas.cli.common import DbOption, attempt, err, fail, get_settings, guarded, one_line
from aidatlas.cli.iati import export_iati
from aidatlas.db.search import QueryError, Searcher, SearchQuery
from aidatlas.db.store import Outcome, Store
from aidatlas.iati.writer import write_activities
from aidatlas.ingest.pipeline import Extractor, expand_paths
from aidatlas.provenance import field_sources
from aidatlas.records import Activity
from aidatlas.registry import open_store


def extract(
    files: Annotated[list[Path], typer.Argument(help="documents or directories")],
    as_json: Annotated[bool, typer.Option("--json", help="print {\"records\": [...]} (the record contract)")] = False,
) -> None:
    """Extract activity records from documents and print them, without touching a database."""
    extractor = Extractor(settings=get_settings())
    records: list[Activity] = []
    failures = 0
    with guarded():
        paths = list(expand_paths(files))
    for path in paths:
        result, problem = attempt(lambda p=path: extractor.extract_path(p))  # type: ignore[misc]
        if problem:
            fail(problem)
            failures += 1
            continue
        assert result is not None
        records.extend(result[1])
    if as_json:
        exporters.write_json(records, sys.stdout)
    else:
        for a in records:
            typer.echo(f"{a.id}  {a.kind:12}  {a.primary_title()[:90]}  [{a.source.document}]")
    if failures:
        raise typer.Exit(1)


def ingest(
    files: Annotated[list[Path], typer.Argument(help="documents or directories")],
    db: DbOption = None,
) -> None:
    """Extract records from documents and store them (one transaction per document; a document stored
    already is skipped before extraction, so a re-run after an interruption resumes where it stopped)."""
    settings = get_settings(db)
    with guarded():
        paths = list(expand_paths(files))
        store = open_store(settings)
    extractor = Extractor(settings=settings)
    summary = {"new": 0, "updated": 0, "unchanged": 0}
    records = failures = 0
    with Progress(console=err, transient=True, disable=len(paths) < 2) as progress:
        task = progress.add_task("ingesting", total=len(paths))
        for path in paths:
            outcome, count, problem = _ingest_one(extractor, store, path)
            if problem:
                progress.console.print(f"[red]error:[/red] {one_line(problem)}", markup=True, soft_wrap=True)
                failures += 1
            else:
                assert outcome is not None
                summary[outcome] += 1
                records += count
            progress.advance(task)
    err.print(f"{len(paths)} documents: {summary['new']} new, {summary['updated']} updated, "
              f"{summary['unchanged']} unchanged, {failures} failed; {records} records read")
    store.close()
    if failures:
        raise typer.Exit(1)


def _ingest_one(extractor: Extractor, store: Store, path: Path) -> tuple[Outcome | None, int, str | None]:
    """Load, extract and save one file: (outcome, records read, problem). A library error is the problem,
    named by the file, and the next file goes on."""
    document, problem = attempt(lambda: extractor.load(path))
    if document is None:
        return None, 0, problem
    if store.has_document(document.sha256):
        return "unchanged", 0, None
    activities, problem = attempt(lambda: extractor.extract(document))
    if activities is None:
        return None, 0, problem
    outcome, problem = attempt(lambda: store.save_document(document, activities))
    if problem and not problem.startswith(document.name):
        problem = f"{document.name}: {problem}"
    return outcome, len(activities), problem


def list_(
    db: DbOption = None,
    kind: Annotated[str | None, typer.Option(help="only this kind")] = None,
    limit: Annotated[int, typer.Option(help="at most this many")] = 100,
) -> None:
    """List activities in the registry."""
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


def show(
    activity_id: Annotated[str, typer.Argument(help="activity id")],
    db: DbOption = None,
    sources: Annotated[bool, typer.Option("--sources", help="print each field with the text it came from")] = False,
) -> None:
    """Show one activity as JSON, or with --sources each field beside its source sentence."""
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


def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", help="json, jsonl, csv or iati")] = ExportFormat.json,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="file to write (default: stdout)")] = None,
    query: Annotated[str, typer.Option("--query", "-q", help="full text: words, \"a phrase\", prefix*")] = "",
    filters: Annotated[list[str] | None, typer.Option("--filter", help="FACET=VALUE, e.g. country=BA")] = None,
    db: DbOption = None,
) -> None:
    """Export activities (all, or those a search selects). CSV writes FILE, FILE's stem + '.participants.csv'
    and FILE's stem + '.transactions.csv'."""
    settings = get_settings(db)
    with guarded():
        store = open_store(settings)
        activities = _selected(store, query, filters or []) if query or filters else store.iter_activities()
        if fmt is ExportFormat.iati:
            n = (write_activities(activities, sys.stdout.buffer, settings) if output is None
                 else export_iati(activities, output, settings))
        elif fmt is ExportFormat.csv and output is not None:
            participants = output.with_name(output.stem + ".participants.csv")
            transactions = output.with_name(output.stem + ".transactions.csv")
            with exporters.atomic_open(output) as fh, exporters.atomic_open(participants) as pfh, \
                    exporters.atomic_open(transactions) as tfh:
                n = exporters.write_csv(activities, fh, pfh, tfh)
        else:
            writer = {"json": exporters.write_json, "jsonl": exporters.write_jsonl,
                      "csv": exporters.write_csv}[fmt.value]
            if output is None:
                n = writer(activities, sys.stdout)
            else:
                with exporters.atomic_open(output) as fh:
                    n = writer(activities, fh)
    err.print(f"{n} activities exported")


def _selected(store: Store, query: str, filters: list[str]) -> Iterator[Activity]:
    """The activities a search selects, read in batches (the same query the web app's search runs).
    The query is checked here, before anything is written."""
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
