"""Realistic IATI activity files for the corpus-scale benchmark (`scale.py`), written as raw XML for speed.

Codes come from the real IATI codelists (../shared/iati/codelists: Sector, Country, Currency, OrganisationType,
Language), drawn with a Zipf-like skew over a seeded ranking, as real registries are skewed (a few sectors,
countries and currencies carry most activities). Several publishers of very different sizes, each with its own
default currency and favourite countries; every activity has a title and description made of the sectors'
own words, participating organisations (its publisher funds, an implementer from a pool that grows with the
corpus), a recipient country, one to three sectors, dates, a budget, a commitment and zero to three
disbursements or expenditures, and often a location. One activity in ~20 has the common word "improving";
a handful have the rare word "quetzalcoatl".
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

CODELISTS = Path(__file__).resolve().parents[2] / "shared" / "iati" / "codelists"
COMMON_WORD = "improving"
RARE_WORD = "quetzalcoatl"
VERBS = ["Support to", "Strengthening", "Building", "Promoting", "Capacity for", "Access to", "Programme for"]


def codelist(name: str) -> list[tuple[str, str]]:
    """(code, English name) of a codelist's active items."""
    root = etree.parse(str(CODELISTS / f"{name}.xml")).getroot()
    out = []
    for item in root.iter("codelist-item"):
        if item.get("status", "active") != "active":
            continue
        code = item.findtext("code") or ""
        name_el = item.find("name")
        label = ""
        if name_el is not None:
            label = next((n.text or "" for n in name_el.iter("narrative")
                          if n.get("{http://www.w3.org/XML/1998/namespace}lang") in (None, "en")), "")
        if code:
            out.append((code, label))
    return out


class Skewed:
    """Draws from `items` with weight 1/rank^s over a seeded shuffle (a Zipf-like long tail)."""

    def __init__(self, items: list, rng: random.Random, s: float = 1.1) -> None:
        self.items = items[:]
        rng.shuffle(self.items)
        self.cum = list(itertools.accumulate(1 / (r + 1) ** s for r in range(len(self.items))))

    def draw(self, rng: random.Random) -> object:
        return self.items[bisect.bisect(self.cum, rng.random() * self.cum[-1])]


class World:
    """Everything the activities draw from, built once per run from the codelists and a seed."""

    def __init__(self, n: int, publishers: int, seed: int = 20) -> None:
        rng = self.rng = random.Random(seed)
        sectors = [s for s in codelist("Sector") if len(s[0]) == 5]
        self.sectors = Skewed(sectors, rng)
        self.countries = Skewed(codelist("Country"), rng, 1.0)
        self.currencies = Skewed([c for c, _ in codelist("Currency")], rng, 2.0)
        self.org_types = [c for c, _ in codelist("OrganisationType")]
        self.words = sorted({w.lower() for _, name in sectors for w in name.replace(",", " ").split()
                             if w.isalpha() and len(w) > 3})
        syllables = ["ba", "ko", "ri", "ma", "nu", "te", "sa", "lo", "vi", "da", "ke", "po", "zu", "ha"]
        self.places = Skewed(sorted({"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))).title()
                                     for _ in range(max(200, n // 100))}), rng, 0.9)
        sizes = Skewed(list(range(publishers)), rng, 1.0)
        counts = [0] * publishers
        for _ in range(n):
            counts[sizes.draw(rng)] += 1  # type: ignore[index]
        self.publishers = [(f"XM-DAC-{9000 + p}", f"{rng.choice(['Agency', 'Ministry', 'Fund'])} of Donor {p}",
                            self.currencies.draw(rng), [self.countries.draw(rng) for _ in range(8)], counts[p])
                           for p in range(publishers) if counts[p]]
        self.implementers = [(f"XM-OCHA-{i:06d}" if i % 3 else None,
                              f"{rng.choice(['Centre', 'Association', 'Foundation', 'Network'])} "
                              f"{rng.choice(self.words).title()} {self.places.draw(rng)}")
                             for i in range(max(50, n // 40))]
        self.implementer = Skewed(self.implementers, rng, 0.8)


def _narrative(text: str, lang: str | None = None) -> str:
    attr = f' xml:lang="{lang}"' if lang else ""
    return f"<narrative{attr}>{escape(text)}</narrative>"


def activity_xml(world: World, publisher: tuple, i: int) -> str:
    rng = world.rng
    ref, name, currency, favourites, _ = publisher
    sectors = [world.sectors.draw(rng) for _ in range(rng.choice((1, 1, 2, 3)))]
    main = sectors[0][1] or "development"  # type: ignore[index]
    place = world.places.draw(rng)
    country = rng.choice(favourites) if rng.random() < 0.7 else world.countries.draw(rng)
    words = " ".join(rng.choice(world.words) for _ in range(rng.randint(12, 40)))
    verb = COMMON_WORD.title() if rng.random() < 0.05 else rng.choice(VERBS)
    title = f"{verb} {main.lower()} in {place}"
    if rng.random() < 0.0002:
        words += f" {RARE_WORD}"
    year = rng.randint(2005, 2026)
    start = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    end = f"{year + rng.randint(1, 5)}-12-31"
    value = round(rng.lognormvariate(11, 1.6), 2)
    impl_ref, impl_name = world.implementer.draw(rng)  # type: ignore[misc]
    impl_attr = f" ref={quoteattr(impl_ref)}" if impl_ref else ""
    parts = [
        f'<iati-activity last-updated-datetime="2026-01-0{1 + i % 9}T00:00:00Z" default-currency="{currency}">',
        f"<iati-identifier>{ref}-{i}</iati-identifier>",
        f'<reporting-org ref="{ref}" type="10">{_narrative(name)}</reporting-org>',
        f"<title>{_narrative(title)}" + (_narrative(f"Projet {place}", "fr") if i % 7 == 0 else "") + "</title>",
        f'<description type="1">{_narrative(words.capitalize() + ".")}</description>',
        f'<participating-org role="1" ref="{ref}" type="10">{_narrative(name)}</participating-org>',
        f'<participating-org role="4"{impl_attr} type="{rng.choice(world.org_types)}">{_narrative(impl_name)}'
        "</participating-org>",
        f'<activity-status code="{rng.choice("22234")}"/>',
        f'<activity-date type="2" iso-date="{start}"/>', f'<activity-date type="3" iso-date="{end}"/>',
        f'<recipient-country code="{country[0]}" percentage="100"/>',  # type: ignore[index]
    ]
    if rng.random() < 0.6:
        parts.append(f'<location><name>{_narrative(str(place))}</name></location>')
    share = round(100 / len(sectors), 2)
    parts += [f'<sector vocabulary="1" code="{code}" percentage="{share}"/>' for code, _ in sectors]  # type: ignore[misc]
    parts.append(f'<budget type="1" status="2"><period-start iso-date="{start}"/><period-end iso-date="{year}-12-31"/>'
                 f'<value currency="{currency}" value-date="{start}">{value}</value></budget>')
    flows = [("2", value, start)] + [(rng.choice("334"), round(value * rng.uniform(0.05, 0.5), 2),
                                      f"{min(year + k + 1, 2026)}-06-30") for k in range(rng.randint(0, 3))]
    for kind, amount, date in flows:
        parts.append(f'<transaction><transaction-type code="{kind}"/><transaction-date iso-date="{date}"/>'
                     f'<value currency="{currency}" value-date="{date}">{amount}</value></transaction>')
    parts.append("</iati-activity>")
    return "".join(parts)


def write_corpus(target: Path, n: int, publishers: int = 12, per_file: int = 20_000, seed: int = 20) -> list[Path]:
    """IATI files of `n` activities in `target`: each publisher's activities in files of `per_file`."""
    world = World(n, publishers, seed)
    files = []
    for p, publisher in enumerate(world.publishers):
        remaining, part = publisher[4], 0
        while remaining:
            count = min(per_file, remaining)
            path = target / f"publisher{p:02d}-{part:03d}.xml"
            with path.open("w", encoding="utf-8") as out:
                out.write('<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03" '
                          'generated-datetime="2026-01-01T00:00:00Z">\n')
                for i in range(part * per_file, part * per_file + count):
                    out.write(activity_xml(world, publisher, i) + "\n")
                out.write("</iati-activities>\n")
            files.append(path)
            remaining -= count
            part += 1
    return files


def iter_sizes(files: list[Path]) -> Iterator[int]:
    return (f.stat().st_size for f in files)
