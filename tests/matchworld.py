"""Small stores for the matching engine tests: a college with two majors, occupations
with the 对口 relation, a few concepts, postings (``demandtools.add_posting``) and
profiles with skills, wishes and consent (importable as ``matchworld``)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from sqlalchemy.orm import Session

from demandtools import add_occupation, add_posting, add_taxonomy
from talentbridge.store.matching_tables import ProfileConcept, ProfileWish
from talentbridge.store.tables import (
    CollegeMajor,
    Major,
    MajorOccupation,
    Organization,
    Posting,
    Profile,
)

_serial = itertools.count(1)

SKILLS = ("报关", "订舱", "仓储管理", "叉车", "跨境电商", "数据分析", "英语", "冷链")


class World:
    """ids of what ``build`` made: ``concepts[label]``, ``occupations[name]``, majors."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.concepts = add_taxonomy(session, SKILLS)
        self.occupations = {
            name: add_occupation(session, code, name)
            for code, name in (("4-01-01-01", "报关员"), ("4-02-01-01", "仓储员"), ("2-02-01-01", "数据分析员"))
        }  # fmt: skip
        self.college_major: dict[int, int] = {}
        self.college_id = _org(session, "college")
        self.enterprise_id = _org(session, "enterprise")
        self.logistics = self.major("530802", "现代物流管理", "associate")
        self.data = self.major("510205", "大数据技术", "bachelor")
        self.link(self.logistics, "报关员", "primary")
        self.link(self.logistics, "仓储员", "related")
        self.link(self.data, "数据分析员", "primary")
        session.flush()

    def major(self, code: str, name: str, level: str) -> int:
        major = Major(
            level=level, item_level="major", code=code, name_zh=name, name_en=name,
            category_code=code[:2], category_name="类",
        )  # fmt: skip
        self.session.add(major)
        self.session.flush()
        cm = CollegeMajor(organization_id=self.college_id, major_id=major.id)
        self.session.add(cm)
        self.session.flush()
        self.college_major[major.id] = cm.id
        return major.id

    def link(self, major_id: int, occupation: str, strength: str) -> None:
        self.session.add(
            MajorOccupation(
                major_id=major_id, occupation_id=self.occupations[occupation], strength=strength
            )
        )

    def posting(
        self,
        title: str,
        required: Sequence[str] = (),
        preferred: Sequence[str] = (),
        *,
        occupation: str | None = None,
        place: str = "510107",
        salary: tuple[int, int] | None = (6000, 8000),
        education: int | None = 4,
        month: str = "2025-03",
        flags: int = 0,
        requirements: str = "",
    ) -> int:
        concepts = [(self.concepts[c], "required", False) for c in required]
        concepts += [(self.concepts[c], "preferred", False) for c in preferred]
        pid = add_posting(
            self.session,
            title=title,
            concepts=concepts,
            occupation_id=self.occupations[occupation] if occupation else None,
            place=place,
            salary=salary,
            education_level=education,
            month=month,
        )
        posting = self.session.get(Posting, pid)
        assert posting is not None
        posting.flag_count = flags
        posting.requirements = requirements
        posting.organization_id = self.enterprise_id
        self.session.flush()
        return pid

    def profile(
        self,
        skills: Sequence[str] = (),
        *,
        major: int | None = None,
        graduation_year: int = 2026,
        visible: bool = True,
        opt_out: bool = False,
        cities: Sequence[str] = (),
        salary_floor: int | None = None,
        occupations: Sequence[str] = (),
        relocate: bool = True,
        summary: str = "",
    ) -> int:
        n = next(_serial)
        profile = Profile(
            organization_id=self.college_id,
            college_major_id=self.college_major[major if major is not None else self.logistics],
            student_no=f"S{n:06d}",
            name=f"学生{n}",
            graduation_year=graduation_year,
            visible_to_employers=visible,
            ranking_opt_out=opt_out,
        )
        self.session.add(profile)
        self.session.flush()
        for skill in skills:
            self.session.add(
                ProfileConcept(
                    profile_id=profile.id, concept_id=self.concepts[skill], source="self"
                )
            )
        self.session.add(
            ProfileWish(
                profile_id=profile.id,
                city_codes=list(cities),
                salary_min=salary_floor,
                occupation_ids=[self.occupations[o] for o in occupations],
                willing_to_relocate=relocate,
                summary=summary,
            )
        )
        self.session.flush()
        return profile.id


def _org(session: Session, kind: str) -> int:
    n = next(_serial)
    org = Organization(code=f"{kind[0].upper()}{n}", kind=kind, name_zh=f"示例{kind}{n}")
    session.add(org)
    session.flush()
    return org.id
