"""Every value of every extracted record points at the words it was read from.

For the seeds, the real development documents in ../shared/eval/real and our own corpus, each span stored in
`source.spans` must contain its value: a title or list item its text, a participant or place its name (or a
form the gazetteer/alias table knows), money its amount, a date its date, a target group its count.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from aidatlas.ingest.pipeline import Extractor, expand_paths
from aidatlas.normalize.dates import find_dates, find_dates_in_year
from aidatlas.normalize.draft import Normalizer
from aidatlas.normalize.inflection import inflected_places
from aidatlas.normalize.money import find_money, parse_number
from aidatlas.normalize.script import fold
from aidatlas.records import Activity, texts_of
from aidatlas.reference.gazetteer import Gazetteer

HERE = Path(__file__).parent
SHARED = HERE.parent.parent / "shared"
CORPORA = {"seeds": SHARED / "seeds", "real": SHARED / "eval" / "real" / "docs", "own": HERE / "data" / "docs"}


def _close(value: str, span_text: str) -> bool:
    """The span says the value: equal or contained after folding, or (inflected names) sharing a long stem."""
    v, s = fold(value), fold(span_text)
    if not v or not s:
        return False
    if v in s or (s in v and len(s) >= 0.6 * len(v)):
        return True
    stem = v[: max(4, len(v) - 3)]
    return stem in s


def _number_in(text: str, value: float) -> bool:
    try:
        return abs(parse_number(text.strip()) - value) < 0.01
    except ValueError:
        return False


def _sum_of_parts(text: str, value: float) -> bool:
    """A co-financed total: the span holds its parts (`260.000 евра … а 40.000 евра`)."""
    parts = find_money(text)
    return len(parts) >= 2 and abs(sum(m.value for m in parts) - value) < 0.01


def _expands(value: str, span_text: str) -> bool:
    """A normalized name that expands what the text said (`Andrijevica` → `Opština Andrijevica`)."""
    return any(part and part in fold(value) for part in (fold(p) for p in span_text.split("/")))


def _same_stem(value: str, span_text: str) -> bool:
    """An adjective or case form of a place's name (`Jablaničkom [okrugu]` → Jablanica District)."""
    v, s = fold(value), fold(span_text)
    n = max(4, min(5, len(v.split()[0]) - 1)) if v else 5  # "Raška" → "Raškog": the stem drops its last letter
    return len(v) >= 5 and v[:n] == s[:n]


def _problems(activity: Activity, text: str, gazetteer: Gazetteer) -> list[str]:
    out = []
    for key, spans in activity.source.spans.items():
        field, _, index = key.partition(".")
        for start, end in spans[:1]:
            said = text[start:end]
            if field == "title":
                ok = any(_close(t, said) for t in texts_of(activity.title))
            elif field == "participants":
                name = activity.participants[int(index)].name
                ok = _close(name, said) or _expands(name, said) or len(spans) > 1
            elif field == "locations":
                place = activity.locations[int(index)]
                ok = _close(place.name, said) or _expands(place.name, said) or _same_stem(place.name, said) or any(
                    e.name == place.name for e in gazetteer.lookup(said)) or any(
                    m.entry.name == place.name for prep in ("u ", "у ", "во ", "në ")
                    for m in inflected_places(prep + said, gazetteer, []))
            elif field in ("budget", "equivalents"):
                money = activity.budget if field == "budget" else activity.equivalents[int(index or 0)]
                ok = money is not None and (any(abs(m.value - money.value) < 0.01 for m in find_money(said))
                                            or _number_in(said, money.value)  # currency from a column header
                                            or _sum_of_parts(said, money.value))
            elif field == "dates":
                value = getattr(activity.dates, index)
                found = [*find_dates(said), *find_dates_in_year(said, (value or "0000")[:4])]  # "8 shkurt"
                ok = value is not None and any(value in (d.start_date, d.end_date) for d in found)
            elif field in ("objectives", "results", "activities", "beneficiaries"):
                ok = any(_close(t, said) for t in texts_of(getattr(activity, field)[int(index)]))
            elif field == "target_groups":
                count = activity.target_groups[int(index)].count
                ok = count is None or str(count) in said.replace(".", "").replace(",", "") or not any(
                    ch.isdigit() for ch in said)
            else:
                ok = end > start
            if not ok:
                out.append(f"{activity.source.document} {key}: span {said!r} does not say the value")
    return out


@pytest.mark.parametrize("corpus", sorted(CORPORA))
def test_every_span_contains_its_value(corpus: str):
    folder = CORPORA[corpus]
    if not folder.exists():
        pytest.skip(f"{folder} is not here")
    extractor = Extractor()
    gazetteer = Normalizer.load().gazetteer
    problems = []
    for path in expand_paths([folder]):
        document, activities = extractor.extract_path(path)
        for activity in activities:
            problems += _problems(activity, document.text, gazetteer)
    assert not problems, "\n".join(problems)
