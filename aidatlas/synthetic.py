"""Realistic synthetic activities, for benchmarks and tests (deterministic for a given seed)."""

from __future__ import annotations

import random
from collections.abc import Iterator

from aidatlas.records import (
    Activity,
    Dates,
    FundingShare,
    Money,
    Participant,
    Place,
    Source,
    TargetGroup,
    stable_id,
)

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
