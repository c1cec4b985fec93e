"""The user interface's languages: which one a request wants, its gettext catalogue, locale-aware formats.

English is the source language (the msgids); the six others are catalogues under web/locale/<locale>/LC_MESSAGES,
read from their .po files once, when the app is built (no compiled .mo is kept in the repository). The language
of a request comes from a `lang` URL parameter (so a link can be shared), else the `lang` cookie the switch sets,
else Accept-Language, else English. Templates call `_()`/`ngettext()`; the current catalogue is a context
variable set for the duration of one render, so macros imported without context translate too.
"""

from __future__ import annotations

import contextlib
import io
import threading
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from gettext import NullTranslations
from pathlib import Path
from typing import Any

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from starlette.requests import Request as StarletteRequest

LOCALE_DIR = Path(__file__).with_name("locale")
LANG_COOKIE = "lang"
LANG_PARAM = "lang"


@dataclass(frozen=True)
class UiLanguage:
    locale: str
    """the Babel/gettext locale id (sr_Latn) and catalogue directory"""
    tag: str
    """the BCP 47 tag for `<html lang>`, `lang=` in URLs and the cookie (sr-Latn)"""
    name: str
    """the language's name in itself, for the switch"""


LANGUAGES: tuple[UiLanguage, ...] = (
    UiLanguage("en", "en", "English"),
    UiLanguage("bs", "bs", "Bosanski"),
    UiLanguage("hr", "hr", "Hrvatski"),
    UiLanguage("sr_Latn", "sr-Latn", "Srpski"),
    UiLanguage("sr_Cyrl", "sr-Cyrl", "Српски"),
    UiLanguage("sq", "sq", "Shqip"),
    UiLanguage("mk", "mk", "Македонски"),
)
SOURCE = LANGUAGES[0]
TRANSLATED = tuple(lang.locale for lang in LANGUAGES[1:])
_BY_TAG = {lang.tag.lower(): lang for lang in LANGUAGES} | {lang.locale.lower(): lang for lang in LANGUAGES}
_ALIASES = {"sr": "sr-Cyrl", "sr-rs": "sr-Cyrl", "sr-me": "sr-Latn", "sr-ba": "sr-Cyrl", "sh": "sr-Latn",
            "sr-latn-rs": "sr-Latn", "sr-cyrl-rs": "sr-Cyrl", "sr-latn-ba": "sr-Latn", "sr-cyrl-ba": "sr-Cyrl",
            "sr-latn-me": "sr-Latn", "sr-cyrl-me": "sr-Cyrl", "cnr": "sr-Latn", "sq-xk": "sq", "sq-al": "sq",
            "sq-mk": "sq", "bs-latn": "bs", "bs-ba": "bs", "hr-hr": "hr", "hr-ba": "hr", "mk-mk": "mk"}
"""region tags that name a UI language less precisely: plain `sr` is Serbian in its official script (Cyrillic)"""


def language_of(tag: str | None) -> UiLanguage | None:
    """The UI language a tag names (`sr-Latn`, `sr_latn`, `sq-XK`, `en-GB` …), or None."""
    if not tag:
        return None
    key = tag.strip().replace("_", "-").lower()
    key = _ALIASES.get(key, key).lower()
    if key in _BY_TAG:
        return _BY_TAG[key]
    base = key.split("-")[0]
    return _BY_TAG.get(_ALIASES.get(base, base).lower())


def from_accept_language(header: str | None) -> UiLanguage | None:
    """The first UI language of an Accept-Language header, by its q-values (ties keep the header's order)."""
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if tag and tag != "*" and q > 0:
            ranked.append((-q, i, tag))
    for _q, _i, tag in sorted(ranked):
        found = language_of(tag)
        if found:
            return found
    return None


def choose(param: str | None, cookie: str | None, accept: str | None) -> UiLanguage:
    """The request's language: URL parameter, then cookie, then Accept-Language, then English."""
    return language_of(param) or language_of(cookie) or from_accept_language(accept) or SOURCE


# ------------------------------------------------------------------ catalogues
def po_path(locale: str, root: Path = LOCALE_DIR) -> Path:
    return root / locale / "LC_MESSAGES" / "messages.po"


def compile_po(path: Path, locale: str) -> Translations:
    """A .po file as gettext translations, compiled in memory (fuzzy and untranslated entries are left out:
    English shows)."""
    with path.open("rb") as f:
        catalog = read_po(f, locale=locale)
    for message in list(catalog):
        if message.id and isinstance(message.string, tuple) and not all(message.string):
            catalog.delete(message.id, context=message.context)   # a half-translated plural: English shows
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain="messages")


class Catalogues:
    """Every UI language's translations, each compiled from its .po file on its first request (English: the
    msgids themselves) — compiling all seven at start-up cost a third of a second before the first answer."""

    def __init__(self, root: Path = LOCALE_DIR) -> None:
        self._root = root
        self._by_locale: dict[str, NullTranslations] = {SOURCE.locale: NullTranslations()}
        self._lock = threading.Lock()

    def get(self, locale: str) -> NullTranslations:
        found = self._by_locale.get(locale)
        if found is not None:
            return found
        if locale not in TRANSLATED:
            return self._by_locale[SOURCE.locale]
        with self._lock:
            if locale not in self._by_locale:
                path = po_path(locale, self._root)
                self._by_locale[locale] = compile_po(path, locale) if path.exists() else NullTranslations()
            return self._by_locale[locale]


# ------------------------------------------------------------------ the current language of a render
_current: ContextVar[tuple[UiLanguage, NullTranslations]] = ContextVar(
    "ui_language", default=(SOURCE, NullTranslations()))


@contextlib.contextmanager
def speaking(language: UiLanguage, translations: NullTranslations) -> Iterator[None]:
    """Within the block, `gettext` and the formats speak `language`."""
    token = _current.set((language, translations))
    try:
        yield
    finally:
        _current.reset(token)


def current() -> UiLanguage:
    return _current.get()[0]


def current_locale() -> Locale:
    return Locale.parse(current().locale)


def gettext(message: str) -> str:
    return _current.get()[1].gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current.get()[1].ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _current.get()[1].pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return _current.get()[1].npgettext(context, singular, plural, n)


def N_(message: str) -> str:
    """Marks a module-level text for extraction; it is translated where it is shown (`gettext(TEXT)`)."""
    return message


class LanguageMiddleware:
    """Every request of the site (not /api/: its JSON stays English) runs in its reader's language, so that route
    code may call `gettext` for the messages it puts on a page, as the templates do."""

    def __init__(self, app: Any, catalogues: Callable[[], Catalogues]) -> None:
        self.app = app
        self.catalogues = catalogues

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or str(scope.get("path", "")).startswith("/api/"):
            await self.app(scope, receive, send)
            return
        request = StarletteRequest(scope)
        language = choose(request.query_params.get(LANG_PARAM), request.cookies.get(LANG_COOKIE),
                          request.headers.get("accept-language"))
        with speaking(language, self.catalogues().get(language.locale)):
            await self.app(scope, receive, send)
