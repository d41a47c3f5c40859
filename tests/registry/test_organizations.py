from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.errors import Conflict, InputFileError, TalentBridgeError
from talentbridge.registry.organizations import (
    create_organization,
    find_organization,
    import_organizations,
    list_organizations,
)
from talentbridge.store.tables import Organization, RejectedRow

GOOD = (
    "code,kind,name_zh,name_en,city,district,address\n"
    "C001,college,成都示例职业技术学院,Chengdu Sample Vocational College,成都,郫都区,德源大道1号\n"
    "E001,企业,重庆示例物流有限公司,,重庆,渝北区,\n"
    "A001,association,成渝物流行业协会,,510100,,\n"
    "G001,主管部门,示例教育厅,,,,\n"
    "E002,enterprise,两江示例供应链公司,,重庆,两江新区,\n"
)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Organization)) or 0


def test_organizations_import_resolves_places_and_is_idempotent(
    factory: sessionmaker[Session], tmp_path: Path
) -> None:
    path = write(tmp_path / "orgs.csv", GOOD)
    report = import_organizations(factory, path)
    assert (report.read, report.stored, report.rejected) == (5, 5, 0)
    with factory() as session:
        college = find_organization(session, "C001")
        assert college is not None
        assert (college.kind, college.city_code, college.district_code) == (
            "college",
            "510100",
            "510117",
        )
        company = find_organization(session, "E001")
        assert company is not None
        assert (company.kind, company.city_code, company.district_code) == (
            "enterprise",
            "500000",
            "500112",
        )
        lianjiang = find_organization(session, "E002")
        assert lianjiang is not None and lianjiang.district_code == "500112"
        authority = find_organization(session, "G001")
        assert authority is not None and authority.kind == "authority"
        assert authority.city_code is None
        assert [o.code for o in list_organizations(session, "enterprise")] == ["E001", "E002"]
    again = import_organizations(factory, path)
    assert (again.stored, again.unchanged) == (0, 5)
    with factory() as session:
        assert count(session) == 5


def test_bad_organization_rows_are_rejected_with_reasons(
    factory: sessionmaker[Session], tmp_path: Path
) -> None:
    path = write(
        tmp_path / "orgs.csv",
        "code,kind,name_zh,city,district\n"
        "C001,college,好学院,成都,武侯区\n"
        "C002,school district,坏类型,成都,\n"
        "C003,college,未知城市,火星,\n"
        "C004,college,区不在市内,成都,渝北区\n"
        ",college,无代码,成都,\n"
        "C005,college,,成都,\n"
        "C006,college,省不是市,四川,\n"
        "C001,college,重复但不同,成都,\n",
    )
    report = import_organizations(factory, path)
    assert report.stored == 1 and report.rejected == 7 and report.balanced
    assert [(e.row_number, e.field) for e in report.errors] == [
        (3, "kind"),
        (4, "city"),
        (5, "district"),
        (6, "code"),
        (7, "name_zh"),
        (8, "city"),
        (9, "code"),
    ]
    assert "火星" in report.errors[1].reason
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(RejectedRow)) == 7
    assert report.rejects_path == tmp_path / "orgs.rejects.csv"
    with report.rejects_path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["code"] == "C002" and rows[0]["_field"] == "kind"


def test_organizations_from_xlsx(factory: sessionmaker[Session], tmp_path: Path) -> None:
    path = tmp_path / "orgs.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["code", "kind", "name_zh", "city", "district"])
    sheet.append(["C010", "院校", "重庆示例职业学院", "Chongqing", "Shapingba District"])
    workbook.save(path)
    assert import_organizations(factory, path).stored == 1
    with factory() as session:
        college = find_organization(session, "C010")
        assert college is not None and college.district_code == "500106"


def test_missing_columns_fail_once(factory: sessionmaker[Session], tmp_path: Path) -> None:
    path = write(tmp_path / "orgs.csv", "code,name\nC1,x\n")
    with pytest.raises(InputFileError, match="kind, name_zh"):
        import_organizations(factory, path)


def test_changed_name_is_updated(factory: sessionmaker[Session], tmp_path: Path) -> None:
    path = write(tmp_path / "orgs.csv", GOOD)
    import_organizations(factory, path)
    write(path, GOOD.replace("成渝物流行业协会", "成渝地区物流行业协会"))
    report = import_organizations(factory, path)
    assert (report.stored, report.unchanged) == (1, 4)


def test_create_organization_refuses_taken_codes_and_bad_kinds(session: Session) -> None:
    created = create_organization(
        session, code="C1", kind="院校", name_zh="示例学院", city_code="510100", is_sample=True
    )
    assert created.id and created.kind == "college" and created.is_sample
    with pytest.raises(Conflict):
        create_organization(session, code="C1", kind="college", name_zh="另一个")
    with pytest.raises(TalentBridgeError):
        create_organization(session, code="C2", kind="club", name_zh="x")
    with pytest.raises(TalentBridgeError):
        create_organization(session, code="C3", kind="college", name_zh="x", city_code="999999")
