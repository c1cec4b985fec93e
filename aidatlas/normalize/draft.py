"""Draft → Activity: parse money and dates, resolve places and countries, clean organisation names.

Pure apart from reference data (gazetteer, known organisations) that `Normalizer.load` reads once and the
caller keeps. Every value keeps the span it was read from (`Activity.source.spans`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from aidatlas.normalize.countries import NAMES, REGION, CountryMention, country_code, find_countries
from aidatlas.normalize.dates import find_dates
from aidatlas.normalize.inflection import inflected_places
from aidatlas.normalize.money import find_money, find_percentages
from aidatlas.normalize.orgs import clean_org_name, org_key, split_acronym
from aidatlas.normalize.places import find_places
from aidatlas.normalize.script import fold
from aidatlas.normalize.sectors import find_sectors
from aidatlas.normalize.targets import find_counts
from aidatlas.records import (
    Activity,
    Dates,
    Document,
    Draft,
    FundingShare,
    Money,
    Participant,
    Place,
    Snippet,
    Source,
    TargetGroup,
    TextItem,
)
from aidatlas.reference.gazetteer import Gazetteer
from aidatlas.reference.orgs import KnownOrgs

Spans = dict[str, list[tuple[int, int]]]
_COUNTRY_NAMES = {code: names[0] for code, names in NAMES.items()}


def _span(s: Snippet) -> tuple[int, int]:
    return (s.start, s.end)


def localized(snippets: Iterable[Snippet], default_lang: str = "en") -> dict[str, str]:
    out: dict[str, str] = {}
    for s in snippets:
        text = s.text.strip()
        if text:
            out.setdefault(s.lang or default_lang, text)
    return out


def text_item(snippets: list[Snippet], default_lang: str = "en") -> TextItem | None:
    texts = localized(snippets, default_lang)
    if not texts:
        return None
    if len(texts) == 1:
        return next(iter(texts.values()))
    return texts


@dataclass
class Normalizer:
    gazetteer: Gazetteer
    known_orgs: KnownOrgs

    @classmethod
    def load(cls) -> Normalizer:
        return cls(Gazetteer.load(), KnownOrgs.load())

    def normalize_all(self, drafts: list[Draft], document: Document,
                      mentions: list[CountryMention] | None = None) -> list[Activity]:
        mentions = find_countries(document.text) if mentions is None else mentions
        return [self.normalize(d, document, mentions) for d in drafts]

    # ------------------------------------------------------------------ participants
    def _participants(self, draft: Draft, text: str, spans: Spans) -> list[Participant]:
        out: list[Participant] = []
        keys: dict[str, int] = {}
        for dp in draft.participants:
            name = clean_org_name(dp.name.text)
            if not name:
                continue
            other_language = ""
            if m := re.fullmatch(r"(.{3,}?)\s+/\s+(.{3,})", name):  # "Grupa 484 / Group 484"
                name, other_language = m.group(1), m.group(2)
            seat: str | None = None
            if m := re.fullmatch(r"(.{3,}?),\s+([^,]{3,40})", name):  # "NGO Eko Lim, Berane": name and seat
                places = find_places(m.group(2), self.gazetteer, countries=set(REGION))
                if places and places[0].end - places[0].start >= len(m.group(2)) - 1:
                    name, seat = m.group(1), places[0].entry.country
            if self._is_place(name):  # "…(YPN), Prishtina": the seat of the organisation before it
                continue
            if dp.role in ("funder", "extending") and (code := country_code(name)):
                name = f"Government of {_COUNTRY_NAMES.get(code, name)}"  # "Sweden" funds: its government
            name = _expand(name, text)
            known = self.known_orgs.lookup(name) or next(
                (found for a in dp.aliases if (found := self.known_orgs.lookup(clean_org_name(a.text)))), None)
            country = dp.country_hint or seat or (known.country if known else None) or self._country_in_name(name)
            keyset = {org_key(name), org_key(split_acronym(name)[0])}
            if known:
                keyset.add(org_key(known.canonical))
            keyset |= {org_key(clean_org_name(a.text)) for a in dp.aliases}
            if other_language:
                keyset.add(org_key(other_language))
            keyset.discard("")
            seen = next((keys[k] for k in keyset if k in keys), None)
            if seen is not None:
                continue
            index = len(out)
            for k in keyset:
                keys[k] = index
            out.append(Participant(name=name, role=dp.role, country=country,
                                   org_id=known.iati_ref if known else None))
            spans[f"participants.{index}"] = [_span(dp.name), *(_span(a) for a in dp.aliases)]
        return _drop_parents_of_funds(out)

    def _is_place(self, name: str) -> bool:
        """Exactly a place's name ("Prishtina"), not an organisation named after one ("Grad Gradačac")."""
        key = fold(name)
        return any(e.kind in ("municipality", "city", "town", "entity", "canton")
                   and key in {fold(n) for n in (e.name, *e.alt_names)} for e in self.gazetteer.lookup(name))

    def _country_in_name(self, name: str) -> str | None:
        mentions = find_countries(name, demonyms=False)
        if mentions:
            return mentions[-1].code
        places = find_places(name, self.gazetteer, countries=set(REGION))
        return places[-1].entry.country if places else None

    # ------------------------------------------------------------------ places and countries
    def _places(self, draft: Draft, excluded: list[tuple[int, int]], spans: Spans) -> list[Place]:
        out: dict[tuple[str, str], Place] = {}
        unique = {(s.start, s.end): s for s in draft.places}.values()  # a location line is also body text
        for s in unique:
            matches = find_places(s.text, self.gazetteer, countries=set(REGION))
            matches += inflected_places(s.text, self.gazetteer, [(m.start, m.end) for m in matches])
            for m in matches:
                start, end = s.start + m.start, s.start + m.end
                if any(a <= start < b for a, b in excluded):
                    continue
                e = m.entry
                key = (e.name, e.country)
                if key not in out:
                    spans[f"locations.{len(out)}"] = [(start, end)]
                    out[key] = Place(name=e.name, country=e.country, admin1=e.admin1, lat=e.lat, lon=e.lon,
                                     geonames_id=e.geonames_id)
        return list(out.values())

    def _countries(self, draft: Draft, excluded: list[tuple[int, int]], places: list[Place],
                   spans: Spans, mentions: list[CountryMention]) -> list[str]:
        """Countries named in the record's text (mentions of the whole document, read once, filtered here)."""
        found: list[str] = list(draft.country_codes)
        regions = sorted({(s.start, s.end) for s in draft.country_text})
        for m in mentions:
            if not any(a <= m.start < b for a, b in regions) or any(a <= m.start < b for a, b in excluded):
                continue
            if m.code not in found:
                spans.setdefault("countries", []).append((m.start, m.end))
            found.append(m.code)
        if not any(c in REGION for c in found):  # places speak for the country only when the text names none
            found += [p.country for p in places if p.country]
        return [c for c in dict.fromkeys(found) if c in REGION]

    # ------------------------------------------------------------------ money, dates, counts
    @staticmethod
    def _money(draft: Draft, spans: Spans) -> tuple[Money | None, list[Money]]:
        budget: Money | None = None
        equivalents: list[Money] = []
        for s in draft.budget:
            for m in find_money(s.text):
                money = Money(value=m.value, currency=m.currency)
                if m.ceiling:
                    continue
                if budget is None and not m.approximate:
                    budget = money
                    spans["budget"] = [(s.start + m.start, s.start + m.end)]
                elif budget is not None and m.approximate and money not in equivalents \
                        and money.currency != budget.currency:
                    equivalents.append(money)
                    spans.setdefault("equivalents", []).append((s.start + m.start, s.start + m.end))
        return budget, equivalents

    @staticmethod
    def _shares(draft: Draft, participants: list[Participant], spans: Spans) -> list[FundingShare]:
        shares: dict[float, FundingShare] = {}
        funders = [p.name for p in participants if p.role == "funder"]
        for s in draft.budget + draft.shares:
            for value, start, end in find_percentages(s.text):
                if value in shares or not 0 < value <= 1:
                    continue
                before = s.text[max(0, start - 80):start]
                who = re.findall(r"\b(?:the\s+)?([A-Z][\w]*(?:\s+[A-Z][\w]*)*)\s+(?:\w+/)?\w*(?:financ|finans|fund|"
                                 r"cover|contribut|provid|pokriva|sufinans|sufinanc)\w*\s*$", before)
                org = who[-1] if who else (funders[0] if funders else "")
                if org:
                    shares[value] = FundingShare(org=org, share=value)
                    spans.setdefault("funding_shares", []).append((s.start + start, s.start + end))
        return list(shares.values())

    @staticmethod
    def _dates(draft: Draft, spans: Spans) -> Dates:
        dates = Dates()
        for key, snippets in draft.dates.items():
            mentions = [(s, m) for s in snippets for m in find_dates(s.text)]
            if not mentions:
                continue
            s, first = mentions[0]
            span = [(s.start + first.start, s.start + first.end)]
            if key == "announced":
                dates.announced = first.start_date
                spans["dates.announced"] = span
            elif key in ("period", "event", "start"):
                dates.start = dates.start or first.start_date
                end = first.end_date
                if end is None and key == "period" and len(mentions) > 1:
                    end = mentions[1][1].start_date
                if end and key != "start":
                    dates.end = end
                spans["dates.start"] = span
            elif key == "end":
                dates.end = first.end_date or first.start_date
                spans["dates.end"] = span
        return dates

    @staticmethod
    def _targets(draft: Draft, spans: Spans) -> list[TargetGroup]:
        groups: list[TargetGroup] = []
        seen: set[int] = set()
        for s in draft.target_text:
            for count, text, start, end in find_counts(s.text):
                if count in seen:
                    continue
                seen.add(count)
                spans[f"target_groups.{len(groups)}"] = [(s.start + start, s.start + end)]
                groups.append(TargetGroup(text=text, count=count))
        if not groups:
            for g in draft.target_groups:
                item = text_item(g.text)
                if item is not None:
                    groups.append(TargetGroup(text=item, count=g.count))
        return groups

    # ------------------------------------------------------------------ the record
    def normalize(self, draft: Draft, document: Document, mentions: list[CountryMention] | None = None) -> Activity:
        spans: Spans = {}
        text = document.text
        lang = next((s.lang for s in draft.title if s.lang), "en")
        participants = self._participants(draft, text, spans)
        excluded = [(p.name.start, p.name.end + (40 if p.country_hint else 0)) for p in draft.participants]
        excluded += [_span(a) for p in draft.participants for a in p.aliases]
        places = self._places(draft, excluded, spans)
        budget, equivalents = self._money(draft, spans)
        title = localized(draft.title, lang)
        spans["title"] = [_span(s) for s in draft.title]
        fields: dict[str, Any] = {}
        for name in ("objectives", "results", "activities", "beneficiaries"):
            items: list[TextItem] = []
            for item in getattr(draft, name):
                value = text_item(item, lang)
                if value is not None:
                    spans[f"{name}.{len(items)}"] = [_span(s) for s in item]
                    items.append(value)
            fields[name] = items
        languages = sorted({s.lang for s in draft.title + draft.body if s.lang})
        return Activity(
            kind=draft.kind, title=title,
            description=localized(draft.description, lang) or None,
            programme=draft.programme.text if draft.programme else None,
            countries=self._countries(draft, excluded, places, spans,
                                      find_countries(document.text) if mentions is None else mentions),
            locations=places, participants=participants, budget=budget, equivalents=equivalents,
            funding_shares=self._shares(draft, participants, spans), dates=self._dates(draft, spans),
            target_groups=self._targets(draft, spans), languages=languages,
            sectors=find_sectors(" ".join(title.values()), " ".join(s.text for s in draft.body)),
            source=Source(document=document.name, sha256=document.sha256, spans=spans,
                          pages=_pages(document, spans)),
            **fields,
        )


def _pages(document: Document, spans: Spans) -> dict[str, int]:
    if len(document.page_starts) < 2:
        return {}
    return {field: document.page_of(values[0][0]) for field, values in spans.items() if values}


_CAPITALISED_BEFORE = re.compile(r"((?:[A-Z][\w’']+[ \t]+){1,4})$")


def _expand(name: str, text: str) -> str:
    """A short name the document also writes longer (`Trust Fund for X` in `United Nations Trust Fund for X`)."""
    core = split_acronym(name)[0]
    if len(core) < 8:
        return name
    at = text.find(core)
    while at != -1:
        m = _CAPITALISED_BEFORE.search(text[max(0, at - 80):at])
        if m and not m.group(1).isupper() and not re.search(r"\b(The|A|An|On|In|By|Assistance)\b", m.group(1)):
            return m.group(1) + name
        at = text.find(core, at + 1)
    return name


def _drop_parents_of_funds(participants: list[Participant]) -> list[Participant]:
    """An organisation named beside its own fund (`United Nations` and `United Nations Trust Fund …`) is
    the fund's owner, not a second funder: keep the fund."""
    keep = []
    for p in participants:
        core = fold(split_acronym(p.name)[0])
        owner_of_fund = any(q is not p and q.role == "extending" and fold(q.name).startswith(core + " ")
                            for q in participants)
        if not owner_of_fund:
            keep.append(p)
    return keep
