from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.errors import InputFileError
from talentbridge.registry.exports import export_majors, export_occupations, export_organizations
from talentbridge.registry.organizations import import_organizations
from talentbridge.taxonomy.majors import import_major_catalog, load_bundled_majors
from talentbridge.taxonomy.occupations import import_occupations, load_bundled_occupations

ORGS = (
    "code,kind,name_zh,name_en,city,district,address\n"
    "C001,college,成都示例职业技术学院,Chengdu Sample College,成都,郫都区,德源大道1号\n"
    "E001,enterprise,重庆示例物流有限公司,,重庆,渝北区,\n"
    "G001,authority,示例教育厅,,,,\n"
)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_exports_round_trip_through_the_importers_unchanged(
    factory: sessionmaker[Session], tmp_path: Path, suffix: str
) -> None:
    source = tmp_path / "orgs.csv"
    source.write_text(ORGS, encoding="utf-8")
    import_organizations(factory, source)
    load_bundled_majors(factory)
    load_bundled_occupations(factory)
    out = tmp_path / "out"
    with factory() as session:
        assert export_organizations(session, out / f"orgs{suffix}") == 3
        majors = export_majors(session, out / f"majors{suffix}")
        occupations = export_occupations(session, out / f"occupations{suffix}")
    assert majors >= 40 and occupations >= 35
    orgs = import_organizations(factory, out / f"orgs{suffix}")
    assert (orgs.read, orgs.unchanged, orgs.rejected) == (3, 3, 0)
    major_report = import_major_catalog(factory, out / f"majors{suffix}")
    assert (major_report.read, major_report.unchanged, major_report.rejected) == (majors, majors, 0)
    occ = import_occupations(factory, out / f"occupations{suffix}")
    assert (occ.read, occ.unchanged, occ.rejected) == (occupations, occupations, 0)


def test_export_refuses_unknown_suffix(session: Session, tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match=r"\.csv or \.xlsx"):
        export_organizations(session, tmp_path / "orgs.json")
