"""What every resource module shares: the app's state, the search parameters, rendering, number formats."""

from __future__ import annotations

import inspect
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes

from fastapi import Depends, Query, Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates

from aidatlas import auth
from aidatlas.db.browse import converted
from aidatlas.db.search import SORTS, Searcher, SearchQuery
from aidatlas.db.search_index import FACETS
from aidatlas.db.store import Store
from aidatlas.errors import InvalidParameter, QueryError
from aidatlas.normalize.countries import REGION
from aidatlas.normalize.eur import METHOD
from aidatlas.records import KINDS
from aidatlas.reference.codelists import codelists
from aidatlas.reference.names import LANGUAGES
from aidatlas.reference.rates import rates
from aidatlas.roles import roles_of
from aidatlas.settings import Settings
from aidatlas.web import formats, i18n, texts, urls
from aidatlas.web.paging import Page, pages

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


# ------------------------------------------------------------------ search parameters
@dataclass(frozen=True)
class Filter:
    """One filter parameter of a search: what the docs say, and the check that normalises a value (raising
    InvalidParameter for one it does not take). A new facet adds one entry to FILTERS and nothing else."""

    description: str
    normalise: Callable[[str, str], str] = field(default=lambda name, value: value.strip())


_YEAR = re.compile(r"^\d{4}$")
_LANGUAGE = re.compile(r"^([a-z]{2,3})(?:-([a-z]{4}))?$", re.IGNORECASE)
_SECTOR = re.compile(r"^\d{3}(\d{2})?$")
_ORG = re.compile(r"^org-[0-9a-z]+$")
NO_YEAR = "none"
"""the year facet's value for activities without a start year"""


@cache
def country_codes() -> tuple[str, ...]:
    """ISO 3166-1 alpha-2 codes the registry takes (the IATI Country codelist, XK included)."""
    return tuple(sorted({*codelists()["Country"].items, "XK"}))


def country_code(name: str, value: str) -> str:
    """`xk` → `XK`; an unknown code is refused, naming the codes allowed."""
    code = value.strip().upper()
    if code not in country_codes():
        raise InvalidParameter(name, value, f"{name} must be an ISO 3166-1 alpha-2 country code (XK: Kosovo; "
                               f"the region: {', '.join(REGION)}), not {value!r}", list(country_codes()))
    return code


def start_year(name: str, value: str) -> str:
    text = value.strip().lower()
    if not (_YEAR.match(text) or text == NO_YEAR):
        raise InvalidParameter(name, value, f"{name} must be a year of four digits (2021) or {NO_YEAR!r} "
                               f"(activities without a start year), not {value!r}")
    return text


def activity_kind(name: str, value: str) -> str:
    kind = value.strip().lower()
    if kind not in KINDS:
        raise InvalidParameter(name, value, f"{name} must be one of {', '.join(KINDS)}, not {value!r}", list(KINDS))
    return kind


def language_tag(name: str, value: str) -> str:
    """`SR-cyrl` → `sr-Cyrl` (BCP 47 case)."""
    found = _LANGUAGE.match(value.strip())
    if not found:
        raise InvalidParameter(name, value, f"{name} must be a language tag (en, bs, sr-Cyrl, sq, mk …), "
                               f"not {value!r}", sorted(LANGUAGES))
    return found[1].lower() + (f"-{found[2].title()}" if found[2] else "")


def sector_code(name: str, value: str) -> str:
    code = value.strip()
    if not _SECTOR.match(code) or code not in codelists()["Sector" if len(code) == 5 else "SectorCategory"]:
        raise InvalidParameter(name, value, f"{name} must be a DAC sector code (5 digits, e.g. 15110) or "
                               f"category (3 digits, e.g. 151) of the IATI codelists, not {value!r}")
    return code


def organisation_id(name: str, value: str) -> str:
    org = value.strip().lower()
    if not _ORG.match(org):
        raise InvalidParameter(name, value, f"{name} must be an organisation id (org-…, as the API's "
                               f"organisations give it), not {value!r}")
    return org


FILTERS: dict[str, Filter] = {
    "country": Filter("ISO 3166-1 alpha-2, any case (XK: Kosovo); repeat for either", country_code),
    "municipality": Filter("place name as the records give it"),
    "funder": Filter("organisation id (org-…)", organisation_id),
    "implementer": Filter("organisation id (org-…), implementers and applicants", organisation_id),
    "kind": Filter(", ".join(KINDS), activity_kind),
    "sector": Filter("DAC sector code (5 digits) or category (3 digits)", sector_code),
    "year": Filter(f"start year (four digits), or {NO_YEAR!r} for activities without one", start_year),
    "programme": Filter("programme name"),
    "language": Filter("language tag (en, bs, sr-Cyrl, sq, mk …)", language_tag),
}
"""the facet filters of every search (page, API, charts, downloads), by URL parameter; each may repeat
(OR within a facet, AND across facets)"""


@dataclass(frozen=True)
class Filters:
    """What a search selects, before sort and paging: the part every search endpoint shares."""

    q: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    min_eur: float | None = None
    max_eur: float | None = None
    date_from: str | None = None
    date_to: str | None = None

    def query(self, sort: str = "relevance", page: int = 1, per_page: int = 20) -> SearchQuery:
        if sort not in SORTS:
            raise InvalidParameter("sort", sort, f"sort must be one of {', '.join(SORTS)}, not {sort!r}",
                                   list(SORTS))
        return SearchQuery(q=self.q, filters=self.filters, sort=sort, page=page, per_page=per_page,
                           min_eur=self.min_eur, max_eur=self.max_eur, date_from=self.date_from,
                           date_to=self.date_to)


def _search_filters(
    q: str = Query("", max_length=500, description="words (all must occur), \"a phrase\", prefix*; "
                   "diacritics and script do not matter"),
    min_eur: str | None = Query(None, max_length=30, description="budget in EUR at least (by the one rule)"),
    max_eur: str | None = Query(None, max_length=30, description="budget in EUR at most"),
    date_from: str | None = Query(None, alias="from", max_length=10,
                                  description="the activity's period overlaps from this ISO date (2021, 2021-03 …)"),
    date_to: str | None = Query(None, alias="to", max_length=10, description="… to this ISO date"),
    **facets: list[str],
) -> Filters:
    chosen = {name: tuple(dict.fromkeys(FILTERS[name].normalise(name, v) for v in values if v.strip()))
              for name, values in facets.items()}
    return Filters(q=q.strip(), filters={k: v for k, v in chosen.items() if v},
                   min_eur=_amount("min_eur", min_eur), max_eur=_amount("max_eur", max_eur),
                   date_from=date_from or None, date_to=date_to or None)


def _with_facets(function: Callable[..., Filters]) -> Callable[..., Filters]:
    """The filter dependency with one declared `list[str]` query parameter per entry of FILTERS, so FastAPI
    (and the OpenAPI schema, and the strict check of unknown parameters) sees each facet by name."""
    signature = inspect.signature(function)
    fixed = [p for p in signature.parameters.values() if p.kind is not p.VAR_KEYWORD]
    facets = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=list[str],
                                default=Query([], description=f.description)) for name, f in FILTERS.items()]
    function.__signature__ = signature.replace(parameters=[*fixed, *facets])  # type: ignore[attr-defined]
    return function


search_filters = _with_facets(_search_filters)


def search_query(filters: Filters = Depends(search_filters),
                 sort: str = Query("relevance", description=", ".join(SORTS)),
                 page: Page = Depends(pages())) -> SearchQuery:
    """A paged search: the page and the API's list of activities."""
    return filters.query(sort, page.page, page.per_page)


def filter_query(filters: Filters = Depends(search_filters)) -> SearchQuery:
    """A search without order or pages (charts)."""
    return filters.query()


def download_query(filters: Filters = Depends(search_filters),
                   sort: str = Query("relevance", description=", ".join(SORTS))) -> SearchQuery:
    """A download: the whole result in this order; it declares no `page`/`per_page`, so the strict check
    refuses them (a download never holds one page only)."""
    return filters.query(sort)


def _amount(name: str, text: str | None) -> float | None:
    """A form's amount: empty is no bound (a search form sends its empty fields); else a number."""
    if not text or not text.strip():
        return None
    try:
        amount = float(text.strip().replace(",", ""))
    except ValueError:
        raise InvalidParameter(name, text, f"{name} must be an amount in EUR, not {text!r}") from None
    if not math.isfinite(amount):
        raise InvalidParameter(name, text, f"{name} must be a finite amount in EUR, not {text!r}")
    return amount


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
    """JSON errors under `/api/` and on every documented endpoint (the downloads too); pages elsewhere."""
    route = request.scope.get("route")
    return request.url.path.startswith("/api/") or bool(getattr(route, "include_in_schema", False)
                                                         and getattr(route, "tags", None))
