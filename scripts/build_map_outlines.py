"""Build `aidatlas/web/static/outlines.json`: country outlines of the Western Balkans and their neighbours.

    pip download --no-deps geopandas==0.14.4 -d /tmp/gp
    python scripts/build_map_outlines.py /tmp/gp/geopandas-0.14.4-py3-none-any.whl

Reads Natural Earth's 1:110m "Admin 0 – Countries" (public domain), as shipped inside the geopandas 0.14 wheel
(`datasets/naturalearth_lowres`), with a small shapefile reader (no GIS libraries), keeps the countries in
`WANTED`, rounds coordinates to 0.01° and writes {ISO2: {"name": …, "rings": [[[lon, lat], …], …]}}.
Offline and deterministic. See the "Map outlines" section of aidatlas/reference/data/SOURCES.md.
"""

from __future__ import annotations

import json
import struct
import sys
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "aidatlas" / "web" / "static" / "outlines.json"
PREFIX = "geopandas/datasets/naturalearth_lowres/naturalearth_lowres"
WANTED = {  # Natural Earth name → ISO 3166-1 alpha-2 (XK: Kosovo)
    "Bosnia and Herz.": "BA", "Serbia": "RS", "Kosovo": "XK", "Montenegro": "ME", "North Macedonia": "MK",
    "Albania": "AL", "Croatia": "HR", "Slovenia": "SI", "Hungary": "HU", "Romania": "RO", "Bulgaria": "BG",
    "Greece": "GR", "Italy": "IT", "Austria": "AT",
}


def dbf_records(data: bytes) -> list[dict[str, str]]:
    count, header_len, record_len = struct.unpack("<xxxxIHH", data[:12])
    fields = []
    for pos in range(32, header_len - 1, 32):
        name = data[pos:pos + 11].split(b"\0")[0].decode("ascii")
        fields.append((name, data[pos + 16]))
    out = []
    for i in range(count):
        rec = data[header_len + i * record_len: header_len + (i + 1) * record_len]
        pos, row = 1, {}
        for name, size in fields:
            row[name] = rec[pos:pos + size].decode("utf-8", "replace").strip()
            pos += size
        out.append(row)
    return out


def shp_polygons(data: bytes) -> list[list[list[tuple[float, float]]]]:
    shapes, pos = [], 100
    while pos < len(data):
        _num, length = struct.unpack(">ii", data[pos:pos + 8])
        content = data[pos + 8: pos + 8 + length * 2]
        pos += 8 + length * 2
        if struct.unpack("<i", content[:4])[0] != 5:
            shapes.append([])
            continue
        n_parts, n_points = struct.unpack("<ii", content[36:44])
        parts = [*struct.unpack(f"<{n_parts}i", content[44:44 + 4 * n_parts]), n_points]
        base = 44 + 4 * n_parts
        points = [struct.unpack("<dd", content[base + 16 * i: base + 16 * i + 16]) for i in range(n_points)]
        shapes.append([points[parts[j]:parts[j + 1]] for j in range(n_parts)])
    return shapes


def main() -> None:
    with zipfile.ZipFile(sys.argv[1]) as wheel:
        records = dbf_records(wheel.read(PREFIX + ".dbf"))
        shapes = shp_polygons(wheel.read(PREFIX + ".shp"))
    out: dict[str, dict[str, object]] = {}
    for record, rings in zip(records, shapes, strict=True):
        code = WANTED.get(record["name"])
        if code:
            simplified = []
            for ring in rings:
                pts: list[list[float]] = []
                for lon, lat in ring:
                    p = [round(lon, 2), round(lat, 2)]
                    if not pts or p != pts[-1]:
                        pts.append(p)
                if len(pts) >= 4:
                    simplified.append(pts)
            out[code] = {"name": record["name"], "rings": simplified}
    missing = sorted(set(WANTED.values()) - set(out))
    if missing:
        raise SystemExit(f"not found in the data: {missing}")
    OUT.write_text(json.dumps(out, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(out)} countries)")


if __name__ == "__main__":
    main()
