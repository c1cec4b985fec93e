"""Roles read from prose in five languages and both scripts."""

from __future__ import annotations

import time

from aidatlas.ingest.narrative import find_org_mentions


def _roles(text: str) -> list[tuple[str, str]]:
    return [(o.name, o.role) for o in find_org_mentions(text)]


def test_cues_written_in_cyrillic_as_well_as_latin():
    text = "Програм се спроводи у сарадњи са Министарством за државну управу и Сталном конференцијом градова."
    assert ("Министарством за државну управу", "partner") in _roles(text)
    assert ("Сталном конференцијом градова", "partner") in _roles(text)


def test_grantees_named_after_a_collective_noun_and_a_dash():
    text = "Pet nevladinih organizacija iz Nikšića – Alfa centar, Sinteza i Naša budućnost, dobili su po 11.000 eura."
    assert [n for n, r in _roles(text) if r == "implementer"] == ["Alfa centar", "Sinteza", "Naša budućnost"]


def test_a_country_after_and_funds_too_and_acronyms_lose_case_endings():
    roles = _roles("Grant funding is being provided by the EBRD Shareholder Special Fund and Austria.")
    assert ("EBRD Shareholder Special Fund", "funder") in roles and ("Austria", "funder") in roles
    assert ("UNDP", "implementer") in _roles("Obuku je organizovao UNDP-a.")


def test_a_share_after_a_cue_is_not_an_organisation():
    assert _roles("od čega Švajcarska finansira 90%.") == []  # nor a bare country name (the agency is named elsewhere)


def test_a_long_run_of_capitalised_words_is_read_in_linear_time():
    text = " ".join(["Aaa"] * 20000) + " approved the grant."
    started = time.perf_counter()
    find_org_mentions(text)
    assert time.perf_counter() - started < 5.0


def test_the_project_as_subject_hands_the_role_to_the_organisation_after_the_verb():
    roles = _roles("Projekat će provoditi Komunalno preduzeće „Vodovod“ Bijeljina. Oba projekta sprovodi Opština Bar.")
    assert ("Komunalno preduzeće „Vodovod“ Bijeljina", "implementer") in roles
    assert ("Opština Bar", "implementer") in roles
    assert not any(name.startswith(("Projekat", "Oba")) for name, _ in roles)


def test_a_channel_between_auxiliary_and_verb_and_a_lower_case_second_word():
    roles = _roles("Evropska unija je kroz Investicioni okvir za Zapadni Balkan (WBIF) obezbijedila 1,5 miliona eura.")
    assert roles == [("Evropska unija", "funder")]


def test_co_financers_applicants_and_partners_named_by_verbs_and_copulas():
    assert ("Grad Doboj", "partner") in _roles("Grad Doboj učestvuje sa 200.000 KM u troškovima radova.")
    roles = _roles("Aplikues kryesor është Komuna e Tetovës, kurse partnerë janë Komuna e Gostivarit dhe "
                   "Shoqata Ujët e Pastër.")
    assert ("Komuna e Tetovës", "applicant") in roles
    assert ("Komuna e Gostivarit", "partner") in roles and ("Shoqata Ujët e Pastër", "partner") in roles
    assert ("Agjencia Austriake për Zhvillim (ADA)", "funder") in _roles(
        "Agjencia Austriake për Zhvillim (ADA) shton 20.000 euro.")


def test_an_albanian_genitive_i_does_not_split_a_name_and_a_signing_municipality_implements():
    roles = _roles("Programi, i zbatuar nga Programi i Kombeve të Bashkuara për Zhvillim (UNDP), vazhdon. "
                   "Bashkia Korçë nënshkroi dje kontratat për tri projekte.")
    assert ("Programi i Kombeve të Bashkuara për Zhvillim (UNDP)", "implementer") in roles
    assert ("Bashkia Korçë", "implementer") in roles and ("Programi", "implementer") not in roles


def test_the_quoted_recipient_of_aid_for_an_ngo_carries_it_out():
    assert ("Zëri i Fshatit", "implementer") in _roles("Kjo ndihmë për OJF-në “Zëri i Fshatit” do të kontribuojë.")
    assert ("Green Hope", "implementer") in _roles("The embassy signed a grant for the NGO “Green Hope” today.")


def test_who_announces_a_call_funds_it():
    assert ("Opština Kladovo", "funder") in _roles("Opština Kladovo raspisala je Javni konkurs za udruženja građana.")
    assert ("Влада Швајцарске", "funder") in _roles("Влада Швајцарске расписала је позив за пројекте општина.")


def test_the_agent_of_an_albanian_passive_and_a_grant_from_fund():
    assert ("Ministria e Ekonomisë", "funder") in _roles(
        "Nga Ministria e Ekonomisë është aprovuar mbështetja financiare për 12 projekte.")
    assert ("Fondi për Ballkanin Perëndimor", "funder") in _roles(
        "Komuna përfiton grant nga Fondi për Ballkanin Perëndimor për turizmin.")


def test_aims_said_as_contributions_end_where_the_sentence_turns_to_money():
    from aidatlas.ingest.lines import split_lines
    from aidatlas.ingest.prose import goal_sentences

    text = ("Na svečanosti potpisivanja ugovora u Kolašinu rečeno je da će grant doprinijeti boljem održavanju "
            "seoskih puteva u planinskim zonama. "
            "Opština će podržati 12 projekata koji za cilj imaju bolji kvalitet života, u vrednosti 2 miliona evra.")
    found = [s[0].text for s in goal_sentences(split_lines(text))]
    assert found == ["će grant doprinijeti boljem održavanju seoskih puteva u planinskim zonama.",
                     "za cilj imaju bolji kvalitet života"]
