"""Records read from prose: an event's place is its own, not the next event's."""

from __future__ import annotations

from pathlib import Path

from aidatlas.ingest.pipeline import Extractor

NEWS = """Obuka za službenike opština u Kruševcu

Kruševac, 12. mart 2024.

U Kruševcu je danas održana obuka o javnim nabavkama za 30 službenika iz pet opština, koju je organizovala
Stalna konferencija gradova i opština.

Sledeća obuka planirana je za maj u Čačku, za opštine Moravičkog okruga.
"""


def test_the_next_event_s_place_is_not_this_event_s(tmp_path: Path):
    page = tmp_path / "obuka.txt"
    page.write_text(NEWS, encoding="utf-8")
    _, activities = Extractor().extract_path(page)
    events = [a for a in activities if a.kind == "event"]
    assert events, [a.kind for a in activities]
    names = {p.name for p in events[0].locations}
    assert "Kruševac" in names and "Čačak" not in names
