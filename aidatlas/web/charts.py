"""Small server-rendered SVG charts: no script, no external font, a title and description for screen readers.

Every chart is drawn beside a table with the same figures (the accessible fallback, and what a reader copies);
the chart only shows their shape. Colours come from CSS classes (`static/`), so they follow the page's theme.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from hashlib import sha1
from html import escape

from markupsafe import Markup

WIDTH, HEIGHT = 640, 190
LEFT, RIGHT, TOP, BOTTOM = 72, 12, 22, 28


@dataclass(frozen=True)
class Point:
    day: str
    """ISO date (YYYY, YYYY-MM or YYYY-MM-DD)"""
    value: float
    series: str
    """the CSS class and legend name of its series ("committed", "disbursed" …)"""
    label: str
    """what a tooltip says about the point"""


def _ordinal(day: str) -> int | None:
    parts = (day + "-01-01")[:10] if len(day) == 4 else (day + "-01")[:10] if len(day) == 7 else day[:10]
    try:
        return date.fromisoformat(parts).toordinal()
    except ValueError:
        return None


def short_amount(value: float) -> str:
    for size, suffix in ((1e9, " bn"), (1e6, " m"), (1e3, " k")):
        if abs(value) >= size:
            return f"{value / size:.3g}{suffix}"
    return f"{value:.0f}"


def _frame(title: str, description: str, body: list[str], height: int = HEIGHT) -> Markup:
    n = sha1(f"{title}\n{description}".encode()).hexdigest()[:8]  # stable ids, unique per chart
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="chart-t{n} chart-d{n}" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="chart-t{n}">{escape(title)}</title><desc id="chart-d{n}">{escape(description)}</desc>'
        + "".join(body) + "</svg>")


def cumulative(points: list[Point], *, title: str, description: str, unit: str = "EUR") -> Markup | None:
    """Each series' running total over time as a step line, each point a dot with its own tooltip.
    None when fewer than one dated point (nothing to draw)."""
    dated = sorted(((o, p) for p in points if (o := _ordinal(p.day)) is not None), key=lambda x: x[0])
    if not dated:
        return None
    first, last = dated[0][0], dated[-1][0]
    span = max(last - first, 1)
    totals: dict[str, float] = {}
    steps: dict[str, list[tuple[int, float, Point]]] = {}
    for o, p in dated:
        totals[p.series] = totals.get(p.series, 0.0) + p.value
        steps.setdefault(p.series, []).append((o, totals[p.series], p))
    top = max([max(t for _, t, _ in s) for s in steps.values()] + [0.0]) or 1.0
    low = min([min(t for _, t, _ in s) for s in steps.values()] + [0.0])

    def x(o: int) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * (o - first) / span

    def y(v: float) -> float:
        return TOP + (HEIGHT - TOP - BOTTOM) * (top - v) / (top - low or 1.0)

    body = [f'<line class="axis" x1="{LEFT}" y1="{y(0):.1f}" x2="{WIDTH - RIGHT}" y2="{y(0):.1f}"/>',
            f'<text class="tick" x="4" y="{y(top) + 4:.1f}">{escape(short_amount(top))} {escape(unit)}</text>',
            f'<text class="tick" x="{LEFT - 4}" y="{y(0) + 4:.1f}" text-anchor="end">0</text>']
    years = sorted({date.fromordinal(o).year for o, _ in dated} | {date.fromordinal(last).year})
    for year in years:
        o = max(first, date(year, 1, 1).toordinal())
        body.append(f'<text class="tick" x="{x(o):.1f}" y="{HEIGHT - 8}" text-anchor="middle">{year}</text>')
    for series, rows in steps.items():
        path = [f"M{x(rows[0][0]):.1f},{y(0):.1f}"]
        previous = 0.0
        for o, total, _ in rows:
            path.append(f"L{x(o):.1f},{y(previous):.1f}L{x(o):.1f},{y(total):.1f}")
            previous = total
        path.append(f"L{x(last):.1f},{y(previous):.1f}")
        body.append(f'<path class="series {escape(series)}" fill="none" d="{"".join(path)}"/>')
        for o, total, p in rows:
            body.append(f'<circle class="series {escape(series)}" cx="{x(o):.1f}" cy="{y(total):.1f}" r="3">'
                        f'<title>{escape(p.label)}</title></circle>')
    legend_x = LEFT + 90
    for series in steps:
        body.append(f'<text class="legend {escape(series)}" x="{legend_x}" y="12">— {escape(series)}</text>')
        legend_x += 12 + 8 * len(series)
    return _frame(title, description, body)


def hbars(rows: list[tuple[str, float]], *, title: str, description: str, unit: str = "EUR") -> Markup | None:
    """One horizontal bar per labelled value (largest first as given), its amount written at the bar's end."""
    rows = [(label, value) for label, value in rows if value > 0]
    if not rows:
        return None
    line, gap, label_w = 18, 6, 200
    height = TOP + len(rows) * (line + gap)
    top = max(v for _, v in rows)
    width = WIDTH - label_w - RIGHT - 70
    body = []
    for i, (label, value) in enumerate(rows):
        y = TOP + i * (line + gap)
        w = max(1.0, width * value / top)
        short = label if len(label) <= 30 else label[:29] + "…"
        body.append(f'<text class="tick" x="{label_w - 6}" y="{y + line - 5}" text-anchor="end">{escape(short)}</text>'
                    f'<rect class="series budget" x="{label_w}" y="{y}" width="{w:.1f}" height="{line}">'
                    f'<title>{escape(label)}: {value:,.0f} {escape(unit)}</title></rect>'
                    f'<text class="tick" x="{label_w + w + 4:.1f}" y="{y + line - 5}">'
                    f'{escape(short_amount(value))}</text>')
    return _frame(title, description, body, height)


def year_bars(rows: list[dict[str, float]], series: tuple[str, ...], *, title: str, description: str,
              unit: str = "EUR") -> Markup | None:
    """Grouped vertical bars: per year (`row["year"]`), one bar per series (`row[name]`)."""
    rows = [r for r in rows if any(r.get(s, 0) > 0 for s in series)]
    if not rows:
        return None
    top = max(r.get(s, 0) for r in rows for s in series)
    slot = (WIDTH - LEFT - RIGHT) / len(rows)
    bar = max(1.0, (slot - 4) / len(series))
    base = HEIGHT - BOTTOM
    body = [f'<line class="axis" x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}"/>',
            f'<text class="tick" x="4" y="{TOP + 4}">{escape(short_amount(top))} {escape(unit)}</text>']
    every = max(1, len(rows) // 12)  # at most a dozen year labels
    for i, r in enumerate(rows):
        x0 = LEFT + i * slot + 2
        for j, name in enumerate(series):
            value = r.get(name, 0)
            if value > 0:
                h = (base - TOP) * value / top
                body.append(f'<rect class="series {escape(name)}" x="{x0 + j * bar:.1f}" y="{base - h:.1f}" '
                            f'width="{bar:.1f}" height="{h:.1f}"><title>{int(r["year"])} {escape(name)}: '
                            f'{value:,.0f} {escape(unit)}</title></rect>')
        if i % every == 0:
            body.append(f'<text class="tick" x="{x0 + slot / 2 - 2:.1f}" y="{HEIGHT - 8}" '
                        f'text-anchor="middle">{int(r["year"])}</text>')
    x = LEFT + 90
    for name in series:
        body.append(f'<text class="legend {escape(name)}" x="{x}" y="12">■ {escape(name)}</text>')
        x += 16 + 8 * len(name)
    return _frame(title, description, body)
