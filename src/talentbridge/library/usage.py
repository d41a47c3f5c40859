"""Usage events of the resource libraries: a view, a download, a search.

The web and API handlers call ``record_view``, ``record_download`` and
``record_search`` once per use; each is one INSERT into ``library_event`` (no ORM
object, no flush of anything else) inside the caller's transaction. The event keeps the
principal's role and organization at the time, so statistics by role and by college
need no join to users later (and stay true when a user moves or leaves). Search queries
are stored normalized (``normalize_query``: e-mail addresses and phone or ID numbers
masked) and cut to ``MAX_QUERY_CHARS``.

Statistics over these events are in ``library.usage_stats`` and
``library.usage_users``; ``library.usage_report`` puts them together for one principal.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.orm import Session

from talentbridge.accounts.policy import Principal
from talentbridge.errors import NotFound
from talentbridge.library.resources import read_resource, resource_file_path
from talentbridge.store.library_tables import LibraryEvent, Resource
from talentbridge.store.tables import table_of, utcnow

KINDS = ("view", "download", "search")
MAX_QUERY_CHARS = 300
_SPACES = re.compile(r"\s+")
# What could identify a person if someone types it into the search box: e-mail addresses,
# and runs of 11 or more digits (mobile numbers, ID card numbers). Shorter numbers stay:
# HS codes (up to 10 digits) and standard numbers are what people search for.
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LONG_NUMBER = re.compile(r"\d{11,}x?")
_EVENTS = table_of(LibraryEvent)


def normalize_query(text: str) -> str:
    """The form a query is stored and grouped by: NFKC (full-width → half-width),
    case-folded, e-mail addresses and long digit runs masked, runs of white space made one
    space, at most ``MAX_QUERY_CHARS``."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    masked = _LONG_NUMBER.sub("#", _EMAIL.sub("@", folded))
    return _SPACES.sub(" ", masked).strip()[:MAX_QUERY_CHARS]


def _values(principal: Principal, kind: str, at: dt.datetime | None) -> dict[str, object]:
    return {
        "kind": kind,
        "user_id": principal.user_id,
        "role": principal.role.value,
        "organization_id": principal.organization_id,
        "at": at or utcnow(),
    }


def _record_resource(
    session: Session, kind: str, principal: Principal, resource: Resource, at: dt.datetime | None
) -> None:
    values = _values(principal, kind, at)
    values |= {"resource_id": resource.id, "library_id": resource.library_id}
    session.execute(insert(_EVENTS).values(**values))


def record_view(
    session: Session, *, principal: Principal, resource: Resource, at: dt.datetime | None = None
) -> None:
    """The principal opened ``resource``'s page (call after the access check passed)."""
    _record_resource(session, "view", principal, resource, at)


def record_download(
    session: Session, *, principal: Principal, resource: Resource, at: dt.datetime | None = None
) -> None:
    """The principal downloaded ``resource``'s file (or followed its link)."""
    _record_resource(session, "download", principal, resource, at)


def record_search(
    session: Session,
    *,
    principal: Principal,
    query: str,
    hits: int,
    library_id: int | None = None,
    at: dt.datetime | None = None,
) -> None:
    """The principal searched for ``query`` (in one library, or in all: ``None``) and
    found ``hits`` results. A blank query is not recorded."""
    normalized = normalize_query(query)
    if not normalized:
        return
    values = _values(principal, "search", at)
    values |= {"query": normalized, "hits": max(0, int(hits)), "library_id": library_id}
    session.execute(insert(_EVENTS).values(**values))


# --- periods ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Days ``start`` to ``end``, both included (UTC dates, as events are stored)."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"the period ends ({self.end}) before it starts ({self.start})")

    @property
    def since(self) -> dt.datetime:
        return dt.datetime.combine(self.start, dt.time())

    @property
    def until(self) -> dt.datetime:
        """The first instant after the period."""
        return dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time())

    @property
    def label(self) -> str:
        return f"{self.start.isoformat()} – {self.end.isoformat()}"

    @classmethod
    def last_days(cls, today: dt.date, days: int) -> Period:
        return cls(today - dt.timedelta(days=days - 1), today)


def default_period(today: dt.date) -> Period:
    """The last twelve months up to ``today``."""
    return Period.last_days(today, 365)


def download(
    session: Session, *, principal: Principal, resource_id: int, data_dir: Path
) -> tuple[Resource, Path]:
    """The resource a principal may read and its stored file, the download recorded;
    ``NotFound`` alike for a resource they may not see and one without a file."""
    resource = read_resource(session, principal=principal, resource_id=resource_id)
    path = resource_file_path(data_dir, resource)
    if path is None or not path.is_file():
        raise NotFound(f"resource {resource_id} has no file")
    record_download(session, principal=principal, resource=resource)
    return resource, path
