"""What the kill tests and the recovery benchmark share: a corpus of documents and an IATI file, the CLI run
as a child process, and a fingerprint of a registry's content to compare a resumed run with a clean one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from aidatlas.iati.writer import write_activities
from aidatlas.settings import Settings
from aidatlas.synthetic import synthetic_activities

FUNDERS = ["The European Union", "Sweden", "The German Government", "USAID", "The World Bank", "Switzerland"]
TOWNS = [("Tuzla", "Bosnia and Herzegovina"), ("Niš", "Serbia"), ("Bitola", "North Macedonia"),
         ("Shkodër", "Albania"), ("Nikšić", "Montenegro"), ("Prizren", "Kosovo")]
SECTORS = ["water supply", "primary schools", "rural roads", "energy efficiency", "youth employment", "waste"]
IMPLEMENTERS = ["UNDP", "GIZ", "UNICEF", "Caritas", "the municipality", "a local NGO"]


def write_documents(folder: Path, count: int) -> list[Path]:
    """`count` short, distinct press releases (each one record with funder, place, amount and dates)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        town, country = TOWNS[i % len(TOWNS)]
        implementer = IMPLEMENTERS[(i // 3) % len(IMPLEMENTERS)]
        body = (f"{FUNDERS[i % len(FUNDERS)]} will fund a EUR {i + 1}.{i % 10} million project for "
                f"{SECTORS[(i // 6) % len(SECTORS)]} in {town}, {country}. {implementer} "
                f"implements it from 20{10 + i % 15} to 20{27 + i % 5}. Release number {i}.\n")
        path = folder / f"release_{i:03}.txt"
        path.write_text(body, encoding="utf-8")
        paths.append(path)
    return paths


def write_iati(path: Path, count: int) -> Path:
    """One IATI file of `count` synthetic activities, written by the registry's own writer."""
    activities = []
    for i, activity in enumerate(synthetic_activities(count, seed=11)):
        activity.iati_identifier = f"XI-KILL-{i:05}"
        activity.id = None
        activities.append(activity)
    with path.open("wb") as out:
        write_activities(activities, out, Settings())
    return path


def start(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """`aidatlas ARGS` in a child process (its output kept for the assertion messages)."""
    return subprocess.Popen([sys.executable, "-m", "aidatlas", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env={**os.environ, **(env or {})})


def count(engine: Engine, table: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def fingerprint(engine: Engine) -> dict[str, Any]:
    """What a finished run leaves: every table's row count, the documents, and each activity's content hash."""
    with engine.connect() as conn:
        tables = ["documents", "activities", "organisations", "organisation_aliases", "narratives",
                  "participations", "locations", "activity_countries", "money", "sectors", "provenance"]
        out: dict[str, Any] = {t: int(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()) for t in tables}
        out["document_ids"] = sorted(conn.execute(text("SELECT id FROM documents")).scalars())
        out["activity_hashes"] = sorted(conn.execute(text("SELECT id, content_hash FROM activities")).all())
    return out
