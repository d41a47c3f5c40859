"""SQLite FTS5 backend of the library search.

``resource_fts`` (migration 0008) holds each resource's segmented title and body under
the resource id as rowid, tokenizer unicode61. Every token of a query goes into the
MATCH expression as an FTS5 string (double-quoted, inner quotes doubled), so user text
such as ``"``, ``AND``, ``NEAR`` or ``*`` is never read as query syntax. Ranking is
``bm25`` with the title weighted :data:`TITLE_WEIGHT` times the body.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Float, Integer, column, func, select, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from talentbridge.library.search_backend import IndexRow
from talentbridge.library.search_query import Alternative
from talentbridge.store.library_tables import Resource

TITLE_WEIGHT = 4.0
_CHUNK = 500


def fts_string(token: str) -> str:
    """One token as an FTS5 string literal."""
    return '"' + token.replace('"', '""') + '"'


def match_expression(alternative: Alternative) -> str:
    """An alternative as FTS5 query syntax: a phrase, or all tokens (implicit AND)."""
    if alternative.phrase:
        return fts_string(" ".join(alternative.tokens))
    return " ".join(fts_string(t) for t in alternative.tokens)


class SqliteFtsBackend:
    name = "sqlite-fts5"

    def upsert(self, session: Session, rows: Sequence[IndexRow]) -> None:
        self.delete(session, [r.resource_id for r in rows])
        if rows:
            session.execute(
                text("INSERT INTO resource_fts (rowid, title, body) VALUES (:id, :title, :body)"),
                [{"id": r.resource_id, "title": r.title, "body": r.body} for r in rows],
            )

    def delete(self, session: Session, resource_ids: Sequence[int]) -> None:
        ids = list(resource_ids)
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            marks = ", ".join(str(int(i)) for i in chunk)
            session.execute(text(f"DELETE FROM resource_fts WHERE rowid IN ({marks})"))

    def clear(self, session: Session) -> None:
        session.execute(text("DELETE FROM resource_fts"))

    def optimize(self, session: Session) -> None:
        session.execute(text("INSERT INTO resource_fts (resource_fts) VALUES ('optimize')"))

    def _matches(self, expression: str):  # type: ignore[no-untyped-def]
        return (
            text(
                "SELECT rowid AS rid, "
                f"bm25(resource_fts, {TITLE_WEIGHT}, 1.0) AS rank "
                "FROM resource_fts WHERE resource_fts MATCH :expression"
            )
            .bindparams(expression=expression)
            .columns(column("rid", Integer), column("rank", Float))
            .subquery("fts")
        )

    def match(
        self,
        session: Session,
        alternative: Alternative,
        conditions: Sequence[ColumnElement[bool]],
        limit: int,
    ) -> list[tuple[int, float]]:
        fts = self._matches(match_expression(alternative))
        query = (
            select(fts.c.rid, fts.c.rank)
            .join(Resource, Resource.id == fts.c.rid)
            .where(*conditions)
            .order_by(fts.c.rank, fts.c.rid)
            .limit(limit)
        )
        return [(int(rid), -float(rank)) for rid, rank in session.execute(query)]

    def count(
        self,
        session: Session,
        alternatives: Sequence[Alternative],
        conditions: Sequence[ColumnElement[bool]],
    ) -> int:
        if not alternatives:
            return 0
        expression = " OR ".join(f"({match_expression(a)})" for a in alternatives)
        fts = self._matches(expression)
        query = (
            select(func.count())
            .select_from(fts)
            .join(Resource, Resource.id == fts.c.rid)
            .where(*conditions)
        )
        return int(session.scalar(query) or 0)
