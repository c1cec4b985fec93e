"""An offline map: country outlines shipped with the app (Natural Earth 1:110m, `static/outlines.json`, built by
`scripts/build_map_outlines.py`) and points from the locations' coordinates, drawn as inline SVG on the server.

No tiles, no script: the map is a picture with links (each point links to its place page, each country to its
page) and a `<title>` on every shape; the page lists the same points in a table for people who do not see it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from functools import cache
from typing import Any

from markupsafe import Markup, escape

from aidatlas.reference.names import COUNTRY_NAMES
from aidatlas.web import urls
from aidatlas.web.common import STATIC

LON_MIN, LON_MAX, LAT_MIN, LAT_MAX = 13.2, 23.3, 39.4, 46.6
WIDTH = 600
_COS = math.cos(math.radians((LAT_MIN + LAT_MAX) / 2))
SCALE = WIDTH / ((LON_MAX - LON_MIN) * _COS)
HEIGHT = round((LAT_MAX - LAT_MIN) * SCALE)
REGION = tuple(COUNTRY_NAMES)
LABELS = {"BA": (17.6, 44.2), "RS": (20.9, 44.1), "XK": (20.85, 42.55), "ME": (19.25, 42.75),
          "MK": (21.7, 41.55), "AL": (20.05, 41.0)}


@cache
def outlines() -> dict[str, Any]:
    return json.loads((STATIC / "outlines.json").read_text(encoding="utf-8"))


def project(lon: float, lat: float) -> tuple[float, float]:
    return round((lon - LON_MIN) * _COS * SCALE, 1), round((LAT_MAX - lat) * SCALE, 1)


def _path(rings: list[list[list[float]]]) -> str:
    parts = []
    for ring in rings:
        pts = [project(lon, lat) for lon, lat in ring]
        parts.append("M" + " L".join(f"{x},{y}" for x, y in pts) + " Z")
    return " ".join(parts)


def in_view(lat: float | None, lon: float | None) -> bool:
    return lat is not None and lon is not None and LAT_MIN <= lat <= LAT_MAX and LON_MIN <= lon <= LON_MAX


def render_map(points: Iterable[dict[str, Any]], *, highlight: Iterable[str] = (), title: str = "Map",
               description: str = "") -> Markup:
    """Inline SVG. `points`: dicts with name, lat, lon, activities (count); `highlight`: ISO codes to stress.

    The map holds links, so it is a labelled group (an image must not hold interactive content), and each link
    carries its own name (the country, or the place and its count) for keyboards and screen readers."""
    stressed = set(highlight)
    out = [f'<svg class="map" viewBox="0 0 {WIDTH} {HEIGHT}" role="group" aria-labelledby="map-title" aria-describedby="map-desc" '
           f'xmlns="http://www.w3.org/2000/svg"><title id="map-title">{escape(title)}</title>'
           f'<desc id="map-desc">{escape(description)}</desc>'
           f'<rect width="{WIDTH}" height="{HEIGHT}" class="sea" aria-hidden="true"/>']
    for code, country in sorted(outlines().items()):
        d = _path(country["rings"])
        if code in REGION:
            name = COUNTRY_NAMES[code]
            cls = "country stressed" if code in stressed else "country"
            out.append(f'<a href="{escape(urls.country(code))}" aria-label="{escape(name)}"><path class="{cls}" '
                       f'd="{d}"><title>{escape(name)}</title></path></a>')
        else:
            out.append(f'<path class="neighbour" d="{d}" aria-hidden="true"/>')
    for code, (lon, lat) in LABELS.items():
        x, y = project(lon, lat)
        out.append(f'<text class="label" x="{x}" y="{y}" aria-hidden="true">{code}</text>')
    biggest = max((p["activities"] for p in points_list(points)), default=1)
    for p in sorted(points_list(points), key=lambda p: -p["activities"]):
        if not in_view(p.get("lat"), p.get("lon")):
            continue
        x, y = project(p["lon"], p["lat"])
        r = round(3 + 9 * math.sqrt(p["activities"] / biggest), 1)
        label = f'{p["name"]}: {p["activities"]} {"activity" if p["activities"] == 1 else "activities"}'
        out.append(f'<a href="{escape(urls.place(p["name"]))}" aria-label="{escape(label)}"><circle class="point" '
                   f'cx="{x}" cy="{y}" r="{r}"><title>{escape(label)}</title></circle></a>')
    out.append("</svg>")
    return Markup("".join(out))


def points_list(points: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return points if isinstance(points, list) else list(points)


def points_for(counts: list[tuple[str, int]], coordinates: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Map points for (place name, activities) pairs that have coordinates."""
    out = []
    for name, n in counts:
        where = coordinates.get(name)
        if where:
            out.append({**where, "activities": n})
    return out
