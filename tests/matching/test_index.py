"""The index's parts: facts loaded from the store, BM25, token reuse, and the same
numbers from both directions on random facts."""

from __future__ import annotations

import random

import numpy as np
import pytest
from sqlalchemy.orm import Session

from matchworld import World
from talentbridge.matching import bm25
from talentbridge.matching.engine import candidates_for, features_for, jobs_for
from talentbridge.matching.facts import (
    PostingFacts,
    ProfileFacts,
    Wish,
    load_postings,
    load_profiles,
)
from talentbridge.matching.index import build_index, city_number
from talentbridge.matching.scoring import score_postings, score_profiles
from talentbridge.store.matching_tables import (
    ProfileConcept,
    ProfileCourse,
    ProfileExperience,
    ProfileProtected,
)
from talentbridge.store.tables import PostingConcept
from talentbridge.store.teaching_tables import Course, CourseConcept, TrainingPlan


def test_facts_from_the_store(session: Session) -> None:
    world = World(session)
    posting = world.posting("报关员", ["报关"], ["订舱"], occupation="报关员", flags=1,
                            requirements="熟悉报关")  # fmt: skip
    session.add(
        PostingConcept(
            posting_id=posting,
            concept_id=world.concepts["叉车"],
            start=0,
            end=1,
            surface="x",
            negated=True,
            taxonomy_version="t",
        )
    )
    me = world.profile(["英语"], major=world.data, cities=("510107",), salary_floor=6000,
                       occupations=("数据分析员",), summary="想做数据")  # fmt: skip
    session.add(ProfileConcept(profile_id=me, concept_id=world.concepts["冷链"], source="resume",
                               confirmed=False))  # fmt: skip
    plan = TrainingPlan(college_major_id=world.college_major[world.data], year=2023)
    session.add(plan)
    session.flush()
    taught, failed = (
        Course(training_plan_id=plan.id, name="数据分析基础"),
        Course(training_plan_id=plan.id, name="仓储实务"),
    )
    session.add_all([taught, failed])
    session.flush()
    session.add_all([
        CourseConcept(course_id=taught.id, concept_id=world.concepts["数据分析"]),
        CourseConcept(course_id=failed.id, concept_id=world.concepts["仓储管理"]),
        ProfileCourse(profile_id=me, course_id=taught.id, name="数据分析基础", passed=True),
        ProfileCourse(profile_id=me, course_id=failed.id, name="仓储实务", passed=False),
        ProfileExperience(profile_id=me, kind="internship", title="数据实习生",
                          description="清洗订单数据"),
        ProfileProtected(profile_id=me, gender="女", ethnicity="彝族"),
    ])  # fmt: skip
    session.commit()
    [facts] = load_postings(session)
    assert facts.required_concept_ids == (world.concepts["报关"],)
    assert facts.preferred_concept_ids == (world.concepts["订舱"],)  # negated 叉车 left out
    assert (
        facts.flag_count == 1 and facts.city_code == "510100" and facts.text == "报关员\n熟悉报关"
    )
    [profile] = load_profiles(session)
    held = {world.concepts[c] for c in ("英语", "数据分析")}  # not unconfirmed, not failed
    assert set(profile.concept_ids) == held
    assert profile.education_level == 5  # 大数据技术 here is a bachelor major
    assert profile.major_id == world.data
    assert profile.wish == Wish(("510107",), 6000, (world.occupations["数据分析员"],), True, False)
    for part in ("想做数据", "数据实习生", "清洗订单数据", "数据分析基础", "英语"):
        assert part in profile.text
    assert "彝族" not in repr(profile) and "女" not in repr(profile)


def test_segmentation_keeps_words() -> None:
    tokens = bm25.segment("熟悉报关流程，能熟练使用Excel和WMS系统，英语四级以上。")
    assert "报关" in tokens and "excel" in tokens and "wms" in tokens
    assert "以上" not in tokens and "，" not in tokens and all(len(t) >= 2 for t in tokens)
    assert bm25.segment("") == []


def test_tokens_are_reused_for_unchanged_texts() -> None:
    calls: list[str] = []

    def tokenize(text: str) -> list[str]:
        calls.append(text)
        return text.split()

    first = bm25.tokenize_all([1, 2], ["报关 订舱", "仓储 叉车 叉车"], tokenize)
    assert first.vocab == sorted(first.vocab) and len(calls) == 2
    second = bm25.tokenize_all([1, 2, 3], ["报关 订舱", "仓储", "冷链"], tokenize, first)
    assert calls[2:] == ["仓储", "冷链"]  # 1 unchanged, 2 edited, 3 new
    assert second.vocab == ["仓储", "冷链", "报关", "订舱"]  # 叉车 is gone
    terms, counts = second.row(0)
    assert [second.vocab[t] for t in terms] == ["报关", "订舱"]
    assert counts.tolist() == [1.0, 1.0] and second.lengths.tolist() == [2.0, 1.0, 1.0]


def test_bm25_text_part() -> None:
    postings = [
        PostingFacts(id=1, text="报关 订舱 报关"),
        PostingFacts(id=2, text="仓储 叉车 仓储 叉车 仓储"),
        PostingFacts(id=3, text="报关 仓储"),
    ]
    profiles = [ProfileFacts(id=1, organization_id=1, text="报关 订舱")]
    index = build_index(postings, profiles, tokenize=str.split)
    parts = score_postings(index, 0, None)
    assert parts.text[1] == 0.0 and parts.text[0] > parts.text[2] > 0
    # a posting of average length holding each query term once scores 1.0 (capped)
    text = index.postings.text
    query = index.profiles.queries.row(0)
    assert sorted(text.docs.vocab[t] for t in query) == ["报关", "订舱"]
    assert index.profiles.queries.norm[0] == pytest.approx(1 / text.idf[query].sum())
    assert parts.text.max() <= 1.0


def test_city_numbers() -> None:
    assert city_number("510107") == 510100  # a district counts as its city
    assert city_number("500112") == city_number("500000") == 500000  # Chongqing
    assert city_number("110105") == 110000
    assert city_number(None) == city_number("") == city_number("成都") == 0


def _random_facts(seed: int) -> tuple[list[PostingFacts], list[ProfileFacts]]:
    rng = random.Random(seed)
    words = ["报关", "订舱", "仓储", "叉车", "英语", "冷链", "数据", "分析", "运输", "单证"]
    cities = ["510100", "510107", "500000", "500112", "110000", "511300", ""]
    postings = []
    for n in range(1, 120):
        concepts = rng.sample(range(1, 30), rng.randint(0, 8))
        cut = rng.randint(0, len(concepts))
        low = rng.choice([None, 3000, 5000, 7000])
        postings.append(
            PostingFacts(
                id=n * 3, occupation_id=rng.choice([None, 1, 2, 3]),
                city_code=rng.choice(cities) or None, education_level=rng.choice([None, 0, 2, 4, 5]),
                salary_min=low, salary_max=rng.choice([None, 8000]) if low else rng.choice([None, 6000]),
                flag_count=rng.choice([0, 0, 0, 1]),
                required_concept_ids=tuple(sorted(concepts[:cut])),
                preferred_concept_ids=tuple(sorted(concepts[cut:])),
                text=" ".join(rng.choices(words, k=rng.randint(0, 30))),
            )
        )  # fmt: skip
    profiles = []
    for n in range(1, 90):
        profiles.append(
            ProfileFacts(
                id=n * 7, organization_id=1, major_id=rng.choice([None, 10, 11]),
                graduation_year=rng.choice([2025, 2026]), education_level=rng.choice([None, 2, 4, 5]),
                concept_ids=tuple(sorted(rng.sample(range(1, 30), rng.randint(0, 10)))),
                text=" ".join(rng.choices(words, k=rng.randint(0, 40))),
                wish=Wish(
                    city_codes=tuple(rng.sample([c for c in cities if c], rng.randint(0, 2))),
                    salary_floor=rng.choice([None, 4000, 6000, 9000]),
                    occupation_ids=tuple(rng.sample([1, 2, 3], rng.randint(0, 2))),
                    relocate=rng.random() < 0.5,
                ),
                visible_to_employers=True,
            )
        )  # fmt: skip
    return postings, profiles


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_both_directions_give_the_same_numbers(seed: int) -> None:
    from talentbridge.matching.facts import NamedRef, Reference

    postings, profiles = _random_facts(seed)
    reference = Reference(
        majors={10: NamedRef(10, "530802", "物流", None), 11: NamedRef(11, "510205", "数据", None)},
        major_occupations={(10, 1): "primary", (10, 2): "related", (11, 3): "primary"},
    )
    index = build_index(postings, profiles, reference, tokenize=str.split)
    every_posting = np.arange(len(index.postings))
    every_profile = np.arange(len(index.profiles))
    by_profile = [score_postings(index, p, every_posting) for p in every_profile]
    by_posting = [score_profiles(index, j, every_profile) for j in every_posting]
    names = ("skills", "skills_used", "major", "text", "education", "city", "salary",
             "occupation", "wishes", "employer_side", "student_side", "total")  # fmt: skip
    for name in names:
        rows = np.array([getattr(a, name) for a in by_profile])
        columns = np.array([getattr(a, name) for a in by_posting]).T
        assert np.array_equal(rows, columns), name  # bit for bit
        assert ((rows >= 0) & (rows <= 1)).all(), name
    everything = score_postings(index, 5, None)
    assert np.array_equal(everything.total, by_profile[5].total)
    pairs = [(int(index.profiles.ids[p]), int(index.postings.ids[j])) for p, j in
             [(0, 0), (3, 7), (10, 2), (3, 1)]]  # fmt: skip
    _, matrix = features_for(index, pairs)
    for (p, j), row in zip([(0, 0), (3, 7), (10, 2), (3, 1)], matrix, strict=True):
        assert row[11] == by_profile[p].total[j]
    profile = int(index.profiles.ids[4])
    for match in jobs_for(index, profile, k=30):
        posting_row = index.posting_row(match.posting_id)
        assert match.parts.total == by_profile[4].total[posting_row]
    posting = int(index.postings.ids[9])
    for match in candidates_for(index, posting, k=30):
        assert match.parts.total == by_posting[9].total[index.profile_row(match.profile_id)]
