"""Section labels in the region's languages → record fields. A table, not code: add a phrase, not a branch.

Phrases are matched on their folded form (`aidatlas.normalize.script.fold`): Cyrillic, diacritics and case
do not matter, so `Буџет пројекта`, `Budžet projekta` and `BUDZET PROJEKTA` are one label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aidatlas.normalize.script import fold

LABELS: dict[str, tuple[str, ...]] = {
    "title": (
        "project title", "title of the project", "project name", "naziv projekta", "naziv", "ime projekta",
        "titulli i projektit", "titulli", "emri i projektit", "назив пројекта", "наслов на проектот",
        "назив на проектот", "name of the project",
    ),
    "applicant": (
        "applicant", "lead applicant", "aplikant", "aplikanti", "podnosilac projekta", "podnositelj projekta",
        "podnosilac", "podnositelj", "nosilac projekta", "nositelj projekta", "aplikuesi", "aplikues",
        "aplikuesi kryesor", "апликант", "подносилац", "подносилац пројекта", "носилац пројекта",
        "носител на проектот", "барател", "lead organisation", "lead organization", "beneficiary organisation",
    ),
    "implementer": (
        "zbatues", "zbatuesi i projektit", "implemented by", "sprovodi", "provodi",
        "implementing organization", "implementing organisation", "implementer", "implementing partner",
        "implementing agency", "grantee", "implementator", "provedbena organizacija", "provoditelj",
        "realizator", "implementaciona organizacija", "organizacija implementator", "organizata zbatuese",
        "zbatuesi", "имплементатор", "реализатор", "спроведувач", "имплементирачка организација",
        "имплементациона организација", "executing agency", "contract partner",
        "contractual partner", "implementing organization/partner", "implementing organisation/partner",
    ),
    "participants": (
        "implementing organizations", "implementing organisations", "consortium", "project consortium",
        "konzorcij", "konzorcijum", "organizacije implementatori", "organizatat zbatuese", "конзорциум",
        "project partners and roles",
    ),
    "partners": (
        "partnerë", "partnere", "partneret e projektit", "lead executing agency", "political partner",
        "partners", "partner", "partner organizations", "partner organisations", "project partners",
        "co applicants", "co applicant", "partneri", "partnerske organizacije", "partneri na projektu",
        "partnerët", "partneret", "партнери", "партнер", "партнерски организации",
    ),
    "affiliates": (
        "affiliated entity", "affiliated entities", "associated partner", "associated partners",
        "affiliate", "pridruženi partner", "pridruženi partneri", "povezani subjekt", "partner i asociuar",
        "partnerë të asociuar", "придружен партнер", "придружени партнери", "придружени партнер",
    ),
    "funder": (
        "cofinanced by", "co-financed by", "co-funded by", "cofunded by", "sufinansira", "sufinansiran od",
        "sufinancira", "bashkëfinancuar nga", "bashkëfinancues",
        "donor", "donors", "donator", "donatori", "funded by", "financed by", "funder", "funding",
        "financijer", "finansijer", "finansira", "financira", "donatorët", "donatori i projektit",
        "financuar nga", "финансиран од", "донатор", "донатори", "финансијер", "финансира",
        "supported by", "podržano od", "podrzano od", "commissioned by", "naručilac", "porudžbina",
        "directorate/federal office responsible", "federal office responsible", "responsible federal office",
    ),
    "programme": (
        "programme", "program", "fund", "funding programme", "funding program", "programi", "програма",
        "програм", "call", "poziv", "within the programme",
    ),
    "duration": (
        "overall term", "term", "project term",
        "duration", "project duration", "timespan", "time span", "timeframe", "time frame", "period",
        "implementation period", "project period", "dates", "grant period", "grant duration",
        "period of implementation", "trajanje projekta", "trajanje",
        "period realizacije", "period implementacije", "period provedbe", "vrijeme trajanja",
        "kohëzgjatja", "kohëzgjatja e projektit", "periudha", "periudha e zbatimit", "трајање пројекта",
        "трајање", "времетраење", "период на реализација", "период", "траење на проектот", "траење",
    ),
    "start": ("start date", "start", "project start", "begin", "starting date", "početak", "datum početka", "fillimi",
              "почеток", "почетак"),
    "end": ("end date", "end", "project end", "end of project", "završetak", "datum završetka", "përfundimi", "крај",
            "завршетак"),
    "budget": (
        "budget", "total budget", "project budget", "project value", "total value", "grant amount",
        "amount", "funding amount", "total funding", "budžet", "budžet projekta", "ukupan budžet", "ukupni budžet",
        "vrijednost projekta", "proračun", "ukupni proračun", "proračun projekta", "ukupni proračun projekta",
        "vrednost projekta", "iznos", "iznos granta", "buxheti", "buxheti i projektit", "vlera",
        "буџет", "буџет пројекта", "буџет на проектот", "вредност пројекта", "вкупен буџет", "износ",
    ),
    "location": (
        "location", "locations", "place", "project location", "target area", "project area",
        "geographic coverage", "lokacija", "lokacije", "mjesto", "mesto", "mjesto provedbe",
        "mjesto realizacije", "područje", "vendndodhja", "vendi", "lokacioni", "локација", "место",
        "локации", "подрачје", "country", "countries", "country/region", "zemlja", "država", "drzava",
        "shteti", "земја", "држава",
    ),
    "description": (
        "results so far", "progress so far", "achievements to date", "progress to date",
        "short description",
        "project description", "description", "summary of the project", "project summary", "summary",
        "about the project", "summary of organization s strategic orientation",
        "summary of organisation s strategic orientation", "strategic orientation", "opis projekta",
        "opis", "sažetak projekta", "sazetak", "kratak opis", "përshkrimi i projektit", "përshkrimi",
        "përmbledhje", "опис пројекта", "опис на проектот", "опис", "резиме",
        "background information", "background", "context", "pozadina", "kontekst", "sfondi",
        "konteksti", "контекст", "позадина",
    ),
    "objectives": (
        "objective", "objectives", "objective of the project", "objectives of the project",
        "project objective", "project objectives", "project goal", "project goals", "goal", "goals",
        "organization goal", "organization goals", "organisation goal", "organisation goals",
        "overall objective", "general objective", "overall goal", "specific objectives",
        "specific objective", "aim", "aims", "purpose", "cilj", "ciljevi", "cilj projekta",
        "ciljevi projekta", "opći cilj", "opšti cilj", "opci cilj", "opsti cilj", "specifični ciljevi",
        "specifični cilj", "posebni ciljevi", "objektivi", "objektivat", "qëllimi", "qëllimi i projektit",
        "objektivi i përgjithshëm", "objektivat specifike", "qëllimet", "цел", "цели", "општа цел",
        "специфични цели", "цели на проектот", "циљ", "циљеви", "циљ пројекта", "циљеви пројекта",
        "општи циљ", "специфични циљеви",
    ),
    "results": (
        "results", "expected results", "outcomes", "expected outcomes", "očekivani rezultati",
        "rezultati", "rezultatet", "rezultatet e pritura", "резултати", "очекувани резултати",
        "очекивани резултати",
    ),
    "activities": (
        "sample activities", "selected activities", "example activities", "activities include", "primjeri aktivnosti",
        "aktivitete kryesore", "примери активности",
        "activities", "project activities", "main activities", "main project activities",
        "key activities", "main organization activities", "organization main activities",
        "main organisation activities", "organisation main activities", "aktivnosti",
        "glavne aktivnosti", "projektne aktivnosti", "glavne projektne aktivnosti",
        "aktivnosti projekta", "aktivitetet", "aktivitetet kryesore", "aktivitetet e projektit",
        "активности", "главни активности", "активности на проектот", "активности пројекта",
        "главне активности",
    ),
    "beneficiaries": (
        "beneficiaries", "final beneficiaries", "end beneficiaries", "korisnici", "krajnji korisnici",
        "korisnici projekta", "përfituesit", "përfituesit përfundimtarë", "корисници",
        "крајњи корисници", "корисници на проектот",
    ),
    "target_groups": (
        "target groups", "target group", "target groups and beneficiaries", "target group / beneficiaries",
        "target groups / beneficiaries", "ciljne grupe",
        "ciljna grupa", "ciljne skupine", "ciljna skupina", "ciljne grupe i korisnici",
        "grupet e synuara", "grupi i synuar", "целни групи", "целна група", "циљне групе", "циљна група",
    ),
    "sector": ("sector", "sectors", "thematic area", "sektor", "oblast", "tematska oblast", "sektori",
               "fusha", "сектор", "област"),
    "stop": (
        "implemented activities", "implementirane aktivnosti", "realizovane aktivnosti", "contact",
        "contacts", "for further information please contact", "for more information", "more information",
        "kontakt", "kontakti", "za više informacija", "контакт", "tags", "share",
        "official website",
    ),
    "related": (
        "related", "related news", "related articles", "read also", "read more", "see also", "more news",
        "latest news", "povezano", "povezane vijesti", "povezane vesti", "vezane vijesti", "vezane vesti",
        "ostale vijesti", "ostale vesti", "pročitajte još", "pročitajte i", "najnovije vijesti", "slične vijesti",
        "lajme të ngjashme", "lajmet e fundit", "lexo edhe", "lexo gjithashtu", "lexoni gjithashtu", "lajme të tjera",
        "прочитајте још", "повезане вести", "повезане вијести", "остале вести", "поврзани вести", "прочитајте повеќе",
        "најнови вести", "слични вести",
    ),
}

#: labels that open a record (a record's "head"); the others describe its body
HEAD_FIELDS = frozenset({"title", "applicant", "implementer", "participants", "funder", "duration", "budget"})
#: labels whose section belongs to a profile of one organisation (→ kind core-support)
PROFILE_PHRASES = ("strategic orientation", "organization goal", "organisation goal", "organization main",
                   "main organization", "organisation main", "main organisation")

_INDEX: dict[str, str] = {fold(phrase): field for field, phrases in LABELS.items() for phrase in phrases}
_MAX_WORDS = max(len(k.split()) for k in _INDEX)
_TRAILERS = re.compile(r"\s*(\((?:[^()]*)\)|\d{1,2}|[ivx]{1,4}|are|is|su|je|janë|се|of the project|"
                       r"of the organi[sz]ation|projekta|i projektit|на проектот)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Label:
    field: str
    phrase: str
    """the label as written (without its colon)"""
    value: str
    """text after the colon on the same line ('' when the value follows on the next lines)"""
    value_offset: int
    """where `value` begins within the line's text"""


def match_label(text: str) -> Label | None:
    """`Budžet projekta: 120.000 KM` → Label('budget', 'Budžet projekta', '120.000 KM', 17).

    A line without a colon is a label only when all of it is one (`Beneficiaries`, `Main activities`).
    """
    head, colon, rest = text.partition(":")
    candidate = head if colon else text.rstrip(" .")
    if len(candidate) > 80 or len(candidate.split()) > _MAX_WORDS + 2:
        return None
    key = fold(candidate)
    field = _INDEX.get(key)
    trimmed = candidate
    while field is None and (shorter := _TRAILERS.sub("", trimmed)) != trimmed:
        trimmed = shorter
        field = _INDEX.get(fold(trimmed))
    if field is None:
        return None
    if not colon:
        return Label(field, candidate, "", len(text))
    value = rest.strip()
    offset = len(head) + 1 + (len(rest) - len(rest.lstrip()))
    return Label(field, head.strip(), value, offset)


def is_label(text: str) -> bool:
    return match_label(text) is not None


def is_profile_label(label: Label) -> bool:
    key = fold(label.phrase)
    return any(p in key for p in PROFILE_PHRASES)
