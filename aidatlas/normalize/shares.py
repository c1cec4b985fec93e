"""Funding shares: who pays which part of a record's total, from percentages or from parts of the amount.

`Швајцарска финансира 90%`, `of which the EU provides 85% and the municipality 15%`, `235.000 eura, od čega
200.000 eura obezbjeđuje EU, a 35.000 eura Opština`: each share names its payer; when only one part is named,
the record's funder gives the remainder. Payers are given the name the record's participants use for them
(`Sida` → Swedish International Development Cooperation Agency).
"""

from __future__ import annotations

import re

from aidatlas.normalize.money import MoneyMention, find_money, find_percentages
from aidatlas.normalize.orgs import split_acronym
from aidatlas.normalize.script import fold
from aidatlas.records import Draft, FundingShare, Participant, Snippet, Span
from aidatlas.reference.orgs import KnownOrgs

_NAME = (r"[A-ZČĆŠŽĐА-ЯЂЈЉЊЋЏЃЌЅ][\w’'\-]*(?:\s+(?:(?:of|for|e|i|të|за|на|и|dhe)\s+)?"
         r"[A-ZČĆŠŽĐА-ЯЂЈЉЊЋЏЃЌЅ][\w’'\-]*|\s+unij\w*|\s+union|\s+унија|\s+uprava)*")
_PART_VERB = (r"(?:provides?|contributes?|comes from(?: the)?|obezbjeđuje|obezbeđuje|osigurava|finansira|financira|"
              r"izdvaja|izdvoji\w*|daje|učestvuj\w* sa(?: ukupno)?|sudjeluj\w* sa|participira sa|jep|siguron|financon|"
              r"обезбедува|обезбеђује|финансира|учествува со|учествује са|издваја|издвои\w*|pokriva|covers?)")
_LOWER_PAYER = re.compile(r"(?:dok|a|while|and|ndërsa|додека|а|od čega|od cega|of which|nga të cilat|од кои)\s+"
                          rf"(?:the\s+)?(?P<org>[\w’'\-]+(?:\s+[\w’'\-]+)?)\s+{_PART_VERB}\s*$")
#: "… and the municipality 15%", "…, a Opština Bijelo Polje 20 odsto": the payer right before its share
_BARE_PAYER = re.compile(r"(?:\band|\ba|\bi|\bи|\bdhe|,|\bwhile|\bdok|\bndërsa)\s+(?:the\s+)?"
                         r"(?P<org>[\w’'\-]+(?:\s+[\w’'\-]+){0,3})\s*$")
_PAYER_BEFORE = re.compile(rf"\b(?:the\s+)?(?P<org>{_NAME})\s+(?:\w+/)?\w*(?:financ|finans|fund|cover|contribut|provid|"
                           r"pokriva|sufinans|sufinanc|obezbje|obezbe|обезбед)\w*\s*$")
_PAYER_AFTER = re.compile(r"\s*(?:(?:is|are|se|je|su|e|janë|се)\s+)?(?:(?:from|od|iz|nga|од|из)|"
                          rf"(?:i\s+|e\s+|го\s+|ја\s+)?{_PART_VERB})\s+(?:the\s+)?(?P<org>{_NAME})")
_JOINT = re.compile(r"\s+(?:and|dhe|и|&)\s+(?=[A-ZČĆŠŽĐА-Я])")
_JOINT_I = re.compile(r"\s+(?:and|dhe|и|&|i)\s+(?=[A-ZČĆŠŽĐА-Я])")  # "EU i Opština"; in Albanian "i" is "of"
_OF_WHICH = re.compile(r"(?:nga të cilat|od čega|od cega|of which|од кои|од чега|od toga)$", re.IGNORECASE)
#: "96.000 euro, të financuara tërësisht nga Bashkimi Evropian": one payer for the whole amount
_WHOLLY = re.compile(r"\b(?:tërësisht|plotësisht|entirely|fully|wholly|in full|u potpunosti|u cjelosti|u celosti|"
                     r"у потпуности|целосно|у целости)\s+(?:(?:financed|funded|paid|financuar|financuara|finansiran\w*|"
                     r"financiran\w*|финансиран\w*)\s+)?(?:by|nga|od|од|from)\s+(?:the\s+)?"
                     rf"(?P<org>{_NAME})|(?:financed|funded|financuar\w*|finansiran\w*|financiran\w*|финансиран\w*)\s+"
                     r"(?:tërësisht|entirely|fully|wholly|u potpunosti|у потпуности|целосно)\s+(?:by|nga|od|од)\s+"
                     rf"(?:the\s+)?(?P<org2>{_NAME})", re.IGNORECASE)
#: "nga të cilat kontributi i AICS është 1.100.000 EUR": the payer's contribution is the part
_CONTRIBUTION_OF = re.compile(rf"(?:kontributi i|kontributi nga|contribution of|contribution from|doprinos|učešće|"
                              rf"допринос(?:от)? на)\s+(?:the\s+)?(?P<org>{_NAME})\s+(?:është|is|je|iznosi|изнесува|е)"
                              r"?\s*$", re.IGNORECASE)
Spans = dict[str, list[Span]]


def funding_shares(draft: Draft, participants: list[Participant], spans: Spans,
                   known: KnownOrgs | None = None) -> list[FundingShare]:
    """The record's funding shares, from its budget and share sentences."""
    shares: dict[float, FundingShare] = {}
    funders = [p.name for p in participants if p.role == "funder"]
    texts = draft.budget + draft.shares
    for s in texts:
        for value, start, end in find_percentages(s.text):
            if value in shares or not 0 < value <= 1:
                continue
            org = _payer(s.text, start, end) or (funders[0] if funders else "")
            if org:
                shares[value] = FundingShare(org=org, share=value)
                spans.setdefault("funding_shares", []).append((s.start + start, s.start + end))
    if not shares:
        for s in texts:
            if (whole := _WHOLLY.search(s.text)) is not None:
                shares[1.0] = FundingShare(org=whole.group("org") or whole.group("org2"), share=1.0)
                spans.setdefault("funding_shares", []).append((s.start + whole.start(), s.start + whole.end()))
                break
    parts = [m for s in draft.budget_parts for m in find_money(s.text)]
    budget = next((found for s in draft.budget if (found := find_money(s.text))), [])
    if len(parts) >= 2:  # the total is the sum of its parts
        budget = [MoneyMention(sum(m.value for m in parts), parts[0].currency, 0, 0, False, False)]
    if not shares and budget:
        total = budget[0]
        for s in texts:
            for part, org in _parts(s.text, total.value, total.currency):
                value = round(part.value / total.value, 4)
                if 0 < value < 1 and value not in shares:
                    shares[value] = FundingShare(org=org, share=value)
                    spans.setdefault("funding_shares", []).append((s.start + part.start, s.start + part.end))
        if len(shares) == 1:  # "120.000, od čega Lokalna uprava 20.000": the funder gives the remainder
            (only,) = shares.values()
            other = next((f for f in funders if fold(f) != fold(only.org)), None)
            if other is not None:
                shares[round(1 - only.share, 4)] = FundingShare(org=other, share=round(1 - only.share, 4))
    return [FundingShare(org=_as_named(s.org, participants, known), share=s.share) for s in shares.values()]


def _payer(text: str, start: int, end: int) -> str | None:
    """Who pays the percentage at [start, end): named before its verb, just before it, or after it."""
    before = text[max(0, start - 80):start]
    if m := _PAYER_BEFORE.search(before):
        return m.group("org")
    if (m := _BARE_PAYER.search(before)) and not find_money(m.group("org")) and not _OF_WHICH.match(m.group("org")):
        return re.sub(r"^(?:and|a|i|и|dhe|the)\s+", "", m.group("org"))
    if m := _PAYER_AFTER.match(text, end):
        return m.group("org")
    return None


def _parts(text: str, total: float, currency: str) -> list[tuple[MoneyMention, str]]:
    """`235.000 eura, od čega 200.000 eura obezbjeđuje EU, a 35.000 eura Opština` → each part with its payer."""
    out = []
    for m in find_money(text):
        if m.currency != currency or not 0 < m.value < total or m.ceiling:
            continue
        rest, before = text[m.end:m.end + 80], text[max(0, m.start - 60):m.start]
        org = (re.match(rf"\s*(?:што|što|that|which|që|које|koje)?\s*(?:{_PART_VERB}\s+)?"
                        rf"(?:(?:is|are|se|je|su|e|janë|се)\s+)?(?:from|od|iz|nga|од|из)?\s*(?:the\s+)?(?P<org>{_NAME})",
                        rest)
               or re.match(rf"[^.;]{{0,60}}?\b(?:ќе ги обезбеди|ќе го обезбеди|ће обезбедити|će obezbijediti|"
                           rf"will provide|will be provided by)\s+(?P<org>{_NAME})", rest)
               or re.search(rf"(?P<org>{_NAME})\s+{_PART_VERB}\s*$", before) or _LOWER_PAYER.search(before)
               or _CONTRIBUTION_OF.search(before)
               or re.match(rf"\s*(?:co-?financing|cofinancing|contribution|grant|kontribut\w*|sufinansiranj\w*|"
                           rf"sufinanciranj\w*|кофинансирање)\s+(?:from|by|of|nga|od|од)\s+(?:the\s+)?(?P<org>{_NAME})",
                           rest))
        if org is not None:
            out.append((m, org.group("org")))
    return out


def _as_named(org: str, participants: list[Participant], known: KnownOrgs | None) -> str:
    """The name the record's participants use for a payer (`Sida`, `EU`, `the municipality` → theirs)."""
    key = fold(org)
    for p in participants:
        name, acronym = split_acronym(p.name)
        said = re.findall(r"\(([^)]{2,12})\)", p.name)  # "Swedish … Agency (Sida)"
        if key in {fold(p.name), fold(name), fold(acronym or ""), *(fold(x) for x in said)} or (
                len(key) > 4 and key in fold(p.name)):
            return p.name
    entry = known.lookup(org) if known is not None else None
    if entry is not None:
        return next((p.name for p in participants if known and known.lookup(p.name) == entry), entry.canonical)
    return org


def payers_as_participants(shares: list[FundingShare], participants: list[Participant], texts: list[Snippet],
                           spans: Spans) -> list[Participant]:
    """Who pays a share takes part (`… a 40.000 евра ќе ги обезбеди Општината`): a payer no participant names
    joins as a funder, with the words that name it."""
    known = {fold(p.name) for p in participants}
    out: list[Participant] = []
    for share in shares:
        joint = _JOINT if re.search(r"[ëç]|\btë\b", share.org) else _JOINT_I
        for org in joint.split(share.org):  # "nga MAPL dhe SDC": two payers of one share
            key = fold(org)
            if not org[:1].isupper() or key in known or any(key in k or k in key for k in known if len(k) > 3):
                continue
            said = next(((t.start + i, t.start + i + len(org)) for t in texts if (i := t.text.find(org)) >= 0), None)
            if said is None:
                continue
            spans[f"participants.{len(participants) + len(out)}"] = [said]
            out.append(Participant(name=org, role="funder"))
            known.add(key)
    return out
