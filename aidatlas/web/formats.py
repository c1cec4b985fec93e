"""Numbers, money, dates and code names in the language of the current render (Babel, CLDR data).

English keeps the site's historical forms (1,234 EUR; ISO dates), so machine readers of the English pages see no
change; the other languages get their own separators, month names and country names.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime

from babel.core import Locale
from babel.dates import format_date, format_datetime, format_skeleton
from babel.numbers import format_compact_decimal, format_decimal, format_percent

from aidatlas.reference import names
from aidatlas.web.i18n import current, current_locale, gettext


def _english() -> bool:
    return current().locale == "en"


def fmt_number(value: float | None, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if _english():
        return f"{value:,.{digits}f}"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=current_locale(), decimal_quantization=True)


def fmt_money(value: float | None, currency: str | None) -> str:
    if value is None or currency is None:
        return ""
    digits = 0 if value >= 1000 or float(value).is_integer() else 2
    space = " " if _english() else "\u00a0"
    return f"{fmt_number(value, digits)}{space}{currency}"


_SCALES = ((1e9, "billion"), (1e6, "million"), (1e3, "thousand"))


def fmt_short(value: float | None, currency: str = "EUR") -> str:
    """1,234,567 → "1.2 million EUR" (for charts); "1,2 milion EUR" in Albanian."""
    if value is None:
        return ""
    if _english():
        for size, word in _SCALES:
            if abs(value) >= size:
                return f"{value / size:,.1f} {word} {currency}"
        return f"{value:,.0f} {currency}"
    text = format_compact_decimal(value, format_type="long", locale=current_locale(), fraction_digits=1)
    return f"{text}\u00a0{currency}"


def fmt_percent(share: float | None, digits: int = 2) -> str:
    """0.25 → "25.00 %" (English, as before) or the locale's percent form."""
    if share is None:
        return ""
    if _english():
        return f"{100 * share:.{digits}f} %"
    pattern = "#,##0" + ("." + "#" * digits if digits else "") + "\u00a0%"
    return format_percent(share, format=pattern, locale=current_locale())


def fmt_rate(rate: float | None) -> str:
    """An exchange rate with six significant digits."""
    if rate is None:
        return ""
    if _english():
        return f"{rate:.6g}"
    return format_decimal(float(f"{rate:.6g}"), format="#,##0.######", locale=current_locale())


def date_text(iso: str | None) -> str:
    """A record's ISO date (2021, 2021-03 or 2021-03-15) in the reader's language; English keeps ISO."""
    if not iso:
        return ""
    text = str(iso)
    if _english():
        return text
    locale = current_locale()
    try:
        parts = [int(p) for p in text.split("-")]
        if len(parts) == 3:
            return format_date(date(*parts), format="medium", locale=locale)
        if len(parts) == 2:
            return format_skeleton("yMMM", date(parts[0], parts[1], 1), locale=locale)
    except (ValueError, TypeError):
        return text
    return text


def datetime_utc(seconds: int | float | datetime | None) -> str:
    """Unix seconds (or a datetime, naive = UTC) → `2026-11-23 14:05` (UTC) in English, the locale's medium date
    and time otherwise."""
    if seconds is None:
        return ""
    if isinstance(seconds, datetime):
        moment = seconds if seconds.tzinfo else seconds.replace(tzinfo=UTC)
    else:
        moment = datetime.fromtimestamp(seconds, UTC)
    if _english():
        return moment.strftime("%Y-%m-%d %H:%M")
    return format_datetime(moment, format="medium", tzinfo=UTC, locale=current_locale())


def country_name(code: str) -> str:
    """A country's name in the reader's language (CLDR territory names, shipped with Babel; XK is Kosovo)."""
    if _english():
        return names.country_name(code)
    found = current_locale().territories.get(code)
    return str(found) if found else names.country_name(code)


def language_name(tag: str) -> str:
    """A language's name in the reader's language (CLDR, shipped with Babel)."""
    if _english():
        return names.language_name(tag)
    if tag in ("und", ""):
        return gettext("Undetermined")
    try:
        found = Locale.parse(tag.replace("-", "_")).get_display_name(current_locale())
    except (ValueError, TypeError, LookupError):
        found = None
    return found or names.language_name(tag)


def sector_name(code: str) -> str:
    """DAC sector names: the IATI codelists publish English (and French, Spanish) only; no shipped source names them
    in the region's languages, so every language shows the English name."""
    return names.sector_name(code)
