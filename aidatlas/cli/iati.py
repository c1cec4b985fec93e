"""IATI commands: `validate`, `import-iati`, and the file writer behind `export --format iati`.

Thin: the work is in `aidatlas.iati`. Library errors become one line naming the file and exit code 1;
an import commits every `import_batch_activities` activities, so one bad file does not stop the others and an
interrupted import resumes on a re-run (what was committed is found unchanged).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Annotated, BinaryIO, cast

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from aidatlas.cli.common import DbOption, err, get_settings
from aidatlas.errors import AidatlasError, IatiError, display_name
from aidatlas.export import atomic_open
from aidatlas.iati.validate import validate_file
from aidatlas.iati.writer import write_activities
from aidatlas.iati_import import import_files
from aidatlas.records import Activity
from aidatlas.registry import open_store
from aidatlas.settings import Settings

MAX_WARNINGS = 20
"""warnings printed per imported file (what was left out of an activity, or dropped from it)"""


def _fail(message: str) -> None:
    typer.echo(f"error: {' '.join(message.split())}", err=True)


def iati_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given (each checked when it is read, so one missing file fails alone); directories contribute
    their `*.xml` files, sorted."""
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.glob("*.xml") if p.is_file())
            if not found:
                raise IatiError(display_name(path), "the directory holds no .xml files")
            yield from found
        else:
            yield path


def export_iati(activities: Iterable[Activity], path: Path, settings: Settings) -> int:
    """Write an IATI file atomically: a temporary file beside `path`, renamed only once complete."""
    try:
        with atomic_open(path, "wb") as out:
            return write_activities(activities, cast(BinaryIO, out), settings)
    except IatiError as exc:
        raise IatiError(str(path), exc.problem) from None


def validate(
    file: Annotated[Path, typer.Argument(help="an IATI activity file (XML)")],
    as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
) -> None:
    """Check an IATI file against the 2.03 schema and IATI rules; exit 1 when there are errors."""
    try:
        report = validate_file(file)
    except AidatlasError as exc:
        _fail(str(exc))
        raise typer.Exit(1) from None
    if as_json:
        typer.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        typer.echo(report.to_table())
    if not report.ok:
        raise typer.Exit(1)


def count_activities(path: Path, chunk: int = 1 << 22) -> int:
    """About how many activities a file holds (its `<iati-activity` start tags), for the progress bar's ETA."""
    found, tail = 0, b""
    try:
        with path.open("rb") as f:
            while part := f.read(chunk):
                data = tail + part
                found += data.count(b"<iati-activity ") + data.count(b"<iati-activity>")
                tail = data[-15:]
                found -= tail.count(b"<iati-activity ") + tail.count(b"<iati-activity>")  # counted again next time
            return found + tail.count(b"<iati-activity ") + tail.count(b"<iati-activity>")
    except OSError:  # unreadable: the import itself says why
        return 0


class _Rate(ProgressColumn):
    """Activities per second (rich's own speed column counts bytes)."""

    def render(self, task: Task) -> Text:
        return Text(f"{task.speed:,.0f}/s" if task.speed else "…/s")


def _progress(enabled: bool) -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), _Rate(), TimeRemainingColumn(),
                    console=err, disable=not enabled, transient=False)


def import_iati(
    paths: Annotated[list[Path], typer.Argument(help="IATI activity files or directories of them")],
    db: DbOption = None,
    progress: Annotated[bool | None, typer.Option(
        "--progress/--no-progress", help="a progress bar with rate and ETA (default: when stderr is a terminal)")
    ] = None,
    jobs: Annotated[int, typer.Option(
        min=1, help="worker processes importing files side by side (PostgreSQL; SQLite imports one at a time)")
    ] = 1,
) -> None:
    """Import IATI activities (2.01–2.03; 1.01–1.05 upgraded to 2.03) into the registry, committed in batches."""
    settings = get_settings(db)
    try:
        files = list(iati_files(paths))
        store = open_store(settings)
    except AidatlasError as exc:
        _fail(str(exc))
        raise typer.Exit(1) from None
    failures = 0
    shown = err.is_terminal if progress is None else progress
    bar = _progress(shown)
    task = bar.add_task("activities", total=sum(count_activities(f) for f in files) if shown else None)
    done = 0
    try:
        bar.start()
        for result in import_files(store, files, settings, jobs=jobs,
                                   tick=(lambda n: bar.advance(task, n)) if shown else None):
            done += 1
            if done == len(files):
                bar.update(task, description="resolving organisations")
            if result.error is not None or result.counts is None:
                _fail(result.error or f"{display_name(result.path.name)}: not imported")
                failures += 1
                continue
            name = display_name(result.path.name)
            for warning in result.warnings[:MAX_WARNINGS]:
                typer.echo(f"warning: {name}: {warning}", err=True)
            if len(result.warnings) > MAX_WARNINGS:
                typer.echo(f"warning: {name}: … and {len(result.warnings) - MAX_WARNINGS} more", err=True)
            counts = result.counts
            typer.echo(f"{name}: {counts.new} new, {counts.updated} updated, {counts.unchanged} unchanged", err=True)
    except AidatlasError as exc:                # resolving the organisations after the files; the files stay in
        _fail(f"organisation resolution after the import: {exc} (the imported activities are kept; "
              "`aidatlas orgs check` resolves them later)")
        failures += 1
    finally:
        bar.stop()
        store.close()
    if failures:
        raise typer.Exit(1)
