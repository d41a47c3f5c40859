from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.errors import InputFileError, NotFound, TalentBridgeError
from talentbridge.store.tables import MajorOccupation, Occupation
from talentbridge.taxonomy.majors import find_major, list_majors, load_bundled_majors
from talentbridge.taxonomy.occupations import (
    find_occupation,
    import_major_occupations,
    import_occupations,
    is_related,
    link_major_occupation,
    load_bundled_occupations,
    related_occupations,
    unlink_major_occupation,
)


def count(session: Session, table: type) -> int:
    return session.scalar(select(func.count()).select_from(table)) or 0


@pytest.fixture()
def loaded(factory: sessionmaker[Session]) -> sessionmaker[Session]:
    load_bundled_majors(factory)
    load_bundled_occupations(factory)
    return factory


def test_bundled_occupations_and_links_load_cleanly_and_idempotently(
    factory: sessionmaker[Session],
) -> None:
    load_bundled_majors(factory)
    occupations, links = load_bundled_occupations(factory)
    assert occupations.rejected == 0 and occupations.stored >= 35
    assert links.rejected == 0 and links.stored >= 100
    again_occ, again_links = load_bundled_occupations(factory)
    assert again_occ.unchanged == occupations.stored and again_occ.stored == 0
    assert again_links.unchanged == links.stored and again_links.stored == 0
    with factory() as session:
        assert count(session, MajorOccupation) == links.stored
        names = {o.name_zh for o in session.scalars(select(Occupation))}
        assert {"仓储管理员", "物流服务师", "供应链管理师", "快递员", "电子商务师"} <= names


def test_every_bundled_major_has_a_primary_occupation(loaded: sessionmaker[Session]) -> None:
    with loaded() as session:
        for major in list_majors(session):
            primary = related_occupations(session, major.id, strength="primary")
            assert primary, major.code


def test_related_occupations_of_modern_logistics_management(loaded: sessionmaker[Session]) -> None:
    with loaded() as session:
        major = find_major(session, "associate", "530802")
        assert major is not None
        related = related_occupations(session, major.id)
        names = [o.name_zh for o in related]
        assert names[:2] == ["仓储管理员", "物流服务师"]  # primary first, by code
        assert "供应链管理师" in names
        warehouse = find_occupation(session, "4-02-06-01")
        courier = find_occupation(session, "4-02-07-11")
        assert warehouse is not None and courier is not None
        assert is_related(session, major.id, warehouse.id)
        assert not is_related(session, major.id, courier.id)


def test_links_are_editable(loaded: sessionmaker[Session]) -> None:
    with loaded() as session:
        major = find_major(session, "associate", "530802")
        courier = find_occupation(session, "4-02-07-11")
        assert major is not None and courier is not None
        link_major_occupation(session, major.id, courier.id, "related")
        session.commit()
        assert is_related(session, major.id, courier.id)
        link = link_major_occupation(session, major.id, courier.id, "primary")
        assert link.strength == "primary"
        assert unlink_major_occupation(session, major.id, courier.id)
        session.commit()
        assert not is_related(session, major.id, courier.id)
        assert not unlink_major_occupation(session, major.id, courier.id)
        with pytest.raises(TalentBridgeError):
            link_major_occupation(session, major.id, courier.id, "weak")
        with pytest.raises(NotFound):
            link_major_occupation(session, 999_999, courier.id)


def test_bad_occupation_rows_are_rejected(factory: sessionmaker[Session], tmp_path: Path) -> None:
    path = tmp_path / "occ.csv"
    path.write_text(
        "code,name_zh,name_en,group_code,description\n"
        "4-02-06-01,仓储管理员,Warehouse keeper,4-02-06,\n"
        "4-02-06,仓储人员,,,\n"
        "4-02-06-03,,Logistics service specialist,4-02-06,\n"
        "4-02-06-04,冷藏工,,4-02-07,\n"
        "4-02-06-01,别名,,4-02-06,\n",
        encoding="utf-8",
    )
    report = import_occupations(factory, path)
    assert (report.stored, report.rejected) == (1, 4)
    assert [(e.row_number, e.field) for e in report.errors] == [
        (3, "code"),
        (4, "name_zh"),
        (5, "group_code"),
        (6, "code"),
    ]


def test_links_to_unknown_majors_or_occupations_are_rejected(
    loaded: sessionmaker[Session], tmp_path: Path
) -> None:
    path = tmp_path / "links.csv"
    path.write_text(
        "major_level,major_code,occupation_code,strength\n"
        "associate,530802,4-02-07-08,related\n"
        "associate,999999,4-02-06-01,primary\n"
        "associate,530802,9-99-99-99,primary\n"
        "master,530802,4-02-06-01,primary\n"
        "associate,5308,4-02-06-01,primary\n"
        "associate,530802,4-02-07-09,strong\n",
        encoding="utf-8",
    )
    report = import_major_occupations(loaded, path)
    assert (report.stored, report.rejected) == (1, 5)
    fields = [(e.row_number, e.field) for e in report.errors]
    assert fields == [
        (3, "major_code"),
        (4, "occupation_code"),
        (5, "major_level"),
        (6, "major_code"),
        (7, "strength"),
    ]
    assert "unknown major" in report.errors[0].reason
    assert "unknown occupation" in report.errors[1].reason


def test_links_file_without_required_columns_fails_once(
    factory: sessionmaker[Session], tmp_path: Path
) -> None:
    path = tmp_path / "links.csv"
    path.write_text("major_code,strength\n530802,primary\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="major_level, occupation_code"):
        import_major_occupations(factory, path)
