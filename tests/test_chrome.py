"""Site furniture is never a headline; the headline is the first line of content."""

from __future__ import annotations

from aidatlas.ingest.chrome import headline, is_date_line, is_furniture
from aidatlas.ingest.lines import split_lines


def test_navigation_datelines_and_banners_are_furniture():
    for text in ("Back to Listing", "Share this page", "Инфо", "Republika e Kosovës", "18. јануар 2022.18. јан 2022.",
                 "Thursday, November 7, 2013", "Foto: pixabay", "For Immediate Release", "crs-LOGOWEB.png"):
        assert is_furniture(split_lines(text)[0]), text


def test_headline_skips_furniture():
    text = "Back to Listing\n\nFriday, December 14, 2007\n\nRural roads rebuilt in twelve villages of Kolašin\n\nBody."
    line = headline(split_lines(text))
    assert line is not None and line.text == "Rural roads rebuilt in twelve villages of Kolašin"


def test_a_sentence_with_a_date_is_not_a_date_line():
    assert not is_date_line("The training was held in Berovo on 15 September 2011 for twenty participants.")
