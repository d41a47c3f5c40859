"""Placement import: the confirmation step, GB18030 CSV, XLSX, English headers, a mapping
file, and who may import for which college."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from placementtools import PLACEMENT_HEADER, build_store, write
from talentbridge.accounts.principal import Principal
from talentbridge.accounts.roles import Role
from talentbridge.errors import Forbidden, InputFileError
from talentbridge.outcomes.placement_columns import parse_destination
from talentbridge.outcomes.placement_import import confirm_placements, import_placements
from talentbridge.outcomes.placement_rows import place_of
from talentbridge.store.outcomes_tables import Placement
from talentbridge.store.tables import Organization, Profile

TODAY = dt.date(2026, 11, 29)


@pytest.fixture()
def store(factory: sessionmaker[Session], tmp_path: Path) -> sessionmaker[Session]:
    build_store(factory, tmp_path)
    return factory


def _by_student(factory: sessionmaker[Session]) -> dict[str, Placement]:
    with factory() as session:
        rows = session.execute(
            select(Profile.student_no, Placement).join(
                Placement, Placement.profile_id == Profile.id
            )
        ).all()
        return {no: placement for no, placement in rows}


NAME_ONLY = f"""
{PLACEMENT_HEADER}
,张伟,530802,,2025,签就业协议,示例·川渝物流有限公司,仓储员,,成都,6000,2025-07-01,是
,刘洋,530503,,2024,升学,四川某大学,,,,,,
S002,李娜,530802,,2025,待就业,,,,,,,
"""


def test_a_name_only_match_waits_for_confirmation(
    store: sessionmaker[Session], tmp_path: Path
) -> None:
    path = write(tmp_path / "names.csv", NAME_ONLY)
    report = import_placements(store, path, college_code="C1", today=TODAY)
    assert (report.created, report.rejected) == (1, 2)
    assert [(p.row_number, p.candidate.student_no) for p in report.pending] == [
        (2, "S001"),
        (3, "S005"),
    ]
    assert all("needs confirmation" in e.reason for e in report.errors)
    assert set(_by_student(store)) == {"S002"}  # nothing matched by name alone
    again = import_placements(store, path, college_code="C1", today=TODAY)
    assert (again.created, again.unchanged, len(again.pending)) == (0, 1, 2)
    confirmed = confirm_placements(store, path, [2], college_code="C1", today=TODAY)
    assert (confirmed.created, confirmed.unchanged, confirmed.rejected) == (1, 1, 1)
    assert [p.row_number for p in confirmed.pending] == [3]
    placements = _by_student(store)
    assert placements["S001"].destination == "employed" and "S005" not in placements
    # confirming again changes nothing; nor does the file without --confirm, once stored
    assert confirm_placements(store, path, [2], college_code="C1", today=TODAY).unchanged == 2
    plain = import_placements(store, path, college_code="C1", today=TODAY)
    assert (plain.stored, plain.unchanged, [p.row_number for p in plain.pending]) == (0, 2, [3])
    # a changed name-only row needs confirming again
    write(path, NAME_ONLY.replace(",6000,", ",6600,"))
    changed = import_placements(store, path, college_code="C1", today=TODAY)
    assert (changed.stored, [p.row_number for p in changed.pending]) == (0, [2, 3])
    assert _by_student(store)["S001"].salary_monthly == 6000


def test_gb18030_csv_is_read(store: sessionmaker[Session], tmp_path: Path) -> None:
    text = f"{PLACEMENT_HEADER},示例数据\nS001,张伟,530802,现代物流管理,2025,自主创业,张伟跨境电商工作室,店主,,成都市双流区,1.2万,2025-09-01,否,示例"
    path = write(tmp_path / "gb.csv", text, encoding="gb18030")
    report = import_placements(store, path, college_code="C1", today=TODAY)
    assert (report.created, report.rejected) == (1, 0), report.errors
    zhang = _by_student(store)["S001"]
    assert (zhang.destination, zhang.employer_name, zhang.salary_monthly) == (
        "self_employed", "张伟跨境电商工作室", 12000,
    )  # fmt: skip
    assert zhang.division_code == "510116" and zhang.is_sample


def test_xlsx_with_english_headers_and_real_dates(
    store: sessionmaker[Session], tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["college_code", "student_no", "name", "major_code", "graduation_year", "destination",
                  "employer", "job_title", "occupation_code", "place", "salary", "start_date", "contract_signed"])  # fmt: skip
    sheet.append(["C1", "S003", "王芳", "530503", 2025, "employed", "示例·川渝物流有限公司", "Sales",
                  "2-06-07-05", "Chongqing", 5800, dt.datetime(2025, 7, 15), "yes"])  # fmt: skip
    sheet.append(
        ["C1", "S004", "刘洋", "530802", 2025, "flexible employment", "", "", "", "", "", "", ""]
    )
    sheet.append(["C1", "S002", "李娜", "530802", 2025, "Not employed", "", "", "", "", -1, "", ""])
    path = tmp_path / "placements.xlsx"
    book.save(path)
    report = import_placements(store, path, today=TODAY)
    assert (report.created, report.rejected) == (2, 1)
    assert report.errors[0].field == "salary" and report.errors[0].row_number == 4
    placements = _by_student(store)
    wang = placements["S003"]
    assert (wang.destination, wang.start_date, wang.contract_signed) == (
        "employed",
        dt.date(2025, 7, 15),
        True,
    )
    assert (wang.division_code, wang.salary_monthly) == ("500000", 5800)
    assert placements["S004"].destination == "flexible"


def test_mapping_file_names_other_headers(store: sessionmaker[Session], tmp_path: Path) -> None:
    mapping = tmp_path / "cols.json"
    mapping.write_text(
        json.dumps(
            {
                "columns": {
                    "编号": "student_no",
                    "去处": "destination",
                    "公司": "employer",
                    "备注": "extra",
                }
            }
        ),
        encoding="utf-8",
    )
    path = write(
        tmp_path / "odd.csv", "编号,去处,公司,备注\nS001,签劳动合同,示例·川渝物流有限公司,无"
    )
    with pytest.raises(InputFileError, match="毕业去向"):
        import_placements(store, path, college_code="C1", today=TODAY)
    report = import_placements(store, path, college_code="C1", mapping=mapping, today=TODAY)
    assert (report.created, report.rejected) == (1, 0)
    assert _by_student(store)["S001"].employer_name == "示例·川渝物流有限公司"
    bad = tmp_path / "bad.toml"
    bad.write_text('[columns]\n"编号" = "shoe_size"\n', encoding="utf-8")
    with pytest.raises(InputFileError, match="unknown placement field"):
        import_placements(store, path, college_code="C1", mapping=bad, today=TODAY)


def _principal(factory: sessionmaker[Session], role: Role, org_code: str | None) -> Principal:
    with factory() as session:
        org_id = (
            session.scalars(select(Organization.id).where(Organization.code == org_code)).one()
            if org_code
            else None
        )
    return Principal(user_id=1, role=role, organization_id=org_id)


def test_a_college_admin_imports_for_their_own_college_only(
    store: sessionmaker[Session], tmp_path: Path
) -> None:
    path = write(
        tmp_path / "p.csv",
        f"院校代码,{PLACEMENT_HEADER}\nC1,S002,李娜,530802,,2025,待就业,,,,,,,\nC2,T001,陈静,530702,,2025,升学,某大学,,,,,,",
    )
    admin = _principal(store, Role.COLLEGE_ADMIN, "C1")
    report = import_placements(store, path, principal=admin, today=TODAY)
    assert (report.created, report.rejected) == (1, 1)
    assert "C1 only" in report.errors[0].reason
    with pytest.raises(Forbidden):
        import_placements(store, path, principal=admin, college_code="C2", today=TODAY)
    for role, org in ((Role.TEACHER, "C1"), (Role.ANALYST, None), (Role.RECRUITER, "E1")):
        with pytest.raises(Forbidden):
            import_placements(store, path, principal=_principal(store, role, org), today=TODAY)
    platform = _principal(store, Role.PLATFORM_ADMIN, None)
    everything = import_placements(store, path, principal=platform, today=TODAY)
    assert (everything.created, everything.unchanged, everything.rejected) == (1, 1, 0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("成都市双流区", ("510116", True, False)),
        ("重庆", ("500000", True, False)),
        ("广东省深圳市", ("440300", False, False)),
        ("香港", (None, False, True)),
        ("美国 国外", (None, False, True)),
        ("火星", (None, None, False)),
        ("", (None, None, False)),
    ],
)
def test_places(text: str, expected: tuple[str | None, bool | None, bool]) -> None:
    assert place_of(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("签就业协议形式就业", ("employed", False)),
        ("科研助理", ("employed", False)),
        ("专升本", ("further_study", False)),
        ("出国出境留学", ("further_study", True)),
        ("Further Study", ("further_study", False)),
        ("应征义务兵", ("enlisted", False)),
        ("自主创业", ("self_employed", False)),
        ("自由职业", ("flexible", False)),
        ("灵活就业", ("flexible", False)),
        ("暂不就业", ("not_employed", False)),
        ("not employed", ("not_employed", False)),
        ("去火星", None),
    ],
)
def test_destinations(text: str, expected: tuple[str, bool] | None) -> None:
    assert parse_destination(text) == expected
