"""The store: SQLAlchemy tables, engines, sessions and Alembic migrations."""
