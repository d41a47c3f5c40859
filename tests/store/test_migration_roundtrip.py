"""Every migration goes down and up again on a copy of the demo store.

From head, one revision at a time down to the first revision and back up to head:
- a step never loses rows in a table that exists both before and after it (SQLite's
  batch mode rebuilds a table by copy and drop; with foreign keys on, a drop could
  cascade into other tables);
- each revision's schema on the way up is the schema that revision had on the way down
  (each downgrade undoes exactly its upgrade);
- the core records (tables of the first revision) keep their rows through it all;
- at head the schema matches the ORM metadata (autogenerate finds no difference).
Then one more step to base drops everything but the version table.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from storetools import demo_store
from talentbridge.store.engine import create_engine_for
from talentbridge.store.migrate import alembic_config, current_revision, downgrade, upgrade
from talentbridge.store.tables import Base

HAND_MADE = ("resource_fts", "resource_search")  # as store/migrations/env.py include_name


@pytest.fixture()
def demo_engine(demo_template: Path, tmp_path: Path) -> Iterator[Engine]:
    with demo_store(demo_template, tmp_path / "copy") as settings:
        engine = create_engine_for(settings)  # on SQLite: foreign keys on, as the app runs
        yield engine
        engine.dispose()


def _include(name: str | None, type_: str, _parents: object) -> bool:
    return not (type_ == "table" and name is not None and name.startswith(HAND_MADE))


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        names = [
            n
            for n in inspect(conn).get_table_names()
            if not n.startswith(HAND_MADE) and n != "sqlite_sequence"
        ]
        return {
            n: int(conn.execute(text(f'SELECT count(*) FROM "{n}"')).scalar_one()) for n in names
        }


def _schema(engine: Engine) -> dict[str, Any]:
    insp = inspect(engine)
    out: dict[str, Any] = {}
    for name in sorted(insp.get_table_names()):
        if name.startswith(HAND_MADE) or name == "sqlite_sequence":
            continue
        out[name] = {
            "columns": sorted(
                (c["name"], str(c["type"]), bool(c["nullable"])) for c in insp.get_columns(name)
            ),
            "pk": sorted(insp.get_pk_constraint(name)["constrained_columns"]),
            "fks": sorted(
                (
                    tuple(fk["constrained_columns"]),
                    fk["referred_table"],
                    tuple(fk["referred_columns"]),
                )
                for fk in insp.get_foreign_keys(name)
            ),
            "indexes": sorted(
                (i["name"] or "", tuple(str(c) for c in i["column_names"]), bool(i["unique"]))
                for i in insp.get_indexes(name)
            ),
        }
    return out


def _differences(engine: Engine) -> list[Any]:
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"include_name": _include, "compare_type": True}
        )
        return list(compare_metadata(context, Base.metadata))


def _revisions(engine: Engine) -> list[str]:
    """Revisions from the first to head."""
    script = ScriptDirectory.from_config(alembic_config(engine))
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def _assert_kept(before: dict[str, int], after: dict[str, int], step: str) -> None:
    lost = {n: (before[n], after[n]) for n in before.keys() & after.keys() if before[n] != after[n]}
    assert not lost, f"{step} changed row counts of tables it keeps: {lost}"


def test_every_migration_goes_down_and_up_without_losing_rows(demo_engine: Engine) -> None:
    engine = demo_engine
    revisions = _revisions(engine)
    assert current_revision(engine) == revisions[-1]
    assert _differences(engine) == []
    start = _counts(engine)
    assert start["posting"] > 100 and start["profile"] > 10 and start["organization"] > 5

    schemas: dict[str, Any] = {revisions[-1]: _schema(engine)}
    counts: dict[str, dict[str, int]] = {revisions[-1]: start}
    for above, below in pairwise(list(reversed(revisions))):
        downgrade(engine, below)
        assert current_revision(engine) == below
        counts[below] = _counts(engine)
        schemas[below] = _schema(engine)
        _assert_kept(counts[above], counts[below], f"downgrade {above} → {below}")

    first_tables = set(counts[revisions[0]])
    for below, above in pairwise(revisions):
        before = _counts(engine)
        upgrade(engine, above)
        assert current_revision(engine) == above
        after = _counts(engine)
        _assert_kept(before, after, f"upgrade {below} → {above}")
        assert _schema(engine) == schemas[above], f"schema at {above} differs after down/up"
    assert _differences(engine) == []
    end = _counts(engine)
    for name in first_tables:
        assert end[name] == start[name], name
    # Tables that are not in the first revision come back, empty or as the upgrade fills them.
    assert end.keys() == start.keys()

    downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) - {"sqlite_sequence"} <= {"alembic_version"}


def test_stepping_down_to_0011_and_back_keeps_every_record(demo_engine: Engine) -> None:
    before = _counts(demo_engine)
    downgrade(demo_engine, "0011")
    upgrade(demo_engine)
    after = _counts(demo_engine)
    new_in_0012 = {"consent_record", "user_session", "login_attempt"}
    assert {n: c for n, c in after.items() if n not in new_in_0012} == {
        n: c for n, c in before.items() if n not in new_in_0012
    }
    assert before["posting"] == after["posting"] > 0
    assert _differences(demo_engine) == []
