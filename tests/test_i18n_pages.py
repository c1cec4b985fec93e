"""Pages in every UI language: the switch, the cookie, the `lang` parameter, Accept-Language, formats."""

from __future__ import annotations

import re

import pytest

from aidatlas.web import formats, i18n

TAGS = [lang.tag for lang in i18n.LANGUAGES]
PUBLIC = ["/", "/activities?q=water", "/overview", "/organisations", "/calls", "/docs", "/login", "/signup",
          "/charts", "/no-such-page"]


def html_lang(page: str) -> str:
    found = re.search(r'<html lang="([^"]+)">', page)
    assert found, page[:200]
    return found.group(1)


@pytest.mark.parametrize("tag", TAGS)
def test_every_public_page_renders_in_every_language(rich, tag):
    c, activities = rich
    pages = [*PUBLIC, f"/activities/{activities[0].id}", "/countries/BA"]
    for path in pages:
        response = c.get(path, params={"lang": tag})
        assert response.status_code in (200, 404), (path, response.status_code)
        assert html_lang(response.text) == tag, path
        switch = re.search(r'<nav class="languages"[^>]*>(.*?)</nav>', response.text, re.S)
        assert switch, path
        assert switch.group(1).count("<li>") == len(i18n.LANGUAGES)
        current = re.findall(r'hreflang="([^"]+)" aria-current="true"', switch.group(1))
        assert current == [tag], path


def test_switch_links_keep_the_page_and_its_query(rich):
    c, _ = rich
    page = c.get("/activities", params={"q": "water", "country": "BA"}).text
    links = dict(re.findall(r'<a href="([^"]+)" lang="[^"]+" hreflang="([^"]+)"', page))
    by_tag = {tag: href.replace("&amp;", "&") for href, tag in links.items()}
    assert set(by_tag) == set(TAGS)
    assert by_tag["sq"].startswith("/activities?") or "/activities?" in by_tag["sq"]
    assert "q=water" in by_tag["sq"] and "country=BA" in by_tag["sq"] and "lang=sq" in by_tag["sq"]
    assert c.get(by_tag["sr-Cyrl"]).text.count('<html lang="sr-Cyrl">') == 1


def test_lang_parameter_sets_the_cookie_that_later_pages_keep(rich):
    c, _ = rich
    first = c.get("/overview", params={"lang": "mk"})
    assert first.cookies.get("lang") == "mk" or c.cookies.get("lang") == "mk"
    later = c.get("/organisations")
    assert html_lang(later.text) == "mk"
    again = c.get("/organisations", params={"lang": "en"})
    assert html_lang(again.text) == "en" and c.cookies.get("lang") == "en"


def test_cookie_beats_accept_language_and_parameter_beats_cookie(rich):
    c, _ = rich
    c.cookies.set("lang", "hr")
    assert html_lang(c.get("/overview", headers={"Accept-Language": "sq"}).text) == "hr"
    assert html_lang(c.get("/overview", params={"lang": "bs"}).text) == "bs"
    c.cookies.clear()


@pytest.mark.parametrize(("header", "expected"), [
    ("sq-AL,sq;q=0.9,en;q=0.5", "sq"), ("de-DE, mk;q=0.8", "mk"), ("sr-Latn-RS", "sr-Latn"), ("sr", "sr-Cyrl"),
    ("sr-RS,en;q=0.1", "sr-Cyrl"), ("hr;q=0.2, bs;q=0.9", "bs"), ("fr, de", "en"), ("", "en"), ("*", "en"),
    ("en;q=0, sq;q=0.1", "sq"), ("sh", "sr-Latn"), ("garbage;q=x", "en"),
])
def test_accept_language(rich, header, expected):
    c, _ = rich
    c.cookies.clear()
    assert html_lang(c.get("/overview", headers={"Accept-Language": header}).text) == expected


def test_unknown_lang_parameter_falls_back_and_sets_no_cookie(rich):
    c, _ = rich
    c.cookies.clear()
    response = c.get("/overview", params={"lang": "xx-Klingon"}, headers={"Accept-Language": "sq"})
    assert html_lang(response.text) == "sq" and "lang" not in response.cookies


def test_country_names_and_numbers_follow_the_language(rich):
    c, _ = rich
    c.cookies.clear()
    en = c.get("/countries/BA").text
    sq = c.get("/countries/BA", params={"lang": "sq"}).text
    mk = c.get("/countries/BA", params={"lang": "mk"}).text
    assert "Bosnia and Herzegovina" in en
    assert "Bosnjë-Hercegovinë" in sq
    assert "Босна и Херцеговина" in mk


def speak(tag: str):
    language = i18n.language_of(tag)
    assert language is not None
    return i18n.speaking(language, i18n.Catalogues().get(language.locale))


def test_formats_per_locale():
    with speak("en"):
        assert formats.fmt_money(1234567, "EUR") == "1,234,567 EUR"
        assert formats.fmt_short(1_234_567) == "1.2 million EUR"
        assert formats.date_text("2021-03-15") == "2021-03-15"
        assert formats.fmt_percent(0.255) == "25.50 %"
    with speak("sq"):
        assert formats.fmt_money(1234567, "EUR") == "1\u00a0234\u00a0567\u00a0EUR"
        assert formats.fmt_number(1234.5, 2) == "1\u00a0234,50"
        assert formats.fmt_short(1_234_567) == "1,2 milion\u00a0EUR"
        assert formats.date_text("2021-03-15").startswith("15 mar") and "2021" in formats.date_text("2021-03-15")
        assert formats.country_name("XK") == "Kosovë"
    with speak("hr"):
        assert formats.fmt_money(1234567, "EUR") == "1.234.567\u00a0EUR"
        assert formats.date_text("2021-03") != "2021-03" and "2021" in formats.date_text("2021-03")
    with speak("sr-Cyrl"):
        assert formats.country_name("BA") == "Босна и Херцеговина"
        assert formats.language_name("sq") == "албански"
        assert formats.date_text("2021-03-15").endswith("2021.")
    with speak("mk"):
        assert formats.fmt_number(1234.5, 1) == "1.234,5"
    with speak("bs"):
        assert formats.datetime_utc(0).startswith("1. 1. 1970.") or "1970" in formats.datetime_utc(0)


def test_record_texts_follow_the_ui_language_when_the_record_has_it(rich):
    c, _ = rich
    c.cookies.clear()
    record = c.get("/api/activities", params={"q": "Unapređenje"}).json()["records"][0]
    bs = c.get(f"/activities/{record['id']}", params={"lang": "bs"}).text
    assert 'lang="bs">' + record["title"]["bs"] + "</span></h1>" in bs
    en_texts_bs_ui = c.get(f"/activities/{record['id']}", params={"lang": "bs", "text": "en"}).text
    assert html_lang(en_texts_bs_ui) == "bs" and record["title"]["en"] in en_texts_bs_ui
