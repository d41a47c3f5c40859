"""Every rate indicator against hand-counted values on the small store of
``indicatorworld`` (g1…g30), by each grouping, with its edge cases and small cells."""

from __future__ import annotations

from fractions import Fraction

import pytest
from sqlalchemy.orm import Session

from indicatorworld import World, build_world
from talentbridge.accounts.roles import Role
from talentbridge.outcomes.indicators import INDICATORS, IndicatorTable, indicator_tables

HIDDEN = None  # a suppressed cell

# (indicator, by, options, {group: (numerator, denominator) | HIDDEN}, total (num, den))
# Group keys name world records (C1, M1, D1 …); years, zones and division codes as is.
# Hand counts (see indicatorworld): graduates 30 (2023: g28–g30), no record g11 g27,
# placed 24, further study g5 g14 g22, employed 21, in work 20 (g10 is enlisted),
# unclassified g4 g9 g20, classifiable 17, related 13, place unknown g9 g10 g20,
# place known 18, in the circle 14, abroad g5 (study) g15 (work).
CASES: list[
    tuple[
        str, tuple[str, ...], dict[str, object], dict[tuple[object, ...], object], tuple[int, int]
    ]
] = [
    # --- no grouping: the alliance -------------------------------------------------
    ("placement_rate", (), {}, {}, (24, 30)),
    ("employment_rate", (), {}, {}, (21, 30)),
    ("related_employment_rate", (), {}, {}, (13, 17)),
    ("stay_in_region_rate", (), {}, {}, (14, 18)),
    ("abroad_rate", (), {}, {}, (2, 30)),
    # --- by college ------------------------------------------------------------------
    ("placement_rate", ("college",), {}, {("C1",): (15, 18), ("C2",): (9, 12)}, (24, 30)),
    ("employment_rate", ("college",), {}, {("C1",): (13, 18), ("C2",): (8, 12)}, (21, 30)),
    (
        "related_employment_rate",
        ("college",),
        {},
        {("C1",): (7, 10), ("C2",): (6, 7)},
        (13, 17),
    ),
    ("stay_in_region_rate", ("college",), {}, {("C1",): (8, 11), ("C2",): (6, 7)}, (14, 18)),
    ("abroad_rate", ("college",), {}, {("C1",): (2, 18), ("C2",): (0, 12)}, (2, 30)),
    # --- by year: 2023 has 3 graduates, so it is hidden, and 2024 with it -------------
    ("placement_rate", ("year",), {}, {(2023,): HIDDEN, (2024,): HIDDEN}, (24, 30)),
    ("placement_rate", ("year",), {"min_cell": 3}, {(2023,): (2, 3), (2024,): (22, 27)}, (24, 30)),
    # --- by major in 2024: M2 has 4 graduates (hidden), M3 is its complement -----------
    (
        "placement_rate",
        ("major",),
        {"years": [2024]},
        {("M1",): (15, 18), ("M2",): HIDDEN, ("M3",): HIDDEN},
        (22, 27),
    ),
    (
        "placement_rate",
        ("major",),
        {"years": [2024], "min_cell": 4},
        {("M1",): (15, 18), ("M2",): (4, 4), ("M3",): (3, 5)},
        (22, 27),
    ),
    (
        "related_employment_rate",
        ("major",),
        {"years": [2024]},
        {("M1",): (7, 9), ("M2",): HIDDEN, ("M3",): HIDDEN},  # 3 classifiable each
        (12, 15),
    ),
    (
        "related_employment_rate",
        ("major",),
        {"years": [2024], "min_cell": 1},
        {("M1",): (7, 9), ("M2",): (2, 3), ("M3",): (3, 3)},
        (12, 15),
    ),
    # --- by direction inside C1 in 2024: (no direction) has 4, D2 (5) is its complement
    (
        "placement_rate",
        ("direction",),
        {"years": [2024], "college": "C1"},
        {("D1",): (5, 6), ("D2",): HIDDEN, (None,): HIDDEN},
        (13, 15),
    ),
    (
        "employment_rate",
        ("direction",),
        {"years": [2024], "college": "C1", "min_cell": 1},
        {("D1",): (4, 6), ("D2",): (4, 5), (None,): (3, 4)},  # g10 enlisted is employed
        (11, 15),
    ),
    # --- two dimensions: C1-2023 (3) hides C1-2024 (its year sibling), which hides
    # C2-2024 (its college sibling): complementary suppression repeats until stable.
    (
        "placement_rate",
        ("college", "year"),
        {},
        {("C1", 2023): HIDDEN, ("C1", 2024): HIDDEN, ("C2", 2024): HIDDEN},
        (24, 30),
    ),
    (
        "placement_rate",
        ("college", "year"),
        {"min_cell": 3},
        {("C1", 2023): (2, 3), ("C1", 2024): (13, 15), ("C2", 2024): (9, 12)},
        (24, 30),
    ),
    # --- by region --------------------------------------------------------------------
    (
        "placement_rate",
        ("zone",),
        {"min_cell": 1},
        {("circle",): (14, 14), ("elsewhere",): (3, 3), ("abroad",): (2, 2), ("unknown",): (5, 11)},
        (24, 30),
    ),
    (
        "stay_in_region_rate",
        ("zone",),
        {},
        # elsewhere (3) and abroad (1) are both small: two hidden, no complement needed;
        # unknown has no employed graduate with a known place but 3 without one (g9 g10
        # g20): the cell describes 3 graduates, so it is hidden too.
        {("circle",): (14, 14), ("elsewhere",): HIDDEN, ("abroad",): HIDDEN, ("unknown",): HIDDEN},
        (14, 18),
    ),
    (
        "employment_rate",
        ("province",),
        {},
        {
            ("510000",): (10, 10),
            ("500000",): HIDDEN,
            ("440000",): HIDDEN,
            ("310000",): HIDDEN,
            ("110000",): HIDDEN,
            ("abroad",): HIDDEN,
            (None,): (3, 11),
        },
        (21, 30),
    ),
    (
        "stay_in_region_rate",
        ("city",),
        {"min_cell": 1},
        {
            ("510100",): (9, 9),
            ("510700",): (1, 1),
            ("500000",): (4, 4),  # Chongqing counts as one city
            ("440300",): (0, 1),
            ("310000",): (0, 1),  # so does Shanghai
            ("110000",): (0, 1),
            ("abroad",): (0, 1),
            (None,): (0, 0),
        },
        (14, 18),
    ),
]


@pytest.fixture()
def world(session: Session) -> World:
    return build_world(session)


def _key(world: World, key: tuple[object, ...]) -> tuple[object, ...]:
    return tuple(world.ids[k] if isinstance(k, str) and k in world.ids else k for k in key)


def _run(
    session: Session, world: World, name: str, by: tuple[str, ...], options: dict[str, object]
) -> IndicatorTable:
    opts = dict(options)
    college = opts.pop("college", None)
    min_cell = int(opts.pop("min_cell", 5))  # type: ignore[call-overload]
    admin = world.principal(Role.PLATFORM_ADMIN)
    tables = indicator_tables(
        session,
        admin,
        by=by,
        min_cell=min_cell,
        college_id=world.ids[str(college)] if college else None,
        indicators=[name],
        **opts,  # type: ignore[arg-type]
    )
    return tables[name]


@pytest.mark.parametrize(
    ("name", "by", "options", "expected", "total"),
    CASES,
    ids=[f"{c[0]}-by-{'+'.join(c[1]) or 'all'}-{c[2]}" for c in CASES],
)
def test_indicator_values(
    session: Session,
    world: World,
    name: str,
    by: tuple[str, ...],
    options: dict[str, object],
    expected: dict[tuple[object, ...], object],
    total: tuple[int, int],
) -> None:
    table = _run(session, world, name, by, options)
    assert (table.total.numerator, table.total.denominator) == total
    assert table.total.value == pytest.approx(total[0] / total[1])
    got = {row.key: row.cell for row in table.rows}
    assert set(got) == {_key(world, k) for k in expected}
    for key, want in expected.items():
        cell = got[_key(world, key)]
        if want is HIDDEN:
            assert cell.suppressed
            assert (cell.numerator, cell.denominator, cell.value, cell.n) == (None,) * 4
            assert all(v is None for v in cell.extras.values())
        else:
            num, den = want  # type: ignore[misc]
            assert not cell.suppressed
            assert (cell.numerator, cell.denominator, cell.n) == (num, den, den)
            assert cell.value == (None if den == 0 else pytest.approx(float(Fraction(num, den))))


def test_side_counts_no_record_further_study_unclassified_abroad(
    session: Session, world: World
) -> None:
    tables = indicator_tables(session, world.principal(Role.PLATFORM_ADMIN), min_cell=5)
    assert tables["placement_rate"].total.extras == {"no_record": 2}
    assert tables["employment_rate"].total.extras == {"no_record": 2, "further_study": 3}
    related = tables["related_employment_rate"].total
    assert related.extras == {"unclassified": 3}
    # The lower bound counts g4, g9, g20 (no occupation code) as unrelated: 13 / 20.
    assert related.lower_bound == pytest.approx(13 / 20)
    assert tables["stay_in_region_rate"].total.extras == {"unknown_place": 3}
    assert tables["abroad_rate"].total.extras == {"abroad_work": 1, "abroad_study": 1}


def test_side_counts_by_college(session: Session, world: World) -> None:
    table = indicator_tables(
        session, world.principal(Role.ANALYST), by="college", min_cell=5,
        indicators=["related_employment_rate"],
    )["related_employment_rate"]  # fmt: skip
    cells = {row.key: row.cell for row in table.rows}
    c1, c2 = cells[(world.ids["C1"],)], cells[(world.ids["C2"],)]
    assert c1.extras == {"unclassified": 2} and c1.lower_bound == pytest.approx(7 / 12)
    assert c2.extras == {"unclassified": 1} and c2.lower_bound == pytest.approx(6 / 8)


def test_a_student_of_a_later_year_is_not_a_graduate(session: Session, world: World) -> None:
    admin = world.principal(Role.PLATFORM_ADMIN)
    default = indicator_tables(session, admin, min_cell=1, indicators=["placement_rate"])
    assert default["placement_rate"].total.denominator == 30  # s31 (2025) is not counted
    asked = indicator_tables(
        session, admin, min_cell=1, years=[2025], indicators=["placement_rate"]
    )["placement_rate"]
    # Asked for explicitly, 2025 has one graduate, without a record: not placed.
    assert (asked.total.numerator, asked.total.denominator, asked.total.extras) == (
        0,
        1,
        {"no_record": 1},
    )


def test_small_total_is_hidden_too(session: Session, world: World) -> None:
    table = _run(session, world, "placement_rate", ("major",), {"years": [2023]})
    assert table.total.suppressed and table.total.value is None
    assert [row.cell.suppressed for row in table.rows] == [True]


def test_threshold_from_settings(session: Session, world: World) -> None:
    from talentbridge.config import load_settings

    settings = load_settings({"TALENTBRIDGE_SMALL_CELL": "3"})
    assert settings.small_cell_threshold == 3
    table = _run(
        session, world, "placement_rate", ("year",), {"min_cell": settings.small_cell_threshold}
    )
    assert [row.cell.suppressed for row in table.rows] == [False, False]


def test_labels_of_groups(session: Session, world: World) -> None:
    admin = world.principal(Role.PLATFORM_ADMIN)
    by_major = indicator_tables(
        session, admin, by="major", min_cell=1, indicators=["placement_rate"]
    )
    labels = [row.group[0].zh for row in by_major["placement_rate"].rows]
    assert (
        labels == ["530802 现代物流管理", "530503 关务与外贸服务", "530701 电子商务"][: len(labels)]
    )
    by_city = indicator_tables(session, admin, by="city", min_cell=1, indicators=["placement_rate"])
    names = {row.group[0].key: row.group[0].zh for row in by_city["placement_rate"].rows}
    assert names["510100"] == "成都市" and names["500000"] == "重庆市"
    assert names["abroad"] == "境外" and names[None] == "不详"


def test_every_indicator_is_computed(session: Session, world: World) -> None:
    tables = indicator_tables(session, world.principal(Role.PLATFORM_ADMIN), min_cell=5)
    assert list(tables) == [i.key for i in INDICATORS]


def test_a_graduate_without_a_major_is_unclassified(session: Session, world: World) -> None:
    from talentbridge.store.outcomes_tables import Placement
    from talentbridge.store.tables import Profile

    profile = Profile(organization_id=world.ids["C2"], college_major_id=None,
                      student_no="X1", name="无专业", graduation_year=2024)  # fmt: skip
    session.add(profile)
    session.flush()
    session.add(Placement(profile_id=profile.id, organization_id=world.ids["C2"],
                          destination="employed", occupation_id=world.ids["O1"]))  # fmt: skip
    session.commit()
    admin = world.principal(Role.PLATFORM_ADMIN)
    table = indicator_tables(
        session, admin, by="major", min_cell=1, indicators=["related_employment_rate"]
    )["related_employment_rate"]
    # An occupation but no major: 对口 cannot be decided; counted apart, not related.
    assert (table.total.numerator, table.total.denominator) == (13, 17)
    assert table.total.extras == {"unclassified": 4}
    no_major = {row.key: row.cell for row in table.rows}[(None,)]
    assert (no_major.denominator, no_major.extras, no_major.lower_bound) == (
        0,
        {"unclassified": 1},
        0.0,
    )
    protected = indicator_tables(
        session, admin, by="major", min_cell=5, indicators=["related_employment_rate"]
    )["related_employment_rate"]
    # With the threshold 5 that row (no denominator, one unclassified graduate) is hidden.
    cells = {row.key: row.cell for row in protected.rows}
    assert cells[(None,)].suppressed and cells[(None,)].extras == {"unclassified": None}
    assert (cells[(world.ids["M1"],)].denominator, cells[(world.ids["M1"],)].extras) == (
        11,
        {"unclassified": 3},
    )
