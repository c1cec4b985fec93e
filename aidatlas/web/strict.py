"""The strict API: a documented endpoint refuses a query parameter it does not declare (400, naming the
parameter and the ones it takes), so `?contry=XK` is an error rather than every activity.

The allowed names are read from each route's own declared parameters (its dependency tree, as FastAPI
solves it), never from a second list kept by hand; `lang` (the interface language, taken by every page) is
always allowed. Pages that are not in the OpenAPI schema (the HTML twins) keep accepting what a browser sends.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from aidatlas.errors import InvalidParameter

ALWAYS = frozenset({"lang"})
"""parameters every endpoint takes"""
_DECLARED: dict[int, frozenset[str]] = {}


def declared_parameters(route: APIRoute) -> frozenset[str]:
    """The query parameters `route` declares (aliases as sent in the URL), read once per route."""
    key = id(route)
    if key not in _DECLARED:
        _DECLARED[key] = frozenset(_query_names(route.dependant))
    return _DECLARED[key]


def _query_names(dependant: Dependant) -> set[str]:
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def _downloads(route: APIRoute) -> bool:
    return "downloads" in (route.tags or [])


def check_parameters(request: Request) -> None:
    """App-wide dependency: refuse an undeclared query parameter of a documented endpoint."""
    route: Any = request.scope.get("route")
    if not isinstance(route, APIRoute) or not route.include_in_schema:
        return
    allowed = declared_parameters(route) | ALWAYS
    for name in dict.fromkeys(request.query_params.keys()):
        if name in allowed:
            continue
        names = sorted(allowed)
        if name in ("page", "per_page") and _downloads(route):
            message = (f"{name} is not taken here: a download streams the whole result of the search "
                       f"(use /api/activities for pages); parameters are {', '.join(names)}")
        else:
            message = f"unknown parameter {name!r} for {route.path}; parameters are {', '.join(names)}"
        raise InvalidParameter(name, request.query_params.get(name), message, names)
