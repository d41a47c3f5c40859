"""The matching engine on a real store: ranking, filters, consent, opt-out, flags, cache."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from sqlalchemy.orm import Session, sessionmaker

from matchworld import World
from talentbridge.errors import NotFound
from talentbridge.matching.engine import (
    FEATURE_NAMES,
    CandidateFilters,
    JobFilters,
    candidates_for,
    features_for,
    jobs_for,
)
from talentbridge.matching.index import clear_index_cache, index_for, load_index
from talentbridge.matching.version import mark_changed
from talentbridge.store.tables import Profile


@pytest.fixture()
def world(session: Session) -> World:
    clear_index_cache()
    return World(session)


def test_a_profile_with_the_skills_gets_the_right_posting_first(
    world: World, session: Session
) -> None:
    customs = world.posting("报关员", ["报关", "订舱", "英语"], occupation="报关员")
    world.posting("仓储主管", ["仓储管理", "叉车"], occupation="仓储员")
    world.posting("数据分析师", ["数据分析", "英语"], occupation="数据分析员", education=5)
    me = world.profile(["报关", "订舱", "英语"])
    other = world.profile(["仓储管理", "叉车"])
    session.commit()
    index = load_index(session)
    jobs = jobs_for(index, me)
    assert jobs[0].posting_id == customs
    assert jobs[0].parts.skills == pytest.approx(1.0)
    assert jobs[0].parts.major == 1.0  # 报关员 is a primary occupation of 现代物流管理
    assert [m.rank for m in jobs] == list(range(1, len(jobs) + 1))
    assert all(a.score >= b.score for a, b in itertools.pairwise(jobs))
    candidates = candidates_for(index, customs)
    assert [c.profile_id for c in candidates] == [me, other]
    assert candidates[0].parts == jobs[0].parts  # one pair, one set of parts


def test_rare_and_required_skills_weigh_more(world: World, session: Session) -> None:
    for n in range(6):  # 英语 is asked everywhere, 冷链 once
        world.posting(f"岗位{n}", ["英语"])
    target = world.posting("冷链专员", ["英语", "冷链"], ["叉车"])
    common = world.profile(["英语"])
    rare = world.profile(["冷链"])
    preferred_only = world.profile(["叉车"])
    session.commit()
    index = load_index(session)
    ranked = [m.profile_id for m in candidates_for(index, target)]
    assert ranked.index(rare) < ranked.index(common)
    parts = {m.profile_id: m.parts for m in candidates_for(index, target)}
    assert parts[rare].skills > parts[common].skills > 0
    # 叉车 is rarer than 英语 but only preferred: half the weight of a required concept
    idf = index.postings.concept_idf
    space = index.space.concept_ids.tolist()
    weight = {c: idf[space.index(world.concepts[c])] for c in ("英语", "冷链", "叉车")}
    total = weight["英语"] + weight["冷链"] + 0.5 * weight["叉车"]
    assert parts[preferred_only].skills == pytest.approx(0.5 * weight["叉车"] / total)


def test_job_filters_exclude_only_what_the_student_set(world: World, session: Session) -> None:
    chengdu = world.posting("成都报关", ["报关"], place="510107", salary=(5000, 7000))
    chongqing = world.posting("重庆报关", ["报关"], place="500112", salary=(9000, 12000))
    bachelor = world.posting("本科报关", ["报关"], place="510104", education=5)
    data = world.posting("数据", ["数据分析"], occupation="数据分析员", place="510104")
    no_pay = world.posting("面议", ["报关"], salary=None)
    me = world.profile(["报关"])
    session.commit()
    index = load_index(session)

    def ids(filters: JobFilters) -> set[int]:
        return {m.posting_id for m in jobs_for(index, me, filters)}

    everything = ids(JobFilters())
    assert everything == {chengdu, chongqing, bachelor, data, no_pay}
    assert ids(JobFilters(city_codes=("500000",))) == {chongqing}
    assert ids(JobFilters(city_codes=("510100",))) == everything - {chongqing}
    assert ids(JobFilters(city_codes=("510000",))) == everything - {chongqing}  # province
    assert ids(JobFilters(salary_floor=9000)) == {chongqing}
    assert ids(JobFilters(salary_floor=8000)) == everything - {chengdu, no_pay}
    assert bachelor not in ids(JobFilters(max_education_level=4))
    assert ids(JobFilters(occupation_ids=(world.occupations["数据分析员"],))) == {data}


def test_candidate_filters(world: World, session: Session) -> None:
    posting = world.posting("报关", ["报关"])
    a = world.profile(["报关"], graduation_year=2025, cities=("510100",), relocate=False)
    b = world.profile(["报关"], graduation_year=2026, cities=("500000",), relocate=False)
    c = world.profile(["报关"], major=world.data, cities=("500000",), relocate=True)
    session.commit()
    index = load_index(session)

    def ids(filters: CandidateFilters) -> set[int]:
        return {m.profile_id for m in candidates_for(index, posting, filters)}

    assert ids(CandidateFilters()) == {a, b, c}
    assert ids(CandidateFilters(graduation_years=(2025,))) == {a}
    assert ids(CandidateFilters(major_ids=(world.data,))) == {c}
    assert ids(CandidateFilters(city_code="510107")) == {a, c}  # wishes Chengdu, or relocates
    assert ids(CandidateFilters(min_education_level=5)) == {c}  # 大数据技术 is bachelor level


def test_consent_hides_a_profile_from_recruiters(world: World, session: Session) -> None:
    posting = world.posting("报关", ["报关"])
    shown = world.profile(["报关"], visible=True)
    hidden = world.profile(["报关", "订舱"], visible=False)
    session.commit()
    index = load_index(session)
    assert [m.profile_id for m in candidates_for(index, posting)] == [shown]
    # …unless the student applied to this posting
    assert {m.profile_id for m in candidates_for(index, posting, applied={hidden})} == {
        shown,
        hidden,
    }
    # a recruiter's policy scope as a set or a predicate narrows further
    assert candidates_for(index, posting, visible=frozenset({hidden})) == []
    assert candidates_for(index, posting, visible=lambda pid: pid != shown) == []
    # staff whose scope covers their own students without consent
    staff = candidates_for(index, posting, require_consent=False, visible={shown, hidden})
    assert {m.profile_id for m in staff} == {hidden, shown}


def test_withdrawing_consent_takes_effect_on_the_next_call(
    world: World, session: Session, factory: sessionmaker[Session]
) -> None:
    posting = world.posting("报关", ["报关"])
    me = world.profile(["报关"], visible=True)
    session.commit()
    assert [m.profile_id for m in candidates_for(index_for(factory), posting)] == [me]
    with factory() as s:
        profile = s.get(Profile, me)
        assert profile is not None
        profile.visible_to_employers = False
        s.commit()
    assert candidates_for(index_for(factory), posting) == []


def test_opted_out_profiles_are_never_scored(world: World, session: Session) -> None:
    old = world.posting("旧", ["报关"], month="2024-01")
    new = world.posting("新", ["订舱"], month="2025-05")
    flagged = world.posting("标记", ["报关"], month="2024-06", flags=1)
    out = world.profile(["报关"], opt_out=True)
    ranked = world.profile(["报关"])
    session.commit()
    index = load_index(session)
    jobs = jobs_for(index, out)
    assert [m.posting_id for m in jobs] == [new, flagged, old]  # newest first, unscored
    assert all(not m.scored and m.score == 0.0 and m.parts.total == 0.0 for m in jobs)
    assert jobs[1].flagged
    assert [m.profile_id for m in candidates_for(index, old)] == [ranked]
    listed = candidates_for(index, old, applied={out})
    assert [(m.profile_id, m.scored) for m in listed] == [(ranked, True), (out, False)]
    assert listed[1].rank == 2 and listed[1].parts.total == 0.0
    _, matrix = features_for(index, [(out, old), (ranked, old)])
    assert np.isnan(matrix[0]).all() and not np.isnan(matrix[1]).any()


def test_flagged_postings_are_marked_everywhere(world: World, session: Session) -> None:
    clean = world.posting("报关", ["报关"])
    flagged = world.posting("报关（限男性）", ["报关"], flags=2)
    me = world.profile(["报关"])
    session.commit()
    index = load_index(session)
    marks = {m.posting_id: m.flagged for m in jobs_for(index, me)}
    assert marks == {clean: False, flagged: True}
    assert [m.posting_id for m in jobs_for(index, me, JobFilters(include_flagged=False))] == [clean]
    assert all(m.flagged for m in candidates_for(index, flagged))


def test_features_and_a_learned_ranker(world: World, session: Session) -> None:
    a = world.posting("报关", ["报关", "订舱"])
    b = world.posting("仓储", ["仓储管理"])
    me = world.profile(["报关", "订舱"])
    session.commit()
    index = load_index(session)
    names, matrix = features_for(index, [(me, b), (me, a)])
    assert names == list(FEATURE_NAMES) and matrix.shape == (2, len(FEATURE_NAMES))
    by_name = dict(zip(names, matrix[1], strict=True))
    assert by_name["matched"] == 2 and by_name["skills"] == pytest.approx(1.0)
    hand = jobs_for(index, me)
    assert by_name["total"] == next(m for m in hand if m.posting_id == a).parts.total
    skills = names.index("skills")
    contrary = jobs_for(index, me, ranker=lambda x: 1.0 - x[:, skills])
    assert [m.posting_id for m in contrary] == [b, a]
    assert contrary[0].score == contrary[0].parts.total == pytest.approx(1.0)
    with pytest.raises(ValueError):
        jobs_for(index, me, ranker=lambda x: np.zeros(1))


def test_unknown_ids_are_not_found(world: World, session: Session) -> None:
    world.posting("报关", ["报关"])
    world.profile(["报关"])
    session.commit()
    index = load_index(session)
    with pytest.raises(NotFound):
        jobs_for(index, 999_999)
    with pytest.raises(NotFound):
        candidates_for(index, 999_999)


def test_index_for_rebuilds_only_when_the_store_changes(
    world: World, session: Session, factory: sessionmaker[Session]
) -> None:
    world.posting("报关", ["报关"])
    me = world.profile(["报关"])
    session.commit()
    first = index_for(factory)
    assert index_for(factory) is first
    world.profile(["订舱"])  # a new profile: only the profile side is rebuilt
    session.commit()
    second = index_for(factory)
    assert second is not first and second.postings is first.postings
    assert len(second.profiles) == 2
    with factory() as s:  # an edit no count sees, announced
        mark_changed(s, "profiles")
        s.commit()
    third = index_for(factory)
    assert third is not second and third.postings is second.postings
    world.posting("订舱", ["订舱"])
    session.commit()
    fourth = index_for(factory)
    assert fourth.postings is not third.postings and len(fourth.postings) == 2
    assert candidates_for(fourth, int(fourth.postings.ids[0]))[0].profile_id == me
