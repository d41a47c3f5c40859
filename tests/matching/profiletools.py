"""A small store for profile tests: two colleges, a major with a direction and a plan,
students with users, the bundled taxonomy and occupations (importable as ``profiletools``)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.accounts.policy import Principal
from talentbridge.accounts.roles import Role
from talentbridge.store.tables import (
    CollegeMajor,
    Concept,
    Direction,
    Organization,
    Profile,
    User,
)
from talentbridge.store.teaching_tables import Course, CourseConcept, TrainingPlan
from talentbridge.taxonomy.concepts import load_bundled_taxonomy
from talentbridge.taxonomy.majors import find_major, load_bundled_majors
from talentbridge.taxonomy.occupations import load_bundled_occupations


@dataclass(frozen=True)
class World:
    college_id: int
    other_college_id: int
    enterprise_id: int
    profile_id: int  # 张伟, student of the college, user ``student``
    other_profile_id: int  # 李娜, student of the other college, no user
    student: Principal
    college_admin: Principal
    other_admin: Principal
    teacher: Principal
    recruiter: Principal
    platform_admin: Principal
    course_id: int  # 报关实务 in the direction's plan
    fcl_concept_id: int  # a concept the course teaches


def _user(session: Session, name: str, role: Role, org: int | None) -> Principal:
    user = User(username=name, display_name=name, password_hash="x", role=role.value,
                organization_id=org)  # fmt: skip
    session.add(user)
    session.flush()
    return Principal(user_id=user.id, role=role, organization_id=org)


def concept_id(session: Session, key: str) -> int:
    found = session.scalars(select(Concept.id).where(Concept.key == key)).first()
    assert found is not None, key
    return found


def build_world(factory: sessionmaker[Session]) -> World:
    load_bundled_majors(factory)
    load_bundled_taxonomy(factory)
    load_bundled_occupations(factory)
    with factory() as session:
        college = Organization(code="C1", kind="college", name_zh="示例·一号学院")
        other = Organization(code="C2", kind="college", name_zh="示例·二号学院")
        enterprise = Organization(code="E1", kind="enterprise", name_zh="示例·物流公司")
        session.add_all([college, other, enterprise])
        session.flush()
        major = find_major(session, "associate", "530802")
        assert major is not None
        cm = CollegeMajor(organization_id=college.id, major_id=major.id)
        cm2 = CollegeMajor(organization_id=other.id, major_id=major.id)
        session.add_all([cm, cm2])
        session.flush()
        direction = Direction(college_major_id=cm.id, name_zh="跨境电商")
        session.add(direction)
        session.flush()
        plan = TrainingPlan(college_major_id=cm.id, direction_id=direction.id,
                            direction_key=direction.id, year=2023)  # fmt: skip
        session.add(plan)
        session.flush()
        course = Course(training_plan_id=plan.id, name="报关实务（一）")
        session.add(course)
        session.flush()
        fcl = concept_id(session, "tb.freight.sea.fcl")
        session.add(CourseConcept(course_id=course.id, concept_id=fcl))
        student = _user(session, "student", Role.STUDENT, college.id)
        profile = Profile(organization_id=college.id, user_id=student.user_id,
                          college_major_id=cm.id, direction_id=direction.id,
                          student_no="2023010001", name="张伟", phone="19900001234",
                          email="s1@example.edu.cn", graduation_year=2026)  # fmt: skip
        other_profile = Profile(organization_id=other.id, college_major_id=cm2.id,
                                student_no="2022020001", name="李娜", graduation_year=2025,
                                phone="19900004321")  # fmt: skip
        session.add_all([profile, other_profile])
        session.flush()
        world = World(
            college_id=college.id,
            other_college_id=other.id,
            enterprise_id=enterprise.id,
            profile_id=profile.id,
            other_profile_id=other_profile.id,
            student=student,
            college_admin=_user(session, "admin1", Role.COLLEGE_ADMIN, college.id),
            other_admin=_user(session, "admin2", Role.COLLEGE_ADMIN, other.id),
            teacher=_user(session, "teacher", Role.TEACHER, college.id),
            recruiter=_user(session, "recruiter", Role.RECRUITER, enterprise.id),
            platform_admin=_user(session, "root", Role.PLATFORM_ADMIN, None),
            course_id=course.id,
            fcl_concept_id=fcl,
        )
        session.commit()
    return world
