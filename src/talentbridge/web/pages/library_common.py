"""Shared pieces of the library pages: the area dependency, paging links and query
filters, and the URL convertor that keeps ``/library/{code}`` off the fixed page names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from starlette.convertors import Convertor, register_url_convertor

from talentbridge.accounts.policy import Principal
from talentbridge.library import browse
from talentbridge.web.deps import require_area

LibraryArea = Annotated[Principal, Depends(require_area("libraries"))]
PAGE_SIZE = 20
# Page names under /library/ that are never a library code.
RESERVED = ("resources", "upload", "review", "terms", "search", "stats", "read", "api")


class LibraryCodeConvertor(Convertor[str]):
    """A library code (letters, digits, ``-``, ``_``, ``.``) that is not a fixed page name,
    so ``/library/stats`` and friends reach their own routes whatever the order."""

    regex = r"(?!(?:" + "|".join(RESERVED) + r")(?:/|$))[A-Za-z0-9][A-Za-z0-9_.-]{0,39}"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("libcode", LibraryCodeConvertor())


@dataclass(frozen=True)
class Pager:
    """Previous/next links of a paged list, keeping the other query parameters."""

    total: int
    limit: int
    offset: int
    prev_url: str | None
    next_url: str | None

    @property
    def page(self) -> int:
        return self.offset // self.limit + 1

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.limit))


def pager(request: Request, *, total: int, limit: int, offset: int) -> Pager:
    def url(at: int) -> str:
        target = request.url.include_query_params(offset=at)
        return f"{target.path}?{target.query}"

    prev_url = url(max(0, offset - limit)) if offset > 0 else None
    next_url = url(offset + limit) if offset + limit < total else None
    return Pager(total, limit, offset, prev_url, next_url)


def optional(value: str | None) -> str | None:
    """A filter from a query string: empty means any."""
    return value.strip() or None if value else None


_INT = re.compile(r"^\d{1,9}$")


def optional_int(value: str | None) -> int | None:
    return int(value) if value and _INT.match(value.strip()) else None


def nav_flags(principal: Principal) -> dict[str, Any]:
    """What the library sub-navigation offers this principal (policy decides)."""
    return {
        "may_upload": browse.may_upload(principal),
        "may_review": browse.may_edit_termbase(principal),
    }
