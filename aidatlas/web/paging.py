"""Pages of a list endpoint: every JSON list answers with the same envelope (`paged`), so a client walks
activities, organisations, places and documents alike: `total`, `page`, `per_page`, `pages` and `links`
(`self`, `first`, `last`, `next`, `prev`; null where there is none)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import Query

MAX_PER_PAGE = 200


@dataclass(frozen=True)
class Page:
    """Which page of a list: 1-based `page`, `per_page` items each."""

    page: int = 1
    per_page: int = 20

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    def of(self, items: Sequence[Any]) -> list[Any]:
        """This page of a list held in memory."""
        return list(items[self.offset:self.offset + self.per_page])


def pages(default: int = 20) -> Callable[..., Page]:
    """The `page`/`per_page` parameters of a list endpoint (a dependency), `default` items a page."""

    def page_params(page: int = Query(1, ge=1, le=100_000, description="1-based page number"),
                    per_page: int = Query(default, ge=1, le=MAX_PER_PAGE,
                                          description=f"items a page (at most {MAX_PER_PAGE})")) -> Page:
        return Page(page, per_page)

    return page_params


def paged(key: str, items: list[Any], total: int, page: Page, link: Callable[[int], str]) -> dict[str, Any]:
    """The envelope of one page: the items under `key`, the total and the links (`link(n)` is page n's URL)."""
    count = max(1, math.ceil(total / page.per_page))
    return {
        key: items, "total": total, "page": page.page, "per_page": page.per_page, "pages": count,
        "links": {"self": link(page.page), "first": link(1), "last": link(count),
                  "next": link(page.page + 1) if page.page < count else None,
                  "prev": link(min(page.page - 1, count)) if page.page > 1 else None},
    }
