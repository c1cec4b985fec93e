"""Site furniture versus content: which short lines are navigation, bylines, date lines or banners.

A page's headline is its first line of content; real pages put navigation ("Back to Listing"), section
names ("Post", "Инфо"), date lines, bylines and state banners ("Republika e Kosovës") above it. None of those
is ever a title.
"""

from __future__ import annotations

import re

from aidatlas.ingest.lines import Line, is_table_row
from aidatlas.normalize.dates import find_dates
from aidatlas.normalize.script import fold

#: folded phrases that make up a whole line of navigation or page furniture
_FURNITURE = re.compile(
    r"^(?:back to .*|share(?: this)?(?: page| article)?|print|read more|more|home|menu|post|posts|news|vijesti|"
    r"vesti|novosti|lajme|te fundit|najnovije|aktuelno|info|инфо|vesti|вести|вијести|вести|новости|comments?|"
    r"komentari.*|komente|коментари|tags?|kategorija|kategorije|category|ključne reči|kljucne reci|"
    r"procitajte jos|pročitajte još|прочитајте још|прочитајте повеќе|lexo më shumë|lexo me shume|"
    r"for immediate release|press release|saopstenje|saopćenje|соопштение|njoftim per shtyp|"
    r"by [\w .\-]{3,40}|autor:? .{3,40}|foto:? .{0,60}|photo:? .{0,60}|фото:? .{0,60}|"
    r"(?:republika|republic|republic of|republika e|република|qeveria|vlada|влада)(?: [\w ]{2,30})?|"
    r"(?:kategorij\w*|category|categories|kategori\w*|категориј\w*|категории|tags?|oznake|етикети|"
    r"objavljeno|published|posted|објављено|објавено|publikuar)\s*:.{0,80})$",
    re.IGNORECASE)
_SITE_BANNER = re.compile(r"^(?:republika e kosoves|republic of kosovo|republika kosovo|republika srbija|"
                          r"република србија|republika srpska|bosna i hercegovina|crna gora|republika e shqiperise|"
                          r"republic of north macedonia|република северна македонија)(?:\s.*)?$")


def is_date_line(text: str) -> bool:
    """A line that is (almost) only a date or two: a dateline or a timestamp, not content."""
    dates = find_dates(text)
    if not dates:
        return False
    covered = sum(d.end - d.start for d in dates)
    rest = re.sub(r"[\W\d_]+", " ", text)
    words = [w for w in rest.split() if len(w) > 2]
    return covered >= 0.5 * len(text) or (len(words) <= 3 and len(text) < 60)


_CRUMB_SEPARATOR = re.compile(r"\s+(?:/|\||>|»|›|·)\s+")
_SITE_NAME = re.compile(r"(?:official (?:web)?site|official portal|zvanična (?:web )?stranica|"
                        r"zvanicna (?:web )?stranica|"
                        r"službena (?:web )?stranica|službeni portal|званична (?:веб )?страница|"
                        r"официјална (?:веб )?страница|faqja zyrtare|portali zyrtar)", re.IGNORECASE)
_FRONT_MATTER_KEY = re.compile(r"^(?:date|author|categories|tags|layout|slug|lang|draft|permalink|image|summary|"
                               r"description|type|weight|aliases):\s", re.IGNORECASE)


def is_breadcrumb(text: str) -> bool:
    """`Почетна / Вести / Цивилно друштво`, `Home | Mayor | News`: a trail of short section names."""
    parts = _CRUMB_SEPARATOR.split(text)
    return len(parts) >= 2 and all((0 < len(p.split()) <= 4 and not find_dates(p)) or is_date_line(p)
                                   for p in parts) and len(text) < 160


def is_furniture(line: Line) -> bool:
    text = line.text.strip()
    folded = fold(text)
    if len(folded) < 4 or is_table_row(text) or text.endswith("|") or text.startswith("|"):
        return True
    if is_breadcrumb(text) or _SITE_NAME.search(text) or _FRONT_MATTER_KEY.match(text) or text == "---":
        return True
    words = text.split()
    if text.isupper() and len(words) <= 5 and not find_dates(text):  # "OPŠTINA BIJELO POLJE": a site banner
        return True
    if _FURNITURE.match(text) or _FURNITURE.match(folded) or _SITE_BANNER.match(folded):
        return True
    if re.match(r"^[\w.\-]+\.(?:png|jpe?g|gif|webp|svg)$", text, re.IGNORECASE):
        return True
    return is_date_line(text)


def front_matter_title(lines: list[Line]) -> tuple[Line, int] | None:
    """`title: …` in a Markdown file's front matter: the line and where the value starts in it."""
    for line in lines[:8]:
        if m := re.match(r"title:\s*[\"']?", line.text, re.IGNORECASE):
            value = line.text[m.end():].strip("\"' ")
            return None if is_breadcrumb(value) else (line, m.end())  # "Lajme | Lugina Sot": the site's name
    return None


def headline(lines: list[Line], limit: int = 12) -> Line | None:
    """The page's headline: its first heading or short line of content that is not furniture."""
    candidates = [x for x in lines[:limit] if not is_furniture(x) and len(x.text) >= 12]
    for line in candidates:
        if line.level or (len(line.text) <= 220 and not line.text.endswith((".", ":", ";", ","))):
            return line
    return candidates[0] if candidates else None
