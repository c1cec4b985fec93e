"""HTML → the page's main content as Markdown-like text (headings and lists kept, site chrome dropped)."""

from __future__ import annotations

import re
from typing import Any

from aidatlas.errors import UnreadableDocument
from aidatlas.ingest.chrome import is_date_line

_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def html_text(name: str, html: str) -> str:
    """Main content of a web page via trafilatura; menus, cookie banners and footers are left out.

    The page's <h1> is kept even when trafilatura files it under metadata, because it is usually the title
    of the activity the page describes.
    """
    import html as entities

    import trafilatura

    if not re.search(r"<\s*(html|body|p|div|h\d|article|main|section|li)\b", html, re.IGNORECASE):
        raise UnreadableDocument(name, "is not readable HTML (no HTML elements found)")
    options: dict[str, Any] = {"output_format": "markdown", "include_formatting": True, "include_tables": True,
               "include_comments": False, "include_links": False, "include_images": False, "deduplicate": False}
    body = trafilatura.extract(html, **options) or ""
    if len(body.strip()) < 40:
        body = trafilatura.extract(html, favor_recall=True, **options) or ""
    if not body.strip():
        body = entities.unescape(_TAG.sub(" ", html))
    if h1_match := _H1.search(html):
        h1 = " ".join(entities.unescape(_TAG.sub(" ", h1_match.group(1))).split())
        if h1 and h1 not in body[: len(h1) + 200]:
            body = f"# {h1}\n\n{body}"
    dated = _date_line(html)
    if dated and dated not in body[:2000]:  # the date line sits under the headline, as on the page
        head, _, rest = body.partition("\n")
        body = f"{head}\n\n{dated}\n\n{rest}" if head.startswith("#") else f"{dated}\n\n{body}"
    return _tidy(body)


_DATE_ELEMENT = re.compile(r"<(time|span|div|p|small)\b[^>]*(?:class=\"[^\"]*(?:date|time|publish|posted|meta)[^\"]*\"|"
                           r"datetime=)[^>]*>(.*?)</\1>", re.IGNORECASE | re.DOTALL)


def _date_line(html: str) -> str | None:
    """The page's publication date as the page prints it (`<div class="date">14/03/2025</div>`), which
    trafilatura files under metadata: the date line of a news page."""
    import html as entities

    for m in _DATE_ELEMENT.finditer(html[:20000]):
        text = " ".join(entities.unescape(_TAG.sub(" ", m.group(2))).split())
        if 6 <= len(text) <= 80 and is_date_line(text):
            return text
    return None


def _tidy(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\u00a0", " ")
    text = re.sub(r"\*\*([^*\n]+)\*\*", r"\1", text)  # keep headings, drop bold emphasis markers
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
