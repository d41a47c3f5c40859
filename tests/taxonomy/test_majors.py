from __future__ import annotations

import csv
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from support import shared_file
from talentbridge.errors import InputFileError
from talentbridge.store.tables import ImportRun, Major, RejectedRow
from talentbridge.taxonomy.majors import (
    find_major,
    import_major_catalog,
    load_bundled_majors,
    parse_level,
)

HEADER = (
    "catalogCode,educationLevel,categoryCode,categoryName,classCode,className,"
    "majorCode,majorName,parentCode,itemLevel,source"
)
CAT = "MOE_VOCATIONAL_2021,VOCATIONAL_ASSOCIATE,53,财经商贸大类,,,53,财经商贸大类,,CATEGORY,x"
CLS = "MOE_VOCATIONAL_2021,VOCATIONAL_ASSOCIATE,53,财经商贸大类,5308,物流类,5308,物流类,53,CLASS,x"


def major_line(
    code: str, name: str, level: str = "VOCATIONAL_ASSOCIATE", item: str = "MAJOR"
) -> str:
    return f"MOE_VOCATIONAL_2021,{level},53,财经商贸大类,5308,物流类,{code},{name},5308,{item},x"


def write_catalog(path: Path, *lines: str) -> Path:
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def count(session: Session, table: type) -> int:
    return session.scalar(select(func.count()).select_from(table)) or 0


def test_full_catalog_imports_every_row_and_reimport_changes_nothing(
    factory: sessionmaker[Session], tmp_path: Path
) -> None:
    path = shared_file("majors/vocational-major-catalog-2021.csv")
    started = time.perf_counter()
    report = import_major_catalog(factory, path, rejects_dir=tmp_path)
    assert time.perf_counter() - started < 10
    assert (report.read, report.stored, report.rejected) == (1681, 1681, 0)
    assert report.balanced
    with factory() as session:
        per_level = dict(
            session.execute(
                select(Major.level, func.count())
                .where(Major.item_level == "major")
                .group_by(Major.level)
            ).all()
        )
        assert per_level == {"secondary": 358, "associate": 744, "bachelor": 247}
        logistics = find_major(session, "associate", "530802")
        assert logistics is not None and logistics.name_zh == "现代物流管理"
        assert logistics.class_name == "物流类" and logistics.category_code == "53"
        assert find_major(session, "VOCATIONAL_BACHELOR", "330702") is not None
        assert find_major(session, "secondary", "520101k") is None  # K majors are associate
        assert find_major(session, "associate", "520101k") is not None
        rows_before = count(session, Major)
    again = import_major_catalog(factory, path, rejects_dir=tmp_path)
    assert (again.read, again.stored, again.unchanged, again.rejected) == (1681, 0, 1681, 0)
    with factory() as session:
        assert count(session, Major) == rows_before == 1681
        runs = session.scalars(select(ImportRun).order_by(ImportRun.id)).all()
        assert [r.status for r in runs] == ["finished", "finished"]
        assert runs[0].rows_stored == 1681 and runs[1].rows_unchanged == 1681
        assert runs[0].file_sha256 == runs[1].file_sha256


def test_bundled_majors_cover_logistics_trade_and_ecommerce_at_three_levels(
    factory: sessionmaker[Session],
) -> None:
    report = load_bundled_majors(factory)
    assert report.rejected == 0 and 40 <= report.stored <= 70
    with factory() as session:
        for level, code, name in [
            ("secondary", "730801", "物流服务与管理"),
            ("secondary", "730702", "跨境电子商务"),
            ("associate", "530802", "现代物流管理"),
            ("associate", "530503", "关务与外贸服务"),
            ("associate", "530809", "智能物流技术"),
            ("bachelor", "330802", "现代物流管理"),
            ("bachelor", "330702", "跨境电子商务"),
        ]:
            major = find_major(session, level, code)
            assert major is not None and major.name_zh == name
            assert major.name_en
    assert load_bundled_majors(factory).unchanged == report.stored


def test_bundled_majors_agree_with_the_full_catalog(factory: sessionmaker[Session]) -> None:
    bundled = load_bundled_majors(factory)
    path = shared_file("majors/vocational-major-catalog-2021.csv")
    full = import_major_catalog(factory, path, rejects_beside_input=False)
    assert full.unchanged == bundled.stored  # same codes, same names
    assert full.stored == 1681 - bundled.stored
    with factory() as session:
        major = find_major(session, "associate", "530802")
        assert major is not None and major.name_en == "Modern Logistics Management"


def test_bad_rows_are_rejected_with_row_field_and_reason_everywhere(
    factory: sessionmaker[Session], tmp_path: Path
) -> None:
    path = write_catalog(
        tmp_path / "catalog.csv",
        CAT,  # row 2
        CLS,  # row 3
        major_line("530802", "现代物流管理"),  # row 4: good
        major_line("530802", "现代物流管理"),  # row 5: identical duplicate
        major_line("530802", "别的名字"),  # row 6: conflicting duplicate
        major_line("5308021", "太长"),  # row 7: bad code shape
        major_line("530803", "航空物流管理", level="VOCATIONAL_MASTER"),  # row 8
        major_line("530804", "铁路物流管理", item="SUBJECT"),  # row 9
        "MOE_VOCATIONAL_2021,VOCATIONAL_ASSOCIATE,53,财经商贸大类,5308,物流类,530805,冷链,5307,MAJOR,x",
        major_line("530806", "港口物流管理", level="VOCATIONAL_SECONDARY"),  # row 11: 53 not 7x
        major_line("530807", ""),  # row 12: empty name
    )
    report = import_major_catalog(factory, path)
    assert report.read == 11
    assert (report.stored, report.duplicates, report.rejected) == (3, 1, 7)
    assert report.balanced
    by_row = {e.row_number: e for e in report.errors}
    assert sorted(by_row) == [6, 7, 8, 9, 10, 11, 12]
    assert by_row[6].field == "majorCode" and "duplicate" in by_row[6].reason
    assert by_row[7].field == "majorCode" and "6 digits" in by_row[7].reason
    assert by_row[8].field == "educationLevel"
    assert by_row[9].field == "itemLevel"
    assert by_row[10].field == "parentCode"
    assert by_row[11].field == "majorCode" and "secondary" in by_row[11].reason
    assert by_row[12].field == "majorName"
    with factory() as session:
        stored = session.scalars(select(RejectedRow).order_by(RejectedRow.row_number)).all()
        assert [r.row_number for r in stored] == [6, 7, 8, 9, 10, 11, 12]
        assert stored[0].raw is not None and stored[0].raw["majorName"] == "别的名字"
        assert count(session, Major) == 3
    rejects = tmp_path / "catalog.rejects.csv"
    assert report.rejects_path == rejects
    with rejects.open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.DictReader(handle))
    assert [line["_row"] for line in lines] == ["6", "7", "8", "9", "10", "11", "12"]
    assert lines[1]["_field"] == "majorCode" and lines[1]["majorCode"] == "5308021"
    assert all(line["_reason"] for line in lines)


def test_child_without_parent_in_file_or_store_is_rejected(
    factory: sessionmaker[Session], tmp_path: Path
) -> None:
    path = write_catalog(tmp_path / "orphan.csv", major_line("530802", "现代物流管理"))
    report = import_major_catalog(factory, path)
    assert report.rejected == 1 and report.errors[0].field == "parentCode"
    load_bundled_majors(factory)  # now the parents are stored
    assert import_major_catalog(factory, path).unchanged == 1


def test_missing_columns_are_one_error_listing_them_and_record_no_run(
    factory: sessionmaker[Session], tmp_path: Path
) -> None:
    path = tmp_path / "short.csv"
    path.write_text("educationLevel,majorCode,majorName\nVOCATIONAL_ASSOCIATE,53,x\n", "utf-8")
    with pytest.raises(InputFileError) as info:
        import_major_catalog(factory, path)
    for column in ("categoryCode", "parentCode", "itemLevel"):
        assert column in info.value.reason
    with factory() as session:
        assert count(session, ImportRun) == 0


def test_undecodable_file_is_one_error(factory: sessionmaker[Session], tmp_path: Path) -> None:
    path = tmp_path / "binary.csv"
    path.write_bytes(HEADER.encode() + b"\n\xff\xfe\x80\x81\xff\n")
    with pytest.raises(InputFileError, match="encoding"):
        import_major_catalog(factory, path)


def test_gb18030_catalog_file_is_read(factory: sessionmaker[Session], tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes(
        ("\n".join([HEADER, CAT, CLS, major_line("530802", "现代物流管理")]) + "\n").encode(
            "gb18030"
        )
    )
    assert import_major_catalog(factory, path).stored == 3


def test_changed_name_updates_the_row_and_counts_as_stored(
    factory: sessionmaker[Session], tmp_path: Path
) -> None:
    write_catalog(tmp_path / "a.csv", CAT, CLS, major_line("530802", "现代物流管理"))
    import_major_catalog(factory, tmp_path / "a.csv")
    write_catalog(tmp_path / "a.csv", CAT, CLS, major_line("530802", "现代物流管理（新）"))
    report = import_major_catalog(factory, tmp_path / "a.csv")
    assert (report.stored, report.unchanged) == (1, 2)
    with factory() as session:
        major = find_major(session, "associate", "530802")
        assert major is not None and major.name_zh == "现代物流管理（新）"
        assert count(session, Major) == 3


def test_rejects_file_goes_to_the_rejects_folder_when_beside_input_fails(
    factory: sessionmaker[Session], tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    path = write_catalog(inbox / "c.csv", CAT, major_line("530802", "x", item="BAD"))
    (inbox / "c.rejects.csv").mkdir()  # cannot be opened as a file
    rejects_dir = tmp_path / "rejects"
    report = import_major_catalog(factory, path, rejects_dir=rejects_dir)
    assert report.rejects_path == rejects_dir / "c.rejects.csv"
    assert report.rejects_path.read_text("utf-8-sig").count("\n") == 2


def test_a_clean_rerun_removes_the_stale_rejects_file(
    factory: sessionmaker[Session], tmp_path: Path
) -> None:
    path = write_catalog(tmp_path / "c.csv", CAT, major_line("530802", "x", item="BAD"))
    assert import_major_catalog(factory, path).rejects_path is not None
    write_catalog(tmp_path / "c.csv", CAT)
    assert import_major_catalog(factory, path).rejects_path is None
    assert not (tmp_path / "c.rejects.csv").exists()


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("VOCATIONAL_SECONDARY", "secondary"),
        ("associate", "associate"),
        ("高职专科", "associate"),
        ("职业本科", "bachelor"),
        ("中职", "secondary"),
        ("master", None),
    ],
)
def test_parse_level_accepts_codes_identifiers_and_chinese(text: str, level: str | None) -> None:
    assert parse_level(text) == level
