"""Helpers for the matching web tests: a few taxonomy concepts with labels, postings of
the world's enterprise, and reading CSRF tokens off matching pages."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from webtools import World, csrf_from

from talentbridge.store.tables import Concept, ConceptLabel, Organization, Posting, Taxonomy

CONCEPTS: tuple[tuple[str, str, str, str], ...] = (
    # key, kind, zh, en
    ("tb.customs.hs", "skill", "HS归类", "HS classification"),
    ("tb.wms", "tool", "WMS系统", "WMS"),
    (
        "tb.cert.logistics",
        "certificate",
        "物流管理职业技能等级证书",
        "Logistics management certificate",
    ),
    ("tb.lang.en", "language", "英语", "English"),
    ("tb.excel", "tool", "Excel", "Excel"),
)


def add_concepts(session: Session) -> dict[str, int]:
    """An active taxonomy with ``CONCEPTS``; concept ids by key."""
    taxonomy = Taxonomy(code="talentbridge", version="test", name="test taxonomy")
    session.add(taxonomy)
    session.flush()
    ids: dict[str, int] = {}
    for key, kind, zh, en in CONCEPTS:
        concept = Concept(taxonomy_id=taxonomy.id, key=key, kind=kind, label_zh=zh, label_en=en)
        session.add(concept)
        session.flush()
        session.add_all([
            ConceptLabel(concept_id=concept.id, lang="zh", text=zh, label_type="preferred"),
            ConceptLabel(concept_id=concept.id, lang="en", text=en, label_type="preferred"),
        ])  # fmt: skip
        ids[key] = concept.id
    session.commit()
    return ids


def add_posting(
    session: Session,
    org: Organization | None,
    title: str,
    *,
    city_code: str = "510100",
    salary: tuple[int, int] = (5000, 8000),
    flag_count: int = 0,
) -> Posting:
    posting = Posting(
        title=title,
        employer_name=org.name_zh if org else "某公司",
        organization_id=org.id if org else None,
        city_code=city_code,
        province_code=city_code[:2] + "0000",
        place_text="成都",
        salary_min=salary[0],
        salary_max=salary[1],
        description=f"{title}：负责HS归类与WMS系统操作。",
        requirements="熟悉Excel",
        posted_on=dt.date(2026, 10, 1),
        flag_count=flag_count,
        content_hash=hashlib.sha256(f"{title}|{city_code}|{salary}".encode()).hexdigest(),
        block_key=title[:20],
        fingerprint=0,
    )
    session.add(posting)
    session.commit()
    return posting


def form_token(client: TestClient, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, (path, page.status_code)
    return csrf_from(page.text)


def tag(
    session: Session, posting: Posting, concept_ids: list[int], *, required: bool = True
) -> None:
    """Tag a posting with concepts as the extractor would."""
    from talentbridge.store.tables import PostingConcept

    session.add_all(
        PostingConcept(posting_id=posting.id, concept_id=cid, start=0, end=1, surface="x",
                       strength="required" if required else "preferred",
                       taxonomy_version="test")
        for cid in concept_ids
    )  # fmt: skip
    session.commit()


def flag(session: Session, posting: Posting, rule: str = "gender") -> None:
    from talentbridge.store.tables import PostingFlag

    session.add(PostingFlag(posting_id=posting.id, rule=rule, phrase="限男性", start=0, end=3,
                            law="《就业促进法》第二十七条"))  # fmt: skip
    posting.flag_count = 1
    session.commit()


@dataclass
class Market:
    """The world's enterprise with three postings: a good fit for student_a (customs
    skills in Chengdu), a flagged one, and one in another city."""

    concepts: dict[str, int]
    fit: Posting
    flagged: Posting
    elsewhere: Posting


def build_market(session: Session, world: World) -> Market:
    from talentbridge.store.matching_tables import ProfileConcept, ProfileWish
    from talentbridge.store.tables import Major, MajorOccupation, Occupation

    concepts = add_concepts(session)
    org = world.orgs["enterprise"]
    occupation = session.scalar(select(Occupation).where(Occupation.code == "4-02-06-03"))
    major = session.scalar(select(Major).where(Major.code == "530802"))
    assert occupation is not None and major is not None
    session.add(MajorOccupation(major_id=major.id, occupation_id=occupation.id, strength="primary"))
    fit = add_posting(session, org, "报关员（示例）", salary=(6000, 9000))
    flagged = add_posting(session, org, "仓储主管（示例）", salary=(5000, 7000))
    elsewhere = add_posting(session, org, "跟单员（示例）", city_code="500100", salary=(4000, 5000))
    for posting in (fit, flagged, elsewhere):
        posting.occupation_id = occupation.id
    session.commit()
    tag(session, fit, [concepts["tb.customs.hs"], concepts["tb.wms"]])
    tag(session, flagged, [concepts["tb.wms"], concepts["tb.excel"]])
    tag(session, elsewhere, [concepts["tb.excel"]])
    flag(session, flagged)
    for key in ("student_a", "consent_b"):
        profile = world.profiles[key]
        session.add_all([
            ProfileConcept(profile_id=profile.id, concept_id=concepts["tb.customs.hs"]),
            ProfileConcept(profile_id=profile.id, concept_id=concepts["tb.wms"]),
        ])  # fmt: skip
        session.add(ProfileWish(profile_id=profile.id, city_codes=["510100"], salary_min=5500))
    session.commit()
    return Market(concepts, fit, flagged, elsewhere)
