"""Counted target groups in text: `at least 21 journalists, 60 police officers` → (21, journalists), (60, …).

Years, money, percentages and durations are not head-counts; a count needs a noun after it.
"""

from __future__ import annotations

import re

_QUALIFIER = (r"(?:at least|more than|over|about|around|approximately|up to|some|nearly|almost|oko|više od|"
              r"preko|najmanje|rreth|mbi|të paktën|së paku|најмалку|над|околу|повеќе од|најмање|око)")
_NOT_PEOPLE = re.compile(
    r"^(?:%|percent|per cent|posto|years?|days?|months?|weeks?|hours?|godin\w*|dan[a]?\b|mjesec\w*|mesec\w*|"
    r"sedmic\w*|sati|vjet\w*|ditë|muaj\w*|години|денови|месеци|eur|usd|km|bam|rsd|mkd|all|jpy|euro?s?|"
    r"dollars?|million|milion\w*|thousand|hiljad\w*|times|put[a]?|x\b|and\b|i\b|or\b|to\b|-|–|do\b|до\b|"
    r"deri\b|годин\w*|месец\w*|дана\b|часов\w*|сати\b|km\b|км\b|km²|ha\b|m²|hours?|часа|"
    r"odsto|одсто|отсто|процен\w*|procen\w*|për ?qind|kb\b|mb\b|gb\b|kilomet\w*|километ\w*|metar\w*|metr\w*|"
    r"метр\w*|метар\w*|hektar\w*|хектар\w*|tona\b|тона\b|tonn?es?\b|sela\b|села\b|villages?\b|fshat\w*|"
    r"projek\w*|пројек\w*|проект\w*|projects?\b|house connections|priključ\w*|прикључ\w*|tezg\w*)",
    re.IGNORECASE)
_COUNT = re.compile(rf"(?:{_QUALIFIER}\s+)?(?<![\w.,/$€£¥-])(?P<n>\d{{1,3}}(?:[.,]\d{{3}})+|\d{{1,6}})"
                    rf"(?![\w.,/%-]|\.\d)\s+(?P<rest>[^\d\n]{{2,120}})", re.IGNORECASE)
_STOP = re.compile(r"\s(?:and|i|dhe|и|or|ili|from|iz|nga|од|who|which|that|koj\w*|që|кои|што|in|u|në|во|with|"
                   r"sa|me|со|for|za|për|за)\s|[,;:.()–]", re.IGNORECASE)


#: numbers written as words count only before a word for people (`osam osoba`, `pet članova`, `five women`)
_NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "twelve": 12, "fifteen": 15, "twenty": 20, "dva": 2, "dvije": 2, "dve": 2, "tri": 3, "četiri": 4,
    "pet": 5, "šest": 6, "sedam": 7, "osam": 8, "devet": 9, "deset": 10, "dvanaest": 12, "petnaest": 15,
    "dvadeset": 20, "два": 2, "две": 2, "три": 3, "четири": 4, "пет": 5, "шест": 6, "седум": 7, "седам": 7,
    "осум": 8, "осам": 8, "девет": 9, "десет": 10, "dy": 2, "tre": 3, "katër": 4, "pesë": 5, "gjashtë": 6,
    "shtatë": 7, "tetë": 8, "nëntë": 9, "dhjetë": 10,
}
_PEOPLE = re.compile(
    r"(?:people|persons|women|men|girls|boys|youth|young|children|students|pupils|farmers|members|participants|"
    r"teachers|officials|trainees|families|households|osob\w*|lica|ljudi|žen\w*|muškar\w*|mladi\w*|djec\w*|"
    r"dec\w*|učenik\w*|student\w*|poljoprivrednik\w*|član\w*|porodic\w*|obitelj\w*|domaćinstv\w*|učesni\w*|"
    r"особ\w*|лица|људи|жен\w*|млад\w*|деца|деце|ученик\w*|студент\w*|член\w*|чланов\w*|породиц\w*|"
    r"семејств\w*|земјоделц\w*|учесни\w*|persona\w*|gra\b|gratë|të rinj|fëmijë|nxënës\w*|studentë|fermer\w*|"
    r"anëtar\w*|familje)\b", re.IGNORECASE)
_WORD_COUNT = re.compile(r"(?<!\w)(?P<n>" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) +
                         r")\s+(?=(?P<rest>(?:\w+\s+)?[^\d\n]{2,120}))", re.IGNORECASE)


def find_counts(text: str) -> list[tuple[int, str, int, int]]:
    """(count, group text, start, end) for each counted group."""
    out = []
    for m in _WORD_COUNT.finditer(text):
        rest = m.group("rest")
        if not _PEOPLE.match(rest) and not _PEOPLE.match(rest.split(" ", 1)[-1]):
            continue
        stop = _STOP.search(" " + rest)
        phrase = " ".join((rest[: stop.start() - 1] if stop else rest).split()[:6])
        out.append((_NUMBER_WORDS[m.group("n").casefold()], phrase, m.start("n"), m.start("rest") + len(phrase)))
    for m in _COUNT.finditer(text):
        n = int(re.sub(r"[.,]", "", m.group("n")))
        rest = m.group("rest")
        if _NOT_PEOPLE.match(rest) or (1900 <= n <= 2100 and len(m.group("n")) == 4):
            continue
        stop = _STOP.search(" " + rest)
        phrase = (rest[: stop.start() - 1] if stop else rest).strip()
        words = phrase.split()[:6]
        if not words or not words[0][0].isalpha():
            continue
        phrase = " ".join(words)
        out.append((n, phrase, m.start("n"), m.start("rest") + len(phrase)))
    return out
