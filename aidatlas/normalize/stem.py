"""A light stemmer for search: one stem for the inflected forms of a word in bs/hr/sr, sq, mk and English.

Search folds text first (`normalize.script.fold`: Latin script, no diacritics, lower case), so Cyrillic and
Latin spellings reach the stemmer as the same letters and get the same stem: `Босни`, `Bosni`, `Bosna`,
`Bosnom` and `Bosnia` all stem to `bosn`; `Švicarske`, `Svicarskoj` to `svicarsk`; `Prishtinës`, `Prishtinë`
and `Prishtina` to `prishtin`. The rules only strip endings (case endings of nouns and adjectives, the
Albanian and Macedonian definite article, an English plural `s`) and keep at least three letters, so the
stem of a word is never longer than the word. It is applied to the index and to the query alike, so
over-stemming costs precision, never recall. What it does not do: sound changes inside the word (Rijeka →
Rijeci, Shkodër → Shkodra; the gazetteer's variants cover place names), derivation, English -ing/-ed.
"""

from __future__ import annotations

from functools import lru_cache

MIN_STEM = 3
#: case and article endings, longest first; each is stripped once, the longest that leaves MIN_STEM letters
_ENDINGS = tuple(sorted((
    # bs/hr/sr nouns and adjectives (folded: š→s, č/ć→c, ž→z, đ→dj)
    "ijama", "ijima", "ijom", "ijem", "ija", "ije", "iji", "iju",
    "ama", "ima", "oga", "ome", "omu", "ega", "emu", "om", "em", "oj", "og", "ih", "im",
    # Macedonian definite article, Albanian definite forms
    "ata", "ite", "ia",
    "a", "e", "i", "o", "u",
), key=len, reverse=True))
#: endings stripped only after a consonant and when five letters or more remain (Prizren-it, proekt-ot),
#: so that nominatives ending in these letters (kredit, pilot) keep them; not Albanian -in, which would cut
#: Slavic names (Kolašin, Zrenjanin) apart from their own inflected forms
_CONSONANT_ENDINGS = ("it", "ot")
#: an Albanian plural (kopshte, kopshtet, kopshteve → kopsht) and Slavic nouns in -et with their case endings
#: (komitet, komiteta, komitetu → komit), stripped when five letters or more remain
_ET_ENDINGS = ("etima", "etom", "eve", "eta", "etu", "eti", "ete", "et")
_VOWELS = frozenset("aeiou")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The stem of one folded word (lower case, ASCII letters); digits and short words are left alone."""
    if len(word) <= MIN_STEM or not word.isalpha():
        return word
    if len(word) >= 5 and word.endswith("s") and word[-2] not in "siu":  # English plural, Albanian -s/-ës
        word = word[:-1]
    for ending in _ET_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 5:
            return word[: -len(ending)]
    for ending in _CONSONANT_ENDINGS:
        rest = word[: -len(ending)]
        if word.endswith(ending) and len(rest) >= 5 and rest[-1] not in _VOWELS:
            return rest
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            word = word[: -len(ending)]
            break
    if len(word) > MIN_STEM and word[-1] in _VOWELS:  # komunave → komuna → komun, centres → centre → centr
        word = word[:-1]
    if len(word) >= 6 and word.endswith("ac") and word[-3] not in _VOWELS:  # fleeting a: Kragujevac/Kragujevca
        word = word[:-2] + "c"
    return word


def stem_words(folded: str) -> str:
    """Every word of a folded text stemmed, in order (phrases still match word by word)."""
    return " ".join(stem(w) for w in folded.split())
