"""Explanations: the engine's own parts, matched and missing skills, 对口, wishes."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from matchworld import World
from talentbridge.errors import NotFound
from talentbridge.matching.engine import candidates_for, jobs_for
from talentbridge.matching.explain import explain, with_teaching
from talentbridge.matching.index import clear_index_cache, load_index
from talentbridge.store.library_tables import Library, Resource, ResourceConcept


@pytest.fixture()
def world(session: Session) -> World:
    clear_index_cache()
    return World(session)


def test_explanations_reproduce_the_engine_parts(world: World, session: Session) -> None:
    postings = [
        world.posting("报关员", ["报关", "英语"], ["订舱"], occupation="报关员", place="500112"),
        world.posting("仓储", ["仓储管理", "叉车"], occupation="仓储员", salary=(4000, 5000)),
        world.posting("数据", ["数据分析"], occupation="数据分析员", education=5, salary=None),
        world.posting("冷链", ["冷链", "英语"], requirements="负责冷链仓储与报关单证"),
    ]
    profiles = [
        world.profile(
            ["报关", "英语"],
            cities=("500000",),
            salary_floor=6000,
            occupations=("报关员",),
            summary="熟悉报关单证",
        ),
        world.profile(["仓储管理"], relocate=False, cities=("510100",), salary_floor=5500),
        world.profile(["数据分析", "英语"], major=world.data),
        world.profile([], visible=True),
    ]
    session.commit()
    index = load_index(session)
    checked = 0
    for profile_id in profiles:
        for match in jobs_for(index, profile_id, k=10):
            assert explain(index, profile_id, match.posting_id).parts == match.parts
            checked += 1
    for posting_id in postings:
        for match in candidates_for(index, posting_id, k=10):
            assert explain(index, match.profile_id, posting_id).parts == match.parts
            checked += 1
    assert checked == 2 * len(postings) * len(profiles)


def test_skills_major_and_wishes_are_explained(
    world: World, session: Session, factory: sessionmaker[Session]
) -> None:
    posting = world.posting(
        "报关员", ["报关", "英语"], ["订舱"], occupation="报关员", place="500112",
        salary=(7000, 9000), flags=1, requirements="熟悉报关流程，英语四级",
    )  # fmt: skip
    me = world.profile(
        ["报关", "仓储管理"], cities=("510100",), salary_floor=8000, occupations=("仓储员",),
        relocate=True, summary="报关",
    )  # fmt: skip
    session.commit()
    found = explain(factory, me, posting)  # from a store, through the cache
    assert [s.label_zh for s in found.matched_skills] == ["报关"]
    assert found.matched_skills[0].required
    missing = [s.label_zh for s in found.missing_skills]
    assert missing == ["英语", "订舱"]  # the required one first: heavier
    assert found.missing_skills[0].weight > found.missing_skills[1].weight
    assert all(s.resources == [] for s in found.missing_skills)
    assert found.major.relation == "primary" and found.major.value == 1.0
    assert found.major.major_name_zh == "现代物流管理"
    assert found.major.occupation_name_zh == "报关员"
    assert found.wishes.city.status == "partly"  # Chongqing, not Chengdu, but relocates
    assert found.wishes.city.offered == "500000" and found.wishes.city.wanted == ("510100",)
    assert found.wishes.salary.status == "partly"  # 8,000 only within the range
    assert found.wishes.occupation.status == "does_not_fit"
    assert found.education.value == 1.0
    assert found.flagged and found.flag_count == 1
    assert found.scored and found.parts.total > 0
    assert "报关" in found.shared_terms and found.parts.text > 0


def test_not_stated_wishes_and_relations(world: World, session: Session) -> None:
    posting = world.posting("仓储", ["仓储管理"], occupation="仓储员", salary=None)
    me = world.profile(["叉车"])
    session.commit()
    found = explain(load_index(session), me, posting)
    assert found.major.relation == "related" and found.major.value == 0.6
    assert found.wishes.city.status == "not_stated"
    assert found.wishes.salary.status == "not_stated"
    assert found.wishes.occupation.status == "not_stated"
    assert found.matched_skills == [] and [s.label_zh for s in found.missing_skills] == ["仓储管理"]


def test_opted_out_profiles_get_details_but_no_score(world: World, session: Session) -> None:
    posting = world.posting("报关", ["报关"])
    me = world.profile(["报关"], opt_out=True)
    session.commit()
    found = explain(load_index(session), me, posting)
    assert not found.scored and found.parts.total == 0.0
    assert [s.label_zh for s in found.matched_skills] == ["报关"]


def test_unknown_pairs_are_not_found(world: World, session: Session) -> None:
    posting = world.posting("报关", ["报关"])
    world.profile(["报关"])
    session.commit()
    with pytest.raises(NotFound):
        explain(load_index(session), 424242, posting)


def test_missing_skills_point_to_published_resources_that_teach_them(
    world: World, session: Session
) -> None:
    posting = world.posting("报关员", ["报关", "英语"], ["订舱"])
    me = world.profile(["报关"])
    library = Library(code="english", name_zh="物流英语", name_en="Logistics English")
    session.add(library)
    session.flush()
    shown, hidden = (
        Resource(library_id=library.id, title_zh=title, title_en="", kind="courseware",
                 status=status)
        for title, status in (("外贸英语函电", "published"), ("草稿", "review"))
    )  # fmt: skip
    session.add_all([shown, hidden])
    session.flush()
    session.add_all(
        ResourceConcept(resource_id=r.id, concept_id=world.concepts["英语"], source="author")
        for r in (shown, hidden)
    )
    session.commit()
    found = with_teaching(session, explain(load_index(session), me, posting))
    teaching = {s.label_zh: [r.resource_id for r in s.resources] for s in found.missing_skills}
    assert teaching == {"英语": [shown.id], "订舱": []}
    assert found.matched_skills[0].resources == []
