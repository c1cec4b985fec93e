"""The catalogues: every msgid of the templates and the Python sources is translated in all six languages, none is
stale, translations keep their placeholders, and Serbian Cyrillic is exactly the transliteration of Serbian Latin."""

from __future__ import annotations

import importlib.util
import re
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from aidatlas.web import i18n

ROOT = Path(__file__).resolve().parents[1]
LOCALES = i18n.TRANSLATED
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2),
            "npgettext": ((1, "c"), 2, 3), "N_": None}
PLACEHOLDER = re.compile(r"%\(([a-z_]+)\)[sd]")


def _load_cyrillic():
    spec = importlib.util.spec_from_file_location("cyrillic", ROOT / "scripts" / "cyrillic.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@cache
def source_msgids() -> frozenset[tuple[str | None, str]]:
    """(context, msgid) of every text the sources mark, extracted as `make messages` does (babel.cfg)."""
    found: set[tuple[str | None, str]] = set()
    method_map = [("aidatlas/**.py", "python"), ("aidatlas/web/templates/**.html", "jinja2")]
    options = {"aidatlas/web/templates/**.html": {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true",
                                                  "silent": "false"}}
    for _file, _line, message, _comments, context in extract_from_dir(
            str(ROOT), method_map, options_map=options, keywords=KEYWORDS):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.add((context, msgid))
    return frozenset(found)


@cache
def catalogue(locale: str) -> Catalog:
    with i18n.po_path(locale).open("rb") as f:
        return read_po(f, locale=locale)


def entries(locale: str) -> dict[tuple[str | None, str], object]:
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]): m for m in catalogue(locale) if m.id}


def test_the_sources_mark_texts():
    ids = {msgid for _c, msgid in source_msgids()}
    assert len(ids) > 500
    assert {"Search activities", "Skip to content", "Report an error", "Sign up to apply for grants",
            "Your edit is saved; the record shows it everywhere (page, search, exports)."} <= ids


@pytest.mark.parametrize("locale", LOCALES)
def test_every_msgid_is_translated(locale):
    have = entries(locale)
    missing = sorted(msgid for key in source_msgids() if (msgid := key[1]) and key not in have)
    assert not missing, f"{locale}: {len(missing)} msgids not in the catalogue (run `make messages`): {missing[:10]}"
    untranslated = sorted(
        msgid for key, m in have.items() if key in source_msgids() and (msgid := key[1])
        and (m.fuzzy or not (all(m.string) if isinstance(m.string, tuple) else m.string)))
    assert not untranslated, f"{locale}: {len(untranslated)} msgids untranslated or fuzzy: {untranslated[:10]}"


@pytest.mark.parametrize("locale", LOCALES)
def test_no_stale_msgid(locale):
    stale = sorted(key[1] for key in entries(locale) if key not in source_msgids())
    assert not stale, f"{locale}: msgids no source uses any more (run `make messages`): {stale[:10]}"
    assert not catalogue(locale).obsolete, f"{locale}: obsolete (#~) entries left"


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_keep_their_placeholders(locale):
    wrong = []
    for m in catalogue(locale):
        if not m.id or not m.string:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        wanted = set().union(*(PLACEHOLDER.findall(i) for i in ids))
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        for s in strings:
            if s and set(PLACEHOLDER.findall(s)) - wanted:
                wrong.append((m.id, s))
            if s and not isinstance(m.id, tuple) and set(PLACEHOLDER.findall(s)) != wanted:
                wrong.append((m.id, s))
    assert not wrong, wrong[:5]


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_compiles_and_has_the_locales_plural_forms(locale):
    translations = i18n.compile_po(i18n.po_path(locale), locale)
    assert translations.gettext("Search") != "" and catalogue(locale).num_plurals == (
        3 if locale in ("bs", "hr", "sr_Latn", "sr_Cyrl") else 2)


def test_serbian_cyrillic_is_generated_from_latin():
    cyrillic = _load_cyrillic()
    latin, generated = catalogue("sr_Latn"), catalogue("sr_Cyrl")
    expected = cyrillic.cyrillic_catalog(latin)
    assert {m.id: m.string for m in generated if m.id} == {m.id: m.string for m in expected if m.id}, (
        "sr_Cyrl is not the transliteration of sr_Latn: run `make messages`, never edit sr_Cyrl")


def test_transliteration():
    t = _load_cyrillic().transliterate
    assert t("Ljubljana i Njegoš, džamija") == "Љубљана и Његош, џамија"
    assert t("Ljubav, NJIVA") == "Љубав, NJIVA"   # words in capitals are taken for acronyms (EUR, IATI)
    assert t("konjunkcija, injekcija, nadživeti") == "конјункција, инјекција, надживети"
    assert t("Budžet u EUR: %(amount)s") == "Буџет у EUR: %(amount)s"
    assert t('Vidi <a href="%(href)s">izvor</a> na /api/activities') == (
        'Види <a href="%(href)s">извор</a> на /api/activities')
    assert t("<code>aidatlas user add NAME</code> i IATI") == "<code>aidatlas user add NAME</code> и IATI"
    assert t("Šćepan Đurić, čačak") == "Шћепан Ђурић, чачак"


def test_ui_language_from_tags():
    assert i18n.language_of("sr-Latn").locale == "sr_Latn"
    assert i18n.language_of("sr_cyrl").locale == "sr_Cyrl"
    assert i18n.language_of("sq-XK").locale == "sq"
    assert i18n.language_of("en-GB").locale == "en"
    assert i18n.language_of("de") is None and i18n.language_of("") is None
    assert i18n.from_accept_language("de;q=1, sr-Latn;q=0.5, mk;q=0.6").locale == "mk"


def test_the_conversion_rule_is_marked_as_the_library_states_it():
    from aidatlas.normalize.eur import METHOD
    from aidatlas.web.texts import EUR_METHOD

    assert EUR_METHOD == METHOD, "normalize.eur.METHOD changed: copy it to web/texts.py and run `make messages`"
