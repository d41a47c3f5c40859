"""Who sees which outcome figures and records (``accounts.outcomes_policy``), and the
scope the indicators take from the principal."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from indicatorworld import World, build_world
from talentbridge.accounts import policy
from talentbridge.accounts.principal import Principal
from talentbridge.accounts.roles import Role
from talentbridge.errors import Forbidden
from talentbridge.outcomes.indicators import enrollment_table, indicator_tables, salary_table

C1, C2, E1, E2 = 1, 2, 3, 4


def p(role: Role, org: int | None = None) -> Principal:
    return Principal(user_id=7, role=role, organization_id=org)


# (principal, outcomes, own college (None: all), may group by college)
ROLES = [
    (p(Role.PLATFORM_ADMIN), True, None, True),
    (p(Role.ANALYST, 9), True, None, True),
    (p(Role.COLLEGE_ADMIN, C1), True, C1, False),
    (p(Role.TEACHER, C1), True, C1, False),
    (p(Role.TEACHER, None), False, None, False),  # a teacher of no college
    (p(Role.STUDENT, C1), False, None, False),
    (p(Role.RECRUITER, E1), False, None, False),
]


@pytest.mark.parametrize(("principal", "outcomes", "college", "by_college"), ROLES)
def test_outcomes_aggregates_by_role(
    principal: Principal, outcomes: bool, college: int | None, by_college: bool
) -> None:
    assert policy.can_view_outcomes(principal) is outcomes
    assert policy.outcomes_college(principal) == college if outcomes else True
    assert policy.can_break_down_by_college(principal) is by_college
    assert policy.can_view_college_outcomes(principal, C1) is outcomes
    assert policy.can_view_college_outcomes(principal, C2) is (outcomes and college is None)


# (principal, college of the graduates, may see the records with names)
RECORDS = [
    (p(Role.PLATFORM_ADMIN), C1, True),
    (p(Role.PLATFORM_ADMIN), None, True),
    (p(Role.COLLEGE_ADMIN, C1), C1, True),
    (p(Role.COLLEGE_ADMIN, C1), C2, False),
    (p(Role.COLLEGE_ADMIN, C1), None, False),
    (p(Role.TEACHER, C1), C1, False),
    (p(Role.ANALYST, 9), C1, False),
    (p(Role.STUDENT, C1), C1, False),
    (p(Role.RECRUITER, E1), C1, False),
]


@pytest.mark.parametrize(("principal", "college", "allowed"), RECORDS)
def test_placement_records_by_role(
    principal: Principal, college: int | None, allowed: bool
) -> None:
    assert policy.can_view_placement_records(principal, college) is allowed


# (principal, employer (None: all employers), may see recruiting efficiency)
RECRUITING = [
    (p(Role.PLATFORM_ADMIN), E1, True),
    (p(Role.PLATFORM_ADMIN), None, True),
    (p(Role.ANALYST, 9), E2, True),
    (p(Role.ANALYST, 9), None, True),
    (p(Role.RECRUITER, E1), E1, True),
    (p(Role.RECRUITER, E1), E2, False),
    (p(Role.RECRUITER, E1), None, False),
    (p(Role.RECRUITER, None), None, False),
    (p(Role.COLLEGE_ADMIN, C1), None, True),
    (p(Role.COLLEGE_ADMIN, C1), E1, False),
    (p(Role.TEACHER, C1), None, True),
    (p(Role.STUDENT, C1), None, False),
    (p(Role.STUDENT, C1), E1, False),
]


@pytest.mark.parametrize(("principal", "employer", "allowed"), RECRUITING)
def test_recruiting_by_role(principal: Principal, employer: int | None, allowed: bool) -> None:
    assert policy.can_view_recruiting(principal, employer) is allowed
    expected = principal.organization_id if principal.role is Role.RECRUITER else None
    assert policy.recruiting_employer(principal) == expected


@pytest.fixture()
def world(session: Session) -> World:
    return build_world(session)


# (role, organization, options, placement rate total (num, den)) on indicatorworld
SCOPES = [
    (Role.PLATFORM_ADMIN, None, {}, (24, 30)),
    (Role.PLATFORM_ADMIN, None, {"college": "C2"}, (9, 12)),
    (Role.ANALYST, "A1", {}, (24, 30)),
    (Role.ANALYST, "A1", {"college": "C1"}, (15, 18)),
    (Role.COLLEGE_ADMIN, "C1", {}, (15, 18)),  # own college by default
    (Role.COLLEGE_ADMIN, "C1", {"college": "C1"}, (15, 18)),
    (Role.TEACHER, "C2", {}, (9, 12)),
    (Role.TEACHER, "C2", {"alliance": True}, (24, 30)),  # alliance-wide aggregate
]


@pytest.mark.parametrize(("role", "org", "options", "total"), SCOPES)
def test_scope_of_the_figures(
    session: Session,
    world: World,
    role: Role,
    org: str | None,
    options: dict[str, object],
    total: tuple[int, int],
) -> None:
    opts = dict(options)
    college = opts.pop("college", None)
    table = indicator_tables(
        session,
        world.principal(role, org),
        min_cell=5,
        college_id=world.ids[str(college)] if college else None,
        indicators=["placement_rate"],
        **opts,  # type: ignore[arg-type]
    )["placement_rate"]
    assert (table.total.numerator, table.total.denominator) == total


# (role, organization, options) that are refused
REFUSED = [
    (Role.STUDENT, "C1", {}),
    (Role.RECRUITER, "E1", {}),
    (Role.RECRUITER, "E1", {"alliance": True}),
    (Role.TEACHER, "C1", {"college": "C2"}),  # another college
    (Role.COLLEGE_ADMIN, "C1", {"college": "C2"}),
    (Role.COLLEGE_ADMIN, "C1", {"by": "college"}),  # other colleges side by side
    (Role.TEACHER, "C1", {"by": "college", "alliance": True}),
]


@pytest.mark.parametrize(("role", "org", "options"), REFUSED)
def test_refused(
    session: Session, world: World, role: Role, org: str, options: dict[str, object]
) -> None:
    opts = dict(options)
    college = opts.pop("college", None)
    principal = world.principal(role, org)
    college_id = world.ids[str(college)] if college else None
    with pytest.raises(Forbidden):
        indicator_tables(session, principal, min_cell=5, college_id=college_id, **opts)  # type: ignore[arg-type]
    with pytest.raises(Forbidden):
        salary_table(session, principal, min_cell=5, college_id=college_id, **opts)  # type: ignore[arg-type]
    with pytest.raises(Forbidden):
        enrollment_table(session, principal, college_id=college_id, **opts)  # type: ignore[arg-type]


def test_analyst_by_college(session: Session, world: World) -> None:
    table = indicator_tables(
        session, world.principal(Role.ANALYST, "A1"), by="college", min_cell=5
    )["placement_rate"]
    assert [row.group[0].zh for row in table.rows] == ["示例·甲学院", "示例·乙学院"]


def test_unknown_dimension_or_zone(session: Session, world: World) -> None:
    admin = world.principal(Role.PLATFORM_ADMIN)
    with pytest.raises(ValueError, match="cannot group by"):
        indicator_tables(session, admin, by="gender", min_cell=5)
    with pytest.raises(ValueError, match="unknown zone"):
        indicator_tables(session, admin, zone="mars", min_cell=5)
    circle = indicator_tables(session, admin, zone="circle", min_cell=5)["placement_rate"]
    assert (circle.total.numerator, circle.total.denominator) == (14, 14)


def test_alliance_cells_small_beside_the_viewers_own_college(
    session: Session, world: World
) -> None:
    """A C1 teacher knows C1's figures; in the alliance by major (2024), 对口 of M1 has 9
    classifiable graduates of whom 4 are of C2, so the alliance minus C1 would show C2's
    four: withheld for the teacher, shown to an analyst. The total (15, 7 of them not
    C1's) stays."""
    options = {"by": "major", "years": [2024], "min_cell": 5,
               "indicators": ["related_employment_rate"]}  # fmt: skip
    teacher = indicator_tables(
        session,
        world.principal(Role.TEACHER, "C1"),
        alliance=True,
        **options,  # type: ignore[arg-type]
    )["related_employment_rate"]
    analyst = indicator_tables(
        session,
        world.principal(Role.ANALYST, "A1"),
        **options,  # type: ignore[arg-type]
    )["related_employment_rate"]
    m1 = (world.ids["M1"],)
    assert {r.key: r.cell.suppressed for r in teacher.rows}[m1] is True
    assert {r.key: (r.cell.numerator, r.cell.denominator) for r in analyst.rows}[m1] == (7, 9)
    assert (teacher.total.numerator, teacher.total.denominator) == (12, 15)
    # Starting salary: M1 has 10 salaries, 4 of them of C2.
    salaries = salary_table(session, world.principal(Role.TEACHER, "C1"), alliance=True,
                            by="major", years=[2024], min_cell=5)  # fmt: skip
    assert {r.key: r.cell.suppressed for r in salaries.rows}[m1] is True
    assert (salaries.total.n, salaries.total.median) == (15, 4800)
    for_analyst = salary_table(session, world.principal(Role.ANALYST, "A1"), by="major",
                               years=[2024], min_cell=5)  # fmt: skip
    assert {r.key: r.cell.n for r in for_analyst.rows}[m1] == 10
