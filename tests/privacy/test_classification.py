"""Personal columns are classified on the schema; importers refuse ID card numbers,
home addresses and photos (data minimization, PIPL art. 6)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from placementtools import PLACEMENT_HEADER, build_store, write
from talentbridge.matching.profiles import import_profiles
from talentbridge.outcomes.placement_import import import_placements
from talentbridge.privacy.classification import (
    NOT_PERSONAL,
    SUSPECT_NAME,
    PersonalClass,
    personal_columns,
    refused_kind,
)
from talentbridge.store.outcomes_tables import Placement
from talentbridge.store.tables import Base, ImportRun, Profile, RejectedRow

ID_CARD = "510104200301011234"


def test_every_column_that_looks_personal_is_classified_or_explained() -> None:
    classified = {c.key for c in personal_columns(Base.metadata)}
    unexplained = [
        f"{table.name}.{column.name}"
        for table in Base.metadata.tables.values()
        for column in table.columns
        if SUSPECT_NAME.search(column.name)
        and f"{table.name}.{column.name}" not in classified
        and f"{table.name}.{column.name}" not in NOT_PERSONAL
    ]
    assert unexplained == []
    # no stale or contradictory exemption
    every = {f"{t.name}.{c.name}" for t in Base.metadata.tables.values() for c in t.columns}
    assert set(NOT_PERSONAL) <= every
    assert not set(NOT_PERSONAL) & classified
    assert all(reason.strip() for reason in NOT_PERSONAL.values())


def test_the_person_columns_carry_their_class() -> None:
    by_key = {c.key: c.personal_class for c in personal_columns(Base.metadata)}
    assert by_key["profile.name"] is PersonalClass.NAME
    assert by_key["profile.phone"] is PersonalClass.CONTACT
    assert by_key["profile.email"] is PersonalClass.CONTACT
    assert by_key["user_account.email"] is PersonalClass.CONTACT
    assert by_key["profile.student_no"] is PersonalClass.IDENTIFIER
    assert by_key["resume_file.text"] is PersonalClass.FREE_TEXT
    assert by_key["profile_wish.summary"] is PersonalClass.FREE_TEXT
    assert by_key["profile_experience.description"] is PersonalClass.FREE_TEXT
    for column in ("gender", "birth_year", "ethnicity", "marital_status", "hukou_province"):
        assert by_key[f"profile_protected.{column}"] is PersonalClass.SENSITIVE
    assert "organization.name_zh" not in by_key


def test_classification_does_not_change_the_schema(engine: Engine) -> None:
    """``info`` is not DDL: the migrated store and the classified metadata agree (the
    library's full-text tables are made by raw SQL, outside the metadata)."""
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert [d for d in diff if not _library_search_object(d)] == []


def _library_search_object(d: tuple[object, ...]) -> bool:
    """The full-text tables and indexes of the library search (raw SQL: FTS5 on SQLite,
    ``resource_search`` on PostgreSQL) are not in the metadata."""
    obj = d[1]
    table = obj if d[0] == "remove_table" else getattr(obj, "table", None)
    name = str(getattr(table, "name", ""))
    return d[0] in ("remove_table", "remove_index") and name.startswith(
        ("resource_fts", "resource_search")
    )


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        ("身份证号", "ID card number"),
        ("身份证号码", "ID card number"),
        ("ID Card", "ID card number"),
        ("家庭住址", "home address"),
        ("照片", "photo"),
        ("photo", "photo"),
        ("姓名", None),
        ("工作地点", None),
        ("address", None),  # an employer's address in some files: not refused by name alone
    ],
)
def test_refused_columns_are_recognized(header: str, kind: str | None) -> None:
    assert refused_kind(header) == kind


@pytest.fixture()
def store(factory: sessionmaker[Session], tmp_path: Path) -> sessionmaker[Session]:
    build_store(factory, tmp_path)
    return factory


def _everything_stored(factory: sessionmaker[Session]) -> str:
    with factory() as session:
        raws = [json.dumps(r.raw, ensure_ascii=False) for r in session.scalars(select(RejectedRow))]
        runs = [f"{r.message}" for r in session.scalars(select(ImportRun))]
        profiles = [
            f"{p.name}{p.phone}{p.email}{p.student_no}" for p in session.scalars(select(Profile))
        ]
    return "\n".join(raws + runs + profiles)


def test_profile_import_drops_the_id_card_column_and_says_so(
    store: sessionmaker[Session], tmp_path: Path
) -> None:
    path = tmp_path / "students_with_ids.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(
            [
                "college_code",
                "student_no",
                "姓名",
                "major_code",
                "graduation_year",
                "身份证号",
                "家庭住址",
            ]
        )
        out.writerow(["C1", "S101", "赵六", "530802", "2026", ID_CARD, "成都市锦江区某街1号"])
        out.writerow(
            ["C1", "S102", "钱七", "999999", "2026", "510104200302021234", "重庆市某路2号"]
        )
    rejects = tmp_path / "rejects"
    rejects.mkdir()
    report = import_profiles(store, path, rejects_dir=rejects)
    assert (report.stored, report.rejected) == (1, 1)  # the bad major is still rejected
    assert report.message is not None and "身份证号" in report.message
    assert "家庭住址" in report.message and "PIPL" in report.message
    stored = _everything_stored(store)
    assert ID_CARD not in stored and "510104200302021234" not in stored
    assert "某街" not in stored and "某路" not in stored
    assert "赵六" in stored
    with store() as session:
        run = session.get(ImportRun, report.run_id)
        assert run is not None and run.message is not None and "身份证号" in run.message
    assert report.rejects_path is not None
    text = report.rejects_path.read_text(encoding="utf-8")
    assert "510104200302021234" not in text and "钱七" in text


def test_placement_import_drops_the_id_card_column(
    store: sessionmaker[Session], tmp_path: Path
) -> None:
    path = write(
        tmp_path / "placements.csv",
        f"""
{PLACEMENT_HEADER},身份证号,照片
S001,张伟,530802,现代物流管理,2025,签劳动合同形式就业,示例·川渝物流有限公司,仓储主管,4-02-06-03,成都市武侯区,6500,2025-07-01,是,{ID_CARD},zw.jpg
S002,李娜,530802,现代物流管理,2025,不存在的去向,,,,,,,,510104200302021234,ln.jpg
""",
    )
    report = import_placements(store, path, college_code="C1")
    assert (report.stored, report.rejected) == (1, 1)
    assert report.message is not None and "身份证号" in report.message and "照片" in report.message
    stored = _everything_stored(store)
    assert ID_CARD not in stored and "510104200302021234" not in stored and "zw.jpg" not in stored
    with store() as session:
        assert len(list(session.scalars(select(Placement)))) == 1
