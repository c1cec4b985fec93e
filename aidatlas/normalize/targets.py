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
    r"deri\b|годин\w*|месец\w*|дана\b|часов\w*|сати\b|km\b|км\b|km²|ha\b|m²|hours?|часа)",
    re.IGNORECASE)
_COUNT = re.compile(rf"(?:{_QUALIFIER}\s+)?(?<![\w.,/$€£¥-])(?P<n>\d{{1,3}}(?:[.,]\d{{3}})+|\d{{1,6}})"
                    rf"(?![\w.,/%-]|\.\d)\s+(?P<rest>[^\d\n]{{2,120}})", re.IGNORECASE)
_STOP = re.compile(r"\s(?:and|i|dhe|и|or|ili|from|iz|nga|од|who|which|that|koj\w*|që|кои|што|in|u|në|во|with|"
                   r"sa|me|со|for|za|për|за)\s|[,;:.()–]", re.IGNORECASE)


def find_counts(text: str) -> list[tuple[int, str, int, int]]:
    """(count, group text, start, end) for each counted group."""
    out = []
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
