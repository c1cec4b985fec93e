"""`aidatlas grants ...`: a thin shell over `aidatlas.grants.Grants`. Commands act as the account named by
`--user` (default: $AIDATLAS_USER or `admin`), which must hold the role the action needs."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from aidatlas.auth import User, find_user
from aidatlas.cli.common import DbOption, get_settings, guarded
from aidatlas.errors import AuthError
from aidatlas.grants import Grants
from aidatlas.grants.define import define_from_json
from aidatlas.grants.demo import load_demo
from aidatlas.registry import open_store

UserOption = Annotated[str | None, typer.Option("--user", help="act as this account ($AIDATLAS_USER, admin)")]
app = typer.Typer(no_args_is_help=True, help="Small-grants programmes: calls, ranking, brochure.")
alumni_app = typer.Typer(no_args_is_help=True, help="The alumni registry: export and erase on request.")
outbox_app = typer.Typer(no_args_is_help=True, help="Queued notifications.")
app.add_typer(alumni_app, name="alumni")
app.add_typer(outbox_app, name="outbox")


def session(db: str | None, user: str | None) -> tuple[Grants, User]:
    """The grants service on the registry, and the account the command acts as."""
    settings = get_settings(db)
    store = open_store(settings)
    name = user or os.environ.get("AIDATLAS_USER") or "admin"
    found = find_user(store.engine, name)
    if found is None:
        raise AuthError(f"no user {name!r}: create one with `aidatlas user add {name} --role admin`")
    return Grants(store.engine, settings, store), found


@app.command("demo")
def demo(db: DbOption = None, user: UserOption = None) -> None:
    """Load the demo programmes, calls, courses, associations and alumni."""
    with guarded():
        grants, actor = session(db, user)
        loaded = load_demo(grants, actor)
    typer.echo(f"demo loaded: calls {loaded.followup_call} and {loaded.cso_call}")


@app.command("calls")
def calls(db: DbOption = None,
          all_calls: Annotated[bool, typer.Option("--all", help="drafts too")] = False) -> None:
    """List calls with their status and deadline (in the call's time zone)."""
    with guarded():
        settings = get_settings(db)
        store = open_store(settings)
        for call in Grants(store.engine, settings, store).list_calls(public_only=not all_calls):
            typer.echo(f"{call.id}\t{call.status}\t{call.deadline_text()}\t{call.title}")


@app.command("rank")
def rank(call_id: Annotated[int, typer.Argument(help="call id")], db: DbOption = None,
         user: UserOption = None) -> None:
    """The ranking of a call: score, reviews, requested and running total, budget cut-off."""
    with guarded():
        grants, actor = session(db, user)
        for r in grants.ranking(actor, call_id):
            score = "-" if r.mean_score is None else f"{r.mean_score:.1f}"
            mark = "" if r.fits_budget else "  (over budget)"
            typer.echo(f"{r.rank}\t{r.application_id}\t{score}\t{r.n_reviews}\t{r.requested:,.2f}\t"
                       f"{r.cumulative:,.2f}\t{r.title}{mark}")


@app.command("define")
def define(file: Annotated[Path, typer.Argument(help="a JSON file: {\"programmes\": [{…, \"calls\": [{…}]}]}")],
           db: DbOption = None, user: UserOption = None,
           open_calls: Annotated[bool, typer.Option("--open", help="open the calls at once")] = False) -> None:
    """Create programmes and their calls from a JSON file: eligibility rules, rubric, window, ceilings as
    data (docs/grants.md lists the rules). Everything is checked before anything is written."""
    with guarded():
        grants, actor = session(db, user)
        created = define_from_json(grants, actor, file, open_calls=open_calls)
    for programme, calls in created:
        typer.echo(f"programme {programme.id}: {programme.name}")
        for call in calls:
            typer.echo(f"  call {call.id} ({call.status}): {call.title}, closes {call.deadline_text()}")


@app.command("brochure")
def brochure(programme_id: Annotated[int, typer.Argument(help="programme id")],
             output: Annotated[Path, typer.Option("-o", "--output", help="FILE.pdf or FILE.html")],
             db: DbOption = None) -> None:
    """Write the "successful examples" brochure of a programme's completed grants."""
    with guarded():
        settings = get_settings(db)
        store = open_store(settings)
        grants = Grants(store.engine, settings, store)
        if output.suffix.lower() == ".pdf":
            output.write_bytes(grants.brochure_pdf(programme_id))
        else:
            output.write_text(grants.brochure_html(programme_id), encoding="utf-8")
    typer.echo(f"brochure written to {output}")


@app.command("overdue")
def overdue(db: DbOption = None, user: UserOption = None,
            today: Annotated[str | None, typer.Option(help="YYYY-MM-DD (default: today)")] = None) -> None:
    """Reports past their due date."""
    with guarded():
        grants, actor = session(db, user)
        for o in grants.overdue_reports(actor, date.fromisoformat(today) if today else None):
            typer.echo(f"award {o.award_id}\t{o.kind}\tdue {o.due}\t{o.days_late} days late\t{o.title}")


@alumni_app.command("export")
def alumni_export(alumnus_id: Annotated[int, typer.Argument()], db: DbOption = None,
                  user: UserOption = None) -> None:
    """Print everything held about one ex-participant as JSON."""
    with guarded():
        grants, actor = session(db, user)
        typer.echo(json.dumps(grants.export_alumnus(actor, alumnus_id), ensure_ascii=False, indent=2))


@alumni_app.command("erase")
def alumni_erase(alumnus_id: Annotated[int, typer.Argument()], db: DbOption = None,
                 user: UserOption = None) -> None:
    """Erase an ex-participant (the audit log keeps only that an erasure happened)."""
    with guarded():
        grants, actor = session(db, user)
        grants.erase_alumnus(actor, alumnus_id)
    typer.echo(f"ex-participant {alumnus_id} erased")


@outbox_app.command("send")
def outbox_send(db: DbOption = None, user: UserOption = None) -> None:
    """Send queued messages through $AIDATLAS_SMTP_URL."""
    with guarded():
        grants, actor = session(db, user)
        delivery = grants.send_outbox(actor)
    typer.echo(str(delivery))
