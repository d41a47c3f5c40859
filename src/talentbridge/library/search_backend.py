"""The search backend interface: an index of resources' segmented text, queried by
weighted alternatives. Implementations: SQLite FTS5 (``search_sqlite``) and PostgreSQL
full-text search (``search_pg``); an OpenSearch backend would implement the same."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from talentbridge.library.search_query import Alternative


@dataclass(frozen=True)
class Matches:
    """Resources matching a group of alternatives, best first, with full-text scores
    (higher is better). ``complete``: every match is in ``rows`` (otherwise there are
    more, or the ranking looked only at the newest matches of very common tokens)."""

    rows: list[tuple[int, float]]
    complete: bool


@dataclass(frozen=True)
class IndexRow:
    """What the index holds for one resource: segmented title and body text."""

    resource_id: int
    title: str
    body: str


class SearchBackend(Protocol):
    name: str

    def upsert(self, session: Session, rows: Sequence[IndexRow]) -> None:
        """Add or replace the index rows of these resources."""

    def delete(self, session: Session, resource_ids: Sequence[int]) -> None:
        """Drop these resources from the index."""

    def clear(self, session: Session) -> None:
        """Drop every row (before a full rebuild)."""

    def optimize(self, session: Session) -> None:
        """Tidy the index after a bulk load."""

    def match(
        self,
        session: Session,
        alternatives: Sequence[Alternative],
        conditions: Sequence[ColumnElement[bool]],
        limit: int,
        *,
        selective: bool = False,
    ) -> Matches:
        """Resources matching any of the alternatives and all the conditions (on
        ``resource``), best first, at most ``limit``. ``selective``: the conditions are
        likely to drop most matches (filters)."""
        ...

    def is_common(self, session: Session, alternative: Alternative) -> bool:
        """Whether the alternative matches so many resources that it says little alone."""
        ...

    def count(
        self,
        session: Session,
        alternatives: Sequence[Alternative],
        conditions: Sequence[ColumnElement[bool]],
        cap: int,
    ) -> int:
        """How many resources match any of the alternatives and the conditions, counted
        up to ``cap``."""
        ...


def backend_for(session: Session) -> SearchBackend:
    """The backend of the session's database (chosen by dialect)."""
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        from talentbridge.library.search_sqlite import SqliteFtsBackend

        return SqliteFtsBackend()
    if dialect == "postgresql":
        from talentbridge.library.search_pg import PostgresFtsBackend

        return PostgresFtsBackend()
    raise NotImplementedError(f"no library search backend for {dialect}")
