"""Web fixtures: an app over the migrated test store, a client, and a small world of
organizations, users of every role and student profiles."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from webtools import PASSWORD, World

from talentbridge.accounts.passwords import hash_password
from talentbridge.config import Settings
from talentbridge.store.tables import (
    Cohort,
    CollegeMajor,
    Major,
    Occupation,
    Organization,
    Profile,
    User,
)
from talentbridge.web.app import create_app


@pytest.fixture(scope="session")
def password_hash() -> str:
    """Hashed once: argon2 is deliberately slow."""
    return hash_password(PASSWORD)


@pytest.fixture()
def world(session: Session, password_hash: str) -> World:
    orgs = {
        "college_a": Organization(
            code="COL-A",
            kind="college",
            name_zh="成都甲职业技术学院",
            name_en="Chengdu A Vocational College",
        ),
        "college_b": Organization(
            code="COL-B",
            kind="college",
            name_zh="重庆乙职业学院",
            name_en="Chongqing B Vocational College",
        ),
        "enterprise": Organization(code="ENT-1", kind="enterprise", name_zh="蓉欧示例物流有限公司"),
        "association": Organization(code="ASSOC-1", kind="association", name_zh="示例物流行业协会"),
    }
    session.add_all(orgs.values())
    session.flush()
    roles = {
        "platform": ("platform_admin", None),
        "admin_a": ("college_admin", "college_a"),
        "teacher_a": ("teacher", "college_a"),
        "student_a": ("student", "college_a"),
        "admin_b": ("college_admin", "college_b"),
        "recruiter": ("recruiter", "enterprise"),
        "analyst": ("analyst", "association"),
    }
    users = {
        name: User(
            username=name,
            display_name=f"用户{name}",
            password_hash=password_hash,
            role=role,
            organization_id=orgs[org].id if org else None,
            locale="zh",
        )
        for name, (role, org) in roles.items()
    }
    session.add_all(users.values())
    major = Major(
        level="associate",
        item_level="major",
        code="530802",
        name_zh="现代物流管理",
        name_en="Modern Logistics Management",
        category_code="53",
        category_name="财经商贸大类",
    )
    session.add(major)
    session.add(
        Occupation(code="4-02-06-03", name_zh="物流服务师", name_en="Logistics Service Technician")
    )
    session.flush()
    cm_a = CollegeMajor(organization_id=orgs["college_a"].id, major_id=major.id)
    cm_b = CollegeMajor(organization_id=orgs["college_b"].id, major_id=major.id)
    session.add_all([cm_a, cm_b])
    session.flush()
    session.add_all(
        [
            Cohort(college_major_id=cm_a.id, direction_key=0, year=2022, enrolled=120, graduated=0),
            Cohort(college_major_id=cm_a.id, direction_key=0, year=2023, enrolled=150, graduated=0),
            Cohort(college_major_id=cm_b.id, direction_key=0, year=2023, enrolled=90, graduated=80),
        ]
    )
    profiles = {
        "student_a": Profile(
            organization_id=orgs["college_a"].id,
            user_id=users["student_a"].id,
            college_major_id=cm_a.id,
            student_no="A001",
            name="张小明",
            phone="13800000001",
            email="zxm@example.cn",
            graduation_year=2025,
            visible_to_employers=False,
        ),
        "private_a": Profile(
            organization_id=orgs["college_a"].id,
            student_no="A002",
            name="李秘密",
            phone="13800000002",
            graduation_year=2025,
            visible_to_employers=False,
        ),
        "consent_b": Profile(
            organization_id=orgs["college_b"].id,
            college_major_id=cm_b.id,
            student_no="B001",
            name="王公开",
            phone="13900000003",
            email="wgk@example.cn",
            graduation_year=2024,
            visible_to_employers=True,
        ),
        "private_b": Profile(
            organization_id=orgs["college_b"].id,
            student_no="B002",
            name="赵隐私",
            phone="13900000004",
            graduation_year=2024,
            visible_to_employers=False,
        ),
    }
    session.add_all(profiles.values())
    session.commit()
    return World(orgs=orgs, users=users, profiles=profiles)


@pytest.fixture()
def app(settings: Settings, engine: Engine) -> FastAPI:
    return create_app(settings, engine=engine)


@pytest.fixture()
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client
