"""Reading prose: who funds, implements and partners, a project's quoted title, an event and its date.

Press releases and news posts say in sentences what project sheets say with labels. The cue phrases are
tables per language; an organisation list after a cue is split on commas and on "and the" so that names
which contain "and" (`Institute for Democracy and Mediation`) stay whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from aidatlas.normalize.countries import country_code
from aidatlas.normalize.dates import find_dates
from aidatlas.normalize.money import find_money
from aidatlas.normalize.script import lat_to_cyr

#: cue phrase → role of the organisations named right after it
ROLE_CUES: dict[str, tuple[str, ...]] = {
    "implementer": (
        "to be implemented by", "will be implemented by", "implemented over", "is implemented by", "are implemented by",
        "which is implemented by", "implemented by", "run by", "carried out by", "realizuje", "provodi",
        "sprovodi", "implementira", "zbatohet nga", "zbatuar nga", "реализира", "спроведува",
        "организиран од", "organized by", "organised by", "organizovan od strane", "u organizaciji",
        "je organizovao", "je organizovala", "su organizovali", "organizovao je", "organizovala je",
        "je organizirao", "je organizirala", "организираше", "организовао је", "организовала је",
        "u organizimit të", "organizuar nga", "projekat će provoditi", "projekat će sprovoditi",
        "projekt će provoditi", "projekte sprovodi", "projekta sprovodi", "projekat sprovodi", "projekt provodi",
        "program sprovodi", "program provodi", "programme is run by", "projektin e zbaton", "projektin do ta zbatojë",
        "проектот го спроведува", "проектот ќе го спроведува", "програмата ја спроведува",
    ),
    "applicant": (
        "lead applicant is", "the lead applicant is", "aplikues kryesor është", "aplikuesi kryesor është",
        "nosilac projekta je", "nositelj projekta je", "podnosilac projekta je", "водечки апликант е",
    ),
    "partner": (
        "in partnership with", "in cooperation with", "in collaboration with", "together with",
        "u partnerstvu sa", "u partnerstvu s", "u saradnji sa", "u suradnji s", "në partneritet me",
        "në bashkëpunim me", "во партнерство со", "во соработка со", "partners are", "the partners are",
        "partnerë janë", "partnerët janë", "partneri su", "partneri na projektu su", "партнери се",
    ),
    "funder": (
        "with the financial support of", "with financial support from", "with the support of",
        "financially supported by", "funded by", "financed by", "with funding from", "uz finansijsku podršku",
        "uz financijsku potporu", "uz podršku", "finansiran od strane", "financiran od strane",
        "finansira", "financira", "me mbështetjen financiare të", "financuar nga", "со финансиска поддршка на",
        "финансиран од", "поддржан од", "me mbështetjen e", "me mbeshtetjen e", "financohet nga",
        "bashkëfinancimi nga", "i financuar nga", "ndihmën e", "ndihmës së", "ndihma e", "with assistance from",
        "with the assistance of", "grant from", "e financuar nga", "të financuara nga", "provided by",
        "is being provided by", "financed from", "financiran iz", "finansiran iz", "ја финансира",
        "го финансира", "финансирана од", "финансиран од страна на", "uz finansijsku podršku",
        "nga fondi i përbashkët i", "from the joint fund of", "iz zajedničkog fonda", "од заедничкиот фонд на",
        "grant nga", "grantin nga", "grant od", "grant iz", "грант од", "grantove od",
    ),
    "extending": ("through the", "preko", "putem", "përmes", "преку", "managed by", "administered by",
                  "kojim upravlja", "menaxhohet nga", "управуван од"),
}
#: "through the X" names a channel only when X is a fund ("through the Trust Fund for …")
THROUGH_CUES = frozenset({"through the", "preko", "putem", "përmes", "преку"})
_CAP = "A-ZČĆŠŽĐÇËА-ЯЂЈЉЊЋЏЃЌЅ"
#: names written with a lower-case second word ("Evropska unija", "Svjetska banka")
_LOWER_TAIL = (r"(?:Evropsk|Europsk|Европск|Svjetsk|Svetsk|Светск|Свјетск)[a-zа-я]+\s+(?:unij|komisij|investicion|"
               r"bank|униј|комисиј|инвестицион|банк)[a-zа-я]*(?:\s+(?:banka|банка|za obnovu i razvoj))?")
_ORG_RUN = (rf"(?:{_LOWER_TAIL}|(?:the\s+)?[{_CAP}][\w’'&\-]*(?:\s+\([{_CAP}][\w&\-]*\))?"
            rf"(?:\s+(?:(?:of|for|and|the|on|za|i|e|të|për|за|и)\s+){{0,2}}[“\"„«]?[{_CAP}][\w’'&\-]*[”“\"»]?(?:\s+\([{_CAP}][\w&\-]*\))?)*)")
_AUX = r"(?:has\s+|have\s+|je\s+|su\s+|ka\s+|kanë\s+|е\s+|ја\s+|ги\s+)?"
#: "Evropska unija je kroz Investicioni okvir (WBIF) obezbijedila …": the channel between auxiliary and verb
_THROUGH_PHRASE = r"(?:(?:kroz|through|preko|putem|përmes|преку|кроз)\s+[^,.;]{3,90}?\s+)?"
_GRANT_VERBS = re.compile(
    rf"(?P<who>{_ORG_RUN})\s+{_AUX}{_THROUGH_PHRASE}(?<!\bbe\s)(?<!\bis\s)(?<!\bare\s)(?<!\bwas\s)"
    r"(?:decided to extend|decided to provide|decided to support|extended|granted|awarded|donated|allocated|"
    r"is financing|are financing|is funding|approved|odobri[a-z]*|dodijeli[a-z]*|dodeli[a-z]*|donira[a-z]*|"
    r"izdvoji[a-z]*|podržao|podržala|podrzao|podrzala|finansira|financira|ndau|akordoi|додели|одобри|"
    r"донира|издвоји[а-я]*|определила|определио|подарува|подари|dhuron|dhuroi|poklanja|daruje|donates|"
    r"lends|lent|loans|is providing|are providing|provides|kreditira|pozajmljuje|huazon|кредитира|"
    r"obezbijedi[a-z]*|obezbedi[a-z]*|osigura[a-z]*|обезбеди[а-я]*|обезбиједи[а-я]*|siguron|siguroi|"
    r"adds|shton|dodaje|додава|invites|fton|raspisal[aoi]|raspisuje|расписал[аои]|расписује|распиша|launched|"
    r"launches|shpalli|shpall|objavil[aoi] (?:javni )?(?:konkurs|poziv)|објавил[аои] (?:јавни )?(?:конкурс|позив))\b")
#: "Grad Bijeljina učestvuje sa skoro pola miliona KM": a co-financing body is a partner
_CO_FINANCES = re.compile(rf"(?P<who>{_ORG_RUN})\s+(?:će\s+|ќе\s+|will\s+)?(?:učestvuje|učestvovati|sudjeluje|"
                          r"sudjelovati|учествује|учествува|participates|co-finances|co-finance|sufinansira|"
                          r"sufinancira|bashkëfinancon|кофинансира|суфинансира)\b")
#: "kjo ndihmë për OJF-në “Unë Gruaja”", "a grant to the NGO “Green Hope”": the quoted recipient carries it out
_AID_FOR = re.compile(r"\b(?:ndihm\w*|grant\w*|support|assistance|aid|donacij\w*|podršk\w*|podrsk\w*|pomoć\w*|"
                      r"помош\w*|грант\w*|поддршк\w*|подршк\w*|помоћ\w*)\s+(?:[\w’'-]+\s+){0,2}?(?:për|for|to|za|за|на)"
                      r"\s+(?:the\s+)?(?:(?:OJF|OJQ|NGO|CSO|NVO|OCD|НВО|ГО|ОГО)(?:-\w+)?\s+)"
                      r"(?P<who>[„“\"«][^”“\"»„]{2,60}[”“\"»])")
#: "nga Ministria e Administrimit të Pushtetit Lokal është aprovuar mbështetja": the agent of an Albanian passive
_AGENT_PASSIVE = re.compile(rf"\b[Nn]ga\s+(?P<who>{_ORG_RUN})\s+(?:është|janë|u|do të)\s+(?:\w+\s+)?"
                            r"(?:aprovuar|miratuar|financuar|ndarë|dhënë|akorduar|siguruar)\b")
#: "Komuna e Prizrenit përfiton Grantin …": the body that receives the grant carries it out
_RECEIVES = re.compile(rf"(?P<who>{_ORG_RUN})\s+(?:will\s+|će\s+|ќе\s+)?(?:receives|receive|përfiton|dobija|"
                       r"dobiti|добива|добија|добие|prima)\s+(?:a\s+|the\s+|një\s+)?(?:\S+\s+){0,3}?"
                       r"(?:grant|grantin|grant\w*|грант\w*|sredstva|средства|funding|support|€|\d)")
#: "pet nevladinih organizacija iz Nikšića – A, B, C i D, dobili su …": the grantees a round names
_NAMED_GRANTEES = re.compile(
    r"\b(?:organi[sz]ations?|organizacij\w*|udruženj\w*|udruga|nevladin\w*|NVO|OCD|NGOs?|CSOs?|организации|"
    r"организациј\w*|здруженија|удружења|organizata\w*|shoqat\w*)(?:\s+(?:iz|from|из|од|nga)\s+\w+)?\s*[–:—-]\s+")
#: "two EU funded projects", "a USAID-financed programme": the funder as an adjective
_ADJECTIVE_FUNDER = re.compile(r"(?P<who>\b(?:EU|UN|[A-Z]{2,8}|European Union|Swiss|Swedish|Norwegian))[- ]"
                               r"(?:funded|financed|supported|sponsored)\b")
#: "The Municipality of Struga today signed grant contracts with the Delegation …": the grantee signs
_SIGNS_WITH = re.compile(rf"(?P<who>{_ORG_RUN})\s+(?:\w+\s+)?signed\s+(?:\w+\s+){{0,2}}(?:contracts?|agreements?)\s+"
                         r"with\b")
#: "Bashkia Korçë nënshkroi dje kontratat …": a municipality that signs the contracts carries the projects out
_BODY_SIGNS = re.compile(rf"(?P<who>(?:Bashkia|Komuna|Opština|Općina|Grad|Општина|Град)\s+[{_CAP}][\w\-]*"
                         rf"(?:\s+[{_CAP}][\w\-]*)?)\s+(?:je\s+|ја\s+|е\s+)?(?:\w+\s+)?(?:nënshkroi|nënshkruan|"
                         r"potpisala|potpisao|potpisuje|потпиша|потписала|потписа)\s+(?:\w+\s+)?(?:kontrat\w*|"
                         r"ugovor\w*|договор\w*|уговор\w*)")
#: "… which the Center for Research and Policy Making (CRPM) is implementing": the subject implements
_IMPLEMENTS = re.compile(rf"(?P<who>{_ORG_RUN})\s+(?:is|are|će|ќе|do të)?\s*(?:implementing|implements|sprovodi|"
                         r"provodi|realizuje|implementira|zbaton|спроведува|реализира|спроводи|реализује|organizoi|"
                         r"organized|organised|organizuje|организира|организује|will carry out|carries out|"
                         r"će provoditi|će realizovati|ќе ги спроведе|has implemented|have implemented|"
                         r"has been implementing)\b")
#: a sentence's subject that names the activity itself, not an organisation
_GENERIC_SUBJECT = re.compile(r"(?:Projek\w*|Project\w*|Program\w*|Проект\w*|Пројек\w*|Програм\w*|Ovaj|This|"
                              r"Ky|Овој|Oba|Both|Të dy|Двата)", re.IGNORECASE)
_PREPOSITION_BEFORE = re.compile(r"\b(?:za|for|of|od|iz|kroz|through|u|in|na|on|për|në|nga|за|од|во|на|из|кроз|"
                                 r"у)\s+$", re.IGNORECASE)
_ORG_START = re.compile(r"[A-ZČĆŠŽĐÇËА-ЯЂЈЉЊЋЏЃЌЅ0-9“\"„«]")
#: Albanian text: " i " is a genitive article (`Programi i Kombeve të Bashkuara`), not "and"
_ALBANIAN = re.compile(r"ë|\b(?:të|së)\b")
_LIST_SPLIT_SQ = re.compile(r",\s+(?:and\s+|as well as\s+)?(?=the\s|[A-ZČĆŠŽĐÇËА-Я0-9“\"„«])|\s+and\s+(?=the\s)|"
                            r"\s+as well as\s+|\s+dhe\s+(?:të\s+|së\s+)?(?=[A-ZÇË][a-zçë])")
_LIST_SPLIT = re.compile(r",\s+(?:and\s+|as well as\s+)?(?=the\s|[A-ZČĆŠŽĐÇËА-Я0-9“\"„«])|\s+and\s+(?=the\s)|"
                         r"(?<=\))\s+and\s+|\s+as well as\s+|(?<=\))\s*,?\s+i\s+|\s+i\s+(?=[A-ZČĆŠŽĐ]{2,})|"
                         r"\s+(?:i|и|dhe)\s+(?:të\s+|së\s+)?(?!Hercegovin|Herzegovin|Херцеговин)"
                         r"(?=[A-ZČĆŠŽĐА-ЯЂЈЉЊЋЏЃЌЅ][a-zčćšžđа-яђјљњћџѓќѕ])")
_COUNTRY_HINT = re.compile(r"\s+(?:from|based in|iz|nga|од)\s+(?P<country>(?:the\s+)?[A-ZČĆŠŽĐА-Я][\w&\-]+"
                           r"(?:\s+(?:and\s+)?[A-ZČĆŠŽĐА-Я][\w\-]+){0,2})\s*$")
_VIA = re.compile(r"\s+(?:through|via|putem|preko|kroz|кроз|përmes|преку)\s+(?:the\s+)?")
#: a list item ending in one of these describes organisations ("UN agencies"), it does not name one
GENERIC_PLURALS = frozenset({
    "agencies", "organisations", "organizations", "partners", "donors", "institutions", "authorities",
    "members", "municipalities", "communities", "countries", "governments", "ministries", "schools", "ngos",
    "csos", "stakeholders", "actors", "entities", "bodies", "agencije", "organizacije", "partneri", "donatori",
    "institucije", "vlasti", "članice", "opštine", "općine", "zajednice", "ministarstva", "škole", "organizatat",
    "partnerët", "donatorët", "institucionet", "autoritetet", "komunat", "агенции", "организации", "партнери",
    "донатори", "институции", "општини", "заедници",
})
_QUOTED = r"[“\"„«]([^“”\"«»„]{6,400})[”\"»“]"
TITLE_CUES = re.compile(
    rf"\b(?:project|projekt|projekat|projekta|projektu|projektit|проект|пројекат|пројекта|initiative|"
    rf"programme|program|entitled|titled|called|named|pod nazivom|naziva|me titull|под наслов)\s*(?:entitled\s+|"
    rf"titled\s+|called\s+|named\s+|pod nazivom\s+|ndërkufitar\s+|prekogranični\s+|прекуграничен\s+|"
    rf"cross-border\s+|regional\s+|regionalni\s+|rajonal\s+)?{_QUOTED}", re.IGNORECASE)
EVENT_WORDS = re.compile(
    r"\b(training(?: session)?s?|seminars?|workshops?|conferences?|forums?|round ?tables?|webinars?|"
    r"summer school|study visit|obuk[aeu]|trening[a-z]*|seminar[a-z]*|radionic[a-z]*|konferencij[a-z]*|"
    r"okrugl[a-z]* stol[a-z]*|tribin[a-z]*|trajnim[a-z]*|punëtori[a-z]*|konferenc[a-z]*|"
    r"обук[а-я]*|семинар[а-я]*|работилниц[а-я]*|конференциј[а-я]*|тренинг[а-я]*|радиониц[а-я]*)\b",
    re.IGNORECASE)
_EVENT_VERB = re.compile(r"\b(organi[sz]ed|organi[sz]es|held|will be held|will take place|took place|conducted|"
                         r"took part|participated|attended|sudjelovali|učestvovali|учествуваа|учествовали|"
                         r"morën pjesë|prisustvovali|присуствовали|присуствуваа|"
                         r"održan|održat|organizovan|organiziran|organizuje|organizira|zhvillua|mbajt|organizon|"
                         r"organizoi|u organizua|organizovao|organizovala|организовао|организовала|организираше|"
                         r"оддржа|se održala|се одржала|одржана|одржан|"
                         r"организиран|организира|одржа|ќе се одржи|одржаће|организује)", re.IGNORECASE)


@dataclass(frozen=True)
class OrgMention:
    name: str
    start: int
    end: int
    role: str
    country: str | None = None


@cache
def _cues() -> dict[str, tuple[str, ...]]:
    """The cue table with each Latin Bosnian/Croatian/Serbian cue also in Cyrillic (`у сарадњи са`)."""
    out = {}
    for role, cues in ROLE_CUES.items():
        out[role] = tuple(dict.fromkeys([*cues, *(lat_to_cyr(c) for c in cues)]))
    return out


@cache
def _ANY_CUE() -> re.Pattern[str]:
    cues = sorted((c for cues in _cues().values() for c in cues if c not in THROUGH_CUES), key=len, reverse=True)
    return re.compile(r"\s(?:" + "|".join(re.escape(c) for c in cues) + r")\s", re.IGNORECASE)


def _cut_list(text: str) -> str:
    """Where the organisation list after a cue ends: at a clause boundary."""
    stop = re.search(r"[.;:]\s|[.;:]$|\s(?:with|me|sa|so|со|od)\s+(?=[\d€$£])|"
                     r"\s(?:a|ali|dok|sa|kao i|te|ima|kako|dhe ka|и има|a ostatak)\s+(?=[a-zčćšžđа-я])|"
                     r"\s(?:u okviru|у оквиру|as part of|within the|në kuadër|во рамки\w*|u sklopu|у склопу)\s|"
                     r"\s(?:iz sredstava|из средстава|од средствата|from the funds|nga fondet|using|by means of)\s|"
                     r"\s(?:je|su|је|су|janë|се)\s+(?=[a-zčćšžđа-яђјљњћџѓќѕ]{3})|"
                     r"\s(?:and|i|и|dhe)\s+(?=(?:runs|will|is|are|has|have|was|aims|helps|covers|traje|траје|"
                     r"трае|zgjat|ima|има|ka)\b)|"
                     r"\s(?:është|janë|do të|ka|kanë|e cila|i cili|и|за)\s+(?=[a-zëç])|"
                     r"\s(?:with the|which|who|to support|in order|for the|continuously|"
                     r"in the (?!Republic)|on \w+ \d|during|through its|that|koji|koja|koje|që|кој|која|што)\b|"
                     r"\s(?:për|for)\s+(?=[a-zçë])|,\s+"
                     r"(?!the\s)(?=[a-zčćšžđçëа-яђјљњћџѓќѕ])", text)
    ends = [m.start() for m in (stop, _ANY_CUE().search(text)) if m is not None]
    if (cue := _ANY_CUE().search(text)) and (conj := re.search(r"\s+(?:and|i|dhe|и|e)$", text[:cue.start()])):
        ends.append(conj.start())  # "the European Union and managed by …"
    dates = find_dates(text)
    if dates:  # "… in partnership with X from January 2023 to December 2025"
        ends.append(max(0, text.rfind(" ", 0, dates[0].start - 1)) if dates[0].start > 4 else dates[0].start)
    return text[: min(ends)] if ends else text


def split_org_list(text: str, offset: int, role: str) -> list[OrgMention]:
    """`the WHO, the UNICEF (…) and the UNV` → one mention each, with country hints (`X from Albania`)."""
    mentions = []
    pos = 0
    pieces: list[tuple[int, int]] = []
    for m in (_LIST_SPLIT_SQ if _ALBANIAN.search(text) else _LIST_SPLIT).finditer(text):
        pieces.append((pos, m.start()))
        pos = m.end()
    pieces.append((pos, len(text)))
    acronym = [bool(re.search(r"\)\s*$", text[a:b])) for a, b in pieces]
    if sum(acronym) >= 2:
        joined: list[tuple[int, int, bool]] = []
        for (a, b), has in zip(pieces, acronym, strict=True):
            if joined and not joined[-1][2]:
                joined[-1] = (joined[-1][0], b, has)
            else:
                joined.append((a, b, has))
        pieces = [(a, b) for a, b, _ in joined]
    split: list[tuple[int, int]] = []
    co_funders: set[int] = set()
    for a, b in pieces:  # "the EBRD Shareholder Special Fund and Austria": a country after "and" is a funder too
        last = re.search(r"\s+(?:and|i|и|dhe)\s+(?P<c>[^\s].*)$", text[a:b])
        if last and country_code(last.group("c").strip()):
            split += [(a, a + last.start()), (a + last.start("c"), b)]
            co_funders.add(a + last.start("c"))
        else:
            split.append((a, b))
    for a, b in split:
        piece = text[a:b]
        lead = len(piece) - len(piece.lstrip())
        piece = piece.strip()
        if acronym_case := re.search(r"(?<=[A-Z]{2})-(?:a|u|om|e|së|s|it|ot|от)$", piece):
            piece = piece[:acronym_case.start()]  # "UNDP-a", "BE-së": an acronym with a case ending
        country = None
        if hint := _COUNTRY_HINT.search(piece):
            code = country_code(hint.group("country"))
            if code:
                country = code
                piece = piece[: hint.start()]
        if role == "funder" and (via := _VIA.search(piece)):
            mentions += split_org_list(piece[via.end():], offset + a + lead + via.end(), "funder")
            piece = piece[: via.start()]
        stripped = re.sub(r"^(?:the|a|an)\s+", "", piece, flags=re.IGNORECASE)
        a += lead + (len(piece) - len(stripped))
        stripped = stripped.rstrip(" ,")
        if find_money(stripped):
            continue  # "financed by a US$10 million IDA grant": an amount, not an organisation
        if len(stripped) < 2 or not _ORG_START.match(stripped) or len(stripped) > 200 \
                or sum(c.isalpha() for c in stripped) < 2 or stripped[0].isdigit():  # "финансира 80 odsto"
            continue
        if stripped.split()[-1].casefold().strip(".,;") in GENERIC_PLURALS:  # "UN agencies": not a name
            continue
        if country_code(stripped) and not (role == "funder" and a in co_funders):  # "… and Serbia": a place
            continue
        mentions.append(OrgMention(stripped, offset + a, offset + a + len(stripped), role, country))
    return mentions


def find_org_mentions(text: str, offset: int = 0) -> list[OrgMention]:
    """Organisations named after role cues in prose, with their roles."""
    found: list[OrgMention] = []
    taken: list[tuple[int, int]] = []
    for role, cues in _cues().items():
        for cue in sorted(cues, key=len, reverse=True):
            for m in re.finditer(rf"(?<!\w){re.escape(cue)}\s+", text, re.IGNORECASE):
                if any(s <= m.start() < e for s, e in taken):
                    continue
                rest = text[m.end():]
                if cue.endswith("over"):
                    by = re.search(r"\bby\s+", rest[:160])
                    if by is None:
                        continue
                    rest = rest[by.end():]
                if re.match(r"(?:u|na|in|at|on|në|ne|во|у|на|iz|od|za|sa|se|с|со|me|nga)\s", rest, re.IGNORECASE):
                    continue  # "se realizuje u Albaniji": a place follows, not an organisation
                if lead := re.match(r"(?:[a-zčćšžđëçа-яѓќ]+\s+){1,3}(?=[A-ZČĆŠŽĐА-Я])", rest):
                    rest = rest[lead.end():]  # "kojeg provodi humanitarna organizacija Catholic Relief …"
                tail = _cut_list(rest)
                if role == "funder" and text[:m.start()].rstrip().endswith(","):
                    tail = tail.split(",")[0]  # "…, financed by the EU, the Foundation organises…": one funder
                if cue in THROUGH_CUES:
                    if not re.match(r"(?:[A-Z][\w’']*\s+){0,6}(Fund|Facility|Trust|Fond|Fondi|Фонд)\b", tail):
                        continue
                    tail = re.sub(r"\s+(?:to|in)\s+(?:a|an|the)\s.*$", "", tail)
                taken.append((m.start(), len(text) - len(rest) + len(tail)))
                found.extend(split_org_list(tail, offset + len(text) - len(rest), role))
    for m in _AID_FOR.finditer(text):
        if not any(s <= m.start("who") < e for s, e in taken):
            name = m.group("who")[1:-1].strip()
            found.append(OrgMention(name, offset + m.start("who") + 1, offset + m.start("who") + 1 + len(name),
                                    "implementer"))
    for m in _NAMED_GRANTEES.finditer(text):
        if not any(s <= m.end() < e for s, e in taken):
            tail = _cut_list(text[m.end():])
            taken.append((m.end(), m.end() + len(tail)))
            found.extend(split_org_list(tail, offset + m.end(), "implementer"))
    for pattern, role in ((_GRANT_VERBS, "funder"), (_IMPLEMENTS, "implementer"), (_ADJECTIVE_FUNDER, "funder"),
                          (_SIGNS_WITH, "implementer"), (_CO_FINANCES, "partner"), (_RECEIVES, "implementer"),
                          (_BODY_SIGNS, "implementer"), (_AGENT_PASSIVE, "funder")):
        for m in _near_verbs(pattern, text):
            if re.fullmatch(r"(?:The|the)\s+\w+", m.group("who")) or _GENERIC_SUBJECT.fullmatch(m.group("who")):
                continue  # "The Fund approved", "Projekat će provoditi X": not a new organisation
            if _PREPOSITION_BEFORE.search(text, max(0, m.start() - 12), m.start()):
                continue  # "okvir za Zapadni Balkan (WBIF) obezbijedila": the subject stands earlier
            who = re.sub(r"^(?:Which|Koji|Koju|Kojeg|The)\s+(?:the\s+)?", "", m.group("who"))
            start = offset + m.end("who") - len(who)
            found.extend(o for o in split_org_list(who, start, role)
                         if not any(o.start - offset >= s and o.start - offset < e for s, e in taken))
    return sorted(found, key=lambda o: o.start)


#: the verbs of the subject-first patterns above: a subject is looked for only just before one of them, so a
#: line of 40,000 capitalised words costs a scan, not a backtracking search from every position
_SUBJECT_VERBS = re.compile(
    r"\b(?:decided|extended|granted|awarded|donated|allocated|financing|funding|approved|odobri|dodijeli|dodeli|"
    r"donira|izdvoji|podržao|podržala|podrzao|podrzala|finansira|financira|ndau|akordoi|додели|одобри|донира|"
    r"издвоји|определил|implementing|implements|sprovodi|provodi|realizuje|implementira|zbaton|спроведува|"
    r"реализира|спроводи|реализује|organizoi|organized|organised|organizuje|организира|организује|funded|"
    r"financed|supported|sponsored|signed|подарува|подари|dhuron|dhuroi|poklanja|daruje|donates|lends|lent|"
    r"loans|providing|provides|kreditira|pozajmljuje|huazon|кредитира|carry out|carries out|provoditi|realizovati|"
    r"спроведе|obezbijedi|obezbedi|osigura|обезбеди|обезбиједи|siguron|siguroi|adds|shton|dodaje|додава|invites|"
    r"fton|učestvuje|učestvovati|sudjeluje|sudjelovati|учествује|учествува|participates|co-financ|sufinansira|"
    r"sufinancira|bashkëfinancon|кофинансира|суфинансира|receive|përfiton|dobija|dobiti|добива|добија|добие|prima|"
    r"nënshkr|potpis|потпис|raspis|распис|launch|shpall|objavil|објавил|aprovuar|miratuar|financuar|ndarë|dhënë|"
    r"akorduar|siguruar)",
    re.IGNORECASE)


def _near_verbs(pattern: re.Pattern[str], text: str, reach: int = 240) -> Iterator[re.Match[str]]:
    """Matches of a subject-first `pattern` found in a window before each of its possible verbs."""
    end = 0
    for verb in _SUBJECT_VERBS.finditer(text):
        m = pattern.search(text, max(end, verb.start() - reach), min(len(text), verb.end() + 80))
        if m is not None and m.start() >= end:
            end = m.end()
            yield m


def quoted_title(text: str) -> tuple[str, int, int] | None:
    """The first quoted name after a project/programme cue: `a project entitled “X”` → X with its span."""
    if m := TITLE_CUES.search(text):
        return m.group(1).strip(), m.start(1), m.end(1)
    return None


def event_sentence(text: str) -> tuple[int, int] | None:
    """The span of the first sentence where an event noun is confirmed by an 'organised/held' verb."""
    for sentence in re.finditer(r"[^.!?\n]+(?:[.!?]|$)", text):
        if EVENT_WORDS.search(sentence.group(0)) and _EVENT_VERB.search(sentence.group(0)):
            return sentence.start(), sentence.end()
    return None
