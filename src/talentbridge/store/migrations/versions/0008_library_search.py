"""library search index

The full-text index of the resource libraries (issue 7), one per dialect:

- SQLite: an FTS5 table ``resource_fts`` (rowid = resource id; columns ``title`` and
  ``body``, both pre-segmented text, tokenizer unicode61) and a trigger that drops a
  resource's row when the resource is deleted.
- PostgreSQL: a table ``resource_search`` (resource id, ``document`` tsvector: the
  segmented title with weight A and the segmented body) with a GIN index.

Neither is in the ORM metadata (``store/migrations/env.py`` skips them when comparing).
Existing resources are indexed here from their ``search_text`` (which holds the titles);
``library.search.reindex`` rebuilds the rows with segmented titles.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 19:26:27.260645
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE resource_fts USING fts5("
            "title, body, tokenize = 'unicode61 remove_diacritics 2')"
        )
        op.execute(
            "CREATE TRIGGER resource_fts_after_delete AFTER DELETE ON resource BEGIN "
            "DELETE FROM resource_fts WHERE rowid = old.id; END"
        )
        op.execute(
            "INSERT INTO resource_fts (rowid, title, body) "
            "SELECT id, '', search_text FROM resource WHERE status <> 'withdrawn'"
        )
    elif dialect == "postgresql":
        op.execute(
            "CREATE TABLE resource_search ("
            "resource_id INTEGER PRIMARY KEY REFERENCES resource (id) ON DELETE CASCADE, "
            "document TSVECTOR NOT NULL)"
        )
        op.execute(
            "CREATE INDEX ix_resource_search_document ON resource_search USING gin (document)"
        )
        op.execute(
            "INSERT INTO resource_search (resource_id, document) "
            "SELECT id, to_tsvector('simple', search_text) FROM resource "
            "WHERE status <> 'withdrawn'"
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS resource_fts_after_delete")
        op.execute("DROP TABLE IF EXISTS resource_fts")
    elif dialect == "postgresql":
        op.execute("DROP TABLE IF EXISTS resource_search")
