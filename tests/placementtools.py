"""A small store for the placement tests (importable as ``placementtools``): two colleges
(C1 offers 530802 with the direction 跨境电商 and 530503; C2 offers 530702), an
enterprise E1, the bundled majors and occupations, and five graduates imported with the
real profile importer."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from talentbridge.matching.profiles import import_profiles
from talentbridge.registry.offerings import import_college_majors
from talentbridge.registry.organizations import import_organizations
from talentbridge.taxonomy.majors import load_bundled_majors
from talentbridge.taxonomy.occupations import load_bundled_occupations

PLACEMENT_HEADER = (
    "学号,姓名,专业代码,专业名称,毕业年份,毕业去向,单位名称,岗位名称,职业代码,工作地点,"
    "月薪,入职日期,是否签约"
)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text.strip() + "\n", encoding=encoding)
    return path


def build_store(factory: sessionmaker[Session], tmp_path: Path) -> None:
    load_bundled_majors(factory)
    load_bundled_occupations(factory)
    orgs = write(
        tmp_path / "orgs.csv",
        """
code,kind,name_zh,city,district
C1,college,示例·一号学院,成都市,双流区
C2,college,示例·二号学院,重庆市,渝北区
E1,enterprise,示例·川渝物流有限公司,成都市,武侯区
""",
    )
    assert import_organizations(factory, orgs).rejected == 0
    offers = write(
        tmp_path / "offers.csv",
        """
college_code,major_level,major_code,direction_zh,direction_en,start_year
C1,associate,530802,,,2010
C1,associate,530802,跨境电商,Cross-border E-commerce,2023
C1,associate,530503,,,2012
C2,associate,530702,,,2018
""",
    )
    assert import_college_majors(factory, offers).rejected == 0
    students = write(
        tmp_path / "students.csv",
        """
college_code,student_no,name,major_level,major_code,direction_zh,graduation_year
C1,S001,张伟,associate,530802,跨境电商,2025
C1,S002,李娜,associate,530802,,2025
C1,S003,王芳,associate,530503,,2025
C1,S004,刘洋,associate,530802,,2025
C1,S005,刘洋,associate,530503,,2024
C2,T001,陈静,associate,530702,,2025
""",
    )
    assert import_profiles(factory, students).rejected == 0
