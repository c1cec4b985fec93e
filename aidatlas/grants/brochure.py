"""The "successful examples" brochure: completed grants of a programme, one section per country, each grant
with applicant, implementing organisation, background, objectives and activities (the structure of the
JICA follow-up brochure). HTML from a Jinja2 template; PDF printed by the system Chromium."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import select

from aidatlas.errors import AidatlasError
from aidatlas.grants.alumni import COURSES
from aidatlas.grants.applications import APPS
from aidatlas.grants.attachments import ATTACHMENTS, files_dir
from aidatlas.grants.awards import AWARDS
from aidatlas.grants.context import Context
from aidatlas.grants.curation import CHOSEN
from aidatlas.grants.programmes import CALLS, get_programme
from aidatlas.grants.record import applicant_of
from aidatlas.grants.reports import REPORTS
from aidatlas.reference.names import country_name

TEMPLATES = Path(__file__).with_name("templates")
_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]))


def examples(ctx: Context, programme_id: int, call_id: int | None) -> list[dict[str, Any]]:
    """The completed grants an officer chose (`curation`) as the brochure shows them (public facts only: no
    personal data), each with its short story and the id of its photo."""
    query = (select(AWARDS, APPS.c.data, CALLS.c.title.label("call"), CHOSEN.c.story,
                    CHOSEN.c.photo_attachment_id, ATTACHMENTS.c.stored_name, ATTACHMENTS.c.media_type)
             .join(CHOSEN, CHOSEN.c.award_id == AWARDS.c.id)  # only the grants an officer chose
             .outerjoin(ATTACHMENTS, ATTACHMENTS.c.id == CHOSEN.c.photo_attachment_id)
             .join(APPS, APPS.c.id == AWARDS.c.application_id).join(CALLS, CALLS.c.id == APPS.c.call_id)
             .where(CALLS.c.programme_id == programme_id, AWARDS.c.status == "completed").order_by(AWARDS.c.id))
    if call_id is not None:
        query = query.where(CALLS.c.id == call_id)
    out = []
    with ctx.engine.connect() as conn:
        courses = {r.id: r for r in conn.execute(select(COURSES))}
        reached: dict[int, int] = {}
        for r in conn.execute(select(REPORTS.c.award_id, REPORTS.c.participants_reached)
                              .where(REPORTS.c.kind == "final")):
            reached[r.award_id] = r.participants_reached
        for row in conn.execute(query):
            data = json.loads(row.data)
            project, who = data["project"], data["applicant"]
            applicant, country = applicant_of(conn, data)
            places = [p["country"] for p in project.get("places", []) if p.get("country")]
            course = courses.get((data.get("course") or {}).get("course_id") or 0)
            course_line = None
            if course is not None:
                kind = "Country focused training program" if course.course_type == "country-focused" \
                    else "Group and region focused training program"
                course_line = f"{kind} “{course.title}”"
            out.append({
                "application_id": row.application_id, "title": project["title"], "course": course_line,
                "country": country or (places[0] if places else "ZZ"), "applicant": applicant,
                "implementing": who.get("implementing_organisation") or applicant,
                "background": [p.strip() for p in project["background"].split("\n\n") if p.strip()],
                "objectives": project["objectives"],
                "activities": [a["description"] for a in project["activities"] if a.get("description")],
                "amount": row.amount, "currency": row.currency, "start": row.start, "end": row.end,
                "reached": reached.get(row.id), "story": row.story, "photo": row.photo_attachment_id,
                "photo_data": _data_uri(ctx, row.stored_name, row.media_type)})
    return out


def _data_uri(ctx: Context, stored_name: str | None, media_type: str | None) -> str | None:
    """The chosen photo inlined for the printed brochure (None when there is none, or its file is gone)."""
    if not stored_name or not media_type:
        return None
    path = files_dir(ctx) / stored_name
    if not path.is_file():
        return None
    return f"data:{media_type};base64,{base64.b64encode(path.read_bytes()).decode()}"


def brochure_html(ctx: Context, programme_id: int, call_id: int | None = None) -> str:
    programme = get_programme(ctx, programme_id)
    items = examples(ctx, programme_id, call_id)
    by_country: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        by_country.setdefault(item["country"], []).append(item)
    countries = [{"code": code, "name": country_name(code) if code != "ZZ" else "Regional", "examples": found}
                 for code, found in sorted(by_country.items(), key=lambda kv: country_name(kv[0]))]
    title = f"Successful examples of {programme.name}"
    return _env.get_template("brochure.html.j2").render(title=title, programme=programme, countries=countries,
                                                        examples=items)


def chromium_binary(ctx: Context) -> str:
    found = ctx.settings.chromium or shutil.which("chromium") or shutil.which("chromium-browser") \
        or shutil.which("google-chrome")
    if not found or (not Path(found).exists() and not shutil.which(found)):
        raise AidatlasError("no Chromium to print the brochure: install `chromium` or set AIDATLAS_CHROMIUM")
    return found


def html_to_pdf(ctx: Context, html: str, timeout: float = 60) -> bytes:
    binary = chromium_binary(ctx)
    with tempfile.TemporaryDirectory(prefix="aidatlas-pdf-") as tmp:
        source, target = Path(tmp) / "brochure.html", Path(tmp) / "brochure.pdf"
        source.write_text(html, encoding="utf-8")
        command = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                   f"--user-data-dir={tmp}/profile", f"--print-to-pdf={target}", source.as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise AidatlasError(f"Chromium could not print the brochure: {exc}") from exc
        if not target.exists() or target.stat().st_size == 0:
            tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
            raise AidatlasError(f"Chromium printed no PDF (exit {done.returncode}): {' | '.join(tail)}")
        return target.read_bytes()


def brochure_pdf(ctx: Context, programme_id: int, call_id: int | None = None) -> bytes:
    return html_to_pdf(ctx, brochure_html(ctx, programme_id, call_id))
