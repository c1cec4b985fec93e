"""What every resource module shares: the app's state, the search parameters, rendering, number formats."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes

from fastapi import Query, Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates

from aidatlas import auth
from aidatlas.db.browse import converted
from aidatlas.db.search import SORTS, Searcher, SearchQuery
from aidatlas.db.search_index import FACETS
from aidatlas.db.store import Store
from aidatlas.errors import QueryError
from aidatlas.normalize.eur import METHOD
from aidatlas.reference.rates import rates
from aidatlas.roles import roles_of
from aidatlas.settings import Settings
from aidatlas.web import formats, i18n, texts, urls

TEMPLATES = Path(__file__).with_name("templates")
STATIC = Path(__file__).with_name("static")
SESSION_COOKIE = "aidatlas_session"
CSRF_COOKIE = "aidatlas_csrf"


@dataclass
class Web:
    settings: Settings
    store: Store
    searcher: Searcher
    templates: Jinja2Templates
    catalogues: i18n.Catalogues = field(default_factory=i18n.Catalogues)
    cache: dict[str, tuple[int, Any]] = field(default_factory=dict)

    def cached(self, key: str, compute: Callable[[], Any]) -> Any:
        """A value computed once per generation of the search index (so any write refreshes it)."""
        generation = self.searcher.snapshot().generation
        hit = self.cache.get(key)
        if hit is None or hit[0] != generation:
            hit = self.cache[key] = (generation, compute())
        return hit[1]


def refuse_nul(request: Request) -> None:
    """No page or parameter holds a NUL character, and PostgreSQL would refuse one in a query: a request
    with one in its address is answered 400 before any route runs, alike on every database."""
    if "\x00" in request.url.path or "\x00" in unquote_to_bytes(request.scope.get("query_string", b"")).decode(
            "latin-1"):
        raise QueryError("the address holds a NUL character (%00), which no page or parameter takes")


def web(request: Request) -> Web:
    return request.app.state.web


def search_query(
    q: str = Query("", max_length=500, description="words (all must occur), \"a phrase\", prefix*; "
                   "diacritics and script do not matter"),
    country: list[str] = Query([], description="ISO 3166-1 alpha-2 (XK: Kosovo); repeat for either"),
    municipality: list[str] = Query([], description="place name as the records give it"),
    funder: list[str] = Query([], description="organisation id (org-…)"),
    implementer: list[str] = Query([], description="organisation id (org-…), implementers and applicants"),
    kind: list[str] = Query([], description="project, follow-up, core-support, event, programme"),
    sector: list[str] = Query([], description="DAC sector code"),
    year: list[str] = Query([], description="start year"),
    programme: list[str] = Query([], description="programme name"),
    language: list[str] = Query([], description="language tag (en, bs, sr-Cyrl, sq, mk …)"),
    sort: str = Query("relevance", description=", ".join(SORTS)),
    page: int = Query(1, ge=1, le=100_000),
    per_page: int = Query(20, ge=1, le=200),
    min_eur: str | None = Query(None, max_length=30, description="budget in EUR at least (by the one rule)"),
    max_eur: str | None = Query(None, max_length=30, description="budget in EUR at most"),
    date_from: str | None = Query(None, alias="from", max_length=10,
                                  description="the activity's period overlaps from this ISO date (2021, 2021-03 …)"),
    date_to: str | None = Query(None, alias="to", max_length=10, description="… to this ISO date"),
) -> SearchQuery:
    filters = {"country": country, "municipality": municipality, "funder": funder, "implementer": implementer,
               "kind": kind, "sector": sector, "year": year, "programme": programme, "language": language}
    return SearchQuery(q=q.strip(), filters={k: tuple(v) for k, v in filters.items() if v}, sort=sort, page=page,
                       per_page=per_page, min_eur=_amount("min_eur", min_eur),
                       max_eur=_amount("max_eur", max_eur), date_from=date_from or None, date_to=date_to or None)


def _amount(name: str, text: str | None) -> float | None:
    """A form's amount: empty is no bound (a search form sends its empty fields); else a number."""
    if not text or not text.strip():
        return None
    try:
        return float(text.strip().replace(",", ""))
    except ValueError:
        raise QueryError(f"{name} must be an amount in EUR, not {text!r}") from None


# ------------------------------------------------------------------ formats (locale-aware: web/formats.py)
fmt_number = formats.fmt_number
fmt_money = formats.fmt_money
fmt_short = formats.fmt_short
datetime_utc = formats.datetime_utc


def text_of(item: Any, lang: str | None = None) -> str:
    """One language version of a text item (plain string or {lang: text})."""
    if isinstance(item, str):
        return item
    if lang and lang in item:
        return str(item[lang])
    return str(item.get("en") or next(iter(item.values())))


def split_on(sentence: str | None, needle: str | None) -> list[tuple[str, bool]]:
    """A sentence cut around the first occurrence of `needle` (whitespace-insensitive), to <mark> the value."""
    if not sentence:
        return []
    needle = " ".join((needle or "").split())
    at = sentence.find(needle) if needle else -1
    if at < 0:
        return [(sentence, False)]
    return [(sentence[:at], False), (needle, True), (sentence[at + len(needle):], False)]


def lang_attr(tag: str) -> str:
    """A BCP 47 tag for an HTML lang attribute (`und` and unknowns are left out)."""
    return "" if tag in ("und", "") else tag


def facet_value(facet: str, value: str, label: str) -> str:
    """A facet value's label in the reader's language where a name table has it (countries, kinds, languages)."""
    if facet == "country":
        return formats.country_name(value)
    if facet == "kind":
        return texts.kind_name(value)
    if facet == "language":
        return formats.language_name(value)
    return label


# ------------------------------------------------------------------ rendering
def template_globals(templates: Jinja2Templates) -> None:
    env = templates.env
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True,  # type: ignore[attr-defined]
                                  pgettext=i18n.pgettext, npgettext=i18n.npgettext)
    env.globals.update(urls=urls, FACETS=FACETS, SORTS=SORTS, country_name=formats.country_name,
                       language_name=formats.language_name, sector_name=formats.sector_name, converted=converted,
                       rates=rates, eur_method=METHOD, kind_name=texts.kind_name, role_name=texts.role_name,
                       sort_label=texts.sort_label, facet_label=texts.facet_label, status_name=texts.status_name,
                       report_kind_name=texts.report_kind_name, question_type_name=texts.question_type_name,
                       user_role_name=texts.user_role_name, translate=i18n.gettext,
                       column_name=texts.column_name, facet_value=facet_value)
    env.filters.update(number=fmt_number, money=fmt_money, short=fmt_short, text_of=text_of, lang_attr=lang_attr,
                       split_on=split_on, datetime_utc=datetime_utc, date_text=formats.date_text,
                       percent=formats.fmt_percent, rate=formats.fmt_rate, user_role_name=texts.user_role_name)


def current_user(request: Request) -> auth.User | None:
    if not hasattr(request.state, "user"):
        request.state.user = auth.session_user(web(request).store.engine, request.cookies.get(SESSION_COOKIE))
    return request.state.user


def user_roles(request: Request) -> frozenset[str]:
    """The roles of the request's user (empty when logged out), read once per request."""
    if not hasattr(request.state, "roles"):
        user = current_user(request)
        held: frozenset[str] = frozenset()
        if user is not None:
            held = frozenset(roles_of(web(request).store.engine, user.id))
        request.state.roles = held
    return frozenset(request.state.roles)


def csrf_seed(request: Request) -> str:
    seed = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf_seed", None)
    if not seed:
        seed = request.state.new_csrf_seed = auth.new_csrf_seed()
    return str(seed)


def csrf_for(request: Request) -> str:
    return auth.csrf_token(web(request).settings.secret_key, csrf_seed(request), request.cookies.get(SESSION_COOKIE))


def csrf_ok(request: Request, token: str | None) -> bool:
    return auth.check_csrf(web(request).settings.secret_key, request.cookies.get(CSRF_COOKIE),
                           request.cookies.get(SESSION_COOKIE), token)


def secure(request: Request) -> bool:
    return request.url.scheme == "https"


def finish(request: Request, response: Response) -> Response:
    """Set the CSRF seed cookie when this request made one."""
    seed = getattr(request.state, "new_csrf_seed", None)
    if seed:
        response.set_cookie(CSRF_COOKIE, seed, httponly=True, samesite="strict", secure=secure(request), path="/")
    return response


def ui_language(request: Request) -> i18n.UiLanguage:
    """The request's UI language (`lang` parameter, cookie, Accept-Language), read once per request."""
    if not hasattr(request.state, "ui_language"):
        request.state.ui_language = i18n.choose(request.query_params.get(i18n.LANG_PARAM),
                                                request.cookies.get(i18n.LANG_COOKIE),
                                                request.headers.get("accept-language"))
    language: i18n.UiLanguage = request.state.ui_language
    return language


def language_links(request: Request) -> list[tuple[str, str, str]]:
    """The switch: (locale, name, this page's address in that language) for every UI language."""
    return [(lang.locale, lang.name, str(request.url.include_query_params(**{i18n.LANG_PARAM: lang.tag})))
            for lang in i18n.LANGUAGES]


def keep_language(request: Request, response: Response) -> None:
    """A `lang` parameter chosen in the address becomes the cookie, so the following pages keep it."""
    chosen = i18n.language_of(request.query_params.get(i18n.LANG_PARAM))
    if chosen and request.cookies.get(i18n.LANG_COOKIE) != chosen.tag:
        response.set_cookie(i18n.LANG_COOKIE, chosen.tag, max_age=365 * 24 * 3600, samesite="lax",
                            secure=secure(request), path="/")


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> Response:
    language = ui_language(request)
    with i18n.speaking(language, web(request).catalogues.get(language.locale)):
        context = {"user": current_user(request), "roles": user_roles(request), "csrf": csrf_for(request),
                   "json_url": None, "done": texts.done_message(request.query_params.get("done", "")),
                   "ui_lang": language.tag, "ui_locale": language.locale, "ui_languages": language_links(request),
                   **context}
        response = web(request).templates.TemplateResponse(request, name, context, status_code=status_code)
    keep_language(request, response)
    return finish(request, response)


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")
