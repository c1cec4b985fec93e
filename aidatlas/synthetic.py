"""Realistic synthetic activities, for benchmarks and tests (deterministic for a given seed)."""

from __future__ import annotations

import io
import random
from collections.abc import Iterator
from pathlib import Path

from aidatlas.records import (
    Activity,
    Dates,
    FundingShare,
    Money,
    Participant,
    Place,
    Source,
    TargetGroup,
    Transaction,
    stable_id,
)
from aidatlas.settings import Settings

PLACES = [("Mostar", "BA"), ("Prijedor", "BA"), ("Tuzla", "BA"), ("Niš", "RS"), ("Novi Pazar", "RS"),
          ("Zvečan", "XK"), ("Prizren", "XK"), ("Nikšić", "ME"), ("Bitola", "MK"), ("Shkodër", "AL")]
FUNDERS = ["European Union", "Swedish International Development Cooperation Agency",
           "Norwegian Ministry of Foreign Affairs", "Japan International Cooperation Agency", "USAID"]
THEMES = ["youth employment", "local democracy", "water supply", "gender equality", "energy efficiency",
          "inclusive education", "rural tourism", "media freedom", "waste management", "social inclusion"]
ORG_TYPES = ["Centre for", "Association for", "Foundation for", "Network for", "Institute for"]
KINDS = ["project", "project", "core-support", "follow-up", "event"]


def synthetic_activity(i: int, rng: random.Random) -> Activity:
    theme = rng.choice(THEMES)
    place, country = rng.choice(PLACES)
    year = rng.randint(2008, 2025)
    org = f"{rng.choice(ORG_TYPES)} {theme.title()} {place}"
    return Activity(
        id=stable_id("syn", i), kind=rng.choice(KINDS),  # type: ignore[arg-type]
        title={"en": f"Improving {theme} in {place} ({i})", "bs": f"Unapređenje: {theme} u {place} ({i})"},
        description={"en": f"A project on {theme} in {place}, run by {org}."},
        programme=rng.choice(["SMART Balkans", "EU4Civil", "Follow-up Cooperation", None]),
        countries=[country], locations=[Place(name=place, country=country)],
        participants=[Participant(name=rng.choice(FUNDERS), role="funder"),
                      Participant(name=org, role="implementer", country=country)],
        budget=Money(value=round(rng.uniform(10_000, 2_000_000), 2), currency=rng.choice(["EUR", "USD", "BAM"])),
        funding_shares=[FundingShare(org="European Union", share=0.9)] if rng.random() < 0.3 else [],
        dates=Dates(start=f"{year}-{rng.randint(1, 12):02d}", end=f"{year + rng.randint(1, 3)}"),
        objectives=[f"To strengthen {theme} for {rng.randint(10, 500)} people"],
        activities=[f"Training on {theme}", {"en": "Final conference", "bs": "Završna konferencija"}],
        target_groups=[TargetGroup(text="young people", count=rng.randint(10, 5000))],
        languages=["bs", "en"],
        source=Source(document=f"synthetic-{i // 50}.txt", spans={"title": [(0, 10)]}),
    )


def synthetic_activities(n: int, seed: int = 7) -> Iterator[Activity]:
    rng = random.Random(seed)
    for i in range(n):
        yield synthetic_activity(i, rng)


def write_iati_file(path: Path, n: int, publisher_file: Path, settings: Settings) -> int:
    """An IATI file of `n` activities for round-trip tests and benchmarks: half are `publisher_file`'s activities
    repeated under new identifiers (what publishers write), half synthetic records with a commitment, as the
    registry's writer writes them. The root declares `xml:lang="es"` (inherited by the first half)."""
    from lxml import etree

    from aidatlas.iati.writer import write_activities

    templates = [etree.tostring(a, with_tail=False)
                 for a in etree.parse(str(publisher_file)).getroot().iterfind("iati-activity")]
    synthetic = []
    for i, a in enumerate(synthetic_activities(n // 2)):
        a.iati_identifier = f"{settings.reporting_org_ref}-syn-{i}"
        if a.budget:
            a.transactions = [Transaction(type="2", date=a.dates.start, value=a.budget.value,
                                          currency=a.budget.currency, provider_name=a.participants[0].name)]
        synthetic.append(a)
    written = io.BytesIO()
    write_activities(synthetic, written, settings)
    with path.open("wb") as out:
        out.write(b'<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03" xml:lang="es">\n')
        for i in range(n - len(synthetic)):
            raw = templates[i % len(templates)]
            out.write(raw.replace(b"<iati-identifier>", b"<iati-identifier>gen%d-" % i, 1) + b"\n")
        for element in etree.fromstring(written.getvalue()).iterfind("iati-activity"):
            out.write(etree.tostring(element, with_tail=False) + b"\n")
        out.write(b"</iati-activities>\n")
    return n
