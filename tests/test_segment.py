"""Segmenting a page: links to other news end the page's own text."""

from __future__ import annotations

from aidatlas.ingest.segment import segment

PAGE = """Opština dobila sredstva za vodovod

Bojnik, 3. 4. 2024.

Opština Bojnik dobila je 120.000 eura za rekonstrukciju vodovoda u selu Kamenica.

Pročitajte još:
Lebane: počela izgradnja kružnog toka
Vlasotince dobija novu pijacu
"""


def test_a_related_news_heading_ends_the_page_text():
    seg = segment(PAGE)
    kept = " ".join(line.text for line in seg.lines)
    assert "Kamenica" in kept and "Lebane" not in kept and "Vlasotince" not in kept
    assert not seg.records


def test_an_inline_related_line_ends_it_too_and_opens_no_record():
    seg = segment(PAGE.replace("Pročitajte još:\n", "Related: EU in Serbia | Country page\n"))
    assert not seg.records and "Lebane" not in " ".join(line.text for line in seg.lines)
