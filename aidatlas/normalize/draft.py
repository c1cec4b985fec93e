"""Draft → Activity: parse money and dates, resolve places and countries, clean organisation names.

Pure apart from reference data (gazetteer, known organisations) that `Normalizer.load` reads once and the
caller keeps. Every value keeps the span it was read from (`Activity.source.spans`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from aidatlas.normalize.confidence import REVIEW_BELOW, assess
from aidatlas.normalize.countries import NAMES, REGION, CountryMention, country_code, find_countries
from aidatlas.normalize.dates import find_dates, find_dates_in_year
from aidatlas.normalize.money import find_money
from aidatlas.normalize.orgs import LOCAL_BODY, clean_org_name, org_key, split_acronym
from aidatlas.normalize.places import find_places
from aidatlas.normalize.record_places import PLACE_BODY, body_places, local_body, record_places
from aidatlas.normalize.script import fold
from aidatlas.normalize.sectors import find_sectors, sector_spans
from aidatlas.normalize.shares import funding_shares, payers_as_participants
from aidatlas.normalize.targets import find_counts
from aidatlas.records import (
    Activity,
    Dates,
    Document,
    Draft,
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
    review_below: float = REVIEW_BELOW
    """records whose confidence is below this are marked for an editor's review"""

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
            if (m := re.fullmatch(r"(.{3,}?)(?:,|\s+(?:from|iz|из|од|od|nga))\s+([^,]{3,40})", name)) \
                    and not _OPEN_QUOTE.search(_QUOTED_PART.sub("", m.group(1))):  # not in "„Жени од Шара“"
                # "NGO Eko Lim, Berane", "Здружението „Енерго-клуб“ од Струмица": the name and its seat
                places = find_places(m.group(2), self.gazetteer, countries=set(REGION))
                if places and places[0].end - places[0].start >= len(m.group(2)) - 1:
                    name, seat = m.group(1), places[0].entry.country
            if name.startswith(f"{LOCAL_BODY} "):
                name = local_body(name.removeprefix(f"{LOCAL_BODY} "), self.gazetteer)
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
        kept = _drop_parents_of_funds(out)
        said = {id(p): spans.pop(f"participants.{i}") for i, p in enumerate(out)}
        for i, p in enumerate(kept):  # spans follow their participant when an owner of a fund is dropped
            spans[f"participants.{i}"] = said[id(p)]
        return kept

    def _is_place(self, name: str) -> bool:
        """Exactly a place's name ("Prishtina"), not an organisation named after one ("Grad Gradačac")."""
        if PLACE_BODY.match(name):
            return False  # "Opština Bijelo Polje" is the municipality as a body: an organisation
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
    def _countries(self, draft: Draft, excluded: list[tuple[int, int]], places: list[Place],
                   spans: Spans, mentions: list[CountryMention], text: str, notes: set[str]) -> list[str]:
        """Countries named in the record's text (mentions of the whole document, read once, filtered here)."""
        found: list[str] = list(draft.country_codes)
        regions = sorted({(s.start, s.end) for s in draft.country_text})
        mine = [m for m in mentions if any(a <= m.start < b for a, b in regions)
                and not any(a <= m.start < b for a, b in excluded)]
        if draft.kind != "programme":  # "… se realizuje u Albaniji, BiH, … i Srbiji": the umbrella's reach
            mine = _without_coverage_lists(mine, text)
        for m in mine:
            if m.code not in found:
                spans.setdefault("countries", []).append((m.start, m.end))
            found.append(m.code)
        if not any(c in REGION for c in found):  # places speak for the country only when the text names none
            found += [p.country for p in places if p.country]
            notes.add("countries:places")
        if not any(c in REGION for c in found):  # nor its places: the text around it does
            notes.add("countries:context")
            around = sorted({(s.start, s.end) for s in draft.context_text})
            for m in mentions:
                if any(a <= m.start < b for a, b in around):
                    spans.setdefault("countries", []).append((m.start, m.end))
                    found.append(m.code)
        return [c for c in dict.fromkeys(found) if c in REGION]

    # ------------------------------------------------------------------ money, dates, counts
    @staticmethod
    def _money(draft: Draft, spans: Spans, notes: set[str]) -> tuple[Money | None, list[Money]]:
        budget: Money | None = None
        equivalents: list[Money] = []
        for s in draft.budget:
            for m in find_money(s.text):
                money = Money(value=m.value, currency=m.currency)
                if m.ceiling:
                    continue
                if budget is None and not m.approximate:
                    budget = money
                    spans["budget"] = [(s.start + m.start, min(s.start + m.end, s.end))]  # a cell's unit: header
                elif budget is not None and m.approximate and money not in equivalents \
                        and money.currency != budget.currency:
                    equivalents.append(money)
                    spans.setdefault("equivalents", []).append((s.start + m.start, s.start + m.end))
        parts = [m for s in draft.budget_parts for m in find_money(s.text)]
        if len(parts) >= 2 and len({m.currency for m in parts}) == 1:  # co-financed: the parts add up
            first = draft.budget_parts[0]
            spans["budget"] = [(first.start, draft.budget_parts[-1].end)]
            return Money(value=round(sum(m.value for m in parts), 2), currency=parts[0].currency), equivalents
        if budget is None:  # "oko 4,2 miliona dinara": an approximate total is still the total
            for s in draft.budget:
                total = next((m for m in find_money(s.text) if "(" not in s.text[:m.start][-3:]), None)
                if total is not None:
                    notes.add("budget:approximate")
                    budget = Money(value=total.value, currency=total.currency)
                    spans["budget"] = [(s.start + total.start, min(s.start + total.end, s.end))]
                    break
        return budget, equivalents

    @staticmethod
    def _dates(draft: Draft, spans: Spans) -> Dates:
        dates = Dates()
        said = [m for s in draft.dates.get("announced", []) for m in find_dates(s.text)]
        year = said[0].start_date[:4] if said else None
        for key, snippets in draft.dates.items():
            mentions = [(s, m) for s in snippets for m in find_dates(s.text)]
            if not mentions and year and key == "event":  # "8 shkurt": in the year of the date line
                mentions = [(s, m) for s in snippets for m in find_dates_in_year(s.text, year)]
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
                elif end is None and key == "period" and (begin := find_dates_in_year(s.text[:first.start],
                                                                                       first.start_date[:4])):
                    dates.start, end = begin[0].start_date, first.start_date  # "1. aprila … do 31. decembra 2025"
                    span, spans["dates.start"] = [(s.start + first.start, s.start + first.end)], [
                        (s.start + begin[0].start, s.start + begin[0].end)]
                if end is None and key == "event" and len(first.start_date) == 10:
                    end = first.start_date  # a one-day event ends the day it starts
                if end and key != "start":
                    dates.end = end
                    spans["dates.end"] = span
                spans.setdefault("dates.start", span)
            elif key == "end":
                dates.end = first.end_date or first.start_date
                spans["dates.end"] = span
        return dates

    @staticmethod
    def _targets(draft: Draft, spans: Spans) -> list[TargetGroup]:
        groups: list[TargetGroup] = []
        seen: set[int] = set()
        for s in draft.target_text:
            money = [(m.start, m.end) for m in find_money(s.text)]  # and dates: "15 – 16 и 22 -23 септември"
            money += [(d.start, d.end) for d in [*find_dates(s.text), *find_dates_in_year(s.text, "0000")]]
            for count, text, start, end in find_counts(s.text):
                if count in seen or any(a <= start < b for a, b in money):
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
        excluded = [(p.name.start, p.name.end + (40 if p.country_hint else 0)) for p in draft.participants
                    if not PLACE_BODY.search(p.name.text)]
        excluded += [_span(a) for p in draft.participants for a in p.aliases]
        places = record_places(draft, self.gazetteer, excluded, spans)
        places += body_places(draft, self.gazetteer, places, spans)
        notes: set[str] = set()
        budget, equivalents = self._money(draft, spans, notes)
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
        shares = funding_shares(draft, participants, spans, self.known_orgs)
        participants += payers_as_participants(shares, participants, draft.budget + draft.shares, spans)
        activity = Activity(
            kind=draft.kind, title=title,
            description=localized(draft.description, lang) or None,
            programme=draft.programme.text if draft.programme else None,
            countries=self._countries(draft, excluded, places, spans,
                                      find_countries(document.text) if mentions is None else mentions, text, notes),
            locations=places, participants=participants, budget=budget, equivalents=equivalents,
            funding_shares=shares,
            dates=self._dates(draft, spans),
            target_groups=self._targets(draft, spans), languages=languages,
            sectors=(sectors := find_sectors(" ".join(title.values()), " ".join(s.text for s in draft.body))),
            source=Source(document=document.name, sha256=document.sha256, spans=spans,
                          pages=_pages(document, spans)),
            **fields,
        )
        said: dict[str, tuple[int, int]] = {}  # the words each sector code was read from
        room = 1200  # the opening of the record says its sectors; the rest costs more than it tells
        for s in draft.title + draft.body:
            if len(said) == len(sectors) or room <= 0:
                break
            codes = [x.code for x in sectors if x.code not in said]
            for code, (a, b) in sector_spans(codes, s.text[:room]).items():
                said[code] = (s.start + a, s.start + b)
            room -= len(s.text)
        for index, sector in enumerate(sectors):
            if sector.code in said:
                activity.source.spans[f"sectors.{index}"] = [said[sector.code]]
        activity.confidence = assess(draft, activity, notes, self.review_below)
        return activity


def _without_coverage_lists(mentions: list[CountryMention], text: str) -> list[CountryMention]:
    """Drop the mentions of a sentence that lists four or more countries (a regional programme's reach)
    when the record's text names a country elsewhere too."""
    def sentence(m: CountryMention) -> int:
        return max(text.rfind(". ", 0, m.start), text.rfind("\n", 0, m.start))

    by_sentence: dict[int, set[str]] = {}
    for m in mentions:
        by_sentence.setdefault(sentence(m), set()).add(m.code)
    wide = {k for k, codes in by_sentence.items() if len(codes) >= 4}
    rest = [m for m in mentions if sentence(m) not in wide]
    return rest if rest else mentions


_QUOTED_PART = re.compile(r"[„“«\"][^„“”«»\"]*[“”»\"]")
_OPEN_QUOTE = re.compile(r"[„“«\"]")

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
