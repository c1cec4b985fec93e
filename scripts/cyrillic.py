"""Generate the Serbian Cyrillic catalogue from the Serbian Latin one (never edit sr_Cyrl by hand).

    python scripts/cyrillic.py LATIN.po CYRILLIC.po

Serbian Latin and Cyrillic map one to one (Vuk's alphabet: lj → љ, nj → њ, dž → џ), so the Cyrillic catalogue is
the Latin one transliterated. Left in Latin: placeholders (`%(name)s`, `%s`), HTML tags and entities, addresses,
code in <code>, acronyms written in capitals (EUR, IATI, API …) and the words in KEEP; the few words where "nj",
"lj" or "dž" are two letters (konjugacija, injekcija, nadživeti …) are kept as two letters. Fuzzy flags and
`# review:` comments carry over, so an uncertain Latin translation stays uncertain in Cyrillic.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

LATIN_TO_CYRILLIC = {
    "a": "а", "b": "б", "c": "ц", "č": "ч", "ć": "ћ", "d": "д", "đ": "ђ", "e": "е", "f": "ф", "g": "г", "h": "х",
    "i": "и", "j": "ј", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "r": "р", "s": "с", "š": "ш",
    "t": "т", "u": "у", "v": "в", "z": "з", "ž": "ж",
}
DIGRAPHS = {"lj": "љ", "nj": "њ", "dž": "џ"}
SPLIT_DIGRAPH_PREFIXES = ("konjug", "konjunk", "injek", "injun", "tanjug", "vanjez", "nadž", "podž", "odž",
                          "predž", "nadživ", "podživ")
"""word beginnings where n+j, l+j or d+ž are two sounds, not one letter"""
KEEP = {"aidatlas", "GeoNames", "geonames.org", "Natural", "Earth", "SOURCES.md", "OpenAPI", "Bearer",
        "Authorization", "PATCH", "IANA", "Europe/Sarajevo", "DOCX", "XLSX", "ODT", "PNG", "JPG", "PDF", "KB", "MB",
        "YYYY", "YYYY-MM", "YYYY-MM-DD", "csv", "json", "txt", "md", "html", "pdf", "read", "write", "NAME"}
"""words (names, formats, keywords of the API) that stay in Latin letters"""

_PROTECTED = re.compile(
    r"<code>.*?</code>"            # code
    r"|<[^>]+>"                    # HTML tags with their attributes
    r"|&[a-zA-Z#0-9]+;"            # entities
    r"|%\([A-Za-z_0-9]+\)[sdfr]|%[sdfr%]"   # placeholders
    r"|https?://\S+|/[\w./{}-]+"   # addresses and paths
    r"|\b[\w.-]+\.(?:org|md|json|csv|xml|txt|html|pdf)\b"
    r"|\b[A-Z][A-Z0-9]{1,}\b"      # acronyms and codes (EUR, IATI, BA, XK …)
    r"|\b(?:" + "|".join(re.escape(w) for w in sorted(KEEP, key=len, reverse=True)) + r")\b",
    re.S)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def _word(word: str) -> str:
    lower = word.lower()
    split = lower.startswith(SPLIT_DIGRAPH_PREFIXES)
    out: list[str] = []
    i = 0
    while i < len(word):
        pair = lower[i:i + 2]
        if not split and pair in DIGRAPHS:
            letter = DIGRAPHS[pair]
            out.append(letter.upper() if word[i].isupper() else letter)
            i += 2
            continue
        ch = word[i]
        mapped = LATIN_TO_CYRILLIC.get(ch.lower())
        if mapped is None:
            out.append(ch)   # already Cyrillic, or a letter Serbian does not have (q, w, x, y): left alone
        else:
            out.append(mapped.upper() if ch.isupper() else mapped)
        i += 1
    return "".join(out)


def _plain(text: str) -> str:
    return _WORD.sub(lambda m: _word(m.group(0)), text)


def transliterate(text: str) -> str:
    """Serbian Latin text → Cyrillic, leaving placeholders, markup, addresses, acronyms and KEEP words alone."""
    out: list[str] = []
    at = 0
    for m in _PROTECTED.finditer(text):
        out.append(_plain(text[at:m.start()]))
        out.append(m.group(0))
        at = m.end()
    out.append(_plain(text[at:]))
    return "".join(out)


def cyrillic_catalog(latin: Catalog) -> Catalog:
    """The Cyrillic twin of a Serbian Latin catalogue: same msgids, flags and comments; msgstrs transliterated."""
    out = Catalog(locale="sr_Cyrl", project=latin.project, version=latin.version, header_comment=(
        "# Serbian (Cyrillic) translations for aidatlas.\n"
        "# GENERATED from sr_Latn by scripts/cyrillic.py: do not edit; edit sr_Latn and run `make messages`.\n"),
        fuzzy=False)
    for message in latin:
        if not message.id:
            continue
        if isinstance(message.string, tuple | list):
            string: str | tuple[str, ...] = tuple(transliterate(s) for s in message.string)
        else:
            string = transliterate(message.string or "")
        out.add(message.id, string, locations=message.locations, flags=message.flags,
                auto_comments=message.auto_comments, user_comments=message.user_comments,
                context=message.context)
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    source, target = Path(argv[1]), Path(argv[2])
    with source.open("rb") as f:
        latin = read_po(f, locale="sr_Latn")
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as f:
        write_po(f, cyrillic_catalog(latin), width=0, omit_header=False, sort_output=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
