"""Alembic environment: uses the engine handed in by talentbridge.store.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine, create_engine

from talentbridge.store.tables import Base

config = context.config
target_metadata = Base.metadata

# Full-text index tables made by hand in migrations (0008), not in the ORM metadata.
_UNMAPPED_PREFIXES = ("resource_fts", "resource_search")


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Leave the hand-made full-text tables out of autogenerate's comparison."""
    return not (type_ == "table" and name is not None and name.startswith(_UNMAPPED_PREFIXES))


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if not isinstance(engine, Engine):
        engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            include_name=include_name,
        )
        context.run_migrations()


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
