"""PostgreSQL full-text backend of the library search.

``resource_search`` (migration 0008) holds one ``tsvector`` per resource: the segmented
title with weight A and the segmented body, both through ``to_tsvector('simple', ...)``
(the text is segmented already; ``simple`` only lower-cases), with a GIN index.
Queries are built from quoted lexemes (``'token'``, quotes doubled) joined by ``<->``
(phrase) or ``&`` (all tokens), so user text never becomes tsquery syntax. Ranking is
``ts_rank_cd`` with the title weighted ten times the body.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Column, Integer, MetaData, Table, func, literal_column, select, text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from talentbridge.library.search_backend import IndexRow, Matches
from talentbridge.library.search_query import Alternative
from talentbridge.store.library_tables import Resource

# Not part of the ORM metadata: made by migration 0008 on PostgreSQL only.
resource_search = Table(
    "resource_search",
    MetaData(),
    Column("resource_id", Integer, primary_key=True),
    Column("document", TSVECTOR),
)
_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"  # D (body), C, B, A (title)
RANK_CAP = 4000  # matches ranked at most (the newest), as on SQLite
_CHUNK = 1000


def lexeme(token: str) -> str:
    """One token as a quoted tsquery lexeme."""
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsquery_text(alternative: Alternative) -> str:
    joiner = " <-> " if alternative.phrase else " & "
    return "(" + joiner.join(lexeme(t) for t in alternative.tokens) + ")"


def any_tsquery(alternatives: Sequence[Alternative]) -> str:
    return " | ".join(tsquery_text(a) for a in alternatives)


class PostgresFtsBackend:
    name = "postgresql-fts"

    def upsert(self, session: Session, rows: Sequence[IndexRow]) -> None:
        if not rows:
            return
        statement = text(
            "INSERT INTO resource_search (resource_id, document) VALUES (:id, "
            "setweight(to_tsvector('simple', :title), 'A') || to_tsvector('simple', :body)) "
            "ON CONFLICT (resource_id) DO UPDATE SET document = excluded.document"
        )
        for start in range(0, len(rows), _CHUNK):
            chunk = rows[start : start + _CHUNK]
            session.execute(
                statement,
                [{"id": r.resource_id, "title": r.title, "body": r.body} for r in chunk],
            )

    def delete(self, session: Session, resource_ids: Sequence[int]) -> None:
        ids = list(resource_ids)
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            session.execute(
                resource_search.delete().where(resource_search.c.resource_id.in_(chunk))
            )

    def clear(self, session: Session) -> None:
        session.execute(resource_search.delete())

    def optimize(self, session: Session) -> None:
        session.execute(text("ANALYZE resource_search"))

    def is_common(self, session: Session, alternative: Alternative) -> bool:
        return False

    def match(
        self,
        session: Session,
        alternatives: Sequence[Alternative],
        conditions: Sequence[ColumnElement[bool]],
        limit: int,
        *,
        selective: bool = False,
    ) -> Matches:
        if not alternatives or limit <= 0:
            return Matches([], True)
        query_ts = func.to_tsquery("simple", any_tsquery(alternatives))
        # ts_rank_cd reads every matching document: rank the newest RANK_CAP matches the
        # reader may see (all of them unless the tokens are very common).
        newest = (
            select(resource_search.c.resource_id, resource_search.c.document)
            .join(Resource, Resource.id == resource_search.c.resource_id)
            .where(resource_search.c.document.op("@@")(query_ts), *conditions)
            .order_by(resource_search.c.resource_id.desc())
            .limit(RANK_CAP)
            .subquery("newest")
        )
        weights: ColumnElement[object] = literal_column(f"'{_WEIGHTS}'::float4[]")
        rank = func.ts_rank_cd(weights, newest.c.document, query_ts).label("rank")
        seen = func.count().over().label("seen")
        query = (
            select(newest.c.resource_id, rank, seen)
            .order_by(rank.desc(), newest.c.resource_id)
            .limit(limit)
        )
        found = session.execute(query).all()
        rows = [(int(rid), float(score)) for rid, score, _ in found]
        capped = bool(found) and int(found[0][2]) >= RANK_CAP
        return Matches(rows, len(rows) < limit and not capped)

    def count(
        self,
        session: Session,
        alternatives: Sequence[Alternative],
        conditions: Sequence[ColumnElement[bool]],
        cap: int,
    ) -> int:
        if not alternatives:
            return 0
        query_ts = func.to_tsquery("simple", any_tsquery(alternatives))
        hits = (
            select(resource_search.c.resource_id)
            .join(Resource, Resource.id == resource_search.c.resource_id)
            .where(resource_search.c.document.op("@@")(query_ts), *conditions)
            .limit(cap)
            .subquery("hits")
        )
        return int(session.scalar(select(func.count()).select_from(hits)) or 0)
