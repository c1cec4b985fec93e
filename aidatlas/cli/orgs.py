"""`aidatlas orgs …`: review the organisation registry's merges (a thin shell over `aidatlas.resolve`).

Every decision names who made it (`--by`, default the login name) and why (`--reason`), and can be undone
with `orgs undo DECISION`. `review` lists the open candidates; `review --interactive` asks about each one.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any

import typer
from rich.console import Console

from aidatlas.cli.common import DbOption, get_settings
from aidatlas.errors import AidatlasError
from aidatlas.reference.orgs import KnownOrgs
from aidatlas.registry import open_store
from aidatlas.resolve import decisions as dec
from aidatlas.resolve.organisations import OrgResolver, count_open, proposals
from aidatlas.resolve.undo import undo

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False)

app = typer.Typer(no_args_is_help=True, help="Organisation merges: review, merge, reject, split, undo.")
ByOption = Annotated[str | None, typer.Option("--by", help="who decides (default: your login name)")]
ReasonOption = Annotated[str, typer.Option("--reason", "-r", help="why: kept in the decision log")]


def _actor(by: str | None) -> str:
    if by:
        return by
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _when(at: int) -> str:
    return datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%d %H:%M UTC")


def _show_proposal(n: int, p: Any) -> None:
    out.print(f"[bold]{n}.[/bold] score {p.score:.2f}  [dim]{p.evidence}[/dim]", markup=True)
    for side, name, names, uses in (("a", p.a_name, p.a_names, p.a_uses), ("b", p.b_name, p.b_names, p.b_uses)):
        org_id = p.a if side == "a" else p.b
        others = [x for x in names if x != name]
        out.print(f"   {org_id}  {name}  ({uses} mention{'s' if uses != 1 else ''})"
                  + (f"  aka {'; '.join(others[:4])}" if others else ""))


def _decide(answer: str, a: str, b: str, actor: str, reason: str) -> Callable[[Any], Any]:
    def work(conn: Any) -> Any:
        if answer == "m":
            return dec.merge(conn, a, b, actor=actor, reason=reason)
        return dec.reject(conn, a, b, actor=actor, reason=reason)
    return work


def run(db: str | None, work: Callable[[Any], Any], *, settle: bool = False) -> Any:
    """Open the registry, run `work` in one transaction (committed only if it succeeds); with `settle`, after
    finishing what bulk imports left pending (`Store.settle`)."""
    store = open_store(get_settings(db))
    try:
        if settle:
            store.settle()
        with store.engine.begin() as conn:
            return work(conn)
    except AidatlasError as exc:
        err.print(f"[red]error:[/red] {exc}", markup=True)
        raise typer.Exit(1) from None
    finally:
        store.close()


@app.command("review")
def review(
    db: DbOption = None,
    limit: Annotated[int, typer.Option(help="how many candidates")] = 20,
    status: Annotated[str, typer.Option(help="open, merged or rejected")] = "open",
    interactive: Annotated[bool, typer.Option("--interactive", "-i", help="decide each one: "
                                              "[m]erge, [r]eject, [s]kip, [q]uit")] = False,
    by: ByOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the candidates as JSON")] = False,
) -> None:
    """List candidate merges with their scores and evidence, best first."""
    found = run(db, lambda conn: (proposals(conn, status=status, limit=limit), count_open(conn)))
    items, total = found
    if as_json:
        out.print_json(json.dumps({"open": total, "candidates": [p.__dict__ for p in items]}, default=list))
        return
    out.print(f"{total} open candidate{'s' if total != 1 else ''}; showing {len(items)} {status}")
    actor = _actor(by)
    for n, p in enumerate(items, start=1):
        _show_proposal(n, p)
        if not interactive:
            continue
        answer = typer.prompt("   [m]erge, [r]eject, [s]kip, [q]uit", default="s").strip().lower()[:1]
        if answer == "q":
            break
        if answer in ("m", "r"):
            reason = typer.prompt("   why", default="reviewed")
            d = run(db, _decide(answer, p.a, p.b, actor, reason))
            out.print(f"   decision {d.id}: {d.action} ({d.a} ← {d.b})")


@app.command("merge")
def merge(a: str, b: str, reason: ReasonOption, db: DbOption = None,
          by: ByOption = None) -> None:
    """Make two organisations one (the one with an IATI ref, or the more used, keeps its id)."""
    d = run(db, lambda conn: dec.merge(conn, a, b, actor=_actor(by), reason=reason))
    out.print(f"decision {d.id}: merged {d.b} into {d.a} ({len(d.details['moved'])} organisation(s) moved)")


@app.command("reject")
def reject(a: str, b: str, reason: ReasonOption, db: DbOption = None,
           by: ByOption = None) -> None:
    """Two organisations are different: the pair is never proposed again."""
    d = run(db, lambda conn: dec.reject(conn, a, b, actor=_actor(by), reason=reason))
    out.print(f"decision {d.id}: {d.a} and {d.b} are different organisations")


@app.command("split")
def split(org: str, names: Annotated[list[str], typer.Option("--name", "-n", help="a spelling to move out")],
          reason: ReasonOption, db: DbOption = None,
          by: ByOption = None) -> None:
    """Move spellings of an organisation (and the mentions written so) to a new organisation."""
    d = run(db, lambda conn: dec.split(conn, org, names, actor=_actor(by), reason=reason))
    out.print(f"decision {d.id}: {len(d.details['aliases'])} spelling(s) moved from {d.a} to {d.b}")


@app.command("undo")
def undo_decision(decision: int, reason: ReasonOption, db: DbOption = None,
         by: ByOption = None) -> None:
    """Reverse a merge, rejection or split (an undone merge is not proposed again)."""
    d = run(db, lambda conn: undo(conn, decision, actor=_actor(by), reason=reason))
    out.print(f"decision {d.id}: undid decision {decision}")


@app.command("decisions")
def decision_log(db: DbOption = None,
              org: Annotated[str | None, typer.Option(help="only decisions about this id")] = None,
              limit: int = 50) -> None:
    """The decision log, newest first: who, when, what, why."""
    def read(conn: Any) -> tuple[list[Any], dict[str, str]]:
        found = dec.history(conn, item=org, limit=limit)
        return found, dec.names_of(conn, found)

    log, names = run(db, read)
    for d in log:
        undone = f"  [undone by {d.undone_by}]" if d.undone_by else ""
        score = f" score {d.score:.2f}" if d.score is not None else ""
        what = " / ".join(f"{names.get(i, i)} ({i})" for i in (d.a, d.b) if i)
        out.print(f"{d.id:>5}  {_when(d.at)}  {d.actor:<22} {d.action:<6} {d.subject}: {what}{score}"
                  f"  — {d.reason}{undone}")


@app.command("check")
def check(db: DbOption = None) -> None:
    """Re-check every organisation (after changing the alias table or the rules): merges and proposals.
    First finishes what an interrupted bulk import left pending (new organisations' twins included)."""
    settings = get_settings(db)
    known = KnownOrgs.load(settings.org_table)
    report = run(db, lambda conn: OrgResolver(conn, known, auto_merge=settings.auto_merge_score).check_all(),
                 settle=True)
    out.print(f"checked {report.checked} organisations in {report.seconds:.1f} s: "
              f"{len(report.merged)} merged automatically, {report.proposed} proposed for review")
