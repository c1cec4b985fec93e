"""Money in text → (value, ISO 4217 currency): `USD 3,046,788.80`, `545.897,00 EUR`, `344.29 million yen`.

Amounts written in parentheses after "approximately"/"oko"/"rreth"… are equivalents of the amount before
them, not second budgets. Percentages (`89,92%`) are funding shares.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from aidatlas.errors import NormalizationError

CURRENCY_WORDS: dict[str, str] = {
    "usd": "USD", "us$": "USD", "$": "USD", "us dollars": "USD", "us dollar": "USD", "u.s. dollars": "USD",
    "dollars": "USD", "dollar": "USD", "američkih dolara": "USD", "dolara": "USD", "долара": "USD",
    "eur": "EUR", "€": "EUR", "euro": "EUR", "euros": "EUR", "eura": "EUR", "evra": "EUR", "евра": "EUR",
    "евро": "EUR", "euro-s": "EUR", "euroja": "EUR",
    "jpy": "JPY", "¥": "JPY", "yen": "JPY", "jena": "JPY", "јена": "JPY",
    "bam": "BAM", "km": "BAM", "konvertibilnih maraka": "BAM", "konvertibilne marke": "BAM", "kм": "BAM",
    "rsd": "RSD", "dinara": "RSD", "динара": "RSD", "dinars": "RSD", "serbian dinars": "RSD", "din": "RSD",
    "mkd": "MKD", "denars": "MKD", "denara": "MKD", "денари": "MKD", "денара": "MKD", "ден": "MKD",
    "all": "ALL", "lek": "ALL", "lekë": "ALL", "leke": "ALL",
    "lekë të rinj": "ALL",
    "chf": "CHF", "swiss francs": "CHF", "francs": "CHF", "franaka": "CHF", "франака": "CHF", "franga": "CHF",
    "франци": "CHF", "švicarskih franaka": "CHF", "швајцарских франака": "CHF", "nok": "NOK",
    "norwegian kroner": "NOK", "sek": "SEK",
    "swedish kronor": "SEK", "gbp": "GBP", "£": "GBP", "pounds": "GBP", "hrk": "HRK", "kuna": "HRK",
    "dkk": "DKK", "cad": "CAD", "aud": "AUD", "czk": "CZK", "huf": "HUF", "pln": "PLN", "try": "TRY",
}
SCALES: dict[str, float] = {
    "million": 1e6, "millions": 1e6, "mil": 1e6, "mln": 1e6, "milion": 1e6, "miliona": 1e6,
    "milijuna": 1e6, "milioni": 1e6, "милиони": 1e6, "милион": 1e6, "милиона": 1e6, "milionë": 1e6,
    "milione": 1e6, "billion": 1e9,
    "milijardi": 1e9, "milijarda": 1e9, "thousand": 1e3, "hiljada": 1e3, "tisuća": 1e3, "хиљада": 1e3,
    "илјади": 1e3, "mijë": 1e3,
}
APPROX = ("approximately", "approx", "approx.", "about", "around", "some", "roughly", "equivalent to",
          "oko", "otprilike", "približno", "cca", "cca.", "rreth", "përafërsisht", "околу", "приближно")

_CUR = "|".join(sorted((re.escape(c) for c in CURRENCY_WORDS), key=len, reverse=True))
_SCALE = "|".join(sorted((re.escape(s) for s in SCALES), key=len, reverse=True))
_NUM = r"\d{1,3}(?:[.,\s’']\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?"
MONEY = re.compile(
    rf"(?<![\w.,])(?:(?P<cur1>{_CUR})\s?(?P<num1>{_NUM})(?:\s+(?P<scale1>{_SCALE})\b)?"
    rf"|(?P<num2>{_NUM})(?:\s*(?P<scale2>{_SCALE})\b)?\s?(?P<cur2>{_CUR}))(?![\w])",
    re.IGNORECASE,
)
_CEILING = re.compile(r"(?:up to|maximum of|max\.?|not exceeding|at most|between|do|najviše|najvise|"
                      r"deri në|deri ne|до|највеќе)\s*$", re.IGNORECASE)
_DISTANCE = re.compile(r"\s+(?:of|od|puta|ceste|cesta|staz\w*|vodovod\w*|mrež\w*|kanal\w*|pruge|long|dug\w*|"
                       r"nove|novog|lokaln\w*|regionaln\w*|asfalt\w*|trase|road|pipe|sewer)\b", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_HALF = re.compile(rf"(?<![\w])(?:half a|pola|пола|gjysmë|gjysme|половина)\s+(?P<scale>{_SCALE})\s+(?P<cur>{_CUR})"
                   r"(?![\w])", re.IGNORECASE)
_OF_WHICH = re.compile(rf"(?<![\w.,])(?P<num>{_NUM})\s+(?:od čega|od cega|od toga|of which|nga të cilat|nga te cilat|"
                       r"од кои|од чега|од којих)\b", re.IGNORECASE)
PERCENT = re.compile(r"(?<![\w.,])(\d{1,3}(?:[.,]\d{1,4})?)\s?(?:%|(?:odsto|posto|посто|одсто|отсто|проценти|"
                     r"процента|per ?cent|percent|përqind|për qind|posto|procenata|procenta)\b)", re.IGNORECASE)


@dataclass(frozen=True)
class MoneyMention:
    value: float
    currency: str
    start: int
    end: int
    approximate: bool
    """written as an approximation or in parentheses after another amount: an equivalent"""
    ceiling: bool = False
    """a limit ("grants of up to EUR 30,000", "from 3.000 to 8.000"), not an amount spent"""


def parse_number(text: str) -> float:
    """`3,046,788.80` / `545.897,00` / `545,897,00` / `12 500` / `344.29` → float.

    The last separator followed by one or two digits is the decimal mark; every other is for thousands.
    """
    s = re.sub(r"[\s’']", "", text)
    if not s:
        raise NormalizationError(f"not a number: {text!r}")
    seps = [i for i, c in enumerate(s) if c in ".,"]
    if not seps:
        return float(s)
    last = seps[-1]
    tail = s[last + 1:]
    if len(tail) in (1, 2) or (len(seps) == 1 and len(tail) != 3):
        whole = re.sub(r"[.,]", "", s[:last])
        return float(f"{whole}.{tail}")
    return float(re.sub(r"[.,]", "", s))


def currency_code(word: str) -> str:
    code = CURRENCY_WORDS.get(word.casefold().strip())
    if code is None:
        raise NormalizationError(f"unknown currency {word!r}")
    return code


def find_money(text: str) -> list[MoneyMention]:
    """Every amount with a currency in `text`, in order."""
    if not _DIGIT.search(text) and not _HALF.search(text):
        return []
    return list(_find_money(text))


@lru_cache(maxsize=8192)
def _find_money(text: str) -> tuple[MoneyMention, ...]:
    """(cached: the same sentence is asked for its amounts by several readers)"""
    found: list[MoneyMention] = []
    for m in MONEY.finditer(text):
        num = m.group("num1") or m.group("num2")
        cur = m.group("cur1") or m.group("cur2")
        scale = m.group("scale1") or m.group("scale2")
        if cur.casefold() == "all" and cur != "ALL":
            continue  # the English word "all"
        if cur.casefold() == "km" and cur not in ("KM", "km"):
            continue
        if cur == "km" and (parse_number(num) < 1000 or _DISTANCE.match(text, m.end())):
            continue  # "14 km of sewer pipes", "12 km puta": a distance
        value = parse_number(num)
        if scale:
            value *= SCALES[scale.casefold()]
        before = text[max(0, m.start() - 30):m.start()].casefold()
        approx = bool(re.search(r"\(\s*(?:" + "|".join(re.escape(a) for a in APPROX) + r")?\s*$", before)) or any(
            before.rstrip(" (").endswith(a) for a in APPROX)
        ceiling = bool(_CEILING.search(before))
        found.append(MoneyMention(round(value, 2), currency_code(cur), m.start(), m.end(), approx, ceiling))
    for m in _HALF.finditer(text):  # "pola miliona KM", "half a million euros"
        before = text[max(0, m.start() - 30):m.start()].casefold()
        approx = any(before.rstrip().endswith(a) for a in (*APPROX, "skoro", "gotovo", "almost", "nearly", "blizu"))
        found.append(MoneyMention(SCALES[m.group("scale").casefold()] / 2, currency_code(m.group("cur")),
                                  m.start(), m.end(), approx, False))
    for m in _OF_WHICH.finditer(text):  # "120.000 od čega … 20.000 eura": the total takes its part's currency
        part = next((f for f in found if f.start > m.end()), None)
        if part is not None and not any(f.start <= m.start() < f.end for f in found):
            found.append(MoneyMention(parse_number(m.group("num")), part.currency, m.start("num"), m.end("num"),
                                      False, False))
    return tuple(sorted(found, key=lambda f: f.start))


def find_percentages(text: str) -> list[tuple[float, int, int]]:
    """Percentages as shares in [0, 1] with their spans."""
    out = []
    for m in PERCENT.finditer(text):
        value = parse_number(m.group(1)) if "," in m.group(1) or "." in m.group(1) else float(m.group(1))
        if 0 <= value <= 100:
            out.append((round(value / 100, 6), m.start(), m.end()))
    return out
