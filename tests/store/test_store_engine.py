from __future__ import annotations

from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError

from talentbridge.config import Settings
from talentbridge.store.migrate import current_revision, head_revision, is_up_to_date
from talentbridge.store.tables import Base, CollegeMajor


def test_migrations_create_every_table(engine: Engine) -> None:
    tables = set(inspect(engine).get_table_names())
    assert {t.name for t in Base.metadata.sorted_tables} <= tables
    assert is_up_to_date(engine)
    assert current_revision(engine) == head_revision(engine)


def test_sqlite_runs_in_wal_mode_with_foreign_keys(engine: Engine, settings: Settings) -> None:
    if not settings.is_sqlite:
        return
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_foreign_keys_are_enforced(factory) -> None:  # type: ignore[no-untyped-def]
    with factory() as s:
        s.add(CollegeMajor(organization_id=999, major_id=999))
        try:
            s.commit()
        except IntegrityError:
            s.rollback()
        else:  # pragma: no cover - would mean the constraint is off
            raise AssertionError("a college major pointing nowhere was stored")
        assert s.execute(text("select count(*) from college_major")).scalar() == 0


def test_migrations_downgrade_to_base_and_upgrade_again(engine: Engine) -> None:
    from talentbridge.store.migrate import downgrade, upgrade

    downgrade(engine, "base")
    assert "organization" not in inspect(engine).get_table_names()
    upgrade(engine)
    assert "organization" in inspect(engine).get_table_names()
    assert is_up_to_date(engine)


def test_settings_fixture_points_at_the_engine(engine: Engine, settings: Settings) -> None:
    assert engine.url.get_backend_name() == ("sqlite" if settings.is_sqlite else "postgresql")
