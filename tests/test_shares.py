"""Funding shares from percentages and from parts of a total, with payers named as the participants are."""

from __future__ import annotations

import pytest

from aidatlas.normalize.shares import funding_shares
from aidatlas.records import Draft, Participant, Snippet
from aidatlas.reference.orgs import KnownOrgs


def _shares(sentence: str, participants: list[Participant]) -> dict[str, float]:
    draft = Draft(kind="project", title=[Snippet(text="x", start=0, end=1)],
                  budget=[Snippet(text=sentence, start=0, end=len(sentence))])
    return {s.org: s.share for s in funding_shares(draft, participants, {}, KnownOrgs.load())}


@pytest.mark.parametrize(("sentence", "expected"), [
    ("The value is € 1.180.000,00, of which the EU provides 85% and the municipality 15%.",
     {"European Union": 0.85, "Municipality of Struga": 0.15}),
    ("Vrijednost projekta je 235.000 eura, od čega 200.000 eura obezbjeđuje EU, a 35.000 eura Opština.",
     {"European Union": 0.8511, "Opština": 0.1489}),
    ("Ukupna sredstva su 120.000 od čega Lokalna uprava participira sa 20.000 eura.",
     {"Lokalna uprava": 0.1667, "European Union": 0.8333}),
    ("96.000 euro, të financuara tërësisht nga Bashkimi Evropian.", {"European Union": 1.0}),
    ("Vlera është 400.000 euro, nga të cilat 85 për qind i siguron Bashkimi Evropian.", {"European Union": 0.85}),
    ("Buxheti: 1.250.000 EUR, nga të cilat kontributi i AICS është 1.000.000 EUR.",
     {"Italian Agency for Development Cooperation": 0.8, "European Union": 0.2}),
    ("Budget: EUR 4 million, including EUR 1 million cofinancing from SECO.",
     {"SECO": 0.25, "European Union": 0.75}),
])
def test_payers_and_shares(sentence: str, expected: dict[str, float]):
    participants = [Participant(name="European Union", role="funder"),
                    Participant(name="Municipality of Struga", role="implementer")]
    assert _shares(sentence, participants) == expected


def test_an_acronym_takes_the_participants_full_name():
    sida = Participant(name="Swedish International Development Cooperation Agency (Sida)", role="funder")
    assert _shares("Total EUR 212,750; Sida finances 75%.", [sida]) == {sida.name: 0.75}


def test_a_payer_no_participant_names_joins_as_a_funder(tmp_path):
    from aidatlas.ingest.pipeline import Extractor

    page = tmp_path / "vest.txt"
    page.write_text("Нов водовод во Теарце\n\nТеарце, 3 мај 2024\n\nСо 300.000 евра што ЕУ ги подарува во рамките на "
                    "проектот треба да се обезбеди пивка вода за селата, а 60.000 евра од парите ќе ги обезбеди "
                    "Општината.\n", encoding="utf-8")
    _, activities = Extractor().extract_path(page)
    roles = {(p.name, p.role) for a in activities for p in a.participants}
    assert ("Општината", "funder") in roles


def test_joint_payers_join_one_by_one_and_an_albanian_genitive_stays_whole():
    from aidatlas.normalize.shares import payers_as_participants
    from aidatlas.records import FundingShare

    text = Snippet(text="105.000 euro nga MAPL dhe SDC, 20.000 euro nga Komuna e Vitisë", start=0, end=62)
    spans: dict[str, list[tuple[int, int]]] = {}
    shares = [FundingShare(org="MAPL dhe SDC", share=0.84), FundingShare(org="Komuna e Vitisë", share=0.16)]
    assert [p.name for p in payers_as_participants(shares, [], [text], spans)] == ["MAPL", "SDC", "Komuna e Vitisë"]


def test_an_amount_is_not_a_funder():
    from aidatlas.ingest.narrative import find_org_mentions

    assert [o.name for o in find_org_mentions("The project is financed by a US$10 million IDA grant.")] == []
