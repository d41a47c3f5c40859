"""Starting salary quartiles and enrollment per major and direction, against hand values
on the store of ``indicatorworld``."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from indicatorworld import World, build_world
from talentbridge.accounts.roles import Role
from talentbridge.outcomes.cells import salary_quartiles
from talentbridge.outcomes.indicators import enrollment_table, salary_table


@pytest.fixture()
def world(session: Session) -> World:
    return build_world(session)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], (None, None, None)),
        ([4000], (4000, 4000, 4000)),
        ([3000, 5000], (3500, 4000, 4500)),
        ([1, 2, 3, 4, 5], (2, 3, 4)),
        ([3800, 4000, 4200, 4600, 5100, 6500], (4050, 4400, 4975)),
    ],
)
def test_quartiles_interpolate_like_percentile_cont(
    values: list[int], expected: tuple[float | None, ...]
) -> None:
    assert salary_quartiles(values) == expected


# (by, options, {group: (n, p25, median, p75) | None}, total (n, p25, median, p75))
# In work with a salary (17): 3000 3500 3800 4000 4100 4200 4400 4500 4600 4800 5000 5100
# 5200 6000 6500 7000 9000. Left out: g10 (enlisted, 2000), g4 g20 g25 (no salary).
SALARY_CASES: list[
    tuple[str, dict[str, object], dict[tuple[object, ...], object], tuple[object, ...]]
] = [
    ("", {}, {}, (17, 4100, 4600, 5200)),
    (
        "college",
        {},
        {
            # C1: 3000 3500 4100 4400 4500 4800 5000 5200 6000 7000 9000
            ("C1",): (11, 4250, 4800, 5600),
            # C2: 3800 4000 4200 4600 5100 6500
            ("C2",): (6, 4050, 4400, 4975),
        },
        (17, 4100, 4600, 5200),
    ),
    (
        "major",
        {"years": [2024]},
        {
            # M1 2024: 3000 3500 4000 4200 4500 4600 4800 5000 5100 6000
            ("M1",): (10, 4050, 4550, 4950),
            ("M2",): None,  # 3 salaries
            ("M3",): None,  # 2 salaries
        },
        (15, 4100, 4800, 5600),
    ),
    (
        "zone",
        {"min_cell": 1},
        {
            ("circle",): (12, 4075, 4450, 4850),
            ("elsewhere",): (3, 6250, 6500, 6750),
            ("abroad",): (1, 9000, 9000, 9000),
            ("unknown",): (1, 3500, 3500, 3500),
        },
        (17, 4100, 4600, 5200),
    ),
]


@pytest.mark.parametrize(("by", "options", "expected", "total"), SALARY_CASES)
def test_starting_salary(
    session: Session,
    world: World,
    by: str,
    options: dict[str, object],
    expected: dict[tuple[object, ...], object],
    total: tuple[object, ...],
) -> None:
    opts = dict(options)
    min_cell = int(opts.pop("min_cell", 5))  # type: ignore[call-overload]
    table = salary_table(
        session,
        world.principal(Role.ANALYST),
        by=by,
        min_cell=min_cell,
        **opts,  # type: ignore[arg-type]
    )
    t = table.total
    assert (t.n, t.p25, t.median, t.p75) == total
    got = {row.key: row.cell for row in table.rows}
    keys = {tuple(world.ids.get(k, k) if isinstance(k, str) else k for k in key): want
            for key, want in expected.items()}  # fmt: skip
    assert set(got) == set(keys)
    for key, want in keys.items():
        cell = got[key]
        if want is None:
            assert cell.suppressed and (cell.n, cell.median) == (None, None)
        else:
            assert not cell.suppressed
            assert (cell.n, cell.p25, cell.median, cell.p75) == want


def test_salary_scoped_to_a_teachers_college(session: Session, world: World) -> None:
    teacher = world.principal(Role.TEACHER, "C2")
    own = salary_table(session, teacher, min_cell=5)
    assert (own.total.n, own.total.median) == (6, 4400)
    alliance = salary_table(session, teacher, min_cell=5, alliance=True)
    assert (alliance.total.n, alliance.total.median) == (17, 4600)


# (by, options, {(group…, year): (enrolled, graduated, growth)})
ENROLLMENT_CASES: list[
    tuple[str, dict[str, object], dict[tuple[object, ...], tuple[object, ...]]]
] = [
    (
        "major",
        {},
        {
            # M1 2023: C1's stated 50 (not its directions' 20) + C2 30; 2024: C1's
            # directions 30 + 10 (no stated figure) + C2 33.
            ("M1", 2023): (80, 3, None),
            ("M1", 2024): (73, 18, pytest.approx(-7 / 80)),
            ("M2", 2023): (15, None, None),
            ("M2", 2024): (12, 4, pytest.approx(-0.2)),
            ("M3", 2024): (25, 5, None),
        },
    ),
    (
        "direction",
        {"college": "C1"},
        {
            ("D1", 2023): (20, None, None),
            ("D1", 2024): (30, 6, pytest.approx(0.5)),
            ("D2", 2024): (10, 5, None),  # the new direction: no previous year
            (None, 2023): (15, None, None),  # M2, no directions
            (None, 2024): (12, 4, pytest.approx(-0.2)),
        },
    ),
    (
        "college,major",
        {"years": [2024]},
        {
            ("C1", "M1", 2024): (40, 11, pytest.approx(-0.2)),  # against the stated 50
            ("C1", "M2", 2024): (12, 4, pytest.approx(-0.2)),
            ("C2", "M1", 2024): (33, 7, pytest.approx(0.1)),
            ("C2", "M3", 2024): (25, 5, None),
        },
    ),
    ("", {}, {(2023,): (95, 3, None), (2024,): (110, 27, pytest.approx(15 / 95))}),
]


@pytest.mark.parametrize(("by", "options", "expected"), ENROLLMENT_CASES)
def test_enrollment(
    session: Session,
    world: World,
    by: str,
    options: dict[str, object],
    expected: dict[tuple[object, ...], tuple[object, ...]],
) -> None:
    opts = dict(options)
    college = opts.pop("college", None)
    table = enrollment_table(
        session,
        world.principal(Role.PLATFORM_ADMIN),
        by=by,
        college_id=world.ids[str(college)] if college else None,
        **opts,  # type: ignore[arg-type]
    )
    got = {row.key: row.cell for row in table.rows}
    want = {tuple(world.ids.get(k, k) if isinstance(k, str) else k for k in key): v
            for key, v in expected.items()}  # fmt: skip
    assert set(got) == set(want)
    for key, (enrolled, graduated, growth) in want.items():
        cell = got[key]
        assert (cell.enrolled, cell.graduated) == (enrolled, graduated)
        assert cell.enrolled_growth == growth


def test_enrollment_of_a_teachers_own_college(session: Session, world: World) -> None:
    table = enrollment_table(session, world.principal(Role.TEACHER, "C2"), by="major")
    assert {row.key: row.cell.enrolled for row in table.rows} == {
        (world.ids["M1"], 2023): 30,
        (world.ids["M1"], 2024): 33,
        (world.ids["M3"], 2024): 25,
    }
