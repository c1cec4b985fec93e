"""HTML → the page's main content as Markdown-like text (headings and lists kept, site chrome dropped)."""

from __future__ import annotations

import re

from aidatlas.errors import UnreadableDocument


def html_text(name: str, html: str) -> str:
    """Main content of a web page via trafilatura; menus, cookie banners and footers are left out.

    The page's <h1> is kept even when trafilatura files it under metadata, because it is usually the title
    of the activity the page describes.
    """
    import trafilatura
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(html)
    except Exception as exc:  # lxml raises several types for hopeless markup
        raise UnreadableDocument(name, f"is not readable HTML ({exc})") from exc
    body = trafilatura.extract(
        tree,
        output_format="markdown",
        include_formatting=True,
        include_tables=True,
        include_comments=False,
        include_links=False,
        include_images=False,
        deduplicate=False,
    ) or ""
    if len(body.strip()) < 40:
        body = trafilatura.extract(tree, output_format="markdown", include_formatting=True,
                                   favor_recall=True) or ""
    if not body.strip():
        body = str(tree.text_content())  # type: ignore[attr-defined]
    h1 = " ".join(" ".join(str(x) for x in tree.xpath("//h1[1]//text()")).split())  # type: ignore[union-attr]
    if h1 and h1 not in body[: len(h1) + 200]:
        body = f"# {h1}\n\n{body}"
    return _tidy(body)


def _tidy(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\u00a0", " ")
    text = re.sub(r"\*\*([^*\n]+)\*\*", r"\1", text)  # keep headings, drop bold emphasis markers
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
