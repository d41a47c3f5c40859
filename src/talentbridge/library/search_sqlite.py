"""SQLite FTS5 backend of the library search.

``resource_fts`` (migration 0008) holds each resource's segmented title and body under
the resource id as rowid, tokenizer unicode61. Every token of a query goes into the
MATCH expression as an FTS5 string (double-quoted, inner quotes doubled), so user text
such as ``"``, ``AND``, ``NEAR`` or ``*`` is never read as query syntax. Ranking is
``bm25`` with the title weighted :data:`TITLE_WEIGHT` times the body.

Speed: a match first ranks in the FTS index alone (``ORDER BY bm25 LIMIT n``) and then
keeps the candidates the conditions allow (visibility, filters: one lookup by primary
key each); when too few survive it tries again with more candidates, and only then
ranks with the join to ``resource``. With filters (``selective``) it ranks with the join
at once: the filter is checked once per match instead of ranking many candidates twice. ``bm25`` costs time for every matching row, so when the rarest token of
every alternative is held by more than :data:`RANK_CAP` resources (document frequency
from ``resource_fts_vocab``, migration 0009), only the newest ``RANK_CAP`` matches are
ranked (the match is then reported as not complete).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

from sqlalchemy import Float, Integer, column, func, select, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from talentbridge.library.search_backend import IndexRow, Matches
from talentbridge.library.search_query import Alternative
from talentbridge.store.library_tables import Resource

TITLE_WEIGHT = 4.0
RANK_CAP = 4000  # matches ranked at most, for alternatives made of very common tokens
OVERFETCH = 2  # candidates ranked in the index alone, per result wanted
WIDE_FETCH = 25  # the second try (a filter kept too few), before ranking with the join
_CHUNK = 500
_IN_CHUNK = 2500
_DF_TTL = 300.0  # seconds a token's document frequency is reused
_df_cache: dict[tuple[str, str], tuple[float, int]] = {}
_df_lock = threading.Lock()


def fts_string(token: str) -> str:
    """One token as an FTS5 string literal."""
    return '"' + token.replace('"', '""') + '"'


def match_expression(alternative: Alternative) -> str:
    """An alternative as FTS5 query syntax: a phrase, or all tokens (implicit AND)."""
    if alternative.phrase:
        return fts_string(" ".join(alternative.tokens))
    return " ".join(fts_string(t) for t in alternative.tokens)


def any_expression(alternatives: Sequence[Alternative]) -> str:
    return " OR ".join(f"({match_expression(a)})" for a in alternatives)


def _bm25() -> str:
    return f"bm25(resource_fts, {TITLE_WEIGHT}, 1.0)"


class SqliteFtsBackend:
    name = "sqlite-fts5"

    # --- writing ---------------------------------------------------------------------------

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
            marks = ", ".join(str(int(i)) for i in ids[start : start + _CHUNK])
            session.execute(text(f"DELETE FROM resource_fts WHERE rowid IN ({marks})"))

    def clear(self, session: Session) -> None:
        session.execute(text("DELETE FROM resource_fts"))

    def optimize(self, session: Session) -> None:
        session.execute(text("INSERT INTO resource_fts (resource_fts) VALUES ('optimize')"))

    # --- reading ---------------------------------------------------------------------------

    def document_frequency(self, session: Session, token: str) -> int:
        """How many indexed resources hold ``token`` (cached for a few minutes)."""
        key = (str(session.get_bind().engine.url), token)
        now = time.monotonic()
        with _df_lock:
            found = _df_cache.get(key)
        if found is not None and now - found[0] < _DF_TTL:
            return found[1]
        value = session.scalar(
            text("SELECT doc FROM resource_fts_vocab WHERE term = :term"), {"term": token}
        )
        with _df_lock:
            if len(_df_cache) > 50_000:
                _df_cache.clear()
            _df_cache[key] = (now, int(value or 0))
        return int(value or 0)

    def is_common(self, session: Session, alternative: Alternative) -> bool:
        """Whether every match of the alternative would not be ranked (see RANK_CAP)."""
        return min(self.document_frequency(session, t) for t in alternative.tokens) > RANK_CAP

    def _floor(
        self, session: Session, alternatives: Sequence[Alternative], expression: str
    ) -> int | None:
        """The lowest rowid of the newest RANK_CAP matches when every alternative is made of
        common tokens only (None: rank every match)."""
        estimate = sum(
            min(self.document_frequency(session, t) for t in a.tokens) for a in alternatives
        )
        if estimate <= RANK_CAP:
            return None
        floor = session.scalar(
            text(
                "SELECT rowid FROM resource_fts WHERE resource_fts MATCH :e "
                "ORDER BY rowid DESC LIMIT 1 OFFSET :cap"
            ),
            {"e": expression, "cap": RANK_CAP - 1},
        )
        return int(floor) if floor is not None else None

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
        expression = any_expression(alternatives)
        floor = self._floor(session, alternatives, expression)
        where = "resource_fts MATCH :e" + (" AND rowid >= :floor" if floor is not None else "")
        params: dict[str, object] = {"e": expression}
        if floor is not None:
            params["floor"] = floor
        tries = () if selective else (limit * OVERFETCH, limit * WIDE_FETCH)
        for fetch in tries:
            ranked = [
                (int(rid), -float(rank))
                for rid, rank in session.execute(
                    text(
                        f"SELECT rowid, {_bm25()} AS rank FROM resource_fts WHERE {where} "
                        "ORDER BY rank, rowid LIMIT :n"
                    ),
                    {**params, "n": fetch},
                )
            ]
            allowed: set[int] = set()
            ids = [rid for rid, _ in ranked]
            for start in range(0, len(ids), _IN_CHUNK):
                chunk = ids[start : start + _IN_CHUNK]
                allowed.update(
                    session.scalars(select(Resource.id).where(Resource.id.in_(chunk), *conditions))
                )
            kept = [(rid, score) for rid, score in ranked if rid in allowed]
            exhausted = len(ranked) < fetch
            if exhausted or len(kept) >= limit:
                return Matches(kept[:limit], exhausted and floor is None and len(kept) <= limit)
        # A narrow filter: rank with the conditions joined.
        fts = (
            text(f"SELECT rowid AS rid, {_bm25()} AS rank FROM resource_fts WHERE {where}")
            .bindparams(**params)
            .columns(column("rid", Integer), column("rank", Float))
            .subquery("fts")
        )
        query = (
            select(fts.c.rid, fts.c.rank)
            .join(Resource, Resource.id == fts.c.rid)
            .where(*conditions)
            .order_by(fts.c.rank, fts.c.rid)
            .limit(limit)
        )
        rows = [(int(rid), -float(rank)) for rid, rank in session.execute(query)]
        return Matches(rows, floor is None and len(rows) < limit)

    def count(
        self,
        session: Session,
        alternatives: Sequence[Alternative],
        conditions: Sequence[ColumnElement[bool]],
        cap: int,
    ) -> int:
        if not alternatives:
            return 0
        fts = (
            text("SELECT rowid AS rid FROM resource_fts WHERE resource_fts MATCH :e")
            .bindparams(e=any_expression(alternatives))
            .columns(column("rid", Integer))
            .subquery("fts")
        )
        hits = (
            select(fts.c.rid)
            .join(Resource, Resource.id == fts.c.rid)
            .where(*conditions)
            .limit(cap)
            .subquery("hits")
        )
        return int(session.scalar(select(func.count()).select_from(hits)) or 0)
