"""library search vocabulary

SQLite only: ``resource_fts_vocab``, an fts5vocab table over ``resource_fts`` (one row
per token with the number of resources holding it). The search reads a token's document
frequency from it to bound the ranking work of very common tokens (``search_sqlite``).
PostgreSQL needs nothing here.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 19:45:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE resource_fts_vocab USING fts5vocab(resource_fts, row)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS resource_fts_vocab")
