"""Protected attributes never change a ranking; the same input gives the same ranking;
the exposure audit by protected group."""

from __future__ import annotations

import ast
import itertools
import random
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker

from matchworld import SKILLS, World
from talentbridge.config import sqlite_url
from talentbridge.matching import fairness
from talentbridge.matching.engine import Match, ScoreParts, candidates_for, jobs_for
from talentbridge.matching.facts import PostingFacts, ProfileFacts, Wish
from talentbridge.matching.index import MatchIndex, build_index, clear_index_cache, load_index
from talentbridge.store.engine import session_factory
from talentbridge.store.matching_tables import ProfileProtected
from talentbridge.store.migrate import upgrade
from talentbridge.store.tables import Posting, Profile

MATCHING = Path(fairness.__file__).parent
ENGINE_MODULES = ("facts", "bm25", "index", "version", "scoring", "engine", "explain")


def _every_ranking(index: MatchIndex) -> str:
    lists = [jobs_for(index, int(p), k=50) for p in index.profiles.ids]
    lists += [
        candidates_for(index, int(j), k=50, require_consent=False) for j in index.postings.ids
    ]
    return repr(lists)


def _populate(world: World, rng: random.Random, postings: int = 12, profiles: int = 16) -> None:
    places = ("510107", "500112", "510104", "110105")
    for n in range(postings):
        world.posting(
            f"岗位{n}", rng.sample(SKILLS, rng.randint(1, 4)), rng.sample(SKILLS, rng.randint(0, 2)),
            occupation=rng.choice([None, "报关员", "仓储员", "数据分析员"]),
            place=rng.choice(places), salary=(rng.randint(3, 8) * 1000, rng.randint(8, 12) * 1000),
            education=rng.choice([None, 2, 4, 5]), month=f"2025-0{rng.randint(1, 9)}",
            requirements="负责" + "、".join(rng.sample(SKILLS, 2)),
        )  # fmt: skip
    for _ in range(profiles):
        world.profile(
            rng.sample(SKILLS, rng.randint(0, 5)),
            major=rng.choice([world.logistics, world.data]),
            cities=tuple(rng.sample(("510100", "500000", "110000"), rng.randint(0, 2))),
            salary_floor=rng.choice([None, 5000, 8000]),
            occupations=tuple(rng.sample(("报关员", "仓储员"), rng.randint(0, 1))),
            relocate=rng.random() < 0.5, summary="熟悉" + rng.choice(SKILLS),
            visible=rng.random() < 0.8,
        )  # fmt: skip


def test_protected_attributes_cannot_change_a_ranking(
    session: Session, factory: sessionmaker[Session]
) -> None:
    clear_index_cache()
    world = World(session)
    _populate(world, random.Random(6))
    ids = [p.id for p in session.query(Profile).order_by(Profile.id)]
    for n, pid in enumerate(ids):
        session.add(
            ProfileProtected(
                profile_id=pid,
                gender="女" if n % 2 else "男",
                birth_year=2003,
                ethnicity="汉族",
                hukou_province="510000",
            )
        )
    session.commit()
    before = _every_ranking(load_index(session))
    for n, pid in enumerate(ids):
        row = session.get(ProfileProtected, pid)
        assert row is not None
        row.gender = "男" if n % 2 else "女"
        row.birth_year = 1990 + n
        row.ethnicity = "藏族" if n % 3 else "回族"
        row.hukou_province = "500000"
        row.marital_status = "已婚"
        row.health_note = "备注"
    session.commit()
    clear_index_cache()
    assert _every_ranking(load_index(session)) == before


def test_the_engine_never_reads_profile_protected() -> None:
    for name in ENGINE_MODULES:
        tree = ast.parse((MATCHING / f"{name}.py").read_text(encoding="utf-8"))
        names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        names |= {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        imported = {
            a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names
        }
        assert "ProfileProtected" not in names | imported, name
        assert "fairness" not in imported, name


def test_same_input_same_ranking_twice(session: Session) -> None:
    clear_index_cache()
    _populate(World(session), random.Random(7))
    session.commit()
    first = _every_ranking(load_index(session))
    assert _every_ranking(load_index(session)) == first


def _store(path: Path) -> sessionmaker[Session]:
    engine = create_engine(sqlite_url(path))
    upgrade(engine)
    return session_factory(engine)


def test_insertion_order_does_not_change_a_ranking(tmp_path: Path) -> None:
    """The same postings and profiles inserted in two orders rank the same by content."""
    rng = random.Random(8)
    combos = [c for size in (1, 2, 3, 4) for c in itertools.combinations(SKILLS, size)]
    rng.shuffle(combos)  # distinct skill sets: no exact ties
    postings = [(f"岗位{n}", combos[n], rng.randint(3, 9) * 1000) for n in range(15)]
    profiles = [(f"{n}", combos[15 + n], 4000 + 500 * (n % 5)) for n in range(12)]
    rankings = []
    for seed in (1, 2):
        factory = _store(tmp_path / f"{seed}.db")
        order = random.Random(seed)
        with factory() as session:
            world = World(session)
            for title, skills, pay in order.sample(postings, len(postings)):
                world.posting(title, skills, salary=(pay, pay + 2000),
                              requirements="、".join(skills))  # fmt: skip
            for tag, skills, floor in order.sample(profiles, len(profiles)):
                pid = world.profile(skills, salary_floor=floor, summary="、".join(skills))
                session.get_one(Profile, pid).student_no = tag
            session.commit()
            index = load_index(session)
            title = {p.id: p.title for p in session.query(Posting)}
            tag = {p.id: p.student_no for p in session.query(Profile)}
            rankings.append(
                (
                    {tag[int(p)]: _by_content([(title[m.posting_id], m) for m in jobs_for(index, int(p))])
                     for p in index.profiles.ids},
                    {title[int(j)]: _by_content([(tag[m.profile_id], m) for m in candidates_for(index, int(j))])
                     for j in index.postings.ids},
                )
            )  # fmt: skip
    assert rankings[0] == rankings[1]


def _by_content(ranked: list[tuple[str, Match]]) -> list[tuple[ScoreParts, list[str]]]:
    """A ranking by content: each run of equal parts with the names in it. Exact ties
    are broken by id, and ids follow insertion order, so only the run is compared."""
    out: list[tuple[ScoreParts, list[str]]] = []
    for name, match in ranked:
        if out and out[-1][0] == match.parts:
            out[-1][1].append(name)
            out[-1][1].sort()
        else:
            out.append((match.parts, [name]))
    return out


def test_facts_in_any_order_build_the_same_index() -> None:
    rng = random.Random(9)
    postings = [
        PostingFacts(id=n, city_code=rng.choice(["510100", "500000"]), salary_min=5000,
                     salary_max=8000, required_concept_ids=tuple(sorted(rng.sample(range(1, 9), 3))),
                     text=" ".join(rng.sample(["报关", "订舱", "仓储", "叉车", "英语", "冷链", "数据"], 4)))
        for n in range(1, 40)
    ]  # fmt: skip
    profiles = [
        ProfileFacts(id=n, organization_id=1, concept_ids=tuple(sorted(rng.sample(range(1, 9), 2))),
                     text="报关 仓储", wish=Wish(city_codes=("510100",)), visible_to_employers=True)
        for n in range(1, 20)
    ]  # fmt: skip
    a = build_index(postings, profiles, tokenize=str.split)
    b = build_index(postings[::-1], rng.sample(profiles, len(profiles)), tokenize=str.split)
    assert _every_ranking(a) == _every_ranking(b)


def test_exposure_by_protected_group(session: Session) -> None:
    clear_index_cache()
    world = World(session)
    for n in range(4):
        world.posting(f"报关{n}", ["报关", "订舱", "英语"], occupation="报关员")
    strong = [world.profile(["报关", "订舱", "英语"]) for _ in range(3)]
    weak = [world.profile(["叉车"]) for _ in range(3)]
    unknown = world.profile(["报关"])
    for pid in strong:
        session.add(ProfileProtected(profile_id=pid, gender="男"))
    for pid in weak:
        session.add(ProfileProtected(profile_id=pid, gender="女"))
    session.commit()
    report = fairness.exposure_report(session, k=3)
    assert (report.attribute, report.k, report.postings, report.profiles) == ("gender", 3, 4, 7)
    by_group = {g.group: g for g in report.groups}
    assert set(by_group) == {"男", "女", None}
    assert by_group["男"].profiles == 3 and by_group[None].profiles == 1
    assert by_group["男"].population_share == pytest.approx(3 / 7)
    assert by_group["男"].exposure_share == pytest.approx(1.0)  # the top 3 of every list
    assert by_group["男"].ratio == pytest.approx(7 / 3)
    assert by_group["女"].exposure == 0.0 and by_group["女"].ratio == 0.0
    assert sum(g.exposure_share for g in report.groups) == pytest.approx(1.0)
    # a population and postings of one's choosing
    only = fairness.exposure_report(session, profiles=[*weak, unknown], k=2, attribute="gender")
    assert {g.group: g.profiles for g in only.groups} == {"女": 3, None: 1}
    assert {g.group for g in only.groups if g.exposure > 0} == {"女", None}
    with pytest.raises(ValueError):
        fairness.exposure_report(session, attribute="name")


def test_age_bands(session: Session) -> None:
    clear_index_cache()
    world = World(session)
    world.posting("报关", ["报关"])
    for year in (2001, 2003, 2006):
        session.add(ProfileProtected(profile_id=world.profile(["报关"]), birth_year=year))
    session.commit()
    report = fairness.exposure_report(session, k=10, attribute="age")
    assert {g.group: g.profiles for g in report.groups} == {"2000-2004": 2, "2005-2009": 1}
